"""`sokbo bench cluster`: sokbo's story grouping against the hand-checked same-event clusters in
data/clusters, beside two character n-gram baselines and sokbo 0.1's one-pass average linkage,
all from the same run (BENCHMARKS.md, "Story clustering").

Scores are B-cubed over the labelled articles: each predicted cluster is restricted to labelled
articles (the labels are incomplete), plus a strict precision that counts every unlabelled
member as wrong. Thresholds are also chosen on half the events and tested on the other half.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sokbo.bench.common import data_path, ratio
from sokbo.dates import parse_datetime
from sokbo.models import Article

BASELINE_WINDOW_HOURS = 72.0
KIWI_SAMPLE = 3  # the Kiwi-only speed reference tokenises every third article
GRID = tuple(round(0.01 * i, 2) for i in range(1, 61))  # 0.01 … 0.60
# BENCHMARKS.md, for the table
PUBLISHED = {
    "title n-grams": (0.801, 0.416, 0.814),
    "title + 500 chars": (0.928, 0.600, 0.917),
    "title + Kiwi nouns": (0.934, 0.598, 0.952),
}


@dataclass(frozen=True, slots=True)
class Corpus:
    articles: list[Article]
    gold: dict[int, str]  # article index → event id, for the labelled articles
    events: list[str]  # event ids in file order


def load_corpus(clusters_dir: Path) -> Corpus:
    """articles.jsonl as Articles (dates parsed, no sentence split) and the event labels."""
    rows = [json.loads(x) for x in (clusters_dir / "articles.jsonl").read_text("utf-8").splitlines()
            if x.strip()]
    events = [json.loads(x) for x in (clusters_dir / "clusters.jsonl").read_text("utf-8")
              .splitlines() if x.strip()]
    member_of = {m: e["cluster_id"] for e in events for m in e["members"]}
    articles, gold = [], {}
    for i, r in enumerate(rows):
        articles.append(Article(
            id=r["id"], url=r.get("url") or "", title=r["title"], outlet=r.get("outlet") or "",
            published=parse_datetime(r.get("pub_date")), text=r["text"],
        ))
        if r["id"] in member_of:
            gold[i] = member_of[r["id"]]
    present = set(gold.values())
    return Corpus(articles, gold, [e["cluster_id"] for e in events if e["cluster_id"] in present])


# -- scoring -------------------------------------------------------------------------------------

def bcubed(
    groups: Sequence[Sequence[int]], gold: dict[int, str], events: set[str] | None = None
) -> dict[str, float]:
    """B-cubed precision/recall/F1 over the labelled items (of ``events``, if given).

    Precision restricts each predicted cluster to labelled items; strict precision counts the
    whole predicted cluster, so unlabelled members are wrong.
    """
    size_of: dict[str, int] = {}
    for e in gold.values():
        size_of[e] = size_of.get(e, 0) + 1
    p = r = sp = 0.0
    n = 0
    for g in groups:
        labelled = [i for i in g if i in gold]
        counts: dict[str, int] = {}
        for i in labelled:
            counts[gold[i]] = counts.get(gold[i], 0) + 1
        for i in labelled:
            e = gold[i]
            if events is not None and e not in events:
                continue
            same = counts[e]
            p += same / len(labelled)
            sp += same / len(g)
            r += same / size_of[e]
            n += 1
    if not n:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0, "strict_precision": 0.0,
                "strict_f1": 0.0}
    p, r, sp = p / n, r / n, sp / n
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(_f1(p, r), 4),
        "strict_precision": round(sp, 4),
        "strict_f1": round(_f1(sp, r), 4),
    }


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def folds(events: Sequence[str]) -> list[tuple[set[str], set[str]]]:
    """Two folds: events at even positions of the file, then at odd ones."""
    a, b = set(events[0::2]), set(events[1::2])
    return [(a, b), (b, a)]


def best_threshold(
    cuts: dict[float, list[list[int]]], gold: dict[int, str], events: set[str] | None = None
) -> float:
    """The threshold with the best B³ F1; on a plateau of equal scores, its middle."""
    scores = {t: bcubed(cuts[t], gold, events)["f1"] for t in cuts}
    top = max(scores.values())
    plateau = sorted(t for t, f in scores.items() if f == top)
    return plateau[(len(plateau) - 1) // 2]


def held_out(
    cuts: dict[float, list[list[int]]], gold: dict[int, str], events: Sequence[str]
) -> dict[str, Any]:
    """Choose the threshold on one fold's events, score the other fold; pooled over items."""
    result: dict[str, Any] = {"folds": []}
    total = {"precision": 0.0, "recall": 0.0, "strict_precision": 0.0}
    n_total = 0
    for train, test in folds(events):
        best = best_threshold(cuts, gold, train)
        scores = bcubed(cuts[best], gold, test)
        n = sum(1 for e in gold.values() if e in test)
        for k in total:
            total[k] += scores[k] * n
        n_total += n
        result["folds"].append({"train": sorted(train), "threshold": best,
                                "test_f1": scores["f1"]})
    if not n_total:
        return {**result, "f1": 0.0, "strict_f1": 0.0}
    p, r, sp = (total[k] / n_total for k in ("precision", "recall", "strict_precision"))
    result.update(f1=round(_f1(p, r), 4), strict_f1=round(_f1(sp, r), 4))
    return result


# -- systems -------------------------------------------------------------------------------------

@dataclass
class System:
    """A clustering method as the bench runs it: ``prepare`` does the threshold-free work once
    (timed), ``cut(prepared, threshold)`` gives the clusters (article indices) at a threshold."""

    name: str
    prepare: Callable[[list[Article]], Any]
    cut: Callable[[Any, float], list[list[int]]]
    window_hours: float | None
    default_threshold: float | None = None


def sokbo_terms(articles: Sequence[Article]) -> tuple[list[list[str]], float, float]:
    """group_stories' terms for every article, and a plain Kiwi pass over the same texts.

    The two are timed article by article, interleaved, so that a busy machine slows both alike
    and their ratio holds (BENCHMARKS.md, "Speed"). The Kiwi pass runs on every
    ``KIWI_SAMPLE``-th article and is scaled to the corpus, to keep the bench short.
    Returns (terms, sokbo seconds, Kiwi-only seconds for the whole corpus).
    """
    from sokbo.cluster import story_terms
    from sokbo.cluster.terms import LEAD_CHARS
    from sokbo.korean.kiwi import get_kiwi

    kiwi = get_kiwi()
    docs, ours, plain, sampled = [], 0.0, 0.0, 0
    for i, a in enumerate(articles):
        t0 = time.perf_counter()
        docs.append(story_terms(a.title, a.text))
        if i % KIWI_SAMPLE:
            ours += time.perf_counter() - t0
            continue
        t1 = time.perf_counter()
        kiwi.tokenize(a.title)
        kiwi.tokenize(a.text[:LEAD_CHARS])
        t2 = time.perf_counter()
        ours, plain, sampled = ours + (t1 - t0), plain + (t2 - t1), sampled + 1
    return docs, ours, plain * len(articles) / max(sampled, 1)


def char_ngram_similarity(texts: list[str]):
    """Character 2–4-grams (within words), sublinear TF-IDF, cosine: BENCHMARKS.md's baselines."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    x = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True).fit_transform(
        texts
    )
    return (x @ x.T).toarray()


def terms_similarity(docs: Sequence[list[str]]):
    """Cosine similarity of sublinear TF-IDF vectors of term lists, IDF over all of them
    (sokbo 0.1's similarity)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    x = TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True, min_df=1).fit_transform(docs)
    return (x @ x.T).toarray()


def linkage_tree(sim, dates: Sequence[datetime | None], *, window_hours: float | None):
    """One average-linkage tree over everything (sokbo 0.1 and the baselines); pairs further
    apart than the window count as unrelated (distance 1). None for a single article."""
    import numpy as np
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import squareform

    if len(dates) < 2:
        return None
    dist = 1.0 - np.clip(sim, 0.0, 1.0)
    if window_hours is not None:
        stamps = np.array([d.timestamp() if d else np.nan for d in dates])
        with np.errstate(invalid="ignore"):  # NaN (an undated article) compares False
            dist[np.abs(stamps[:, None] - stamps[None, :]) > window_hours * 3600] = 1.0
    np.fill_diagonal(dist, 0.0)
    dist = (dist + dist.T) / 2  # float error must not make squareform reject the matrix
    return linkage(squareform(dist, checks=False), method="average")


def cut_tree(tree, threshold: float) -> list[list[int]]:
    """Clusters of a :func:`linkage_tree` whose average similarity is above ``threshold``."""
    from scipy.cluster.hierarchy import fcluster

    if tree is None:
        return [[0]]
    labels = fcluster(tree, t=1.0 - threshold, criterion="distance")
    groups: dict[int, list[int]] = {}
    for i, lab in enumerate(labels):
        groups.setdefault(int(lab), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])


def pub_dates(articles: list[Article]) -> list[Any]:
    return [a.published for a in articles]


def shipped_cluster_settings() -> tuple[float, float]:
    """The threshold and window a user gets: defaults.toml as shipped, no user config."""
    import tomllib
    from importlib import resources

    shipped = resources.files("sokbo").joinpath("defaults.toml").read_text("utf-8")
    clu = tomllib.loads(shipped)["cluster"]
    return float(clu["threshold"]), float(clu["window_hours"])


def tree_system(name: str, similarity: Callable[[list[Article]], Any],
                dates: Callable[[list[Article]], list[Any]], window_hours: float | None,
                default_threshold: float | None = None) -> System:
    def prepare(arts: list[Article]) -> Any:
        return linkage_tree(similarity(arts), dates(arts), window_hours=window_hours)

    return System(name, prepare, cut_tree, window_hours, default_threshold)


def sokbo_system(docs: list[list[str]], threshold: float, window: float) -> System:
    """sokbo as shipped: the day-by-day canonical clustering (``sokbo.cluster.days``)."""
    from sokbo.cluster import DEFAULT_IDF_DAYS
    from sokbo.cluster.days import batch_blocks, batch_labels
    from sokbo.cluster.terms import Item, count_terms, epoch

    def prepare(arts: list[Article]) -> Any:
        from sokbo.cluster import article_dates

        items = [Item(a.id, epoch(d) if d else None, count_terms(t))
                 for a, d, t in zip(arts, article_dates(arts), docs, strict=True)]
        index = {a.id: i for i, a in enumerate(arts)}
        return batch_blocks(items, window_hours=window, idf_days=DEFAULT_IDF_DAYS), index

    def cut(prepared: Any, t: float) -> list[list[int]]:
        blocks, index = prepared
        groups: dict[str, list[int]] = {}
        for article_id, label in batch_labels(blocks, t).items():
            groups.setdefault(label, []).append(index[article_id])
        return sorted((sorted(g) for g in groups.values()), key=lambda g: g[0])

    return System("sokbo", prepare, cut, window, threshold)


def systems(sokbo_docs: list[list[str]]) -> list[System]:
    from sokbo.cluster import article_dates

    threshold, window = shipped_cluster_settings()
    return [
        sokbo_system(sokbo_docs, threshold, window),
        tree_system("sokbo 0.1 (one linkage)", lambda _arts: terms_similarity(sokbo_docs),
                    article_dates, window, threshold),
        tree_system("title n-grams", lambda arts: char_ngram_similarity([a.title for a in arts]),
                    pub_dates, None),
        tree_system("title + 500 chars",
                    lambda arts: char_ngram_similarity([f"{a.title} {a.text[:500]}" for a in arts]),
                    pub_dates, BASELINE_WINDOW_HOURS),
    ]


def evaluate(system: System, corpus: Corpus, extra_seconds: float = 0.0) -> dict[str, Any]:
    start = time.perf_counter()
    prepared = system.prepare(corpus.articles)
    if system.default_threshold is not None:
        shipped = system.cut(prepared, system.default_threshold)
    # what a user waits for: the threshold-free work and one cut; the grid is bench work
    seconds = time.perf_counter() - start + extra_seconds
    cuts = {t: system.cut(prepared, t) for t in GRID}
    tuned_t = best_threshold(cuts, corpus.gold)
    if system.default_threshold is not None:
        cuts[system.default_threshold] = shipped
    out: dict[str, Any] = {"window_hours": system.window_hours, "seconds": round(seconds, 2)}
    for label, t in (("default", system.default_threshold), ("tuned", tuned_t)):
        if t is None:
            continue
        groups = cuts[t]
        out[label] = {
            "threshold": t,
            **bcubed(groups, corpus.gold),
            "largest_cluster": max(len(g) for g in groups),
            "clusters": len(groups),
            "events_split_lee_haechan": _lee_split(groups, corpus.gold),
        }
    out["held_out"] = held_out(cuts, corpus.gold, corpus.events)
    return out


LEE_EVENTS = ("lee-haechan-critical", "lee-haechan-wake-handshake", "lee-haechan-vietnam-call",
              "lee-nakyon-no-condolence")


def _lee_split(groups: Sequence[Sequence[int]], gold: dict[int, str]) -> int:
    """How many of the four 이해찬 events have a predicted cluster of their own (majority)."""
    own = 0
    cluster_of = {i: k for k, g in enumerate(groups) for i in g}
    for event in LEE_EVENTS:
        members = [i for i, e in gold.items() if e == event]
        if not members:
            continue
        counts: dict[int, int] = {}
        for i in members:
            counts[cluster_of[i]] = counts.get(cluster_of[i], 0) + 1
        main = max(counts, key=counts.__getitem__)
        others = {gold[i] for i in groups[main] if i in gold} - {event}
        if not others & set(LEE_EVENTS):
            own += 1
    return own


def run_cluster_bench(shared: Path) -> dict[str, Any]:
    """Every system on data/clusters: B³ at the shipped and the best threshold, held-out F1,
    sizes and times, and sokbo's time as a ratio to a Kiwi-only pass."""
    from sokbo.korean.kiwi import get_kiwi

    clusters_dir = data_path(shared, "clusters")
    data_path(shared, "clusters", "articles.jsonl")
    data_path(shared, "clusters", "clusters.jsonl")
    corpus = load_corpus(clusters_dir)
    get_kiwi()  # a one-off model load, outside every timing
    docs, terms_s, kiwi_s = sokbo_terms(corpus.articles)
    results = {
        s.name: evaluate(s, corpus, terms_s if s.name.startswith("sokbo") else 0.0)
        for s in systems(docs)
    }
    sokbo_s = results["sokbo"]["seconds"]
    return {
        "bench": "cluster",
        "data": str(clusters_dir),
        "articles": len(corpus.articles),
        "labelled": len(corpus.gold),
        "events": len(corpus.events),
        "undated": sum(1 for a in corpus.articles if a.published is None),
        "systems": results,
        "kiwi_only_seconds": round(kiwi_s, 2),
        "sokbo_time_to_kiwi_only": ratio(sokbo_s, kiwi_s),
        "sokbo_articles_per_second": round(len(corpus.articles) / sokbo_s, 1) if sokbo_s else None,
        "published": {k: dict(zip(("b3_f1", "strict_b3_f1", "held_out_b3_f1"), v, strict=True))
                      for k, v in PUBLISHED.items()},
    }


# -- output --------------------------------------------------------------------------------------

def tables(report: dict[str, Any]) -> list[Any]:
    from rich.table import Table

    t = Table(title=f"sokbo bench cluster — {report['articles']} articles, {report['labelled']} "
                    f"labelled in {report['events']} events, {report['undated']} undated")
    for col in ("method", "threshold", "B³ P", "B³ R", "B³ F1", "strict P", "strict F1",
                "held-out F1", "largest", "clusters", "이해찬 /4", "seconds"):
        t.add_column(col, justify="left" if col == "method" else "right")
    for name, res in report["systems"].items():
        for label in ("default", "tuned"):
            if label not in res:
                continue
            s = res[label]
            which = "shipped" if label == "default" else "best"
            t.add_row(
                f"{name}, {which} t", f"{s['threshold']:.3f}", f"{s['precision']:.3f}",
                f"{s['recall']:.3f}", f"{s['f1']:.3f}", f"{s['strict_precision']:.3f}",
                f"{s['strict_f1']:.3f}", f"{res['held_out']['f1']:.3f}",
                str(s["largest_cluster"]), str(s["clusters"]),
                str(s["events_split_lee_haechan"]), f"{res['seconds']:.1f}",
            )
    for name, (f1, sf1, ho) in PUBLISHED.items():
        t.add_row(f"published: {name}", "", "", "", f"{f1:.3f}", "", f"{sf1:.3f}", f"{ho:.3f}",
                  "", "", "0", "")
    return [t]


def notes(report: dict[str, Any]) -> list[str]:
    folds_txt = "; ".join(
        f"fold {i + 1}: t={f['threshold']} → test F1 {f['test_f1']}"
        for i, f in enumerate(report["systems"]["sokbo"]["held_out"]["folds"])
    )
    return [
        "title n-grams: character 2–4-grams of the title, TF-IDF, average linkage, no window; "
        "title + 500 chars: the same over title and first 500 body characters, 72 h window; "
        "title + Kiwi nouns (published only): 72 h window.",
        "sokbo: day by day (KST), each day's articles joining the open stories by average "
        "linkage, IDF of the last 30 days (a pure function of the articles: incremental runs "
        "give the same stories); sokbo 0.1: one average linkage over all articles at once.",
        "이해찬 /4: how many of the four 이해찬 events get a cluster without another of them.",
        f"sokbo held-out (thresholds chosen on 5 events, tested on the other 5): {folds_txt}",
        f"sokbo {report['systems']['sokbo']['seconds']} s end to end "
        f"({report['sokbo_articles_per_second']} articles/s); a Kiwi-only pass over the same "
        f"texts {report['kiwi_only_seconds']} s: ratio {report['sokbo_time_to_kiwi_only']}",
    ]
