"""The Hugo and Markdown renderers, escaping for Markdown, and user template overrides."""
from __future__ import annotations

import re
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

from sokbo.models import Card, Post, PostSentence, Section, SourceRef
from sokbo.render import RenderOptions, get_renderer, render_post
from sokbo.render.markdown import escape_markdown, md_strong

# sentences that would be markup if pasted into Markdown unescaped
NASTY = [
    "[클릭](https://evil.example/a) 하세요",
    "<script>alert(1)</script> 태그입니다",
    "**굵게** _기울임_ `코드` 입니다",
    "# 제목처럼 시작합니다",
    "1. 목록처럼 시작합니다",
    "2) 괄호 목록입니다",
    "- 대시로 시작합니다",
    "+ 더하기로 시작합니다",
    "> 인용처럼 시작합니다",
    "10~20% 늘었고 ~~취소선~~ 입니다",
    "&lt;b&gt; 엔티티 &amp; &#106; 입니다",
    "| 표 | 처럼 | 보입니다 |",
    "역슬래시 \\ 와 끝 역슬래시\\",
    "![이미지](https://evil.example/x.png) 입니다",
    "=== 밑줄입니다",
    "    들여쓴 코드 블록입니다",
    "*** 구분선입니다",
    "<!--more--> 요약 구분입니다",
    "머리 속성 {#id .class} 입니다",
    "주소 www.evil.example 과 https://evil.example/b 입니다",
    "메일 someone@evil.example 입니다",
    "단축 코드 {{< figure src=x >}} 와 {{% y %}} 입니다",
    "<img src=x onerror=alert(1)> 입니다",
]


class _Html(HTMLParser):
    """Text and the tags used, of rendered Markdown."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href") or "")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def to_html(markdown: str) -> _Html:
    # CommonMark plus the GFM extensions Hugo's goldmark enables (tables, strikethrough)
    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)
    parser = _Html()
    parser.feed(html)
    return parser


def split_front_matter(text: str) -> tuple[dict, str]:
    assert text.startswith("---\n")
    end = text.index("\n---\n", 4)
    return yaml.safe_load(text[4:end]), text[end + 5 :]


def make_post(title: str = "부산시 해상풍력 1조 투자", sentence: str | None = None,
              url: str = "https://a.example/1", highlight: str = "부산시") -> Post:
    def s(text: str, i: int) -> PostSentence:
        return PostSentence(text=text, source_id="a1", index=i)

    sents = [s(f"부산시가 {n}번째 계획을 발표했습니다.", n) for n in range(12)]
    if sentence is not None:
        sents[6] = s(sentence, 6)
    return Post(
        story_id="s1",
        title=title,
        slug="busan",
        date=datetime.fromisoformat("2026-11-21T10:15:00+09:00"),
        excerpt=tuple(sents[:3]),
        cards=(
            Card("부산시 계획", tuple(sents[:2]), highlight, sents[3]),
            Card("해상풍력", tuple(sents[2:3]), "계획", sents[4]),
        ),
        sections=(
            Section("첫 단계", ((sents[5],), (sents[6], sents[7]))),
            Section("다음 단계", ((sents[8],), (sents[9],))),
        ),
        sources=(
            SourceRef("a1", "한빛일보", "부산 \"해상풍력\" [단독]", url, None),
            SourceRef("a2", "동해뉴스", "기장 앞바다", "https://b.example/2?x=1&y=(2)",
                      datetime.fromisoformat("2026-11-21T09:00:00+09:00")),
        ),
        tags=("경제",),
        image="https://img.example/banner.png",
        image_alt="info 속보",
    )


# --- registry and paths ---------------------------------------------------------------------

@pytest.mark.parametrize(
    ("fmt", "path"),
    [
        ("jekyll", "_posts/2026-11-21-busan.html"),
        ("hugo", "content/posts/2026-11-21-busan.md"),
        ("markdown", "posts/2026-11-21-busan.md"),
    ],
)
def test_each_format_has_its_path(fmt: str, path: str) -> None:
    rel, text = render_post(make_post(), fmt)
    assert rel == path
    assert text.endswith("\n") and "\r" not in text


# --- Hugo -----------------------------------------------------------------------------------

def test_hugo_front_matter() -> None:
    post = make_post()
    _, text = render_post(post, "hugo")
    meta, _ = split_front_matter(text)
    assert list(meta) == ["title", "date", "categories", "tags", "summary", "description",
                          "image", "sources"]
    assert meta["title"] == post.title
    assert datetime.fromisoformat(meta["date"]) == post.date
    assert meta["categories"] == ["News"] and meta["tags"] == ["경제"]
    assert meta["summary"].strip() == post.excerpt_text == meta["description"].strip()
    assert meta["image"] == "https://img.example/banner.png"
    assert [s["url"] for s in meta["sources"]] == ["https://a.example/1",
                                                    "https://b.example/2?x=1&y=(2)"]
    assert meta["sources"][1]["published"] == "2026-11-21T09:00:00+09:00"


AWKWARD_TITLES = ['제목: "따옴표" # 해시', "---", "줄\n바꿈", "이모지 🎉 포함 'single'",
                  "[단독] 대괄호 {중괄호}", "- 대시로 시작", "key: value", "@골뱅이 %퍼센트"]


@pytest.mark.parametrize("fmt", ["hugo", "jekyll"])
@pytest.mark.parametrize("title", AWKWARD_TITLES)
def test_awkward_titles_round_trip_through_front_matter(fmt: str, title: str) -> None:
    _, text = render_post(make_post(title=title), fmt)
    meta, _ = split_front_matter(text)
    assert meta["title"] == " ".join(title.split())  # front matter text is one line


def test_hugo_body_is_markdown_with_the_same_parts() -> None:
    post = make_post()
    _, text = render_post(post, "hugo")
    _, body = split_front_matter(text)
    assert "<" not in body, "no raw HTML: Hugo's goldmark would drop it by default"
    html = to_html(body)
    assert "p" in html.tags and "h2" in html.tags and "img" in html.tags
    assert "h1" not in html.tags, "the theme prints the title from the front matter"
    assert re.findall(r"^## (.+)$", body, re.M) == ["첫 단계", "다음 단계", "출처"]
    rendered = "".join(html.text)
    for sentence in post.all_sentences():
        if sentence.role != "excerpt":
            assert sentence.text in rendered
    assert html.hrefs == ["https://a.example/1", "https://b.example/2?x=1&y=%282%29"]
    # the card's key phrase is emphasised, as the Jekyll body highlights it
    assert "**부산시**가" in body


def test_markdown_newsletter() -> None:
    post = make_post()
    path, text = render_post(post, "markdown")
    assert not text.startswith("---"), "no front matter in a newsletter"
    assert text.startswith(f"# {post.title}\n")
    assert "<" not in text
    html = to_html(text)
    assert html.tags.count("h1") == 1
    rendered = "".join(html.text)
    assert post.excerpt_text in rendered
    assert "2026-11-21" in rendered and "한빛일보, 동해뉴스" in rendered
    assert re.findall(r"^## (.+)$", text, re.M) == ["첫 단계", "다음 단계", "출처"]
    # sources: a list of links, each with the article title
    items = re.findall(r"^- (.+)$", text, re.M)
    assert len(items) == 2 and items[0].startswith("[한빛일보](https://a.example/1)")
    assert '부산 "해상풍력" \\[단독\\]' in items[0]
    assert html.hrefs == ["https://a.example/1", "https://b.example/2?x=1&y=%282%29"]


@pytest.mark.parametrize("fmt", ["hugo", "markdown"])
@pytest.mark.parametrize("sentence", NASTY)
def test_a_sentence_cannot_inject_markup(fmt: str, sentence: str) -> None:
    _, text = render_post(make_post(sentence=sentence), fmt)
    body = split_front_matter(text)[1] if fmt == "hugo" else text
    html = to_html(body)
    assert set(html.tags) <= {"h1", "h2", "p", "strong", "img", "ul", "li", "a"}
    assert html.hrefs == ["https://a.example/1", "https://b.example/2?x=1&y=%282%29"]
    assert html.tags.count("img") == 1
    rendered = "".join(html.text)
    assert " ".join(sentence.split()) in rendered
    # nothing a Hugo or goldmark extension would act on survives unescaped
    assert not re.search(r"\{\{|https?://evil|www\.|(?<!\\)@", body)


@pytest.mark.parametrize("title", ["[링크](https://evil.example)", "<b>굵게</b>", "# 해시"])
def test_markdown_title_is_escaped(title: str) -> None:
    _, text = render_post(make_post(title=title), "markdown")
    html = to_html(text)
    assert html.tags.count("h1") == 1 and "b" not in html.tags
    assert html.hrefs == ["https://a.example/1", "https://b.example/2?x=1&y=%282%29"]
    assert title in "".join(html.text)


@pytest.mark.parametrize("fmt", ["hugo", "markdown"])
def test_unsafe_source_url_is_not_linked(fmt: str) -> None:
    _, text = render_post(make_post(url="javascript:alert(1)"), fmt)
    assert "javascript" not in text
    assert "한빛일보" in text.split("출처")[-1]
    assert to_html(text).hrefs == ["https://b.example/2?x=1&y=%282%29"]


@pytest.mark.parametrize(
    ("before", "phrase", "after", "strong"),
    [
        ("앞 ", "역대 최대", "를 기록했습니다.", True),
        ("앞 ", "'역대 최대'", "를 기록했습니다.", False),  # would leave stray ** on the page
        ("", "“인용”", " 뒤", True),
        ("정부가 ", "[단독]", " 보도", True),
        ("", "", "구절 없음", False),
    ],
)
def test_highlight_never_leaves_stray_asterisks(before: str, phrase: str, after: str,
                                                strong: bool) -> None:
    html = to_html(md_strong(before, phrase, after))
    assert "".join(html.text).strip() == (before + phrase + after).strip()
    assert ("strong" in html.tags) is strong


def test_escape_markdown_round_trips_every_ascii_punctuation() -> None:
    text = "".join(chr(c) for c in range(0x21, 0x7F) if not chr(c).isalnum())
    for s in (text, text[::-1], "가" + text + "나"):
        html = to_html(escape_markdown(s))
        assert html.tags == ["p"] and "".join(html.text).strip() == s


# --- user templates -------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("fmt", "name", "template"),
    [
        ("markdown", "markdown/post.md.j2", "## {{ post.title }}\n\n{{ excerpt }}\n"),
        ("hugo", "hugo/post.md.j2", "커스텀 {{ post.title }}\n"),
        ("jekyll", "jekyll/post.html.j2", "<p>커스텀 {{ post.title }}</p>\n"),
    ],
)
def test_template_dir_overrides_by_name(tmp_path: Path, fmt: str, name: str,
                                        template: str) -> None:
    (tmp_path / name).parent.mkdir(parents=True)
    (tmp_path / name).write_text(template, "utf-8")
    post = make_post(title="제목 <b>[링크](https://evil.example)</b>")
    _, text = render_post(post, fmt, RenderOptions(template_dir=tmp_path))
    body = split_front_matter(text)[1] if text.startswith("---") else text
    assert "커스텀" in body or body.startswith("## ")
    # a user template is escaped for its format like the shipped one
    assert "<b>" not in body
    if fmt != "jekyll":
        assert "](https://evil" not in body and to_html(body).hrefs == []
    # other formats keep using the shipped templates
    other = "markdown" if fmt != "markdown" else "hugo"
    _, shipped = render_post(post, other, RenderOptions(template_dir=tmp_path))
    assert "커스텀" not in shipped and "## 출처" in shipped


def test_get_renderer_unknown_format() -> None:
    from sokbo.errors import RenderError

    with pytest.raises(RenderError, match="hugo, jekyll, markdown"):
        get_renderer("wordpress")


def test_configurable_formats_are_the_registered_renderers() -> None:
    from sokbo.config import FORMATS
    from sokbo.render import renderer_names

    assert sorted(FORMATS) == renderer_names()
