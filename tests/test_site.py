"""`sokbo site build`: the static preview of every post, escaped and sanitised."""
from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import replace
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_publish import copy_state

from sokbo.cli_publish import site_command
from sokbo.config import Settings
from sokbo.models import PostSentence, Section
from sokbo.site import build_site, sanitize_body
from sokbo.store import Store


class Page(HTMLParser):
    """Texts by CSS class, links, tags and attributes of one HTML page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, set[str]]] = []
        self.by_class: dict[str, list[str]] = {}
        self.links: list[tuple[str, str]] = []     # (href, text)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.h1: list[str] = []
        self.text: list[str] = []
        self._a: list[str] | None = None
        self._href = ""
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if tag in ("meta", "link", "img", "br"):
            return
        self.stack.append((tag, set(a.get("class", "").split())))
        if tag == "a":
            self._a, self._href = [], a.get("href", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._a is not None:
            self.links.append((self._href, "".join(self._a)))
            self._a = None
        if all(t != tag for t, _ in self.stack):
            return  # a void element's end (<img />) or a stray end tag
        while self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._a is not None:
            self._a.append(data)
        for _tag, classes in self.stack:
            for c in classes:
                self.by_class.setdefault(c, []).append(data)
        if self.stack and self.stack[-1][0] == "h1":
            self.h1.append(data)

    def classed(self, name: str) -> str:
        return "".join(self.by_class.get(name, []))


@pytest.fixture
def state(demo_run, tmp_path: Path) -> Settings:
    settings, _ = demo_run
    return copy_state(settings, tmp_path / "out")


def test_index_lists_every_post_newest_first(state: Settings) -> None:
    index = build_site(state)
    assert index == state.out_dir / "site" / "index.html"
    page = Page(index.read_text("utf-8"))
    with Store(state.db_path) as store:
        posts = {r.id: (r, store.load_post(r.id)) for r in store.list_posts()}
    items = [(href, text) for href, text in page.links if href.startswith("posts/")]
    assert len(items) == len(posts) == 4
    ordered = sorted(posts.values(), key=lambda rp: rp[1].date, reverse=True)
    assert [t for _, t in items] == [p.title for _, p in ordered]
    html = index.read_text("utf-8")
    for record, post in posts.values():
        assert f'href="posts/{record.id}.html"' in html
        assert post.excerpt_text in page.classed("excerpt")
        assert f"{post.date:%Y-%m-%d %H:%M}" in page.classed("meta")
        for source in post.sources:
            assert source.outlet in page.classed("meta")
    assert page.classed("status") == "draft" * 4
    assert ('link', {'rel': 'stylesheet', 'href': 'style.css'}) in page.tags


def test_post_page_shows_the_body_and_sources(state: Settings) -> None:
    build_site(state)
    with Store(state.db_path) as store:
        # a post with summary cards (a brief post has none, so no highlight either)
        record, post = next((r, p) for r in store.list_posts()
                            if (p := store.load_post(r.id)) is not None and p.cards)
    page = Page((state.out_dir / "site" / "posts" / f"{record.id}.html").read_text("utf-8"))
    assert "".join(page.h1) == post.title
    text = " ".join(page.text)
    for section in post.sections:
        assert section.heading in page.classed("body")
        for para in section.paragraphs:
            assert " ".join(s.text for s in para) in text
    for card in post.cards:
        assert card.key_sentence.text in page.classed("body")
    source_links = [(h, t) for h, t in page.links if h.startswith("http")]
    for source in post.sources:
        assert (source.url, source.outlet) in source_links
        assert source.title in page.classed("sources")
    # FORMAT.md's <p><h2> is split into valid structure; inline colours survive sanitising
    body_html = (state.out_dir / "site" / "posts" / f"{record.id}.html").read_text("utf-8")
    assert "<p><h2>" not in body_html and "<p></p>" not in body_html
    styles = {a.get("style") for tag, a in page.tags if tag == "span"}
    assert "color:#ee2323" in styles and "background-color:#21538527" in styles
    assert ("../style.css" in {a.get("href") for tag, a in page.tags if tag == "link"})


def test_stylesheet_is_korean_friendly(state: Settings) -> None:
    css = (build_site(state).parent / "style.css").read_text("utf-8")
    assert '"Nanum Gothic", "Noto Sans KR"' in css and "sans-serif" in css
    assert "line-height: 1.8" in css and "max-width" in css


def test_status_follows_publishing(state: Settings, tmp_path: Path) -> None:
    db = sqlite3.connect(state.db_path)
    with db:
        db.execute("UPDATE posts SET status = 'published' WHERE id = 2")
    db.close()
    page = Page(build_site(state).read_text("utf-8"))
    assert sorted(page.by_class["status"]) == ["draft"] * 3 + ["published"]


def test_everything_is_escaped(state: Settings) -> None:
    """A hostile title, heading, sentence and source cannot put markup on the page."""
    evil = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    with Store(state.db_path) as store:
        record = store.list_posts()[0]
        post = store.load_post(record.id)
        bad = PostSentence(f"문장 {evil} 입니다.", "a1", 0)
        post = replace(
            post, title=f"제목 {evil}",
            sections=(Section(f"머리 {evil}", ((bad,), (bad,))),) + post.sections[1:],
            sources=(replace(post.sources[0], outlet=f"언론 {evil}",
                             url="javascript:alert(3)"),) + post.sources[1:],
        )
        with store.transaction() as db:
            store.save_post(db, post, path=record.path, fmt="jekyll", input_hash="x",
                            content_hash="y", rendered="", status="draft", findings=[])
    site = build_site(state).parent
    for path in [site / "index.html", *sorted((site / "posts").glob("*.html"))]:
        html = path.read_text("utf-8")
        page = Page(html)
        assert "script" not in {t for t, _ in page.tags}
        assert not any(k.startswith("on") for _, a in page.tags for k in a)
        assert "javascript:" not in html
    page = Page((site / "posts" / f"{record.id}.html").read_text("utf-8"))
    assert "".join(page.h1) == f"제목 {evil}"
    assert f"머리 {evil}" in page.classed("body")


def test_sanitize_body_keeps_only_format_markup() -> None:
    dirty = ('<p onclick="x()"><b><span style="color: #ee2323; position: fixed">빨강</span></b>'
             '<a href="javascript:alert(1)">나쁜 링크</a> <a href="https://a.example" '
             'rel="noopener" target="_blank">좋은 링크</a><iframe src="https://x"></iframe>'
             '<script>alert(1)</script><img src="https://i.example/a.png" alt="그림" '
             'onerror="x()"></p><p><h2>제목</h2>본문</p>')
    clean = sanitize_body(dirty)
    page = Page(clean)
    tags = {t for t, _ in page.tags}
    assert tags <= {"p", "b", "span", "h2", "img", "a"}
    attrs = {(t, k) for t, a in page.tags for k in a}
    assert attrs <= {("span", "style"), ("img", "src"), ("img", "alt"), ("a", "href"),
                     ("a", "rel"), ("a", "title")}
    assert 'style="color:#ee2323"' in clean and "position" not in clean
    assert [h for h, _ in page.links] == ["", "https://a.example"]  # javascript: href dropped
    assert "alert" not in clean and "<h2>제목</h2>\n<p>본문</p>" in clean


def test_empty_state_builds_an_empty_index(tmp_path: Path, state: Settings) -> None:
    empty = state.with_overrides(out_dir=tmp_path / "fresh")
    index = build_site(empty)
    assert "아직 글이 없습니다" in index.read_text("utf-8")
    assert not (tmp_path / "fresh" / "sokbo.db").exists()


def test_removed_post_page_is_removed(state: Settings) -> None:
    site = build_site(state).parent
    assert (site / "posts" / "4.html").exists()
    db = sqlite3.connect(state.db_path)
    with db:
        db.execute("DELETE FROM post_sentences WHERE post_id = 4")
        db.execute("DELETE FROM posts WHERE id = 4")
    db.close()
    build_site(state)
    assert not (site / "posts" / "4.html").exists() and (site / "posts" / "3.html").exists()


def test_cli_site_build(state: Settings) -> None:
    runner = CliRunner()
    result = runner.invoke(site_command, ["build", "--out", str(state.out_dir)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == str(state.out_dir / "site" / "index.html")
    result = runner.invoke(site_command, ["build", "--out", str(state.out_dir), "--json"])
    assert json.loads(result.stdout)["index"].endswith("index.html")
    for args in (["--help"], ["build", "--help"]):
        help_text = runner.invoke(site_command, args).stdout
        assert "Example:" in help_text


def test_site_template_override(state: Settings, tmp_path: Path) -> None:
    templates = tmp_path / "tpl" / "site"
    templates.mkdir(parents=True)
    (templates / "index.html.j2").write_text(
        "<ul>{% for e in entries %}<li>{{ e.post.title }}</li>{% endfor %}</ul>\n", "utf-8")
    index = build_site(state, template_dir=templates.parent)
    assert index.read_text("utf-8").startswith("<ul><li>")
    # the post pages keep the shipped template
    assert "<!DOCTYPE html>" in (index.parent / "posts" / "1.html").read_text("utf-8")


def test_date_shown_is_the_story_date(state: Settings) -> None:
    html = build_site(state).read_text("utf-8")
    dates = [datetime.fromisoformat(d) for d in re.findall(r'datetime="([^"]+)"', html)]
    assert dates == sorted(dates, reverse=True) and all(d.utcoffset() for d in dates)


def test_broken_template_is_one_line(state: Settings, tmp_path: Path) -> None:
    templates = tmp_path / "tpl" / "site"
    templates.mkdir(parents=True)
    (templates / "index.html.j2").write_text("{% for %}\n", "utf-8")
    result = CliRunner().invoke(site_command, ["build", "--out", str(state.out_dir),
                                               "--template", str(templates.parent)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "template error" in lines[0] and "Traceback" not in result.output


def test_template_folder_fingerprint_reads_what_the_loader_reads(state: Settings,
                                                                  tmp_path: Path) -> None:
    """`--template /` once walked the whole disk (found by the CLI fuzzer: a hang, and a
    vanished /proc entry as an internal error): only the folder's own files and its site/ and
    jekyll/ folders count."""
    import os
    import time

    from sokbo.site import _page_inputs

    tpl = tmp_path / "tpl"
    (tpl / "site").mkdir(parents=True)
    (tpl / "other" / "deep").mkdir(parents=True)
    (tpl / "site" / "post.html.j2").write_text("{{ post.title }}\n", "utf-8")
    stray = tpl / "other" / "deep" / "notes.txt"
    stray.write_text("a\n", "utf-8")
    before = _page_inputs(state, tpl)
    stray.write_text("changed, and longer\n", "utf-8")
    assert _page_inputs(state, tpl) == before  # nothing the loader reads
    later = time.time() + 5
    os.utime(tpl / "site" / "post.html.j2", (later, later))
    assert _page_inputs(state, tpl) != before  # a template the loader reads
