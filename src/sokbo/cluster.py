"""Articles → stories: the same event from several outlets becomes one Story.

Title + lead nouns (Kiwi) as TF-IDF vectors, cosine similarity, average-linkage clustering,
and no link between articles published further apart than the time window.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime

from sokbo.korean.kiwi import get_kiwi
from sokbo.models import Article, Story

KEY_TAGS = {"NNG", "NNP", "SL", "SH", "SN"}
LEAD_CHARS = 500


def story_terms(title: str, text: str) -> list[str]:
    """Nouns of the title (counted twice) and of the lead, adjacent nouns also joined."""
    kiwi = get_kiwi()
    terms: list[str] = []
    for weight, part in ((2, title), (1, text[:LEAD_CHARS])):
        toks = kiwi.tokenize(part)
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


def similarity_matrix(docs: Sequence[list[str]]):  # -> numpy.ndarray
    """Cosine similarity of sublinear TF-IDF vectors of the term lists."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    if len(docs) == 1:
        import numpy as np

        return np.ones((1, 1))
    vec = TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True, min_df=1)
    x = vec.fit_transform(docs)
    return (x @ x.T).toarray()


def cluster_indices(
    sim,  # numpy.ndarray
    dates: Sequence[datetime | None],
    *,
    threshold: float,
    window_hours: float,
) -> list[list[int]]:
    """Average-linkage clusters whose members are on average more similar than ``threshold``."""
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    n = len(dates)
    if n == 1:
        return [[0]]
    dist = 1.0 - np.clip(sim, 0.0, 1.0)
    stamps = [d.timestamp() if d else None for d in dates]
    limit = window_hours * 3600
    for i in range(n):
        if stamps[i] is None:
            continue
        for j in range(i + 1, n):
            if stamps[j] is not None and abs(stamps[i] - stamps[j]) > limit:
                dist[i, j] = dist[j, i] = 1.0
    np.fill_diagonal(dist, 0.0)
    z = linkage(squareform(dist, checks=False), method="average")
    labels = fcluster(z, t=1.0 - threshold, criterion="distance")
    groups: dict[int, list[int]] = {}
    for i, lab in enumerate(labels):
        groups.setdefault(int(lab), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])


def group_stories(
    articles: Sequence[Article], *, threshold: float = 0.3, window_hours: float = 72
) -> list[Story]:
    """Group articles into stories, each story's articles oldest first."""
    if not articles:
        return []
    docs = [story_terms(a.title, a.text) for a in articles]
    groups = cluster_indices(
        similarity_matrix(docs),
        [a.published for a in articles],
        threshold=threshold,
        window_hours=window_hours,
    )
    stories = []
    for g in groups:
        members = sorted((articles[i] for i in g), key=_article_order)
        stories.append(Story(id=story_id_for(members), articles=tuple(members)))
    return sorted(stories, key=lambda s: _article_order(s.articles[0]))


def _article_order(a: Article) -> tuple[float, str]:
    return (a.published.timestamp() if a.published else float("inf"), a.id)


def story_id_for(articles: Sequence[Article]) -> str:
    """A new story's id: derived from its first article, so reruns give the same id."""
    first = min(articles, key=_article_order)
    return "s" + hashlib.sha1(first.id.encode()).hexdigest()[:10]
