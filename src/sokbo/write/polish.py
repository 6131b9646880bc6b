"""Step 7, polish: each sentence's final wording where it stands.

Two neighbouring quotes of one answer are said in one sentence, and a speaker quoted again
is named by the short form ('조 대표는 "A"며 "B"고 말했습니다'); the template adds only
particles and 말했습니다, never a verb that claims a stance (강조했습니다, 비판했습니다).

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
        if c.answers and after is None:
            return c.text, c.slots  # right under the headline that asks what it answers
        if c.standalone is not None:
            return c.standalone, c.standalone_slots
        return "", ()
    return c.text, c.slots


def post_sentences(cands: Sequence[Candidate], seq: Sequence[int], role: str,
                   after: int | None = None, *, keep: int = 0) -> list[PostSentence]:
    """PostSentences for candidates read in this order; a leaner that cannot stand here is
    left out (layout avoids that; this is the last guard). Two quotes of one answer side by
    side become one sentence ('…"A"며 "B"고 말했습니다'), while more than ``keep`` remain."""
    out = []
    prev = after
    for i in seq:
        text, slots = wording(cands[i], prev)
        if text:
            s = cands[i].sentence
            out.append(PostSentence(text=text, source_id=s.source_id, index=s.index, role=role,
                                    template=cands[i].template, slots=tuple(slots)))
        prev = i
    return join_quotes(cands, seq, out, keep=keep)


def join_quotes(cands: Sequence[Candidate], seq: Sequence[int], said: list[PostSentence], *,
                keep: int = 0) -> list[PostSentence]:
    """Join each pair of neighbouring quotes from one turn of one speaker (an answer in an
    interview), the earlier first: one attribution for both, as Korean reports quote."""
    turn = {(cands[i].sentence.source_id, cands[i].sentence.index): cands[i].turn for i in seq
            if cands[i].template == "quote"}
    out: list[PostSentence] = []
    count = len(said)
    for s in said:
        last = out[-1] if out else None
        if (count > keep and last is not None and last.template == "quote"
                and s.template == "quote" and last.source_id == s.source_id
                and 0 < s.index - last.index <= MAX_JOIN_GAP
                and turn.get((s.source_id, s.index), -1) >= 0
                and turn.get((s.source_id, s.index)) == turn.get((last.source_id, last.index))):
            joined = joined_quote(last, s)
            if joined is not None:
                out[-1] = joined
                count -= 1
                continue
        out.append(s)
    return out


# quotes of one answer at most this many sentences apart are joined (the lint grounds a
# sentence on a window of two source sentences)
MAX_JOIN_GAP = 1
MAX_JOINED_CHARS = 190
JOINED_QUOTE_TEMPLATE = '{who}{topic} "{first}"{link} "{second}"{quotative} 말했습니다.'
# the quotative of the first quote, as it links to the second: "…다"며, "…요"라며, "…것"이라며
LINKS = {"고": "며", "라고": "라며", "이라고": "이라며"}


def render_joined(who: str, first: str, second: str) -> str | None:
    """'조 대표는 "A"며 "B"고 말했습니다.'; None when a particle cannot be told."""
    from sokbo.korean.transcript import quotative_particle, topic_particle

    topic, head, tail = topic_particle(who), quotative_particle(first), quotative_particle(second)
    if topic is None or head is None or tail is None:
        return None
    return JOINED_QUOTE_TEMPLATE.format(who=who, topic=topic, first=first, link=LINKS[head],
                                        second=second, quotative=tail)


def _who(s: PostSentence) -> tuple[str, tuple[Slot, ...]]:
    """How a quote sentence names its speaker, and the slots that name them."""
    names = tuple(x for x in s.slots if x.name in ("speaker", "surname", "title"))
    return " ".join(x.text for x in names), names


def joined_quote(a: PostSentence, b: PostSentence) -> PostSentence | None:
    """Two quotes of one speaker as one sentence, named as ``a`` names them."""
    who, names = _who(a)
    first = next((x for x in a.slots if x.name == "quote"), None)
    second = next((x for x in b.slots if x.name == "quote"), None)
    if not who or first is None or second is None or _who(b)[0] != who:
        return None
    if len(first.text) + len(second.text) > MAX_JOINED_CHARS:
        return None
    text = render_joined(who, first.text, second.text)
    if text is None:
        return None
    return PostSentence(text=text, source_id=a.source_id, index=a.index, role=a.role,
                        template="quote-joined", slots=(*names, first, second))


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
        if s.template not in ("quote", "quote-joined"):
            out.append(s)
            continue
        who = " ".join(x.text for x in s.slots if x.name == "speaker")
        words = [x for x in s.slots if x.name == "quote"]
        short = short_speaker(s.slots) if who and who in seen else None
        seen.add(who)
        if short is None or not words:
            out.append(s)
            continue
        text, slots = short
        if s.template == "quote-joined" and len(words) == 2:
            joined = render_joined(text, words[0].text, words[1].text)
            if joined is not None:
                out.append(PostSentence(text=joined, source_id=s.source_id, index=s.index,
                                        role=s.role, template="quote-joined",
                                        slots=(*slots, *words)))
            else:
                out.append(s)
            continue
        topic, quotative = topic_particle(text), quotative_particle(words[0].text)
        if topic is None or quotative is None:
            out.append(s)
            continue
        out.append(PostSentence(
            text=SHORT_QUOTE_TEMPLATE.format(who=text, topic=topic, words=words[0].text,
                                             quotative=quotative),
            source_id=s.source_id, index=s.index, role=s.role, template="quote-short",
            slots=(*slots, words[0])))
    return out
