"""Fuzzing harness shared by every untrusted entry point (pages, feeds, JSONL, lint, …).

An *entry point* is a function that takes one untrusted input and must either return or
raise a ``SokboError``. Anything else escaping it is a **crash**; so is an input that runs
longer than ``HANG_SECONDS`` (30 s), and so is an internal error that a per-item safety net caught
and logged (``sokbo.crashlog``) instead of letting it escape.

Usage, in ``tests/fuzz/test_fuzz_<name>.py`` (``tests/`` is on sys.path, ``fuzz`` a package)::

    from hypothesis import strategies as st
    from fuzz.harness import EntryPoint, mutated

    feeds = EntryPoint("feeds", fuzz_examples=20_000)

    def test_fuzz_feeds():
        feeds.fuzz(st.one_of(generated_feeds(), mutated(FEED_FIXTURES)),
                   target=lambda data: read_feed(data, "file:///f.xml", "f.xml"))

``EntryPoint.fuzz(strategy, target)`` runs ``target`` on examples drawn from ``strategy``:

- in the normal test run (``make test``): ``test_examples`` examples (default 60),
  derandomized so a run is repeatable; the first crash fails the test and hypothesis shrinks
  it to a minimal input;
- under ``make fuzz`` (``SOKBO_FUZZ=1``): ``fuzz_examples × $SOKBO_FUZZ_SCALE`` examples in
  chunks of ``CHUNK`` with fresh random seeds; every crash is recorded (one example per crash
  site is written to ``$SOKBO_FUZZ_DIR/crashes/``) and the run goes on; the test fails at the
  end if anything crashed. Two processes running the same tests share the chunks of each
  entry point (claim files in ``$SOKBO_FUZZ_DIR/claims``), so both cores work on every entry
  point. Counts go to ``$SOKBO_FUZZ_DIR/counts-<pid>.json``; ``tests/fuzz/run.py`` starts the
  processes and prints the table entry point → inputs → crashes.

Strategy helpers here: :func:`mutated` (real-shaped fixtures with byte/text mutations and
hostile snippets spliced in) and :data:`HOSTILE` (snippets that broke sokbo before).
"""
from __future__ import annotations

import faulthandler
import hashlib
import json
import os
import signal
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from sokbo.errors import SokboError

__all__ = ["CHUNK", "FUZZING", "HANG_SECONDS", "HOSTILE", "EntryPoint", "entry_points",
           "mutated", "splice"]

FUZZING = bool(os.environ.get("SOKBO_FUZZ"))
FUZZ_DIR = Path(os.environ["SOKBO_FUZZ_DIR"]) if os.environ.get("SOKBO_FUZZ_DIR") else None
SCALE = float(os.environ.get("SOKBO_FUZZ_SCALE") or 1.0)
# one input past this many seconds is a hang (a crash; generous: the machine may be busy and
# the first input loads Kiwi); a hang in C code that never returns
# to Python is caught by faulthandler at 3× this, which ends the process (counts are kept)
HANG_SECONDS = float(os.environ.get("SOKBO_FUZZ_HANG") or 30.0)
CHUNK = 1000

_REGISTRY: dict[str, EntryPoint] = {}


class Hang(BaseException):
    """Raised by the alarm when one input runs past ``HANG_SECONDS``."""


@dataclass
class CrashSite:
    kind: str       # exception type name, or "hang" / "internal error"
    where: str      # innermost file:line inside sokbo (else innermost overall)
    message: str
    count: int = 0
    example: str = ""  # path of the saved example (fuzz mode)


@dataclass
class EntryPoint:
    """One untrusted entry point and its counters. Creating one registers it by name."""

    name: str
    fuzz_examples: int = 10_000
    test_examples: int = 60
    inputs: int = 0
    rejected: int = 0   # inputs the code refused with a SokboError (fine)
    crashes: int = 0
    cpu_seconds: float = 0.0  # process CPU time spent in the target (for sizing budgets)
    sites: dict[str, CrashSite] = field(default_factory=dict)
    register: bool = True  # False: not in the table (the harness's own tests)
    hang_seconds: float | None = None  # this entry point's bound (default HANG_SECONDS)

    def __post_init__(self) -> None:
        if not self.register:
            return
        if self.name in _REGISTRY:  # a module imported twice keeps one set of counters
            old = _REGISTRY[self.name]
            self.inputs, self.rejected, self.crashes, self.sites, self.cpu_seconds = (
                old.inputs, old.rejected, old.crashes, old.sites, old.cpu_seconds)
        _REGISTRY[self.name] = self

    # -- running one input -------------------------------------------------------------------

    def run(self, target: Callable[[Any], object], value: Any) -> BaseException | None:
        """Run ``target(value)``; count it; return the crash (or None)."""
        from sokbo.crashlog import internal_error_count

        self.inputs += 1
        before = internal_error_count()
        _current_input(self.name, value)
        crash: BaseException | None = None
        started = time.process_time()
        with _alarm(self.hang_seconds or HANG_SECONDS):
            try:
                target(value)
            except SokboError:
                self.rejected += 1
            except Hang as e:
                crash = e
            except Exception as e:  # noqa: BLE001 - that is what we are looking for
                crash = e
        self.cpu_seconds += time.process_time() - started
        if crash is None and internal_error_count() > before:
            crash = _SwallowedInternalError("an internal error was caught and logged inside")
        if crash is not None:
            self._record(crash, value)
        return crash

    def fuzz(self, strategy: st.SearchStrategy[Any], target: Callable[[Any], object], *,
             examples: int | None = None) -> None:
        """Run ``target`` over ``strategy``: a few examples in tests, many under make fuzz."""
        if not FUZZING:
            n = examples or self.test_examples

            @settings(max_examples=n, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck), print_blob=True)
            @given(strategy)
            def once(value: Any) -> None:
                crash = self.run(target, value)
                if crash is not None:
                    raise AssertionError(f"{self.name}: {type(crash).__name__}: {crash}"
                                         ) from crash

            once()
            return

        total = max(1, int((examples or self.fuzz_examples) * SCALE))
        chunks = (total + CHUNK - 1) // CHUNK

        @settings(max_examples=CHUNK, deadline=None, database=None, phases=[Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(strategy)
        def chunk(value: Any) -> None:
            self.run(target, value)

        for k in range(chunks):
            if not _claim(f"{self.name}.{k}"):
                continue
            chunk()
            save_counts()
        save_counts()
        assert self.crashes == 0, self.describe_crashes()

    # -- bookkeeping ---------------------------------------------------------------------------

    def _record(self, crash: BaseException, value: Any) -> None:
        self.crashes += 1
        kind, where = _site(crash)
        key = f"{kind} at {where}"
        site = self.sites.get(key)
        if site is None:
            site = self.sites[key] = CrashSite(kind, where, _one_line(str(crash)))
            site.example = _save_example(self.name, key, crash, value)
        site.count += 1

    def describe_crashes(self) -> str:
        lines = [f"{self.name}: {self.crashes} crashes in {self.inputs} inputs"]
        for key, site in self.sites.items():
            lines.append(f"  {site.count}× {key}: {site.message} {site.example}".rstrip())
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "inputs": self.inputs, "rejected": self.rejected, "crashes": self.crashes,
            "cpu_seconds": round(self.cpu_seconds, 2),
            "sites": {k: {"kind": s.kind, "where": s.where, "message": s.message,
                          "count": s.count, "example": s.example}
                      for k, s in self.sites.items()},
        }


def entry_points() -> dict[str, EntryPoint]:
    """Every entry point registered in this process, by name."""
    return dict(_REGISTRY)


def save_counts(finished: bool = False) -> None:
    """Write this process's counters to ``$SOKBO_FUZZ_DIR/counts-<pid>.json`` (fuzz mode)."""
    if FUZZ_DIR is None:
        return
    data = {"pid": os.getpid(), "finished": finished,
            "entry_points": {n: e.to_dict() for n, e in _REGISTRY.items()}}
    path = FUZZ_DIR / f"counts-{os.getpid()}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
    os.replace(tmp, path)


# -- strategies -----------------------------------------------------------------------------

# Snippets that broke sokbo before, or that parsers handle in surprising ways.
HOSTILE: tuple[str, ...] = (
    "\ufeff", "\x00", "\x01", "\x0b", "\x1f", "\x7f", "\ud7a3", "\u2028", "\u200b", "\ufffd",
    "<", ">", "&", "&#0;", "&#x110000;", "&#xd800;", "&amp", "]]>", "<![CDATA[", "<!--",
    "--!>", "<?xml version='1.0' encoding='euc-kr'?>", "<!DOCTYPE x [<!ENTITY a 'b'>]>",
    "http://[::1", "https://news.example]/a", "javascript:alert(1)", "file:///etc/passwd",
    "<item<category>", "<item>", "</item>", "<entry>", "<link>", "</link>", "<link href=",
    '<noscript itemprop="articleBody">', '<div itemprop="articleBody">', "<img src=x>",
    "<img src=x onerror=alert(1)>", "<script>", "</script>", "<table>", "<p>", "</p>", "<br>",
    "<font>" * 300, "<div>" * 300, "<b><i>" * 200, "[" * 200, "{" * 200, "\\", '"', "'",
    "2024-13-45", "9999-12-31T23:59:59+99:99", "0000-00-00", "1e309", "-0", "inf", "nan",
    '"title": 123', "null", "true", "[]", "{}", "\r\n", "\r", "\t", " " * 50, "다.", "입니다.",
    "기자 = ", "ⓒ", "▶", "…", "“", "’", "ㄱ", "\U0001f600", "\u0301", "e\u0301",
)


@st.composite
def splice(draw: st.DrawFn, text: str, *, max_ops: int = 4) -> str:
    """``text`` with a few mutations: hostile snippets or random text inserted, ranges
    deleted, duplicated or swapped, a truncation. Positions are drawn, so shrinking works."""
    ops = draw(st.integers(0, max_ops))
    for _ in range(ops):
        n = len(text)
        at = draw(st.integers(0, n))
        kind = draw(st.sampled_from(("hostile", "text", "delete", "duplicate", "truncate",
                                     "swap", "hostile")))
        if kind == "hostile":
            text = text[:at] + draw(st.sampled_from(HOSTILE)) + text[at:]
        elif kind == "text":
            text = text[:at] + draw(st.text(max_size=20)) + text[at:]
        elif kind == "delete":
            end = draw(st.integers(at, min(n, at + 200)))
            text = text[:at] + text[end:]
        elif kind == "duplicate":
            end = draw(st.integers(at, min(n, at + 400)))
            text = text[:end] + text[at:end] + text[end:]
        elif kind == "truncate":
            text = text[:at]
        else:
            end = draw(st.integers(at, min(n, at + 300)))
            other = draw(st.integers(0, n))
            piece, rest = text[at:end], text[:at] + text[end:]
            other = min(other, len(rest))
            text = rest[:other] + piece + rest[other:]
    return text


def mutated(fixtures: Sequence[str], *, max_ops: int = 4) -> st.SearchStrategy[str]:
    """One of ``fixtures`` (real-shaped, fictional), mutated by :func:`splice`."""
    return st.sampled_from(list(fixtures)).flatmap(lambda t: splice(t, max_ops=max_ops))


def as_bytes(texts: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    """Texts encoded as UTF-8 / cp949 / UTF-16, or with a few random bytes flipped."""

    @st.composite
    def encode(draw: st.DrawFn) -> bytes:
        text = draw(texts)
        codec = draw(st.sampled_from(("utf-8", "utf-8", "cp949", "utf-16", "utf-8-sig")))
        data = text.encode(codec, errors="replace")
        for _ in range(draw(st.integers(0, 2))):
            if not data:
                break
            i = draw(st.integers(0, len(data) - 1))
            data = data[:i] + bytes([draw(st.integers(0, 255))]) + data[i + 1:]
        return data

    return encode()


# -- internals ------------------------------------------------------------------------------

class _SwallowedInternalError(Exception):
    pass


class _alarm:
    """SIGALRM after ``seconds`` raises Hang in the main thread; a faulthandler watchdog at
    3× ends the process when the hang is in C code that never returns to Python."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.armed = threading.current_thread() is threading.main_thread() and hasattr(
            signal, "setitimer")

    def __enter__(self) -> None:
        if not self.armed:
            return
        self.previous = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, self.seconds)
        if FUZZING:
            faulthandler.dump_traceback_later(self.seconds * 3, exit=True)

    def __exit__(self, *exc: object) -> None:
        if not self.armed:
            return
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self.previous)
        if FUZZING:
            faulthandler.cancel_dump_traceback_later()


def _on_alarm(signum: int, frame: object) -> None:
    raise Hang("no answer within the bound")


_current_fd: int | None = None


def _current_input(name: str, value: Any) -> None:
    """Fuzz mode: keep the input being run in a file, so a hard hang still leaves it."""
    global _current_fd
    if not FUZZING or FUZZ_DIR is None:
        return
    if _current_fd is None:
        _current_fd = os.open(FUZZ_DIR / f"current-{os.getpid()}.txt",
                              os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    data = f"{name}\n{value!r}".encode("utf-8", "replace")
    os.ftruncate(_current_fd, 0)
    os.pwrite(_current_fd, data, 0)


def _claim(key: str) -> bool:
    """True for the one process that gets to run chunk ``key``."""
    if FUZZ_DIR is None:
        return True
    claims = FUZZ_DIR / "claims"
    claims.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(claims / key, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True


def _site(crash: BaseException) -> tuple[str, str]:
    if isinstance(crash, Hang):
        kind = "hang"
    elif isinstance(crash, _SwallowedInternalError):
        return "internal error (logged)", "-"
    else:
        kind = type(crash).__name__
    frames = traceback.extract_tb(crash.__traceback__)
    ours = [f for f in frames if "/sokbo/" in f.filename and "/tests/" not in f.filename]
    frame = (ours or frames or [None])[-1]
    if frame is None:
        return kind, "?"
    path = frame.filename
    for marker in ("/sokbo/", "/site-packages/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return kind, f"{path}:{frame.lineno}"


def _save_example(name: str, key: str, crash: BaseException, value: Any) -> str:
    if FUZZ_DIR is None:
        return ""
    folder = FUZZ_DIR / "crashes"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}-{hashlib.sha1(key.encode()).hexdigest()[:10]}.txt"
    tb = "".join(traceback.format_exception(type(crash), crash, crash.__traceback__))
    path.write_text(f"{key}\n\n{value!r}\n\n{tb}", "utf-8", errors="replace")
    return str(path)


def _one_line(text: str, limit: int = 200) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def table(points: dict[str, dict[str, Any]]) -> str:
    """Markdown table: entry point → inputs → rejected → crashes (plus a total row)."""
    rows = ["| entry point | inputs | rejected (SokboError) | crashes | CPU ms/input |",
            "|---|---:|---:|---:|---:|"]
    total = [0, 0, 0]
    cpu = 0.0
    for name in sorted(points):
        p = points[name]
        ms = 1000 * p.get("cpu_seconds", 0.0) / max(1, p["inputs"])
        rows.append(f"| {name} | {p['inputs']:,} | {p['rejected']:,} | {p['crashes']:,} | "
                    f"{ms:.1f} |")
        total = [total[0] + p["inputs"], total[1] + p["rejected"], total[2] + p["crashes"]]
        cpu += p.get("cpu_seconds", 0.0)
    rows.append(f"| **total** | {total[0]:,} | {total[1]:,} | {total[2]:,} | "
                f"{1000 * cpu / max(1, total[0]):.1f} |")
    return "\n".join(rows)

