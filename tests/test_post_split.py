"""`sokbo post` with inputs that are not one story: one post per story, and a note."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from sokbo.cli import cli
from sokbo.config import load_settings
from sokbo.ingest import demo_feed
from sokbo.pipeline import post_inputs

DEMO = demo_feed().parent


def _settings(tmp_path: Path):
    return load_settings().with_overrides(out_dir=tmp_path / "out")


def test_unrelated_inputs_give_one_post_each_and_say_so(tmp_path: Path) -> None:
    wind, satellite = DEMO / "hanbit-busan-wind.html", DEMO / "mirae-satellite-badabyeol.html"
    report = post_inputs(_settings(tmp_path), [str(wind), str(satellite)])
    assert len(report.posts) == 2 and not report.errors
    assert report.notes and "2 different stories" in report.notes[0]
    assert report.to_dict()["notes"] == report.notes
    for post in report.posts:
        assert len(post.articles) == 1


def test_one_story_forces_a_single_post(tmp_path: Path) -> None:
    wind, satellite = DEMO / "hanbit-busan-wind.html", DEMO / "mirae-satellite-badabyeol.html"
    report = post_inputs(_settings(tmp_path), [str(wind), str(satellite)], one_story=True)
    assert len(report.posts) == 1 and not report.notes
    assert len(report.posts[0].articles) == 2


def test_one_storys_articles_stay_together(tmp_path: Path) -> None:
    files = [DEMO / "hanbit-busan-wind.html", DEMO / "onnuri-busan-wind.html"]
    report = post_inputs(_settings(tmp_path), [str(f) for f in files])
    assert len(report.posts) == 1 and not report.notes


def test_cli_prints_the_note_and_exits_0(tmp_path: Path) -> None:
    wind, satellite = DEMO / "hanbit-busan-wind.html", DEMO / "mirae-satellite-badabyeol.html"
    result = CliRunner().invoke(cli, ["post", str(wind), str(satellite), "--out",
                                      str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "sokbo post: note:" in result.stderr and "--one-story" in result.stderr
    result = CliRunner().invoke(cli, ["post", "--one-story", str(wind), str(satellite),
                                      "--out", str(tmp_path / "out2")])
    assert result.exit_code == 0 and "note:" not in result.stderr
