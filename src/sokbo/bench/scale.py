"""`sokbo bench scale`: how sokbo's cost grows with the store (issue 12, "constant-cost runs").

Stores of 1,000 / 10,000 / 100,000 synthetic articles are built from the texts of
data/clusters: each article is a copy of one of those texts (chosen at random, seeded) with a
new URL, and the articles follow each other at a constant pace (``per_day`` a day, so 100,000
articles cover about eleven months), as a store grows under `sokbo watch`.

The bench is a list of parts (``PARTS``); each part measures one stage at every size and
returns a dict. Every measured piece of work runs in a fresh process, so its peak RSS (the
process's high-water mark) is its own. Parts:

- ``cluster``: clustering the whole store from scratch (time, peak RSS), then adding 20 new
  articles to the store's last day (time per run, peak RSS of that process), the growth
  exponent of the time to add 20 fitted over the sizes, sokbo 0.1's one-pass linkage at the
  sizes that fit in memory (the baseline, same process model), and a check that the stories
  after the additions equal the stories of clustering everything at once.
- ``run``, ``e2e``, ``first``, ``backfill``: whole runs (``bench.scale_run``): adding 20
  articles as the store grows, the Kiwi-only ratio and the `--jobs 2` speed-up, a first run of
  10,000 articles (peak RSS of every process, `--jobs 1` and `--jobs 2`), Ray backfill.

A part receives a :class:`ScaleContext` (the source texts' terms, the sizes, a work folder).
The texts are analysed once, as a run stores them (extracted, cleaned: the usable ones).
"""
from __future__ import annotations

import math
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from sokbo.bench.common import data_path

__all__ = [
    "PARTS",
    "ScaleContext",
    "fit_exponent",
    "in_fresh_process",
    "peak_rss_mb",
    "run_scale_bench",
    "synthetic_items",
]

SIZES = (1_000, 10_000, 100_000)
PER_DAY = 300
NEW_ARTICLES = 20
REPEAT = 5
SEED = 12
START = 1_767_225_600.0  # 2026-01-01 00:00 UTC (09:00 KST)
# sokbo 0.1 held an N×N float matrix several times over: skip sizes it cannot hold
BASELINE_BYTES_PER_PAIR = 40


@dataclass(frozen=True, slots=True)
class ScaleContext:
    """What every part gets: the source texts' terms (analysed once, by the parent process),
    the store sizes, the synthetic pace and a folder for the stores."""

    terms: list[Any]  # Terms of each source text
    sizes: tuple[int, ...]
    per_day: int
    work: Path
    shared: Path | None = None  # the shared/ folder (parts that read the texts themselves)
    first_articles: int = 10_000  # the `first` part's first run


# -- building blocks (shared by parts) ----------------------------------------------------------

def in_fresh_process(fn: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """``fn(*args)`` in a new Python process (spawned, not forked, so nothing of this one is
    inherited); its result gains ``peak_rss_mb``, that process's high-water mark."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(_measured, fn, *args).result()


def _measured(fn: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    result = fn(*args)
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def peak_rss_mb() -> float:
    """This process's peak resident set size (VmHWM), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def synthetic_items(terms: Sequence[Any], n: int, *, per_day: int, start: int = 0,
                    seed: int = SEED) -> Iterator[Any]:
    """Articles ``start`` … ``start + n - 1`` of the synthetic stream: a random source text
    each, new ids (from new URLs), one every 86,400 / ``per_day`` seconds."""
    from sokbo.cluster.terms import DAY_SECONDS, Item
    from sokbo.models import article_id_for

    rng = random.Random(seed)
    for _ in range(start):
        rng.randrange(len(terms))
    step = DAY_SECONDS / per_day
    for k in range(start, start + n):
        source = rng.randrange(len(terms))
        yield Item(article_id_for(f"https://scale.example/{k // per_day}/{k}"),
                   START + k * step, terms[source])


def fit_exponent(sizes: Sequence[float], seconds: Sequence[float]) -> float | None:
    """The least-squares slope of log(time) over log(size): time ∝ size^exponent."""
    pairs = [(math.log(n), math.log(t)) for n, t in zip(sizes, seconds, strict=True) if t > 0]
    if len(pairs) < 2:
        return None
    mx = statistics.fmean(x for x, _ in pairs)
    my = statistics.fmean(y for _, y in pairs)
    var = sum((x - mx) ** 2 for x, _ in pairs)
    return round(sum((x - mx) * (y - my) for x, y in pairs) / var, 3) if var else None


def analyse_sources(shared: Path, work: Path) -> list[Any]:
    """Kiwi terms of every usable text of data/clusters, as a run stores them: the one
    analysis of the texts every part shares (``scale_run.source_file``, kept in ``work``)."""
    import types

    from sokbo.bench import scale_run

    ctx = types.SimpleNamespace(work=work, shared=shared)
    return [row[4] for row in scale_run._sources(str(scale_run.source_file(ctx)))]


# -- part: clustering ----------------------------------------------------------------------------

def cluster_part(ctx: ScaleContext) -> dict[str, Any]:
    from sokbo.cluster import DEFAULT_THRESHOLD, DEFAULT_WINDOW_HOURS

    sizes = []
    for n in ctx.sizes:
        db = ctx.work / f"cluster-{n}.db"
        db.unlink(missing_ok=True)
        build = in_fresh_process(_cluster_build, str(db), ctx.terms, n, ctx.per_day)
        add = in_fresh_process(_cluster_add, str(db), ctx.terms, n, ctx.per_day, REPEAT)
        sizes.append({
            "articles": n,
            "days": math.ceil(n / ctx.per_day),
            "stories": build["stories"],
            "build_seconds": build["seconds"],
            "build_cpu_seconds": build["cpu_seconds"],
            "build_peak_rss_mb": build["peak_rss_mb"],
            "add_seconds": add["seconds"],
            "add_min_seconds": min(add["seconds"]),
            "add_median_seconds": round(statistics.median(add["seconds"]), 4),
            "add_median_cpu_seconds": round(statistics.median(add["cpu_seconds"]), 4),
            "add_replayed_days": add["replayed_days"],
            "add_replayed_articles": add["replayed_articles"],
            "add_peak_rss_mb": add["peak_rss_mb"],
            "store_mb": round(db.stat().st_size / 2**20, 1),
        })
    smallest = min(ctx.sizes)
    check = in_fresh_process(_cluster_check, str(ctx.work / f"cluster-{smallest}.db"),
                             ctx.terms, smallest, ctx.per_day, REPEAT)
    baseline = []
    for n in ctx.sizes:
        need = n * n * BASELINE_BYTES_PER_PAIR
        if need > _available_bytes():
            baseline.append({"articles": n, "skipped": f"needs about {need / 2**30:.0f} GB"})
            continue
        baseline.append({"articles": n,
                         **in_fresh_process(_one_linkage, ctx.terms, n, ctx.per_day)})
    for n in ctx.sizes:
        (ctx.work / f"cluster-{n}.db").unlink(missing_ok=True)
    return {
        "threshold": DEFAULT_THRESHOLD,
        "window_hours": DEFAULT_WINDOW_HOURS,
        "new_articles": NEW_ARTICLES,
        "sizes": sizes,
        # the fastest of the runs: the one a busy shared machine disturbed least
        "add_growth_exponent": fit_exponent([s["articles"] for s in sizes],
                                            [s["add_min_seconds"] for s in sizes]),
        "add_growth_exponent_cpu": fit_exponent([s["articles"] for s in sizes],
                                                [s["add_median_cpu_seconds"] for s in sizes]),
        "build_growth_exponent": fit_exponent([s["articles"] for s in sizes],
                                              [s["build_seconds"] for s in sizes]),
        "incremental_equals_scratch": check["same"],
        "baseline_one_linkage": baseline,
    }


def _params() -> dict[str, Any]:
    from sokbo.cluster import DEFAULT_IDF_DAYS, DEFAULT_THRESHOLD, DEFAULT_WINDOW_HOURS

    return {"threshold": DEFAULT_THRESHOLD, "window_hours": DEFAULT_WINDOW_HOURS,
            "idf_days": DEFAULT_IDF_DAYS}


def _warm_up() -> None:
    """Import what clustering imports lazily, so that no timing includes an import."""
    import numpy  # noqa: F401
    import scipy.sparse  # noqa: F401


class _Clock:
    """Wall and CPU seconds of a block (CPU time is what a busy shared machine cannot
    inflate; both are reported)."""

    def __enter__(self) -> _Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = round(time.perf_counter() - self.wall, 4)
        self.cpu = round(time.process_time() - self.cpu, 4)


def _cluster_build(db: str, terms: list[Any], n: int, per_day: int) -> dict[str, Any]:
    """Child: store n articles and cluster them from scratch (one run, like a first run)."""
    from sokbo.cluster.stored import add_items
    from sokbo.store import Store

    _warm_up()
    with Store(db) as store:
        with _Clock() as clock:
            add_items(store, synthetic_items(terms, n, per_day=per_day), stories=False,
                      **_params())
        stories = store.db.execute(
            "SELECT COUNT(DISTINCT joined) FROM article_terms").fetchone()[0]
        with store.transaction() as conn:  # as if `sokbo run` had written every post
            conn.execute("DELETE FROM story_pending")
    merged = _merged_count(db)
    return {"seconds": clock.wall, "cpu_seconds": clock.cpu, "stories": stories - merged}


def _merged_count(db: str) -> int:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM story_merges").fetchone()[0])


def _new_items(terms: list[Any], n: int, per_day: int, rep: int) -> list[Any]:
    """20 new articles on the store's last day (a watch run adding to today), new ids."""
    from sokbo.cluster.terms import Item, day_of

    last = list(synthetic_items(terms, 1, per_day=per_day, start=n - 1))[0]
    rng = random.Random(SEED + rep)
    items = []
    for j in range(NEW_ARTICLES):
        at = max(last.time - (j + 1) * 120.0, START)
        if day_of(at) != day_of(last.time):
            at = last.time
        items.append(Item(f"new-{rep}-{j}", at, terms[rng.randrange(len(terms))]))
    return items


def _cluster_add(db: str, terms: list[Any], n: int, per_day: int, repeat: int) -> dict[str, Any]:
    """Child: add 20 new articles ``repeat`` times (each a run), timing each: storing them,
    redoing the days they touch and listing the stories to write (not writing them)."""
    from sokbo.cluster.stored import add_items, story_done
    from sokbo.store import Store

    _warm_up()
    seconds, cpu, days, articles = [], [], [], []
    for rep in range(repeat):
        new = _new_items(terms, n, per_day, rep)
        with Store(db) as store:
            with _Clock() as clock:
                result = add_items(store, new, **_params())
            for story in result.stories:  # the pipeline's writer does this, post by post
                story_done(store, story)
        seconds.append(clock.wall)
        cpu.append(clock.cpu)
        days.append(result.replayed_days)
        articles.append(result.replayed_articles)
    return {"seconds": seconds, "cpu_seconds": cpu, "replayed_days": days,
            "replayed_articles": articles}


def _cluster_check(db: str, terms: list[Any], n: int, per_day: int,
                   repeat: int) -> dict[str, Any]:
    """Child: the stored stories (built, then grown run by run) equal clustering every
    article at once."""
    from sokbo.cluster.days import batch_blocks, batch_labels
    from sokbo.cluster.stored import stored_labels
    from sokbo.store import Store

    items = list(synthetic_items(terms, n, per_day=per_day))
    for rep in range(repeat):
        items += _new_items(terms, n, per_day, rep)
    p = _params()
    scratch = batch_labels(batch_blocks(items, window_hours=p["window_hours"],
                                        idf_days=p["idf_days"]), p["threshold"])
    with Store(db) as store:
        return {"same": stored_labels(store) == scratch}


def _one_linkage(terms: list[Any], n: int, per_day: int) -> dict[str, Any]:
    """Child: sokbo 0.1's clustering of n articles (one TF-IDF + average linkage over all)."""
    from datetime import datetime, timezone

    import scipy.cluster.hierarchy  # noqa: F401 - imported before the clock starts
    import sklearn.feature_extraction.text  # noqa: F401

    from sokbo.bench.cluster import cut_tree, linkage_tree, terms_similarity
    from sokbo.cluster import DEFAULT_THRESHOLD, DEFAULT_WINDOW_HOURS

    items = list(synthetic_items(terms, n, per_day=per_day))
    docs = [[t for t, c in it.terms for _ in range(c)] for it in items]
    dates = [datetime.fromtimestamp(it.time, timezone.utc) for it in items]
    with _Clock() as clock:
        tree = linkage_tree(terms_similarity(docs), dates, window_hours=DEFAULT_WINDOW_HOURS)
        stories = len(cut_tree(tree, DEFAULT_THRESHOLD))
    return {"seconds": clock.wall, "cpu_seconds": clock.cpu, "stories": stories}


def _available_bytes() -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 4 * 2**30


def _pipeline_parts() -> dict[str, Callable[[ScaleContext], dict[str, Any]]]:
    from sokbo.bench import scale_run

    return {"run": scale_run.run_part, "e2e": scale_run.e2e_part,
            "first": scale_run.first_part, "backfill": scale_run.backfill_part}


# cluster: clustering alone; run: `sokbo run` adding 20 articles as the store grows; e2e: the
# Kiwi-only ratio and --jobs 2; first: a 10,000-article first run (peak RSS, --jobs 2);
# backfill: Ray, 1 vs 2 workers (see bench.scale_run)
PARTS: dict[str, Callable[[ScaleContext], dict[str, Any]]] = {"cluster": cluster_part,
                                                               **_pipeline_parts()}


# -- the bench -----------------------------------------------------------------------------------

def run_scale_bench(shared: Path, *, sizes: Sequence[int] = SIZES, per_day: int = PER_DAY,
                    parts: Sequence[str] = tuple(PARTS), work: Path | None = None,
                    progress: Callable[[str], None] | None = None,
                    first_articles: int = 10_000) -> dict[str, Any]:
    """Every part at every size; one JSON-able dict."""
    from sokbo.errors import InputError

    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        raise InputError(f"unknown scale part: {', '.join(unknown)} "
                         f"(known: {', '.join(PARTS)})")
    if not sizes or min(sizes) < 1:
        raise InputError("sizes must be positive article counts")
    with tempfile.TemporaryDirectory(prefix="sokbo-scale-", dir=work) as tmp:
        t0 = time.perf_counter()
        if progress:
            progress("scale: analysing the source texts")
        terms = analyse_sources(shared, Path(tmp))
        report: dict[str, Any] = {
            "bench": "scale",
            "data": str(data_path(shared, "clusters")),
            "source_texts": len(terms),
            "source_analysis_seconds": round(time.perf_counter() - t0, 1),
            "sizes": list(sizes),
            "per_day": per_day,
        }
        ctx = ScaleContext(terms, tuple(sorted(sizes)), per_day, Path(tmp), shared,
                           first_articles)
        for name in parts:
            if progress:
                progress(f"scale: {name}")
            report[name] = PARTS[name](ctx)
    return report


# -- output --------------------------------------------------------------------------------------

def tables(report: dict[str, Any]) -> list[Any]:
    from rich.table import Table

    from sokbo.bench import scale_run

    out = scale_run.tables(report)
    clu = report.get("cluster")
    if clu:
        t = Table(title=f"sokbo bench scale — clustering ({report['per_day']} articles a day, "
                        f"texts of {report['source_texts']} real articles)")
        for col in ("stored articles", "days", "stories", "cluster all: s", "peak RSS MB",
                    f"add {clu['new_articles']}: s (min / median)", "CPU s", "days redone",
                    "peak RSS MB ",
                    "sokbo 0.1 one linkage: s", "peak RSS MB  "):
            t.add_column(col, justify="right")
        base = {b["articles"]: b for b in clu["baseline_one_linkage"]}
        for s in clu["sizes"]:
            b = base.get(s["articles"], {})
            t.add_row(
                f"{s['articles']:,}", str(s["days"]), f"{s['stories']:,}",
                f"{s['build_seconds']:.2f}", f"{s['build_peak_rss_mb']:.0f}",
                f"{s['add_min_seconds']:.3f} / {s['add_median_seconds']:.3f}",
                f"{s['add_median_cpu_seconds']:.3f}", str(max(s["add_replayed_days"])),
                f"{s['add_peak_rss_mb']:.0f}",
                f"{b['seconds']:.2f}" if "seconds" in b else b.get("skipped", "—"),
                f"{b['peak_rss_mb']:.0f}" if "peak_rss_mb" in b else "—",
            )
        out.append(t)
    return out


def notes(report: dict[str, Any]) -> list[str]:
    from sokbo.bench import scale_run

    clu = report.get("cluster")
    if not clu:
        return scale_run.notes(report)
    return scale_run.notes(report) + [
        f"growth exponent of the time to add {clu['new_articles']} articles: "
        f"{clu['add_growth_exponent']} (fastest of {REPEAT} runs; median CPU time: "
        f"{clu['add_growth_exponent_cpu']}; 0 = flat); "
        f"of clustering everything: {clu['build_growth_exponent']} (1 = linear)",
        f"stories after the additions equal clustering every article at once: "
        f"{clu['incremental_equals_scratch']}",
        "times and peak RSS are each measured in a fresh process (no Kiwi: the terms of the "
        f"{report['source_texts']} source texts are computed once, in "
        f"{report['source_analysis_seconds']} s, and copied into every synthetic article)",
    ]
