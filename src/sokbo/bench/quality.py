"""`sokbo bench quality`: summary ROUGE against Lead and TextRank, topic F1, style accuracy,
and the share of output sentences traceable to a source, all measured in one run.
"""
from __future__ import annotations

import json
import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sokbo.bench.rouge import collapse, cut_to_budget, morphemes_many, rouge_scores
from sokbo.korean.clean import clean_line, is_boilerplate

DATASETS = ("dacon-bflysoft-news-2020", "sci-news-sum-kr-50")


@dataclass(frozen=True, slots=True)
class Record:
    id: str
    dataset: str
    title: str | None
    lines: list[str]
    summary: str


def load_records(path: Path) -> list[Record]:
    out = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            out.append(Record(d["id"], d["dataset"], d.get("title"),
                              [x for x in d["text"].split("\n")], d["summary"]))
    return out


def lead(rec: Record, n: int) -> str:
    return " ".join(rec.lines[:n])


def textrank_baseline(rec: Record, budget: int) -> str:
    """BENCHMARKS.md's TextRank (shared with `sokbo bench editor`)."""
    from sokbo.bench.baselines import textrank

    return textrank(rec.lines, budget)


def sokbo_summary(rec: Record, budget: int, *, polite: bool = True,
                  weights: tuple[float, float, float] | None = None) -> tuple[str, list[int]]:
    """sokbo's excerpt for one article: the writer's own salience and redundancy rules.

    Returns the text and the indices of the source lines used.
    """
    from sokbo.korean.style import to_polite_many
    from sokbo.write import (
        BACK_REFERENCE,
        SALIENCE_WEIGHTS,
        content_terms,
        figures_of,
        is_same_claim,
        salience,
    )

    title = rec.title
    idx: list[int] = []
    texts: list[str] = []
    for i, raw in enumerate(rec.lines):
        line = clean_line(raw)
        if is_boilerplate(line) or len(line) < 8:
            continue
        if title is None and i == 0 and not line.rstrip().endswith((".", "다")):
            title = line  # the dacon records open with the headline
            continue
        idx.append(i)
        texts.append(line)
    if not texts:
        return "", []
    terms = content_terms(texts + ([title] if title else []))
    scores, sim = salience(
        terms[: len(texts)],
        list(range(len(texts))),
        title_terms=terms[-1] if title else None,
        penalties=[0.6 if BACK_REFERENCE.match(t) else 1.0 for t in texts],
        weights=weights or SALIENCE_WEIGHTS,
    )
    figures = [figures_of(t) for t in texts]
    chosen: list[int] = []
    total = 0
    for i in sorted(range(len(texts)), key=lambda i: (-scores[i], i)):
        if any(is_same_claim(sim[i, j], figures[i], figures[j]) for j in chosen):
            continue
        chosen.append(i)
        total += len(texts[i])
        if total >= budget:
            break
    chosen.sort()
    out = [texts[i] for i in chosen]
    if polite:
        out = to_polite_many(out)
    return " ".join(out), [idx[i] for i in chosen]


def score_systems(records: Sequence[Record],
                  systems: dict[str, Callable[[Record, int], str]]) -> dict[str, dict[str, float]]:
    """Macro-averaged ROUGE per system, every output cut to the reference's length."""
    per: dict[str, list[dict[str, float]]] = {name: [] for name in systems}
    for rec in records:
        ref = collapse(rec.summary)
        budget = len(ref)
        outputs = {name: cut_to_budget(fn(rec, budget), budget) for name, fn in systems.items()}
        toks = morphemes_many([ref, *outputs.values()])
        for name, pred in zip(outputs, toks[1:], strict=True):
            per[name].append(rouge_scores(pred, toks[0]))
    return {
        name: {k: round(statistics.fmean(s[k] for s in scores), 4) if scores else 0.0
               for k in ("rouge1", "rouge2", "rougeL")}
        for name, scores in per.items()
    }


def summary_systems(weights=None) -> dict[str, Callable[[Record, int], str]]:
    return {
        "lead": lambda r, b: " ".join(r.lines),
        "lead1": lambda r, b: lead(r, 1),
        "lead3": lambda r, b: lead(r, 3),
        "textrank": textrank_baseline,
        "sokbo": lambda r, b: sokbo_summary(r, b, weights=weights)[0],
        "sokbo_plain": lambda r, b: sokbo_summary(r, b, polite=False, weights=weights)[0],
    }


def summary_bench(path: Path, weights=None) -> dict[str, Any]:
    records = load_records(path)
    out: dict[str, Any] = {}
    for ds in DATASETS:
        subset = [r for r in records if r.dataset == ds]
        if subset:
            out[ds] = {"n": len(subset), **score_systems(subset, summary_systems(weights))}
    return out


def rebuilt(restyled: str, slots: Sequence[Any]) -> str | None:
    """A restyled source sentence with the edits its post sentence's slots record: a day named
    (``date``: the words it replaced in ``original``), an opening connective dropped, a full
    stop added; None when a slot is of another kind (a template's)."""
    text = restyled
    for slot in slots:
        if slot.name == "date" and slot.original and slot.original in text:
            text = text.replace(slot.original, slot.text, 1)
        elif slot.name == "connective" and text.startswith(slot.original):
            text = text[len(slot.original):].lstrip()
        elif slot.name == "period":
            text += slot.text
        else:
            return None
    return text


def traceability(records: Sequence[Record]) -> dict[str, Any]:
    """Write, render and lint a full post per article, as `sokbo run` does; count output
    sentences that are their source sentence restyled (by the writer's 합쇼체 restyler),
    exactly or with only the edits their slots record (``rebuilt``), and time the work
    against a Kiwi-only pass over the same texts (a ratio survives a noisy machine, a time
    does not)."""
    from sokbo.errors import DraftError
    from sokbo.extract import article_from_text
    from sokbo.korean.kiwi import clear_token_cache, get_kiwi
    from sokbo.korean.formal import to_formal_many
    from sokbo.lint import lint_text
    from sokbo.models import Story
    from sokbo.render import render_post
    from sokbo.write import WriterOptions, write_post

    kiwi = get_kiwi()
    clear_token_cache()  # the summary runs above analysed these texts already
    total = traced = exact = posts = skipped = 0
    pipeline_s = kiwi_s = 0.0
    for rec in records:
        text = "\n".join(rec.lines)
        t0 = time.perf_counter()
        kiwi.tokenize(text)
        t1 = time.perf_counter()
        kiwi_s += t1 - t0
        try:
            article = article_from_text(text, title=rec.title, url="", outlet=rec.dataset,
                                        source=rec.id)
            post = write_post(Story(id=rec.id, articles=(article,)), WriterOptions())
            lint_text(render_post(post)[1], sources=[article])
        except DraftError:
            skipped += 1
            continue
        finally:
            pipeline_s += time.perf_counter() - t1
        posts += 1
        sents = post.all_sentences()
        sources = {s.id: s.text for s in article.sentences}
        restyled = to_formal_many([sources[f"{s.source_id}#{s.index}"] for s in sents])
        total += len(sents)
        for s, r in zip(sents, restyled, strict=True):
            if r is not None and s.text == r:
                exact += 1
            elif r is not None and not s.template and s.text == rebuilt(r, s.slots):
                traced += 1
    traced += exact
    return {
        "posts": posts, "skipped_too_short": skipped, "sentences": total, "traceable": traced,
        "restyled_exactly": exact, "restyled_with_recorded_edits": traced - exact,
        "rate": round(traced / total, 4) if total else math.nan,
        "articles_per_s": round(len(records) / pipeline_s, 1) if pipeline_s else None,
        "kiwi_only_articles_per_s": round(len(records) / kiwi_s, 1) if kiwi_s else None,
        "time_ratio_to_kiwi_only": round(pipeline_s / kiwi_s, 2) if kiwi_s else None,
    }


def run_quality_bench(shared: Path, *, repo: Path | None = None) -> dict[str, Any]:
    """Everything `sokbo bench quality` prints, as one JSON-able dict."""
    t0 = time.perf_counter()
    summ = shared / "data" / "summ"
    result: dict[str, Any] = {"summary": {}}
    for split in ("dev", "heldout"):
        result["summary"][split] = summary_bench(summ / f"{split}.jsonl")
    from sokbo.topic import evaluate_topic

    result["topic"] = evaluate_topic(shared / "data" / "ynat" / "test.jsonl")
    table = (repo or Path.cwd()) / "tests" / "data" / "style_pairs.tsv"
    if table.is_file():
        from sokbo.korean.style import style_table_accuracy

        ok, n = style_table_accuracy(table)
        result["style"] = {"exact": ok, "total": n, "accuracy": round(ok / n, 4)}
    else:
        result["style"] = None
    result["traceability"] = traceability(
        load_records(summ / "dev.jsonl") + load_records(summ / "heldout.jsonl"))
    result["seconds"] = round(time.perf_counter() - t0, 1)
    return result


def tables(report: dict[str, Any]) -> list[Any]:
    """Rich tables for the readable form of the quality report."""
    from rich.table import Table

    out = []
    for split, datasets in report["summary"].items():
        t = Table(title=f"summary ROUGE F1 (Kiwi morphemes), summ/{split}")
        for col in ("dataset", "n", "system", "R-1", "R-2", "R-L"):
            t.add_column(col)
        for ds, res in datasets.items():
            for system in ("lead1", "lead3", "lead", "textrank", "sokbo", "sokbo_plain"):
                r = res[system]
                t.add_row(ds, str(res["n"]), system, f"{r['rouge1']:.3f}", f"{r['rouge2']:.3f}",
                          f"{r['rougeL']:.3f}")
        out.append(t)
    t = Table(title="topic, style, traceability")
    t.add_column("measure")
    t.add_column("value")
    if report.get("topic"):
        tp = report["topic"]
        t.add_row("topic macro-F1 (ynat/test)", f"{tp['macro_f1']:.4f}")
        t.add_row("topic accuracy", f"{tp['accuracy']:.4f}")
        t.add_row("topic ms/headline", f"{tp.get('ms_per_headline', float('nan')):.3f}")
    if report.get("style"):
        st = report["style"]
        t.add_row("style table exact", f"{st['exact']}/{st['total']} ({st['accuracy']:.2%})")
    tr = report["traceability"]
    t.add_row("output sentences traceable",
              f"{tr['traceable']}/{tr['sentences']} ({tr['rate']:.2%}) in {tr['posts']} posts: "
              f"{tr['restyled_exactly']} restyled exactly, {tr['restyled_with_recorded_edits']} "
              "with only the edits their slots record")
    t.add_row("articles too short for a post", str(tr["skipped_too_short"]))
    t.add_row("articles/s, extract → write → render → lint",
              f"{tr['articles_per_s']} ({tr['time_ratio_to_kiwi_only']}× a Kiwi-only pass at "
              f"{tr['kiwi_only_articles_per_s']}/s)")
    out.append(t)
    return out


def notes(report: dict[str, Any]) -> list[str]:
    lines = [
        "sokbo = the excerpt as published (합쇼체); sokbo_plain = the same sentences before "
        "restyling. Every output is cut to the reference's length in characters.",
    ]
    for ds, res in report["summary"].get("heldout", {}).items():
        best = max(res[s]["rougeL"] for s in ("lead1", "lead3", "lead", "textrank"))
        lines.append(f"heldout {ds}: sokbo R-L {res['sokbo']['rougeL']:.3f} vs best baseline "
                     f"{best:.3f} (ratio {res['sokbo']['rougeL'] / best:.3f})")
    lines.append(f"took {report['seconds']} s")
    return lines
