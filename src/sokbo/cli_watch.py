"""`sokbo watch`: the pipeline on a schedule, one summary line per run, a clean stop on Ctrl-C."""
from __future__ import annotations

from typing import Any

import click

from sokbo.cli import (
    _progress,
    _settings,
    cli,
    config_option,
    handle_errors,
    jobs_option,
    out_option,
)

__all__ = ["watch_command"]


class IntervalType(click.ParamType):  # type: ignore[type-arg]  # generic only in newer click
    """``30s`` / ``10m`` / ``1h`` → seconds, with click's usual one-line usage error."""

    name = "interval"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> float:
        from sokbo.errors import ConfigError
        from sokbo.watch import parse_interval

        if isinstance(value, (int, float)):
            return float(value)
        try:
            return parse_interval(str(value))
        except ConfigError as e:
            self.fail(str(e), param, ctx)


def _describe(seconds: float) -> str:
    for unit, size in (("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


def _print_run(run: Any) -> None:
    """One summary line per run, then one line per failure and per new or updated post."""
    from sokbo.sources import format_summary, one_line

    when = f"{run.started:%Y-%m-%d %H:%M:%S}"
    if run.report is not None:
        line = f"[{when}] run {run.number}: {format_summary(run.report)}"
    else:
        line = f"[{when}] run {run.number}: failed: {one_line(run.error)}"
    if run.next_run is not None:
        line += f"; next run at {run.next_run:%H:%M:%S}"
    click.echo(line)
    if run.report is None:
        return
    for err in run.report.errors:
        click.echo(f"  failed: {one_line(err)}")
    for post in run.report.posts:
        if post.status in ("new", "updated"):
            click.echo(f"  {post.status} post: {post.path}")


@click.command("watch")
@config_option
@out_option
@click.option("--every", type=IntervalType(), default="10m", show_default=True,
              help="Time between the starts of two runs: 30s, 10m, 1h, 1h30m.")
@click.option("--feed", "feeds", multiple=True, metavar="URL_OR_FILE",
              help="Watch this RSS/Atom feed instead of the configured ones (repeatable).")
@click.option("--max-runs", type=click.IntRange(min=1), default=None,
              help="Stop after this many runs (default: run until stopped).")
@jobs_option
@handle_errors
def watch_command(config_path: str | None, out_dir: str | None, every: float,
                  feeds: tuple[str, ...], max_runs: int | None, jobs: int | None) -> None:
    """Run `sokbo run` every --every until Ctrl-C or SIGTERM.

    Each run fetches only what changed (conditional GET) and prints one summary line.
    A stop request finishes the current article first, then exits with code 0. Times are KST.

    Example:
        sokbo watch --every 10m --out blog
    """
    from sokbo.watch import StopSignal, stop_on_signals, watch

    settings = _settings(config_path, out_dir).with_overrides(jobs=jobs)
    inputs = list(feeds) or None
    what = ", ".join(feeds) if feeds else (
        f"{len(settings.feeds)} configured feeds" if settings.feeds else "the demo corpus")
    click.echo(f"sokbo watch: reading {what} every {_describe(every)} into {settings.out_dir} "
               "(Ctrl-C to stop)")
    with stop_on_signals(StopSignal()) as stop:
        runs = watch(settings, inputs, every=every, stop=stop, max_runs=max_runs,
                     on_run=_print_run, progress=_progress)
    if stop.reason:
        click.echo(f"sokbo watch: stopped ({stop.reason}) after {runs} "
                   f"run{'s' if runs != 1 else ''}")
    else:
        click.echo(f"sokbo watch: done after {runs} run{'s' if runs != 1 else ''}")


# Registered from here, not from cli.py, so that importing either module first works:
# cli.py ends with `import sokbo.cli_watch`, which may find this module half-initialised.
cli.add_command(watch_command)
