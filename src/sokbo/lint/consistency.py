"""Consistency rules (SB5xx): the summary (excerpt, cards) must not say what the post never backs.

Without the sources a linter cannot tell which side is true, only that the two disagree: the
reference post's excerpt talks of 한반도 while its body only ever says 우크라이나. With sources,
a summary fact that a source backs is no invention (sokbo's cards may carry facts the sections
leave out), and one that no source backs is SB602's to report.
"""
from __future__ import annotations

from collections.abc import Iterator

from sokbo.lint.context import Context
from sokbo.lint.nlp import contains_mention, mentions, normalise
from sokbo.lint.rules import Hit, rule

SUMMARY_GROUPS = ("excerpt", "cards")


@rule(
    "SB501",
    "unsupported-summary",
    "error",
    "a name or number in the excerpt or a card that the rest of the post never mentions",
)
def check_summary_support(ctx: Context) -> Iterator[Hit]:
    if ctx.sources:
        return  # the sources settle it: SB602 reports what none of them backs
    sentences = ctx.post.sentences
    for group in SUMMARY_GROUPS:
        # a card may lean on the excerpt and vice versa, but never on itself
        rest = normalise(" ".join(s.text for s in sentences if s.group != group))
        seen: set[tuple[str, str]] = set()
        for s in sentences:
            if s.group != group:
                continue
            for m in mentions(ctx.tokens(s.text)):
                if m.abbreviation or (m.kind == "number" and not m.has_unit):
                    continue
                if (s.location, m.text) in seen or contains_mention(rest, m):
                    continue
                seen.add((s.location, m.text))
                what_ko, what_en = ("이름", "name") if m.kind == "name" else ("숫자", "number")
                yield Hit(
                    s.location,
                    m.text,
                    f"요약의 {what_ko} '{m.text}'이(가) 본문 어디에도 없습니다",
                    f"the summary's {what_en} '{m.text}' appears nowhere in the post body",
                )
