"""The CLI edge: every exception becomes one line on stderr and an exit code, once.

Exit codes, for every command:

    0  done
    1  findings (`sokbo lint`), or a run that left some posts out (`publish`)
    2  bad input or environment: any SokboError, a full disk, a read-only folder
    3  internal error: a bug in sokbo; the line names the input and the log file that holds
       the traceback (see ``sokbo.crashlog``). Also when a run finished but isolated items
       that failed on a bug: those items are named in its summary.

``LazyGroup.invoke`` in ``cli.py`` runs every command through :func:`run_at_edge`, so a new
command needs nothing to get it; ``--debug`` lets the traceback through instead.
"""
from __future__ import annotations

import errno
import logging
import sqlite3
import sys
from collections.abc import Callable
from typing import NoReturn, TypeVar

import click

__all__ = ["EXIT_BAD_INPUT", "EXIT_FINDINGS", "EXIT_INTERNAL", "environment_error", "fail",
           "run_at_edge"]

EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130

T = TypeVar("T")
_debug_flag = False


def set_debug(on: bool) -> None:
    """``sokbo --debug``: let tracebacks through instead of the one-line report."""
    global _debug_flag
    _debug_flag = on

# OS errors that describe the machine, not a bug: the user can act on them
_ENVIRONMENT_ERRNOS = {
    errno.ENOSPC: "disk full",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EIO: "input/output error",
    errno.EMFILE: "too many open files",
    errno.ENFILE: "too many open files",
    errno.ENAMETOOLONG: "file name too long",
    errno.ENOTDIR: "not a directory",
    errno.EEXIST: "a file is in the way",  # mkdir over a file: `--out /dev/null`
    errno.EISDIR: "is a directory",
}
_SQLITE_ENVIRONMENT = {
    "database or disk is full": "disk full: cannot write the state database",
    "disk i/o error": "input/output error on the state database",
    "attempt to write a readonly database": "the state database is read-only",
    "unable to open database file": "cannot open the state database",
    "database is locked": "the state database is locked by another sokbo",
    "file is not a database": "the state file is not a sokbo database",
    "database disk image is malformed": "the state database is damaged",
}


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """One line on stderr, then exit with ``code``."""
    click.echo(f"sokbo: error: {message}", err=True)
    sys.exit(code)


def environment_error(exc: BaseException) -> str | None:
    """One line for an error of the machine (full disk, read-only folder), else None."""
    if isinstance(exc, OSError) and exc.errno in _ENVIRONMENT_ERRNOS:
        what = _ENVIRONMENT_ERRNOS[exc.errno]
        return f"{what}: cannot write {exc.filename}" if exc.filename else what
    if isinstance(exc, sqlite3.DatabaseError):
        text = str(exc).lower()
        for key, line in _SQLITE_ENVIRONMENT.items():
            if key in text:
                return line
    if type(exc).__module__.startswith("psycopg") and (
            "connection" in str(exc).lower() or "server" in str(exc).lower()):
        # the PostgreSQL state server went away mid-run (no import: psycopg may be absent)
        return "lost the connection to the state database server: " + \
            " ".join(str(exc).split())[:200]
    cause = exc.__cause__ or exc.__context__
    return environment_error(cause) if cause is not None and cause is not exc else None


def run_at_edge(call: Callable[[], T]) -> T:
    """Run one command; translate whatever escapes it (see the module docstring)."""
    from sokbo.crashlog import internal_error_count, report_internal_error
    from sokbo.errors import SokboError

    before = internal_error_count()
    code: int | str | None = 0
    try:
        result = call()
    except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
        raise  # click prints these itself (usage errors exit 2)
    except SystemExit as e:
        code = e.code
        result = None  # type: ignore[assignment]
    except SokboError as e:
        if _debug():
            raise
        fail(str(e))
    except KeyboardInterrupt:
        fail("interrupted", EXIT_INTERRUPTED)
    except Exception as e:  # noqa: BLE001 - the one place where anything is caught
        if _debug():
            raise
        line = environment_error(e)
        if line is not None:
            fail(line)
        fail(report_internal_error(e), EXIT_INTERNAL)
    isolated = internal_error_count() - before
    if isolated and code not in (EXIT_INTERNAL, EXIT_INTERRUPTED):
        fail(f"{isolated} item{'s' if isolated != 1 else ''} skipped because of an internal "
             "error (named above; tracebacks in the log file given there)", EXIT_INTERNAL)
    if code:
        sys.exit(code)
    return result


def _debug() -> bool:
    return _debug_flag or logging.getLogger().isEnabledFor(logging.DEBUG)
