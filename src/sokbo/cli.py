"""Command line: thin commands over the library; errors become one line and an exit code.

Every command runs through ``cli_edge.run_at_edge`` (exit 2: bad input, 3: internal error).
"""
from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from sokbo import __version__
from sokbo.cli_edge import EXIT_BAD_INPUT, run_at_edge


def _fail(message: str) -> None:
    click.echo(f"sokbo: error: {message}", err=True)


def handle_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Translate errors at the edge: one line on stderr, exit 2 or 3, no traceback.

    The group already runs every command this way; the decorator keeps a command that is
    called on its own (``command.main()``, tests) the same.
    """

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return run_at_edge(lambda: fn(*args, **kwargs))

    return wrapper


def config_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--config", "config_path", type=click.Path(dir_okay=False), default=None,
        help="sokbo.toml to read (default: ./sokbo.toml when present).",
    )(fn)


def out_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--out", "out_dir", type=click.Path(file_okay=False), default=None,
        help="Output directory: posts in OUT/_posts, state in OUT/sokbo.db (default ./sokbo-out).",
    )(fn)


def json_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--json", "as_json", is_flag=True,
                        help="Print one machine-readable JSON object.")(fn)


# name → (module, attribute, one-line help): imported only when the command runs, so that
# `sokbo --help` stays instant
LAZY_COMMANDS: dict[str, tuple[str, str, str]] = {
    "lint": ("sokbo.lint.cli", "lint_command",
             "Check posts for format, safety, writing and faithfulness problems."),
    "watch": ("sokbo.cli_watch", "watch_command", "Run `sokbo run` on a schedule until Ctrl-C."),
    "backfill": ("sokbo.cli_backfill", "backfill_command",
                 "Backfill an archive (JSONL, WARC, sitemap, folder) on Ray."),
    "bench": ("sokbo.cli_bench", "bench_group", "Benchmarks: quality, extract, cluster (JSON)."),
    "train": ("sokbo.cli_train", "train_group", "Train the shipped models (topic classifier)."),
    "approve": ("sokbo.cli_publish", "approve_command", "Approve draft posts for publishing."),
    "publish": ("sokbo.cli_publish", "publish_command",
                "Write approved posts into a Jekyll/Hugo site repo and commit."),
    "site": ("sokbo.cli_publish", "site_command", "Build the static preview site."),
    "serve": ("sokbo.cli_serve", "serve_command", "Local review page for drafts and sources."),
}


class LazyGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        # the one edge for every command, lazily loaded ones included (sokbo.cli_edge)
        return run_at_edge(lambda: super(LazyGroup, self).invoke(ctx))

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(LAZY_COMMANDS))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.commands:
            return self.commands[name]
        if name not in LAZY_COMMANDS:
            return None
        import importlib

        module, attr, _ = LAZY_COMMANDS[name]
        command = getattr(importlib.import_module(module), attr)
        self.commands[name] = command
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            if name in LAZY_COMMANDS and name not in self.commands:
                rows.append((name, LAZY_COMMANDS[name][2]))
            else:
                cmd = self.commands[name]
                rows.append((name, cmd.get_short_help_str(limit=formatter.width)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sokbo")
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logs.")
def cli(debug: bool) -> None:
    """sokbo (속보): Korean news in, faithful Korean blog posts out.

    Every sentence of a post is a source sentence restyled to 합쇼체, with its provenance.
    """
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        format="sokbo: %(levelname)s: %(message)s",
    )
    from sokbo.cli_edge import set_debug

    set_debug(debug)


def _settings(config_path: str | None, out_dir: str | None, fmt: str | None = None,
              template_dir: str | None = None):
    from sokbo.config import load_settings

    settings = load_settings(config_path)
    return settings.with_overrides(out_dir=Path(out_dir) if out_dir else None, format=fmt,
                                   template_dir=Path(template_dir) if template_dir else None)


def jobs_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--jobs", "-j", type=click.IntRange(0, 256), default=None, metavar="N",
        help="Processes that extract and analyse articles (default: [run] jobs, 0 = one per "
             "core). Results are the same for any N.")(fn)


def format_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    from sokbo.config import FORMATS

    fn = click.option("--template", "template_dir", type=click.Path(file_okay=False,
                      exists=True), default=None,
                      help="Folder of Jinja templates overriding the shipped ones by name "
                           "(jekyll/post.html.j2, hugo/post.md.j2, markdown/post.md.j2).")(fn)
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
                        help="Output format (default from config: jekyll).")(fn)


def _progress():  # -> (callback, stop)
    """A Rich progress bar on a terminal; silent otherwise."""
    if not sys.stderr.isatty():
        return None, lambda: None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   transient=True)
    bar.start()
    tasks: dict[str, Any] = {}

    def update(what: str, n: int, total: int) -> None:
        phase = what.split(" ", 1)[0]
        if phase not in tasks:
            tasks[phase] = bar.add_task(phase, total=total)
        bar.update(tasks[phase], completed=n, total=total, description=what[:60])

    return update, bar.stop


def _print_report(report: Any, as_json: bool, *, command: str) -> None:
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        from rich.console import Console
        from rich.markup import escape
        from rich.table import Table

        console = Console(soft_wrap=True)
        if not console.is_terminal:  # piped or captured: do not squeeze the table into 80 columns
            console = Console(soft_wrap=True, width=160)
        # errors, titles and outlets come from the web: "[/x]" in them is text, not markup
        for err in report.errors:
            console.print(f"[yellow]skipped:[/] {escape(err)}", markup=True, highlight=False)
        if report.posts:
            table = Table(title=f"sokbo {command}: posts in {report.out_dir}")
            for col in ("story", "outlets", "sentences", "status"):
                table.add_column(col)
            table.add_column("post", overflow="fold")
            for p in report.posts:
                outlets = ", ".join(dict.fromkeys(a.outlet for a in p.articles))
                n = len(p.post.all_sentences()) if p.post else "-"
                table.add_row(escape(p.title), escape(outlets), str(n), p.status,
                              escape(str(p.path)))
            console.print(table)
        from sokbo.sources import format_summary

        console.print(format_summary(report), markup=False, highlight=False)
        if report.posts:
            console.print(f"posts are in {report.posts[0].path.parent}", highlight=False)
        if report.site_index:
            console.print(f"preview: {report.site_index}", highlight=False)


@cli.command()
@config_option
@out_option
@json_option
@click.option("--feed", "feeds", multiple=True, metavar="URL_OR_FILE",
              help="Read this RSS/Atom feed instead of the configured ones (repeatable).")
@format_options
@jobs_option
@handle_errors
def run(config_path: str | None, out_dir: str | None, as_json: bool, feeds: tuple[str, ...],
        fmt: str | None, template_dir: str | None, jobs: int | None) -> None:
    """Read feeds, group articles into stories, write one post per story.

    With no config and no --feed, reads the bundled demo corpus (offline).

    Example:
        sokbo run --out sokbo-out
    """
    from sokbo.pipeline import run_pipeline

    settings = _settings(config_path, out_dir, fmt, template_dir).with_overrides(jobs=jobs)
    update, stop = _progress() if not as_json else (None, lambda: None)
    try:
        report = run_pipeline(settings, list(feeds) or None, progress=update)
    finally:
        stop()
    _print_report(report, as_json, command="run")
    # exit 2 only when nothing could be read at all; feeds answering "not modified" are fine
    unchanged = any(report.fetch_stats.get(k) for k in ("not_modified", "unchanged"))
    if report.errors and not report.posts and report.articles_read == 0 and not unchanged:
        sys.exit(EXIT_BAD_INPUT)


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--one-story", is_flag=True,
              help="Write one post of all inputs even when they tell different stories.")
@config_option
@out_option
@json_option
@format_options
@handle_errors
def post(inputs: tuple[str, ...], one_story: bool, config_path: str | None, out_dir: str | None,
         as_json: bool, fmt: str | None, template_dir: str | None) -> None:
    """Write the post of the story the given articles tell (one post per story when they
    tell several, and a note saying so).

    INPUTS are local HTML files, plain-text files, JSONL files
    ({"title","text","url","outlet","published"} per line) or article URLs.

    Example:
        sokbo post article1.html article2.html --out blog
    """
    from sokbo.pipeline import post_inputs

    settings = _settings(config_path, out_dir, fmt, template_dir)
    report = post_inputs(settings, list(inputs), one_story=one_story)
    for err in report.errors:
        _fail(err)
    for note in report.notes:
        click.echo(f"sokbo post: note: {note}", err=True)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    elif report.posts:
        _print_report(report, False, command="post")
    if report.errors or not report.posts:
        if not report.posts and not report.errors:
            _fail("no article found in the inputs")
        sys.exit(EXIT_BAD_INPUT)


def main() -> None:  # pragma: no cover
    cli()
