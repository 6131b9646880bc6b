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
from sokbo.write.excerpt import LONG_STORY, said_with, choose_excerpt, withheld
from sokbo.write.prepare import Candidate

POINTS_BACK = re.compile(r"(?<![가-힣])(?:이|그|해당|이런|그런|이러한|그러한|이같은|이 같은)\s"
                         r"(?=[가-힣])")
THIS_ONE = re.compile(r"(?<![가-힣])이번\s(?=[가-힣])")


def _this_one_untitled(text: str, title: str) -> bool:
    """"이번 처분은": the matter 이번 points at, unless the title names it (a card before the
    story has nothing else to lean on; "이번 연구" under a title about the study reads)."""
    from sokbo.korean.kiwi import tokenize

    for m in THIS_ONE.finditer(text):
        # the sentence's own analysis, read from the word after 이번
        noun = next((t.form for t in tokenize(text)
                     if t.start >= m.end() and t.tag in ("NNG", "NNP")), "")
        if noun and noun not in title:
            return True
    return False


@dataclass(slots=True)
class Layout:
    """Candidate indices by place; the sections hold the body but the cards' sentences and
    the excerpt's other than its lead."""

    shape: Shape
    excerpt: list[int]
    cards: list[tuple[list[int], int]] = field(default_factory=list)   # (paragraph, key)
    sections: list[list[list[int]]] = field(default_factory=list)      # section → paragraphs


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

    # a card stands before the story: nothing in it may point back ("이 곰을", "해당 직원은",
    # "이번 처분은" when the title names no 처분)
    eligible = [i for i in body
                if not cands[i].leans and i not in leaned_on and introduced(i)
                and not POINTS_BACK.search(cands[i].text)
                and not _this_one_untitled(cands[i].text, title)]
    found = {
        i: [m for m in mentions(tokenize(cands[i].text))
            if not m.abbreviation and (m.kind == "name" or m.has_unit)]
        for i in eligible
    }

    # normalise(" ".join(texts)) is the normalised texts joined: no edit reaches past a space
    normalised = {j: normalise(cands[j].text) for j in body}
    title_normalised = normalise(title)

    def covered(taken: list[int]) -> bool:
        rest = title_normalised + "".join(normalised[j] for j in body if j not in taken)
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
                                 introduced, covered_by=lambda ids: covered_any(ids),
                                 title=title)
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
                      covered_by, title: str = "") -> list[tuple[list[int], int]]:
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
        if _this_one_untitled(cands[head].text, title):
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
    """A cut may not separate a sentence from the predecessor it leans on, nor two quotes of
    one answer (said in one sentence)."""
    c = cands[seq[cut]]
    return not (c.leans and c.previous == seq[cut - 1]) and not said_with(cands, seq[cut - 1],
                                                                            seq[cut])


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
            excerpt_sentences: int, min_full: int, min_compact: int, title: str = "",
            lead: int | None = None) -> Layout:
    """The fullest shape the body can fill: full, then compact, then brief."""
    n = len(body)
    names = [s for s, floor in (("full", min_full), ("compact", min_compact)) if n >= floor]
    # a long story gets one sentence more in its summary, within FORMAT.md's 3–5
    k = min(5, excerpt_sentences + 1) if len(cands) >= LONG_STORY else excerpt_sentences
    excerpt = choose_excerpt(cands, body, values, min(k, n), lead)
    for name in names:
        shape = shape_named(name)
        cards = choose_cards(cands, body, excerpt, values, sim,
                             sentences_per_card=2 if name == "full" and n >= 14 else 1,
                             title=title)
        if not cards:
            continue
        in_cards = [i for para, key in cards for i in (*para, key)]
        secs = _sections_after(cands, body, excerpt, in_cards, sim, shape, title)
        if secs is not None:
            return Layout(shape, excerpt, cards, secs)
    shape = shape_named("brief")
    secs = (_sections_after(cands, body, excerpt, [], sim, shape, title)
            or [paragraphs(cands, body, sim, shape.paragraphs)])
    return Layout(shape, excerpt, [], secs)


def _sections_after(cands: Sequence[Candidate], body: list[int], excerpt: list[int],
                    in_cards: list[int], sim, shape: Shape,
                    title: str) -> list[list[list[int]]] | None:
    """The sections of what the cards and the excerpt (but its lead) leave to tell; all
    but the cards' when that does not fit the shape."""
    skip = withheld(cands, body, excerpt, in_cards, title)
    for leave in ((set(in_cards) | skip), set(in_cards)):
        secs = sections(cands, [i for i in body if i not in leave], sim, shape)
        if secs is not None or leave == set(in_cards):
            return secs
    return None
