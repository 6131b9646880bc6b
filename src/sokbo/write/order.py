"""Step 4, order: the spine article's order, other outlets' sentences beside what they add to.

The spine is the article with most to say. Every sentence of another outlet joins the spine
sentence it is most alike, after it; a sentence leaning on its predecessor always follows it.
A story told in speakers' words (an interview, a transcript) opens on the quote that says what
its headline says, as a reporter's write-up of an interview does, not on the first thing said.
"""
from __future__ import annotations

from collections.abc import Sequence

from sokbo.write.prepare import Candidate


def choose_spine(cands: Sequence[Candidate], values: Sequence[float], n_articles: int) -> int:
    """The article whose usable sentences are worth most (the earliest on a tie)."""
    worth = [0.0] * n_articles
    for c, v in zip(cands, values, strict=True):
        worth[c.article] += v
    return max(range(n_articles), key=lambda a: (worth[a], -a))


def _units(cands: Sequence[Candidate], chosen: Sequence[int]) -> list[list[int]]:
    """Chosen sentences of one article in source order, a leaner kept with its predecessor."""
    ordered = sorted(chosen, key=lambda i: (cands[i].article, cands[i].sentence.index))
    units: list[list[int]] = []
    for i in ordered:
        c = cands[i]
        if units and c.leans and c.previous == units[-1][-1]:
            units[-1].append(i)
        else:
            units.append([i])
    return units


def order_sentences(cands: Sequence[Candidate], chosen: Sequence[int], sim,
                    spine: int) -> list[int]:
    """The chosen candidates in reading order."""
    units = _units(cands, chosen)
    main = [u for u in units if cands[u[0]].article == spine]
    if not main:
        return [i for u in units for i in u]
    anchors = [i for u in main for i in u]
    after: dict[int, list[list[int]]] = {i: [] for i in anchors}
    for u in units:
        if cands[u[0]].article == spine:
            continue
        best = max(anchors, key=lambda a: (sim[u[0], a], -anchors.index(a)))
        after[best].append(u)
    out: list[int] = []
    for u in main:
        out.extend(u)
        for i in u:
            for extra in after[i]:
                out.extend(extra)
    # a unit anchored inside a spine unit would split it: anchors are moved to the unit's end
    return _keep_leaners_after(cands, out)


def _keep_leaners_after(cands: Sequence[Candidate], seq: list[int]) -> list[int]:
    """Move any leaner that no longer follows its predecessor back right after it."""
    out = list(seq)
    for i in list(seq):
        c = cands[i]
        if c.leans and c.standalone is None and c.previous in out:
            pos = out.index(i)
            prev_pos = out.index(c.previous)
            if pos != prev_pos + 1:
                out.pop(pos)
                out.insert(out.index(c.previous) + 1, i)
    return out


# headline words a quote must share to be the one the headline reports
CLAIM_MIN_TERMS = 2


def lead_with_claim(cands: Sequence[Candidate], seq: list[int],
                    headline_terms: Sequence[str]) -> list[int]:
    """For a story that opens on a quote and is mostly quotes: the quote sharing most words
    with the headline first, with the next sentence of the same answer if it is chosen too
    (the two are said as one); otherwise ``seq`` as it is."""
    if not seq or cands[seq[0]].template != "quote":
        return list(seq)
    quotes = [i for i in seq if cands[i].template == "quote"]
    if 2 * len(quotes) < len(seq):
        return list(seq)
    head = set(headline_terms)

    def shared(i: int) -> int:
        return len(head & set(cands[i].terms))

    best = max(quotes, key=lambda i: (shared(i), -seq.index(i)))
    if best == seq[0] or shared(best) < CLAIM_MIN_TERMS:
        return list(seq)
    unit = [best]
    k = seq.index(best)
    if k + 1 < len(seq):
        a, b = cands[best], cands[seq[k + 1]]
        if (b.template == "quote" and b.turn == a.turn >= 0 and b.article == a.article
                and b.sentence.index == a.sentence.index + 1):
            unit.append(seq[k + 1])
    return unit + [i for i in seq if i not in unit]


def lead_with_answer(cands: Sequence[Candidate], seq: list[int]) -> list[int]:
    """The reason a headline asks for (왜 …?) first, when it gives its reason without saying
    for what (…줄었기 때문입니다): right under the headline it answers it, after another
    sentence it would invent a cause."""
    answers = [i for i in seq if cands[i].answers and not (
        cands[i].previous is not None and cands[i].previous in seq)]
    if not answers:
        return list(seq)
    first = answers[0]
    return [first] + [i for i in seq if i != first]
