"""The injection corpus, published and opened in Chromium: no payload runs (issue 11).

Fictional articles carrying script payloads (``tests/data/injection``: feed fields, news pages,
JSONL fields) go through ``sokbo run`` and ``sokbo post`` into all three formats, and posts
whose every field holds a payload are rendered beside them. Then:

- a Jekyll site with a Minimal Mistakes-like layout (``page.title | markdownify``,
  ``page.excerpt | markdownify``, unescaped ``{{ page.image }}`` and source links) is built;
- a Hugo site with goldmark's raw HTML switched on (``unsafe = true``) and a layout that
  markdownifies the title, summary and source titles is built;
- the Markdown posts are turned into pages by a CommonMark renderer that passes raw HTML;
- sokbo's own preview site is served as written.

Every page is opened in Debian's Chromium over a loopback server that logs every request. A
payload that ran shows as a dialog (``alert``), a ``window.__pwned`` value, a request to the
beacon URL, or, in the DOM, an ``on*`` attribute, a ``javascript:`` URL, a script or frame
element the layouts did not put there. A control page with one raw payload proves the
detectors see what they look for.
"""
from __future__ import annotations

import functools
import shutil
import subprocess
import threading
from dataclasses import replace
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA
from payloads import PAYLOADS, post_with_payload

from sokbo.cli import cli
from sokbo.models import Card, PostSentence, Section, SourceRef
from sokbo.render import get_renderer, render_post
from sokbo.store import Store

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CORPUS = DATA / "injection"
FORMATS = ("jekyll", "hugo", "markdown")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed at "
                       "/usr/bin/chromium (apt-get install chromium)"),
    pytest.mark.skipif(not (shutil.which("jekyll") and shutil.which("hugo")),
                       reason="jekyll and hugo are needed (apt-get install jekyll hugo)"),
]

# A Minimal Mistakes-like post layout: front matter printed the way that theme prints it.
JEKYLL_SITE = {
    "_config.yml": "title: 주입 시험 블로그\nfuture: true\nmarkdown: kramdown\n"
                   "defaults:\n  - scope: {path: '', type: posts}\n    values: {layout: single}\n",
    "_layouts/single.html": """\
<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>{{ page.title }}</title>
<meta name="description" content="{{ page.excerpt | markdownify | strip_html | strip_newlines | escape_once }}">
<meta property="og:image" content="{{ page.image }}"></head>
<body>
<header class="page__hero"><h1 class="page__title">{{ page.title | markdownify | remove: "<p>" | remove: "</p>" }}</h1>
<p class="page__lead">{{ page.excerpt | markdownify | remove: "<p>" | remove: "</p>" }}</p>
<img class="page__hero-image" src="{{ page.image }}" alt=""></header>
<div class="feature__item">{{ page.feature_text | markdownify }}</div>
<section class="page__content">{{ content }}</section>
<aside class="sources"><ul>{% for s in page.sources %}
<li><a href="{{ s.url }}">{{ s.outlet }}</a> — {{ s.title | markdownify }}</li>{% endfor %}</ul>
<p>{% for c in page.categories %}<span class="category">{{ c }}</span>{% endfor %}
{% for t in page.tags %}<span class="tag">{{ t }}</span>{% endfor %}</p></aside>
</body></html>
""",
    "index.html": """\
---
---
<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>{{ site.title }}</title></head><body><ul>
{% for post in site.posts %}<li><a href="{{ post.url | relative_url }}">{{ post.title | markdownify }}</a>
{{ post.excerpt | markdownify }}</li>
{% endfor %}</ul></body></html>
""",
}

HUGO_SITE = {
    "hugo.toml": """\
baseURL = "http://127.0.0.1/"
languageCode = "ko"
title = "주입 시험 블로그"
buildFuture = true
disableKinds = ["taxonomy", "term", "RSS", "sitemap"]
[markup.goldmark.renderer]
unsafe = true
""",
    "layouts/_default/single.html": """\
<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>{{ .Title }}</title>
<meta name="description" content="{{ .Description }}"></head>
<body><article>
<h1>{{ .Title | markdownify }}</h1>
<p class="lead">{{ .Params.summary | markdownify }}</p>
<div class="summary">{{ .Summary }}</div>
<img src="{{ .Params.image }}" alt="">
<div class="content">{{ .Content }}</div>
<ul>{{ range .Params.sources }}<li><a href="{{ .url }}">{{ .outlet | markdownify }}</a> {{ .title | markdownify }}</li>{{ end }}</ul>
</article></body></html>
""",
    "layouts/index.html": """\
<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>{{ .Site.Title }}</title></head>
<body><ul>{{ range .Site.RegularPages }}
<li><a href="{{ .RelPermalink }}">{{ .Title | markdownify }}</a> {{ .Summary }}</li>
{{ end }}</ul></body></html>
""",
}

# Run in every page after load: what a payload that got through would leave in the DOM.
DOM_AUDIT = """() => {
  const found = [];
  const urlAttrs = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster'];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.localName;
    if (['script', 'iframe', 'object', 'embed', 'frame', 'animate', 'set'].includes(tag))
      found.push('<' + tag + '>');
    if (tag === 'meta' && el.getAttribute('http-equiv')) found.push('meta http-equiv');
    for (const a of el.attributes) {
      if (a.name.startsWith('on')) found.push(tag + ' ' + a.name + '=' + a.value);
      const v = a.value.replace(/[\\x00-\\x20]/g, '').toLowerCase();
      if (urlAttrs.includes(a.name) && /^(javascript|vbscript|data):/.test(v))
        found.push(tag + ' ' + a.name + '=' + a.value);
    }
  }
  if (window.__pwned !== undefined) found.push('window.__pwned=' + window.__pwned);
  return found;
}"""


class _Server:
    """Serves a folder on 127.0.0.1 and logs every request path (the beacon among them)."""

    def __init__(self, root: Path) -> None:
        log: list[str] = []

        class Handler(SimpleHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                log.append(self.path)

        self.log = log
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0),
                                         functools.partial(Handler, directory=str(root)))
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _payload_posts(beacon: str) -> list:
    """Posts whose every field holds a payload, so none depends on the writer picking it."""
    payloads = [*PAYLOADS, f'<img src="{beacon}/syn-img">',
                f"<script>window.__pwned='syn-script';fetch('{beacon}/syn-script')</script>",
                f'<a href="javascript:fetch(\'{beacon}/syn-a\')">눌러 보세요</a>',
                "<details open ontoggle=alert('syn-details')>", "<input autofocus onfocus="
                "alert('syn-input')>", "<!-- --!><img src=x onerror=alert('syn-comment')>"]
    posts = []
    for k in range(3):
        cycle = payloads[k::3] + payloads
        post = post_with_payload(cycle[0])

        def s(i: int, cycle=cycle) -> PostSentence:
            return PostSentence(f"{cycle[i % len(cycle)]} 문장 {i}입니다.", "a1", i)

        posts.append(replace(
            post, story_id=f"syn-{k}", slug=f"payload-{k}",
            excerpt=tuple(s(i) for i in range(1, 4)),
            cards=tuple(Card(cycle[(4 + i) % len(cycle)], (s(5 + i), s(7 + i)),
                             cycle[(9 + i) % len(cycle)], s(11 + i)) for i in range(2)),
            sections=tuple(Section(cycle[(13 + i) % len(cycle)], ((s(15 + i),), (s(17 + i),)))
                           for i in range(2)),
            sources=(SourceRef("a1", cycle[19 % len(cycle)], cycle[20 % len(cycle)],
                               f"javascript:fetch('{beacon}/syn-source')", None),
                     SourceRef("a2", "가상일보", cycle[21 % len(cycle)],
                               'https://a.example/x"><img src=x onerror=alert(1)>', None)),
            image=f"javascript:fetch('{beacon}/syn-image')", image_alt=cycle[2],
        ))
    return posts


def _sokbo(*args: str) -> None:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output


def _markdown_page(md: str) -> str:
    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(md)
    return f'<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"></head><body>{body}' \
           "</body></html>"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    """(server, page paths relative to the server root): every page built from the corpus."""
    root = tmp_path_factory.mktemp("injection")
    served = root / "www"
    served.mkdir()
    server = _Server(served)
    beacon = f"{server.base}/beacon"
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    for path in corpus.iterdir():
        path.write_text(path.read_text("utf-8").replace("{{BEACON}}", beacon), "utf-8")

    outs = {}
    for fmt in FORMATS:
        out = outs[fmt] = root / f"out-{fmt}"
        _sokbo("run", "--feed", str(corpus / "feed.xml"), "--out", str(out), "--format", fmt)
        _sokbo("post", str(corpus / "library.jsonl"), "--out", str(out), "--format", fmt)
        with Store(out / "sokbo.db") as store:
            for post in _payload_posts(beacon):
                rel, text = render_post(post, fmt)
                (out / rel).write_text(text, encoding="utf-8")
                with store.transaction() as db:  # stored too, so the preview shows them
                    store.upsert_story(db, post.story_id, post.slug)
                    store.save_post(db, post, path=str(out / rel), fmt=fmt, input_hash="test",
                                    content_hash="test", rendered=text, status="draft",
                                    findings=[])
        _sokbo("site", "build", "--out", str(out))
    pipeline_posts = {fmt: sorted((outs[fmt] / get_renderer(fmt).posts_dir).iterdir())
                      for fmt in FORMATS}
    assert all(len(p) == 6 for p in pipeline_posts.values()), pipeline_posts  # 3 stories + 3

    jekyll = _write(root / "jekyll", JEKYLL_SITE)
    shutil.copytree(outs["jekyll"] / "_posts", jekyll / "_posts")
    hugo = _write(root / "hugo", HUGO_SITE)
    shutil.copytree(outs["hugo"] / "content", hugo / "content")
    for cmd, cwd in ((["jekyll", "build", "--quiet", "-d", str(served / "jekyll")], jekyll),
                     (["hugo", "--quiet", "-d", str(served / "hugo")], hugo)):
        done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
    (served / "markdown").mkdir()
    for md in pipeline_posts["markdown"]:
        (served / "markdown" / f"{md.stem}.html").write_text(
            _markdown_page(md.read_text("utf-8")), encoding="utf-8")
    shutil.copytree(outs["jekyll"] / "site", served / "preview")
    (served / "control").mkdir()
    (served / "control" / "index.html").write_text(
        "<!DOCTYPE html><p>통제용 페이지 <img src=x onerror=\"alert('control')\">"
        f"<img src=\"{beacon}/control\"></p>", encoding="utf-8")
    pages = sorted(p.relative_to(served).as_posix() for p in served.rglob("*.html"))
    try:
        yield server, pages
    finally:
        server.close()


def _open_all(server: _Server, pages: list[str]) -> dict[str, list[str]]:
    """Open each page; what ran or would run in it, by page."""
    sync_api = pytest.importorskip("playwright.sync_api")
    seen: dict[str, list[str]] = {}
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            context = browser.new_context(java_script_enabled=True)
            # no network beyond the loopback server (banner images are remote)
            context.route("**/*", lambda route: route.continue_()
                          if route.request.url.startswith(server.base) else route.abort())
            for rel in pages:
                found: list[str] = []
                page = context.new_page()
                page.on("dialog", lambda d, found=found: (found.append(f"dialog {d.message}"),
                                                          d.dismiss()))
                page.on("console", lambda m, found=found: found.append(f"console {m.text}")
                        if "p-" in m.text or "syn-" in m.text else None)
                before = len(server.log)
                page.goto(f"{server.base}/{rel}", wait_until="load")
                page.wait_for_timeout(150)  # autofocus, ontoggle and SVG animations fire late
                found += page.evaluate(DOM_AUDIT)
                found += [f"request {r}" for r in server.log[before:] if "/beacon/" in r]
                page.close()
                seen[rel] = found
        finally:
            browser.close()
    return seen


def test_no_payload_runs_in_any_published_page(built) -> None:
    server, pages = built
    kinds = {rel.split("/", 1)[0] for rel in pages}
    assert kinds == {"jekyll", "hugo", "markdown", "preview", "control"}
    # every post of every format has its page
    assert sum(rel.startswith("markdown/") for rel in pages) == 6
    assert sum(rel.startswith("preview/") for rel in pages) >= 7  # index + 6 posts
    seen = _open_all(server, pages)
    control = seen.pop("control/index.html")
    assert any("dialog control" in f for f in control), control  # the detectors work
    assert any("request /beacon/control" in f for f in control), control
    ran = {rel: found for rel, found in seen.items() if found}
    assert ran == {}, ran
    assert len(seen) >= 27  # 6 posts in 3 built formats + indexes + preview pages
