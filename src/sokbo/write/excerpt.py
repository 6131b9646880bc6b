"""Step 5a, the excerpt: the story in brief, and what the sections need not say again.

The excerpt is 3–5 of the body's most valuable sentences in reading order, opening on the
lead (the story's first sentence, or for a story told in speakers' words the quote that says
what its headline says). A reader meets it first, above the cards and sections, so the
sections retell only its lead: its other sentences stay out of them unless something there
leans on them, needs the person they introduce, or the sections would be left too thin.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from sokbo.write.prepare import Candidate

# the story's lead is in its summary unless it cannot stand there (chosen on summ/dev)
LEAD_WEIGHT = 3.0
# a story with this many usable sentences gets one more summary sentence (within 3–5)
LONG_STORY = 12


def fullness(c: Candidate) -> float:
    """A summary sentence is worth more the more it says: content words against a dozen,
    within bounds (chosen on summ/dev with `sokbo bench editor`)."""
    return min(1.6, max(0.5, len(c.terms) / 12)) ** 0.6


def _chain(cands: Sequence[Candidate], body: Sequence[int], i: int) -> list[int] | None:
    """``i`` with the predecessors it needs in front of it, in order; None if one is not in
    the body."""
    chain = [i]
    if cands[i].answers and body and body[0] == i:
        return chain  # the post opens on the answer its headline asks for
    while cands[chain[0]].leans and cands[chain[0]].standalone is None:
        prev = cands[chain[0]].previous
        if prev is None or prev not in body:
            return None
        chain.insert(0, prev)
    return chain


def choose_excerpt(cands: Sequence[Candidate], body: Sequence[int], values: Sequence[float],
                   k: int, lead: int | None = None) -> list[int]:
    """Up to ``k`` sentences, most valuable first, in reading order; a leaner only right after
    its predecessor (or in its stand-alone wording, decided when the post is polished). The
    lead is the story's first sentence unless one is given."""
    picked: list[int] = []
    if lead is None:
        lead = min(body, key=lambda i: (cands[i].article, cands[i].sentence.index),
                   default=None)

    def worth(i: int) -> float:
        # the story's first sentence is its lead: what a summary opens with
        return values[i] * fullness(cands[i]) * (LEAD_WEIGHT if i == lead else 1.0)

    for i in sorted(body, key=lambda i: (-worth(i), body.index(i))):
        if len(picked) >= k:
            break
        if i in picked:
            continue
        chain = _chain(cands, body, i)
        if chain is None or len(chain) > 2:
            continue
        group = [j for j in chain if j not in picked]
        if any(cands[j].people and not _introduced_in(cands, j, [*picked, *group])
               for j in group):
            continue
        if len(picked) + len(group) > k:
            continue
        # a predecessor already picked must stay right before: only whole chains join
        if len(group) < len(chain) and not _adjacent_after(picked, chain, body):
            continue
        picked.extend(group)
        picked.sort(key=body.index)
    return sorted(picked, key=body.index)


def _adjacent_after(picked: list[int], chain: list[int], body: Sequence[int]) -> bool:
    """Whether the picked part of a chain ends right before where its rest would stand."""
    before = chain[-2]
    later = [j for j in picked if body.index(j) > body.index(before)]
    return not later or body.index(min(later, key=body.index)) > body.index(chain[-1])


def _introduced_in(cands: Sequence[Candidate], i: int, chosen: Sequence[int]) -> bool:
    """Whether each person ``i`` names by a short form is named in full earlier in
    ``chosen`` (reading order) or only ever by that short form in its article."""
    from sokbo.write.refer import full_name_for

    c = cands[i]
    for person in c.people:
        earlier = [cands[j] for j in chosen if _before(cands, j, i)]
        label = person.key.split(" ")[0]
        if person.key.endswith(" 씨"):
            if any(label in e.text and e.article == c.article for e in earlier):
                continue
            # the first mention in its article introduces the label ("50대 남성 A 씨가")
            first = min((e.sentence.index for e in cands if e.article == c.article
                         and person.key.split(" ")[0] + " " in e.text), default=None)
            if first is not None and first < c.sentence.index:
                return False
            continue
        full = full_name_for(person, [x.text for x in cands if x.article == c.article])
        if full and full not in c.text and not any(full in e.text for e in earlier):
            return False
    return True


def _before(cands: Sequence[Candidate], a: int, b: int) -> bool:
    ca, cb = cands[a], cands[b]
    return (ca.article, ca.sentence.index) < (cb.article, cb.sentence.index) or (
        ca.article != cb.article)




# the sections keep at least this many sentences besides what the excerpt already says
MIN_RETOLD = 4


def withheld(cands: Sequence[Candidate], body: Sequence[int], excerpt: Sequence[int],
             cards: Sequence[int], title: str = "") -> set[int]:
    """Excerpt sentences the sections leave out (the reader has just read them): all but the
    lead, except one another body sentence leans on or that leans itself, one introducing a
    person the sections name by a short form, and one whose names and figures the post says
    nowhere else (lint SB501) or that is the body's last to say a name, figure or noun of the
    title (SB503); never so many that the sections keep fewer than MIN_RETOLD.
    """
    from sokbo.korean.kiwi import tokenize
    from sokbo.lint.consistency import unsaid_mentions
    from sokbo.lint.nlp import contains_mention, mentions, normalise

    if len(excerpt) < 2:
        return set()
    lead = min(excerpt, key=lambda i: body.index(i) if i in body else len(body))
    leaned_on = {cands[j].previous for j in body if cands[j].leans and cands[j].standalone is None}
    title_toks = tokenize(title) if title else []
    title_facts = [m for m in mentions(title_toks)
                   if not m.abbreviation and (m.kind == "name" or m.has_unit)]
    title_nouns = {t.form for t in title_toks if t.tag in ("NNG", "NNP") and len(t.form) > 1}
    out: set[int] = set()
    # normalise(" ".join(texts)) is the normalised texts joined: no edit reaches past a space
    normalised: dict[int, str] = {}

    def norm(j: int) -> str:
        if j not in normalised:
            normalised[j] = normalise(cands[j].text)
        return normalised[j]

    for i in excerpt:
        if i == lead or i in cards or i not in body or i in leaned_on or cands[i].leans:
            continue
        if said_with(cands, lead, i):
            continue  # the lead's quote goes on in it: the body opens with both, as one
        kept = [j for j in body if j not in cards and j not in out and j != i]
        if len(kept) < MIN_RETOLD:
            break
        if not all(_introduced_in(cands, j, kept) for j in kept if cands[j].people):
            continue
        # the body (cards and sections) must still say them: the title and the excerpt do not
        # count, the title needs the body too
        said = [cands[j].text for j in [*kept, *cards]]
        rest = "".join(norm(j) for j in [*kept, *cards])
        found = [m for m in mentions(tokenize(cands[i].text))
                 if not m.abbreviation and (m.kind == "name" or m.has_unit)]
        if not all(contains_mention(rest, m) for m in [*found, *title_facts]
                   if m in found or contains_mention(norm(i), m)):
            continue
        if title_nouns and not title_nouns & {t.form for text in said for t in tokenize(text)}:
            continue
        if unsaid_mentions(cands[i].text, tokenize(cands[i].text), " ".join(said)):
            continue  # the body must say them as lint SB501 reads a name, not more loosely
        if _introduces_an_opening(cands, body, i, kept):
            continue
        out.add(i)
    return out


def _opening_phrase(text: str) -> str:
    """The noun phrase a sentence opens on, as written, up to its first particle ("정상회담이
    끝난 뒤에는" → 정상회담): what the sentence takes as known; '' if it opens otherwise."""
    from sokbo.korean.kiwi import tokenize

    start = end = None
    for t in tokenize(text):
        if t.tag not in ("NNG", "NNP", "XPN", "XSN"):  # 대/XPN 행진: one word
            break
        start = t.start if start is None else start
        end = t.end
    return text[start:end] if start is not None and end - start > 1 else ""


# a term set in quote marks where the article introduces it
TERM = re.compile(r"['‘]([^'’\s][^'’]{1,20})['’]")


def _introduces_an_opening(cands: Sequence[Candidate], body: Sequence[int], i: int,
                           kept: Sequence[int]) -> bool:
    """Whether a later body sentence opens on what only ``i`` says before it, or names a term
    only ``i`` introduces: sbs_03's "정상회담이 끝난 뒤에는 …" takes the summit as known from
    "26일에는 백악관에서 … 정상회담을 엽니다", and sbs_15's "…권역외상센터를 둘러싼…" the
    '권역외상센터' introduced before it; withheld from the sections, they go unsaid first."""
    # the words it introduces as a term, in quote marks ("'권역외상센터' 설립이 예고되며")
    terms = [t for t in TERM.findall(cands[i].text) if t.strip()]
    for j in kept:
        if body.index(j) < body.index(i) or cands[j].article != cands[i].article:
            continue
        opening = _opening_phrase(cands[j].text)
        wanted = [t for t in terms if t in cands[j].text]
        if opening and opening in cands[i].text:
            wanted.append(opening)
        earlier = [cands[k].text for k in kept if body.index(k) < body.index(j)]
        if any(not any(w in e for e in earlier) for w in wanted):
            return True
    return False



def said_with(cands: Sequence[Candidate], a: int, b: int) -> bool:
    """Whether quote ``b`` is the next sentence of the answer quote ``a`` comes from."""
    x, y = cands[a], cands[b]
    return (x.template == y.template == "quote" and x.turn == y.turn >= 0
            and x.article == y.article and y.sentence.index == x.sentence.index + 1)
