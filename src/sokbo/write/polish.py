"""Step 7, polish: each sentence's final wording where it stands.

Sentences are already in 합쇼체 with relative days made absolute (prepare). Here a sentence
that says 이날 is given its stand-alone wording (이날 → 20일, the day copied from its own
article and recorded as a slot) wherever the sentence it leans on is not right before it; a
leaner without such a wording is left out there.
"""
from __future__ import annotations

from collections.abc import Sequence

from sokbo.models import PostSentence
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
                                    slots=tuple(slots)))
        prev = i
    return out
