"""URLs from untrusted text (feeds, pages, config): parsed without raising.

``urllib.parse`` raises ``ValueError`` on inputs such as ``http://[::1`` or
``https://news.example]/a``; a feed or page carrying one must lose that one link, never the
whole input. Every stage that reads a URL it did not make goes through these helpers.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import SplitResult, urljoin, urlsplit
from urllib.request import url2pathname

__all__ = ["file_path", "http_url", "join_url", "split_url", "url_host", "url_scheme"]

WEB_SCHEMES = ("http", "https")


def split_url(url: str) -> SplitResult | None:
    """The parts of ``url``, or None when it cannot be parsed (bad brackets, port, host)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except (ValueError, TypeError):
        return None
    return parts


def url_scheme(url: str) -> str | None:
    parts = split_url(url)
    return parts.scheme.lower() if parts is not None else None


def url_host(url: str) -> str | None:
    parts = split_url(url)
    return parts.hostname if parts is not None else None


def http_url(url: str | None) -> str | None:
    """``url`` when it is a parseable http(s) URL with a host, else None."""
    if not url or not isinstance(url, str):
        return None
    parts = split_url(url.strip())
    if parts is None or parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname:
        return None
    return url.strip()


def join_url(base: str, link: str) -> str | None:
    """``link`` resolved against ``base``; None when either cannot be parsed."""
    try:
        joined = urljoin(base, link)
    except (ValueError, TypeError):
        return None
    return joined if split_url(joined) is not None else None


def file_path(url: str) -> Path | None:
    """The local path of a ``file:`` URL (percent-decoded), or None."""
    parts = split_url(url)
    if parts is None or parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    return Path(url2pathname(parts.path))
