"""Fuzzing rendered fields: a Post whose every text field is hostile goes through every
renderer and is read back as a theme and a browser would; nothing may be active.

A crash here is an exception from a renderer, or a violated invariant (an AssertionError):
- the path stays inside the format's posts folder;
- front matter parses back with the bounded loader, and every string in it is plain text;
- the Jekyll body, read as a browser builds it, has no active element, handler or URL, and
  ``sokbo lint``'s safety rules find nothing in the whole file;
- the Hugo and Markdown bodies, rendered by a CommonMark parser with raw HTML allowed (what
  goldmark does with ``unsafe = true``) and read as a browser builds them, neither.
"""
from __future__ import annotations

import re
from dataclasses import replace
from types import SimpleNamespace

from hypothesis import strategies as st

from fuzz.harness import HOSTILE, EntryPoint
from fuzz.seeds import SENTENCES
from fuzz.test_fuzz_lint import PAYLOADS

# about 0.2 s an input (three renderers, each read back by a Markdown and an HTML5 parser)
rendered = EntryPoint("rendered fields", fuzz_examples=2_500)

MARKDOWN_PAYLOADS = (
    "[눌러](javascript:alert(1))", "![x](javascript:alert(1))", "*x*{: onmouseover=alert(1)}",
    "<https://evil.example>", "{{ site.data }}", "{% raw %}", "{{< shortcode >}}", "# 제목",
    "- 목록", "1. 번호", "> 인용", "```", "~~~", "| a | b |", "[a]: javascript:alert(1)",
    "www.evil.example", "a@evil.example", "\\", "&lt;img src=x onerror=alert(1)&gt;", "&#60;",
)
ACTIVE_TEXT = re.compile(r"<[A-Za-z/!?]|\]\(|\{[:{%#.]|[\x00-\x08\u2028\u2029\u202a-\u202e]")
SAFE_SCHEMES = ("http:", "https:")
INERT_MARKDOWN_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "ul", "ol",
                       "li", "a", "img", "code", "pre", "blockquote", "hr", "br", "table",
                       "thead", "tbody", "tr", "th", "td", "s", "del"}

piece = st.one_of(st.sampled_from(PAYLOADS), st.sampled_from(MARKDOWN_PAYLOADS),
                  st.sampled_from(HOSTILE), st.sampled_from(SENTENCES), st.text(max_size=25))
field_text = st.lists(piece, min_size=1, max_size=4).map(" ".join)
url = st.one_of(st.sampled_from((
    "https://news.example/a/1", "javascript:alert(1)", " JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>", "http://[::1", "https://a.example/x\" onx=1",
    "https://a.example/(1)<b>", "//evil.example", "", "http://", "vbscript:x",
)), st.text(max_size=30))


@st.composite
def posts(draw: st.DrawFn):
    from test_render_formats import make_post

    from sokbo.models import Card, PostSentence, Section, SourceRef
    from sokbo.write.slug import make_slug

    def sentence(i: int) -> PostSentence:
        return PostSentence(draw(field_text), "a1", i)

    post = make_post()
    title = draw(field_text)
    cards = tuple(
        Card(draw(field_text), (sentence(2 * i), sentence(2 * i + 1)),
             draw(st.one_of(st.just(""), field_text, st.sampled_from(SENTENCES))),
             sentence(10 + i))
        for i in range(2)
    )
    sections = tuple(
        Section(draw(field_text), ((sentence(20 + i),), (sentence(30 + i), sentence(40 + i))))
        for i in range(draw(st.integers(1, 3)))
    )
    sources = tuple(
        SourceRef(f"a{i}", draw(field_text), draw(field_text), draw(url), None)
        for i in range(draw(st.integers(1, 3)))
    )
    return replace(
        post, title=title, slug=make_slug(title, "s1"),
        excerpt=tuple(sentence(50 + i) for i in range(draw(st.integers(1, 4)))),
        cards=cards, sections=sections, sources=sources,
        tags=tuple(draw(st.lists(field_text, max_size=2))),
        categories=tuple(draw(st.lists(field_text, min_size=1, max_size=2))),
        image=draw(url), image_alt=draw(field_text),
    )


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (str(k), *_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _check_front_matter(text: str) -> str:
    """Front matter parses back and is plain text; returns the body."""
    from sokbo.errors import InputError
    from sokbo.frontmatter import load_yaml

    assert text.startswith("---\n"), "front matter expected"
    end = text.index("\n---\n", 3)
    try:
        meta = load_yaml(text[4:end])
    except InputError as e:  # our own output must load: not a rejection, a crash
        raise AssertionError(f"front matter does not parse back: {e}") from e
    assert isinstance(meta, dict)
    for value in _strings(meta):
        assert not ACTIVE_TEXT.search(value), f"markup in front matter: {value!r}"
    return text[end + 5:]


def _check_elements(elements, allowed: set[str] | None = None) -> None:
    from sokbo.lint.safety import URL_ATTRS, unsafe_url

    for el in elements:
        assert allowed is None or el.tag in allowed, f"<{el.tag}> in the output"
        for name, value in el.attrs:
            assert not name.startswith("on"), f"{name}= on <{el.tag}>"
            if name in URL_ATTRS and value:
                assert not unsafe_url(value), f"{name}={value!r} on <{el.tag}>"
                # a link is http(s); an image may also be a path from the site root (a
                # title card's /assets/cards/…, safetext.safe_src), never "//host"
                site_path = el.tag == "img" and value.startswith("/") \
                    and not value.startswith("//")
                if el.tag in ("a", "img") and not site_path:
                    assert value.startswith(SAFE_SCHEMES), f"{name}={value!r} on <{el.tag}>"


def _check(post) -> None:
    from markdown_it import MarkdownIt

    from sokbo.lint.browser import browser_view
    from sokbo.lint.parse import parse_post
    from sokbo.lint.rules import RULES
    from sokbo.render import get_renderer, render_post, renderer_names

    for fmt in renderer_names():
        path, text = render_post(post, fmt)
        posts_dir = get_renderer(fmt).posts_dir
        name = path[len(posts_dir) + 1:]
        assert path.startswith(posts_dir + "/") and "/" not in name and ".." not in name, path
        if fmt == "jekyll":
            _check_front_matter(text)
            parsed = parse_post(text)
            for code in ("SB402", "SB403", "SB404", "SB406", "SB407"):
                hits = list(RULES[code].check(SimpleNamespace(post=parsed)))
                assert not hits, f"{code}: {hits[0]}"
            _check_elements(parsed.elements, {"p", "img", "b", "span", "h2", "a"})
        else:
            body = _check_front_matter(text) if fmt == "hugo" else text
            html = MarkdownIt("commonmark", {"html": True}).enable(
                ["table", "strikethrough"]).render(body)
            view = browser_view(html)
            assert not view.too_complex
            _check_elements(view.elements, INERT_MARKDOWN_TAGS)


def test_fuzz_rendered_fields() -> None:
    rendered.fuzz(posts(), target=_check)
