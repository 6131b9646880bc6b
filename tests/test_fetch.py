"""fetch.py against a real HTTP server on 127.0.0.1 (tests/loopback.py), with fault injection."""
from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator

import pytest
from loopback import LoopbackServer, Reply, drip_forever, endless, redirect, truncated

from sokbo.errors import FetchError, SokboError
from sokbo.fetch import Fetcher, Page, decode_html

UA = "sokbo-test/0.1 (+https://example.invalid/sokbo)"
KOREAN = "정부, 내년 성장률 2.1%로 하향…\"하반기 15조 투입\" 서울=연합뉴스 홍길동 기자"
HTML_EUCKR_NO_META = f"<html><head><title>t</title></head><body><p>{KOREAN}</p></body></html>"
HTML_EUCKR_META = (
    '<html><head><meta charset="euc-kr"><title>t</title></head>'
    f"<body><p>{KOREAN}</p></body></html>"
)
HTML_EUCKR_HTTP_EQUIV = (
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=ks_c_5601-1987">'
    f"</head><body><p>{KOREAN}</p></body></html>"
)



@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as srv:
        yield srv


@pytest.fixture
def make_fetcher() -> Iterator[Callable[..., Fetcher]]:
    made: list[Fetcher] = []

    def make(**kw: object) -> Fetcher:
        settings: dict[str, object] = {
            "user_agent": UA, "timeout": 0.5, "retries": 2, "politeness_seconds": 0.0,
            "backoff_seconds": 0.01,
        }
        settings.update(kw)
        fetcher = Fetcher(**settings)  # type: ignore[arg-type]
        made.append(fetcher)
        return fetcher

    yield make
    for fetcher in made:
        fetcher.close()


class Clock:
    def __enter__(self) -> Clock:
        self.start = time.monotonic()
        self.seconds = 0.0
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.monotonic() - self.start


def assert_one_line(err: pytest.ExceptionInfo[FetchError], url: str, reason: str) -> None:
    message = str(err.value)
    assert "\n" not in message
    assert err.value.source == url
    assert reason in message, message


# -- success paths -----------------------------------------------------------------------------

def test_get_returns_page_with_headers_and_sends_user_agent(server, make_fetcher):
    server.route(
        "/a.html", "<p>안녕하세요</p>", content_type="text/html; charset=utf-8",
        headers={"ETag": '"v1"', "Last-Modified": "Thu, 03 Jul 2025 01:00:00 GMT"},
    )
    page = make_fetcher().get(server.url("/a.html"))
    assert isinstance(page, Page)
    assert page.status == 200
    assert page.url == page.final_url == server.url("/a.html")
    assert page.text == "<p>안녕하세요</p>"
    assert page.body == "<p>안녕하세요</p>".encode()
    assert page.content_type == "text/html; charset=utf-8"
    assert page.etag == '"v1"'
    assert page.last_modified == "Thu, 03 Jul 2025 01:00:00 GMT"
    assert page.not_modified is False
    (request,) = server.requests_for("/a.html")
    assert request.method == "GET"
    assert request.header("User-Agent") == UA
    assert request.header("If-None-Match") is None


def test_redirect_chain_is_followed_and_final_url_reported(server, make_fetcher):
    server.route_reply("/old", redirect("/middle", 301))
    server.route_reply("/middle", redirect(server.url("/new"), 302))
    server.route("/new", "도착", content_type="text/plain; charset=utf-8")
    page = make_fetcher().get(server.url("/old"))
    assert page.url == server.url("/old")
    assert page.final_url == server.url("/new")
    assert page.text == "도착"


def test_context_manager_closes(server):
    server.route("/x", "ok")
    with Fetcher(user_agent=UA, politeness_seconds=0) as fetcher:
        assert fetcher.get(server.url("/x")).text == "ok"


# -- retries -----------------------------------------------------------------------------------

def test_500_then_200_retry_succeeds(server, make_fetcher):
    server.route_replies("/flaky", Reply(status=500), Reply(body="두 번째"))
    with Clock() as clock:
        page = make_fetcher().get(server.url("/flaky"))
    assert page.text == "두 번째"
    assert len(server.requests_for("/flaky")) == 2
    assert clock.seconds < 2


def test_429_is_retried(server, make_fetcher):
    server.route_replies("/busy", Reply(status=429, headers={"Retry-After": "0"}), Reply(body="ok"))
    assert make_fetcher().get(server.url("/busy")).text == "ok"
    assert len(server.requests_for("/busy")) == 2


def test_always_500_fails_after_retries(server, make_fetcher):
    server.route("/down", "boom", status=500)
    url = server.url("/down")
    with Clock() as clock, pytest.raises(FetchError) as err:
        make_fetcher(retries=2).get(url)
    assert_one_line(err, url, "HTTP 500 after 3 tries")
    assert len(server.requests_for("/down")) == 3
    assert clock.seconds < 2


def test_backoff_is_exponential(server, make_fetcher):
    server.route("/down", status=503)
    with Clock() as clock, pytest.raises(FetchError):
        make_fetcher(retries=2, backoff_seconds=0.1).get(server.url("/down"))
    assert clock.seconds >= 0.1 + 0.2
    times = [r.time for r in server.requests_for("/down")]
    assert times[2] - times[1] > times[1] - times[0] - 0.05


@pytest.mark.parametrize("status", [404, 403, 410])
def test_4xx_is_not_retried(server, make_fetcher, status):
    server.route("/gone", "nope", status=status)
    url = server.url("/gone")
    with pytest.raises(FetchError) as err:
        make_fetcher(retries=3).get(url)
    assert_one_line(err, url, f"HTTP {status}")
    assert "tries" not in str(err.value)
    assert len(server.requests_for("/gone")) == 1


# -- timeouts and broken bodies ----------------------------------------------------------------

def test_timeout_when_server_sleeps(server, make_fetcher):
    server.route("/sleepy", "late", delay=5.0)
    url = server.url("/sleepy")
    with Clock() as clock, pytest.raises(FetchError) as err:
        make_fetcher(timeout=0.3, retries=1).get(url)
    assert_one_line(err, url, "timed out after 2 tries")
    assert len(server.requests_for("/sleepy")) == 2
    assert clock.seconds < 2.5


def test_slow_drip_body_is_bounded_by_deadline(server, make_fetcher):
    # One byte every 0.2 s never trips a 0.5 s read timeout; the per-attempt deadline must.
    server.route_reply("/drip", drip_forever(0.2))
    url = server.url("/drip")
    with Clock() as clock, pytest.raises(FetchError) as err:
        make_fetcher(timeout=0.5, retries=0).get(url)
    assert_one_line(err, url, "timed out")
    assert 1.4 <= clock.seconds < 3.0


def test_truncated_body(server, make_fetcher):
    server.route_reply("/cut", truncated(b"x" * 100, declared_length=1000))
    url = server.url("/cut")
    with pytest.raises(FetchError) as err:
        make_fetcher(retries=1).get(url)
    assert_one_line(err, url, "truncated body")
    assert len(server.requests_for("/cut")) == 2  # a dropped connection is worth one more try


def test_connection_refused(make_fetcher):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    with Clock() as clock, pytest.raises(FetchError) as err:
        make_fetcher(retries=1).get(url)
    assert_one_line(err, url, "connection refused")
    assert clock.seconds < 2


# -- size cap ----------------------------------------------------------------------------------

def test_oversized_body_with_content_length(server, make_fetcher):
    server.route("/big", b"x" * 1_000_000)
    url = server.url("/big")
    with pytest.raises(FetchError) as err:
        make_fetcher(max_bytes=1000).get(url)
    assert_one_line(err, url, "body larger than 1000 bytes")
    assert len(server.requests_for("/big")) == 1  # not retried


def test_oversized_body_without_length_stops_reading(server, make_fetcher):
    # The body never ends: only a streaming cap can return, and well before the deadline.
    server.route_reply("/endless", endless())
    url = server.url("/endless")
    with Clock() as clock, pytest.raises(FetchError) as err:
        make_fetcher(max_bytes=1000, timeout=2.0).get(url)
    assert_one_line(err, url, "body larger than 1000 bytes")
    assert clock.seconds < 1.5


def test_default_cap_message_is_in_megabytes(server, make_fetcher):
    server.route_reply("/liar", Reply(headers={"Content-Length": "20000000"}, send_length=False))
    url = server.url("/liar")
    with pytest.raises(FetchError) as err:
        make_fetcher().get(url)
    assert_one_line(err, url, "body larger than 10 MB")


# -- redirects ---------------------------------------------------------------------------------

def test_redirect_loop(server, make_fetcher):
    server.route_reply("/a", redirect("/b"))
    server.route_reply("/b", redirect("/a"))
    url = server.url("/a")
    with Clock() as clock, pytest.raises(FetchError) as err:
        make_fetcher(max_redirects=5).get(url)
    assert_one_line(err, url, "too many redirects")
    assert len(server.requests) == 6  # the first request plus five followed redirects
    assert clock.seconds < 2


def test_redirect_to_other_scheme_is_refused(server, make_fetcher):
    server.route_reply("/ftp", redirect("ftp://example.invalid/file"))
    url = server.url("/ftp")
    with pytest.raises(FetchError) as err:
        make_fetcher().get(url)
    assert_one_line(err, url, "unsupported URL scheme")


def test_redirect_without_location(server, make_fetcher):
    server.route("/noloc", status=302)
    with pytest.raises(FetchError, match="without a Location"):
        make_fetcher().get(server.url("/noloc"))


# -- conditional GET ---------------------------------------------------------------------------

def test_conditional_get_round_trip(server, make_fetcher):
    etag, modified = '"abc123"', "Thu, 03 Jul 2025 01:00:00 GMT"
    server.route(
        "/feed.xml", "<rss/>", content_type="application/rss+xml",
        headers={"ETag": etag, "Last-Modified": modified},
    )
    fetcher = make_fetcher()
    first = fetcher.get(server.url("/feed.xml"))
    assert (first.status, first.not_modified, first.etag, first.last_modified) == (
        200, False, etag, modified,
    )
    second = fetcher.get(
        server.url("/feed.xml"), etag=first.etag, last_modified=first.last_modified
    )
    assert second.status == 304
    assert second.not_modified is True
    assert second.text == ""
    assert second.body == b""
    sent = server.requests_for("/feed.xml")[1]
    assert sent.header("If-None-Match") == etag
    assert sent.header("If-Modified-Since") == modified


def test_conditional_get_with_changed_etag_returns_full_page(server, make_fetcher):
    server.route("/feed.xml", "<rss>새 글</rss>", headers={"ETag": '"v2"'})
    page = make_fetcher().get(server.url("/feed.xml"), etag='"v1"')
    assert page.not_modified is False
    assert page.text == "<rss>새 글</rss>"
    assert page.etag == '"v2"'


# -- politeness --------------------------------------------------------------------------------

def test_politeness_delay_between_requests_to_same_host(server, make_fetcher):
    server.route("/p", "ok")
    fetcher = make_fetcher(politeness_seconds=0.3)
    with Clock() as clock:
        fetcher.get(server.url("/p"))
        fetcher.get(server.url("/p"))
    assert clock.seconds >= 0.3
    first, second = server.requests_for("/p")
    assert second.time - first.time >= 0.2  # server clock; loose, its threads add jitter


def test_politeness_is_per_host(make_fetcher):
    try:
        resolved = {info[4][0] for info in socket.getaddrinfo("localhost", 80)}
    except OSError:
        pytest.skip("localhost does not resolve")
    if resolved != {"127.0.0.1"}:
        pytest.skip("localhost is not only 127.0.0.1 here")
    with LoopbackServer() as srv:
        srv.route("/p", "ok")
        fetcher = make_fetcher(politeness_seconds=2.0)
        with Clock() as clock:
            fetcher.get(srv.url("/p"))
            fetcher.get(f"http://localhost:{srv.port}/p")
        assert clock.seconds < 1.5


# -- bad URLs ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "url",
    ["ftp://example.com/feed.xml", "file:///etc/passwd", "javascript:alert(1)", "example.com/x",
     "", "mailto:a@example.com"],
)
def test_non_http_url_is_refused(make_fetcher, url):
    with pytest.raises(FetchError) as err:
        make_fetcher().get(url)
    assert_one_line(err, url, "unsupported URL scheme")


@pytest.mark.parametrize("url", ["http://", "https:///path", "http://[::1/"])
def test_invalid_http_url(make_fetcher, url):
    with pytest.raises(SokboError) as err:
        make_fetcher().get(url)
    assert isinstance(err.value, FetchError)
    assert "\n" not in str(err.value)


# -- decoding over the wire --------------------------------------------------------------------

@pytest.mark.parametrize(
    "body, content_type",
    [
        pytest.param(HTML_EUCKR_NO_META.encode("euc-kr"), "text/html; charset=utf-8",
                     id="euc-kr bytes, wrong utf-8 header"),
        pytest.param(HTML_EUCKR_NO_META.encode("euc-kr"), "text/html",
                     id="euc-kr bytes, no charset"),
        pytest.param(HTML_EUCKR_NO_META.encode("euc-kr"), "text/html; charset=iso-8859-1",
                     id="euc-kr bytes, server-default latin-1"),
        pytest.param(HTML_EUCKR_NO_META.encode("utf-8"), "text/html; charset=euc-kr",
                     id="utf-8 bytes, wrong euc-kr header"),
        pytest.param(HTML_EUCKR_META.encode("euc-kr"), "text/html; charset=UTF-8",
                     id="euc-kr meta beats wrong header"),
    ],
)
def test_korean_page_decodes_whatever_the_header_says(server, make_fetcher, body, content_type):
    server.route("/ko.html", body, content_type=content_type)
    page = make_fetcher().get(server.url("/ko.html"))
    assert KOREAN in page.text
    assert "\ufffd" not in page.text
    assert page.body == body


def test_page_without_content_type_header(server, make_fetcher):
    server.route("/bare", HTML_EUCKR_NO_META.encode("cp949"))
    page = make_fetcher().get(server.url("/bare"))
    assert KOREAN in page.text
    assert page.content_type == ""


# -- decode_html unit tests --------------------------------------------------------------------

CP949_ONLY = "똠방각하 펲시콜라 햏"  # syllables outside EUC-KR's 2,350: cp949 extensions


@pytest.mark.parametrize(
    "body, content_type, expected",
    [
        (KOREAN.encode("euc-kr"), "text/html; charset=utf-8", KOREAN),
        (KOREAN.encode("euc-kr"), None, KOREAN),
        (KOREAN.encode("utf-8"), "text/html; charset=euc-kr", KOREAN),
        (KOREAN.encode("utf-8"), None, KOREAN),
        (CP949_ONLY.encode("cp949"), "text/html; charset=euc-kr", CP949_ONLY),
        (CP949_ONLY.encode("cp949"), 'text/html; charset="ks_c_5601-1987"', CP949_ONLY),
        (HTML_EUCKR_HTTP_EQUIV.encode("cp949"), None, HTML_EUCKR_HTTP_EQUIV),
        (HTML_EUCKR_META.encode("euc-kr"), "text/html; charset=utf-8", HTML_EUCKR_META),
        (b"\xef\xbb\xbf" + KOREAN.encode("utf-8"), "text/html; charset=euc-kr", KOREAN),
        (b"\xff\xfe" + KOREAN.encode("utf-16-le"), None, KOREAN),
        (b"plain ascii", "text/html; charset=euc-kr", "plain ascii"),
        (b"", "text/html", ""),
        ("café".encode("cp1252"), "text/html; charset=iso-8859-1", "café"),
        ('<?xml version="1.0" encoding="EUC-KR"?><rss>뉴스</rss>'.encode("euc-kr"), None,
         '<?xml version="1.0" encoding="EUC-KR"?><rss>뉴스</rss>'),
        (HTML_EUCKR_NO_META.encode("euc-kr"), "text/html; charset=bogus-charset",
         HTML_EUCKR_NO_META),
    ],
)
def test_decode_html(body, content_type, expected):
    assert decode_html(body, content_type) == expected


def test_decode_html_meta_charset_only_in_first_4kb():
    padding = "<!-- " + "x" * 5000 + " -->"
    html = f"<html><head>{padding}<meta charset='windows-1252'></head><body>{KOREAN}</body></html>"
    # The late meta is ignored, so cp949 wins instead of windows-1252 mojibake.
    assert KOREAN in decode_html(html.encode("cp949"))


def test_decode_html_stray_byte_keeps_korean_readable():
    body = KOREAN.encode("euc-kr") + b"\xff\xff" + KOREAN.encode("euc-kr")
    text = decode_html(body, "text/html; charset=euc-kr")
    assert text.count(KOREAN) == 2
    assert 1 <= text.count("\ufffd") <= 2


@pytest.mark.parametrize(
    "charset", ["nonsense", "idna", "punycode", "base64", "hex", "rot13", "undefined", "utf-16",
                "x-user-defined", "utf-7"],
)
def test_decode_html_undecodable_garbage_never_raises(charset):
    garbage = bytes(range(256)) * 4
    assert isinstance(decode_html(garbage, f"text/html; charset={charset}"), str)
    meta = f'<meta charset="{charset}">'.encode() + garbage
    assert isinstance(decode_html(meta), str)


def test_non_ascii_conditional_header_is_a_fetch_error(server, make_fetcher):
    server.route("/x", "ok")
    with pytest.raises(FetchError):
        make_fetcher().get(server.url("/x"), etag='"판"')


# -- hostile answers and settings: a FetchError, never another exception ------------------------

@pytest.mark.parametrize("location", ["http://[::1", "https://news.example]/a",
                                      "http://127.0.0.1:99999/"])
def test_redirect_to_an_unparseable_url(server, make_fetcher, location):
    server.route_reply("/bad-redirect", redirect(location))
    url = server.url("/bad-redirect")
    with pytest.raises(FetchError) as err:
        make_fetcher().get(url)
    message = str(err.value)
    assert "\n" not in message and err.value.source == url
    assert "invalid URL" in message or "Invalid URL in location" in message, message


@pytest.mark.parametrize("url", ["http://[::1", "https://news.example]/a/1", "http:///x"])
def test_unparseable_url_is_a_fetch_error(make_fetcher, url):
    with pytest.raises(FetchError, match="invalid URL"):
        make_fetcher().get(url)


@pytest.mark.parametrize(("header", "value"), [("Content-Length", "²"), ("Retry-After", "²")])
def test_unicode_digits_in_headers(server, make_fetcher, header, value):
    # "²".isdigit() is True and int("²") raises: such a header must not escape as ValueError
    status = 503 if header == "Retry-After" else 200
    server.route_reply("/odd", Reply(status=status, body=b"<p>x</p>",
                                     headers={header: value}, send_length=False))
    with pytest.raises(FetchError, match="HTTP 503" if status == 503 else "Content-Length"):
        make_fetcher(retries=1).get(server.url("/odd"))


def test_non_ascii_user_agent_is_a_fetch_error():
    with pytest.raises(FetchError, match="User-Agent"):
        Fetcher(user_agent="속보봇/1.0")
