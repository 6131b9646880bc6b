"""Every editor metric over one suite of `sokbo post` runs, with the offenders behind it."""
from __future__ import annotations

import re
import statistics
from collections import Counter
from typing import Any

from sokbo.bench.editor.boilerplate import find_boilerplate
from sokbo.bench.editor.coherence import dangling
from sokbo.bench.editor.headings import check_headings, check_highlights
from sokbo.bench.editor.morph import analyse_many
from sokbo.bench.editor.overlap import excerpt_body_overlap, excerpt_card_overlap, repeats
from sokbo.bench.editor.runner import PostRun
from sokbo.bench.editor.speech import classify
from sokbo.bench.editor.titles import sources_defects, title_defects
from sokbo.bench.editor.view import PostView

# what the "done when" asks of each share (used for the table's last column)
TARGETS = {"yield": ">= 95 %", "not_hapsyo": "<= 1 %", "boilerplate": "0",
           "dangling": "<= 2 %", "heading_phrase": ">= 80 %", "highlight_cuts": "0",
           "excerpt_card_overlap_max": "<= 1", "title_defects": "0"}
SKIP_FRONT_KEYS = {"sources", "date", "image", "excerpt", "feature_text"}


def share(n: int, d: int) -> float | None:
    return round(n / d, 4) if d else None


def refusal_reason(error: str) -> str:
    """An error line without its input and numbers: one row per kind of refusal."""
    reason = error.split(": ", 1)[1] if re.match(r"^\S+: ", error) else error
    return re.sub(r"\d+", "N", reason)


def _scan_units(view: PostView) -> list[tuple[str, str]]:
    """(where, text) of every piece of the post a reader sees, front matter included, except
    the citation list (source titles are quoted there verbatim, as a citation should)."""
    out = [("title", view.title)]
    out += [("excerpt", u.text) for u in view.flow("excerpt")]
    for key, value in view.front.items():
        if key in SKIP_FRONT_KEYS or key == "title":
            continue
        values = value if isinstance(value, list) else [value]
        out += [(f"front:{key}", str(v)) for v in values if isinstance(v, str | int | float)]
    for b in view.blocks:
        if b.kind in ("subtitle", "heading"):
            out.append((b.kind, b.text))
    out += [(u.where, u.text) for u in view.body_units]
    return [(w, t) for w, t in out if t.strip()]


def measure_suite(runs: list[PostRun]) -> dict[str, Any]:
    """All metrics of one suite (pages alone, stories, summ/dev) as a JSON-able dict."""
    with_text = [r for r in runs if r.has_text]
    written = [r for r in with_text if r.posts]
    views = [v for r in runs for v in r.views()]
    analyse_many([u.text for v in views for u in v.units])  # one Kiwi pass warms the cache

    m: dict[str, Any] = {"inputs": len(runs), "with_text": len(with_text),
                         "written": len(written), "posts": len(views),
                         "yield": share(len(written), len(with_text))}
    m["no_text"] = [r.name for r in runs if not r.has_text]
    m["refused"] = [{"input": r.name, "why": "; ".join(r.errors)} for r in with_text
                    if not r.posts]
    m["refusal_reasons"] = dict(Counter(refusal_reason(e["why"]) for e in m["refused"]))

    # speech level of body sentences (excerpt, cards, key lines, sections)
    judged = quote_only = 0
    off_speech = []
    for v in views:
        for u in v.units:
            c = classify(u.text)
            if c["level"] == "quote-only":
                quote_only += 1
                continue
            judged += 1
            if c["level"] != "합쇼체":
                off_speech.append({"post": v.name, "where": u.where, "level": c["level"],
                                   "ending": c["ending"], "sentence": u.text})
    m["sentences"] = sum(len(v.units) for v in views)
    m["not_hapsyo"] = {"share": share(len(off_speech), judged), "count": len(off_speech),
                       "judged": judged, "quote_only": quote_only,
                       "by_level": dict(Counter(o["level"] for o in off_speech)),
                       "offenders": off_speech}

    # page boilerplate anywhere in the post
    scanned = 0
    off_bp = []
    for v in views:
        for where, text in _scan_units(v):
            scanned += 1
            for kind, hit in find_boilerplate(text):
                off_bp.append({"post": v.name, "where": where, "kind": kind, "match": hit,
                               "text": text})
    units_hit = len({(o["post"], o["where"], o["text"]) for o in off_bp})
    m["boilerplate"] = {"share": share(units_hit, scanned), "count": units_hit,
                        "scanned": scanned, "by_kind": dict(Counter(o["kind"] for o in off_bp)),
                        "offenders": off_bp}

    # dangling references
    n_dangling = n_leaning = 0
    off_dangling: list[dict[str, Any]] = []
    for v in views:
        d, lean, bad = dangling(v)
        n_dangling, n_leaning = n_dangling + d, n_leaning + lean
        off_dangling += bad
    m["dangling"] = {"share": share(n_dangling, m["sentences"]), "count": n_dangling,
                     "leaning": n_leaning, "offenders": off_dangling}
    unattributed = [{"post": v.name, "where": u.where, "sentence": u.text}
                    for v in views for u in v.units if u.source_id is None]
    m["unattributed"] = {"count": len(unattributed), "offenders": unattributed}

    # headings and highlights
    h = {"headings": 0, "phrases": 0, "frame_only": 0, "not_phrase": [], "negation_dropped": [],
         "shared_head": []}
    hl_total = 0
    hl_bad: list[dict[str, Any]] = []
    for v in views:
        r = check_headings(v)
        for k in h:
            h[k] += r[k]
        t, bad = check_highlights(v)
        hl_total += t
        hl_bad += bad
    m["heading_phrase"] = {"share": share(h["phrases"], h["headings"]), **h}
    m["highlight_cuts"] = {"count": len(hl_bad), "highlights": hl_total, "offenders": hl_bad}

    # excerpt/card overlap and repeats
    overlaps, shared_offenders, rep = [], [], []
    for v in views:
        n, shared = excerpt_card_overlap(v)
        overlaps.append(n)
        if n:
            shared_offenders.append({"post": v.name, "shared": shared})
        rep += repeats(v)
    m["excerpt_card_overlap"] = {
        "max": max(overlaps) if overlaps else None,
        "mean": round(statistics.fmean(overlaps), 2) if overlaps else None,
        "posts_over_1": sum(1 for n in overlaps if n > 1), "offenders": shared_offenders}
    m["repeats"] = {"count": len(rep), "offenders": rep}
    retold = [excerpt_body_overlap(v) for v in views]
    m["excerpt_body_overlap"] = {
        "max": max((n for n, _ in retold), default=None),
        "mean": round(statistics.fmean(n for n, _ in retold), 2) if retold else None,
        "posts_over_1": sum(1 for n, _ in retold if n > 1),
        "offenders": [{"post": v.name, "shared": shared}
                      for v, (n, shared) in zip(views, retold, strict=True) if n]}

    # titles and sources line
    tdef = [d for v in views for d in title_defects(v)]
    m["title_defects"] = {"count": len(tdef), "posts": len({d["post"] for d in tdef}),
                          "by_kind": dict(Counter(d["defect"] for d in tdef)), "offenders": tdef}
    sdef = [d for v in views for d in sources_defects(v)]
    m["sources_defects"] = {"count": len(sdef), "by_kind": dict(Counter(d["defect"] for d in sdef)),
                            "offenders": sdef}
    lint_errors = [{"post": v.name, "code": f.get("code"), "message": f.get("message_en")}
                   for v in views for f in v.result.get("findings") or []
                   if isinstance(f, dict) and f.get("severity") == "error"]
    m["lint_errors"] = {"count": len(lint_errors), "offenders": lint_errors}
    return m


MIX_WORDS = ("story", "stories", "unrelated", "mixed", "one-story", "topic", "split")


def measure_pairs(runs: list[PostRun]) -> dict[str, Any]:
    """Unrelated pages given together: one post holding both = merged; merged with nothing in
    the result saying so (an error, a warning, a finding about the story) = merged silently."""
    rows = []
    for r in runs:
        if not r.has_text:
            continue
        src_ids = set(r.sources)
        merged = any(src_ids <= {str(s.get("id")) for s in entry.get("sources") or []}
                     for entry, _ in r.posts)
        said = [str(x) for x in (r.result.get("warnings") or []) + (r.result.get("notes") or [])]
        said += [e for e in r.errors]
        for entry, _ in r.posts:
            for f in entry.get("findings") or []:
                text = f"{f.get('name', '')} {f.get('message_en', '')}".lower()
                if any(w in text for w in MIX_WORDS):
                    said.append(text)
        rows.append({"inputs": r.name, "posts": len(r.posts), "merged": merged,
                     "flagged": bool(said), "said": said[:3]})
    merged = [x for x in rows if x["merged"]]
    return {"pairs": len(rows), "merged": len(merged),
            "merged_silently": sum(1 for x in merged if not x["flagged"]),
            "split": sum(1 for x in rows if x["posts"] >= 2), "rows": rows}
