"""Internal errors: the traceback goes to a log file, the user gets one line that names it.

Untrusted input is parsed by code that returns a value or raises a ``SokboError``. Anything
else is a bug in sokbo. It is caught once: at the CLI edge, or by a per-item loop that must
not let one bad item cost its neighbours. Both call :func:`report_internal_error`, which
writes the traceback to ``crash-<time>-<pid>.log`` in :func:`log_dir` and returns the line to
show; the CLI then exits with code 3 when any internal error happened in the run.

Which input was being read is tracked with :func:`reading`, so the line can name it::

    with reading("feeds/news.xml"):
        parse(...)
"""
from __future__ import annotations

import contextvars
import os
import tempfile
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sokbo.errors import InternalError

__all__ = [
    "current_source",
    "internal_error_count",
    "item_failed",
    "log_dir",
    "reading",
    "report_internal_error",
]

_source: contextvars.ContextVar[str | None] = contextvars.ContextVar("sokbo_source",
                                                                     default=None)
_lock = threading.Lock()
_count = 0
_log_path: Path | None = None


@contextmanager
def reading(source: str) -> Iterator[None]:
    """Name the input being read, for the one-line report of an internal error inside."""
    token = _source.set(source)
    try:
        yield
    except Exception as e:
        # the edge that reports it runs after this block: the exception carries the name
        if getattr(e, "_sokbo_source", None) is None:
            try:
                e._sokbo_source = source  # type: ignore[attr-defined]
            except AttributeError:  # an exception type with __slots__
                pass
        raise
    finally:
        _source.reset(token)


def current_source() -> str | None:
    return _source.get()


def log_dir() -> Path:
    """``$SOKBO_LOG_DIR``, else ``$XDG_STATE_HOME/sokbo`` (default ``~/.local/state/sokbo``).

    Not the output directory: a full or read-only output directory is one of the failures
    this log must be able to describe.
    """
    if explicit := os.environ.get("SOKBO_LOG_DIR"):
        return Path(explicit)
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "sokbo"


def internal_error_count() -> int:
    """How many internal errors this process reported (the CLI exits 3 when not zero)."""
    return _count


def report_internal_error(exc: BaseException, source: str | None = None) -> str:
    """Log ``exc`` with its traceback; return one line naming the input and the log file."""
    global _count
    source = source or getattr(exc, "_sokbo_source", None) or current_source()
    with _lock:
        _count += 1
        path = _write(exc, source)
    # the log path comes before the message: summaries cut long lines at the end
    what = f"{type(exc).__name__}: {_one_line(str(exc), 160)}".rstrip(": ")
    where = f" while reading {_one_line(source, 120)}" if source else ""
    log = f" (traceback in {path})" if path else " (the traceback could not be written)"
    return f"internal error{where}{log}: {what}"


def item_failed(exc: BaseException, source: str | None = None) -> InternalError:
    """For a loop that isolates items: log ``exc``, return the item's error line as a
    SokboError (so the run summary names the item) while the run goes on."""
    from sokbo.errors import InternalError

    return InternalError(report_internal_error(exc, source))


def _write(exc: BaseException, source: str | None) -> Path | None:
    global _log_path
    text = (
        f"--- {datetime.now().isoformat(timespec='seconds')} pid {os.getpid()}"
        f" input {source or '-'}\n"
        + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    )
    candidates = [_log_path] if _log_path else []
    stamp = f"crash-{datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}.log"
    candidates += [log_dir() / stamp, Path(tempfile.gettempdir()) / f"sokbo-{stamp}"]
    for path in candidates:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "a", encoding="utf-8", errors="replace") as f:
                f.write(text)
        except OSError:
            continue  # a full disk or read-only home: try the next place
        _log_path = path
        return path
    return None


def _one_line(text: object, limit: int = 300) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
