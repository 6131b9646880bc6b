"""Scheduling: run the pipeline every N minutes until asked to stop (`sokbo watch`).

A stop request (SIGINT, SIGTERM) is honoured between articles: the current fetch, or the
current post's file write and SQLite transaction, finishes first. Nothing needs a clean stop
to stay correct, though: post files are written atomically before their transaction commits,
a story keeps its id and path across runs, and feed state is only trusted once every item it
listed is stored (see sources.py). After a kill -9 the next run rewrites, in place, whatever
was half done.
"""
from __future__ import annotations

import logging
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from sokbo.config import Settings
from sokbo.dates import KST
from sokbo.errors import ConfigError, SokboError, StoreError

if TYPE_CHECKING:
    from sokbo.pipeline import RunReport

__all__ = ["StopSignal", "WatchRun", "parse_interval", "stop_on_signals", "watch",
           "watch_lock"]

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
ProgressFactory = Callable[[], tuple[Progress | None, Callable[[], None]]]

_INTERVAL_PART = re.compile(r"(\d+(?:\.\d+)?)([smh])")
_UNIT_SECONDS = {"s": 1.0, "m": 60.0, "h": 3600.0}


def parse_interval(text: str) -> float:
    """``30s``, ``10m``, ``1h``, ``1h30m`` (or a bare number of seconds) → seconds.

    Raises:
        ConfigError: for anything else, or an interval that is not positive.
    """
    value = text.strip().lower().replace(" ", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", value):
        seconds = float(value)
    elif value and _INTERVAL_PART.sub("", value) == "":
        seconds = sum(float(n) * _UNIT_SECONDS[u] for n, u in _INTERVAL_PART.findall(value))
    else:
        raise ConfigError(f"invalid interval {text!r}: use e.g. 30s, 10m or 1h")
    if seconds <= 0:
        raise ConfigError(f"invalid interval {text!r}: must be more than 0 seconds")
    return seconds


class StopSignal:
    """A stop request that a signal handler (or a test) sets and the loop polls or sleeps on."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.reason: str | None = None

    def set(self, reason: str = "stop requested") -> None:
        if self.reason is None:
            self.reason = reason
        self._event.set()

    def is_set(self) -> bool:
        return self._event.is_set()

    def wait(self, timeout: float) -> bool:
        """Sleep up to ``timeout`` seconds; True as soon as a stop is requested."""
        return self._event.wait(max(0.0, timeout))


@contextmanager
def stop_on_signals(stop: StopSignal) -> Iterator[StopSignal]:
    """While inside, SIGINT and SIGTERM request a stop; a second Ctrl-C aborts at once.

    Only the main thread can install handlers; elsewhere this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def handler(signum: int, _frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt  # the user insists; transactions roll back
        stop.set(name)
        # os.write, not print: the main thread may be inside a write to the same stream.
        os.write(2, f"sokbo watch: {name}: stopping after the current article "
                    "(Ctrl-C again to abort)\n".encode())

    wanted = [signal.SIGINT, signal.SIGTERM]
    previous = {s: signal.signal(s, handler) for s in wanted}
    try:
        yield stop
    finally:
        for s, old in previous.items():
            signal.signal(s, old)


@contextmanager
def watch_lock(out_dir: Path) -> Iterator[None]:
    """One watcher per output directory. The OS drops the lock when the process dies."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: SQLite transactions still protect
        yield
        return
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / ".sokbo-watch.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise StoreError("another `sokbo watch` is already running on this output "
                             "directory", source=str(out_dir)) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        os.close(fd)


@dataclass(frozen=True, slots=True)
class WatchRun:
    """One finished run: its report, or the error that ended it early."""

    number: int
    started: datetime
    report: RunReport | None
    error: SokboError | None
    next_run: datetime | None  # None when the watch ends after this run


def watch(
    settings: Settings,
    inputs: Sequence[str] | None,
    *,
    every: float,
    stop: StopSignal,
    max_runs: int | None = None,
    on_run: Callable[[WatchRun], None] | None = None,
    progress: ProgressFactory | None = None,
) -> int:
    """Run the pipeline every ``every`` seconds until ``stop`` is set or ``max_runs`` ran.

    A run that fails with a SokboError (database busy, output directory gone) is reported
    through ``on_run`` and the next run happens on schedule.

    Returns:
        The number of runs started.
    """
    from sokbo.pipeline import run_pipeline

    with watch_lock(settings.out_dir):
        runs = 0
        while not stop.is_set():
            runs += 1
            started, t0 = datetime.now(KST), time.monotonic()
            update, done = progress() if progress else (None, lambda: None)
            report: RunReport | None = None
            error: SokboError | None = None
            try:
                report = run_pipeline(settings, inputs, progress=update, should_stop=stop.is_set)
            except SokboError as e:
                error = e
            finally:
                done()
            last = stop.is_set() or (max_runs is not None and runs >= max_runs)
            wait = max(0.0, every - (time.monotonic() - t0))
            next_run = None if last else (
                datetime.now(KST) + timedelta(seconds=wait)).replace(microsecond=0)
            if on_run:
                on_run(WatchRun(runs, started, report, error, next_run))
            if last or stop.wait(wait):
                break
        return runs
