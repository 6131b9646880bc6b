"""Which of a story's articles the writer reads: all of them, up to ``max_sources``.

A story that dozens of outlets covered (a big day's news: 30–70 articles) gives no better a
post from every one of them (a post holds ~16 sentences), and costs its time in every step.
Past the bound the writer reads one copy of each text (a wire story reprinted by many outlets
once), the story's first article (its headline), the most recent ones (what is new), and then
those most like the rest (the core of the story, by the words of their headline and lead).
The post's sources (출처) are exactly the articles read.
"""
from __future__ import annotations

import dataclasses
import re
from collections import Counter

from sokbo.memo import by_identity
from sokbo.models import Article, Story

# characters of the lead compared besides the headline
LEAD_CHARS = 300
# of the bound, the share kept for the latest articles
RECENT_SHARE = 4


def gather_articles(story: Story, limit: int) -> Story:
    """The story with the articles the writer reads (the same story when within ``limit``)."""
    articles = story.articles
    if limit <= 0 or len(articles) <= limit:
        return story
    return _gather(story, limit)


@by_identity  # asked again for the story being written (by the pipeline, then the writer)
def _gather(story: Story, limit: int) -> Story:
    articles = story.articles
    unique: list[Article] = []
    seen: set[str] = set()
    for a in articles:
        key = re.sub(r"\s+", "", a.text)
        if key not in seen:
            seen.add(key)
            unique.append(a)
    keep = {0}
    if len(unique) > limit:
        grams = [_bigrams(f"{a.title} {a.text[:LEAD_CHARS]}") for a in unique]
        df = Counter(g for gs in grams for g in gs)
        # how much of an article the others also say: its bigrams' mean document frequency
        central = [sum(df[g] - 1 for g in gs) / len(gs) if gs else 0.0 for gs in grams]
        latest = sorted(range(len(unique)), key=lambda i: (-_when(unique[i]), i))
        keep.update(latest[: max(1, limit // RECENT_SHARE)])
        for i in sorted(range(len(unique)), key=lambda i: (-central[i], i)):
            if len(keep) >= limit:
                break
            keep.add(i)
    else:
        keep = set(range(len(unique)))
    return dataclasses.replace(story, articles=tuple(unique[i] for i in sorted(keep)))


def _when(a: Article) -> float:
    return a.published.timestamp() if a.published else float("-inf")


def _bigrams(text: str) -> set[str]:
    t = re.sub(r"\s+", "", text)
    return {t[i:i + 2] for i in range(len(t) - 1)}
