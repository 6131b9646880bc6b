"""Markup in article text never reaches front matter, titles or <img src> as markup (issue 11).

Themes print front matter as HTML (Liquid's ``{{ page.title }}`` is unescaped) or Markdown
(Minimal Mistakes' ``page.excerpt | markdownify``), so every front matter string must be plain
text that no HTML parser and no Markdown dialect turns into an element.
"""
from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import html5lib
import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt
from payloads import PAYLOADS, post_with_payload
from test_render_formats import make_post, split_front_matter

from sokbo.cli import cli
from sokbo.frontmatter import dump_front_matter
from sokbo.render import render_post
from sokbo.safetext import plain_text, safe_url, strip_markup

# what must never be seen in any front matter string, once parsed back from YAML
ACTIVE = re.compile(r"<[A-Za-z/!?]|\]\(|\{[:{%#.]|[\x00-\x08\u2028\u2029\u202a-\u202e]")
# what kramdown/CommonMark may make of plain text: paragraphs and emphasis only
INERT_TAGS = {"p", "em", "strong", "code"}


def strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def elements_of_markdown(text: str) -> list[tuple[str, dict]]:
    """Elements a browser builds from ``text | markdownify`` (raw HTML passed through)."""
    html = MarkdownIt("commonmark", {"html": True}).render(text)
    doc = html5lib.HTMLParser(namespaceHTMLElements=False).parse(html, scripting=True)
    return [(el.tag, dict(el.attrib)) for el in doc.iter() if isinstance(el.tag, str)
            and el.tag not in ("html", "head", "body")]


@pytest.mark.parametrize("fmt", ["jekyll", "hugo"])
@pytest.mark.parametrize("payload", PAYLOADS)
def test_front_matter_carries_plain_text_only(fmt: str, payload: str) -> None:
    _, text = render_post(post_with_payload(payload), fmt)
    meta, _ = split_front_matter(text)
    values = strings(meta)
    assert values
    for value in values:
        assert not ACTIVE.search(value), value
        assert "\n" not in value.rstrip("\n")
        tags = elements_of_markdown(value)
        assert {t for t, _ in tags} <= INERT_TAGS, (value, tags)
        assert not any(attrs for _, attrs in tags), (value, tags)


def test_the_reported_excerpt_keeps_its_words() -> None:
    # issue 11, item 1: the excerpt sentence loses the markup, not its words
    payload = PAYLOADS[0]
    _, text = render_post(post_with_payload(payload), "jekyll")
    meta, _ = split_front_matter(text)
    assert meta["excerpt"].startswith("부록 표에는 라는 표기가 붙어 있었습니다.")
    assert meta["excerpt"] == meta["feature_text"]
    hugo = split_front_matter(render_post(post_with_payload(payload), "hugo")[1])[0]
    assert hugo["summary"].startswith("부록 표에는 라는 표기가") and "<" not in hugo["description"]


def test_text_that_only_looks_like_markup_is_kept() -> None:
    for text in ["영화 <기생충> 흥행", "물가 3<5 비교", "[단독] 대괄호", "범위 10~20%",
                 "A&B 합병", "'따옴표' \"인용\""]:
        assert plain_text(text) == text
        assert strip_markup(text) == text


def test_dump_front_matter_neutralises_any_key() -> None:
    text = dump_front_matter({"whatever": {"nested": ["<img src=x onerror=alert(1)>본문"]},
                              "<b>key</b>": "값"})
    assert "<" not in text and "onerror" not in text.replace("onerror=alert(1)", "")


def test_title_compression_drops_markup_runs() -> None:
    # issue 11, item 1: the title became "ICT 수출 8개월 연속 증가 img src=x"
    from sokbo.korean.headline import compress_headline

    title = compress_headline("ICT 수출 8개월 연속 증가 <img src=x onerror=alert(1)>", 30)
    assert title == "ICT 수출 8개월 연속 증가"


# -- URLs: post.image and source links --------------------------------------------------------


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JaVa\tScRiPt:alert(1)", "data:text/html,x",
                                 "vbscript:x", "//evil.example/x", "http://[::1", ""])
def test_unsafe_url_is_refused(url: str) -> None:
    assert safe_url(url) is None


def test_safe_url_cannot_end_an_attribute() -> None:
    url = safe_url('https://a.example/x" onmouseover="alert(1)')
    assert url is not None and '"' not in url and " " not in url


@pytest.mark.parametrize("fmt", ["jekyll", "hugo", "markdown"])
def test_post_image_javascript_never_reaches_img_src(fmt: str) -> None:
    # issue 11, item 10: a configured javascript: image reached the Jekyll <img src>
    post = replace(make_post(), image="javascript:alert(1)")
    _, text = render_post(post, fmt)
    assert "javascript" not in text.lower()


def test_config_refuses_a_javascript_image(tmp_path: Path) -> None:
    config = tmp_path / "sokbo.toml"
    config.write_text('[post]\nimage = "javascript:alert(1)"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["run", "--config", str(config), "--out",
                                      str(tmp_path / "out")])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "post.image must be an http(s) URL" in lines[0]
    assert not (tmp_path / "out").exists()


# -- end to end: `sokbo post` on an article carrying the payload ------------------------------

ARTICLE = {
    "title": "ICT 수출 8개월 연속 증가 <img src=x onerror=alert(1)>",
    "text": (
        "부록 표에는 <img src=x onerror=alert(1)>라는 표기가 붙어 있었다. "
        "가상과학부는 지난달 정보통신기술 수출액이 190억 달러로 집계됐다고 3일 밝혔다. "
        "이는 지난해 같은 달보다 12.5% 늘어난 수치로 8개월 연속 증가세를 이어갔다. "
        "반도체 수출은 110억 달러로 가장 큰 비중을 차지했다. "
        "디스플레이 수출도 20억 달러로 4.1% 증가했다. "
        "휴대폰 수출은 10억 달러로 소폭 줄었다. "
        "가상과학부 관계자는 하반기에도 증가세가 이어질 것으로 본다고 말했다. "
        "컴퓨터와 주변기기 수출은 12억 달러를 기록했다. "
        "중국과 홍콩으로의 수출이 가장 많았고 베트남과 미국이 뒤를 이었다. "
        "수입은 110억 달러로 무역수지는 80억 달러 흑자를 냈다. "
        "정부는 수출 지원 대책을 이달 안에 발표할 계획이다."
    ),
    "url": "https://news.example/ict-1",
    "outlet": "가상일보 <b onmouseover=alert(9)>",
    "published": "2024-07-03T09:00:00+09:00",
}


@pytest.mark.parametrize("fmt", ["jekyll", "hugo"])
def test_sokbo_post_front_matter_is_plain(tmp_path: Path, fmt: str) -> None:
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps(ARTICLE, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["post", str(src), "--out", str(out), "--format", fmt])
    assert result.exit_code == 0, result.output
    (path,) = out.glob("_posts/*.html" if fmt == "jekyll" else "content/posts/*.md")
    meta, _ = split_front_matter(path.read_text(encoding="utf-8"))
    assert meta["title"] == "ICT 수출 8개월 연속 증가"
    for value in strings(meta):
        assert not ACTIVE.search(value), value


def test_headings_take_no_words_from_markup() -> None:
    # a card subtitle read "alert p" when a sentence quoted a Markdown link
    from sokbo.korean.headline import noun_phrases

    phrases = " ".join(noun_phrases(
        "시는 안내문에 [자세히 보기](javascript:alert('p-md-link'))라는 문구와 "
        "<img src=x onerror=alert(1)> 표기를 넣었습니다."))
    assert not {"javascript", "alert", "img", "src", "onerror", "p"} & set(phrases.split())
    assert "안내문" in phrases
