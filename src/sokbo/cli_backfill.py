"""`sokbo backfill`: an archive into the store at once, extraction and analysis on Ray."""
from __future__ import annotations

import sys

import click

from sokbo.cli import (
    _print_report,
    _progress,
    _settings,
    config_option,
    handle_errors,
    json_option,
    out_option,
)
from sokbo.cli_edge import EXIT_BAD_INPUT


@click.command("backfill")
@click.argument("sources", nargs=-1, required=True)
@config_option
@out_option
@json_option
@click.option("--ray-address", default=None, metavar="ADDRESS",
              help="An existing Ray cluster (e.g. ray://head:10001, or auto); "
                   "default: a local Ray started in this process.")
@click.option("--workers", type=click.IntRange(1, 4096), default=None, metavar="N",
              help="Ray actors extracting and analysing (each loads Kiwi; default: "
                   "[run] jobs, 0 = one per core).")
@click.option("--partition-days", type=click.IntRange(1, 3660), default=30, show_default=True,
              help="Days of articles clustered and written at a time.")
@handle_errors
def backfill_command(sources: tuple[str, ...], config_path: str | None, out_dir: str | None,
                     as_json: bool, ray_address: str | None, workers: int | None,
                     partition_days: int) -> None:
    """Backfill an archive: extract and analyse on Ray, cluster, write every story's post.

    SOURCES are JSONL files ({"title","text","url","outlet","published"} per line), WARC
    archives (.warc, .warc.gz), sitemaps (a local .xml or an http(s) URL: its pages are
    fetched politely) or folders of pages (.html, .txt). A rerun skips what is stored.

    Example:
        sokbo backfill archive-2025.jsonl crawl.warc.gz --out blog --workers 8
    """
    from sokbo.backfill import run_backfill

    settings = _settings(config_path, out_dir)
    update, stop = _progress() if not as_json else (None, lambda: None)
    try:
        report = run_backfill(settings, list(sources), ray_address=ray_address,
                              workers=workers, partition_days=partition_days, progress=update)
    finally:
        stop()
    _print_report(report, as_json, command="backfill")
    if report.errors and not report.posts and report.articles_read == 0 and \
            not report.fetch_stats.get("unchanged"):
        sys.exit(EXIT_BAD_INPUT)
