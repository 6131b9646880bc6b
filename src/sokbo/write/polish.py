"""Step 7, polish: each sentence's final wording where it stands.

Sentences are already in 합쇼체 with relative days made absolute (prepare). Here a sentence
that says 이날 is given its stand-alone wording (이날 → 20일, the day copied from its own
article and recorded as a slot) wherever the sentence it leans on is not right before it; a
leaner without such a wording is left out there.
"""
from __future__ import annotations

from collections.abc import Sequence

from sokbo.models import PostSentence, Slot
from sokbo.write.prepare import Candidate


def wording(c: Candidate, after: int | None, index: int | None = None) -> tuple[str, tuple]:
    """(text, slots) of a candidate placed right after candidate ``after`` (None: first)."""
    if c.leans and (c.previous is None or c.previous != after):
        if c.standalone is not None:
            return c.standalone, c.standalone_slots
        return "", ()
    return c.text, c.slots


def post_sentences(cands: Sequence[Candidate], seq: Sequence[int], role: str,
                   after: int | None = None) -> list[PostSentence]:
    """PostSentences for candidates read in this order; a leaner that cannot stand here is
    left out (layout avoids that; this is the last guard)."""
    out = []
    prev = after
    for i in seq:
        text, slots = wording(cands[i], prev)
        if text:
            s = cands[i].sentence
            out.append(PostSentence(text=text, source_id=s.source_id, index=s.index, role=role,
                                    template=cands[i].template, slots=tuple(slots)))
        prev = i
    return out


# two-syllable surnames: 남궁민 → 남궁
DOUBLE_SURNAMES = ("남궁", "제갈", "선우", "독고", "황보", "사공", "서문", "동방", "을지")
SHORT_QUOTE_TEMPLATE = '{who}{topic} "{words}"{quotative} 말했습니다.'


def short_speaker(slots: Sequence) -> tuple[str, tuple] | None:
    """'조 대표' (surname and role word) for a speaker introduced as '조원진 우리공화당 대표',
    as (text, slots); None when the name or the role gives no short form."""
    from sokbo.korean.transcript import TITLES

    speaker = [s for s in slots if s.name == "speaker"]
    if not speaker:
        return None
    words = " ".join(s.text for s in speaker).split()
    if len(words) < 2:
        return None
    name, role = words[0], words[-1]
    if not ("가" <= name[0] <= "힣") or len(name) < 3:
        return None  # a two-syllable or foreign name has no safe surname
    surname = name[:2] if name.startswith(DOUBLE_SURNAMES) and len(name) == 4 else name[0]
    title = next((t for t in sorted(TITLES, key=len, reverse=True) if role.endswith(t)), None)
    if title is None:
        return None
    first = speaker[0]
    last = speaker[-1]
    return f"{surname} {title}", (
        Slot("surname", surname, first.source_id, first.index),
        Slot("title", title, last.source_id, last.index),
    )


def shorten_speakers(sentences: list[PostSentence]) -> list[PostSentence]:
    """In reading order, a speaker quoted again is named by the short form the first quote
    introduced ('조원진 우리공화당 대표는 …' then '조 대표는 …')."""
    from sokbo.korean.transcript import quotative_particle, topic_particle

    seen: set[str] = set()
    out = []
    for s in sentences:
        if s.template != "quote":
            out.append(s)
            continue
        who = " ".join(x.text for x in s.slots if x.name == "speaker")
        words = next((x for x in s.slots if x.name == "quote"), None)
        short = short_speaker(s.slots) if who in seen else None
        seen.add(who)
        if short is None or words is None:
            out.append(s)
            continue
        text, slots = short
        topic, quotative = topic_particle(text), quotative_particle(words.text)
        if topic is None or quotative is None:
            out.append(s)
            continue
        out.append(PostSentence(
            text=SHORT_QUOTE_TEMPLATE.format(who=text, topic=topic, words=words.text,
                                             quotative=quotative),
            source_id=s.source_id, index=s.index, role=s.role, template="quote-short",
            slots=(*slots, words)))
    return out
