"""Reading a run's inputs: feeds, pages, files → fresh articles, per-input errors and counts.

HTTP inputs share one polite ``Fetcher`` per run and use conditional GET, so a run every ten
minutes costs one request per unchanged feed and none per stored article:

- a feed item whose page already gave a stored article, and whose feed date (``stamp``) did
  not change, is not fetched again; a changed item is refetched with If-None-Match /
  If-Modified-Since, and a 304 is not re-extracted;
- a feed is asked "changed?" (validators sent) only when every item it listed last time is
  settled (stored, or known to hold no article). A feed read just before a crash is therefore
  read in full on the next start, and its unstored items are fetched again: nothing is lost;
- local files are always re-read (cheap, and how a local corpus picks up edits).
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sokbo.config import Feed, Settings
from sokbo.dates import KST
from sokbo.errors import ExtractError, SokboError
from sokbo.models import Article, article_id_for
from sokbo.store import PageState, Store
from sokbo.urls import url_host

if TYPE_CHECKING:
    from sokbo.fetch import Fetcher, Page
    from sokbo.ingest import FeedItem

__all__ = ["ReadResult", "format_summary", "make_fetcher", "read_inputs"]

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
ShouldStop = Callable[[], bool]

# A page that was fetched but held no article (a photo page, a maintenance notice) is tried
# again after this long even when its feed entry did not change.
FAILED_RETRY = timedelta(hours=6)


def _new_stats() -> dict[str, int]:
    # fetched: 200 answers (or local files) read; not_modified: 304 answers; unchanged: feed
    # items not fetched because nothing changed since they were stored; failed: error lines.
    return {"fetched": 0, "not_modified": 0, "unchanged": 0, "failed": 0}


@dataclass(slots=True)
class ReadResult:
    articles: dict[str, Article] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=_new_stats)
    stopped: bool = False  # should_stop() said so before every input was read


def make_fetcher(settings: Settings) -> Fetcher:
    """The run's HTTP client: honest User-Agent, timeouts, retries, per-host politeness."""
    from sokbo.fetch import Fetcher

    return Fetcher(
        user_agent=settings.user_agent,
        timeout=settings.http_timeout,
        retries=settings.http_retries,
        max_bytes=settings.http_max_bytes,
        politeness_seconds=settings.politeness_seconds,
    )


def read_inputs(
    settings: Settings,
    inputs: Sequence[str],
    store: Store,
    *,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
) -> ReadResult:
    """Every article the inputs yield, keyed by id; one error line per input or item that failed.

    ``should_stop`` is asked before each input and each feed item; when it answers True the
    reading ends there (``ReadResult.stopped``) and what was read so far is returned.
    """
    reader = _Reader(settings, store, progress, should_stop)
    try:
        for n, value in enumerate(inputs, 1):
            if reader.stop_requested():
                break
            if progress:
                progress(f"reading {value}", n, len(inputs))
            reader.read(value)
    finally:
        reader.close()
    return reader.result


def format_summary(report: Any) -> str:
    """One line for a run: what was written, what was read, what was fetched or failed.

    "unchanged" is said once, of posts; feed items skipped because they are stored already
    are "already stored".

    Example: ``3 new posts, 1 updated, 4 unchanged; 9 articles read (3 new, 1 changed);
    fetched 9, not modified 2, already stored 7, failed 1``
    """
    stats = report.fetch_stats
    line = (
        f"{report.count('new')} new posts, {report.count('updated')} updated, "
        f"{report.count('unchanged')} unchanged; {report.articles_read} articles read "
        f"({report.articles_new} new, {report.articles_changed} changed)"
    )
    if stats:
        line += (
            f"; fetched {stats.get('fetched', 0)}, not modified {stats.get('not_modified', 0)}, "
            f"already stored {stats.get('unchanged', 0)}, failed {stats.get('failed', 0)}"
        )
    elif report.errors:  # `sokbo post`: no feeds, so nothing counted the failures
        line += f"; {len(report.errors)} inputs skipped"
    if getattr(report, "stopped", False):
        line += " (stopped early)"
    return line


def one_line(text: object, limit: int = 300) -> str:
    """A message squeezed onto one line (servers and feeds can put anything in an error)."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


class _Reader:
    """State for one run's reading: the fetcher, what is stored, what was handled already."""

    def __init__(self, settings: Settings, store: Store, progress: Progress | None,
                 should_stop: ShouldStop | None) -> None:
        self.settings = settings
        self.store = store
        self.progress = progress
        self.should_stop = should_stop
        self.result = ReadResult()
        self.stats = self.result.stats
        self.configured = {f.url: f for f in settings.feeds}
        self.stored = store.article_urls()  # article id → url
        self.done: set[str] = set()         # page URLs handled this run (feeds overlap)
        self._fetcher: Fetcher | None = None

    # -- plumbing ------------------------------------------------------------------------

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = make_fetcher(self.settings)
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()

    def stop_requested(self) -> bool:
        if self.should_stop is not None and self.should_stop():
            self.result.stopped = True
        return self.result.stopped

    def fail(self, error: SokboError | str) -> None:
        self.result.errors.append(one_line(error))
        self.stats["failed"] += 1

    def add(self, article: Article) -> None:
        if article.published is not None and article.published.utcoffset() is None:
            # Korean sources rarely state a zone; every stored time is zone-aware (KST).
            article = replace(article, published=article.published.replace(tzinfo=KST))
        self.result.articles[article.id] = article

    # -- inputs --------------------------------------------------------------------------

    def read(self, value: str) -> None:
        from sokbo.crashlog import item_failed, reading
        from sokbo.ingest import FEED_SUFFIXES, is_url, iter_input

        with reading(value):
            try:
                if is_url(value):
                    self._read_url(value, self.configured.get(value))
                elif Path(value).suffix.lower() in FEED_SUFFIXES:
                    self._read_local_feed(Path(value))
                else:
                    for item in iter_input(value):
                        if isinstance(item, SokboError):
                            self.fail(item)
                        else:
                            self.stats["fetched"] += 1
                            self.add(item)
            except SokboError as e:
                self.fail(e)
            except Exception as e:  # noqa: BLE001 - one broken input must not stop the others
                self.fail(item_failed(e, value))

    def _read_local_feed(self, path: Path) -> None:
        from sokbo.ingest import read_feed, read_input_bytes

        parsed = read_feed(read_input_bytes(path), path.resolve().as_uri(), str(path))
        for line in parsed.skipped:
            self.fail(line)
        self._read_items(parsed.items, self.configured.get(str(path)))

    def _read_url(self, url: str, feed: Feed | None) -> None:
        """A URL input: a feed (conditional when settled) or an article page (conditional)."""
        from sokbo.ingest import decode_text, looks_like_feed, read_feed

        listed = self.store.feed_items(url)
        row = self.store.page_state(url)
        etag = last_modified = None
        if listed is not None:
            if all(self._settled(u, stamp) for u, stamp in listed.items()):
                etag, last_modified = self.store.feed_state(url)
        elif row is not None and self._have(row):
            etag, last_modified = row.etag, row.last_modified
        page = self.fetcher.get(url, etag=etag, last_modified=last_modified)
        if page.not_modified:
            self.stats["not_modified"] += 1
            return
        self.stats["fetched"] += 1
        text = decode_text(page.body, url, page.content_type)
        if looks_like_feed(text):
            parsed = read_feed(text, page.final_url, url)
            # Saved before the items are read: _settled() keeps this safe if we crash.
            self.store.save_feed_state(url, page.etag, page.last_modified,
                                       {i.url: i.stamp for i in parsed.items})
            for line in parsed.skipped:
                self.fail(line)
            self._read_items(parsed.items, feed)
            return
        if feed is not None:
            raise ExtractError("configured as a feed but not an RSS or Atom feed", source=url)
        self.done.add(url)
        article = self._extract(page, url, None)
        self.add(article)
        self.store.save_page_state(PageState(url, article.id, page.etag, page.last_modified,
                                             None, "ok"))

    # -- feed items ----------------------------------------------------------------------

    def _read_items(self, items: list[FeedItem], feed: Feed | None) -> None:
        from sokbo.crashlog import item_failed, reading

        for n, item in enumerate(items, 1):
            if self.stop_requested():
                return
            if self.progress:
                self.progress(f"fetching {item.url}", n, len(items))
            with reading(item.url):
                try:
                    self._read_item(item, feed)
                except SokboError as e:
                    self.fail(e)
                except Exception as e:  # noqa: BLE001 - one bad item must not cost the others
                    self.fail(item_failed(e, item.url))

    def _read_item(self, item: FeedItem, feed: Feed | None) -> None:
        from sokbo.errors import FetchError, InputError
        from sokbo.ingest import article_from_file
        from sokbo.urls import file_path

        if item.url in self.done:
            return
        self.done.add(item.url)
        if item.url.startswith("file:"):
            path = file_path(item.url)
            if path is None:
                raise InputError("not a local file URL", source=item.url)
            article = article_from_file(path, item)  # errors: counted by _read_items
            self.stats["fetched"] += 1
            self.add(article)
            return
        row = self.store.page_state(item.url)
        if self._settled(item.url, item.stamp, row):
            self.stats["unchanged"] += 1
            return
        have = row is not None and self._have(row)
        try:
            page = self.fetcher.get(
                item.url,
                etag=row.etag if have and row else None,
                last_modified=row.last_modified if have and row else None,
            )
        except FetchError as e:
            self.fail(e)  # transient: the state is left alone, so the next run retries it
            return
        if page.not_modified:
            self.stats["not_modified"] += 1
            if row is not None:
                self.store.save_page_state(replace(
                    row, etag=page.etag or row.etag,
                    last_modified=page.last_modified or row.last_modified, stamp=item.stamp))
            return
        self.stats["fetched"] += 1
        try:
            article = self._extract(page, item.url, item, feed)
        except Exception as e:  # noqa: BLE001 - a broken page must not stop the feed
            if not isinstance(e, SokboError):
                from sokbo.crashlog import item_failed

                e = item_failed(e, item.url)
            self.fail(e)
            self.store.save_page_state(PageState(
                item.url, row.article_id if row else None, None, None, item.stamp, "failed"))
            return
        self.add(article)
        self.store.save_page_state(PageState(item.url, article.id, page.etag,
                                             page.last_modified, item.stamp, "ok"))

    def _extract(self, page: Page, url: str, item: FeedItem | None,
                 feed: Feed | None = None) -> Article:
        """Page → Article. Outlet: the item's <source>, the configured outlet, the page's
        own site name, then the feed title; the hostname only when nothing else says."""
        from sokbo.extract import extract_article
        from sokbo.ingest import decode_text

        text = decode_text(page.body, url, page.content_type)
        outlet = (item.outlet if item else None) or (feed.outlet if feed else None)
        category = (item.category if item else None) or (feed.category if feed else None)
        article = extract_article(
            text,
            url=page.final_url,
            outlet=outlet,
            published=item.published if item else None,
            title=None,
            category=category,
        )
        hosts = {url_host(u) for u in (page.final_url, article.url)}
        if outlet is None and item and item.feed_title and article.outlet in hosts:
            article = replace(article, outlet=item.feed_title)
        return article

    # -- what is settled -----------------------------------------------------------------

    def _have(self, row: PageState) -> bool:
        """The page's article is stored, so a 304 for it loses nothing."""
        return row.status == "ok" and row.article_id is not None and \
            row.article_id in self.stored

    def _settled(self, url: str, stamp: str | None, row: PageState | None = None) -> bool:
        """Nothing to do for this feed item: stored (or known to hold no article), unchanged."""
        if row is None:
            row = self.store.page_state(url)
        if row is None:
            # Stored by an older sokbo, or by `sokbo post`: the canonical URL is the link.
            return self.stored.get(article_id_for(url)) == url
        if row.stamp != stamp:
            return False
        if row.status == "failed":
            return _age(row.checked) < FAILED_RETRY
        return self._have(row)


def _age(checked: str | None) -> timedelta:
    if not checked:
        return timedelta.max
    try:
        then = datetime.fromisoformat(checked)
    except ValueError:
        return timedelta.max
    if then.utcoffset() is None:
        then = then.replace(tzinfo=timezone.utc)
    return datetime.now(timezone.utc) - then
