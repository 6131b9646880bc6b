"""Step 3, select: the most salient sentences, no claim twice; key sentences for the cards."""
from __future__ import annotations

import re

from sokbo.korean.kiwi import tokenize
from sokbo.write.prepare import Scored

NEAR_DUPLICATE = 0.40
# the same fact from two outlets shares its figures: "96억 달러", "18.2%"
FIGURE = re.compile(r"\d[\d,.]*\s*(?:%|퍼센트|억|만|천|조|원|달러|명|개|건|km|㎞|배|위|차례|시간)?")


def select_sentences(cands: list[Scored], sim, limit: int) -> list[int]:
    """Indices by descending salience, skipping near-duplicates of anything already chosen."""
    order = sorted(range(len(cands)), key=lambda i: (-cands[i].score, i))
    chosen: list[int] = []
    seen_texts: set[str] = set()
    figures = [figures_of(c.sentence.text) for c in cands]
    for i in order:
        key = re.sub(r"\s+", "", cands[i].sentence.text)
        if key in seen_texts or any(
            is_same_claim(sim[i, j], figures[i], figures[j]) for j in chosen
        ):
            continue
        seen_texts.add(key)
        chosen.append(i)
        if len(chosen) >= limit:
            break
    return chosen


def figures_of(text: str) -> set[str]:
    """Numbers with their unit, spaces and thousands separators removed."""
    return {re.sub(r"[\s,]", "", m) for m in FIGURE.findall(text) if re.search(r"\d", m)}


def is_same_claim(similarity: float, figures_a: set[str], figures_b: set[str]) -> bool:
    """Near-duplicate sentences: very similar words, or shared figures and similar words."""
    shared = len(figures_a & figures_b)
    return (
        similarity >= NEAR_DUPLICATE
        or (shared >= 2)
        or (shared >= 1 and similarity >= 0.2)
    )


def choose_key_sentences(cands: list[Scored], chosen: list[int], k: int, sim) -> list[int]:
    """Two key sentences for the cards, each of whose names and figures the rest of the post
    also mentions (so a card never claims what the post leaves unsaid, lint SB501).

    Tries the chosen sentences after the excerpt's first, then other non-redundant candidates
    by salience, then the excerpt's; falls back to the next-ranked chosen sentences when too
    few qualify.
    """
    from sokbo.lint.nlp import contains_mention, mentions, normalise

    figures = {i: figures_of(c.sentence.text) for i, c in enumerate(cands)}
    extra = [
        i for i in sorted(range(len(cands)), key=lambda i: -cands[i].score)
        if i not in chosen
        and not any(is_same_claim(sim[i, j], figures[i], figures[j]) for j in chosen)
    ]
    # an excerpt sentence may become a key sentence as a last resort; the excerpt is refilled
    pool = chosen[k:] + extra + chosen[:k]
    found = {
        i: [m for m in mentions(tokenize(cands[i].sentence.text))
            if not m.abbreviation and (m.kind == "name" or m.has_unit)]
        for i in pool
    }

    def covered(i: int, keys: list[int]) -> bool:
        rest = normalise(" ".join(cands[j].sentence.text for j in chosen
                                  if j != i and j not in keys))
        return all(contains_mention(rest, m) for m in found[i])

    keys: list[int] = []
    for i in pool:
        trial = keys + [i]
        if i in extra and keys and is_same_claim(sim[i, keys[0]], figures[i], figures[keys[0]]):
            continue
        if all(covered(j, trial) for j in trial):
            keys = trial
            if len(keys) == 2:
                return keys
    for i in chosen[k:]:
        if len(keys) == 2:
            break
        if i not in keys:
            keys.append(i)
    return keys
