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


def _escape_github(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def _file_line(path: str, location: str, cache: dict[str, list[str]]) -> int:
    """The file line of a finding: "line N", or the line of a front matter key."""
    if location.startswith("line "):
        return int(location[5:])
    key = location.partition(":")[2]
    if path not in cache:
        try:
            cache[path] = Path(path).read_text("utf-8", errors="replace").split("\n")
        except OSError:
            cache[path] = []
    return next((i for i, line in enumerate(cache[path], 1)
                 if key and line.startswith(f"{key}:")), 1)


_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _github(path: str, f: dict[str, str], cache: dict[str, list[str]]) -> str:
    line = _file_line(path, f["location"], cache)
    title = _escape_github(f"{f['code']} {f['name']}", prop=True)
    message = _escape_github(f"{f['message_en']} / {f['message_ko']}: \"{f['quote']}\"")
    return (f"::{_GITHUB_LEVEL.get(f['severity'], 'warning')} "
            f"file={_escape_github(path, prop=True)},line={line},title={title}::{message}")


def _by_rule(findings: list) -> str:
    from sokbo.lint import RULES

    counts = Counter(f.code for _, f in findings)
    return "by rule: " + ", ".join(
        f"{code} {RULES[code].name if code in RULES else ''} {n}"
        for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


@click.command("lint")
@click.argument("posts", nargs=-1, required=True, metavar="POST_OR_DIR...")
@click.option(
    "--sources",
    "sources",
    multiple=True,
    metavar="FILE_OR_URL",
    help="Source article (HTML, text, JSONL, feed or URL) to check grounding against; repeatable.",
)
@click.option(
    "--profile",
    type=click.Choice(["auto", "sokbo", "none"]),
    default="auto",
    show_default=True,
    help="Template rules: sokbo = FORMAT.md conformance (sokbo's own posts); auto = any post, "
         "only what breaks its own template or any reader sees; none = no template rules.",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True,
              help="text: one line per finding and a summary; json: one object; github: "
                   "workflow annotations (::error file=…,line=…).")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes to lint with (one Kiwi load each).")
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
    profile: str,
    fmt: str,
    as_json: bool,
    jobs: int,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
) -> None:
    """Check Korean news posts for format, safety, writing and faithfulness defects.

    POST_OR_DIR: post files, or folders searched recursively for .md and .html posts (files
    there that are no post are skipped). Without --sources a post is checked against itself
    (markup, repeated phrases and claims, leaked prompts, a summary or title the body does not
    back); with them every sentence, name, number and quote must be found in a source.

    Example:

        sokbo lint _posts/ --jobs 2 --format github

        sokbo lint _posts/2024-07-04-푸틴-시진핑.html --profile sokbo --sources articles.jsonl
    """
    from sokbo.lint.batch import lint_paths

    fmt = "json" if as_json else fmt
    debug = logging.getLogger().isEnabledFor(logging.DEBUG)
    try:
        articles = _load_sources(sources) if sources else None
        files = lint_paths(posts, sources=articles, select=select, ignore=ignore,
                           profile=profile, jobs=jobs)
    except SokboError as e:
        if debug:
            raise
        click.echo(f"sokbo lint: error: {e}", err=True)
        sys.exit(EXIT_BAD_INPUT)

    results = [(r.path, r.result) for r in files if r.result is not None]
    crashed = [r for r in files if r.crash]
    skipped = [r for r in files if r.skipped]
    for r in crashed:
        click.echo(f"sokbo lint: {r.crash}", err=True)
    findings = [(p, f) for p, r in results for f in r.findings]
    if fmt == "json":
        report = {
            "profile": profile,
            "files": [{"path": p, **r.to_dict()} for p, r in results],
            "skipped": [{"path": r.path, "why": r.skipped} for r in skipped],
            "counts": dict(sorted(Counter(f.code for _, f in findings).items())),
        }
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    elif fmt == "github":
        cache: dict[str, list[str]] = {}
        for p, f in findings:
            click.echo(_github(p, f.to_dict(), cache))
    else:
        for p, f in findings:
            click.echo(_line(p, f.to_dict()))
        summary = _summary(len(results), Counter(f.severity for _, f in findings))
        if skipped:
            summary += f"; {len(skipped)} file{'s' if len(skipped) != 1 else ''} skipped (no post)"
        click.echo(summary)
        if findings:
            click.echo(_by_rule(findings))
    sys.exit(EXIT_INTERNAL if crashed else EXIT_FOUND if findings else 0)
