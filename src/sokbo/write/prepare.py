"""Step 1, prepare: the story's usable sentences (full, declarative, not a headline copy)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sokbo.korean.clean import hangul_ratio
from sokbo.korean.kiwi import tokenize_many
from sokbo.korean.style import ends_inside_quote, speech_level
from sokbo.models import Sentence, Story

MIN_CHARS, MAX_CHARS = 20, 300


@dataclass(slots=True)
class Scored:
    sentence: Sentence
    article_rank: int
    terms: list[str]
    score: float = 0.0


def candidate_sentences(story: Story) -> list[Scored]:
    """Full declarative sentences of every article, in story order."""
    out: list[Scored] = []
    titles = {re.sub(r"\s+", " ", a.title) for a in story.articles}
    for rank, article in enumerate(story.articles):
        for s in article.sentences:
            t = s.text
            if not MIN_CHARS <= len(t) <= MAX_CHARS or hangul_ratio(t) < 0.5:
                continue
            if re.sub(r"\s+", " ", t) in titles:
                continue
            if ends_inside_quote(t):
                continue  # part of a quote spanning sentences: out of context on its own
            out.append(Scored(s, rank, []))
    tokenize_many([c.sentence.text for c in out])  # one Kiwi pass; the rest hits the cache
    levels = [speech_level(c.sentence.text) for c in out]
    return [c for c, lv in zip(out, levels, strict=True) if lv in ("plain", "polite")]
