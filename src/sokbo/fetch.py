"""Fetch stage: URL → Page over HTTP (httpx), with retries, size caps and per-host politeness.

Also owns ``decode_html``, because Korean sites often declare the wrong charset.
"""
from __future__ import annotations

import codecs
import logging
import re
import threading
import time
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sokbo.errors import FetchError
from sokbo.urls import join_url, split_url

if TYPE_CHECKING:
    import httpx

__all__ = ["Fetcher", "Page", "decode_html"]

log = logging.getLogger(__name__)

_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
# Retry-After can ask for minutes; a CLI run should not hang that long, so we cap it.
_MAX_RETRY_AFTER = 10.0
# A body may trickle in one byte at a time without ever tripping the read timeout,
# so each attempt also has an overall deadline of this many read timeouts.
_DEADLINE_FACTOR = 3.0


@dataclass(frozen=True, slots=True)
class Page:
    """One fetched URL. ``text`` is ``""`` when the server answered 304 Not Modified."""

    url: str
    final_url: str
    status: int
    body: bytes
    text: str
    content_type: str
    etag: str | None
    last_modified: str | None
    not_modified: bool


class _Retryable(Exception):
    """An attempt failed in a way worth trying again; ``reason`` is the user-facing line."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    headers: httpx.Headers
    body: bytes


class Fetcher:
    """A polite HTTP client for news pages and feeds.

    Example::

        with Fetcher(user_agent="sokbo/0.1 (+https://example.org/sokbo)") as f:
            page = f.get("https://www.yna.co.kr/rss/news.xml")

    Worst case for one ``get``: ``(retries + 1)`` attempts per redirect hop, each bounded by
    ``3 × timeout``, plus backoff sleeps.
    """

    def __init__(
        self,
        *,
        user_agent: str,
        timeout: float = 10.0,
        retries: int = 2,
        max_bytes: int = 10_000_000,
        max_redirects: int = 5,
        politeness_seconds: float = 1.0,
        backoff_seconds: float = 0.5,
    ) -> None:
        self.user_agent = user_agent
        self.timeout = timeout
        self.retries = max(0, retries)
        self.max_bytes = max_bytes
        self.max_redirects = max(0, max_redirects)
        self.politeness_seconds = max(0.0, politeness_seconds)
        self.backoff_seconds = max(0.0, backoff_seconds)
        import httpx  # here, not at the top: reading local files decodes with this module

        # Redirects are followed by hand so each hop gets retries, politeness and a scheme check.
        try:
            self._client = httpx.Client(
                headers={"User-Agent": user_agent},
                timeout=httpx.Timeout(timeout),
                follow_redirects=False,
                trust_env=True,
            )
        except (UnicodeError, ValueError) as e:  # a User-Agent that cannot be a header
            raise FetchError(f"invalid User-Agent for HTTP: {type(e).__name__}",
                             source="http.user_agent") from None
        self._next_slot: dict[str, float] = {}
        self._lock = threading.Lock()

    # -- context manager -------------------------------------------------------------------

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close pooled connections."""
        self._client.close()

    # -- public API ------------------------------------------------------------------------

    def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> Page:
        """GET ``url``, following redirects; send conditional headers when given.

        Raises:
            FetchError: with a one-line reason and ``source=url``.
        """
        _check_scheme(url, url)
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified

        current = url
        for _hop in range(self.max_redirects + 1):
            answer = self._get_with_retries(url, current, headers)
            if answer.status in _REDIRECT_CODES:
                location = answer.headers.get("location")
                if not location:
                    raise FetchError(f"HTTP {answer.status} without a Location header", source=url)
                target = join_url(current, location.strip())
                if target is None:
                    raise FetchError("redirect to an invalid URL", source=url)
                current = target
                _check_scheme(current, url, what="redirect to unsupported URL scheme")
                log.debug("redirect %s -> %s", url, current)
                continue
            return self._page(url, current, answer)
        raise FetchError(f"too many redirects (more than {self.max_redirects})", source=url)

    # -- internals -------------------------------------------------------------------------

    def _page(self, url: str, final_url: str, answer: _Answer) -> Page:
        status = answer.status
        if status == 304:
            not_modified = True
        elif 200 <= status < 300:
            not_modified = False
        else:
            raise FetchError(f"HTTP {status}", source=url)
        content_type = answer.headers.get("content-type", "")
        return Page(
            url=url,
            final_url=final_url,
            status=status,
            body=answer.body,
            text="" if not_modified else decode_html(answer.body, content_type),
            content_type=content_type,
            etag=answer.headers.get("etag"),
            last_modified=answer.headers.get("last-modified"),
            not_modified=not_modified,
        )

    def _get_with_retries(self, source: str, url: str, headers: dict[str, str]) -> _Answer:
        tries = self.retries + 1
        for attempt in range(tries):
            try:
                return self._attempt(source, url, headers)
            except _Retryable as failure:
                if attempt + 1 >= tries:
                    suffix = f" after {tries} tries" if tries > 1 else ""
                    raise FetchError(f"{failure.reason}{suffix}", source=source) from None
                delay = self.backoff_seconds * (2**attempt)
                if failure.retry_after is not None:
                    delay = max(delay, min(failure.retry_after, _MAX_RETRY_AFTER))
                log.info("fetch retry %s: %s (sleep %.2fs)", url, failure.reason, delay)
                time.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _attempt(self, source: str, url: str, headers: dict[str, str]) -> _Answer:
        """One HTTP exchange. Raises _Retryable for transient failures, FetchError otherwise."""
        import httpx

        self._wait_for_host(url)
        deadline = time.monotonic() + _DEADLINE_FACTOR * self.timeout
        try:
            with self._client.stream("GET", url, headers=headers) as resp:
                status = resp.status_code
                if status >= 500 or status == 429:
                    raise _Retryable(f"HTTP {status}", _retry_after(resp.headers))
                if status >= 300:
                    # Redirects, 304 and client errors: the body is not needed.
                    return _Answer(status, resp.headers, b"")
                body = self._read_body(source, resp, deadline)
                return _Answer(status, resp.headers, body)
        except httpx.TimeoutException:
            raise _Retryable("timed out") from None
        except httpx.ConnectError as exc:
            raise _Retryable(_connect_reason(exc)) from None
        except httpx.RemoteProtocolError as exc:
            raise _Retryable(_protocol_reason(exc)) from None
        except (httpx.ReadError, httpx.WriteError, httpx.CloseError):
            raise _Retryable("connection reset") from None
        except httpx.DecodingError:
            raise FetchError("could not decode the compressed body", source=source) from None
        except httpx.UnsupportedProtocol:
            raise FetchError("unsupported URL scheme", source=source) from None
        except httpx.InvalidURL:
            raise FetchError("invalid URL", source=source) from None
        except httpx.HTTPError as exc:
            raise FetchError(_one_line(f"{type(exc).__name__}: {exc}"), source=source) from None
        except UnicodeError:
            # a header value (etag, last_modified) or URL that cannot go on the wire
            raise FetchError("invalid URL or header value", source=source) from None

    def _read_body(self, source: str, resp: httpx.Response, deadline: float) -> bytes:
        too_big = f"body larger than {_human_size(self.max_bytes)}"
        declared = _content_length(resp.headers)
        if declared is not None and declared > self.max_bytes:
            raise FetchError(too_big, source=source)
        chunks: list[bytes] = []
        total = 0
        # Decoded bytes are counted, so a gzip bomb is capped too.
        for chunk in resp.iter_bytes():
            total += len(chunk)
            if total > self.max_bytes:
                raise FetchError(too_big, source=source)
            chunks.append(chunk)
            if time.monotonic() > deadline:
                raise _Retryable("timed out")
        return b"".join(chunks)

    def _wait_for_host(self, url: str) -> None:
        """Sleep until ``politeness_seconds`` have passed since the last request to this host."""
        if self.politeness_seconds <= 0:
            return
        host = (urlsplit(url).hostname or "").lower()
        with self._lock:
            # Reserve the next slot under the lock so threads sharing a Fetcher also space out.
            now = time.monotonic()
            slot = max(now, self._next_slot.get(host, now))
            self._next_slot[host] = slot + self.politeness_seconds
        if slot > now:
            time.sleep(slot - now)


def _check_scheme(url: str, source: str, what: str = "unsupported URL scheme") -> None:
    parts = split_url(url)
    if parts is None:
        raise FetchError("invalid URL", source=source)
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(what, source=source)
    if not parts.hostname:
        raise FetchError("invalid URL: no host", source=source)


def _retry_after(headers: httpx.Headers) -> float | None:
    value = headers.get("retry-after", "").strip()
    if value.isascii() and value.isdigit():  # isdigit() alone accepts "²", which int() refuses
        return float(value)
    return None  # the HTTP-date form is rare; fall back to our own backoff


def _content_length(headers: httpx.Headers) -> int | None:
    value = headers.get("content-length", "").strip()
    return int(value) if value.isascii() and value.isdigit() else None


def _connect_reason(exc: httpx.ConnectError) -> str:
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        cause = cause.__cause__ or cause.__context__
    text = str(exc).lower()
    if "refused" in text:
        return "connection refused"
    if "name or service" in text or "nodename" in text or "getaddrinfo" in text:
        return "host not found"
    return _one_line(f"could not connect: {exc}")


def _protocol_reason(exc: httpx.RemoteProtocolError) -> str:
    text = str(exc).lower()
    if "incomplete" in text or "without sending complete message body" in text:
        return "truncated body"
    if "without sending" in text or "disconnected" in text:
        return "server closed the connection without a response"
    return _one_line(f"protocol error: {exc}")


def _one_line(text: str) -> str:
    line = " ".join(text.split())
    return line[:200] if line else "unknown error"


def _human_size(n: int) -> str:
    if n >= 1_000_000 and n % 100_000 == 0:
        return f"{n / 1_000_000:g} MB"
    return f"{n} bytes"


# -- decoding -------------------------------------------------------------------------------

_META_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""")
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([^"';,\s]+)""", re.IGNORECASE)

# Labels browsers accept for Korean that Python's codec registry does not know.
_KOREAN_LABELS = frozenset(
    {
        "euc-kr", "euc_kr", "euckr", "x-euc-kr", "cp949", "ms949", "windows-949",
        "x-windows-949", "uhc", "ks_c_5601-1987", "ks_c_5601-1989", "ks_c_5601", "ksc5601",
        "ksc_5601", "csksc56011987", "iso-ir-149", "korean", "cseuckr",
    }
)
# Servers default to Latin-1 (mapped to cp1252) when nobody configured a charset;
# on Korean sites the bytes usually say otherwise.
_WEAK_CODECS = frozenset({"cp1252"})


def _codec_name(label: str | None) -> str | None:
    """Map a declared charset label to a Python codec name, or None if unusable."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _KOREAN_LABELS:
        return "cp949"  # cp949 is a superset of EUC-KR; sites labelled euc-kr use its extras
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name == "euc_kr":
        return "cp949"
    if name in ("iso8859-1", "latin-1", "ascii"):
        return "cp1252"  # what browsers do for these labels (WHATWG Encoding)
    return name


def _meta_charset(head: bytes) -> str | None:
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if not match:
        return None
    name = _codec_name(match.group(1).decode("ascii", "replace"))
    if name is not None and name.startswith(("utf-16", "utf-32")):
        return "utf-8"  # a meta we could read as ASCII cannot be UTF-16 (WHATWG rule)
    return name


def _header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return _codec_name(match.group(1)) if match else None


def _korean_cp949(body: bytes) -> str | None:
    """The body as cp949 if it decodes cleanly and its non-ASCII text is mostly Hangul."""
    try:
        text = body.decode("cp949")
    except UnicodeDecodeError:
        return None
    non_ascii = [c for c in text if ord(c) > 0x7F]
    hangul = sum(1 for c in non_ascii if "\uac00" <= c <= "\ud7a3")
    return text if non_ascii and hangul * 2 >= len(non_ascii) else None


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode an HTML (or XML) body, trusting the bytes over a possibly wrong header.

    Order: BOM; valid UTF-8; ``<meta charset>`` / http-equiv / XML declaration in the first
    4 KB; the Content-Type charset; cp949; UTF-8 with replacement characters.
    """
    if not body:
        return ""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if body.startswith(bom):
            return body[len(bom) :].decode(codec, errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass

    declared = [_meta_charset(body[:4096]), _header_charset(content_type)]
    for codec in declared:
        if not codec or codec == "utf-8":
            continue  # utf-8 already failed strictly
        if codec in _WEAK_CODECS:
            # "charset=iso-8859-1" is usually a server default sitting on EUC-KR bytes.
            korean = _korean_cp949(body)
            if korean is not None:
                return korean
        try:
            return body.decode(codec)
        except (UnicodeError, LookupError):  # e.g. charset=idna or base64 from a broken page
            continue
    try:
        return body.decode("cp949")
    except UnicodeDecodeError:
        pass
    # Nothing decodes cleanly: a stray bad byte in a Korean page should not turn the
    # whole page into U+FFFD, so keep whichever candidate loses the fewest characters.
    candidates = [c for c in dict.fromkeys([*declared, "cp949"]) if c and c != "utf-8"]
    best = body.decode("utf-8", errors="replace")
    best_bad = best.count("\ufffd")
    for codec in candidates:
        try:
            text = body.decode(codec, errors="replace")
        except (UnicodeError, LookupError):
            continue
        bad = text.count("\ufffd")
        if bad < best_bad:
            best, best_bad = text, bad
    return best
