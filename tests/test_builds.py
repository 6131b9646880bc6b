"""Real builds: publish the demo posts into a minimal Jekyll and a minimal Hugo site, run
`jekyll build` and `hugo`, and read the pages a visitor would get.

Each site is built once per module (the Jekyll build is the slow part).
"""
from __future__ import annotations

import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field, replace
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sokbo.config import Settings
from sokbo.models import Post, PostSentence, Section
from sokbo.publish import approve_posts, publish_posts
from sokbo.store import Store

pytestmark = pytest.mark.slow

BUILD_TIMEOUT = 180

JEKYLL_SITE = {
    "_config.yml": """\
title: 테스트 블로그
future: true
defaults:
  - scope: {path: "", type: posts}
    values: {layout: post}
""",
    "_layouts/default.html": """\
<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>{{ page.title | escape }}</title></head>
<body>{{ content }}</body></html>
""",
    "_layouts/post.html": """\
---
layout: default
---
<article>
<h1 class="title">{{ page.title | escape }}</h1>
<div class="summary">{{ page.excerpt | escape }}</div>
<div class="content">{{ content }}</div>
</article>
""",
    "index.html": """\
---
layout: default
---
<ul>{% for post in site.posts %}
<li><a href="{{ post.url | relative_url }}">{{ post.title | escape }}</a></li>
{% endfor %}</ul>
""",
}

HUGO_SITE = {
    "hugo.toml": """\
baseURL = "https://blog.example/"
languageCode = "ko"
title = "테스트 블로그"
buildFuture = true
disableKinds = ["taxonomy", "term", "RSS", "sitemap"]
""",
    "layouts/_default/single.html": """\
<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><article>
<h1 class="title">{{ .Title }}</h1>
<div class="summary">{{ .Description }}</div>
<div class="content">{{ .Content }}</div>
</article></body></html>
""",
    "layouts/_default/list.html": """\
<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><ul>{{ range .Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ul></body></html>
""",
    "layouts/index.html": """\
<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>{{ .Site.Title }}</title></head>
<body><ul>{{ range .Site.RegularPages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ul></body></html>
""",
}

AWKWARD_TITLE = "속보: \"따옴표\" # 해시 'single' --- 🎉\n둘째 줄"
# sentences that are markup in Markdown or a Hugo shortcode; shown literally on the page
MARKDOWN_TRAPS = [
    "[클릭](https://evil.example/a) 하세요.",
    "<script>alert(1)</script> 태그입니다.",
    "**굵게** _기울임_ `코드` 입니다.",
    "# 제목처럼 시작합니다.",
    "1. 목록처럼 시작합니다.",
    "> 인용처럼 시작합니다.",
    "10~20% 늘었고 ~~취소선~~ 입니다.",
    "| 표 | 처럼 | 보입니다 |",
    "주소 www.evil.example 과 https://evil.example/b 와 someone@evil.example 입니다.",
    "&lt;b&gt; 엔티티 &amp; 입니다.",
]
LIQUID_TRAP = "템플릿 {{ site.title }} 과 {% if true %}참{% endif %} 입니다."
# a Hugo shortcode; it is also broken Liquid, which would fail the whole Jekyll build (see the
# xfail below), so this post goes to the Hugo site only
SHORTCODE_TRAP = "단축 코드 {{< figure src=x >}} 와 {{% y %}} 입니다."
# goldmark's typographer turns these into typographic characters; map them back to compare
TYPOGRAPHY = {"“": '"', "”": '"', "‘": "'", "’": "'", "–": "--", "—": "---", "…": "..."}


def _norm(text: str) -> str:
    for fancy, plain in TYPOGRAPHY.items():
        text = text.replace(fancy, plain)
    return " ".join(text.split())


@dataclass
class BuiltPage:
    path: Path
    title: str = ""
    summary: str = ""
    content: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


class _PageParser(HTMLParser):
    def __init__(self, page: BuiltPage) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.open: list[tuple[str, str]] = []   # (tag, class)
        self.a: list[str] | None = None
        self.href = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if any(c == "content" for _, c in self.open):
            self.page.tags.append(tag)
        if tag in ("meta", "img", "br", "hr", "link"):
            return
        self.open.append((tag, a.get("class", "")))
        if tag == "a":
            self.a, self.href = [], a.get("href", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.a is not None:
            self.page.links.append((self.href, "".join(self.a)))
            self.a = None
        if all(t != tag for t, _ in self.open):
            return  # a void element's end (<img />) or a stray end tag
        while self.open.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        classes = {c for _, c in self.open}
        if self.a is not None:
            self.a.append(data)
        if "title" in classes:
            self.page.title += data
        if "summary" in classes:
            self.page.summary += data
        if "content" in classes:
            self.page.content += data


def read_pages(root: Path) -> dict[str, BuiltPage]:
    """Every built page with an article title, by its (whitespace-normalised) title."""
    pages = {}
    for path in root.rglob("*.html"):
        page = BuiltPage(path)
        _PageParser(page).feed(path.read_text("utf-8"))
        if page.title:
            pages[" ".join(page.title.split())] = page
    return pages


def write_site(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, "utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "-c", "user.name=사람", "-c", "user.email=me@blog.example", "commit", "-qm", "site")
    return root


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True,
                          timeout=60).stdout


def add_post(store: Store, post: Post, path: str) -> int:
    with store.transaction() as db:
        store.upsert_story(db, post.story_id, post.slug)
        return store.save_post(db, post, path=path, fmt="jekyll", input_hash="test",
                               content_hash="test", rendered="", status="draft", findings=[])


def trap_post(base: Post, story_id: str, slug: str, title: str,
              sentences: list[str]) -> Post:
    """A copy of a demo post whose title and section paragraphs are the given traps."""
    paras = tuple((PostSentence(s, base.sources[0].article_id, i),)
                  for i, s in enumerate(sentences))
    sections = (Section("함정 문장", paras), *base.sections[1:])
    return replace(base, story_id=story_id, slug=slug, title=title, sections=sections,
                   date=datetime.fromisoformat("2026-11-22T09:00:00+09:00"))


@dataclass
class Published:
    state: Settings
    jekyll: Path
    hugo: Path
    posts: dict[int, Post]          # every published post, by id
    traps: dict[str, int]           # trap name → post id


@pytest.fixture(scope="module")
def published(demo_run, tmp_path_factory: pytest.TempPathFactory) -> Published:
    settings, _ = demo_run
    root = tmp_path_factory.mktemp("builds")
    with pytest.MonkeyPatch.context() as mp:
        from test_publish import copy_state, isolate_git

        isolate_git(mp, root / "git-home")
        state = copy_state(settings, root / "out")
        with Store(state.db_path) as store:
            base = store.load_post(1)
            traps = {
                "title": add_post(store, trap_post(base, "t-title", "awkward", AWKWARD_TITLE,
                                                   ["제목이 이상한 글입니다."]),
                                  "_posts/2026-11-22-awkward.html"),
                "markdown": add_post(store, trap_post(base, "t-md", "markdown-traps",
                                                      "마크다운 함정", MARKDOWN_TRAPS),
                                     "_posts/2026-11-22-markdown-traps.html"),
                "liquid": add_post(store, trap_post(base, "t-liquid", "liquid-trap",
                                                    "리퀴드 함정", [LIQUID_TRAP]),
                                   "_posts/2026-11-22-liquid-trap.html"),
                "shortcode": add_post(store, trap_post(base, "t-sc", "shortcode-trap",
                                                       "단축 코드 함정", [SHORTCODE_TRAP]),
                                      "_posts/2026-11-22-shortcode-trap.html"),
            }
            every = [r.id for r in store.list_posts()]
        jekyll_ids = [i for i in every if i != traps["shortcode"]]
        assert len(approve_posts(state, jekyll_ids).approved) == 7
        jekyll = write_site(root / "jekyll", JEKYLL_SITE)
        hugo = write_site(root / "hugo", HUGO_SITE)
        to_jekyll = publish_posts(state, jekyll)           # every approved post
        to_hugo = publish_posts(state, hugo, post_ids=every)  # by id: published + one draft
        assert len(to_jekyll.published) == 7 and len(to_hugo.published) == 8
        for report in (to_jekyll, to_hugo):
            assert not report.conflicts and not report.skipped and report.commit
        with Store(state.db_path) as store:
            posts = {r.id: store.load_post(r.id) for r in store.list_posts("published")}
    assert len(posts) == 8
    return Published(state, jekyll, hugo, posts, traps)


def _build(cmd: list[str], cwd: Path, binary: str) -> float:
    if shutil.which(binary) is None:
        pytest.skip(f"{binary} is not installed (apt-get install {binary}; `make system-deps`)")
    start = time.monotonic()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    assert done.returncode == 0, f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}"
    return time.monotonic() - start


@pytest.fixture(scope="module")
def jekyll_pages(published: Published) -> dict[str, BuiltPage]:
    _build(["jekyll", "build", "--quiet"], published.jekyll, "jekyll")
    return read_pages(published.jekyll / "_site")


@pytest.fixture(scope="module")
def hugo_pages(published: Published) -> dict[str, BuiltPage]:
    _build(["hugo", "--quiet"], published.hugo, "hugo")
    return read_pages(published.hugo / "public")


def _check_demo_pages(published: Published, pages: dict[str, BuiltPage]) -> None:
    demo = {pid: p for pid, p in published.posts.items() if pid not in published.traps.values()}
    assert len(demo) == 4
    for post in demo.values():
        page = pages.get(post.title)
        assert page is not None, f"no built page titled {post.title!r}: {sorted(pages)}"
        assert _norm(page.summary) == _norm(post.excerpt_text)
        for source in post.sources:
            assert (source.url, source.outlet) in page.links, f"{source.outlet} not linked"
        for section in post.sections:
            assert _norm(section.heading) in _norm(page.content)
        assert "h2" in page.tags and "img" in page.tags


def test_jekyll_build_shows_every_post(published: Published,
                                       jekyll_pages: dict[str, BuiltPage]) -> None:
    _check_demo_pages(published, jekyll_pages)
    for page in jekyll_pages.values():
        assert page.path.is_relative_to(published.jekyll / "_site")


def test_hugo_build_shows_every_post(published: Published,
                                     hugo_pages: dict[str, BuiltPage]) -> None:
    _check_demo_pages(published, hugo_pages)
    for page in hugo_pages.values():
        assert "raw HTML omitted" not in page.path.read_text("utf-8")
        # goldmark made real structure from the Markdown: no heading inside a paragraph
        assert not re.search(r"<p>\s*<h2", page.path.read_text("utf-8"))


@pytest.mark.parametrize("site", ["jekyll", "hugo"])
def test_awkward_title_survives_the_build(site: str, request: pytest.FixtureRequest) -> None:
    pages = request.getfixturevalue(f"{site}_pages")
    assert " ".join(AWKWARD_TITLE.split()) in pages


def test_hugo_shows_markdown_traps_as_text(hugo_pages: dict[str, BuiltPage],
                                           published: Published) -> None:
    page = hugo_pages["마크다운 함정"]
    post = published.posts[published.traps["markdown"]]
    assert set(page.tags) <= {"p", "strong", "img", "h2", "ul", "li", "a"}
    assert [h for h, _ in page.links] == [s.url for s in post.sources]
    content = _norm(page.content)
    for trap in MARKDOWN_TRAPS:
        assert _norm(trap) in content


def test_jekyll_shows_markup_traps_as_text(jekyll_pages: dict[str, BuiltPage],
                                           published: Published) -> None:
    page = jekyll_pages["마크다운 함정"]
    assert "script" not in page.tags
    content = _norm(page.content)
    for trap in MARKDOWN_TRAPS:
        assert _norm(trap) in content


def test_jekyll_does_not_run_liquid_in_a_sentence(jekyll_pages: dict[str, BuiltPage]) -> None:
    assert _norm(LIQUID_TRAP) in _norm(jekyll_pages["리퀴드 함정"].content)


def test_hugo_shows_template_lookalikes_as_text(hugo_pages: dict[str, BuiltPage]) -> None:
    assert _norm(LIQUID_TRAP) in _norm(hugo_pages["리퀴드 함정"].content)
    assert _norm(SHORTCODE_TRAP) in _norm(hugo_pages["단축 코드 함정"].content)


def test_rebuilding_after_human_edit_keeps_the_edit(published: Published,
                                                    jekyll_pages: dict[str, BuiltPage]) -> None:
    """The edit/conflict rule, seen from the built site: the human's words stay published."""
    post_id = next(iter(published.posts))
    path = next((published.jekyll / "_posts").glob(
        f"*-{published.posts[post_id].slug}.html"))
    edited = path.read_text("utf-8").replace("</p>", " 편집자 덧붙임</p>", 1)
    path.write_text(edited, "utf-8")
    with pytest.MonkeyPatch.context() as mp:
        from test_publish import isolate_git

        isolate_git(mp, published.state.out_dir.parent / "git-home-2")
        report = publish_posts(published.state, published.jekyll, post_ids=[post_id])
    assert [c.post_id for c in report.conflicts] == [post_id]
    assert path.read_text("utf-8") == edited
    _build(["jekyll", "build", "--quiet"], published.jekyll, "jekyll")
    page = read_pages(published.jekyll / "_site")[published.posts[post_id].title]
    assert "편집자 덧붙임" in page.content
