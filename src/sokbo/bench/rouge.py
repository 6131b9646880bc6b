"""ROUGE-1/2/L F1 over Kiwi morphemes, scored as BENCHMARKS.md specifies.

Tokens are Kiwi ``form``s, Latin lower-cased, commas dropped from numbers, punctuation and
symbol tags dropped (the common rouge-score tokenizer drops Hangul, so it is useless here).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from sokbo.korean.kiwi import get_kiwi

DROP_TAGS = {"SF", "SP", "SS", "SSO", "SSC", "SE", "SO", "SW", "SB"}
SPACES = re.compile(r"\s+")


def collapse(text: str) -> str:
    return SPACES.sub(" ", text).strip()


def cut_to_budget(text: str, budget: int) -> str:
    """Every system's output is cut to the reference's length in characters."""
    return collapse(text)[:budget]


def morphemes_many(texts: Sequence[str]) -> list[list[str]]:
    out = []
    for toks in get_kiwi().tokenize(list(texts)):
        forms = []
        for t in toks:
            if t.tag in DROP_TAGS:
                continue
            form = t.form
            if t.tag == "SN":
                form = form.replace(",", "")
            elif t.tag == "SL":
                form = form.lower()
            forms.append(form)
        out.append(forms)
    return out


def _ngrams(tokens: list[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def _f1(overlap: int, pred: int, ref: int) -> float:
    if pred == 0 or ref == 0 or overlap == 0:
        return 0.0
    p, r = overlap / pred, overlap / ref
    return 2 * p * r / (p + r)


def lcs_length(a: list[str], b: list[str]) -> int:
    if not a or not b:
        return 0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b, 1):
            cur.append(prev[j - 1] + 1 if x == y else max(prev[j], cur[j - 1]))
        prev = cur
    return prev[-1]


def rouge_scores(pred: list[str], ref: list[str]) -> dict[str, float]:
    """{'rouge1','rouge2','rougeL'} F1 for one prediction/reference token pair."""
    out = {}
    for n, key in ((1, "rouge1"), (2, "rouge2")):
        p, r = _ngrams(pred, n), _ngrams(ref, n)
        out[key] = _f1(sum((p & r).values()), sum(p.values()), sum(r.values()))
    out["rougeL"] = _f1(lcs_length(pred, ref), len(pred), len(ref))
    return out
