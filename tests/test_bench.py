"""sokbo bench extract / cluster: the scoring functions on hand-made inputs, and one run of each
bench on a subset of ../shared/data when it is there (skipped otherwise)."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import shared_dir

from sokbo.bench.cluster import bcubed, folds, held_out
from sokbo.bench.common import find_shared
from sokbo.bench.extract import bigram_f1, seoul_day
from sokbo.cli_bench import bench_group
from sokbo.errors import InputError

SHARED = shared_dir()
HAVE_HTML = (SHARED / "data" / "html" / "gold").is_dir()
HAVE_CLUSTERS = (SHARED / "data" / "clusters" / "articles.jsonl").is_file()


# -- scoring -------------------------------------------------------------------------------------

GOLD = {0: "a", 1: "a", 2: "a", 3: "b", 4: "b"}  # article 5 is unlabelled


def test_bcubed_toy_clustering() -> None:
    s = bcubed([[0, 1], [2, 3, 4], [5]], GOLD)
    # by hand: precision (1 + 1 + 1/3 + 2/3 + 2/3) / 5, recall (2/3 + 2/3 + 1/3 + 1 + 1) / 5
    assert s["precision"] == pytest.approx(11 / 15, abs=1e-4)
    assert s["recall"] == pytest.approx(11 / 15, abs=1e-4)
    assert s["f1"] == pytest.approx(11 / 15, abs=1e-4)
    assert s["strict_precision"] == s["precision"]


def test_bcubed_restricts_to_labelled_but_strict_does_not() -> None:
    s = bcubed([[0, 1, 5], [2, 3, 4]], GOLD)
    assert s["precision"] == pytest.approx(11 / 15, abs=1e-4)  # article 5 is ignored …
    assert s["strict_precision"] == pytest.approx(3 / 5, abs=1e-4)  # … unless strict


def test_bcubed_perfect_and_all_in_one() -> None:
    assert bcubed([[0, 1, 2], [3, 4]], GOLD)["f1"] == 1.0
    lumped = bcubed([[0, 1, 2, 3, 4]], GOLD)
    assert lumped["recall"] == 1.0 and lumped["precision"] == pytest.approx(13 / 25, abs=1e-4)


def test_bcubed_over_some_events() -> None:
    s = bcubed([[0, 1], [2, 3, 4]], GOLD, events={"b"})
    assert s["recall"] == 1.0 and s["precision"] == pytest.approx(2 / 3, abs=1e-4)


def test_held_out_picks_threshold_on_the_other_fold() -> None:
    gold = {0: "a", 1: "a", 2: "b", 3: "b"}
    cuts = {0.1: [[0, 1, 2, 3]], 0.2: [[0, 1], [2, 3]], 0.3: [[0], [1], [2], [3]]}
    result = held_out(cuts, gold, ["a", "b"])
    assert [f["threshold"] for f in result["folds"]] == [0.2, 0.2]
    assert result["f1"] == 1.0
    assert folds(["a", "b", "c"]) == [({"a", "c"}, {"b"}), ({"b"}, {"a", "c"})]


@pytest.mark.parametrize(
    ("pred", "gold", "f1"),
    [
        ("가나다", "가나다", 1.0),
        ("가나다", "가나라", 0.5),  # {가나, 나다} vs {가나, 나라}
        ("가나  다\n", " 가나 다", 1.0),  # whitespace collapsed first
        ("가가가", "가가", 2 / 3),  # multisets: {가가 ×2} vs {가가}
        ("", "가나", 0.0),
    ],
)
def test_bigram_f1(pred: str, gold: str, f1: float) -> None:
    assert bigram_f1(pred, gold) == pytest.approx(f1)


def test_seoul_day() -> None:
    assert seoul_day(datetime(2023, 4, 19, 22, 35, tzinfo=timezone.utc)) == "2023-04-20"
    assert seoul_day("2023-04-19T22:35:45Z") == "2023-04-20"
    assert seoul_day("2023-04-19") == "2023-04-19"  # a bare day is taken as it is
    assert seoul_day(None) is None and seoul_day("soon") is None


# -- finding the data ----------------------------------------------------------------------------

def test_missing_shared_dir_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--shared DIR or set SOKBO_SHARED"):
        find_shared(tmp_path / "nowhere")


def test_env_var_names_the_shared_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "data").mkdir()
    monkeypatch.setenv("SOKBO_SHARED", str(tmp_path))
    assert find_shared() == tmp_path


@pytest.mark.parametrize("command", ["extract", "cluster"])
def test_missing_data_is_one_line_exit_2(tmp_path: Path, command: str) -> None:
    (tmp_path / "data").mkdir()
    result = CliRunner().invoke(bench_group, [command, "--shared", str(tmp_path)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "benchmark data missing" in lines[0]
    assert "Traceback" not in result.output


# -- one run of each bench on a subset -----------------------------------------------------------

EXTRACT_PAGES = ("kbs_01", "sbs_08", "chosun_03", "yonhapnewstv_05", "mbn_01")


@pytest.fixture
def small_shared(tmp_path: Path) -> Path:
    """A shared/ folder in tmp_path with a few of the real pages and part of the cluster pool
    (linked or written there for the test; nothing lands in the repository)."""
    html = tmp_path / "data" / "html"
    (html / "gold").mkdir(parents=True)
    src = SHARED / "data" / "html"
    for name in EXTRACT_PAGES:
        (html / f"{name}.html").symlink_to(src / f"{name}.html")
        (html / "gold" / f"{name}.json").symlink_to(src / "gold" / f"{name}.json")
    clusters = tmp_path / "data" / "clusters"
    clusters.mkdir()
    events = (SHARED / "data" / "clusters" / "clusters.jsonl").read_text("utf-8")
    (clusters / "clusters.jsonl").write_text(events, "utf-8")
    labelled = {m for line in events.splitlines() if line.strip()
                for m in json.loads(line)["members"]}
    rows = (SHARED / "data" / "clusters" / "articles.jsonl").read_text("utf-8").splitlines()
    keep = [r for r in rows if json.loads(r)["id"] in labelled][:120]
    keep += [r for r in rows if json.loads(r)["id"] not in labelled][:60]
    (clusters / "articles.jsonl").write_text("\n".join(keep) + "\n", "utf-8")
    return tmp_path


@pytest.mark.skipif(not HAVE_HTML, reason="shared/data/html not present")
def test_extract_bench_on_a_subset(small_shared: Path) -> None:
    result = CliRunner().invoke(bench_group, ["extract", "--json", "--shared", str(small_shared)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["gold_pages"] == len(EXTRACT_PAGES)
    main = report["subsets"]["main"]
    assert main["sokbo"]["pages"] == len(EXTRACT_PAGES) - 1  # chosun_03 is not in the 35
    for key in ("title_exact", "body_f1", "date_correct"):
        assert main["sokbo"][key] >= main["trafilatura"][key]
    assert main["sokbo"]["body_f1"] > 0.9 and not main["sokbo"]["failed"]
    assert report["subsets"]["arc_json"]["sokbo"]["body_f1"] > 0.9
    assert main["trafilatura"]["median_ms"] > 0


@pytest.mark.skipif(not HAVE_CLUSTERS, reason="shared/data/clusters not present")
def test_cluster_bench_on_a_subset(small_shared: Path) -> None:
    result = CliRunner().invoke(bench_group, ["cluster", "--json", "--shared", str(small_shared)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["articles"] == 180 and report["labelled"] == 120
    sokbo = report["systems"]["sokbo"]
    assert sokbo["tuned"]["f1"] >= 0.9
    assert 0 <= sokbo["held_out"]["f1"] <= 1
    assert {"title n-grams", "title + 500 chars"} <= set(report["systems"])
    assert report["sokbo_time_to_kiwi_only"] > 0


@pytest.mark.skipif(not HAVE_HTML, reason="shared/data/html not present")
def test_extract_bench_table(small_shared: Path) -> None:
    result = CliRunner().invoke(bench_group, ["extract", "--shared", str(small_shared)])
    assert result.exit_code == 0, result.output
    assert "trafilatura" in result.stdout and "sokbo" in result.stdout


def test_traced_sentence_is_its_restyled_source_with_only_recorded_edits() -> None:
    from sokbo.bench.quality import rebuilt
    from sokbo.models import Slot

    restyled = "한편 군은 이날 주민 설명회를 열었습니다"
    slots = (Slot("connective", "", "a", 3, "한편 "), Slot("date", "12일", "a", 3, "이날"),
             Slot("period", ".", "a", 3))
    assert rebuilt(restyled, slots) == "군은 12일 주민 설명회를 열었습니다."
    # an edit no slot records is not traced: the post's sentence differs from the rebuilt one
    assert rebuilt(restyled, slots) != "군은 12일 주민 설명회를 두 차례 열었습니다."
    # a template's slots are not edits of a source sentence
    assert rebuilt(restyled, (Slot("outlet", "KBS", "a", -1),)) is None
