"""sokbo bench scale: its building blocks, and one small run on part of ../shared/data/clusters
(skipped when it is not there)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import shared_dir

from sokbo.bench.scale import fit_exponent, in_fresh_process, synthetic_items
from sokbo.cli_bench import bench_group
from sokbo.cluster.terms import day_of

SHARED = shared_dir()
HAVE_CLUSTERS = (SHARED / "data" / "clusters" / "articles.jsonl").is_file()


@pytest.mark.parametrize("exponent", [0.0, 0.5, 1.0, 2.0])
def test_fit_exponent_recovers_a_power_law(exponent: float) -> None:
    sizes = [1_000, 10_000, 100_000]
    assert fit_exponent(sizes, [3.0 * n**exponent for n in sizes]) == pytest.approx(exponent)
    assert fit_exponent([1_000], [1.0]) is None


def test_synthetic_items_keep_pace_and_can_be_continued() -> None:
    terms = [(("부산", 1),), (("축제", 2),), (("수출", 1),)]
    items = list(synthetic_items(terms, 250, per_day=100))
    assert len({it.id for it in items}) == 250
    assert len({day_of(it.time) for it in items}) in (3, 4)  # 2.5 days of KST calendar days
    assert [it.time for it in items] == sorted(it.time for it in items)
    tail = list(synthetic_items(terms, 50, per_day=100, start=200))
    assert tail == items[200:], "the stream continues where a smaller store stopped"


def _sum_of_squares(n: int) -> dict[str, int]:
    return {"value": sum(k * k for k in range(n))}


def test_in_fresh_process_reports_its_peak_rss() -> None:
    result = in_fresh_process(_sum_of_squares, 10)
    assert result["value"] == 285 and result["peak_rss_mb"] > 5


@pytest.fixture
def small_clusters(tmp_path: Path) -> Path:
    """A shared/ folder with the first 120 articles of data/clusters (written for the test)."""
    clusters = tmp_path / "data" / "clusters"
    clusters.mkdir(parents=True)
    rows = (SHARED / "data" / "clusters" / "articles.jsonl").read_text("utf-8").splitlines()
    (clusters / "articles.jsonl").write_text("\n".join(rows[:120]) + "\n", "utf-8")
    return tmp_path


@pytest.mark.skipif(not HAVE_CLUSTERS, reason="shared/data/clusters not present")
def test_scale_bench_on_small_stores(small_clusters: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(bench_group, [
        "scale", "--json", "--shared", str(small_clusters), "--sizes", "60,240",
        "--per-day", "40", "--work", str(tmp_path), "--part", "cluster"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    clu = report["cluster"]
    assert 100 <= report["source_texts"] <= 120  # the usable ones, as a run keeps them
    assert [s["articles"] for s in clu["sizes"]] == [60, 240]
    for s in clu["sizes"]:
        assert s["add_replayed_days"] == [1] * 5, "adding to the last day redoes that day"
        assert s["build_peak_rss_mb"] > 0 and s["add_median_seconds"] > 0
        assert 0 < s["stories"] <= s["articles"]
    assert clu["incremental_equals_scratch"] is True
    assert isinstance(clu["add_growth_exponent"], float)
    assert [b["articles"] for b in clu["baseline_one_linkage"]] == [60, 240]
    assert not list(tmp_path.glob("sokbo-scale-*")), "the temporary stores are removed"


def test_unknown_part_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "data" / "clusters").mkdir(parents=True)
    (tmp_path / "data" / "clusters" / "articles.jsonl").write_text("", "utf-8")
    result = CliRunner().invoke(bench_group, ["scale", "--shared", str(tmp_path),
                                              "--part", "nope"])
    assert result.exit_code == 2
    assert "unknown scale part: nope" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.skipif(not HAVE_CLUSTERS, reason="shared/data/clusters not present")
def test_scale_bench_pipeline_parts_on_tiny_stores(small_clusters: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from sokbo.bench import scale_run

    monkeypatch.setattr(scale_run, "NEW", 3)
    monkeypatch.setattr(scale_run, "REPEAT", 1)
    monkeypatch.setattr(scale_run, "E2E_ARTICLES", 4)
    monkeypatch.setattr(scale_run, "E2E_REPEAT", 2)
    result = CliRunner().invoke(bench_group, [
        "scale", "--json", "--shared", str(small_clusters), "--sizes", "40",
        "--per-day", "30", "--work", str(tmp_path), "--part", "run", "--part", "e2e",
        "--part", "first", "--first-articles", "40"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    run, e2e, first = report["run"], report["e2e"], report["first"]
    assert [r["articles"] for r in run["sizes"]] == [0, 40]
    for r in run["sizes"]:
        assert r["errors"] == 0 and min(r["posts"]) >= 1 and r["add_peak_rss_mb"] > 0
        assert r["articles"] == 0 or r["store_mb"] > 0
    assert run["largest_over_empty"] > 0
    assert e2e["jobs_1"]["articles"] == e2e["jobs_1_cold"]["articles"] == 4
    assert e2e["jobs_2_cold"]["articles"] == 4
    # each kind run twice, the fastest reported
    assert {k: len(v) for k, v in e2e["seconds"].items()} == dict.fromkeys(
        ("kiwi_only", "jobs_1", "cold_1", "cold_2"), 2)
    assert e2e["jobs_1"]["seconds"] == min(e2e["seconds"]["jobs_1"])
    assert e2e["kiwi_only"]["seconds"] == min(e2e["seconds"]["kiwi_only"])
    assert e2e["kiwi_only"]["tokens"] > 0 and e2e["ratio_to_kiwi_only"] > 1
    assert e2e["jobs_2_speedup"] > 0 and e2e["jobs_2_speedup_cpu_estimate"] > 0
    one, two = first["jobs_1"], first["jobs_2"]
    assert one["articles"] == two["articles"] == 40 and one["posts"] == two["posts"] > 0
    assert one["errors"] == two["errors"] == 0
    # the workers ran in processes of their own, counted though they are not the run's children
    assert two["workers_cpu_seconds"] > 0 and two["workers_peak_rss_mb"] > 100
    assert first["peak_rss_mb"] >= one["peak_rss_mb"] > 100


def test_first_run_inputs_are_distinct_and_keep_neighbours_together() -> None:
    import json

    from sokbo.bench.scale_run import first_lines

    sources = [(f"제목 {i}", f"본문 {i}", "가상일보", "[]", ()) for i in range(7)]
    rows = [json.loads(x) for x in first_lines(sources, 30, per_day=3)]
    assert len({r["url"] for r in rows}) == 30
    assert len({(r["title"], r["text"]) for r in rows}) == 30, "every content hash differs"
    assert [r["text"] for r in rows[:7]] == [s[1] for s in sources], "file order kept"
    assert rows[7]["title"] == "[종합] 제목 0" and rows[0]["title"] == "제목 0"
    assert [r["published"] for r in rows] == sorted(r["published"] for r in rows)
