"""sokbo lint: check any Korean news post for format, safety, writing and faithfulness defects.

Rules live in a registry (``RULES``, code → Rule) grouped by hundreds: SB1xx writing,
SB2xx front matter, SB3xx body layout, SB4xx markup and links, SB5xx summary consistency,
SB6xx grounding against source articles (only when sources are given).

Example::

    result = lint_file(Path("_posts/2024-07-04-푸틴.html"), sources=articles)
    for f in result.findings:
        print(f.location, f.code, f.message_en)
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sokbo.errors import InputError
from sokbo.lint import (  # noqa: F401 - importing registers the rules
    consistency,
    disputes,
    editorial,
    filler,
    format,
    grounding,
    leaks,
    safety,
    template,
    writing,
)
from sokbo.lint.context import Context, KnownSplit, writer_split
from sokbo.lint.grounding import SUPPORT_THRESHOLD, sentence_support
from sokbo.lint.parse import parse_post
from sokbo.lint.rules import RULES, Finding, Rule, SentenceSupport, select_rules
from sokbo.models import Article

__all__ = [
    "RULES",
    "SUPPORT_THRESHOLD",
    "Finding",
    "LintResult",
    "Rule",
    "SentenceSupport",
    "lint_file",
    "lint_text",
    "writer_split",
]

_FRONT_ORDER = ("front-matter", "title", "categories", "excerpt", "feature_text", "image")


@dataclass(frozen=True, slots=True)
class LintResult:
    """Findings sorted by position (front matter first, then body lines) and, when sources were
    given, the grounding record of every prose sentence."""

    findings: list[Finding] = field(default_factory=list)
    support: list[SentenceSupport] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "findings": [f.to_dict() for f in self.findings],
            "support": [s.to_dict() for s in self.support],
        }


def _position(finding: Finding) -> tuple[int, int, str]:
    where = finding.location
    if where.startswith("line "):
        return (1, int(where[5:]), finding.code)
    key = where.partition(":")[2] or "front-matter"
    rank = _FRONT_ORDER.index(key) if key in _FRONT_ORDER else len(_FRONT_ORDER)
    return (0, rank, finding.code)


def lint_text(
    text: str,
    *,
    sources: Sequence[Article] | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    profile: str = "sokbo",
    markdown: bool | None = None,
    known: KnownSplit | None = None,
    rendered: bool = False,
) -> LintResult:
    """Lint one post given as text; grounding rules run only when ``sources`` are given.

    ``profile``: ``sokbo`` (FORMAT.md conformance, the default here: what sokbo's own posts
    are held to), ``auto`` (any other post: only defects within its own template and those any
    reader sees; the CLI's default) or ``none`` (no template rules). ``markdown``: the body is
    Markdown (True), HTML (False), or either (None, decided from the text). ``known``: the
    paragraphs the caller wrote, each with its sentences (``writer_split(post)`` of a sokbo
    post): such a paragraph is read as those sentences instead of being split by Kiwi again.
    ``rendered``: the text is ``render_post``'s (its front matter is read faster, to the same
    value).

    Raises InputError when the text is no post (no front matter and no HTML paragraphs) or a
    select/ignore entry names no rule.
    """
    rules = select_rules(select, ignore, profile)
    ctx = Context(parse_post(text, markdown=markdown, rendered=rendered),
                  tuple(sources or ()), profile=profile, known=known)
    findings = [
        f for r in rules if ctx.sources or not r.needs_sources for f in r.findings(ctx)
    ]
    support = sentence_support(ctx) if ctx.sources else []
    return LintResult(sorted(findings, key=_position), support)


def read_post(path: Path) -> str:
    """A post file's text; InputError for a missing, empty, binary or non-UTF-8 file."""
    from sokbo.ingest import read_input_bytes

    data = read_input_bytes(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError("not UTF-8 text (a post must be UTF-8)", source=str(path)) from e


_MARKDOWN_SUFFIXES = {".md": True, ".markdown": True, ".html": False, ".htm": False}


def lint_file(path: Path, **kw: Any) -> LintResult:
    """Lint one post file; see ``lint_text`` for the keyword arguments. A ``.md`` file's body
    is Markdown, an ``.html`` file's HTML (unless ``markdown`` says otherwise)."""
    path = Path(path)
    text = read_post(path)
    kw.setdefault("markdown", _MARKDOWN_SUFFIXES.get(path.suffix.lower()))
    try:
        return lint_text(text, **kw)
    except InputError as e:
        if e.source:
            raise
        raise InputError(str(e), source=str(path)) from e
