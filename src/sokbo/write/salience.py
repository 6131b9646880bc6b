"""How much each sentence matters: TextRank centrality, lead position, overlap with the headline.

Shared with `sokbo bench quality`, which scores the same salience against human summaries.
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence

from sokbo.korean.kiwi import tokenize_many
from sokbo.write.prepare import Candidate

CONTENT_TAGS = {"NNG", "NNP", "SN", "SL", "SH", "XR", "VV", "VA", "NR"}
# centrality, lead position, headline overlap: chosen on summ/dev (see `sokbo bench quality`)
SALIENCE_WEIGHTS = (1.0, 0.5, 0.3)
SHORT_SENTENCE_TERMS = 8
# sentences opening with a back-reference read badly out of context
BACK_REFERENCE = re.compile(
    r"^(이에|이는|이와|그는|그러나|하지만|또한|또|이어|이날|한편|그러면서)\b"
)


def content_terms(texts: Sequence[str]) -> list[list[str]]:
    """Content morphemes of each text, one Kiwi pass for all."""
    return [
        [t.form.lower() for t in toks if t.tag in CONTENT_TAGS]
        for toks in tokenize_many(list(texts))
    ]


def tfidf_similarity(docs: Sequence[Sequence[str]]):  # -> (len(docs), len(docs)) array
    """Cosine similarity of the documents' TF-IDF vectors, as scikit-learn's
    ``TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True)`` weighs them (smoothed idf
    ``ln((1 + n) / (1 + df)) + 1``, ``1 + ln(tf)``, rows of unit length).

    In numpy: importing scikit-learn (and the scipy it pulls in) cost ~1.3 s CPU per process.
    """
    import numpy as np

    n = len(docs)
    vocab: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    counts: list[int] = []
    for i, doc in enumerate(docs):
        tf: dict[int, int] = {}
        for term in doc:
            j = vocab.setdefault(term, len(vocab))
            tf[j] = tf.get(j, 0) + 1
        rows.extend([i] * len(tf))
        cols.extend(tf)
        counts.extend(tf.values())
    r = np.asarray(rows, dtype=np.intp)
    c = np.asarray(cols, dtype=np.intp)
    df = np.bincount(c, minlength=len(vocab))
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    w = (1.0 + np.log(np.asarray(counts, dtype=np.float64))) * idf[c]
    norms = np.sqrt(np.bincount(r, weights=w * w, minlength=n))
    w = w / np.where(norms > 0, norms, 1.0)[r]
    # X·Xᵀ term by term (a sparse product): a term adds w_i·w_k to every pair of
    # documents holding it; a term in one document only adds to the diagonal
    full = np.zeros((n, n))
    order = np.argsort(c, kind="stable")
    r, c, w = r[order], c[order], w[order]
    ends = np.cumsum(df)
    single = df[c] == 1
    np.add.at(full, (r[single], r[single]), w[single] ** 2)
    # every pair of documents holding a term, term by term in term order (row-major within
    # a term): one unbuffered add in that order gives each pair its sum in the order a loop
    # over the terms would
    shared = np.flatnonzero(~single)
    if shared.size:
        d = df[c[shared]]
        left = np.repeat(shared, d)
        within = np.arange(left.size) - np.repeat(np.cumsum(d) - d, d)
        right = np.repeat(ends[c[shared]] - d, d) + within
        np.add.at(full, (r[left], r[right]), w[left] * w[right])
    return full


def salience(
    terms: list[list[str]],
    positions: Sequence[int],
    *,
    title_terms: list[str] | None = None,
    penalties: Sequence[float] | None = None,
    weights: tuple[float, float, float] = (0.5, 0.5, 0.0),
):  # -> (scores, similarity matrix)
    """Salience of each sentence: TextRank centrality, lead position, overlap with the headline.

    ``weights`` mixes the three signals; each is scaled to [0, 1] first.
    """
    import numpy as np

    n = len(terms)
    docs = [t or ["∅"] for t in terms]
    if title_terms:
        docs = docs + [title_terms]
    full = tfidf_similarity(docs)
    sim = full[:n, :n].copy()
    np.fill_diagonal(sim, 0.0)
    rows = sim.sum(axis=1, keepdims=True)
    trans = np.divide(sim, rows, out=np.full_like(sim, 1.0 / max(n, 1)), where=rows > 0)
    pr = np.full(n, 1.0 / n)
    for _ in range(50):
        pr = 0.15 / n + 0.85 * trans.T @ pr
    pr = pr / pr.max()
    position = np.array([1.0 / math.sqrt(1 + p) for p in positions])
    title_sim = full[:n, n] if title_terms else np.zeros(n)
    if title_sim.max() > 0:
        title_sim = title_sim / title_sim.max()
    w_pr, w_pos, w_title = weights
    scores = w_pr * pr + w_pos * position + w_title * title_sim
    # subheads and fragments ("반으로 접을 수도 있다") carry less than full sentences
    scores = scores * np.array([min(1.0, len(t) / SHORT_SENTENCE_TERMS) for t in terms])
    if penalties is not None:
        scores = scores * np.asarray(penalties)
    return scores, sim


def score_sentences(cands: list[Candidate], title: str | None = None):  # -> similarity matrix
    """Set each candidate's salience; return the candidates' similarity matrix."""
    texts = [c.sentence.text for c in cands]
    all_terms = content_terms(texts + ([title] if title else []))
    for c, terms in zip(cands, all_terms, strict=False):
        c.terms = terms
    scores, sim = salience(
        [c.terms for c in cands],
        [c.sentence.index for c in cands],
        title_terms=all_terms[-1] if title else None,
        penalties=[0.6 if c.leans else 1.0 for c in cands],
        weights=SALIENCE_WEIGHTS,
    )
    for c, score in zip(cands, scores, strict=True):
        c.score = float(score)
    return sim
