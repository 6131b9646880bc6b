"""sources.py: feeds and pages over real HTTP (tests/loopback.py) with conditional GET and faults.

Every fault test checks the same three things: the run goes on with the other sources, the
failure is reported in one line naming the URL, and the posts hold no unsafe markup.
"""
from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from loopback import LoopbackServer, Reply, drip_forever, redirect, truncated
from newssite import (
    DEMO,
    FEEDS,
    assert_consistent_db,
    assert_no_unsafe_markup,
    cited_outlets,
    fast_settings,
    post_files,
    serve,
    write_config,
)

from sokbo.cli import cli
from sokbo.dates import KST
from sokbo.errors import InputError
from sokbo.ingest import read_feed
from sokbo.pipeline import run_pipeline
from sokbo.sources import read_inputs
from sokbo.store import Store

SATELLITE_OUTLETS = {"온누리신문", "미래방송"}
FESTIVAL = "donghae-gangneung-festival.html"



def _run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, args)
    return result.exit_code, result.stdout, result.stderr


def _outlets_by_post(out: Path) -> dict[str, set[str]]:
    return {p.name: set(cited_outlets(p.read_text("utf-8"))) for p in post_files(out)}


# -- "done when": a real feed, one post per story, then a run of 304s ---------------------

def test_feed_run_then_second_run_is_all_304(site: LoopbackServer, tmp_path: Path) -> None:
    out = tmp_path / "out"
    cfg = write_config(tmp_path)
    feed = site.url("/feed.xml")
    code, stdout, stderr = _run(["run", "--config", str(cfg), "--feed", feed, "--out", str(out),
                                 "--json"])
    assert code == 0, stderr
    first = json.loads(stdout)
    assert first["errors"] == [] and first["fetch"]["failed"] == 0
    assert first["fetch"]["fetched"] == 10  # the feed and its 9 pages

    # one post per story, and every outlet of a story is cited in its 출처 paragraph
    stories = {p["path"]: {s["outlet"] for s in p["sources"]} for p in first["posts"]}
    assert len(stories) == 4 == len(post_files(out))
    cited = _outlets_by_post(out)
    for path, outlets in stories.items():
        assert cited[Path(path).name] == outlets
    assert sorted(len(o) for o in stories.values()) == [1, 2, 3, 3]
    ua = load_ua()
    assert {r.header("User-Agent") for r in site.requests} == {ua}

    site.clear_log()
    code, stdout, stderr = _run(["run", "--config", str(cfg), "--feed", feed, "--out", str(out),
                                 "--json"])
    assert code == 0, stderr
    second = json.loads(stdout)
    assert second["new_posts"] == 0 and second["updated_posts"] == 0
    assert second["fetch"] == {"fetched": 0, "not_modified": 1, "unchanged": 0, "failed": 0}
    [request] = site.requests  # only the feed was asked, conditionally
    assert request.path == "/feed.xml"
    assert request.header("If-None-Match") and request.header("If-Modified-Since")
    assert _outlets_by_post(out) == cited
    assert_consistent_db(out)


def load_ua() -> str:
    from sokbo.config import load_settings

    return load_settings().user_agent


def test_human_summary_line(site: LoopbackServer, tmp_path: Path) -> None:
    cfg = write_config(tmp_path)
    args = ["run", "--config", str(cfg), "--feed", site.url("/fault.xml"),
            "--out", str(tmp_path / "out")]
    site.route_reply("/fault.html", Reply(status=404))
    code, stdout, _ = _run(args)
    assert code == 0
    summary = [ln for ln in stdout.splitlines() if "articles read" in ln]
    assert len(summary) == 1, stdout  # one summary line, "unchanged" said once
    assert summary[0].startswith("1 new posts, 0 updated, 0 unchanged; ")
    assert summary[0].endswith("fetched 3, not modified 0, already stored 0, failed 1")
    assert "fault.html: HTTP 404" in stdout
    code, stdout, _ = _run(args)
    # the 404 item keeps the feed unsettled: the feed is read again, stored items are not
    assert "fetched 1, not modified 0, already stored 2, failed 1" in stdout
    assert stdout.count("unchanged") == 1


def test_configured_feeds_are_read_with_their_outlet(site: LoopbackServer,
                                                      tmp_path: Path) -> None:
    feed = (FEEDS / "naive-dates.xml").read_text("utf-8")
    no_source = "\n".join(ln for ln in feed.splitlines() if "<source" not in ln)
    site.route("/nosource.xml", no_source, content_type="application/rss+xml")
    cfg = write_config(tmp_path, feeds=[
        {"url": site.url("/nosource.xml"), "outlet": "세종일보", "category": "지역"},
    ])
    out = tmp_path / "out"
    code, stdout, stderr = _run(["run", "--config", str(cfg), "--out", str(out), "--json"])
    assert code == 0, stderr
    report = json.loads(stdout)
    assert report["fetch"]["fetched"] == 3
    with Store(out / "sokbo.db") as store:
        articles = store.load_articles()
    assert {a.outlet for a in articles} == {"세종일보"}
    assert {a.category for a in articles} == {"지역"}


def test_post_command_fetches_pages(site: LoopbackServer, tmp_path: Path) -> None:
    cfg = write_config(tmp_path)
    out = tmp_path / "out"
    code, stdout, stderr = _run([
        "post", site.url("/onnuri-satellite-badabyeol.html"),
        site.url("/mirae-satellite-badabyeol.html"), "--config", str(cfg), "--out", str(out),
        "--json"])
    assert code == 0, stderr
    [post] = json.loads(stdout)["posts"]
    assert {s["outlet"] for s in post["sources"]} == SATELLITE_OUTLETS
    assert set(cited_outlets(Path(post["path"]).read_text("utf-8"))) == SATELLITE_OUTLETS
    assert_no_unsafe_markup(out)


# -- fault injection ---------------------------------------------------------------------

def _festival_bytes() -> bytes:
    return (DEMO / FESTIVAL).read_bytes()


def _euc_kr_with_utf8_header() -> Reply:
    body = _festival_bytes()  # EUC-KR bytes and no <meta charset>: only the bytes can tell
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    return Reply(body=body, headers={"Content-Type": "text/html; charset=utf-8"})


FAULTS = {
    # name: (reply or replies for /fault.html, expected error text or None if it recovers)
    "500-then-200": ((Reply(status=500), Reply(body=_festival_bytes())), None),
    "timeout": ((Reply(body=_festival_bytes(), delay=1.0),), "timed out after 2 tries"),
    "slow-drip": ((drip_forever(0.05),), "timed out after 2 tries"),
    "truncated": ((truncated(_festival_bytes()[:2000], len(_festival_bytes())),),
                  "truncated body"),
    "wrong-charset": ((_euc_kr_with_utf8_header(),), None),
    "redirect-loop": ((redirect("/fault.html"),), "too many redirects"),
    "oversized": ((Reply(body=b"<p>" + "가".encode() * 200_000),), "body larger than"),
    "not-found": ((Reply(status=404),), "HTTP 404"),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_page_fault_is_one_line_and_the_run_goes_on(site: LoopbackServer, tmp_path: Path,
                                                     fault: str) -> None:
    replies, expected = FAULTS[fault]
    site.route_replies("/fault.html", *replies)
    out = tmp_path / "out"
    settings = fast_settings(out, http_max_bytes=500_000)
    report = run_pipeline(settings, [site.url("/fault.xml")])

    outlets = [{a.outlet for a in p.articles} for p in report.posts]
    assert SATELLITE_OUTLETS in outlets, "the healthy items still make their post"
    if expected is None:
        assert report.errors == []
        assert {"동해뉴스"} in outlets
        festival = next(p for p in report.posts if p.articles[0].outlet == "동해뉴스")
        text = festival.path.read_text("utf-8")
        assert "경포해변" in text and "\ufffd" not in text  # decoded right, whatever the header
    else:
        [line] = report.errors
        assert "\n" not in line and line.startswith(site.url("/fault.html") + ": ")
        assert expected in line
        assert report.fetch_stats["failed"] == 1
    assert_no_unsafe_markup(out, *report.errors)
    assert_consistent_db(out)


def test_malformed_and_unreachable_feeds_do_not_stop_the_others(site: LoopbackServer,
                                                                 tmp_path: Path) -> None:
    site.route_reply("/slow.xml", Reply(body=b"<rss/>", delay=1.0))
    out = tmp_path / "out"
    report = run_pipeline(fast_settings(out), [
        site.url("/broken.xml"), site.url("/slow.xml"), site.url("/fault.xml"),
        site.url("/missing.xml"),
    ])
    assert SATELLITE_OUTLETS in [{a.outlet for a in p.articles} for p in report.posts]
    by_url = {line.split(": ", 1)[0]: line for line in report.errors}
    assert "malformed feed" in by_url[site.url("/broken.xml")]
    assert "timed out" in by_url[site.url("/slow.xml")]
    assert "HTTP 404" in by_url[site.url("/missing.xml")]
    assert report.fetch_stats["failed"] == len(report.errors) == 4  # + the fault.html item
    assert all("\n" not in line for line in report.errors)
    assert_no_unsafe_markup(out, *report.errors)


def test_hostile_feed_links_and_titles(site: LoopbackServer, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stdout, stderr = _run(["run", "--config", str(write_config(tmp_path)), "--feed",
                                 site.url("/hostile.xml"), "--out", str(out), "--json"])
    report = json.loads(stdout)
    assert code == 0, stderr
    errors = report["errors"]
    assert errors == [
        f"{site.url('/hostile.xml')}: feed item 3 has an unsafe link (scheme javascript), skipped",
        f"{site.url('/hostile.xml')}: feed item 4 has an unsafe link (scheme file), skipped",
    ]
    outlets = [{s["outlet"] for s in p["sources"]} for p in report["posts"]]
    assert SATELLITE_OUTLETS in outlets and {"동해뉴스"} in outlets
    assert not any(r.path.startswith("/etc") for r in site.requests)
    assert_no_unsafe_markup(out, stdout)
    with Store(out / "sokbo.db") as store:
        for a in store.load_articles():
            assert "<" not in a.outlet + (a.category or "") + a.title


def test_feed_body_is_never_taken_for_a_path_or_url(tmp_path: Path) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>s</title>'
                      "<item><title>t</title><link>http://x/leak</link></item></channel></rss>")
    for body in (str(secret).encode(), str(secret), f"file://{secret}"):
        with pytest.raises(InputError):
            read_feed(body, "http://127.0.0.1/", "http://127.0.0.1/feed.xml")


# -- conditional GET and what a 10-minute schedule costs ----------------------------------

def _bump(feed: bytes, old: str, new: str) -> bytes:
    assert old.encode() in feed
    return feed.replace(old.encode(), new.encode())


def test_changed_item_is_refetched_conditionally_and_304_is_not_reextracted(
        site: LoopbackServer, tmp_path: Path) -> None:
    settings = fast_settings(tmp_path / "out")
    feed = site.url("/fault.xml")
    serve(site, "fault.html", _festival_bytes())
    first = run_pipeline(settings, [feed])
    assert first.count("new") == 2 and not first.errors

    # the feed changes (new ETag) and says one item was updated; the others are untouched
    body = _bump((FEEDS / "fault.xml").read_bytes(), "Sat, 21 Nov 2026 13:30:00 +0900",
                 "Sat, 21 Nov 2026 15:00:00 +0900")
    serve(site, "fault.xml", body)
    site.clear_log()
    second = run_pipeline(settings, [feed])
    assert second.fetch_stats == {"fetched": 1, "not_modified": 1, "unchanged": 2, "failed": 0}
    assert second.posts == [] and second.articles_read == 0
    page_requests = [r for r in site.requests if r.path != "/fault.xml"]
    assert [r.path for r in page_requests] == ["/onnuri-satellite-badabyeol.html"]
    assert page_requests[0].header("If-None-Match")
    assert page_requests[0].header("If-Modified-Since")


def test_changed_page_updates_its_post_in_place(site: LoopbackServer, tmp_path: Path) -> None:
    out = tmp_path / "out"
    settings = fast_settings(out)
    serve(site, "fault.html", _festival_bytes())
    first = run_pipeline(settings, [site.url("/fault.xml")])
    paths = sorted(p.name for p in post_files(out))

    serve(site, "fault.xml", _bump((FEEDS / "fault.xml").read_bytes(),
                                   "Tue, 24 Nov 2026 19:40:00 +0900",
                                   "Tue, 24 Nov 2026 21:00:00 +0900"))
    added = "축제 조직위원회는 첫 주말에만 관람객 12만 명이 다녀갈 것으로 내다봤다.<br><br>\n"
    marker = "물들었다.<br><br>\n".encode("cp949")  # the page is EUC-KR, body text in <br>s
    assert marker in _festival_bytes()
    serve(site, "fault.html", _festival_bytes().replace(marker, marker + added.encode("cp949")))
    second = run_pipeline(settings, [site.url("/fault.xml")])
    assert [p.status for p in second.posts] == ["updated"]
    assert second.posts[0].story_id in {p.story_id for p in first.posts}
    assert sorted(p.name for p in post_files(out)) == paths
    with Store(settings.db_path) as store:
        assert any("12만 명" in a.text for a in store.load_articles())


def test_transient_failure_is_retried_next_run(site: LoopbackServer, tmp_path: Path) -> None:
    out = tmp_path / "out"
    settings = fast_settings(out, http_retries=0)
    site.route_reply("/fault.html", Reply(status=503))
    first = run_pipeline(settings, [site.url("/fault.xml")])
    assert len(first.errors) == 1 and first.count("new") == 1

    serve(site, "fault.html", _festival_bytes())
    site.clear_log()
    second = run_pipeline(settings, [site.url("/fault.xml")])
    assert second.errors == [] and second.count("new") == 1
    assert second.posts[0].articles[0].outlet == "동해뉴스"
    [feed_request] = site.requests_for("/fault.xml")
    assert feed_request.header("If-None-Match") is None, "an unsettled feed is read in full"
    assert sorted(r.path for r in site.requests) == ["/fault.html", "/fault.xml"]

    site.clear_log()
    third = run_pipeline(settings, [site.url("/fault.xml")])
    assert third.fetch_stats["not_modified"] == 1 and len(site.requests) == 1


def test_page_without_an_article_is_not_refetched_every_run(site: LoopbackServer,
                                                            tmp_path: Path) -> None:
    settings = fast_settings(tmp_path / "out")
    site.route("/fault.html", "<html><body><p>사진</p></body></html>",
               content_type="text/html", headers={"ETag": '"photo"'})
    first = run_pipeline(settings, [site.url("/fault.xml")])
    assert len(first.errors) == 1 and "no article text" in first.errors[0]
    site.clear_log()
    second = run_pipeline(settings, [site.url("/fault.xml")])
    assert second.errors == [] and second.fetch_stats["not_modified"] == 1
    assert [r.path for r in site.requests] == ["/fault.xml"]


def test_read_but_unstored_items_are_fetched_again(site: LoopbackServer,
                                                   tmp_path: Path) -> None:
    """A crash between reading and writing must not leave a feed that answers 304 forever."""
    settings = fast_settings(tmp_path / "out")
    settings.out_dir.mkdir(parents=True)
    serve(site, "fault.html", _festival_bytes())
    with Store(settings.db_path) as store:  # read, then "crash" before anything is written
        read = read_inputs(settings, [site.url("/fault.xml")], store)
    assert len(read.articles) == 3

    site.clear_log()
    report = run_pipeline(settings, [site.url("/fault.xml")])
    assert report.count("new") == 2 and report.fetch_stats["fetched"] == 4
    assert site.requests_for("/fault.xml")[0].header("If-None-Match") is None
    assert_consistent_db(settings.out_dir)


def test_stop_request_ends_reading_between_items(site: LoopbackServer, tmp_path: Path) -> None:
    settings = fast_settings(tmp_path / "out")
    asked: list[int] = []

    def stop_after_two() -> bool:
        asked.append(1)
        return len(asked) > 2

    report = run_pipeline(settings, [site.url("/fault.xml")], should_stop=stop_after_two)
    assert report.stopped and report.posts == []
    assert len(post_files(settings.out_dir)) == 0
    later = run_pipeline(settings, [site.url("/fault.xml")])
    assert not later.stopped and later.count("new") >= 1


# -- dates ------------------------------------------------------------------------------

def test_zone_less_feed_and_page_times_are_kst(site: LoopbackServer, tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = run_pipeline(fast_settings(out), [site.url("/naive-dates.xml")])
    assert report.fetch_stats["fetched"] == 3
    with Store(out / "sokbo.db") as store:
        published = {a.outlet: a.published for a in store.load_articles()}
    # 한빛일보's page has no date: the feed's zone-less "2026-11-25 09:40:00" is KST
    assert published["한빛일보"].isoformat() == "2026-11-25T09:40:00+09:00"
    # 새누리경제's page says 2026-11-25T08:30:00 with no zone: KST as well
    assert published["새누리경제"].isoformat() == "2026-11-25T08:30:00+09:00"
    for dt in published.values():
        assert dt.utcoffset() == timedelta(hours=9) and dt.tzinfo is not None
        assert dt.astimezone(KST).hour in (8, 9)
    db = sqlite3.connect(out / "sokbo.db")
    try:
        times = [r[0] for r in db.execute("SELECT checked FROM page_state UNION ALL "
                                          "SELECT checked FROM feed_state")]
        times += [v for r in db.execute("SELECT first_seen, updated FROM articles") for v in r]
    finally:
        db.close()
    assert times and all(t.endswith("+00:00") for t in times)
    assert_consistent_db(out)
