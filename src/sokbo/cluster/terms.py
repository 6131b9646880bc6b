"""What clustering knows of an article: its terms (Kiwi nouns of the title and lead) and its
normalised time (publication time, else the day in its URL, else the day it was first seen).

Both are computed once per article and stored (``cluster.stored``); nothing here reads the store.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sokbo.dates import KST
from sokbo.models import Article

if TYPE_CHECKING:
    from sokbo.korean.kiwi import Morph

__all__ = [
    "DAY_SECONDS",
    "Item",
    "article_item",
    "article_time",
    "day_of",
    "noon_of",
    "story_terms",
    "url_day",
]

KEY_TAGS = {"NNG", "NNP", "SL", "SH", "SN"}
LEAD_CHARS = 500
DAY_SECONDS = 86_400
KST_OFFSET = 9 * 3600  # Asia/Seoul has had no daylight saving time since 1988
# 20260130, 2026-01-30, 2026/01/30 not inside a longer number's middle; ids may follow the day
URL_DAY = re.compile(r"(?<!\d)(20[0-4]\d)([/_-]?)(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])")

Terms = tuple[tuple[str, int], ...]  # (term, count), sorted by term


@dataclass(frozen=True, slots=True)
class Item:
    """One article as clustering sees it.

    ``time`` is seconds since the epoch, or None for an article with no time at all (only
    batch clustering has those; the store dates them by the day it first saw them).
    """

    id: str
    time: float | None
    terms: Terms

    @property
    def day(self) -> int | None:
        return None if self.time is None else day_of(self.time)

    @property
    def key(self) -> tuple[float, str]:
        """The canonical order: time, then id; articles with no time last."""
        return (math.inf if self.time is None else self.time, self.id)


def story_terms(title: str, text: str, *, tokens: Sequence[Morph] | None = None) -> list[str]:
    """Nouns of the title (counted twice) and of the lead (the text's first LEAD_CHARS
    characters, each paragraph analysed whole), adjacent nouns also joined. ``tokens``: the
    morphemes of the text's lines, offsets into it, when extraction has them
    (``korean.sentences.analyse_article``), so that they are not analysed again."""
    from sokbo.korean.kiwi import get_kiwi
    from sokbo.korean.sentences import line_tokens

    if tokens is None:
        tokens = line_tokens(text, LEAD_CHARS)
    lead = [t for t in tokens if t.start + t.len <= LEAD_CHARS]
    terms: list[str] = []
    for weight, toks in ((2, get_kiwi().tokenize(title)), (1, lead)):
        prev_end, prev_form = -1, None
        for t in toks:
            if t.tag in KEY_TAGS and not (t.tag == "SN" and len(t.form) < 2):
                terms.extend([t.form] * weight)
                if prev_form is not None and t.start == prev_end:
                    terms.extend([prev_form + t.form] * weight)
                prev_form, prev_end = t.form, t.start + t.len
            else:
                prev_form, prev_end = None, -1
    return terms


def count_terms(terms: list[str]) -> Terms:
    return tuple(sorted(Counter(terms).items()))


def article_time(article: Article) -> datetime | None:
    """The time clustering uses: publication time, else its URL's day (noon KST)."""
    return article.published or url_day(article.url)


def article_item(article: Article, *, seen: float | None = None,
                 terms: Terms | None = None) -> Item:
    """``article`` as an Item; ``seen`` (epoch seconds) dates an article that has no time."""
    when = article_time(article)
    if terms is None:
        terms = count_terms(story_terms(article.title, article.text))
    return Item(article.id, epoch(when) if when else seen, terms)


def epoch(when: datetime) -> float:
    """Seconds since the epoch; a time without a zone is Korean time."""
    if when.utcoffset() is None:
        when = when.replace(tzinfo=KST)
    return when.timestamp()


def day_of(time: float) -> int:
    """The KST calendar day of an epoch time, as a day number (days since 1970-01-01)."""
    return math.floor((time + KST_OFFSET) / DAY_SECONDS)


def noon_of(day: int) -> float:
    """Noon KST of a day number, as epoch seconds: how a day without a time is placed."""
    return day * DAY_SECONDS - KST_OFFSET + DAY_SECONDS / 2


def url_day(url: str | None) -> datetime | None:
    """The publication day many Korean outlets put in article URLs, as noon KST."""
    m = URL_DAY.search(url or "")
    if not m:
        return None
    try:
        return datetime(int(m[1]), int(m[3]), int(m[4]), 12, tzinfo=KST)
    except ValueError:  # 2026-02-30
        return None
