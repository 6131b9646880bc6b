"""`sokbo bench editor`: posts judged the way a Korean editor reads them, on real pages.

Every input goes through the user's path (the function `sokbo post` calls), one process:
each page of data/html alone, the pages of one story together, pairs of unrelated pages
(must not be merged silently), and each summ record as a one-line JSONL input. The detectors
read only the post file and the `--json`-shaped result, and analyse Korean with Kiwi
themselves — never with the writer's own cleanup or style code, which they grade.

    runner     run `sokbo post` in-process, keep post files and JSON results
    view       post file + provenance → units (sentences with where they stand and came from)
    speech / boilerplate / coherence / headings / titles / overlap   the detectors
    measure    a suite's metrics and offenders;  summaries  ROUGE beside Lead and TextRank
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sokbo.bench.editor.measure import TARGETS, measure_pairs, measure_suite
from sokbo.bench.editor.runner import PostRun, Runner, jsonl_input, temp_workdir
from sokbo.bench.editor.summaries import load_summ, rouge_report

__all__ = ["STORIES", "UNRELATED_PAIRS", "notes", "run_editor_bench", "tables"]

# Same-event pages among the 40 (read by hand: titles, dates and bodies agree on the event)
STORIES = (("sbs_03", "sbs_05"),                  # 윤 대통령 국빈 방미 일정, two versions
           ("tvchosun_03", "yonhapnewstv_03"))    # 전세사기 피해 지원 대책, two outlets
# Pairs about plainly different events, one per section pairing; the first is issue 10's
UNRELATED_PAIRS = (("sbs_12", "sbs_13"), ("kbs_01", "tvchosun_01"), ("ytn_03", "mbc_01"),
                   ("kbs_02", "yonhapnewstv_05"), ("sbs_14", "mbn_03"), ("chosun_03", "sbs_06"))


def run_editor_bench(shared: Path, *, limit: int | None = None, dump: Path | None = None,
                     heldout: bool = True) -> dict[str, Any]:
    """Everything `sokbo bench editor` prints, as one JSON-able dict.

    ``limit`` keeps the first N pages and N summ records per dataset (a quick look);
    ``dump`` writes every post (and refusal) under DIR/<suite>/ for reading;
    ``heldout=False`` leaves summ/heldout out (it is the final report, never tuned on).
    """
    t0 = time.perf_counter()
    html = shared / "data" / "html"
    summ = shared / "data" / "summ"
    pages = sorted(p for p in html.glob("*.html"))
    if limit is not None:
        pages = pages[:limit]
    names = {p.stem for p in pages}
    report: dict[str, Any] = {"suites": {}, "targets": TARGETS}
    runs_all: list[PostRun] = []
    with temp_workdir() as tmp:
        work = Path(tmp)
        runner = Runner(work, dump)
        page_runs = [runner.post(p.stem, [str(p)], "pages") for p in pages]
        story_runs = [runner.post("+".join(g), [str(html / f"{n}.html") for n in g], "stories")
                      for g in STORIES if set(g) <= names]
        pair_runs = [runner.post("+".join(g), [str(html / f"{n}.html") for n in g], "pairs")
                     for g in UNRELATED_PAIRS if set(g) <= names]
        runs_all += page_runs + story_runs + pair_runs
        report["suites"]["html_pages"] = measure_suite(page_runs)
        report["suites"]["html_stories"] = measure_suite(story_runs)
        report["unrelated_pairs"] = measure_pairs(pair_runs)
        report["rouge"] = {}
        if (summ / "dev.jsonl").is_file():
            inputs = work / "summ"
            inputs.mkdir()
            splits = ("dev", "heldout") if heldout else ("dev",)
            for split in splits:
                if not (summ / f"{split}.jsonl").is_file():
                    continue
                recs = load_summ(summ / f"{split}.jsonl", limit)
                runs = [runner.post(str(r["id"]), [str(jsonl_input(inputs, r))], f"summ-{split}")
                        for r in recs]
                runs_all += runs
                if split == "dev":
                    report["suites"]["summ_dev"] = measure_suite(runs)
                report["rouge"][split] = rouge_report(recs, {
                    str(r["id"]): _excerpt(run) for r, run in zip(recs, runs, strict=True)})
        product = (runner.product_seconds, runner.product_cpu_seconds)
    report["timing"] = _timing(runs_all, product, time.perf_counter() - t0)
    return report


def _excerpt(run: PostRun) -> str | None:
    """The excerpt of the run's (first) post; None when no post was written."""
    views = run.views()
    return views[0].excerpt if views else None


def _timing(runs: list[PostRun], product: tuple[float, float],
            total_s: float) -> dict[str, Any]:
    """Time as ratios to a Kiwi-only pass over the same article texts, in wall-clock and in
    CPU time (the CPU ratio holds better on a busy machine; writes to disk count in wall)."""
    from sokbo.korean.kiwi import get_kiwi

    kiwi = get_kiwi()
    texts = [s.text for r in runs for s in r.sources.values() if s.text]
    t0, c0 = time.perf_counter(), time.process_time()
    for text in texts:
        kiwi.tokenize(text)
    kiwi_s, kiwi_cpu = time.perf_counter() - t0, time.process_time() - c0
    product_s, product_cpu = product

    def ratio(a: float, b: float) -> float | None:
        return round(a / b, 1) if b else None

    return {"runs": len(runs), "texts": len(texts), "chars": sum(len(t) for t in texts),
            "kiwi_only_s": round(kiwi_s, 2), "product_s": round(product_s, 2),
            "kiwi_only_cpu_s": round(kiwi_cpu, 2), "product_cpu_s": round(product_cpu, 2),
            "bench_s": round(total_s, 1),
            "product_vs_kiwi_only": ratio(product_s, kiwi_s),
            "product_vs_kiwi_only_cpu": ratio(product_cpu, kiwi_cpu),
            "bench_vs_kiwi_only": ratio(total_s, kiwi_s)}


# -- readable report -----------------------------------------------------------------------

SUITE_TITLES = {"html_pages": "html, each page", "html_stories": "html, stories",
                "summ_dev": "summ/dev"}


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.1f} %"


def _max_mean(m: dict[str, Any] | None) -> str:
    if not m or m["max"] is None:
        return "—"
    return f"{m['max']} / {m['mean']}"


def metric_rows(s: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(metric, value, key in TARGETS) rows of one suite, in the issue's order."""
    bp, sp, dg, hp = s["boilerplate"], s["not_hapsyo"], s["dangling"], s["heading_phrase"]
    ov, td, sd = s["excerpt_card_overlap"], s["title_defects"], s["sources_defects"]
    return [
        ("yield (posts / inputs with text)",
         f"{_pct(s['yield'])} ({s['written']}/{s['with_text']})", "yield"),
        ("body sentences not 합쇼체", f"{_pct(sp['share'])} ({sp['count']}/{sp['judged']})",
         "not_hapsyo"),
        ("pieces carrying page boilerplate",
         f"{_pct(bp['share'])} ({bp['count']}/{bp['scanned']})", "boilerplate"),
        ("dangling references", f"{_pct(dg['share'])} ({dg['count']}/{s['sentences']}; "
         f"{dg['leaning']} lean)", "dangling"),
        ("headings that are source phrases",
         f"{_pct(hp['share'])} ({hp['phrases']}/{hp['headings']})", "heading_phrase"),
        ("headings sharing a main noun / dropping a negation",
         f"{len(hp['shared_head'])} / {len(hp['negation_dropped'])}", ""),
        ("highlight word cuts", f"{s['highlight_cuts']['count']}/"
         f"{s['highlight_cuts']['highlights']}", "highlight_cuts"),
        ("excerpt sentences repeated by cards (max / mean per post)",
         f"{ov['max'] if ov['max'] is not None else '—'} / "
         f"{ov['mean'] if ov['mean'] is not None else '—'}", "excerpt_card_overlap_max"),
        ("excerpt sentences the sections retell beyond the lead (max / mean per post)",
         _max_mean(s.get("excerpt_body_overlap")), ""),
        ("sentences or quotes repeated in a post", str(s["repeats"]["count"]), ""),
        ("title defects (posts)", f"{td['count']} ({td['posts']} posts)", "title_defects"),
        ("sources-line defects", str(sd["count"]), ""),
        ("sentences without provenance", str(s["unattributed"]["count"]), ""),
        ("lint errors", str(s["lint_errors"]["count"]), ""),
    ]


def tables(report: dict[str, Any]) -> list[Any]:
    from rich.table import Table

    suites = report["suites"]
    t = Table(title="sokbo bench editor: posts as a Korean editor reads them")
    t.add_column("metric")
    for key in suites:
        t.add_column(SUITE_TITLES.get(key, key))
    t.add_column("target")
    rows = {key: metric_rows(s) for key, s in suites.items()}
    first = next(iter(rows.values()), [])
    for i, (label, _, target_key) in enumerate(first):
        t.add_row(label, *(rows[k][i][1] for k in suites), TARGETS.get(target_key, ""))
    out = [t]
    kinds = Table(title="what failed, by kind (html, each page)")
    kinds.add_column("metric")
    kinds.add_column("kinds")
    pages = suites.get("html_pages")
    if pages:
        for label, d in (("refusals", pages["refusal_reasons"]),
                         ("speech level", pages["not_hapsyo"]["by_level"]),
                         ("boilerplate", pages["boilerplate"]["by_kind"]),
                         ("title", pages["title_defects"]["by_kind"]),
                         ("sources line", pages["sources_defects"]["by_kind"])):
            kinds.add_row(label, ", ".join(f"{k} ×{v}" for k, v in d.items()) or "—")
        out.append(kinds)
    pairs = report.get("unrelated_pairs") or {}
    if pairs.get("rows"):
        p = Table(title="unrelated pages given to one `sokbo post` (must not be merged silently)")
        for col in ("inputs", "posts", "merged", "said so"):
            p.add_column(col)
        for row in pairs["rows"]:
            p.add_row(row["inputs"], str(row["posts"]), "yes" if row["merged"] else "no",
                      "yes" if row["flagged"] else "no")
        out.append(p)
    if report.get("rouge"):
        r = Table(title="ROUGE F1 of `sokbo post`'s excerpt (refused = empty) beside Lead and "
                        "TextRank, same run")
        for col in ("split", "dataset", "n", "refused", "system", "R-1", "R-2", "R-L"):
            r.add_column(col)
        for split, datasets in report["rouge"].items():
            for ds, res in datasets.items():
                for system in ("sokbo", "lead", "textrank"):
                    x = res[system]
                    r.add_row(split, ds, str(res["n"]),
                              str(res["refused"]) if system == "sokbo" else "", system,
                              f"{x['rouge1']:.3f}", f"{x['rouge2']:.3f}", f"{x['rougeL']:.3f}")
        out.append(r)
    return out


def notes(report: dict[str, Any]) -> list[str]:
    p = report.get("unrelated_pairs") or {}
    tm = report["timing"]
    lines = []
    if p.get("pairs"):
        lines.append(f"unrelated pairs given to one `sokbo post`: {p['merged']}/{p['pairs']} "
                     f"merged into one post, {p['merged_silently']} of them silently; "
                     f"{p['split']} split")
    lines.append(f"time: the {tm['runs']} `sokbo post` runs took {tm['product_vs_kiwi_only']}× "
                 f"(CPU {tm['product_vs_kiwi_only_cpu']}×) a Kiwi-only pass over the same "
                 f"{tm['texts']} texts ({tm['chars']} chars); the whole bench "
                 f"{tm['bench_vs_kiwi_only']}× ({tm['bench_s']} s)")
    lines.append("offenders behind every figure: --json; posts for reading: --dump DIR")
    return lines
