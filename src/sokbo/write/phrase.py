"""Step 5, phrase: the title, card subtitles, section headings and highlights."""
from __future__ import annotations

import re
from collections import Counter

from sokbo.korean.headline import compress_headline, make_heading, noun_phrases
from sokbo.models import Story
from sokbo.write.prepare import Scored


def choose_headline(story: Story, max_chars: int) -> str:
    """Compress the headline that shares most words with the other outlets' headlines."""
    heads = [a.title for a in story.articles]
    words = [set(h.split()) for h in heads]
    best = max(
        range(len(heads)),
        key=lambda i: (sum(len(words[i] & words[j]) for j in range(len(heads)) if j != i), -i),
    )
    return compress_headline(heads[best], max_chars) or compress_headline(heads[0], max_chars)


def word_weights(cands: list[Scored]) -> dict[str, float]:
    """How central a word is to the story: sentences mentioning it, weighted by salience."""
    weights: Counter[str] = Counter()
    for c in cands:
        for phrase in set(c.terms):
            weights[phrase] += c.score
    return dict(weights)


def highlight(text: str, weights: dict[str, float]) -> str:
    best, best_score = "", 0.0
    for p in noun_phrases(text):
        score = sum(weights.get(w.lower(), 0.0) for w in re.findall(r"[\w%]+", p))
        if score > best_score and p in text:
            best, best_score = p, score
    return best


def heading(texts: list[str], weights: dict[str, float], used: set[str]) -> str:
    # words already used by an earlier heading count less, so headings differ
    adjusted = {w: (v * 0.3 if w in used else v) for w, v in weights.items()}
    result = make_heading(texts, adjusted)
    used.update(w.lower() for w in re.findall(r"[\w%]+", result))
    return result
