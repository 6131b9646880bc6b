"""Step 5, lay out: the shape, the excerpt, the summary cards, the sections and paragraphs.

The excerpt is the story in brief (the most valuable sentences, story order); the cards carry
other key facts, each of whose names and figures the post also says elsewhere (so a card
never claims what the post leaves unsaid); the sections tell the story in reading order, cut
where the topic turns, never between a sentence and the one it leans on.
"""
from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from sokbo.shapes import Shape, shape_named
from sokbo.write.prepare import Candidate

POINTS_BACK = re.compile(r"(?<![가-힣])(?:이|그|해당|이런|그런|이러한|그러한|이같은|이 같은)\s"
                         r"(?=[가-힣])")
# the story's lead is in its summary unless it cannot stand there (chosen on summ/dev)
LEAD_WEIGHT = 3.0
# a story with this many usable sentences gets one more summary sentence (within 3–5)
LONG_STORY = 12


def fullness(c: Candidate) -> float:
    """A summary sentence is worth more the more it says: content words against a dozen,
    within bounds (chosen on summ/dev with `sokbo bench editor`)."""
    return min(1.6, max(0.5, len(c.terms) / 12)) ** 0.6


@dataclass(slots=True)
class Layout:
    """Candidate indices by place; the sections hold every body sentence but the cards'."""

    shape: Shape
    excerpt: list[int]
    cards: list[tuple[list[int], int]] = field(default_factory=list)   # (paragraph, key)
    sections: list[list[list[int]]] = field(default_factory=list)      # section → paragraphs


def _chain(cands: Sequence[Candidate], body: Sequence[int], i: int) -> list[int] | None:
    """``i`` with the predecessors it needs in front of it, in order; None if one is not in
    the body."""
    chain = [i]
    while cands[chain[0]].leans and cands[chain[0]].standalone is None:
        prev = cands[chain[0]].previous
        if prev is None or prev not in body:
            return None
        chain.insert(0, prev)
    return chain


def choose_excerpt(cands: Sequence[Candidate], body: Sequence[int], values: Sequence[float],
                   k: int) -> list[int]:
    """Up to ``k`` sentences, most valuable first, in reading order; a leaner only right after
    its predecessor (or in its stand-alone wording, decided when the post is polished)."""
    picked: list[int] = []
    lead = min(body, key=lambda i: (cands[i].article, cands[i].sentence.index), default=None)

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


def choose_cards(cands: Sequence[Candidate], body: Sequence[int], excerpt: Sequence[int],
                 values: Sequence[float], sim, *, sentences_per_card: int,
                 title: str = "") -> list[tuple[list[int], int]]:
    """Two cards (paragraph sentences, key sentence) of body sentences that lean on nothing,
    are leaned on by nothing, name nobody the title has not named, and whose names and
    figures the rest of the post also mentions (a card never claims what the post leaves
    unsaid). Outside the excerpt, but for one sentence when too few qualify; [] if still too few.
    """
    from sokbo.korean.kiwi import tokenize
    from sokbo.lint.nlp import contains_mention, mentions, normalise

    leaned_on = {cands[j].previous for j in body if cands[j].leans and cands[j].standalone is None}

    def introduced(i: int) -> bool:
        """A card comes before the sections: nobody in it may need an introduction there."""
        from sokbo.write.refer import anonymous, full_name_for

        c = cands[i]
        texts = [x.text for x in cands if x.article == c.article]
        for p in c.people:
            if p.key in title:
                continue
            if anonymous(p):
                return False
            full = full_name_for(p, texts)
            if full and full not in c.text:
                return False
        return True

    # a card stands before the story: nothing in it may point back ("이 곰을", "해당 직원은")
    eligible = [i for i in body
                if not cands[i].leans and i not in leaned_on and introduced(i)
                and not POINTS_BACK.search(cands[i].text)]
    found = {
        i: [m for m in mentions(tokenize(cands[i].text))
            if not m.abbreviation and (m.kind == "name" or m.has_unit)]
        for i in eligible
    }

    def covered(taken: list[int]) -> bool:
        rest = normalise(" ".join([title, *(cands[j].text for j in body if j not in taken)]))
        return all(contains_mention(rest, m) for i in taken for m in found[i])

    def covered_any(taken: list[int]) -> bool:
        for i in taken:
            if i not in found:
                found[i] = [m for m in mentions(tokenize(cands[i].text))
                            if not m.abbreviation and (m.kind == "name" or m.has_unit)]
        return covered(taken)

    need = 2 * (sentences_per_card + 1)
    taken: list[int] = []
    shared = 0
    by_value = sorted(eligible, key=lambda i: (-values[i], body.index(i)))
    for allow_shared in (False, True):
        for i in by_value:
            if len(taken) >= need or (allow_shared and len(taken) >= 4):
                break
            if i in taken or (i in excerpt and (not allow_shared or shared)):
                continue
            if covered([*taken, i]):
                taken.append(i)
                shared += i in excerpt
    if len(taken) < 4:
        return _cards_with_pairs(cands, body, excerpt, values, sim, eligible, leaned_on,
                                 introduced, covered_by=lambda ids: covered_any(ids))
    per = min(sentences_per_card, len(taken) // 2 - 1)
    # two heads in reading order, each gathering the most alike of the rest
    heads = sorted(taken[:2], key=body.index)
    pool = list(taken[2:])
    cards: list[list[int]] = [[h] for h in heads]
    for card in cards:
        while len(card) < per + 1 and pool:
            best = max(pool, key=lambda j: sim[card[0], j])
            pool.remove(best)
            card.append(best)
    return [(sorted(card[:-1], key=body.index), card[-1]) for card in cards]


def _cards_with_pairs(cands, body, excerpt, values, sim, eligible, leaned_on, introduced, *,
                      covered_by) -> list[tuple[list[int], int]]:
    """Two cards when single sentences are too few: a sentence and the one that leans on it
    make a card of their own (a fact, then what follows from it), the rest pair up."""
    pairs = []
    for lean in body:
        c = cands[lean]
        head = c.previous
        if not (c.leans and c.standalone is None and head in body) or cands[head].leans:
            continue
        others = [j for j in body if j != lean and cands[j].previous == head
                  and cands[j].leans and cands[j].standalone is None]
        if others or lean in leaned_on or not introduced(head) or not introduced(lean):
            continue
        if POINTS_BACK.search(cands[head].text) or head in excerpt or lean in excerpt:
            continue
        pairs.append([head, lean])
    units = [[i] for i in eligible if i not in excerpt] + pairs
    units.sort(key=lambda u: (-sum(values[i] for i in u) / len(u), body.index(u[0])))
    chosen: list[list[int]] = []
    for u in units:
        ids = [i for v in chosen for i in v]
        if set(u) & set(ids):
            continue
        if covered_by(ids + u):
            chosen.append(u)
        cards = sum(1 for v in chosen if len(v) == 2) + sum(1 for v in chosen if len(v) == 1) // 2
        if cards >= 2:
            break
    whole = [v for v in chosen if len(v) == 2]
    singles = [v[0] for v in chosen if len(v) == 1]
    if len(whole) + len(singles) // 2 < 2:
        return []
    out = [([p], k) for p, k in whole[:2]]
    while len(out) < 2 and len(singles) >= 2:
        a = singles.pop(0)
        b = max(singles, key=lambda j: sim[a, j])
        singles.remove(b)
        out.append(([a], b))
    return sorted(out, key=lambda card: body.index(card[0][0]))


def _cohesion(cands: Sequence[Candidate], seq: Sequence[int], sim, cut: int) -> float:
    """How alike the sentences on both sides of a cut before ``seq[cut]`` are."""
    left, right = seq[max(0, cut - 2) : cut], seq[cut : cut + 2]
    return max((sim[a, b] for a in left for b in right), default=0.0)


def _can_cut(cands: Sequence[Candidate], seq: Sequence[int], cut: int) -> bool:
    """A cut may not separate a sentence from the predecessor it leans on."""
    c = cands[seq[cut]]
    return not (c.leans and c.previous == seq[cut - 1])


def split(cands: Sequence[Candidate], seq: Sequence[int], sim, parts: int,
          sizes: tuple[int, int]) -> list[list[int]] | None:
    """Cut ``seq`` into ``parts`` runs of ``sizes[0]``–``sizes[1]`` sentences where the topic
    turns most (least alike across the cut) and the runs are most even; None if impossible."""
    n = len(seq)
    if parts == 1:
        return [list(seq)] if sizes[0] <= n <= sizes[1] else None
    best: tuple[float, list[list[int]]] | None = None
    for cuts in itertools.combinations(range(1, n), parts - 1):
        bounds = [0, *cuts, n]
        runs = [list(seq[a:b]) for a, b in itertools.pairwise(bounds)]
        if any(not sizes[0] <= len(r) <= sizes[1] for r in runs):
            continue
        if not all(_can_cut(cands, seq, c) for c in cuts):
            continue
        cost = sum(_cohesion(cands, seq, sim, c) for c in cuts)
        mean = n / parts
        cost += 0.08 * sum(abs(len(r) - mean) for r in runs)
        if best is None or cost < best[0]:
            best = (cost, runs)
    return best[1] if best else None


def paragraphs(cands: Sequence[Candidate], part: list[int], sim,
               allowed: tuple[int, int]) -> list[list[int]]:
    """A section's sentences as paragraphs of one to three sentences, as many as allowed."""
    n = len(part)
    low, high = allowed
    most = max(3, math.ceil(n / high))  # a long brief post has longer paragraphs
    for count in range(max(low, math.ceil(n / most)), high + 1):
        if count > n:
            break
        runs = split(cands, part, sim, count, (1, most))
        if runs:
            return runs
    return [part]


def sections(cands: Sequence[Candidate], seq: list[int], sim,
             shape: Shape) -> list[list[list[int]]] | None:
    """The body's sentences as the shape's sections, each a list of paragraphs."""
    low, high = shape.sections
    counts = range(high, low - 1, -1)
    for count in counts:
        if count > 2 and len(seq) < 9:
            continue
        # a section says enough to deserve its heading: two paragraphs, or three sentences
        min_size = 1 if count == 1 else max(shape.paragraphs[0], 3 if not shape.cards else 2)
        runs = split(cands, seq, sim, count, (min_size, 9))
        if runs is None:
            continue
        out = [paragraphs(cands, r, sim, shape.paragraphs) for r in runs]
        if all(shape.paragraphs[0] <= len(p) <= shape.paragraphs[1] for p in out):
            return out
    return None


def lay_out(cands: Sequence[Candidate], body: list[int], values: Sequence[float], sim, *,
            excerpt_sentences: int, min_full: int, min_compact: int, title: str = "") -> Layout:
    """The fullest shape the body can fill: full, then compact, then brief."""
    n = len(body)
    names = [s for s, floor in (("full", min_full), ("compact", min_compact)) if n >= floor]
    # a long story gets one sentence more in its summary, within FORMAT.md's 3–5
    k = min(5, excerpt_sentences + 1) if len(cands) >= LONG_STORY else excerpt_sentences
    excerpt = choose_excerpt(cands, body, values, min(k, n))
    for name in names:
        shape = shape_named(name)
        cards = choose_cards(cands, body, excerpt, values, sim,
                             sentences_per_card=2 if name == "full" and n >= 14 else 1,
                             title=title)
        if not cards:
            continue
        in_cards = {i for para, key in cards for i in (*para, key)}
        rest = [i for i in body if i not in in_cards]
        secs = sections(cands, rest, sim, shape)
        if secs is not None:
            return Layout(shape, excerpt, cards, secs)
    shape = shape_named("brief")
    secs = sections(cands, body, sim, shape) or [paragraphs(cands, body, sim, shape.paragraphs)]
    return Layout(shape, excerpt, [], secs)
