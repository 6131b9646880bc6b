"""The lint rule registry and the records rules produce: Rule, Hit, Finding, SentenceSupport.

Rule modules (``format``, ``safety``, ``writing``, ``consistency``, ``grounding``) register their
checks with the ``@rule`` decorator; ``RULES`` maps each stable code to its rule.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from sokbo.errors import InputError

if TYPE_CHECKING:
    from sokbo.lint.context import Context

__all__ = [
    "ALL_PROFILES",
    "PROFILES",
    "QUOTE_MAX",
    "RULES",
    "Finding",
    "Hit",
    "Rule",
    "SentenceSupport",
    "rule",
    "select_rules",
]

Severity = Literal["error", "warning", "info"]
QUOTE_MAX = 60
# Template profiles: ``sokbo`` checks FORMAT.md conformance; ``auto`` (for any other post) only
# what is inconsistent within the post's own template or visible to any reader; ``none`` no
# template rule at all.
PROFILES = ("sokbo", "auto", "none")
ALL_PROFILES = frozenset(PROFILES)


@dataclass(frozen=True, slots=True)
class Hit:
    """What a check reports; the rule turns it into a Finding with its code, name and severity."""

    location: str
    quote: str
    message_ko: str
    message_en: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One defect in a post."""

    code: str
    name: str
    severity: str
    location: str
    quote: str
    message_ko: str
    message_en: str

    def to_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "location": self.location,
            "quote": self.quote,
            "message_ko": self.message_ko,
            "message_en": self.message_en,
        }


@dataclass(frozen=True, slots=True)
class SentenceSupport:
    """How well one post sentence is backed by the sources (best window of 1–2 sentences)."""

    text: str
    location: str
    role: str
    source_id: str | None
    source_index: int | None
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "location": self.location,
            "role": self.role,
            "source_id": self.source_id,
            "source_index": self.source_index,
            "score": round(self.score, 3),
        }


Check = Callable[["Context"], Iterable[Hit]]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: Severity
    description: str
    check: Check
    needs_sources: bool = False
    profiles: frozenset[str] = ALL_PROFILES

    def findings(self, ctx: Context) -> Iterator[Finding]:
        for hit in self.check(ctx):
            yield Finding(
                code=self.code,
                name=self.name,
                severity=self.severity,
                location=hit.location,
                quote=shorten(hit.quote),
                message_ko=hit.message_ko,
                message_en=hit.message_en,
            )


RULES: dict[str, Rule] = {}


def rule(
    code: str, name: str, severity: Severity, description: str, *, needs_sources: bool = False,
    profiles: Iterable[str] = PROFILES,
) -> Callable[[Check], Check]:
    """Register a check function as the rule ``code``; ``profiles`` are the template profiles
    it runs in (all by default)."""

    def register(check: Check) -> Check:
        if code in RULES or any(r.name == name for r in RULES.values()):
            raise RuntimeError(f"lint rule {code} {name} registered twice")
        RULES[code] = Rule(code, name, severity, description, check, needs_sources,
                           frozenset(profiles))
        return check

    return register


def shorten(text: str, limit: int = QUOTE_MAX) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _matches(r: Rule, token: str) -> bool:
    t = token.strip().lower()
    if r.name == t:
        return True
    return t.startswith("sb") and r.code.lower().startswith(t)


def _tokens(values: Iterable[str] | None) -> list[str]:
    """Accept repeated values and comma lists alike: ["SB1,SB2", "repeated-phrase"]."""
    out: list[str] = []
    for value in values or ():
        out.extend(t.strip() for t in value.split(",") if t.strip())
    return out


def select_rules(
    select: Iterable[str] | None = None, ignore: Iterable[str] | None = None,
    profile: str = "sokbo",
) -> list[Rule]:
    """The rules to run in ``profile``: codes, code prefixes ("SB1") or names; an unknown one
    (or an unknown profile) is an InputError. A rule selected by its code runs whatever the
    profile."""
    if profile not in PROFILES:
        raise InputError(f"unknown profile {profile!r}: use {', '.join(PROFILES)}",
                         source="profile")
    chosen, dropped = _tokens(select), _tokens(ignore)
    for option, tokens in (("select", chosen), ("ignore", dropped)):
        for token in tokens:
            if not any(_matches(r, token) for r in RULES.values()):
                raise InputError(
                    f"unknown lint rule {token!r}: use a code (SB101), a prefix (SB1) or a name",
                    source=option,
                )
    return [
        r
        for _, r in sorted(RULES.items())
        if (any(_matches(r, t) for t in chosen) if chosen else profile in r.profiles)
        and not any(_matches(r, t) for t in dropped)
    ]
