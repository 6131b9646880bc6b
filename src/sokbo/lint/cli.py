"""``sokbo lint``: lint post files and print one line per finding, or one JSON object.

Exit status: 0 when nothing is found, 1 when anything is (whatever its severity), 2 on bad
input (a missing, empty or binary file, a file that is no post, an unknown rule, a source that
cannot be read), with one line per problem on stderr and nothing on stdout, 3 when the linter
itself failed on a post (a bug: one line naming the post and the log file holding the
traceback; the other posts are still linted and reported).
"""
from __future__ import annotations

import json
import logging
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import click

from sokbo.cli_edge import EXIT_BAD_INPUT, EXIT_INTERNAL
from sokbo.cli_edge import EXIT_FINDINGS as EXIT_FOUND
from sokbo.errors import InputError, SokboError
from sokbo.models import Article

__all__ = ["EXIT_BAD_INPUT", "EXIT_FOUND", "EXIT_INTERNAL", "lint_command"]
_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}


def _load_sources(inputs: Sequence[str]) -> list[Article]:
    """Articles from files/URLs via sokbo.ingest; any input that fails is an error."""
    from sokbo.config import load_settings
    from sokbo.ingest import load_articles
    from sokbo.pipeline import url_fetch

    with url_fetch(load_settings(None), inputs) as fetch:
        articles, errors = load_articles(list(inputs), fetch=fetch)
    if errors:
        raise errors[0] if len(errors) == 1 else InputError(
            "; ".join(str(e) for e in errors), source="--sources"
        )
    if not articles:
        raise InputError("no articles found", source="--sources")
    return articles


def _line(path: str, f: dict[str, str]) -> str:
    sev = click.style(f"[{f['severity']}]", fg=_COLOURS.get(f["severity"]))
    return (
        f"{path}:{f['location']}: {f['code']} {f['name']} {sev} \"{f['quote']}\""
        f" — {f['message_en']} / {f['message_ko']}"
    )


def _summary(n_files: int, severities: Counter[str]) -> str:
    total = sum(severities.values())
    files = f"{n_files} file{'s' if n_files != 1 else ''}"
    if not total:
        return f"{files} checked: no findings"
    parts = ", ".join(
        f"{severities[s]} {s}{'s' if severities[s] != 1 and s != 'info' else ''}"
        for s in ("error", "warning", "info")
        if severities[s]
    )
    return f"{files} checked: {total} finding{'s' if total != 1 else ''} ({parts})"


@click.command("lint")
@click.argument("posts", nargs=-1, required=True, metavar="POST...")
@click.option(
    "--sources",
    "sources",
    multiple=True,
    metavar="FILE_OR_URL",
    help="Source article (HTML, text, JSONL, feed or URL) to check grounding against; repeatable.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one machine-readable JSON object.")
@click.option(
    "--select",
    multiple=True,
    metavar="RULES",
    help="Only these rules: codes (SB101), prefixes (SB1) or names, comma-separated.",
)
@click.option("--ignore", multiple=True, metavar="RULES", help="Skip these rules (same forms).")
def lint_command(
    posts: tuple[str, ...],
    sources: tuple[str, ...],
    as_json: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
) -> None:
    """Check Korean news posts for format, safety, writing and faithfulness defects.

    Without --sources the post is checked against itself (format, markup, repeated phrases,
    a summary the body does not back); with them every sentence, name, number and quote must
    be found in a source.

    Example:

        sokbo lint _posts/2024-07-04-푸틴-시진핑.html --sources articles.jsonl --ignore SB104
    """
    from sokbo.crashlog import reading, report_internal_error
    from sokbo.lint import lint_file

    debug = logging.getLogger().isEnabledFor(logging.DEBUG)
    crashed = False
    try:
        articles = _load_sources(sources) if sources else None
        results = []
        for p in posts:
            try:
                with reading(p):
                    results.append((p, lint_file(Path(p), sources=articles, select=select,
                                                 ignore=ignore)))
            except SokboError:
                raise
            except Exception as e:  # noqa: BLE001 - a linter bug: name the post, keep the others
                if debug:
                    raise
                crashed = True
                click.echo(f"sokbo lint: {report_internal_error(e, p)}", err=True)
    except SokboError as e:
        if debug:
            raise
        click.echo(f"sokbo lint: error: {e}", err=True)
        sys.exit(EXIT_BAD_INPUT)

    findings = [(p, f) for p, r in results for f in r.findings]
    if as_json:
        report = {
            "files": [{"path": p, **r.to_dict()} for p, r in results],
            "counts": dict(sorted(Counter(f.code for _, f in findings).items())),
        }
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for p, f in findings:
            click.echo(_line(p, f.to_dict()))
        click.echo(_summary(len(results), Counter(f.severity for _, f in findings)))
    sys.exit(EXIT_INTERNAL if crashed else EXIT_FOUND if findings else 0)
