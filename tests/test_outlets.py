"""The outlet registry: a page's host or label → the outlet's Korean name, and the sources line."""
from __future__ import annotations

import dataclasses
import re

import pytest
from conftest import shared_dir
from test_render_formats import make_post

from sokbo.errors import ExtractError
from sokbo.extract import article_from_text, extract_article
from sokbo.models import SourceRef
from sokbo.outlets import outlet_for_name, outlet_for_url, registry, resolve_outlet
from sokbo.render import render_post
from sokbo.render.common import outlet_credits

KINDS_LARGE = {"national", "economic", "broadcast", "wire"}


def test_registry_is_well_formed() -> None:
    table = registry()
    assert sum(o.kind in KINDS_LARGE for o in table.values()) >= 60
    for domain, o in table.items():
        assert domain == o.domain and re.fullmatch(r"[a-z0-9.-]+\.[a-z]{2,}", domain), domain
        assert o.name and o.name == o.name.strip() and "알 수 없는" not in o.name
        # a legal or English name is an alias, never what a post credits
        legal = r"\(주\)|주식회사|방송공사|Corporation|[가-힣]+(?:일보|신문)사$"
        assert not re.search(legal, o.name)


@pytest.mark.parametrize(("url", "name"), [
    ("https://news.sbs.co.kr/news/endPage.do?news_id=N1", "SBS"),
    ("https://imnews.imbc.com/news/2026/a.html", "MBC"),
    ("http://www.mbn.co.kr/news/society/1", "MBN"),
    ("http://news.tvchosun.com/site/data/html_dir/1.html", "TV조선"),
    ("https://m.yonhapnewstv.co.kr/news/MYH1", "연합뉴스TV"),
    ("https://www.yna.co.kr/view/AKR1", "연합뉴스"),
    ("https://sports.donga.com/article/1", "스포츠동아"),  # the longest domain wins
    ("https://www.donga.com/news/1", "동아일보"),
    ("https://biz.chosun.com/x", "조선비즈"),
    ("NEWS.KBS.CO.KR.", "KBS"),  # a bare host, any case, trailing dot
])
def test_outlet_for_url(url: str, name: str) -> None:
    found = outlet_for_url(url)
    assert found is not None and found.name == name


@pytest.mark.parametrize("url", [None, "", "https://news.example/1", "https://news.example]/a",
                                 "file:///tmp/a.html", "https://notsbs.co.kr/x"])
def test_unknown_urls_are_none(url: str | None) -> None:
    assert outlet_for_url(url) is None


@pytest.mark.parametrize(("label", "name"), [
    ("SBS NEWS", "SBS"), ("SBS 뉴스", "SBS"), ("비디오머그", "SBS"), ("MBC NEWS", "MBC"),
    ("매일방송", "MBN"), ("(주)매일방송", "MBN"), ("KBS 뉴스", "KBS"),
    ("연합뉴스 TV", "연합뉴스TV"),
    ("The Chosun Ilbo", "조선일보"), ("CBS", "CBS"),
])
def test_outlet_for_name(label: str, name: str) -> None:
    found = outlet_for_name(label)
    assert found is not None and found.name == name


def test_resolve_outlet_order() -> None:
    sbs = "https://news.sbs.co.kr/news/1"
    assert resolve_outlet((sbs,), "SBS 뉴스") == "SBS"  # a known label, as the registry names it
    assert resolve_outlet((sbs,), "SBS 뉴스 - 정치 전체") == "SBS"  # a feed title yields to the URL
    assert resolve_outlet(("https://news.example/1",), "해오름일보") == "해오름일보"
    assert resolve_outlet((None, "https://news.example/1"), None, ("매일방송",)) == "MBN"
    assert resolve_outlet(("https://news.example/1",), None, ("해오름일보",)) is None


def test_an_outlet_given_as_a_host_is_the_registrys_name() -> None:
    # exports and archives give the site's host where a feed gives a name
    assert resolve_outlet(("https://news.example/1",), "www.ytn.co.kr") == "YTN"
    assert resolve_outlet(("https://news.example/1",), "biz.chosun.com") == "조선비즈"
    # a host the registry does not know stays as given
    assert resolve_outlet(("https://news.example/1",), "www.haeorum.example") == \
        "www.haeorum.example"


# A fictional page in the markup SBS's site uses (text written for this test).
PAGE = """<!doctype html><html><head>
<meta property="og:site_name" content="{site}">
<meta property="og:title" content="해오름시 새 시내버스 노선 개통">
<link rel="canonical" href="{url}">
<script type="application/ld+json">{{"@type": "NewsArticle", "datePublished":
"2026-11-20T09:00:00+09:00", "publisher": {{"@type": "Organization", "name": "{publisher}"}}}}
</script></head><body><h1>해오름시 새 시내버스 노선 개통</h1>
<div itemprop="articleBody">해오름시가 20일 새 시내버스 노선 세 개를 개통했습니다.
새 노선은 신도심과 구도심을 잇습니다. 시는 배차 간격을 10분으로 정했다고 밝혔습니다.
요금은 기존 노선과 같습니다. 시는 이용객 의견을 들어 노선을 조정할 계획입니다.
첫날 이용객은 3천 명을 넘었습니다.</div></body></html>"""


@pytest.mark.parametrize(("site", "url", "publisher", "name"), [
    ("SBS NEWS", "https://news.sbs.co.kr/news/endPage.do?news_id=N9", "SBS 뉴스", "SBS"),
    ("매일방송", "http://www.mbn.co.kr/news/society/9", "", "MBN"),
    ("", "https://news.example/9", "MBC 뉴스", "MBC"),  # only the JSON-LD publisher knows it
    ("해오름일보", "https://news.example/9", "", "해오름일보"),  # unknown: the page's own name
])
def test_extract_credits_the_registered_name(site: str, url: str, publisher: str,
                                             name: str) -> None:
    html = PAGE.format(site=site, url=url, publisher=publisher)
    a = extract_article(html, url="file:///tmp/page.html")  # a saved page: its canonical URL
    assert a.outlet == name


def test_renamed_outlet_keeps_the_article_id() -> None:
    """A URL-less article's id still comes from the label it came with, so an article stored
    before the registry is not stored (and posted) again."""
    text = "해오름시 버스 노선 개통\n" + "해오름시가 새 버스 노선을 개통했습니다. " * 6
    old = article_from_text(text, outlet="SBS NEWS")
    assert old.outlet == "SBS"
    assert old.id == article_from_text(text, outlet="SBS NEWS").id
    assert old.id != article_from_text(text, outlet="SBS").id  # the id is the label's


def _ref(i: int, outlet: str, url: str) -> SourceRef:
    return SourceRef(f"a{i}", outlet, f"제목 {i}", url, None)


def test_outlet_credits_group_and_dedupe() -> None:
    post = dataclasses.replace(make_post(), sources=(
        _ref(1, "SBS", "https://news.sbs.co.kr/1"),
        _ref(2, "MBC", "https://imnews.imbc.com/2"),
        _ref(3, "SBS", "https://news.sbs.co.kr/3"),
        _ref(4, "SBS", "https://news.sbs.co.kr/1"),  # the same article twice
    ))
    credits = outlet_credits(post)
    assert [(o, [r.article_id for r in refs]) for o, refs in credits] == [
        ("SBS", ["a1", "a3"]), ("MBC", ["a2"])]


def _sources_line(text: str) -> str:
    return next(line for line in text.splitlines() if line.startswith("<p>출처:"))


def test_jekyll_sources_line_names_each_outlet_once() -> None:
    post = dataclasses.replace(make_post(), sources=(
        _ref(1, "SBS", "https://news.sbs.co.kr/1"),
        _ref(2, "MBC", "https://imnews.imbc.com/2"),
        _ref(3, "SBS", "javascript:alert(1)"),  # no safe link: named, not linked
        _ref(4, "SBS", "https://news.sbs.co.kr/4"),
    ))
    line = _sources_line(render_post(post, "jekyll")[1])
    plain = re.sub(r"<[^>]+>", "", line)
    assert plain == "출처: SBS(기사 1, 기사 2, 기사 3), MBC"
    assert line.count("<a ") == 3 and "javascript" not in line
    assert 'href="https://news.sbs.co.kr/4"' in line and 'title="제목 4"' in line
    one = dataclasses.replace(post, sources=post.sources[:2])
    assert re.sub(r"<[^>]+>", "", _sources_line(render_post(one, "jekyll")[1])) == "출처: SBS, MBC"


HTML_DIR = shared_dir() / "data" / "html"
REAL_PAGES = sorted(HTML_DIR.glob("*.html")) if HTML_DIR.is_dir() else []
MANIFEST_OUTLETS = {"chosun": "조선일보", "kbs": "KBS", "mbc": "MBC", "mbn": "MBN", "sbs": "SBS",
                    "tvchosun": "TV조선", "ytn": "YTN", "yonhapnewstv": "연합뉴스TV"}


@pytest.mark.skipif(not REAL_PAGES, reason="real pages (../shared/data/html) not present")
@pytest.mark.parametrize("page", REAL_PAGES, ids=lambda p: p.stem)
def test_real_pages_credit_the_outlet(page) -> None:
    html = page.read_text(encoding="utf-8")
    try:
        a = extract_article(html, url=page.resolve().as_uri())
    except ExtractError:
        pytest.skip("a page with no article text (refused, so credited nowhere)")
    assert a.outlet == MANIFEST_OUTLETS[page.stem.rsplit("_", 1)[0]]
