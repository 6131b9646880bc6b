"""`sokbo backfill SOURCE…`: an archive at once, extraction and analysis on Ray.

1. **Read** (driver): each SOURCE (JSONL, WARC, sitemap, folder of pages) becomes jobs
   (``backfill.inputs``); an input whose raw bytes already gave a stored, unchanged article
   is skipped, as in `sokbo run`.
2. **Extract and analyse** (Ray Data map tasks, ``backfill.ray_stage``): a chunk of jobs at a
   time, on ``workers`` actors with one Kiwi each, on a local Ray started in this process or
   on an existing cluster (``--ray-address``). The articles are stored as they come back.
3. **Cluster by time-window partitions** (driver): the articles, ordered by time, in partitions
   of ``partition_days`` days; each partition is added to the stored stories, which redoes only
   its own days starting from the stories open at its first day, so stories crossing a
   partition edge merge exactly as if clustered at once (``cluster.stored``). A day's stories
   depend on the days before it, so partitions run in order; memory holds one partition.
4. **Write** the posts of each partition's stories through the same store and writer as `run`
   (``pipeline.write_stories``), then the preview.

Inputs are remembered as done (``raw_inputs``) only once their partition is written, so a
backfill stopped half way is resumed by running it again.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sokbo.config import Settings
from sokbo.pipeline import RunReport

if TYPE_CHECKING:
    from sokbo.store import Store
    from sokbo.workers import Outcome

__all__ = ["BackfillReport", "run_backfill"]

log = logging.getLogger(__name__)

CHUNK = 2000           # jobs handed to Ray at once (bounds the driver's memory)
PARTITION_DAYS = 30

Progress = Callable[[str, int, int], None]


@dataclass(slots=True)
class BackfillReport(RunReport):
    partitions: int = 0
    workers: int = 1
    ray_address: str | None = None
    seconds: dict[str, float] = field(default_factory=dict)  # read+analyse, cluster+write

    def to_dict(self) -> dict[str, Any]:
        d = RunReport.to_dict(self)
        d.update({"partitions": self.partitions, "workers": self.workers,
                  "ray_address": self.ray_address, "seconds": self.seconds})
        return d


def run_backfill(settings: Settings, sources: Sequence[str], *, ray_address: str | None = None,
                 workers: int | None = None, partition_days: int = PARTITION_DAYS,
                 progress: Progress | None = None, preview: bool = True) -> BackfillReport:
    """Backfill ``sources`` into the store and write their stories' posts."""
    from sokbo.backfill.ray_stage import RayAnalysis, ray_session
    from sokbo.fsutil import ensure_writable_dir, remove_stale_temp_files
    from sokbo.pipeline import build_preview
    from sokbo.store import Store

    ensure_writable_dir(settings.out_dir)
    remove_stale_temp_files(settings.out_dir)
    workers = workers or settings.workers
    report = BackfillReport(out_dir=settings.out_dir, workers=workers, ray_address=ray_address)
    report.fetch_stats = {"fetched": 0, "not_modified": 0, "unchanged": 0, "failed": 0}
    with Store(settings.state) as store, _fetcher(settings, sources) as fetch, \
            ray_session(ray_address, workers):
        t0 = time.perf_counter()
        analysis = RayAnalysis(workers)
        done: dict[str, tuple[float | None, str, str]] = {}  # id → (time, raw, content hash)
        terms: dict[str, Any] = {}
        for chunk in _chunks(_inputs(sources, fetch, store, report), CHUNK):
            if progress:
                progress(f"analysing {len(chunk)} articles on Ray", len(done), 0)
            _store_outcomes(store, chunk, analysis.run([job for job, _ in chunk]), report,
                            done, terms)
        t1 = time.perf_counter()
        for part in _partitions(done, partition_days):
            report.partitions += 1
            if progress:
                progress(f"clustering partition {report.partitions}", report.partitions, 0)
            _write_partition(store, settings, part, done, terms, report, progress)
        report.seconds = {"read_and_analyse": round(t1 - t0, 2),
                          "cluster_and_write": round(time.perf_counter() - t1, 2)}
    report.articles_read = report.articles_new + report.articles_changed
    if preview:
        report.site_index = build_preview(settings)
    return report


def _fetcher(settings: Settings, sources: Sequence[str]):  # -> ContextManager[Fetch | None]
    from sokbo.pipeline import url_fetch

    return url_fetch(settings, sources)


def _inputs(sources: Sequence[str], fetch: Any, store: Store,
            report: BackfillReport) -> Iterator[tuple[Any, str]]:
    """(job, raw hash) of every input not already stored unchanged; errors reported."""
    from sokbo.backfill.inputs import iter_jobs

    for source in sources:
        for item in iter_jobs(source, fetch):
            if item.job is None:
                report.errors.append(item.error or f"{source}: unreadable")
                report.fetch_stats["failed"] += 1
            elif store.raw_input_article(item.raw) is not None:
                report.fetch_stats["unchanged"] += 1
            else:
                report.fetch_stats["fetched"] += 1
                yield item.job, item.raw


def _store_outcomes(store: Store, chunk: list[tuple[Any, str]], outcomes: list[Outcome],
                    report: BackfillReport, done: dict[str, tuple[float | None, str, str]],
                    terms: dict[str, Any]) -> None:
    """Store the chunk's articles (their stories come later); count and report the rest."""
    from dataclasses import replace

    from sokbo.cluster.terms import article_time, epoch
    from sokbo.crashlog import item_failed
    from sokbo.dates import KST
    from sokbo.workers import WorkerFailure

    articles = []
    morphs: list[tuple[str, str, str]] = []
    for (job, raw), outcome in zip(chunk, outcomes, strict=True):
        if outcome.failure is not None:
            report.errors.append(str(item_failed(WorkerFailure(*outcome.failure), job.where)))
            report.fetch_stats["failed"] += 1
            continue
        if outcome.article is None:
            report.errors.append(outcome.error or f"{job.where}: no article")
            report.fetch_stats["failed"] += 1
            continue
        a = outcome.article
        if a.published is not None and a.published.utcoffset() is None:
            a = replace(a, published=a.published.replace(tzinfo=KST))
        when = article_time(a)
        done[a.id] = (epoch(when) if when else None, raw, a.content_hash)
        terms[a.id] = outcome.terms
        articles.append(a)
        if outcome.morphs is not None:  # its sentences as extraction analysed them
            morphs.append((a.id, a.content_hash, outcome.morphs))
    known = store.article_hashes(a.id for a in articles)
    report.articles_new += sum(1 for a in articles if a.id not in known)
    report.articles_changed += sum(1 for a in articles
                                   if a.id in known and known[a.id][0] != a.content_hash)
    with store.transaction() as db:
        for a in articles:
            # a stored article keeps its story until its partition is clustered again
            store.upsert_article(db, a, known.get(a.id, ("", None))[1])
        store.save_morphs(db, morphs)  # the writer reads them: never analysed again


def _partitions(done: dict[str, tuple[float | None, str, str]],
                days: int) -> Iterator[list[str]]:
    """Article ids in time order, cut every ``days`` days; undated articles last."""
    from sokbo.cluster.terms import day_of

    dated = sorted((t, i) for i, (t, _, _) in done.items() if t is not None)
    part: list[str] = []
    first: int | None = None
    for t, i in dated:
        day = day_of(t)
        if first is not None and day - first >= days:
            yield part
            part, first = [], None
        if first is None:
            first = day
        part.append(i)
    undated = sorted(i for i, (t, _, _) in done.items() if t is None)
    if part or undated:
        yield part + undated


def _write_partition(store: Store, settings: Settings, ids: list[str],
                     done: dict[str, tuple[float | None, str, str]], terms: dict[str, Any],
                     report: BackfillReport, progress: Progress | None) -> None:
    from sokbo.pipeline import group_fresh, write_stories

    articles = {a.id: a for a in store.load_articles(ids)}
    known = store.article_hashes(articles)
    stories = group_fresh(store, settings, articles, known, progress=progress,
                          terms={i: terms[i] for i in ids if terms.get(i) is not None})
    write_stories(store, settings, stories, report, progress=progress)
    store.save_raw_inputs((done[i][1], i, done[i][2]) for i in ids)
    for i in ids:  # what is written needs no memory here any more
        terms.pop(i, None)


def _chunks(values: Iterator[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for v in values:
        chunk.append(v)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
