"""Step 4, order: the spine article's order, other outlets' sentences beside what they add to.

The spine is the article with most to say. Every sentence of another outlet joins the spine
sentence it is most alike, after it; a sentence leaning on its predecessor always follows it.
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
