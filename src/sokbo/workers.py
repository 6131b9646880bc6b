"""Extraction and analysis in worker processes (`--jobs N`): one Kiwi, shared.

The reader (``sources``) fetches and decides what to extract; each extraction is a :class:`Job`
(a JSONL line, a local file, a fetched page) that :func:`run_job` turns into an article and
its clustering terms, in this process or in a worker. Results come back in submission order,
so a run gives the same articles, in the same order, whatever the number of workers; the store
is only ever written by the main process.

On Linux the workers are forked from this process once it has loaded its Kiwi and imported
what a job needs (``EXTRACT``): a worker starts in milliseconds with the Kiwi already loaded
(its memory shared until written), instead of loading its own (~1 s of CPU each, while the
cores have nothing else to do). That Kiwi is built without a thread pool
(``korean.kiwi.forkable_kiwi``), which would not survive the fork. The writer's, linter's and
renderer's modules (``DRAFT``) this process imports while its workers extract; once the
articles are read, the workers that draft posts are forked anew with them
(:meth:`Workers.renew`).
A worker never touches what else it inherits (the open store, other threads' state): it runs
jobs and ends with ``os._exit``. Elsewhere, workers come from a fork server that imported
``PRELOAD`` and each loads its own Kiwi. A batch too small to repay starting workers is
extracted in place.
"""
from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sokbo.errors import SokboError

if TYPE_CHECKING:
    from sokbo.models import Article

__all__ = ["PRELOAD", "Job", "Outcome", "WorkerFailure", "Workers", "run_job"]

log = logging.getLogger(__name__)

# a batch smaller than this is extracted in place: starting workers would cost more
MIN_PARALLEL = 24
Terms = tuple[tuple[str, int], ...]
# imported before the workers are forked: what every job imports (``run_job``)
EXTRACT = ("sokbo.ingest", "sokbo.extract", "sokbo.sources", "sokbo.cluster.terms",
           "sokbo.korean.sentences")
# what a draft (``pipeline.draft_story``) imports, lazily or not: imported by each forked
# worker before its first draft; a name that cannot be imported is skipped
DRAFT = (
    "sokbo.pipeline", "sokbo.korean.transcript", "sokbo.write", "sokbo.write.salience",
    "sokbo.lint", "sokbo.lint.markdown", "sokbo.render", "sokbo.render.hugo",
    "sokbo.render.card", "sokbo.topic", "numpy", "jinja2", "html5lib",
    "html5lib.treebuilders.etree", "PIL.Image", "PIL.ImageDraw", "PIL.ImageFont",
)
# what the run's process needs itself once extraction is over: clustering's sparse algebra
# (scipy.sparse takes ~0.1 s to import, numpy.f2py with it) and the preview site; imported
# while it waits for the extraction workers, not while they wait for it
AFTER_EXTRACT = ("sokbo.cluster.stored", "sokbo.cluster.days", "scipy.sparse", "sokbo.site")
# what a fork server imports once for all its workers: a job's and a draft's modules, and a
# fetched page's extractor
PRELOAD = ("sokbo.workers", *EXTRACT, *DRAFT, "sokbo.edits", "trafilatura")


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
    morphs: str | None = None  # its sentences as extraction analysed them (``pack_analyses``)
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
        return Outcome(article=article, terms=terms, morphs=sentence_morphs(article))
    except SokboError as e:
        return Outcome(error=str(e))
    except Exception as e:  # noqa: BLE001 - one bad item must not cost its neighbours
        return Outcome(failure=(type(e).__name__, str(e), traceback.format_exc()),
                       exc=e if local else None)


def article_terms(article: Article) -> Terms:
    """What clustering keeps of an article (``cluster.terms``), computed once: from the
    morphemes its extraction found, when this process extracted it."""
    from sokbo.cluster.terms import count_terms, story_terms
    from sokbo.korean.sentences import analysis_of

    found = analysis_of(article.text)
    return count_terms(story_terms(article.title, article.text,
                                   tokens=found.tokens if found is not None else None))


def sentence_morphs(article: Article) -> str | None:
    """The article's sentences as its extraction analysed them (``korean.kiwi.pack_analyses``,
    kept in the store with the article: the writer reads them, never analyses them again);
    None when this process did not split them."""
    from sokbo.korean.sentences import analysis_of

    found = analysis_of(article.text)
    if found is None or found.sentences != article.sentences:
        return None
    return found.packed()


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


def _warm(run: int) -> None:
    """Worker start-up: watch the run's process, have Kiwi before the first job (forked with
    it, or loaded here: its load is not a job's time)."""
    from sokbo.korean.kiwi import get_kiwi

    if _FORK:
        import gc

        # what the run's process held at the fork lives as long as this worker: its
        # collections need not walk it (nor write to its pages, shared until then)
        gc.freeze()
        _own_signals_and_streams()
    _exit_with(run)
    get_kiwi()


def _own_signals_and_streams() -> None:
    """In a worker forked from the run's process: Ctrl-C is the run's to handle (it stops
    after the current article, or shuts its workers down), not a `watch` handler's copy;
    SIGTERM ends the worker, as it ends a fork server's. Its own stdout and stderr: the
    copies it inherited may be a progress display's, or locked by a thread of the run's
    that was writing at the fork."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    for name, fd in (("stdout", 1), ("stderr", 2)):
        try:
            setattr(sys, name, open(fd, "w", encoding="utf-8", errors="backslashreplace",
                                    buffering=1, closefd=False))
        except OSError:  # closed: nothing a worker writes is needed
            pass


def _import(names: Sequence[str]) -> None:
    import importlib

    for name in names:
        try:
            importlib.import_module(name)
        except ImportError:  # an optional library missing: the job that needs it says so
            pass


def _exit_with(run: int) -> None:
    """End this worker when the run's process ``run`` is gone (killed: it never shut the pool
    down). A worker is the fork server's child, not the run's, and would otherwise wait
    forever on its queues, holding its memory and the server."""
    import os
    import threading
    import time

    def watch() -> None:
        while True:
            time.sleep(1.0)
            try:  # gone, or dead and not yet reaped by its own parent (a zombie)
                if Path(f"/proc/{run}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                    os._exit(1)
            except FileNotFoundError:
                os._exit(1)
            except (OSError, IndexError):  # no /proc here: ask the kernel
                try:
                    os.kill(run, 0)
                except ProcessLookupError:
                    os._exit(1)
                except PermissionError:  # pragma: no cover - a pid reused by another user
                    os._exit(1)

    threading.Thread(target=watch, name="sokbo-run-watch", daemon=True).start()


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
        self._prepared = False
        if self.jobs > 1 and not _FORK:
            _start_server()  # its imports overlap this process's reading

    def run(self, jobs: Sequence[Job]) -> list[Outcome]:
        if self.jobs == 1 or (len(jobs) < MIN_PARALLEL and not self.started):
            return [run_job(j, local=True) for j in jobs]
        pool = self._start()
        chunk = max(1, min(16, len(jobs) // (self.jobs * 4)))
        outcomes = pool.map(_run_remote, jobs, chunksize=chunk)  # all submitted now
        self._prepare()
        return list(outcomes)

    def map(self, fn: Any, args: Sequence[tuple[Any, ...]], *, least: int = MIN_PARALLEL
            ) -> list[Any]:
        """``fn(*a)`` for each ``a`` (a top-level function), in order; in place with one job,
        or with fewer than ``least`` calls when the workers are not running yet."""
        if self.jobs == 1 or (len(args) < least and not self.started):
            return [fn(*a) for a in args]
        pool = self._start()
        return list(pool.map(_call, [(fn, a) for a in args]))

    def submit(self, fn: Any, *args: Any) -> Future[Any]:
        """``fn(*args)`` (a top-level function) in a worker; a future of its result."""
        return self._start().submit(fn, *args)

    @property
    def started(self) -> bool:
        """The worker processes run (a later small batch is cheap to give them)."""
        return self._pool is not None

    def _prepare(self) -> None:
        """Once, after the first jobs given to forked workers: this process imports what
        drafting needs (``DRAFT``) while it waits for them, so that it has it to hand out
        the first drafts, and so do the workers forked to draft them (:meth:`renew`); and
        what it needs itself after them (``AFTER_EXTRACT``)."""
        if _FORK and not self._prepared and self._pool is not None:
            self._prepared = True
            _import(DRAFT)
            _import(AFTER_EXTRACT)

    def renew(self) -> None:
        """Extraction is over: the workers end, and the next job forks new ones from this
        process as it is now (the drafting modules imported, nothing for them to import
        while this process clusters). Workers of a fork server (each loads its own Kiwi)
        are kept."""
        if _FORK:
            self.close()

    def _start(self) -> ProcessPoolExecutor:
        if self._pool is None:
            import os

            if _FORK:  # what the workers will share, loaded once, here
                from sokbo.korean.kiwi import forkable_kiwi

                _import(EXTRACT)
                forkable_kiwi()
            self._pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=_context(),
                                             initializer=_warm, initargs=(os.getpid(),))
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            _account(self._pool)
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
            self._prepared = False

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# Peak RSS of the worker processes this process ran (and of a fork server), and the CPU
# seconds of those that are not its children (a fork server's: its own resource counters never
# see them; forked workers it reaps are in its RUSAGE_CHILDREN)
USAGE: dict[str, float] = {"workers_cpu_seconds": 0.0, "workers_peak_rss_mb": 0.0,
                           "server_cpu_seconds": 0.0, "server_peak_rss_mb": 0.0}


def _account(pool: ProcessPoolExecutor) -> None:
    """Add the pool's workers (still running: read before they exit) to ``USAGE``."""
    from multiprocessing import forkserver

    for pid in list(getattr(pool, "_processes", None) or ()):
        cpu, rss = _proc_usage(pid)
        if not _FORK:
            USAGE["workers_cpu_seconds"] += cpu
        USAGE["workers_peak_rss_mb"] = max(USAGE["workers_peak_rss_mb"], rss)
    server = getattr(forkserver._forkserver, "_forkserver_pid", None)
    if server:
        USAGE["server_cpu_seconds"], rss = _proc_usage(server)
        USAGE["server_peak_rss_mb"] = max(USAGE["server_peak_rss_mb"], rss)


def _proc_usage(pid: int) -> tuple[float, float]:
    """(user + system CPU seconds, peak RSS in MB) of a running process; zeros if gone."""
    import os

    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        cpu = (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
        rss = 0.0
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                rss = int(line.split()[1]) / 1024
        return cpu, rss
    except (OSError, ValueError, IndexError):
        return 0.0, 0.0


def _start_server() -> None:
    """Start the fork server now (it imports ``PRELOAD`` while this process goes on)."""
    from multiprocessing import forkserver

    try:
        _context()
        forkserver.ensure_running()
    except (OSError, ValueError) as e:  # no fork server here: the pool says why, later
        log.debug("fork server not started early: %s", e)


# workers are forked from the run's process (see above) where fork is safe to use
_FORK = sys.platform.startswith("linux")


def _context() -> Any:
    """The workers' start method: ``fork`` on Linux; elsewhere the fork server, its preload
    set (once: the server is process-wide)."""
    from multiprocessing import get_context

    if _FORK:
        return get_context("fork")
    ctx = get_context("forkserver")
    ctx.set_forkserver_preload(list(PRELOAD))
    return ctx
