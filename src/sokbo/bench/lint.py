"""`sokbo bench lint`: `sokbo lint` on 80 real auto-blog posts (data/blogposts) against a
labelling of every defect a careful Korean reader sees in them and of every finding judged
false (``sokbo/data/lint-labels.json``: file, rule and location only), beside the reference
post's five expected findings.

A finding is keyed by (file, rule, location); several findings at one key count once. It is
true when a labelled defect of its rule covers its location (a defect's location is ``post``,
``front-matter:KEY``, ``line N`` or ``lines A-B``), false when it is listed as judged false,
and *unjudged* otherwise: a new rule or a changed one must be judged before its figures mean
anything, so the report counts unjudged findings as false. Recall is the share of labelled
defects of the rules found by at least one finding; defects no rule addresses (rule ``-``)
are counted apart.
"""
from __future__ import annotations

import json
import re
import time
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any

from sokbo.bench.common import data_path, pct

__all__ = ["EXPECTED_REFERENCE", "load_labels", "notes", "run_lint_bench", "score", "tables"]

EXPECTED_REFERENCE = ("SB101", "SB102", "SB305", "SB401", "SB501")
_LINES = re.compile(r"lines? (\d+)(?:-(\d+))?")


def load_labels() -> dict[str, Any]:
    text = resources.files("sokbo").joinpath("data", "lint-labels.json").read_text("utf-8")
    return json.loads(text)


def _covers(at: str, location: str) -> bool:
    if at == "post":
        return True
    if at.startswith("front-matter"):
        return location == at
    span, line = _LINES.fullmatch(at), _LINES.fullmatch(location)
    if not span or not line:
        return False
    low, high = int(span.group(1)), int(span.group(2) or span.group(1))
    return low <= int(line.group(1)) <= high


def score(findings: dict[str, list[dict[str, str]]], labels: dict[str, Any]) -> dict[str, Any]:
    """Per-rule precision and recall of ``findings`` (file → finding dicts) against labels."""
    defects: dict[str, list[dict[str, str]]] = {}
    for d in labels["defects"]:
        defects.setdefault(d["file"], []).append(d)
    false = {(f["file"], f["rule"], f["at"]) for f in labels["false"]}
    true_keys, false_keys, unjudged = Counter(), Counter(), Counter()
    found: set[int] = set()
    unjudged_list = []
    for name, items in findings.items():
        keys = dict.fromkeys((f["code"], f["location"]) for f in items)
        for code, location in keys:
            hits = [d for d in defects.get(name, []) if d["rule"] == code
                    and _covers(d["at"], location)]
            if hits:
                true_keys[code] += 1
                found.update(id(d) for d in hits)
            elif (name, code, location) in false:
                false_keys[code] += 1
            else:
                unjudged[code] += 1
                unjudged_list.append({"file": name, "rule": code, "location": location})
    ruled = [d for d in labels["defects"] if d["rule"] != "-"]
    rules = sorted({d["rule"] for d in ruled} | set(true_keys) | set(false_keys) | set(unjudged))
    rows = []
    for code in rules:
        tp, fp, un = true_keys[code], false_keys[code], unjudged[code]
        labelled = [d for d in ruled if d["rule"] == code]
        hit = sum(1 for d in labelled if id(d) in found)
        rows.append({
            "rule": code, "findings": tp + fp + un, "true": tp, "false": fp, "unjudged": un,
            "precision": tp / (tp + fp + un) if tp + fp + un else None,
            "defects": len(labelled), "found": hit,
            "recall": hit / len(labelled) if labelled else None,
        })
    tp, fp, un = sum(true_keys.values()), sum(false_keys.values()), sum(unjudged.values())
    blind = [d for d in ruled if d.get("seen") == "blind"]
    every = labels["defects"]
    return {
        "rules": rows,
        "overall": {
            "findings": tp + fp + un, "true": tp, "false": fp, "unjudged": un,
            "precision": tp / (tp + fp + un) if tp + fp + un else None,
            "defects": len(ruled), "found": sum(1 for d in ruled if id(d) in found),
            "recall": sum(1 for d in ruled if id(d) in found) / len(ruled) if ruled else None,
            "recall_blind_labels": (sum(1 for d in blind if id(d) in found) / len(blind)
                                    if blind else None),
            "defects_no_rule": len(every) - len(ruled),
            "recall_every_defect": (sum(1 for d in every if id(d) in found) / len(every)
                                    if every else None),
        },
        "unjudged": unjudged_list,
    }


def run_lint_bench(shared: Path, *, jobs: int = 1) -> dict[str, Any]:
    """Lint every labelled post (profile auto) and the reference post (profile sokbo)."""
    from sokbo.korean.kiwi import get_kiwi
    from sokbo.lint import lint_file
    from sokbo.lint.batch import lint_paths

    labels = load_labels()
    corpus = data_path(shared, "blogposts")
    posts = sorted(p for p in corpus.glob("*.md") if p.name != "README.md")
    get_kiwi()  # the load is not the linter's speed
    start, cpu_start = time.perf_counter(), time.process_time()
    results = lint_paths([str(p) for p in posts], profile=labels["profile"], jobs=jobs)
    seconds = time.perf_counter() - start
    # per core: the CPU time of this process (with --jobs 1 all the linting runs here), so a
    # machine busy with other work does not lower the figure
    cpu = time.process_time() - cpu_start if jobs == 1 else None
    findings = {Path(r.path).name: [f.to_dict() for f in r.result.findings]
                for r in results if r.result is not None}
    report: dict[str, Any] = {
        "corpus": str(corpus), "posts": len(findings), "profile": labels["profile"],
        "jobs": jobs, "seconds": round(seconds, 2),
        "posts_per_second": round(len(findings) / seconds, 1) if seconds else None,
        "cpu_seconds": round(cpu, 2) if cpu is not None else None,
        "posts_per_cpu_second": round(len(findings) / cpu, 1) if cpu else None,
        **score(findings, labels),
    }
    reference = shared / "reference" / "seed-post.html"
    if reference.exists():
        codes = sorted({f.code for f in lint_file(reference, profile="sokbo").findings})
        report["reference"] = {
            "expected": list(EXPECTED_REFERENCE), "found": codes,
            "missing": sorted(set(EXPECTED_REFERENCE) - set(codes)),
            "extra": sorted(set(codes) - set(EXPECTED_REFERENCE)),
        }
    return report


def tables(report: dict[str, Any]) -> list[Any]:
    from rich.table import Table

    table = Table(title=f"sokbo lint on {report['posts']} real posts (profile "
                        f"{report['profile']}): precision and recall per rule")
    for col in ("rule", "findings", "true", "false", "unjudged", "precision", "defects",
                "found", "recall"):
        table.add_column(col, justify="left" if col == "rule" else "right")
    for row in [*report["rules"], {"rule": "all", **report["overall"]}]:
        table.add_row(row["rule"], str(row["findings"]), str(row["true"]), str(row["false"]),
                      str(row["unjudged"]), pct(row["precision"]), str(row["defects"]),
                      str(row["found"]), pct(row["recall"]))
    return [table]


def notes(report: dict[str, Any]) -> list[str]:
    o = report["overall"]
    lines = [
        f"recall over the defects labelled before the new rules existed: "
        f"{pct(o['recall_blind_labels'])}; over every defect, those no rule addresses "
        f"included ({o['defects_no_rule']}): {pct(o['recall_every_defect'])}",
        f"{report['posts_per_second']} posts/s with {report['jobs']} process(es) after the Kiwi "
        f"load ({report['seconds']} s wall clock)",
    ]
    if report.get("posts_per_cpu_second"):
        lines.append(f"{report['posts_per_cpu_second']} posts per CPU second on one core "
                     f"({report['cpu_seconds']} s of CPU for {report['posts']} posts)")
    ref = report.get("reference")
    if ref:
        lines.append(f"reference post (profile sokbo): expected {', '.join(ref['expected'])}; "
                     f"missing {', '.join(ref['missing']) or 'none'}; extra "
                     f"{', '.join(ref['extra']) or 'none'}")
    if o["unjudged"]:
        lines.append(f"{o['unjudged']} findings are unjudged (counted as false): label them in "
                     "sokbo/data/lint-labels.json")
    return lines
