"""ROUGE of the excerpt `sokbo post` writes, beside Lead and TextRank computed in the same run
as BENCHMARKS.md says: every output cut to the reference's length in characters, Kiwi
morphemes, macro-average per dataset; an article with no post scores as an empty summary.

The baselines (``bench.baselines``) use Kiwi directly, not the writer's helpers.
"""
from __future__ import annotations

import json
import statistics
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sokbo.bench import baselines
from sokbo.bench.rouge import collapse, cut_to_budget, morphemes_many, rouge_scores

DATASETS = ("dacon-bflysoft-news-2020", "sci-news-sum-kr-50")
KEYS = ("rouge1", "rouge2", "rougeL")


def load_summ(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    recs = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    if limit is not None:
        # the first ``limit`` of each dataset, so a quick run still sees both
        per: dict[str, int] = {}
        kept = []
        for r in recs:
            per[r["dataset"]] = per.get(r["dataset"], 0) + 1
            if per[r["dataset"]] <= limit:
                kept.append(r)
        recs = kept
    return recs


def lines_of(rec: dict[str, Any]) -> list[str]:
    return [x for x in str(rec["text"]).split("\n")]


def lead(rec: dict[str, Any], budget: int) -> str:
    return baselines.lead(lines_of(rec))


def textrank(rec: dict[str, Any], budget: int) -> str:
    return baselines.textrank(lines_of(rec), budget)


def score(records: list[dict[str, Any]],
          systems: dict[str, Callable[[dict[str, Any], int], str]]) -> dict[str, dict[str, float]]:
    """Macro-averaged ROUGE F1 per system over ``records``."""
    per: dict[str, list[dict[str, float]]] = {name: [] for name in systems}
    for rec in records:
        ref = collapse(str(rec["summary"]))
        budget = len(ref)
        outputs = {name: cut_to_budget(fn(rec, budget), budget) for name, fn in systems.items()}
        toks = morphemes_many([ref, *outputs.values()])
        for name, pred in zip(outputs, toks[1:], strict=True):
            per[name].append(rouge_scores(pred, toks[0]))
    return {name: {k: round(statistics.fmean(s[k] for s in scores), 4) if scores else 0.0
                   for k in KEYS}
            for name, scores in per.items()}


def rouge_report(records: list[dict[str, Any]], excerpts: dict[str, str | None]) -> dict[str, Any]:
    """Per dataset: n, refused, and R-1/R-2/R-L of sokbo's excerpt, Lead and TextRank.

    ``excerpts`` maps a record id to the excerpt of its post, None when it was refused.
    """
    out: dict[str, Any] = {}
    for ds in DATASETS:
        subset = [r for r in records if r["dataset"] == ds]
        if not subset:
            continue
        systems: dict[str, Callable[[dict[str, Any], int], str]] = {
            "sokbo": lambda r, b: excerpts.get(r["id"]) or "",
            "lead": lead,
            "textrank": textrank,
        }
        out[ds] = {"n": len(subset),
                   "refused": sum(1 for r in subset if excerpts.get(r["id"]) is None),
                   **score(subset, systems)}
    return out
