"""Figures the sources disagree on: attribute both, or leave them out; never pick one.

The template names each outlet with its figure, every slot copied from a source and recorded:
``피해액은 한빛일보가 3억 원, 미래신문이 5억 원으로 전했습니다.`` When the two articles come
from one outlet (or a name gives no particle), the sentences holding the figures are left out.
"""
from __future__ import annotations

from collections.abc import Sequence

from sokbo.conflicts import Conflict, find_conflicts, mentions_figure
from sokbo.models import Slot, Story

__all__ = ["CONFLICT_TEMPLATE", "conflicted_sentences", "conflict_sentences", "render_conflict"]

CONFLICT_TEMPLATE = "{key}{topic} {a}{sa} {va}, {b}{sb} {vb}{ro} 전했습니다."


def _coda(ch: str) -> int | None:
    """The final consonant of a Hangul syllable (0 none, 8 ㄹ), None for anything else."""
    if "가" <= ch <= "힣":
        return (ord(ch) - 0xAC00) % 28
    return None


def _subject(word: str) -> str | None:
    """이 after a final consonant, 가 after a vowel (Latin letters as read aloud)."""
    from sokbo.korean.transcript import topic_particle

    topic = topic_particle(word)
    return None if topic is None else ("이" if topic == "은" else "가")


def _ro(value: str) -> str | None:
    """으로 after a final consonant other than ㄹ, 로 otherwise."""
    last = value.rstrip()[-1:]
    if last == "%":
        return "로"  # 퍼센트
    coda = _coda(last)
    if coda is None:
        return None
    return "로" if coda in (0, 8) else "으로"


def render_conflict(slots: Sequence[Slot]) -> str | None:
    """The sentence for slots (subject, outlet, figure, outlet, figure); None if the grammar
    cannot be told."""
    from sokbo.korean.transcript import topic_particle

    if [s.name for s in slots] != ["subject", "outlet", "figure", "outlet", "figure"]:
        return None
    key, a, va, b, vb = (s.text for s in slots)
    topic, sa, sb, ro = topic_particle(key), _subject(a), _subject(b), _ro(vb)
    if None in (topic, sa, sb, ro):
        return None
    return CONFLICT_TEMPLATE.format(key=key, topic=topic, a=a, sa=sa, va=va, b=b, sb=sb, vb=vb,
                                    ro=ro)


def conflict_slots(conflict: Conflict) -> tuple[Slot, ...] | None:
    (art_a, fig_a), (art_b, fig_b) = conflict.sides[:2]
    if art_a.outlet == art_b.outlet:
        return None  # "SBS가 …, SBS가 …" says nothing: the figure is left out
    return (
        Slot("subject", fig_a.key, art_a.id, fig_a.sentence.index),
        Slot("outlet", art_a.outlet, art_a.id, -1),
        Slot("figure", fig_a.value, art_a.id, fig_a.sentence.index),
        Slot("outlet", art_b.outlet, art_b.id, -1),
        Slot("figure", fig_b.value, art_b.id, fig_b.sentence.index),
    )


def conflicted_sentences(story: Story) -> tuple[set[str], list[Conflict]]:
    """Ids of every sentence stating a disputed figure, and the disputes."""
    conflicts = find_conflicts(story.articles)
    ids: set[str] = set()
    for c in conflicts:
        for article, fig in c.sides:
            for s in article.sentences:
                if fig.key in s.text and mentions_figure(s.text, fig):
                    ids.add(s.id)
    return ids, conflicts


def conflict_sentences(conflicts: Sequence[Conflict]) -> list[tuple[str, tuple[Slot, ...]]]:
    """The attributed sentence of each dispute that can be written, with its slots."""
    out = []
    for c in conflicts:
        slots = conflict_slots(c)
        text = render_conflict(slots) if slots else None
        if slots and text:
            out.append((text, slots))
    return out
