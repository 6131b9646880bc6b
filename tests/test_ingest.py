"""Ingest robustness: one bad item never costs its neighbours; bad input is one named line."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from loopback import LoopbackServer
from newssite import fast_settings, serve

from sokbo.cli import cli
from sokbo.errors import InputError
from sokbo.ingest import demo_feed, iter_input, read_feed
from sokbo.pipeline import run_pipeline

DEMO = demo_feed().parent
GOOD_A = "hanbit-busan-wind.html"
GOOD_B = "mirae-satellite-badabyeol.html"


def _item(link: str, title: str = "제목") -> str:
    return f"<item><title>{title}</title><link>{link}</link></item>"


def _feed(*items: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>시험 피드</title>{''.join(items)}</channel></rss>")


def _corpus(tmp_path: Path, *items: str) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir(exist_ok=True)
    for name in (GOOD_A, GOOD_B):
        shutil.copy(DEMO / name, folder / name)
    feed = folder / "feed.xml"
    feed.write_text(_feed(*items), "utf-8")
    return feed


def _outlets(report) -> set[str]:  # noqa: ANN001
    return {a.outlet for p in report.posts for a in p.articles}


def test_invalid_link_between_two_good_items_loses_only_itself(tmp_path: Path) -> None:
    feed = _corpus(tmp_path, _item(GOOD_A), _item("http://[::1"), _item(GOOD_B))
    parsed = read_feed(feed.read_bytes(), feed.resolve().as_uri(), str(feed))
    assert [i.url.rsplit("/", 1)[1] for i in parsed.items] == [GOOD_A, GOOD_B]
    assert parsed.skipped == [f"{feed}: feed item 2 has an invalid link, skipped"]

    report = run_pipeline(fast_settings(tmp_path / "out"), [str(feed)], preview=False)
    assert report.articles_read == 2
    assert report.errors == [f"{feed}: feed item 2 has an invalid link, skipped"]


def test_page_with_an_unparseable_canonical_url_is_read_with_its_feed(tmp_path: Path) -> None:
    feed = _corpus(tmp_path, _item(GOOD_A), _item("bad-canonical.html"), _item(GOOD_B))
    page = (DEMO / GOOD_A).read_text("utf-8")
    page = page.replace('<link rel="canonical" href="https://www.hanbit-ilbo.example/news/'
                        'articleView.html?idxno=20261123001">',
                        '<link rel="canonical" href="https://news.example]/a">')
    page = page.replace('content="https://www.hanbit-ilbo.example/news/articleView.html?'
                        'idxno=20261123001"', 'content="https://news.example]/a"')
    assert "news.example]/a" in page
    (feed.parent / "bad-canonical.html").write_text(page, "utf-8")

    report = run_pipeline(fast_settings(tmp_path / "out"), [str(feed)], preview=False)
    assert report.errors == []
    assert report.articles_read == 3  # the copy has its own (file) URL, so it is an article too
    urls = {a.url for p in report.posts for a in p.articles}
    assert not any("]" in u for u in urls)


def test_jsonl_line_with_a_number_title_is_named_and_the_others_are_read(
        tmp_path: Path) -> None:
    lines = [json.loads(x) for x in (Path(__file__).parent / "data" / "inputs" /
                                     "articles.jsonl").read_text("utf-8").splitlines()]
    assert len(lines) >= 2
    bad = dict(lines[0], title=123)
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False)
                              for x in [lines[0], bad, *lines[1:]]), "utf-8")

    results = list(iter_input(str(path)))
    errors = [r for r in results if isinstance(r, InputError)]
    assert [str(e) for e in errors] == [f'{path}:2: "title" must be a string, not a number']
    assert len(results) - len(errors) == len(lines)

    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", "--feed", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert f'{path}:2: "title" must be a string, not a number' in result.stdout
    assert "failed 1" in result.stdout  # counted in the run summary
    assert f"{len(lines)} articles read" in result.stdout


@pytest.mark.parametrize(("value", "why"), [
    ({"text": ["a"]}, '"text" string'),
    ({"text": "본문", "outlet": {"name": "x"}}, '"outlet" must be a string, not an object'),
    ({"text": "본문", "published": 20261124}, '"published" must be a string, not a number'),
    ({"text": "본문", "published": "2024-13-45"}, '"published" is not a date'),
    ({"text": "본문", "url": "javascript:alert(1)"}, '"url" must be an http(s) URL'),
    ({"text": "본문", "url": True}, '"url" must be a string, not true/false'),
    ("[" * 5000, "not valid JSON"),
])
def test_bad_jsonl_fields_are_one_line_each(tmp_path: Path, value: object, why: str) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(value if isinstance(value, str) else json.dumps(value), "utf-8")
    [error] = list(iter_input(str(path)))
    assert isinstance(error, InputError) and why in str(error)
    assert str(error).startswith(f"{path}:1: ")


@pytest.mark.parametrize("body", [b"\xef\xbb\xbf", b"\xef\xbb\xbf  \n", b"\xff\xfe"])
def test_bom_only_feed_is_one_line(tmp_path: Path, body: bytes) -> None:
    feed = tmp_path / "empty.xml"
    feed.write_bytes(body)
    result = CliRunner().invoke(cli, ["post", str(feed), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [f"sokbo: error: {feed}: feed is empty"]
    assert "Traceback" not in result.stderr


def test_an_item_that_makes_the_feed_parser_fail_costs_only_itself() -> None:
    # feedparser raised KeyError('tags') on a <category> closed outside its <source>
    bad = ("<item><title>b</title><link>https://news.example/b</link>"
           "<source>s<category>정치</source></category></item>")
    parsed = read_feed(_feed(_item("https://news.example/a"), bad,
                             _item("https://news.example/c")), "file:///f.xml", "f.xml")
    assert [i.url for i in parsed.items] == ["https://news.example/a", "https://news.example/c"]
    assert parsed.skipped == ["f.xml: feed item 2 could not be parsed, skipped"]
    assert parsed.title == "시험 피드"


def test_a_feed_the_parser_fails_on_without_items_is_one_line() -> None:
    with pytest.raises(InputError, match="malformed feed: the parser failed"):
        read_feed('<rss version="2.0"><channel><source><category>x</source></category>'
                  "</channel></rss>", "file:///f.xml", "f.xml")


def test_noscript_body_over_http_is_reported_with_its_real_reason(tmp_path: Path) -> None:
    page = ('<html><head><title>안내</title></head><body>'
            '<noscript itemprop="articleBody"><p>자바스크립트를 켜 주세요.</p></noscript>'
            "</body></html>").encode()
    with LoopbackServer() as srv:
        serve(srv, GOOD_A)
        serve(srv, "noscript.html", body=page)
        serve(srv, GOOD_B)
        serve(srv, "feed.xml", body=_feed(_item(srv.url("/" + GOOD_A)),
                                           _item(srv.url("/noscript.html")),
                                           _item(srv.url("/" + GOOD_B))).encode())
        report = run_pipeline(fast_settings(tmp_path / "out"), [srv.url("/feed.xml")],
                              preview=False)
    assert report.articles_read == 2
    [line] = report.errors
    assert line.startswith(srv.url("/noscript.html")) and "no article text" in line
    assert "AssertionError" not in line and "internal error" not in line
