"""Shared pieces of the `sokbo bench` commands: finding ../shared, timing, printing reports."""
from __future__ import annotations

import json
import os
import statistics
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from sokbo.errors import InputError

__all__ = [
    "data_path",
    "find_shared",
    "median_ms",
    "print_report",
    "ratio",
]

REPORT_WIDTH = 150
# src/sokbo/bench/common.py → the repository root is three levels above the package
REPO = Path(__file__).resolve().parents[3]


def find_shared(explicit: str | Path | None = None) -> Path:
    """The ``shared/`` folder holding ``data/`` and ``reference/``.

    Looked for in order: ``explicit`` (``--shared``), ``$SOKBO_SHARED``, ``<repo>/../shared``,
    ``<cwd>/../shared``.

    Raises:
        InputError: none of them exists (one line naming where it looked).
    """
    if explicit:
        candidates = [Path(explicit)]
    else:
        env = os.environ.get("SOKBO_SHARED")
        candidates = [Path(env)] if env else []
        candidates += [REPO.parent / "shared", Path.cwd().parent / "shared"]
    for c in candidates:
        if (c / "data").is_dir():
            return c
    where = ", ".join(str(c) for c in dict.fromkeys(candidates))
    raise InputError(
        f"shared benchmark data not found (looked in {where}); "
        "pass --shared DIR or set SOKBO_SHARED"
    )


def data_path(shared: Path, *parts: str) -> Path:
    """``shared/data/<parts>``, or InputError naming the missing path."""
    path = shared.joinpath("data", *parts)
    if not path.exists():
        raise InputError(f"benchmark data missing: {path}")
    return path


def median_ms(seconds: Iterable[float]) -> float | None:
    values = list(seconds)
    return round(statistics.median(values) * 1000, 1) if values else None


def ratio(a: float | None, b: float | None) -> float | None:
    """a / b rounded for reports; None when either is missing or b is zero."""
    if a is None or not b:
        return None
    return round(a / b, 2)


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f} %"


def num(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def print_report(
    report: dict[str, Any],
    as_json: bool,
    tables: Callable[[dict[str, Any]], Sequence[Any]],
    notes: Callable[[dict[str, Any]], Sequence[str]] | None = None,
) -> None:
    """One JSON object on stdout, or the Rich tables ``tables(report)`` builds plus notes."""
    if as_json:
        import click

        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    from rich.console import Console

    console = Console(soft_wrap=True)
    if not console.is_terminal:  # piped or captured: Rich would squeeze the tables into 80 columns
        console = Console(soft_wrap=True, width=REPORT_WIDTH)
    for table in tables(report):
        console.print(table)
    for line in notes(report) if notes else ():
        console.print(line, highlight=False, markup=False)
