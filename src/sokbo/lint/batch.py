"""Linting many posts: files and folders (recursively), in several processes, one Kiwi each.

``lint_paths`` returns one ``FileResult`` per post, in path order. A file named on its own that
cannot be read is an ``InputError`` (the caller's bad input); a file found in a folder that is
no post (a README, a layout) is skipped and counted. A linter bug on one post is logged
(``sokbo.crashlog``) and reported on that post; the others are still linted.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sokbo.errors import InputError
from sokbo.lint import LintResult, lint_file
from sokbo.models import Article

__all__ = ["POST_SUFFIXES", "FileResult", "collect_posts", "lint_paths"]

POST_SUFFIXES = (".md", ".markdown", ".html", ".htm")
# folders of a blog repository that hold no posts: build output, dependencies, caches
SKIP_DIRS = frozenset({".git", "_site", "public", "node_modules", "vendor", ".jekyll-cache",
                       ".sass-cache", "resources", "__pycache__"})
# posts per task sent to a worker: enough to amortise the hand-over, few enough to balance
CHUNK = 8


@dataclass(frozen=True, slots=True)
class FileResult:
    """One post's result: ``result``, or why it has none (``skipped``: no post, found in a
    folder; ``crash``: the one-line report of a linter failure, traceback logged)."""

    path: str
    result: LintResult | None = None
    skipped: str | None = None
    crash: str | None = None


def collect_posts(paths: Iterable[str]) -> list[tuple[str, bool]]:
    """(path, named) for every post file: named files as given, folders searched recursively
    for .md/.markdown/.html/.htm files (hidden and build folders left out), sorted."""
    out: list[tuple[str, bool]] = []
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            out.append((raw, True))
            continue
        found = []
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
            found.extend(str(Path(root) / f) for f in files
                         if f.lower().endswith(POST_SUFFIXES) and not f.startswith("."))
        if not found:
            raise InputError("no post files (.md, .html) in this folder", source=raw)
        out.extend((f, False) for f in sorted(found))
    return out


_OPTIONS: dict[str, Any] = {}


def _lint_one(path: str, named: bool) -> FileResult:
    from sokbo.crashlog import reading, report_internal_error

    try:
        with reading(path):
            return FileResult(path, lint_file(Path(path), **_OPTIONS))
    except InputError as e:
        if named:
            raise
        return FileResult(path, skipped=str(e))
    except Exception as e:  # noqa: BLE001 - a linter bug: name the post, keep the others
        return FileResult(path, crash=report_internal_error(e, path))


def _init_worker(options: dict[str, Any]) -> None:
    from sokbo.korean.kiwi import get_kiwi

    _OPTIONS.clear()
    _OPTIONS.update(options)
    get_kiwi()  # one load per worker, before the first post


def _lint_chunk(chunk: Sequence[tuple[str, bool]]) -> list[FileResult] | str:
    """The chunk's results, or the one-line InputError of a named file (a string: it crosses
    process boundaries)."""
    try:
        return [_lint_one(path, named) for path, named in chunk]
    except InputError as e:
        return str(e)


def lint_paths(
    paths: Iterable[str],
    *,
    sources: Sequence[Article] | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    profile: str = "auto",
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> list[FileResult]:
    """Lint every post under ``paths`` with ``jobs`` processes; results in path order.

    Raises InputError for a named file that cannot be linted, a folder without posts, an
    unknown rule or profile.
    """
    from sokbo.lint.rules import select_rules

    select, ignore = list(select or ()), list(ignore or ())
    select_rules(select, ignore, profile)  # bad options fail before any work
    posts = collect_posts(paths)
    options = {"sources": list(sources) if sources else None, "select": select,
               "ignore": ignore, "profile": profile}
    chunks = [posts[i:i + CHUNK] for i in range(0, len(posts), CHUNK)]
    if jobs <= 1 or len(chunks) <= 1:
        _init_worker(options)
        return _gather(map(_lint_chunk, chunks), len(posts), progress)
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    # spawn, not fork: a fork of a process whose Kiwi already runs threads can deadlock
    with ProcessPoolExecutor(max_workers=min(jobs, len(chunks)), initializer=_init_worker,
                             initargs=(options,), mp_context=get_context("spawn")) as pool:
        return _gather(pool.map(_lint_chunk, chunks), len(posts), progress)


def _gather(
    done_chunks: Iterable[list[FileResult] | str],
    total: int,
    progress: Callable[[int, int], None] | None,
) -> list[FileResult]:
    results: list[FileResult] = []
    for done in done_chunks:
        if isinstance(done, str):
            raise InputError(done)
        results.extend(done)
        if progress:
            progress(len(results), total)
    return results
