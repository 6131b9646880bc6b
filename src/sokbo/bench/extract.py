"""`sokbo bench extract`: sokbo's page extraction against the gold in data/html/gold, with plain
trafilatura run in the same process as the baseline (BENCHMARKS.md, "Extraction").
"""
from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sokbo.bench.common import data_path, median_ms, num, pct, ratio
from sokbo.dates import parse_datetime, to_kst
from sokbo.errors import SokboError

# BENCHMARKS.md reports 35 pages: these four keep their body in inline JSON (chosun) or are a
# video page with a 21-character caption (tvchosun_02).
EXCLUDED_FROM_MAIN = frozenset({"chosun_01", "chosun_02", "chosun_03", "tvchosun_02"})
# trafilatura 2.3 on the 35 pages, as published in BENCHMARKS.md
PUBLISHED_TRAFILATURA = {"title_exact": 0.94, "body_f1": 0.894, "date_correct": 0.94,
                         "median_ms": 25.0}


@dataclass(frozen=True, slots=True)
class GoldPage:
    name: str
    html: str
    title: str
    text: str
    day: str  # YYYY-MM-DD in Asia/Seoul
    score_body: bool


@dataclass(frozen=True, slots=True)
class Extraction:
    title: str
    text: str
    day: str | None
    seconds: float
    error: str | None = None
    split_seconds: float = 0.0  # of ``seconds``, spent splitting sentences (sokbo only)


def collapse(text: str) -> str:
    return " ".join((text or "").split())


def bigram_f1(predicted: str, gold: str) -> float:
    """F1 over the multisets of character bigrams of the whitespace-collapsed texts."""
    p, g = _bigrams(predicted), _bigrams(gold)
    overlap = sum((p & g).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(g.values())
    return 2 * precision * recall / (precision + recall)


def _bigrams(text: str) -> Counter[str]:
    s = collapse(text)
    return Counter(s[i : i + 2] for i in range(len(s) - 1))


def seoul_day(value: datetime | str | None) -> str | None:
    """The Asia/Seoul calendar day of a timestamp; a bare date string is taken as it is."""
    if isinstance(value, datetime):
        return to_kst(value).date().isoformat()
    if not value:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return date.fromisoformat(value.strip()).isoformat()
    found = parse_datetime(value)
    return to_kst(found).date().isoformat() if found else None


def load_gold(html_dir: Path, names: Sequence[str] | None = None) -> list[GoldPage]:
    """Pages that have a gold file, in name order."""
    pages = []
    for path in sorted((html_dir / "gold").glob("*.json")):
        if names and path.stem not in names:
            continue
        gold = json.loads(path.read_text("utf-8"))
        page = html_dir / f"{path.stem}.html"
        if not page.exists():
            continue
        pages.append(GoldPage(
            name=path.stem, html=page.read_text("utf-8"), title=gold["title"],
            text=gold["text"], day=gold["published_date_kst"],
            score_body="exclude_body" not in gold,
        ))
    return pages


# -- the systems -------------------------------------------------------------------------------

def run_sokbo(html: str) -> Extraction:
    """sokbo's whole page → Article step: ``extract_article`` timed in its two halves,
    extraction with cleaning, then Kiwi sentence splitting."""
    from sokbo.extract import extract_page, make_article

    start = time.perf_counter()
    try:
        page = extract_page(html)
    except SokboError as e:
        return Extraction("", "", None, time.perf_counter() - start, error=str(e))
    split_start = time.perf_counter()
    a = make_article(url=page.url, title=page.title, outlet=page.outlet,
                     published=page.published, text=page.text, image=page.image)
    end = time.perf_counter()
    return Extraction(a.title, a.text, seoul_day(a.published), end - start,
                      split_seconds=end - split_start)


def run_trafilatura(html: str) -> Extraction:
    """Plain trafilatura with its defaults (what BENCHMARKS.md measured)."""
    import trafilatura

    start = time.perf_counter()
    doc = trafilatura.bare_extraction(html, with_metadata=True)
    seconds = time.perf_counter() - start
    if doc is None:
        return Extraction("", "", None, seconds, error="no result")
    return Extraction(doc.title or "", doc.text or "", seoul_day(doc.date), seconds)


SYSTEMS: dict[str, Callable[[str], Extraction]] = {
    "sokbo": run_sokbo,
    "trafilatura": run_trafilatura,
}


# -- scoring -----------------------------------------------------------------------------------

def score(pages: Sequence[GoldPage], results: dict[str, Extraction]) -> dict[str, Any]:
    """Title exact match, mean body F1, date correct and median time over ``pages``."""
    if not pages:
        return {"pages": 0}
    body = [p for p in pages if p.score_body]
    titles = sum(collapse(results[p.name].title) == collapse(p.title) for p in pages)
    dates = sum(results[p.name].day == p.day for p in pages)
    f1 = [bigram_f1(results[p.name].text, p.text) for p in body]
    split = any(results[p.name].split_seconds for p in pages)
    return {
        "pages": len(pages),
        "body_pages": len(body),
        "title_exact": round(titles / len(pages), 4),
        "body_f1": round(sum(f1) / len(f1), 4) if f1 else None,
        "date_correct": round(dates / len(pages), 4),
        "median_ms": median_ms(results[p.name].seconds for p in pages),
        "median_ms_without_sentence_split": median_ms(
            results[p.name].seconds - results[p.name].split_seconds for p in pages
        ) if split else None,
        "failed": sorted(p.name for p in pages if results[p.name].error),
    }


def run_extract_bench(shared: Path, *, names: Sequence[str] | None = None) -> dict[str, Any]:
    """Extract every gold page with each system, interleaved, and score the subsets."""
    html_dir = data_path(shared, "html")
    pages = load_gold(html_dir, names)
    if not pages:
        from sokbo.errors import InputError

        raise InputError(f"no gold pages found in {html_dir / 'gold'}")
    import logging

    from sokbo.korean.kiwi import get_kiwi

    # trafilatura logs "discarding data" for every page it gives up on; the table says so
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    get_kiwi()  # model load is a one-off cost, not per page
    for run in SYSTEMS.values():  # warm imports and caches outside the timings
        run(pages[0].html)
    results: dict[str, dict[str, Extraction]] = {name: {} for name in SYSTEMS}
    for page in pages:  # interleaved, so machine noise hits both systems alike
        for name, run in SYSTEMS.items():
            results[name][page.name] = run(page.html)
    subsets = {
        "main": [p for p in pages if p.name not in EXCLUDED_FROM_MAIN],
        "all": pages,
        "arc_json": [p for p in pages if p.name.startswith("chosun_")],
    }
    report: dict[str, Any] = {
        "bench": "extract",
        "data": str(html_dir),
        "html_pages": len(list(html_dir.glob("*.html"))),
        "gold_pages": len(pages),
        "subsets": {
            key: {name: score(sub, results[name]) for name in SYSTEMS}
            for key, sub in subsets.items()
        },
        "published_trafilatura_main": PUBLISHED_TRAFILATURA,
        "per_page": [
            {
                "page": p.name,
                **{
                    name: {
                        "title": collapse(results[name][p.name].title) == collapse(p.title),
                        "body_f1": round(bigram_f1(results[name][p.name].text, p.text), 4)
                        if p.score_body else None,
                        "date": results[name][p.name].day == p.day,
                        "ms": round(results[name][p.name].seconds * 1000, 1),
                        **({"error": results[name][p.name].error}
                           if results[name][p.name].error else {}),
                    }
                    for name in SYSTEMS
                },
            }
            for p in pages
        ],
    }
    main = report["subsets"]["main"]
    report["time_ratio_sokbo_to_trafilatura"] = ratio(
        main["sokbo"]["median_ms"], main["trafilatura"]["median_ms"]
    )
    return report


# -- output ------------------------------------------------------------------------------------

SUBSET_TITLES = {
    "main": "the 35 pages of BENCHMARKS.md (without chosun_01–03, tvchosun_02)",
    "all": "every page with gold",
    "arc_json": "chosun_01–03 (body only in inline JSON)",
}


def tables(report: dict[str, Any]) -> list[Any]:
    from rich.table import Table

    out = []
    for key, systems in report["subsets"].items():
        first = next(iter(systems.values()))
        table = Table(title=f"sokbo bench extract — {SUBSET_TITLES.get(key, key)}: "
                            f"{first['pages']} pages ({first['body_pages']} with body gold)")
        for col in ("extractor", "title exact", "body F1", "date correct", "median ms/page",
                    "no result"):
            table.add_column(col, justify="left" if col == "extractor" else "right")
        for name, s in systems.items():
            table.add_row(name, pct(s["title_exact"]), num(s["body_f1"]), pct(s["date_correct"]),
                          num(s["median_ms"], 1), ", ".join(s["failed"]) or "—")
        if key == "main":
            ref = report["published_trafilatura_main"]
            table.add_row("published: trafilatura 2.3", pct(ref["title_exact"]),
                          num(ref["body_f1"]), pct(ref["date_correct"]), num(ref["median_ms"], 1),
                          "")
        out.append(table)
    return out


def notes(report: dict[str, Any]) -> list[str]:
    return [
        f"{report['gold_pages']} of {report['html_pages']} pages have gold; "
        "sokbo's time includes cleaning and Kiwi sentence splitting; without the split its "
        f"median on the 35 pages is "
        f"{report['subsets']['main']['sokbo']['median_ms_without_sentence_split']} ms.",
        f"time ratio sokbo / trafilatura (median, same run): "
        f"{report['time_ratio_sokbo_to_trafilatura']}",
    ]
