"""Inputs → Articles: local HTML/text/JSONL files, RSS/Atom feeds (local or HTTP), article URLs.

Each input either yields articles or one SokboError; one bad input never stops the others.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from urllib.parse import urljoin, urlparse

from sokbo.errors import ExtractError, InputError, SokboError
from sokbo.models import Article

log = logging.getLogger(__name__)

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}
MAX_FILE_BYTES = 20_000_000


@dataclass(frozen=True, slots=True)
class FeedItem:
    url: str
    title: str
    outlet: str | None
    published: datetime | None
    category: str | None = None


def demo_feed() -> Path:
    """The bundled demo corpus's RSS file (fictional articles shipped with sokbo)."""
    return Path(str(resources.files("sokbo").joinpath("demo", "feed.xml")))


def is_url(value: str) -> bool:
    return urlparse(value).scheme in ("http", "https")


def read_input_bytes(path: Path) -> bytes:
    """Read a local input file, rejecting missing, empty, huge and binary files."""
    if not path.exists():
        raise InputError("file not found", source=str(path))
    if path.is_dir():
        raise InputError("is a directory, not a file", source=str(path))
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError("file larger than 20 MB", source=str(path))
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"cannot read file: {e.strerror}", source=str(path)) from e
    if not data.strip():
        raise InputError("file is empty", source=str(path))
    if b"\x00" in data[:8192]:
        raise InputError("binary file, not HTML, text or JSONL", source=str(path))
    return data


def decode_text(data: bytes, source: str, content_type: str | None = None) -> str:
    from sokbo.fetch import decode_html

    text = decode_html(data, content_type)
    bad = text.count("\ufffd")
    if bad > max(8, len(text) // 50):
        raise InputError("binary file, not HTML, text or JSONL", source=source)
    return text


def looks_like_feed(text: str) -> bool:
    head = text.lstrip()[:2000].lower()
    return head.startswith("<?xml") and ("<rss" in head or "<feed" in head or "<rdf" in head) or \
        head.startswith("<rss") or head.startswith("<feed")


def parse_feed(data: bytes | str, base: str, source: str) -> list[FeedItem]:
    """RSS/Atom → feed items; links are resolved against ``base`` and must be http(s) or files."""
    import feedparser

    from sokbo.dates import feed_entry_datetime

    parsed = feedparser.parse(data)
    if parsed.bozo and not parsed.entries:
        raise InputError(f"malformed feed: {parsed.get('bozo_exception', 'unreadable')}",
                         source=source)
    feed_title = parsed.feed.get("title")
    items = []
    for entry in parsed.entries:
        link = (entry.get("link") or "").strip()
        if not link:
            log.warning("feed item without link in %s", source)
            continue
        resolved = urljoin(base, link)
        if urlparse(resolved).scheme not in ("http", "https", "file"):
            log.warning("feed item with unsafe link skipped: %s", link[:80])
            continue
        src = entry.get("source") or {}
        outlet = src.get("title") if isinstance(src, dict) else None
        tags = entry.get("tags") or []
        items.append(
            FeedItem(
                url=resolved,
                title=_plain(entry.get("title") or ""),
                outlet=outlet or feed_title,
                published=feed_entry_datetime(entry),
                category=tags[0].get("term") if tags else None,
            )
        )
    return items


def _plain(text: str) -> str:
    """Feed titles may carry markup (even <script>); keep only the text."""
    import re
    from html import unescape

    text = re.sub(r"<script\b.*?</script>", "", text, flags=re.I | re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", text))).strip()


def article_from_file(path: Path, item: FeedItem | None = None) -> Article:
    """One local file → Article (HTML page or plain text)."""
    from sokbo.extract import article_from_text, extract_article

    data = read_input_bytes(path)
    text = decode_text(data, str(path))
    if path.suffix.lower() in HTML_SUFFIXES or text.lstrip()[:200].lower().startswith(
        ("<!doctype html", "<html")
    ):
        return extract_article(
            text,
            url=item.url if item and item.url.startswith("http") else path.resolve().as_uri(),
            outlet=item.outlet if item else None,
            published=item.published if item else None,
            category=item.category if item else None,
        )
    return article_from_text(text, source=str(path))


def articles_from_jsonl(path: Path) -> Iterable[Article | SokboError]:
    """JSONL with {"title","text","url","outlet","published"} per line."""
    from sokbo.dates import parse_datetime
    from sokbo.extract import article_from_text

    data = read_input_bytes(path)
    text = decode_text(data, str(path))
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            rec = json.loads(line)
        except ValueError:
            yield InputError("not valid JSON", source=where)
            continue
        if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
            yield InputError('each line needs a "text" string', source=where)
            continue
        try:
            yield article_from_text(
                rec["text"],
                title=rec.get("title") or None,
                url=rec.get("url") or "",
                outlet=rec.get("outlet") or None,
                published=parse_datetime(rec.get("published")),
                source=where,
            )
        except SokboError as e:
            yield e


def load_articles(
    inputs: Iterable[str],
    *,
    fetch: Callable[[str], tuple[bytes, str, str | None]] | None = None,
) -> tuple[list[Article], list[SokboError]]:
    """Read every input; return the articles found and one error per input that failed.

    ``fetch(url) -> (body, final_url, content_type)`` is used for http(s) inputs.
    """
    articles: list[Article] = []
    errors: list[SokboError] = []
    for value in inputs:
        for result in iter_input(value, fetch=fetch):
            if isinstance(result, SokboError):
                errors.append(result)
            else:
                articles.append(result)
    return articles, errors


def iter_input(
    value: str, *, fetch: Callable[[str], tuple[bytes, str, str | None]] | None = None
) -> Iterable[Article | SokboError]:
    """Articles (or errors) from one input: file, feed, JSONL or URL."""
    try:
        if is_url(value):
            yield from _iter_url(value, fetch)
            return
        path = Path(value)
        suffix = path.suffix.lower()
        if suffix == ".jsonl":
            yield from articles_from_jsonl(path)
        elif suffix in FEED_SUFFIXES:
            data = read_input_bytes(path)
            for item in parse_feed(data, path.resolve().as_uri(), str(path)):
                yield from _iter_item(item, fetch)
        else:
            yield article_from_file(path)
    except SokboError as e:
        yield e


def _iter_url(
    url: str, fetch: Callable[[str], tuple[bytes, str, str | None]] | None
) -> Iterable[Article | SokboError]:
    from sokbo.extract import extract_article

    if fetch is None:
        raise InputError("fetching URLs needs a fetcher", source=url)
    body, final_url, content_type = fetch(url)
    text = decode_text(body, url, content_type)
    if looks_like_feed(text):
        for item in parse_feed(body, final_url, url):
            yield from _iter_item(item, fetch)
    else:
        yield extract_article(text, url=final_url)


def _iter_item(
    item: FeedItem, fetch: Callable[[str], tuple[bytes, str, str | None]] | None
) -> Iterable[Article | SokboError]:
    from sokbo.extract import extract_article

    try:
        if item.url.startswith("file:"):
            path = Path(urlparse(item.url).path)
            yield article_from_file(path, item)
            return
        if fetch is None:
            raise InputError("fetching URLs needs a fetcher", source=item.url)
        body, final_url, content_type = fetch(item.url)
        text = decode_text(body, item.url, content_type)
        yield extract_article(
            text,
            url=final_url,
            outlet=item.outlet,
            published=item.published,
            title=None,
            category=item.category,
        )
    except SokboError as e:
        yield e
    except Exception as e:  # noqa: BLE001 - a broken page must not stop the feed
        yield ExtractError(f"could not read article: {type(e).__name__}", source=item.url)
