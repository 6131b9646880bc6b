"""Extraction and analysis as Ray Data map tasks: each actor holds one Kiwi.

Jobs go to Ray as rows of pickled :class:`~sokbo.workers.Job`; ``map_batches`` runs them in a
pool of ``workers`` actors (a callable class, so Kiwi loads once per actor, not per batch) and
the outcomes come back, in order, to the driver, which alone writes the store.
"""
from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sokbo.errors import SokboError
from sokbo.workers import Job, Outcome

__all__ = ["RayAnalysis", "ray_session"]

log = logging.getLogger(__name__)

BATCH = 8  # jobs per map call: small, so two actors share a small backfill evenly


class SokboRayError(SokboError):
    """Ray is not installed, or the cluster cannot be reached."""


@contextmanager
def ray_session(address: str | None, workers: int) -> Iterator[Any]:
    """Ray, started in this process (``address`` None: a local Ray with ``workers`` CPUs) or
    joined (an existing cluster's address, e.g. ``ray://head:10001`` or ``auto``)."""
    try:
        import ray
        import ray.data  # noqa: F401 - Ray Data is the `ray[data]` extra
    except ImportError as e:
        raise SokboRayError("sokbo backfill needs Ray Data: pip install 'ray[data]'") from e
    os.environ.setdefault("RAY_DEDUP_LOGS", "0")
    started = False
    if not ray.is_initialized():
        kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False,
                                  "logging_level": logging.WARNING}
        if address:
            kwargs["address"] = address
        else:
            kwargs["num_cpus"] = max(1, workers)
        try:
            ray.init(**kwargs)
        except (ConnectionError, RuntimeError, ValueError) as e:
            raise SokboRayError(f"cannot start or reach Ray: {' '.join(str(e).split())[:200]}",
                                source=address) from e
        started = True
    ctx = ray.data.DataContext.get_current()
    ctx.execution_options.preserve_order = True  # outcomes in reading order
    ctx.enable_progress_bars = False
    try:
        yield ray
    finally:
        if started:
            ray.shutdown()


class _Analyse:
    """A Ray Data callable class: one per actor, Kiwi loaded in its constructor."""

    def __init__(self) -> None:
        from sokbo.korean.kiwi import get_kiwi

        get_kiwi()

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        from sokbo.workers import run_job

        out = [pickle.dumps(run_job(pickle.loads(bytes(j)))) for j in batch["job"]]
        return {"i": list(batch["i"]), "outcome": out}


class RayAnalysis:
    """``run(jobs)`` → outcomes, in order, computed by ``workers`` Ray actors."""

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)

    def run(self, jobs: Sequence[Job]) -> list[Outcome]:
        import ray.data

        if not jobs:
            return []
        rows = [{"i": i, "job": pickle.dumps(job)} for i, job in enumerate(jobs)]
        blocks = max(min(self.workers, len(rows)), len(rows) // BATCH)
        ds = ray.data.from_items(rows, override_num_blocks=blocks)
        # a fixed pool of actors, one Kiwi each (``concurrency=`` is deprecated since Ray 2.51)
        pool = ray.data.ActorPoolStrategy(size=self.workers)
        done = ds.map_batches(_Analyse, batch_size=BATCH, compute=pool,
                              batch_format="numpy", num_cpus=1)
        out: list[Outcome | None] = [None] * len(jobs)
        for row in done.iter_rows():
            out[int(row["i"])] = pickle.loads(bytes(row["outcome"]))
        missing = [i for i, o in enumerate(out) if o is None]
        if missing:  # pragma: no cover - Ray lost rows: a bug to report, not bad input
            raise SokboError(f"Ray returned no result for {len(missing)} jobs")
        return [o for o in out if o is not None]
