"""`sokbo bench …`: measure sokbo against the shared data and the peers of BENCHMARKS.md.

The group is registered in cli.py; each command parses options, calls one bench function and
prints its report (one JSON object with --json, Rich tables otherwise).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from sokbo.cli import handle_errors, json_option


def shared_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--shared", "shared_dir", type=click.Path(file_okay=False), default=None,
        help="The shared/ folder holding data/ (default: $SOKBO_SHARED, then ../shared).",
    )(fn)


@click.group(name="bench", context_settings={"help_option_names": ["-h", "--help"]})
def bench_group() -> None:
    """Benchmarks on the shared data; each prints sokbo beside its baselines from the same run.

    Data is read from --shared DIR, $SOKBO_SHARED or ../shared (never from this repository).

    Example:
        sokbo bench extract --json
    """


@bench_group.command("extract")
@json_option
@shared_option
@handle_errors
def bench_extract(as_json: bool, shared_dir: str | None) -> None:
    """Page extraction: title, body bigram F1, Seoul-day date and time per page,
    sokbo beside plain trafilatura, on data/html and its gold.

    Example:
        sokbo bench extract --shared ../shared
    """
    from sokbo.bench.common import find_shared, print_report
    from sokbo.bench.extract import notes, run_extract_bench, tables

    report = run_extract_bench(find_shared(shared_dir))
    print_report(report, as_json, tables, notes)


@bench_group.command("cluster")
@json_option
@shared_option
@handle_errors
def bench_cluster(as_json: bool, shared_dir: str | None) -> None:
    """Story clustering: B-cubed (restricted and strict), held-out 2-fold F1, cluster sizes and
    time, sokbo beside the title-n-gram baseline, on data/clusters.

    Example:
        sokbo bench cluster --json > cluster.json
    """
    from sokbo.bench.cluster import notes, run_cluster_bench, tables
    from sokbo.bench.common import find_shared, print_report

    report = run_cluster_bench(find_shared(shared_dir))
    print_report(report, as_json, tables, notes)


@bench_group.command("lint")
@json_option
@shared_option
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes to lint with.")
@handle_errors
def bench_lint(as_json: bool, shared_dir: str | None, jobs: int) -> None:
    """`sokbo lint` on the 80 real auto-blog posts of data/blogposts: precision and recall per
    rule against the judged labels (sokbo/data/lint-labels.json), posts per second, and the
    reference post's five expected findings.

    Example:
        sokbo bench lint --json > lint.json
    """
    from sokbo.bench.common import find_shared, print_report
    from sokbo.bench.lint import notes, run_lint_bench, tables

    print_report(run_lint_bench(find_shared(shared_dir), jobs=jobs), as_json, tables, notes)


@bench_group.command("quality")
@json_option
@shared_option
@handle_errors
def bench_quality(as_json: bool, shared_dir: str | None) -> None:
    """Writing quality: summary ROUGE-1/2/L of sokbo's excerpt beside Lead-1, Lead-3, Lead and
    TextRank on summ/dev and summ/heldout, topic macro-F1 on ynat/test, style-table accuracy,
    and the share of output sentences traceable to a source (must be 100 %).

    Example:
        sokbo bench quality --json > quality.json
    """
    from pathlib import Path

    from sokbo.bench.common import find_shared, print_report
    from sokbo.bench.quality import notes, run_quality_bench, tables

    repo = Path(__file__).resolve().parents[2]
    report = run_quality_bench(find_shared(shared_dir), repo=repo)
    print_report(report, as_json, tables, notes)


@bench_group.command("editor")
@json_option
@shared_option
@click.option("--limit", type=click.IntRange(min=1), default=None, metavar="N",
              help="Only the first N pages and N summ records per dataset (a quick look).")
@click.option("--dump", "dump_dir", type=click.Path(file_okay=False), default=None,
              help="Write every generated post (and each refusal) under DIR/<suite>/, "
                   "named after its input, for reading.")
@click.option("--no-heldout", is_flag=True,
              help="Skip summ/heldout (its ROUGE is the final report; nothing is tuned on it).")
@handle_errors
def bench_editor(as_json: bool, shared_dir: str | None, limit: int | None,
                 dump_dir: str | None, no_heldout: bool) -> None:
    """Posts as a Korean editor reads them, through the user's path (`sokbo post`) on
    data/html (each page, the pages of one story, unrelated pairs) and summ: yield, speech
    level, boilerplate, dangling references, heading phrases, highlight cuts, excerpt/card
    overlap, title and sources defects, and ROUGE of the excerpt beside Lead and TextRank.

    Example:
        sokbo bench editor --dump /tmp/posts --json > editor.json
    """
    from pathlib import Path

    from sokbo.bench.common import find_shared, print_report
    from sokbo.bench.editor import notes, run_editor_bench, tables

    report = run_editor_bench(find_shared(shared_dir), limit=limit,
                              dump=Path(dump_dir) if dump_dir else None,
                              heldout=not no_heldout)
    print_report(report, as_json, tables, notes)


@bench_group.command("scale")
@json_option
@shared_option
@click.option("--sizes", default="1000,10000,100000", show_default=True,
              help="Store sizes (articles), comma-separated.")
@click.option("--per-day", type=click.IntRange(1), default=300, show_default=True,
              help="Synthetic articles per day (the pace a store grows at).")
@click.option("--part", "parts", multiple=True,
              help="Only these parts (default: all; `cluster` is the first).")
@click.option("--work", type=click.Path(file_okay=False), default=None,
              help="Folder for the temporary stores (default: the system's temp folder).")
@click.option("--first-articles", type=click.IntRange(1), default=10_000, show_default=True,
              help="Articles of the `first` part's first run.")
@handle_errors
def bench_scale(as_json: bool, shared_dir: str | None, sizes: str, per_day: int,
                parts: tuple[str, ...], work: str | None, first_articles: int) -> None:
    """Scaling: stores of 1,000 / 10,000 / 100,000 synthetic articles built from the
    data/clusters texts; for each, clustering everything from scratch and adding 20 articles
    (time, peak RSS), the fitted growth exponent, and sokbo 0.1's one-pass clustering beside it.

    Example:
        sokbo bench scale --sizes 1000,10000 --json
    """
    from pathlib import Path

    from sokbo.bench.common import find_shared, print_report
    from sokbo.bench.scale import PARTS, notes, run_scale_bench, tables
    from sokbo.errors import InputError

    try:
        counts = tuple(int(x.replace("_", "")) for x in sizes.split(",") if x.strip())
    except ValueError:
        raise InputError(f"--sizes: not a list of numbers: {sizes}") from None
    report = run_scale_bench(
        find_shared(shared_dir), sizes=counts, per_day=per_day, parts=parts or tuple(PARTS),
        work=Path(work) if work else None,
        progress=lambda line: click.echo(line, err=True), first_articles=first_articles,
    )
    print_report(report, as_json, tables, notes)
