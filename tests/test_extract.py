"""extract.py: page → Article on the demo corpus and on structure fixtures (tests/data/html).

The fixtures are fictional pages built on the structures of real Korean news sites (a hidden
print copy of the body, a video teaser beside a longer most-read list, an Arc XP page whose body
is inline JSON, microdata with captions and tip-line footers); gold.json lists segments that
must and must not appear, not whole outputs (conventions #16).
"""
from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from conftest import DATA

from sokbo.dates import KST, to_kst
from sokbo.errors import ExtractError
from sokbo.extract import extract_article, extract_page
from sokbo.fetch import decode_html
from sokbo.ingest import demo_feed
from sokbo.korean.clean import clean_text

HTML = DATA / "html"
GOLD = json.loads((HTML / "gold.json").read_text("utf-8"))
DEMO = demo_feed().parent

# from src/sokbo/demo/README.md
DEMO_PAGES = {
    "hanbit-busan-wind.html": ("한빛일보", "2026-11-23 10:48", "www.hanbit-ilbo.example"),
    "donghae-busan-wind.html": ("동해뉴스", "2026-11-23 11:20", "www.donghae-news.example"),
    "onnuri-busan-wind.html": ("온누리신문", "2026-11-23 16:05", "www.onnuri-sinmun.example"),
    "saenuri-export-ai-chip.html": ("새누리경제", "2026-11-20 11:02", "www.saenuri-econ.example"),
    "mirae-export-ai-chip.html": ("미래방송", "2026-11-20 11:40", "news.mirae-tv.example"),
    "hanbit-export-ai-chip.html": ("한빛일보", "2026-11-20 14:25", "www.hanbit-ilbo.example"),
    "mirae-satellite-badabyeol.html": ("미래방송", "2026-11-21 12:05", "news.mirae-tv.example"),
    "onnuri-satellite-badabyeol.html": (
        "온누리신문", "2026-11-21 13:30", "www.onnuri-sinmun.example"),
    "donghae-gangneung-festival.html": ("동해뉴스", "2026-11-24 19:40", "www.donghae-news.example"),
}
# what the demo pages carry around and inside their bodies (src/sokbo/demo/README.md)
DEMO_LEAKS = ("기자 =", "@", "저작권자", "무단전재", "Copyright", "광고", "관련 기사", "관련기사",
              "많이 본 뉴스", "공유하기", "로그인", "입력 2026", "댓글")


@pytest.mark.parametrize("name", sorted(DEMO_PAGES))
def test_demo_page(name: str) -> None:
    outlet, when, host = DEMO_PAGES[name]
    html = decode_html((DEMO / name).read_bytes())
    a = extract_article(html, url=(DEMO / name).as_uri())
    assert a.outlet == outlet
    assert a.published is not None
    assert to_kst(a.published).strftime("%Y-%m-%d %H:%M") == when
    assert a.url.split("://", 1)[1].startswith(f"{host}/")  # the canonical URL, not the file
    assert a.title and "\n" not in a.title and not a.title.endswith(outlet)
    for leak in DEMO_LEAKS:
        assert leak not in a.text, leak
    assert len(a.sentences) >= 4
    assert all(s.text == a.text[s.start:s.end].strip() for s in a.sentences)


@pytest.mark.parametrize("name", sorted(GOLD))
def test_fixture_page(name: str) -> None:
    gold = GOLD[name]
    a = extract_article((HTML / name).read_text("utf-8"), url=gold.get("page_url"))
    assert a.title == gold["title"]
    assert a.outlet == gold["outlet"]
    assert a.published is not None and to_kst(a.published).date().isoformat() == gold["date_kst"]
    assert a.url == gold["url"]
    for segment in gold["with"]:
        assert segment in a.text, segment
    for segment in gold["without"]:
        assert segment not in a.text, segment
    if "sentences" in gold:
        assert len(a.sentences) == gold["sentences"]


def test_body_carried_twice_is_kept_once() -> None:
    a = extract_article((HTML / "broadcast.print-copy.html").read_text("utf-8"))
    assert a.text.count("유료로 바뀝니다") == 1


def test_declared_body_wins_over_a_longer_list() -> None:
    page = extract_page((HTML / "microdata.video-teaser.html").read_text("utf-8"))
    assert page.body_source == "declared"


def test_arc_body_is_read_from_json() -> None:
    page = extract_page((HTML / "arc.fusion-json.html").read_text("utf-8"))
    assert page.body_source == "arc"
    assert page.published == datetime(2026, 12, 2, 8, 40, tzinfo=KST)


def test_declared_body_too_short_falls_back_then_fails() -> None:
    html = (
        '<html><head><meta property="og:title" content="사진 한 장"></head><body>'
        '<div itemprop="articleBody">반항도 못 한 채 늘어진 강아지</div>'
        "<nav><a href='#'>홈</a> <a href='#'>뉴스</a></nav></body></html>"
    )
    with pytest.raises(ExtractError, match="no article text"):
        extract_article(html, url="https://news.example/1")


def test_collapsed_body_keeps_its_text_before_a_copyright_tail() -> None:
    body = " ".join(["누리시가 심야 버스 노선 세 개를 새로 운행한다고 밝혔다."] * 8)
    text = clean_text(f"{body} [Copyright (c) 누리경제. All rights reserved. 무단 전재 금지]")
    assert text == body


def test_clean_text_drops_second_copy_of_a_paragraph() -> None:
    para = "시는 올해 예산 가운데 120억 원을 도서관 열람실 확충에 쓰기로 했다고 밝혔다."
    text = clean_text(f"{para}\n평일에는 밤 11시까지 문을 연다.\n{para}")
    assert text.count("120억 원") == 1 and "밤 11시" in text


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("[앵커] 누리시가 운영 시간을 늘립니다.", "누리시가 운영 시간을 늘립니다."),
        ("정성일이 시구를 하고 있다. 2026.12.02 /photo@news.example", "정성일이 시구를 하고 있다."),
        ("#도서관 #열람실", ""),
        ("검찰은 재수사를 요구했습니다. (사진=연합뉴스)", "검찰은 재수사를 요구했습니다."),
        ("(사진=연합뉴스)", ""),
        ("(끝)", ""),
        ("제보하기", ""),
        ("▷ 전화 : 02-000-1234", ""),
        ("[카카오톡] 누리 검색해 채널 추가", ""),
        ("누리뉴스TV 기사문의 및 제보 : 카톡/라인 jebo00", ""),
        ("↑ 열람실 내부 사진=누리시 제공", ""),
        ("전화 통화에서 그는 끝까지 하겠다고 말했다.",) * 2,
    ],
)
def test_clean_text_lines(line: str, kept: str) -> None:
    assert clean_text(line) == kept


def test_feed_values_fill_what_the_page_lacks() -> None:
    html = (HTML / "plain.no-sitename.html").read_text("utf-8")
    a = extract_article(html, url="https://x.example/a", outlet="하늘뉴스")
    assert a.outlet == "하늘뉴스"


@pytest.mark.parametrize("page", sorted(p.name for p in HTML.glob("*.html")))
def test_every_fixture_has_gold(page: str) -> None:
    assert page in GOLD


def test_fixture_dir_is_fictional() -> None:
    # real pages must never be copied into the repository (shared/data/README.md)
    for path in Path(HTML).glob("*.html"):
        assert ".example" in path.read_text("utf-8")


def test_title_that_is_only_the_outlet_name_gives_way_to_the_headline() -> None:
    body = "".join(f"<p>{s}</p>" for s in (
        "누리시가 다음 달부터 심야 버스 노선 세 개를 새로 운행한다고 밝혔다.",
        "새 노선은 자정부터 새벽 4시까지 20분 간격으로 다닌다.",
        "시는 이용객이 많으면 노선을 더 늘릴 계획이라고 설명했다.",
    ))
    html = (
        '<html><head><title>누리뉴스TV</title><meta property="og:site_name" content="누리뉴스TV">'
        '</head><body><h1><a href="/">누리뉴스TV</a></h1>'
        '<h2>심야 버스 노선 3개 신설…자정부터 운행</h2>'
        f'<div itemprop="articleBody">{body}</div></body></html>'
    )
    a = extract_article(html, url="https://news.example/3")
    assert a.title == "심야 버스 노선 3개 신설…자정부터 운행"


# -- hostile markup: every page gives an Article or an ExtractError ---------------------------

HANBIT = (demo_feed().parent / "hanbit-busan-wind.html").read_text("utf-8")


def _body(page: str) -> str:
    return extract_article(page, url="https://news.example/a/1").text


def test_noscript_declared_as_the_body_is_not_the_body() -> None:
    page = HANBIT.replace("<body>", '<body><noscript itemprop="articleBody">자바스크립트를 '
                          "켜 주세요.</noscript>", 1)
    assert "<noscript" in page
    assert _body(page) == _body(HANBIT)


@pytest.mark.parametrize("char", ["\x01", "\x0b", "\x1f", "\x00", "\x7f"])
def test_control_character_beside_a_dropped_image(char: str) -> None:
    body = HANBIT.index('itemprop="articleBody">') + len('itemprop="articleBody">')
    page = HANBIT[:body] + f'<img src="x.jpg">{char}' + HANBIT[body:]
    assert _body(page) == _body(HANBIT)


@pytest.mark.parametrize("opener", ["<font>" * 250, "<font>" * 3000, "<div>" * 3000,
                                    "<b><i>" * 300, "<span class=x>" * 1000])
def test_deep_nesting_before_the_body_keeps_the_article(opener: str) -> None:
    page = HANBIT.replace("<body>", "<body>" + opener, 1)
    assert _body(page) == _body(HANBIT)


def test_deep_nesting_of_distinct_boxes_keeps_the_text() -> None:
    opener = "".join(f'<div class="box{i}">' for i in range(3000))
    article = extract_article(HANBIT.replace("<body>", "<body>" + opener, 1),
                              url="https://news.example/a/1")
    assert article.sentences and article.title


@pytest.mark.parametrize("bad", ["https://news.example]/a", "http://[::1", "http://a:99999/"])
def test_unparseable_canonical_url_falls_back(bad: str) -> None:
    page = re.sub(r'(rel="canonical" href=")[^"]*', lambda m: m.group(1) + bad, HANBIT)
    page = re.sub(r'(property="og:url" content=")[^"]*', lambda m: m.group(1) + bad, page)
    assert page.count(bad) == 2
    article = extract_article(page, url="https://news.example/a/1")
    assert article.url == "https://news.example/a/1"


def test_deeply_nested_json_ld_is_ignored() -> None:
    page = HANBIT.replace("</head>", '<script type="application/ld+json">' + "[" * 5000 +
                          "</script></head>", 1)
    assert _body(page) == _body(HANBIT)
