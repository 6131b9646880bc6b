"""Fuzzing HTTP answers: a fault-injecting loopback site serves a feed and its pages.

Each example is a small site: the feed's and every page's status, headers, body (mutated
fixtures) and fault (truncated body, wrong length, slow answer, redirect to anywhere). The
entry point is what `sokbo run --feed URL` does with it: ``sources.read_inputs``. A crash is
an exception out of it, an internal error caught inside it, or an error line that is not one
line.
"""
from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from fuzz.harness import EntryPoint, mutated
from fuzz.seeds import FEEDS, PAGES, generated_feeds, generated_pages

http = EntryPoint("http answers", fuzz_examples=4_000, test_examples=25)

STATUS = st.sampled_from((200,) * 8 + (301, 302, 304, 307, 404, 410, 429, 500, 503, 204, 999))
CONTENT_TYPES = st.sampled_from((
    "text/html; charset=utf-8", "application/rss+xml", "text/html; charset=euc-kr",
    "text/html; charset=iso-8859-1", "text/html; charset=utf-16", "text/html; charset=bogus",
    "text/html; charset=base64", "text/html; charset=idna", "application/octet-stream", "",
    "text/html; charset=\"utf-8", "text/html; charset=ks_c_5601-1987",
))
ODD_HEADER = st.sampled_from((
    "", "\"abc\"", "W/\"x\"", "é", "\xb2", "a" * 300, "Tue, 24 Nov 2026 11:00:00 GMT",
    "Mon, 99 Foo 9999", "²", "-1", "99999999999999999999", "1e3", " 3 ",
))
LOCATION = st.sampled_from((
    "/page-0", "http://[::1", "https://news.example]/a", "javascript:alert(1)", "file:///etc",
    "//127.0.0.1:1/x", "", "http://127.0.0.1:1/", "/" + "a" * 3000, "http://a b/",
    "http://127.0.0.1:99999/", "/page-0#frag", "https://한국.example/",
))


@st.composite
def replies(draw: st.DrawFn, bodies: st.SearchStrategy[str]) -> dict[str, Any]:
    status = draw(STATUS)
    body = draw(bodies).encode(draw(st.sampled_from(("utf-8", "utf-8", "cp949", "utf-16"))),
                               errors="replace")
    headers = {"Content-Type": draw(CONTENT_TYPES)}
    for name in draw(st.lists(st.sampled_from(("ETag", "Last-Modified", "Retry-After",
                                               "Content-Encoding")), max_size=2, unique=True)):
        headers[name] = draw(ODD_HEADER)
    if status in (301, 302, 307):
        headers["Location"] = draw(LOCATION)
    fault = draw(st.sampled_from(("none",) * 6 + ("truncated", "longer", "no-length", "slow")))
    return {"status": status, "body": body, "headers": headers, "fault": fault}


@st.composite
def sites(draw: st.DrawFn) -> dict[str, Any]:
    n_pages = draw(st.integers(0, 3))
    feed = draw(st.one_of(generated_feeds(), mutated(FEEDS, max_ops=2)))
    # point some feed links at this site's pages (the rest stay as drawn)
    for k in range(n_pages):
        if draw(st.booleans()):
            feed = feed.replace("https://news.example/a/1", f"{{BASE}}/page-{k}", 1)
            feed = feed.replace("hanbit-busan-wind.html", f"{{BASE}}/page-{k}", 1)
    pages = [draw(replies(st.one_of(mutated(PAGES, max_ops=2), generated_pages())))
             for _ in range(n_pages)]
    return {"feed": draw(replies(st.just(feed))), "pages": pages}


def _reply(spec: dict[str, Any], base: str):  # -> loopback.Reply
    from loopback import Reply

    body = spec["body"].replace(b"{BASE}", base.encode())
    headers = {k: v for k, v in spec["headers"].items() if v != ""}
    fault = spec["fault"]
    if fault == "truncated" and len(body) > 10:
        return Reply(spec["status"], body[: len(body) // 2], headers, declared_length=len(body))
    if fault == "longer":
        return Reply(spec["status"], body, headers, declared_length=len(body) + 100)
    if fault == "no-length":
        return Reply(spec["status"], body, headers, send_length=False)
    if fault == "slow":
        return Reply(spec["status"], body, headers, delay=0.15)  # past the 0.1 s timeout
    return Reply(spec["status"], body, headers)


def test_fuzz_http_answers(tmp_path: Path) -> None:
    from loopback import LoopbackServer
    from newssite import fast_settings

    from sokbo.sources import read_inputs
    from sokbo.store import Store

    settings = fast_settings(tmp_path / "out", http_timeout=0.1, http_retries=0,
                             http_max_bytes=200_000)
    counter = itertools.count()
    state: dict[str, Any] = {}

    def store() -> Store:
        # a fresh state database now and then: conditional GETs get exercised, the store
        # does not grow without bound
        n = next(counter)
        if n % 200 == 0:
            if "store" in state:
                state["store"].close()
            state["store"] = Store(tmp_path / f"state-{n}.db")
        state["n"] = n
        return state["store"]

    with LoopbackServer() as srv:
        def read_site(site: dict[str, Any]) -> None:
            db = store()
            base = srv.url(f"/s{state['n']}")
            srv.route_reply(f"/s{state['n']}/feed.xml", _reply(site["feed"], base))
            for k, page in enumerate(site["pages"]):
                srv.route_reply(f"/s{state['n']}/page-{k}", _reply(page, base))
            result = read_inputs(settings, [f"{base}/feed.xml"], db)
            bad = [e for e in result.errors if "\n" in e or "\r" in e]
            assert not bad, f"an error line is not one line: {bad[0]!r}"

        http.fuzz(sites(), target=read_site)
    if "store" in state:
        state["store"].close()
