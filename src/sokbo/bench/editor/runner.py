"""Run the user's path — the function `sokbo post` calls — on bench inputs, in one process.

Each run gets a fresh output folder and state database, as a user's first `sokbo post` would;
what the bench keeps is the `--json`-shaped result and the text of each post file.
"""
from __future__ import annotations

import json
import logging
import re
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sokbo.bench.editor.view import PostView, Source, build_view

log = logging.getLogger(__name__)


@dataclass(slots=True)
class PostRun:
    """One `sokbo post INPUTS…` call and what came out of it."""

    name: str
    inputs: list[str]
    sources: dict[str, Source]            # the articles the inputs hold, as the product reads them
    result: dict[str, Any] = field(default_factory=dict)
    posts: list[tuple[dict[str, Any], str]] = field(default_factory=list)  # (json entry, file)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def has_text(self) -> bool:
        return any(s.sentences for s in self.sources.values())

    def views(self) -> list[PostView]:
        return [build_view(self.name, text, entry, self.sources) for entry, text in self.posts]


def read_sources(inputs: Sequence[str]) -> tuple[dict[str, Source], list[str]]:
    """The articles in ``inputs`` as the product's reader sees them (ids, titles, sentences).

    Reading is the ingest stage, not the writer: the provenance of a post indexes these.
    """
    from sokbo.ingest import load_articles

    articles, errors = load_articles(list(inputs))
    out = {}
    for a in articles:
        out[a.id] = Source(a.id, a.title or "", a.outlet or "",
                           {s.index: s.text for s in a.sentences}, a.text or "")
    return out, [str(e) for e in errors]


class Runner:
    """Calls ``pipeline.post_inputs`` with default settings and a fresh out dir per run."""

    def __init__(self, workdir: Path, dump: Path | None = None) -> None:
        from sokbo.config import load_settings

        self.workdir = workdir
        self.dump = dump
        empty = workdir / "defaults.toml"
        empty.write_text("", "utf-8")  # the shipped defaults, never a sokbo.toml in the cwd
        self.settings = load_settings(empty)
        self.count = 0
        self.product_seconds = 0.0
        self.product_cpu_seconds = 0.0

    def post(self, name: str, inputs: Sequence[str], suite: str) -> PostRun:
        from sokbo.pipeline import post_inputs

        try:
            from sokbo.korean.kiwi import clear_token_cache
        except ImportError:  # pragma: no cover - the cache may move; a cold start is all we want
            def clear_token_cache() -> None:
                return None

        sources, read_errors = read_sources(inputs)
        run = PostRun(name, list(inputs), sources)
        self.count += 1
        out = self.workdir / f"run{self.count:04d}"
        settings = self.settings.with_overrides(out_dir=out, format="jekyll")
        clear_token_cache()  # a user's `sokbo post` starts with nothing analysed
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            report = post_inputs(settings, list(inputs))
            run.result = report.to_dict()
        except Exception as e:  # noqa: BLE001 - a crash is a finding, not the end of the bench
            log.warning("sokbo post crashed on %s: %s", name, e)
            run.result = {"posts": [], "errors": [f"crash: {type(e).__name__}: {e}"]}
        run.seconds = time.perf_counter() - t0
        self.product_seconds += run.seconds
        self.product_cpu_seconds += time.process_time() - c0
        run.errors = [str(e) for e in run.result.get("errors") or []] or read_errors
        for entry in run.result.get("posts") or []:
            path = Path(str(entry.get("path", "")))
            if path.is_file():
                run.posts.append((entry, path.read_text("utf-8")))
            else:
                run.errors.append(f"post file missing: {path}")
        if self.dump is not None:
            dump_run(self.dump / suite, run)
        return run


def dump_run(folder: Path, run: PostRun) -> None:
    """Write each post next to its input's name, with its JSON entry, or the refusal."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^\w+.-]", "_", run.name)
    for n, (entry, text) in enumerate(run.posts):
        suffix = "" if len(run.posts) == 1 else f".{n + 1}"
        (folder / f"{stem}{suffix}.post.html").write_text(text, "utf-8")
        (folder / f"{stem}{suffix}.post.json").write_text(
            json.dumps(entry, ensure_ascii=False, indent=2), "utf-8")
    if not run.posts:
        (folder / f"{stem}.refused.txt").write_text(
            "\n".join(run.errors or ["no post and no error"]) + "\n", "utf-8")


def jsonl_input(folder: Path, record: dict[str, Any]) -> Path:
    """A summ record as a user would hand it over: a one-line JSONL file."""
    path = folder / f"{re.sub(r'[^0-9A-Za-z_-]', '_', str(record['id']))}.jsonl"
    line = {"title": record.get("title") or "", "text": record["text"],
            "url": record.get("url") or "", "outlet": record.get("media") or ""}
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", "utf-8")
    return path


def temp_workdir() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="sokbo-bench-editor-")
