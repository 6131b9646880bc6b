"""Real-shaped inputs for the fuzzers: fictional fixtures to mutate, and generated structure.

Every text here is fictional (the demo corpus and tests/data are written for sokbo).
"""
from __future__ import annotations

import json
from pathlib import Path

from hypothesis import strategies as st

from sokbo.ingest import demo_feed

TESTS = Path(__file__).resolve().parent.parent
DATA = TESTS / "data"
DEMO = demo_feed().parent


def _read(paths: list[Path]) -> list[str]:
    from sokbo.fetch import decode_html

    return [decode_html(p.read_bytes()) for p in sorted(paths)]


PAGES = _read([*DEMO.glob("*.html"), *(DATA / "html").glob("*.html"),
               *(DATA / "feeds").glob("*.html")])
FEEDS = _read([DEMO / "feed.xml", *(DATA / "feeds").glob("*.xml")])
JSONL = (DATA / "inputs" / "articles.jsonl").read_text("utf-8")
TEXTS = [(DATA / "inputs" / "article.txt").read_text("utf-8")]
CONFIG = """\
[output]
dir = "blog"
format = "hugo"
timezone = "Asia/Seoul"

[post]
categories = ["뉴스", "경제"]
image = "https://blog.example/banner.png"
image_alt = "속보 배너"
title_max_chars = 28
excerpt_sentences = 3
cta_text = "구독하기"
cta_url = "https://blog.example/subscribe"

[cluster]
threshold = 0.12
window_hours = 48

[http]
user_agent = "sokbo/0.1 (+https://blog.example/about)"
timeout = 5.0
retries = 1
max_bytes = 5_000_000
politeness_seconds = 0.5

[[feeds]]
url = "https://news.example/rss.xml"
outlet = "예시일보"
category = "정치"
"""

# Sentences for generated articles (fictional).
SENTENCES = (
    "시는 24일 새 버스 노선을 다음 달부터 운행한다고 밝혔다.",
    "요금은 일반 시내버스와 같은 1,500원이다.",
    "주민들은 배차 간격이 줄어 출퇴근이 편해질 것이라며 반겼다.",
    "교육청은 내년까지 학교 스무 곳에 같은 시설을 만들 계획이다.",
    "기상청은 오후부터 바람이 초속 20m까지 강해질 것으로 내다봤다.",
    "\"안전이 최우선\"이라고 시장은 말했다.",
    "수출은 8개월 연속 증가했다.",
)
WORDS = ("속보", "경제", "정치", "사회", "기자", "뉴스", "입력", "수정", "사진", "ⓒ", "▶")
TAGS = ("div", "p", "span", "article", "section", "font", "b", "i", "a", "img", "table", "tr",
        "td", "ul", "li", "br", "h1", "h2", "noscript", "script", "style", "iframe", "figure",
        "figcaption", "textarea", "svg", "template", "aside", "nav", "form", "xmp")
ATTRS = (
    ("itemprop", "articleBody"), ("id", "dic_area"), ("id", "article-view-content-div"),
    ("id", "cont_newstext"), ("class", "article_body"), ("class", "photo caption"),
    ("class", "reporter"), ("hidden", ""), ("style", "display:none"), ("aria-hidden", "true"),
    ("href", "https://news.example/a"), ("href", "http://[::1"), ("src", "x"),
    ("onerror", "alert(1)"), ("rel", "canonical"),
)

text_piece = st.one_of(st.sampled_from(SENTENCES), st.sampled_from(WORDS),
                       st.text(max_size=12))


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    @st.composite
    def build(draw: st.DrawFn) -> str:
        tag = draw(st.sampled_from(TAGS))
        attrs = draw(st.lists(st.sampled_from(ATTRS), max_size=3))
        attr_text = "".join(f' {k}="{v}"' for k, v in attrs)
        inner = "".join(draw(st.lists(children, max_size=4)))
        close = draw(st.sampled_from((f"</{tag}>", f"</{tag}>", "")))
        return f"<{tag}{attr_text}>{inner}{close}"

    return build()


html_fragment = st.recursive(text_piece, _element, max_leaves=25)


@st.composite
def generated_pages(draw: st.DrawFn) -> str:
    """An HTML page built from elements, article sentences and metadata, all drawn."""
    title = draw(st.one_of(st.sampled_from(SENTENCES), st.text(max_size=30)))
    metas = draw(st.lists(st.sampled_from((
        f'<meta property="og:title" content="{title}">',
        '<meta property="og:site_name" content="예시일보">',
        '<meta property="article:published_time" content="2026-11-24T10:00:00+09:00">',
        '<meta property="article:published_time" content="2024-13-45">',
        '<meta property="og:url" content="https://news.example]/a">',
        '<meta property="og:image" content="javascript:alert(1)">',
        '<link rel="canonical" href="https://news.example]/a">',
        '<link rel="canonical" href="https://news.example/a/1">',
        '<script type="application/ld+json">{"datePublished": "2026-11-24"}</script>',
        '<script type="application/ld+json">[{"datePublished": 5}]</script>',
        '<script>Fusion.globalContent={"content_elements":[{"type":"text","content":"x다."}]};'
        "</script>",
    )), max_size=4))
    depth = draw(st.sampled_from((0, 0, 0, 10, 260, 600)))
    opener = draw(st.sampled_from(("<font>", "<div>", "<b>", "<span>")))
    body = "".join(draw(st.lists(html_fragment, max_size=6)))
    article = "".join(f"<p>{s}</p>" for s in draw(st.lists(st.sampled_from(SENTENCES),
                                                            max_size=6)))
    wrapper = draw(st.sampled_from(('<div itemprop="articleBody">{}</div>',
                                    '<div id="dic_area">{}</div>',
                                    '<article>{}</article>', "{}")))
    return (f"<!DOCTYPE html><html><head><title>{title}</title>{''.join(metas)}</head>"
            f"<body>{opener * depth}<h1>{title}</h1>{wrapper.format(article)}{body}"
            "</body></html>")


@st.composite
def generated_feeds(draw: st.DrawFn) -> str:
    """RSS 2.0 or Atom with drawn items: good, bad and hostile links, dates and titles."""
    link = st.one_of(
        st.sampled_from(("https://news.example/a/1", "https://news.example/a/2",
                         "http://[::1", "https://news.example]/a", "javascript:alert(1)",
                         "file:///etc/passwd", "relative.html", "", " ", "//news.example/x",
                         "http://", "https://news.example/%ZZ", "http://news.example:99999/",
                         "https://한국.example/기사")),
        st.text(max_size=20))
    date = st.one_of(st.sampled_from((
        "Tue, 24 Nov 2026 11:00:00 +0900", "2026-11-24T10:00:00+09:00", "2024-13-45",
        "Mon, 99 Foo 2026 99:99:99 +9999", "", "2026-11-24 10:00", "0")), st.text(max_size=15))
    text = st.one_of(st.sampled_from(SENTENCES), st.text(max_size=20),
                     st.sampled_from(("<script>alert(1)</script>", "<![CDATA[x]]>", "&amp;",
                                      "&bogus;", "<b>굵게</b>")))
    atom = draw(st.booleans())
    items = []
    for _ in range(draw(st.integers(0, 5))):
        t, u, d = draw(text), draw(link), draw(date)
        extra = "".join(draw(st.lists(st.sampled_from((
            "<category>정치</category>", "<category/>", "<source>예시일보</source>",
            '<source url="http://[::1">x</source>', "<guid>1</guid>", "<item<category>",
            "<description><![CDATA[<p>본문</p>]]></description>")), max_size=3)))
        if atom:
            items.append(f'<entry><title>{t}</title><link href="{u}"/><updated>{d}</updated>'
                         f"{extra}</entry>")
        else:
            items.append(f"<item><title>{t}</title><link>{u}</link><pubDate>{d}</pubDate>"
                         f"{extra}</item>")
    decl = draw(st.sampled_from(('<?xml version="1.0" encoding="UTF-8"?>',
                                 '<?xml version="1.0" encoding="euc-kr"?>', "", "\ufeff")))
    if atom:
        return (f'{decl}<feed xmlns="http://www.w3.org/2005/Atom"><title>{draw(text)}</title>'
                f"{''.join(items)}</feed>")
    return (f'{decl}<rss version="2.0"><channel><title>{draw(text)}</title>'
            f"{''.join(items)}</channel></rss>")


json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
              st.text(max_size=20), st.sampled_from(SENTENCES)),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=8,
)


@st.composite
def generated_jsonl(draw: st.DrawFn) -> str:
    """JSONL lines: good records, records with wrong types, broken JSON, blank lines."""
    lines = []
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(("good", "typed", "broken", "blank", "value")))
        record = {"title": draw(st.sampled_from(SENTENCES)),
                  "text": " ".join(draw(st.lists(st.sampled_from(SENTENCES), min_size=3,
                                                 max_size=6))),
                  "url": "https://news.example/a/1", "outlet": "예시일보",
                  "published": "2026-11-24T10:00:00+09:00"}
        if kind == "typed":
            key = draw(st.sampled_from(sorted(record)))
            record[key] = draw(json_value)
        if kind == "blank":
            lines.append(draw(st.sampled_from(("", " ", "\t"))))
        elif kind == "broken":
            lines.append(json.dumps(record, ensure_ascii=False)[: draw(st.integers(0, 40))])
        elif kind == "value":
            lines.append(json.dumps(draw(json_value)))
        else:
            lines.append(json.dumps(record, ensure_ascii=draw(st.booleans())))
    return "\n".join(lines)


toml_scalar = st.one_of(
    st.integers(-10**20, 10**20).map(str), st.floats().map(
        lambda f: "inf" if f == float("inf") else "-inf" if f == float("-inf")
        else "nan" if f != f else repr(f)),
    st.text(max_size=15).map(json.dumps), st.booleans().map(lambda b: str(b).lower()),
    st.sampled_from(('"비밀 에이전트 🕵"', '"\\u0000"', "[]", '["a", 1]', "{}",
                     "1979-05-27T07:32:00Z", '"javascript:alert(1)"', '"../../etc"')),
)
CONFIG_KEYS = (
    ("output", "dir"), ("output", "format"), ("output", "timezone"), ("output", "template_dir"),
    ("post", "categories"), ("post", "image"), ("post", "image_alt"),
    ("post", "title_max_chars"), ("post", "excerpt_sentences"), ("post", "cta_text"),
    ("post", "cta_url"), ("cluster", "threshold"), ("cluster", "window_hours"),
    ("http", "user_agent"), ("http", "timeout"), ("http", "retries"), ("http", "max_bytes"),
    ("http", "politeness_seconds"),
)


@st.composite
def generated_configs(draw: st.DrawFn) -> str:
    """sokbo.toml files setting drawn keys to drawn values (right and wrong types)."""
    tables: dict[str, list[str]] = {}
    for table, key in draw(st.lists(st.sampled_from(CONFIG_KEYS), max_size=6)):
        tables.setdefault(table, []).append(f"{key} = {draw(toml_scalar)}")
    out = [f"[{t}]\n" + "\n".join(lines) for t, lines in tables.items()]
    for _ in range(draw(st.integers(0, 2))):
        out.append("[[feeds]]\n" + "\n".join(
            f"{k} = {draw(toml_scalar)}" for k in draw(st.lists(
                st.sampled_from(("url", "outlet", "category")), max_size=3, unique=True))))
    if draw(st.booleans()):
        out.append(f"feeds = {draw(toml_scalar)}")
    return "\n\n".join(out)
