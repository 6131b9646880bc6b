"""Articles → stories: the same event from several outlets becomes one Story.

Stories are a pure function of the articles (see ``cluster.days`` for the canonical algorithm:
day by day, average linkage of the day's articles with the stories still open, TF-IDF of Kiwi
nouns with the IDF of the last weeks). ``group_stories`` clusters a set of articles in memory;
``assign_stories`` (``cluster.stored``) adds articles to the stories kept in the store, redoing
only the days they touch, so that a run costs what is new, not what is stored.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence

from sokbo.cluster.terms import Item, article_item, article_time, story_terms, url_day
from sokbo.models import Article, Story

__all__ = [
    "DEFAULT_IDF_DAYS",
    "DEFAULT_THRESHOLD",
    "DEFAULT_WINDOW_HOURS",
    "article_dates",
    "article_items",
    "group_stories",
    "story_id_for",
    "story_terms",
    "url_day",
]

# Measured on data/clusters (sokbo bench cluster): 0.08–0.10 keeps B³ F1 above 0.96.
DEFAULT_THRESHOLD = 0.1
DEFAULT_WINDOW_HOURS = 72.0
# Document frequencies of the last 30 days: a name in every article this month weighs less.
DEFAULT_IDF_DAYS = 30


def article_items(articles: Sequence[Article]) -> list[Item]:
    """Each article as clustering sees it (Kiwi terms, normalised time)."""
    return [article_item(a) for a in articles]


def article_dates(articles: Sequence[Article]):  # -> list[datetime | None]
    """Each article's time for the window: its publication time, else its URL's day (noon KST)."""
    return [article_time(a) for a in articles]


def group_stories(
    articles: Sequence[Article],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    window_hours: float = DEFAULT_WINDOW_HOURS,
    idf_days: int = DEFAULT_IDF_DAYS,
) -> list[Story]:
    """Group articles into stories, each story's articles oldest first.

    Articles with no time at all (no date, none in the URL) are taken last and may join any
    story; the store instead dates them by the day it first saw them.
    """
    from sokbo.cluster.days import batch_blocks, batch_labels, label_groups

    if not articles:
        return []
    unique = list({a.id: a for a in articles}.values())
    by_id = {a.id: a for a in unique}
    blocks = batch_blocks(article_items(unique), window_hours=window_hours, idf_days=idf_days)
    groups = label_groups(batch_labels(blocks, threshold))
    stories = []
    for ids in groups.values():
        members = sorted((by_id[i] for i in ids), key=article_order)
        stories.append(Story(id=story_id_for(members), articles=tuple(members)))
    return sorted(stories, key=lambda s: article_order(s.articles[0]))


def article_order(a: Article) -> tuple[float, str]:
    return (a.published.timestamp() if a.published else float("inf"), a.id)


def story_id_for(articles: Sequence[Article]) -> str:
    """A new story's id: derived from its first article, so reruns give the same id."""
    first = min(articles, key=article_order)
    return "s" + hashlib.sha1(first.id.encode()).hexdigest()[:10]
