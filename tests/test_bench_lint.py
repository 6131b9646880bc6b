"""`sokbo bench lint`: scoring against the labels, and the judged corpus when ../shared is there."""
from __future__ import annotations

import pytest
from conftest import shared_dir

from sokbo.bench.lint import load_labels, run_lint_bench, score

LABELS = {
    "defects": [
        {"file": "a.md", "rule": "SB401", "at": "line 9", "seen": "blind"},
        {"file": "a.md", "rule": "SB109", "at": "lines 20-30", "seen": "blind"},
        {"file": "a.md", "rule": "SB305", "at": "post", "seen": "review"},
        {"file": "b.md", "rule": "SB501", "at": "front-matter:excerpt", "seen": "blind"},
        {"file": "b.md", "rule": "-", "at": "line 3", "seen": "blind"},
    ],
    "false": [{"file": "b.md", "rule": "SB104", "at": "line 5"}],
}


def finding(code: str, location: str) -> dict[str, str]:
    return {"code": code, "location": location}


def test_score_keys_ranges_and_unjudged() -> None:
    findings = {
        "a.md": [finding("SB401", "line 9"), finding("SB401", "line 9"),  # one key
                 finding("SB109", "line 24"), finding("SB305", "line 40")],
        "b.md": [finding("SB104", "line 5"), finding("SB501", "front-matter:title"),
                 finding("SB108", "line 7")],
    }
    report = score(findings, LABELS)
    rows = {r["rule"]: r for r in report["rules"]}
    assert (rows["SB401"]["true"], rows["SB401"]["findings"]) == (1, 1)
    assert rows["SB109"]["found"] == 1 and rows["SB305"]["recall"] == 1.0
    assert rows["SB104"]["false"] == 1 and rows["SB104"]["precision"] == 0.0
    assert rows["SB501"]["recall"] == 0.0 and rows["SB501"]["unjudged"] == 1  # wrong key
    o = report["overall"]
    assert (o["true"], o["false"], o["unjudged"], o["findings"]) == (3, 1, 2, 6)
    assert o["defects"] == 4 and o["found"] == 3 and o["defects_no_rule"] == 1
    assert o["recall_blind_labels"] == 2 / 3
    assert {u["rule"] for u in report["unjudged"]} == {"SB501", "SB108"}


def test_labels_hold_no_post_text() -> None:
    import json
    import re

    labels = load_labels()
    text = json.dumps(labels, ensure_ascii=False)
    assert not re.search(r"[가-힣]", text)  # keys and English notes only
    assert len({d["file"] for d in labels["defects"]}) == 80
    assert all(re.fullmatch(r"post|front-matter:\w+|lines? \d+(-\d+)?", d["at"])
               for d in labels["defects"])


@pytest.mark.slow
def test_judged_corpus() -> None:
    shared = shared_dir()
    if not (shared / "data" / "blogposts").is_dir():
        pytest.skip(f"no judged corpus at {shared}/data/blogposts")
    report = run_lint_bench(shared)
    # every finding is judged: a changed rule must have its findings labelled
    assert report["unjudged"] == []
    assert report["overall"]["precision"] >= 0.9
    assert report["overall"]["recall"] >= 0.8
    assert report["reference"]["missing"] == []
