"""Extraction and analysis in worker processes (`--jobs N`): one Kiwi per process.

The reader (``sources``) fetches and decides what to extract; each extraction is a :class:`Job`
(a JSONL line, a local file, a fetched page) that :func:`run_job` turns into an article and
its clustering terms, in this process or in a worker. Results come back in submission order,
so a run gives the same articles, in the same order, whatever the number of workers; the store
is only ever written by the main process.

Workers are started (``spawn``: nothing of the parent is inherited) only when a batch is large
enough to repay their start-up (a Python import and a Kiwi load, about 2 s each); a `watch`
run adding a few articles extracts them in place.
"""
from __future__ import annotations

import logging
import traceback
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sokbo.errors import SokboError

if TYPE_CHECKING:
    from sokbo.models import Article

__all__ = ["Job", "Outcome", "WorkerFailure", "Workers", "run_job"]

log = logging.getLogger(__name__)

# a batch smaller than this is extracted in place: starting workers would cost more
MIN_PARALLEL = 24
Terms = tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class Job:
    """One extraction: ``kind`` is ``record`` (a JSONL line), ``file`` (a local page or text,
    with its feed item) or ``page`` (a fetched body); ``where`` names it in error lines."""

    kind: str
    where: str
    args: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Outcome:
    """An article and its terms, or the error line of a SokboError, or a bug (``failure``:
    type name, message and traceback, carried back from the worker)."""

    article: Article | None = None
    terms: Terms | None = None
    error: str | None = None
    failure: tuple[str, str, str] | None = None
    exc: BaseException | None = None  # the bug itself, when it happened in this process


class WorkerFailure(Exception):
    """A bug met in a worker process, re-raised in the main one (its traceback attached)."""

    def __init__(self, kind: str, message: str, remote_traceback: str) -> None:
        super().__init__(f"{kind}: {message}")
        self.remote_traceback = remote_traceback

    def __str__(self) -> str:
        return f"{self.args[0]}\n--- in the worker process:\n{self.remote_traceback}"


def run_job(job: Job, *, analyse: bool = True, local: bool = False) -> Outcome:
    """Extract one article (and its clustering terms); errors are returned, never raised."""
    try:
        article = _EXTRACTORS[job.kind](*job.args)
        terms = article_terms(article) if analyse else None
        return Outcome(article=article, terms=terms)
    except SokboError as e:
        return Outcome(error=str(e))
    except Exception as e:  # noqa: BLE001 - one bad item must not cost its neighbours
        return Outcome(failure=(type(e).__name__, str(e), traceback.format_exc()),
                       exc=e if local else None)


def article_terms(article: Article) -> Terms:
    """What clustering keeps of an article (``cluster.terms``), computed once."""
    from sokbo.cluster.terms import count_terms, story_terms

    return count_terms(story_terms(article.title, article.text))


def _record(line: str, where: str) -> Article:
    from sokbo.ingest import article_from_record

    return article_from_record(line, where)


def _file(path: Any, item: Any) -> Article:
    from sokbo.ingest import article_from_file

    return article_from_file(path, item)


def _page(body: bytes, content_type: str | None, url: str, final_url: str, item: Any,
          feed: Any) -> Article:
    from sokbo.sources import extract_fetched

    return extract_fetched(body, content_type, url, final_url, item, feed)


_EXTRACTORS = {"record": _record, "file": _file, "page": _page}


def _warm() -> None:
    """Worker start-up: load Kiwi before the first job (its load is not a job's time)."""
    from sokbo.korean.kiwi import get_kiwi

    get_kiwi()


def _run_remote(job: Job) -> Outcome:
    return run_job(job)


def _call(fn_args: tuple[Any, tuple[Any, ...]]) -> Any:
    fn, args = fn_args
    return fn(*args)


class Workers:
    """``jobs`` processes for :func:`run_job`; with 1, or for a small batch, in place."""

    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, jobs)
        self._pool: ProcessPoolExecutor | None = None

    def run(self, jobs: Sequence[Job]) -> list[Outcome]:
        if self.jobs == 1 or len(jobs) < MIN_PARALLEL:
            return [run_job(j, local=True) for j in jobs]
        pool = self._start()
        chunk = max(1, min(16, len(jobs) // (self.jobs * 4)))
        return list(pool.map(_run_remote, jobs, chunksize=chunk))

    def map(self, fn: Any, args: Sequence[tuple[Any, ...]], *, least: int = MIN_PARALLEL
            ) -> list[Any]:
        """``fn(*a)`` for each ``a`` (a top-level function), in order; in place with one job
        or fewer than ``least`` calls."""
        if self.jobs == 1 or len(args) < least:
            return [fn(*a) for a in args]
        pool = self._start()
        return list(pool.map(_call, [(fn, a) for a in args]))

    def _start(self) -> ProcessPoolExecutor:
        if self._pool is None:
            from multiprocessing import get_context

            self._pool = ProcessPoolExecutor(max_workers=self.jobs,
                                             mp_context=get_context("spawn"),
                                             initializer=_warm)
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
