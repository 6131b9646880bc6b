"""Inputs → Articles: local HTML/text/JSONL files, RSS/Atom feeds (local or HTTP), article URLs.

Each input either yields articles or one SokboError; one bad input never stops the others.
"""
from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path

from sokbo.errors import InputError, SokboError
from sokbo.models import Article
from sokbo.urls import file_path, join_url, url_scheme

log = logging.getLogger(__name__)

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}
MAX_FILE_BYTES = 20_000_000


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One feed entry. ``outlet`` is the item's own ``<source>``; ``feed_title`` the channel's.

    ``stamp`` is the entry's raw updated/published string: when it changes, the page is
    fetched again (conditionally); when it does not, a stored article is not refetched.
    """

    url: str
    title: str
    outlet: str | None
    published: datetime | None
    category: str | None = None
    feed_title: str | None = None
    stamp: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed's usable items, plus one line per entry that was skipped (unsafe or no link)."""

    items: list[FeedItem]
    skipped: list[str]
    title: str | None = None


def demo_feed() -> Path:
    """The bundled demo corpus's RSS file (fictional articles shipped with sokbo)."""
    return Path(str(resources.files("sokbo").joinpath("demo", "feed.xml")))


def is_url(value: str) -> bool:
    """An http(s) input (even one too broken to fetch: the fetcher then says why)."""
    return value.lower().startswith(("http:", "https:")) or url_scheme(value) in (
        "http", "https")


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
    head = text.lstrip("\ufeff \t\r\n")[:2000].lower()
    roots = ("<rss", "<feed", "<rdf")
    return head.startswith(roots) or (head.startswith("<?xml") and any(r in head for r in roots))


def parse_feed(data: bytes | str, base: str, source: str) -> list[FeedItem]:
    """RSS/Atom → feed items; links are resolved against ``base`` and must be http(s) or files."""
    return read_feed(data, base, source).items


def read_feed(
    data: bytes | str, base: str, source: str, content_type: str | None = None
) -> ParsedFeed:
    """RSS/Atom → items and skipped entries.

    The bytes are decoded here (bytes over a wrong header, as for pages) and handed to
    feedparser as UTF-8 in a stream: feedparser treats a bare ``str``/``bytes`` argument as a
    URL or file name first, which a hostile body must never trigger.
    """
    text = decode_text(data, source, content_type) if isinstance(data, bytes) else data
    text = _XML_DECL_ENCODING.sub(r"\1", text, count=1)
    if not text.strip("\ufeff \t\r\n"):
        raise InputError("feed is empty", source=source)
    try:
        parsed = _feedparser(text)
        entries: list[dict | None] = list(parsed.get("entries") or [])
    except Exception as e:  # noqa: BLE001 - feedparser's loose parser trips on hostile markup
        # (KeyError on a <category> closed outside its <source>): not a bug of ours; read the
        # items one by one so that the bad one costs only itself
        parsed, entries = _parse_items_apart(text, source, e)
    if parsed.get("bozo") and not entries:
        why = parsed.get("bozo_exception", "unreadable")
        raise InputError(_one_line(f"malformed feed: {why}"), source=source)
    if not entries and not parsed.get("version"):
        raise InputError("not an RSS or Atom feed", source=source)
    if parsed.get("bozo"):
        log.warning("feed %s is malformed; %d items recovered: %s", source,
                    len(entries), parsed.get("bozo_exception"))
    feed = parsed.get("feed") or {}
    feed_title = _plain(_text(feed.get("title"))) or None
    items: list[FeedItem] = []
    skipped: list[str] = []
    for n, entry in enumerate(entries, 1):
        if entry is None:
            skipped.append(f"{source}: feed item {n} could not be parsed, skipped")
            continue
        try:
            item = _feed_item(entry, base, feed_title)
        except InputError as e:
            skipped.append(f"{source}: feed item {n} {e}, skipped")
            continue
        except Exception as e:  # noqa: BLE001 - one entry must not cost the others
            from sokbo.crashlog import item_failed

            skipped.append(f"{source}: feed item {n} skipped: {item_failed(e, source)}")
            continue
        items.append(item)
    return ParsedFeed(items=items, skipped=skipped, title=feed_title)


def _feedparser(text: str) -> dict:
    """feedparser on a decoded feed, given as a UTF-8 stream (never as a URL or path)."""
    import io

    import feedparser

    return feedparser.parse(
        io.BytesIO(text.encode("utf-8", "replace")),
        response_headers={"content-type": "application/xml; charset=utf-8"},
    )


_FEED_ITEM = re.compile(r"<(item|entry)\b.*?</\1\s*>", re.S | re.I)


def _parse_items_apart(text: str, source: str, error: Exception) -> tuple[dict, list[dict | None]]:
    """Each <item>/<entry> parsed inside the feed's own head and tail; None for one that
    fails. Used only when the whole document makes feedparser fail."""
    found = list(_FEED_ITEM.finditer(text))
    if not found:
        raise InputError(f"malformed feed: the parser failed ({type(error).__name__})",
                         source=source) from error
    head, tail = text[: found[0].start()], text[found[-1].end():]
    try:
        parsed = _feedparser(head + tail)
    except Exception:  # noqa: BLE001 - the channel itself is broken: no title, items still
        parsed = {"version": "rss"}
    entries: list[dict | None] = []
    for m in found:
        try:
            one = _feedparser(head + m.group(0) + tail).get("entries") or []
        except Exception:  # noqa: BLE001 - this item is the one the parser trips on
            one = []
        entries.append(one[0] if len(one) == 1 else None)
    log.warning("feed %s made the parser fail (%s); read item by item", source,
                type(error).__name__)
    return parsed, entries


def _feed_item(entry: dict, base: str, feed_title: str | None) -> FeedItem:
    """One feed entry → FeedItem; InputError("has no link" / "has an unsafe link …")."""
    from sokbo.dates import feed_entry_datetime

    link = _text(entry.get("link")).strip()
    if not link:
        raise InputError("has no link")
    resolved = join_url(base, link)
    if resolved is None:
        raise InputError("has an invalid link")
    scheme = url_scheme(resolved) or ""
    if scheme not in ("http", "https", "file") or (
        scheme == "file" and not base.startswith("file:")
    ):
        # Only the scheme goes into the message: the link itself may be a script.
        shown = re.sub(r"[^a-z0-9+.-]", "", scheme)[:20] or "no scheme"
        raise InputError(f"has an unsafe link (scheme {shown})")
    src = entry.get("source") or {}
    outlet = _plain(_text(src.get("title"))) if isinstance(src, dict) else ""
    tags = entry.get("tags") or []
    first = tags[0] if isinstance(tags, list) and tags else None
    category = _plain(_text(first.get("term"))) if isinstance(first, dict) else ""
    stamp = next((entry[k].strip() for k in ("updated", "published")
                  if isinstance(entry.get(k), str) and entry[k].strip()), None)
    return FeedItem(
        url=resolved,
        title=_plain(_text(entry.get("title"))),
        outlet=outlet or None,
        published=feed_entry_datetime(entry),
        category=category or None,
        feed_title=feed_title,
        stamp=stamp,
    )


def _text(value: object) -> str:
    """A feed field as text: feedparser gives None, str, or (for odd markup) other types."""
    return value if isinstance(value, str) else ""


_XML_DECL_ENCODING = re.compile(r"""^(\ufeff?\s*<\?xml[^>]*?)\s+encoding\s*=\s*["'][^"']*["']""")


def _one_line(text: str) -> str:
    return " ".join(str(text).split())[:300]


def _plain(text: str) -> str:
    """Feed titles may carry markup (even <script>); keep only the text."""
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
            outlet=(item.outlet or item.feed_title) if item else None,
            published=item.published if item else None,
            category=item.category if item else None,
        )
    return article_from_text(text, source=str(path))


JSONL_FIELDS = ("title", "text", "url", "outlet", "published")


def articles_from_jsonl(path: Path) -> Iterable[Article | SokboError]:
    """JSONL with {"title","text","url","outlet","published"} per line; each line is read on
    its own: a bad line yields its error (source ``path:line``) and the next line is read."""
    from sokbo.crashlog import item_failed

    for line, where in jsonl_lines(path):
        try:
            yield article_from_record(line, where)
        except SokboError as e:
            yield e
        except Exception as e:  # noqa: BLE001 - one bad line must not cost the others
            yield item_failed(e, where)


def jsonl_lines(path: Path) -> Iterable[tuple[str, str]]:
    """(line, ``path:line number``) of each non-blank line of a JSONL file."""
    data = read_input_bytes(path)
    text = decode_text(data, str(path))
    # splitlines() would also split on U+2028, \x1c… that JSON strings may hold raw
    for n, line in enumerate(text.split("\n"), 1):
        if line.strip():
            yield line, f"{path}:{n}"


def article_from_record(line: str, where: str) -> Article:
    """One JSONL line → Article; InputError naming the problem otherwise."""
    from sokbo.dates import parse_datetime
    from sokbo.extract import article_from_text
    from sokbo.urls import http_url

    try:
        rec = json.loads(line)
    except (ValueError, RecursionError):  # RecursionError: "[[[[…" nested thousands deep
        raise InputError("not valid JSON", source=where) from None
    if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
        raise InputError('each line needs a "text" string', source=where)
    for key in JSONL_FIELDS:
        value = rec.get(key)
        if value is not None and not isinstance(value, str):
            raise InputError(f'"{key}" must be a string, not {_json_type(value)}', source=where)
    url = (rec.get("url") or "").strip()
    if url and http_url(url) is None:
        raise InputError('"url" must be an http(s) URL', source=where)
    published = None
    if rec.get("published"):
        published = parse_datetime(rec["published"])
        if published is None:
            raise InputError('"published" is not a date', source=where)
    return article_from_text(
        rec["text"],
        title=(rec.get("title") or "").strip() or None,
        url=url,
        outlet=(rec.get("outlet") or "").strip() or None,
        published=published,
        source=where,
    )


def _json_type(value: object) -> str:
    return {bool: "true/false", int: "a number", float: "a number", list: "a list",
            dict: "an object"}.get(type(value), type(value).__name__)


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
    """Articles (or errors) from one input: file, feed, JSONL or URL.

    Feeds and JSONL files are read item by item: a bad item yields its error and the next
    item is read. A bug met on the way becomes an InternalError (traceback logged).
    """
    from sokbo.crashlog import item_failed, reading

    with reading(value):
        try:
            if is_url(value):
                yield from _iter_url(value, fetch)
                return
            path = Path(value)
            suffix = path.suffix.lower()
            if suffix == ".jsonl":
                yield from articles_from_jsonl(path)
            elif suffix in FEED_SUFFIXES:
                yield from _iter_feed(read_input_bytes(path), path.resolve().as_uri(),
                                      str(path), None, fetch)
            else:
                yield article_from_file(path)
        except SokboError as e:
            yield e
        except Exception as e:  # noqa: BLE001 - one broken input must not stop the others
            yield item_failed(e, value)


def _iter_feed(
    data: bytes | str, base: str, source: str, content_type: str | None,
    fetch: Callable[[str], tuple[bytes, str, str | None]] | None,
) -> Iterable[Article | SokboError]:
    parsed = read_feed(data, base, source, content_type)
    for line in parsed.skipped:
        yield InputError(line)
    for item in parsed.items:
        yield from _iter_item(item, fetch)


def _iter_url(
    url: str, fetch: Callable[[str], tuple[bytes, str, str | None]] | None
) -> Iterable[Article | SokboError]:
    from sokbo.extract import extract_article

    if fetch is None:
        raise InputError("fetching URLs needs a fetcher", source=url)
    body, final_url, content_type = fetch(url)
    text = decode_text(body, url, content_type)
    if looks_like_feed(text):
        yield from _iter_feed(text, final_url, url, None, fetch)
    else:
        yield extract_article(text, url=final_url)


def _iter_item(
    item: FeedItem, fetch: Callable[[str], tuple[bytes, str, str | None]] | None
) -> Iterable[Article | SokboError]:
    from sokbo.crashlog import item_failed
    from sokbo.extract import extract_article

    try:
        if item.url.startswith("file:"):
            path = file_path(item.url)
            if path is None:
                raise InputError("not a local file URL", source=item.url)
            yield article_from_file(path, item)
            return
        if fetch is None:
            raise InputError("fetching URLs needs a fetcher", source=item.url)
        body, final_url, content_type = fetch(item.url)
        text = decode_text(body, item.url, content_type)
        yield extract_article(
            text,
            url=final_url,
            outlet=item.outlet or item.feed_title,
            published=item.published,
            title=None,
            category=item.category,
        )
    except SokboError as e:
        yield e
    except Exception as e:  # noqa: BLE001 - a broken page must not stop the feed
        yield item_failed(e, item.url)
