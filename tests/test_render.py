"""The rendered Jekyll post, checked part by part against FORMAT.md."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from postparse import Node, parse_post
from test_render_formats import make_post

from sokbo.errors import InputError
from sokbo.frontmatter import FoldedStr, ImageUrl, QuotedStr, QuotedUrl, Url, load_dumped_yaml, load_yaml
from sokbo.frontmatter import _Dumper as PyYamlDumper
from sokbo.render import render_post
from sokbo.render.common import dump_front_matter

RED = "color: #ee2323;"
BLUE = "color: #1a5490;"
HIGHLIGHT = "background-color: #21538527;"
VALID_REL = {"noopener", "nofollow", "noreferrer"}


def _is_spacer(node: Node) -> bool:
    return node.tag == "p" and node.attrs.get("data-ke-size") == "size16" and \
        node.text() == "\u00a0"


def _styled_span(node: Node, style: str) -> Node | None:
    """<b><span style=…>…</span></b> as the first element of node."""
    els = node.elements()
    if not els or els[0].tag != "b":
        return None
    inner = els[0].elements()
    if len(inner) == 1 and inner[0].tag == "span" and inner[0].attrs.get("style") == style:
        return inner[0]
    return None


def check_structure(text: str) -> dict:
    """Assert the FORMAT.md body structure in one of the post shapes (sokbo.shapes); return
    the parts for further checks."""
    from sokbo.shapes import shapes_fitting

    meta, blocks, body = parse_post(text)
    assert list(meta)[:5] == ["title", "categories", "excerpt", "feature_text", "image"]
    i = 0
    img = blocks[i].elements()
    assert blocks[i].tag == "p" and len(img) == 1 and img[0].tag == "img"
    assert img[0].attrs["src"] == meta["image"]
    i += 1
    cards = []
    n_cards = 2 if _styled_span(blocks[i], RED) is not None else 0
    for _ in range(n_cards):
        sub = _styled_span(blocks[i], RED)
        assert sub is not None and sub.text().strip(), f"card subtitle expected at block {i}"
        highlights = [s for s in blocks[i].find_all("span") if s.attrs.get("style") == HIGHLIGHT]
        assert len(highlights) == 1, "each card paragraph has one highlighted phrase"
        paragraph = blocks[i].text()[len(sub.text()) :].strip()
        assert paragraph
        key = _styled_span(blocks[i + 1], BLUE)
        assert key is not None and key.text().strip()
        cards.append({"subtitle": sub.text(), "paragraph": paragraph, "key": key.text(),
                      "highlight": highlights[0].text()})
        i += 2
    assert _is_spacer(blocks[i])
    i += 1
    sections = []
    while i < len(blocks) and blocks[i].elements() and blocks[i].elements()[0].tag == "h2":
        h2 = blocks[i].elements()[0]
        heading = _styled_span(h2, RED)
        assert heading is not None and heading.text().strip()
        paras = [blocks[i].text()[len(h2.text()) :]]
        i += 1
        while i < len(blocks) and not _is_spacer(blocks[i]):
            assert blocks[i].tag == "p" and not blocks[i].find_all("h2")
            paras.append(blocks[i].text())
            i += 1
        assert _is_spacer(blocks[i])
        i += 1
        sections.append({"heading": heading.text(), "paragraphs": paras})
    assert shapes_fitting(n_cards, [len(s["paragraphs"]) for s in sections]), "a post shape"
    sources = blocks[i]
    assert sources.tag == "p" and sources.text().startswith("출처:")
    links = sources.find_all("a")
    assert links
    for a in links:
        assert set(a.attrs["rel"].split()) <= VALID_REL
        assert a.attrs["href"].startswith(("http://", "https://"))
    assert "<script" not in body.lower() and not re.search(r"\son\w+\s*=", body)
    return {"meta": meta, "cards": cards, "sections": sections, "links": links, "body": body}


def test_demo_posts_follow_format(demo_run) -> None:
    settings, report = demo_run
    assert len(report.posts) >= 3
    for result in report.posts:
        text = result.path.read_text("utf-8")
        parts = check_structure(text)
        meta = parts["meta"]
        assert meta["excerpt"] == meta["feature_text"]
        assert len(meta["title"]) <= 30
        assert meta["categories"] == ["News"]
        assert 3 <= len(result.post.excerpt) <= 5
        assert " ".join(meta["excerpt"].split()) == result.post.excerpt_text
        # every outlet named and every article linked
        hrefs = {a.attrs["href"] for a in parts["links"]}
        assert hrefs == {a.url for a in result.articles}
        assert {a.text() for a in parts["links"]} == {a.outlet for a in result.articles}


def test_demo_post_file_names(demo_run) -> None:
    _, report = demo_run
    for result in report.posts:
        name = result.path.name
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}-[0-9A-Za-z가-힣-]+\.html", name), name
        assert len(name.encode()) <= 80 + len("2026-11-21-.html")
        date = result.post.date
        assert name.startswith(f"{date:%Y-%m-%d}")
        assert date.utcoffset().total_seconds() == 9 * 3600


@pytest.mark.parametrize(
    "title",
    ['제목: "따옴표" # 해시', "---", "줄\n바꿈", "이모지 🎉 포함 'single'", "[단독] 대괄호 {중괄호}"],
)
def test_front_matter_round_trips_awkward_titles(title: str) -> None:
    _, text = render_post(make_post(title=title))
    meta, _, _ = parse_post(text)
    assert meta["title"] == " ".join(title.split())  # front matter text is one line


def test_front_matter_uses_folded_excerpt_and_quoted_image() -> None:
    _, text = render_post(make_post())
    assert "\nexcerpt: >\n" in text and "\nfeature_text: >\n" in text
    assert "\nimage: 'https://img.example/banner.png'\n" in text


def test_unsafe_source_url_is_not_linked() -> None:
    _, text = render_post(make_post(url="javascript:alert(1)"))
    assert "javascript:" not in text
    assert "한빛일보" in text.split("출처:")[1]


def test_markup_in_text_is_escaped() -> None:
    post = make_post(title="<script>alert(1)</script>")
    _, text = render_post(post)
    body = text.split("\n---\n", 1)[1]
    assert "<script" not in body
    meta, _, _ = parse_post(text)
    assert meta["title"] == "alert(1)"  # front matter is plain text: the markup is gone


def test_dump_front_matter_is_safe_yaml() -> None:
    text = dump_front_matter({"a": "!!python/object:os.system", "b": ["x"]})
    assert yaml.safe_load(text.strip("-\n")) == {"a": "!!python/object:os.system", "b": ["x"]}


def test_render_path(tmp_path: Path) -> None:
    rel, _ = render_post(make_post())
    assert rel == "_posts/2026-11-21-busan.html"


def _same(a: object, b: object) -> bool:
    """Equal, and of the same types all the way down (1 and True, 1 and 1.0 are not)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


_scalars = st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.booleans(),
                     st.none(), st.sampled_from(["2026-11-21", "2026-13-45 09:00", "yes", "~",
                                                 "0x1F", "1e3", ".inf", "- a", "a: b", "&x *x"]))
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=3)
                       | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=12), _values, max_size=6))
def test_dumped_front_matter_reads_the_same_fast(data: dict) -> None:
    # the linter reads a rendered post's front matter with libyaml: the very value the bounded
    # Python loader reads, or (anything unexpected) the loader's own answer
    fm = dump_front_matter(data)[len("---\n"):-len("---\n")]
    assert _same(load_dumped_yaml(fm), load_yaml(fm))


_front_matter_strings = st.one_of(
    st.text(), st.text(st.characters(codec="utf-8"), min_size=60),
    st.sampled_from(["", " ", "- a", "a: b", "'q'", '"q"', "#x", "a #b", "🎉", "\u2028", "x\ty",
                     "café", "가" * 300, "yes", "null", "1e3", "0x1F", "~", "&x", "*x", "!t"]))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(_front_matter_strings,
                          st.sampled_from([str, FoldedStr, QuotedStr, Url, QuotedUrl, ImageUrl])),
                max_size=6),
       st.lists(_front_matter_strings, max_size=4))
def test_front_matter_dumped_by_libyaml_is_pyyaml_text(fields: list, tags: list) -> None:
    # a rendered post's front matter is dumped by libyaml's emitter, for speed: it must write
    # exactly what PyYAML's own emitter writes (the posts, their hashes and the feeds)
    data = {f"k{i}": kind(text) for i, (text, kind) in enumerate(fields)}
    data["tags"] = tags
    data["sources"] = [{"title": t, "url": Url("https://a.example/" + t)} for t in tags]
    assert dump_front_matter(data) == dump_front_matter(data, dumper=PyYamlDumper)


def test_dumped_front_matter_of_posts_reads_the_same_fast() -> None:
    for title in ['제목: "따옴표" # 해시', "---", "이모지 🎉 포함 'single'", "<b>굵게</b> &amp;"]:
        _, text = render_post(make_post(title=title))
        fm = text.split("---\n")[1]
        assert _same(load_dumped_yaml(fm), load_yaml(fm))


@pytest.mark.parametrize("text", ["a: &x [1]\nb: *x\n", "a: [1\n", "- 1\n- 2\n", "",
                                  "a: " + "[" * 40 + "]" * 40 + "\n"])
def test_fast_front_matter_falls_back_to_the_bounded_loader(text: str) -> None:
    def read(load):
        try:
            return load(text)
        except InputError as e:
            return str(e)
    assert read(load_dumped_yaml) == read(load_yaml)
