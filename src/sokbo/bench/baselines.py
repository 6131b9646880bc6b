"""Summary baselines of BENCHMARKS.md, computed from Kiwi directly (not from the writer, which
they are compared with): Lead and TextRank over an article's lines."""
from __future__ import annotations

from collections.abc import Sequence

from sokbo.korean.kiwi import get_kiwi

# content morphemes: nouns, numbers, foreign words, roots, verbs and adjectives
CONTENT_TAGS = frozenset({"NNG", "NNP", "SN", "SL", "SH", "XR", "VV", "VA", "NR"})


def content_morphemes(lines: Sequence[str]) -> list[list[str]]:
    return [[t.form.lower() for t in toks if t.tag in CONTENT_TAGS]
            for toks in get_kiwi().tokenize(list(lines))]


def lead(lines: Sequence[str]) -> str:
    """Lead: the article from its first line (the scorer cuts it to the budget)."""
    return " ".join(lines)


def textrank(lines: Sequence[str], budget: int) -> str:
    """TextRank: cosine of content-morpheme counts, PageRank d = 0.85, the top-ranked lines in
    document order until ``budget`` characters are filled."""
    import numpy as np

    n = len(lines)
    if n == 0:
        return ""
    terms = content_morphemes(lines)
    vocab: dict[str, int] = {}
    for t in terms:
        for w in t:
            vocab.setdefault(w, len(vocab))
    m = np.zeros((n, max(len(vocab), 1)))
    for i, t in enumerate(terms):
        for w in t:
            m[i, vocab[w]] += 1
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    m = np.divide(m, norms, out=np.zeros_like(m), where=norms > 0)
    sim = m @ m.T
    np.fill_diagonal(sim, 0)
    rows = sim.sum(axis=1, keepdims=True)
    trans = np.divide(sim, rows, out=np.full_like(sim, 1.0 / n), where=rows > 0)
    pr = np.full(n, 1.0 / n)
    for _ in range(100):
        pr = 0.15 / n + 0.85 * trans.T @ pr
    chosen, total = [], 0
    for i in sorted(range(n), key=lambda i: (-pr[i], i)):
        chosen.append(i)
        total += len(lines[i])
        if total >= budget:
            break
    return " ".join(lines[i] for i in sorted(chosen))
