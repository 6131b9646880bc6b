"""Reading a run's inputs: feeds, pages, files → fresh articles, per-input errors and counts.

HTTP inputs share one polite ``Fetcher`` per run and use conditional GET, so a run every ten
minutes costs one request per unchanged feed and none per stored article:

- a feed item whose page already gave a stored article, and whose feed date (``stamp``) did
  not change, is not fetched again; a changed item is refetched with If-None-Match /
  If-Modified-Since, and a 304 is not re-extracted;
- a feed is asked "changed?" (validators sent) only when every item it listed last time is
  settled (stored, or known to hold no article). A feed read just before a crash is therefore
  read in full on the next start, and its unstored items are fetched again: nothing is lost;
- local files are always re-read (cheap, and how a local corpus picks up edits), but an input
  whose raw bytes gave a stored, unchanged article (a JSONL line, a file, a fetched body: see
  the store's ``raw_inputs``) is not extracted again: a rerun costs what changed.

Extraction and analysis (Kiwi) run as jobs (``sokbo.workers``) in ``settings.workers``
processes; their results are taken in reading order, so the run is the same with any number.
The articles read are kept on disk (:class:`ArticleSpool`) until their story is written: a
first run of 10,000 articles holds their headlines in memory, not their texts and terms.
"""
from __future__ import annotations

import logging
import pickle
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sokbo.config import Feed, Settings
from sokbo.dates import KST
from sokbo.errors import ExtractError, InputError, SokboError
from sokbo.models import Article, article_id_for, content_hash
from sokbo.store import PageState, Store
from sokbo.urls import url_host

if TYPE_CHECKING:
    from sokbo.fetch import Fetcher, Page
    from sokbo.ingest import FeedItem
    from sokbo.workers import Job, Outcome, Workers

__all__ = ["ArticleSpool", "Headline", "ReadResult", "headline", "format_summary", "make_fetcher",
           "read_inputs"]

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
ShouldStop = Callable[[], bool]

# A page that was fetched but held no article (a photo page, a maintenance notice) is tried
# again after this long even when its feed entry did not change.
FAILED_RETRY = timedelta(hours=6)
# bump when extraction changes what it makes of the same bytes: every input is extracted anew
EXTRACTION_VERSION = "1"
# extraction jobs waiting for workers: flushed past this many, or this many bytes of pages
BATCH_JOBS = 256
BATCH_BYTES = 64 * 2**20


def _new_stats() -> dict[str, int]:
    # fetched: 200 answers (or local files) read; not_modified: 304 answers; unchanged: feed
    # items not fetched because nothing changed since they were stored; failed: error lines.
    return {"fetched": 0, "not_modified": 0, "unchanged": 0, "failed": 0}


@dataclass(frozen=True, slots=True)
class Headline(Article):
    """What a run keeps in memory of an article read (everything but its text and
    sentences, which the spool holds): enough to count, cluster (with its terms) and name
    stories. Its ``content_hash`` is the full article's."""

    full_hash: str = ""

    @property
    def content_hash(self) -> str:
        return self.full_hash


def headline(article: Article) -> Headline:
    """The article without its text and sentences (the same object if it is one already)."""
    if isinstance(article, Headline):
        return article
    return Headline(article.id, article.url, article.title, article.outlet, article.published,
                    "", (), article.image, article.category, full_hash=article.content_hash)


class ArticleSpool(Mapping[str, Article]):
    """The articles of a run, id → :class:`Article`, kept in an unnamed temporary file (gone
    when closed or when the process ends); each is read back when asked for. ``terms`` maps
    an id to its clustering terms (read back the same way)."""

    def __init__(self) -> None:
        import tempfile

        self._file = tempfile.TemporaryFile(prefix="sokbo-articles-")
        self._at: dict[str, tuple[int, int, Headline]] = {}
        self.terms: Mapping[str, Any] = _SpooledTerms(self)

    def put(self, article: Article, terms: Any = None) -> None:
        data = pickle.dumps((article, terms), protocol=pickle.HIGHEST_PROTOCOL)
        self._file.seek(0, 2)
        where = self._file.tell()
        self._file.write(data)
        head = headline(article)
        self._at[article.id] = (where, len(data), head) if terms is not None else \
            (where, -len(data), head)  # negative: stored without terms

    def _read(self, article_id: str) -> tuple[Article, Any]:
        where, size, _ = self._at[article_id]
        self._file.seek(where)
        article, terms = pickle.loads(self._file.read(abs(size)))
        return article, terms

    def __getitem__(self, article_id: str) -> Article:
        return self._read(article_id)[0]

    def __iter__(self) -> Iterator[str]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._at

    def headlines(self) -> list[Article]:
        """Every article without its text (see :class:`Headline`), in reading order."""
        return [head for _, _, head in self._at.values()]

    def has_terms(self, article_id: str) -> bool:
        return self._at[article_id][1] > 0

    def close(self) -> None:
        self._file.close()


class _SpooledTerms(Mapping[str, Any]):
    def __init__(self, spool: ArticleSpool) -> None:
        self._spool = spool

    def __getitem__(self, article_id: str) -> Any:
        if not self._spool.has_terms(article_id):
            raise KeyError(article_id)
        return self._spool._read(article_id)[1]

    def __iter__(self) -> Iterator[str]:
        return (i for i in self._spool if self._spool.has_terms(i))

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._spool and self._spool.has_terms(str(article_id))


@dataclass(slots=True)
class ReadResult:
    articles: ArticleSpool = field(default_factory=ArticleSpool)
    errors: list[str] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=_new_stats)
    stopped: bool = False  # should_stop() said so before every input was read

    @property
    def terms(self) -> Mapping[str, Any]:
        """article id → clustering terms (computed with the extraction)."""
        return self.articles.terms


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
    workers: Workers | None = None,
) -> ReadResult:
    """Every article the inputs yield, keyed by id; one error line per input or item that failed.

    ``should_stop`` is asked before each input and each feed item; when it answers True the
    reading ends there (``ReadResult.stopped``) and what was read so far is returned.
    ``workers`` extract and analyse (default: ``settings.workers`` processes for this call).
    """
    from contextlib import nullcontext

    from sokbo.workers import Workers

    with nullcontext(workers) if workers is not None else Workers(settings.workers) as pool:
        reader = _Reader(settings, store, progress, should_stop, pool)
        try:
            for n, value in enumerate(inputs, 1):
                if reader.stop_requested():
                    break
                if progress:
                    progress(f"reading {value}", n, len(inputs))
                reader.read(value)
            reader.flush()
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
                 should_stop: ShouldStop | None, workers: Workers) -> None:
        self.settings = settings
        self.store = store
        self.progress = progress
        self.should_stop = should_stop
        self.workers = workers
        self.result = ReadResult()
        self.stats = self.result.stats
        self.configured = {f.url: f for f in settings.feeds}
        self.done: set[str] = set()         # page URLs handled this run (feeds overlap)
        self._fetcher: Fetcher | None = None
        # extraction jobs not run yet: (job, raw hash, what to do with the outcome)
        self.pending: list[tuple[Job, str, Callable[[Outcome], None]]] = []
        self.pending_bytes = 0
        # the sentence analyses extraction made, kept in the store as each batch is read
        self.morphs: list[tuple[str, str, str]] = []

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

    def add(self, article: Article, terms: Any = None) -> None:
        if article.published is not None and article.published.utcoffset() is None:
            # Korean sources rarely state a zone; every stored time is zone-aware (KST).
            article = replace(article, published=article.published.replace(tzinfo=KST))
        self.result.articles.put(article, terms)

    def stored_url(self, article_id: str) -> str | None:
        return self.store.article_url(article_id)

    # -- extraction jobs -----------------------------------------------------------------

    def unchanged(self, raw: str) -> str | None:
        """The stored article an input with this raw hash gave, unchanged since; else None."""
        return self.store.raw_input_article(raw)

    def extract(self, job: Job, raw: str, done: Callable[[Outcome], None],
                size: int = 0) -> None:
        """Queue ``job``; ``done`` gets its outcome, in queueing order (see :meth:`flush`)."""
        self.pending.append((job, raw, done))
        self.pending_bytes += size
        if len(self.pending) >= BATCH_JOBS or self.pending_bytes >= BATCH_BYTES:
            self.flush()

    def flush(self) -> None:
        """Run the queued jobs (in workers when there are enough) and hand out the outcomes."""
        from sokbo.crashlog import item_failed, reading

        batch, self.pending, self.pending_bytes = self.pending, [], 0
        if not batch:
            return
        if self.progress:
            self.progress(f"extracting {len(batch)} articles", 0, len(batch))
        outcomes = self.workers.run([job for job, _, _ in batch])
        seen = []
        for (job, raw, done), outcome in zip(batch, outcomes, strict=True):
            if outcome.failure is not None:
                from sokbo.workers import WorkerFailure

                exc = outcome.exc or WorkerFailure(*outcome.failure)
                with reading(job.where):
                    outcome = replace(outcome, error=str(item_failed(exc, job.where)))
            elif outcome.article is not None:
                seen.append((raw, outcome.article.id, outcome.article.content_hash))
            done(outcome)
        self.store.save_raw_inputs(seen)
        if self.morphs:  # before the writer reads them: it never analyses them again
            self.store.keep_morphs(self.morphs)
            self.morphs = []

    def take(self, outcome: Outcome) -> Article:
        """The outcome's article, added to the run; its error raised otherwise."""
        if outcome.article is None:
            raise ExtractError(outcome.error or "no article")
        self.add(outcome.article, outcome.terms)
        if outcome.morphs is not None:
            self.morphs.append((outcome.article.id, outcome.article.content_hash,
                                outcome.morphs))
        return outcome.article

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
                elif Path(value).suffix.lower() == ".jsonl":
                    self._read_jsonl(Path(value))
                elif Path(value).is_file():
                    self._read_file(Path(value), None)
                else:  # not there, a folder…: ingest says what is wrong with it
                    for item in iter_input(value):
                        if isinstance(item, SokboError):
                            self.fail(item)
                        else:
                            self.stats["fetched"] += 1
                            self.add(item)
            except SokboError as e:
                self.fail(e)
            except OSError as e:  # a name too long for the file system, a FIFO, no access…
                self.fail(InputError(f"cannot read: {e.strerror or e}", source=value))
            except Exception as e:  # noqa: BLE001 - one broken input must not stop the others
                self.fail(item_failed(e, value))

    def _read_jsonl(self, path: Path) -> None:
        """Each line a job, unless it gave a stored article unchanged since."""
        from sokbo.ingest import jsonl_lines
        from sokbo.workers import Job

        for line, where in jsonl_lines(path):
            raw = raw_hash("record", line)
            if self.unchanged(raw):
                self.stats["unchanged"] += 1
                continue
            self.stats["fetched"] += 1
            self.extract(Job("record", where, (line, where)), raw, self._added(where),
                         len(line))

    def _added(self, where: str) -> Callable[[Outcome], None]:
        def done(outcome: Outcome) -> None:
            if outcome.article is None:
                self.fail(outcome.error or f"{where}: no article")
            else:
                self.take(outcome)
        return done

    def _read_file(self, path: Path, item: FeedItem | None) -> bool:
        """A local page or text file (``item``: the feed entry listing it) as a job; False
        when it gave a stored article unchanged since (not extracted again)."""
        from sokbo.ingest import read_input_bytes
        from sokbo.workers import Job

        data = read_input_bytes(path)
        raw = raw_hash("file", str(path.resolve()), _item_key(item), data)
        if self.unchanged(raw):
            self.stats["unchanged"] += 1
            return False
        self.stats["fetched"] += 1
        self.extract(Job("file", str(path), (path, item)), raw, self._added(str(path)),
                     len(data))
        return True

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

        def done(outcome: Outcome, article_id: str | None = None) -> None:
            if article_id is None:
                if outcome.article is None:
                    self.fail(outcome.error or f"{url}: no article")
                    return
                article_id = self.take(outcome).id
            self.store.save_page_state(PageState(url, article_id, page.etag,
                                                 page.last_modified, None, "ok"))

        self._extract_page(page, url, None, None, done)

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
        from sokbo.urls import file_path

        if item.url in self.done:
            return
        self.done.add(item.url)
        if item.url.startswith("file:"):
            path = file_path(item.url)
            if path is None:
                raise InputError("not a local file URL", source=item.url)
            self._read_file(path, item)  # errors: counted by _read_items, or when extracted
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

        def done(outcome: Outcome, article_id: str | None = None) -> None:
            if article_id is None:
                if outcome.article is None:
                    # a broken page must not stop the feed
                    self.fail(outcome.error or f"{item.url}: no article")
                    self.store.save_page_state(PageState(
                        item.url, row.article_id if row else None, None, None, item.stamp,
                        "failed"))
                    return
                article_id = self.take(outcome).id
            self.store.save_page_state(PageState(item.url, article_id, page.etag,
                                                 page.last_modified, item.stamp, "ok"))

        self._extract_page(page, item.url, item, feed, done)

    def _extract_page(self, page: Page, url: str, item: FeedItem | None, feed: Feed | None,
                      done: Callable[..., None]) -> None:
        """A fetched page as a job; a body that gave a stored article unchanged since is not
        extracted again (``done`` then gets that article's id)."""
        from sokbo.workers import Job, Outcome

        raw = raw_hash("page", url, page.final_url, page.content_type or "", _item_key(item),
                       _feed_key(feed), page.body)
        stored = self.unchanged(raw)
        if stored is not None:
            done(Outcome(), stored)
            return
        self.extract(Job("page", url, (page.body, page.content_type, url, page.final_url, item,
                                       feed)), raw, done, len(page.body))

    # -- what is settled -----------------------------------------------------------------

    def _have(self, row: PageState) -> bool:
        """The page's article is stored, so a 304 for it loses nothing."""
        return row.status == "ok" and row.article_id is not None and \
            self.stored_url(row.article_id) is not None

    def _settled(self, url: str, stamp: str | None, row: PageState | None = None) -> bool:
        """Nothing to do for this feed item: stored (or known to hold no article), unchanged."""
        if row is None:
            row = self.store.page_state(url)
        if row is None:
            # Stored by an older sokbo, or by `sokbo post`: the canonical URL is the link.
            return self.stored_url(article_id_for(url)) == url
        if row.stamp != stamp:
            return False
        if row.status == "failed":
            return _age(row.checked) < FAILED_RETRY
        return self._have(row)


def extract_fetched(body: bytes, content_type: str | None, url: str, final_url: str,
                    item: FeedItem | None, feed: Feed | None) -> Article:
    """A fetched page → Article (a worker job). Outlet: the item's <source>, the configured
    outlet, the page's own site name, then the feed title; the hostname only when nothing
    else says."""
    from sokbo.extract import extract_article
    from sokbo.ingest import decode_text

    text = decode_text(body, url, content_type)
    outlet = (item.outlet if item else None) or (feed.outlet if feed else None)
    category = (item.category if item else None) or (feed.category if feed else None)
    article = extract_article(
        text,
        url=final_url,
        outlet=outlet,
        published=item.published if item else None,
        title=None,
        category=category,
    )
    hosts = {url_host(u) for u in (final_url, article.url)}
    if outlet is None and item and item.feed_title and article.outlet in hosts:
        article = replace(article, outlet=item.feed_title)
    return article


def raw_hash(kind: str, *parts: str | bytes) -> str:
    """What identifies an input before extraction: its raw bytes and everything extraction
    sees with them (URL, feed entry), under this extraction version."""
    import hashlib

    return content_hash(EXTRACTION_VERSION, kind, *(
        hashlib.sha256(p).hexdigest() if isinstance(p, bytes) else p for p in parts))


def _item_key(item: FeedItem | None) -> str:
    if item is None:
        return ""
    return repr((item.url, item.title, item.outlet, item.published and item.published.isoformat(),
                 item.category, item.feed_title))


def _feed_key(feed: Feed | None) -> str:
    return "" if feed is None else repr((feed.url, feed.outlet, feed.category))


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
