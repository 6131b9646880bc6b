"""HTML normalised before lxml: control characters out, nesting under libxml2's depth limit."""
from __future__ import annotations

import glob

import lxml.html
import pytest
from conftest import shared_dir

from sokbo.fetch import decode_html
from sokbo.markup import HARD_DEPTH, SOFT_DEPTH, flatten_nesting, normalize_html


def _depth(html: str) -> int:
    tree = lxml.html.fromstring(html)
    return max(sum(1 for _ in el.iterancestors()) for el in tree.iter())


BODY = '<div itemprop="articleBody"><p>첫 문장이다.</p><p>둘째 문장이다.</p></div>'


@pytest.mark.parametrize("opener", ["<font>" * 250, "<div>" * 3000, "<b><i>" * 400])
def test_repeated_nesting_is_flattened_keeping_the_structure_below(opener: str) -> None:
    html = f"<html><body>{opener}{BODY}</body></html>"
    flat = flatten_nesting(html)
    assert _depth(flat) <= SOFT_DEPTH + 5
    tree = lxml.html.fromstring(flat)
    assert [p.text for p in tree.iter("p")] == ["첫 문장이다.", "둘째 문장이다."]


@pytest.mark.parametrize("opener", ["<table><tr><td>" * 300,
                                    "".join(f"<div id=d{i}>" for i in range(1000))])
def test_distinct_nesting_is_cut_at_the_hard_limit_keeping_the_text(opener: str) -> None:
    html = f"<html><body>{opener}{BODY}</body></html>"
    flat = flatten_nesting(html)
    assert _depth(flat) <= HARD_DEPTH + 3
    text = lxml.html.fromstring(flat).text_content()
    assert "첫 문장이다." in text and "둘째 문장이다." in text


def test_repeated_formatting_keeps_the_declared_body_element() -> None:
    flat = flatten_nesting(f"<html><body>{'<font>' * 250}{BODY}</body></html>")
    assert lxml.html.fromstring(flat).xpath('//*[@itemprop="articleBody"]')
    assert _depth(flat) <= SOFT_DEPTH + 5


def test_shallow_pages_are_left_alone() -> None:
    html = "<html><body>" + "<div><p>글</p></div>" * 500 + "</body></html>"
    assert flatten_nesting(html) is html


def test_tags_inside_scripts_and_comments_are_not_counted() -> None:
    html = ("<html><body><script>var s = '" + "<div>" * 300 + "';</script><!--" +
            "<div>" * 300 + "-->" + BODY + "</body></html>")
    assert flatten_nesting(html) is html


def test_control_characters_and_surrogates_are_removed() -> None:
    assert normalize_html("<p>가\x00나\x01다\x0b\ud800라\t\n</p>") == "<p>가나다라\t\n</p>"


def test_real_pages_are_unchanged() -> None:
    pages = sorted(glob.glob(str(shared_dir() / "data" / "html" / "*.html")))
    if not pages:
        pytest.skip("shared data not available")
    for path in pages:
        html = decode_html(open(path, "rb").read())
        assert flatten_nesting(html) is html, path
