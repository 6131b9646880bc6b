"""CLI behaviour a user sees: `sokbo post` inputs, and one-line errors with exit code 2."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA

from sokbo.cli import cli

INPUTS = DATA / "inputs"


def _post(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["post", *args])
    return result.exit_code, result.stdout, result.stderr


def _no_temp_files(out: Path) -> bool:
    return not [p for p in out.rglob("*") if p.name.endswith(".tmp") or ".sokbo-write" in p.name]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing.html", "file not found"),
        ("empty.txt", "file is empty"),
        ("binary.bin", "binary file"),
        ("no-article.html", "no article text"),
        ("english.html", "not in Korean"),
    ],
)
def test_bad_input_is_one_line_exit_2(tmp_path: Path, name: str, message: str) -> None:
    code, out, err = _post(str(INPUTS / name), "--out", str(tmp_path / "out"))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and name in lines[0]
    assert "Traceback" not in err
    assert not (tmp_path / "out" / "_posts").exists() or not any(
        (tmp_path / "out" / "_posts").iterdir())


def test_unwritable_out(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    code, _, err = _post(str(INPUTS / "article.txt"), "--out", str(blocker / "out"))
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "cannot write to output directory" in err


def test_other_inputs_still_processed(tmp_path: Path, demo_dir: Path) -> None:
    out = tmp_path / "out"
    code, stdout, err = _post(
        str(demo_dir / "hanbit-busan-wind.html"), str(INPUTS / "missing.html"),
        str(demo_dir / "onnuri-busan-wind.html"), "--out", str(out), "--json",
    )
    assert code == 2
    assert "file not found" in err and len(err.strip().splitlines()) == 1
    data = json.loads(stdout)
    assert len(data["posts"]) == 1 and len(data["posts"][0]["sources"]) == 2
    assert Path(data["posts"][0]["path"]).is_file()
    assert _no_temp_files(out)


def test_post_from_jsonl_and_text(tmp_path: Path) -> None:
    code, stdout, err = _post(str(INPUTS / "articles.jsonl"), "--out", str(tmp_path), "--json")
    assert code == 0, err
    data = json.loads(stdout)
    post = data["posts"][0]
    assert len(post["sources"]) == 2
    assert {s["source_id"] for s in post["sentences"]} <= {s["id"] for s in post["sources"]}
    code, stdout, err = _post(str(INPUTS / "article.txt"), "--out", str(tmp_path / "t"), "--json")
    assert code == 0, err
    assert json.loads(stdout)["posts"][0]["title"]


def test_post_twice_is_unchanged(tmp_path: Path) -> None:
    args = [str(INPUTS / "articles.jsonl"), "--out", str(tmp_path), "--json"]
    first = json.loads(_post(*args)[1])
    second = json.loads(_post(*args)[1])
    assert first["posts"][0]["status"] == "new"
    assert second["posts"][0]["status"] == "unchanged"
    assert second["posts"][0]["path"] == first["posts"][0]["path"]


def test_bad_config_is_one_line(tmp_path: Path) -> None:
    cfg = tmp_path / "sokbo.toml"
    cfg.write_text("[output\nformat = 'x'")
    result = CliRunner().invoke(cli, ["run", "--config", str(cfg), "--out", str(tmp_path)])
    assert result.exit_code == 2 and "invalid TOML" in result.stderr


def test_real_process_error_has_no_traceback(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOKBO_")}
    proc = subprocess.run(
        [sys.executable, "-m", "sokbo", "post", str(tmp_path / "nope.html"), "--out",
         str(tmp_path / "o")],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"sokbo: error: {tmp_path / 'nope.html'}: file not found"


def test_every_command_has_help_with_an_example() -> None:
    import click

    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    ctx = click.Context(cli)
    for name in cli.list_commands(ctx):
        assert name in result.stdout
        command = cli.get_command(ctx, name)
        assert command is not None, name
        commands = [command]
        if isinstance(command, click.Group):
            commands += [command.get_command(ctx, n) for n in command.list_commands(ctx)]
        for c in commands:
            assert c.help and "Example:" in c.help, f"{name} {c.name} needs help with an example"
        assert name in README, f"README documents `sokbo {name}`"


README = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")


def test_help_is_fast_to_import() -> None:
    """`sokbo --help` must not import the heavy libraries."""
    code = ("import sys, sokbo.cli; heavy = {'kiwipiepy', 'trafilatura', 'sklearn', 'numpy', "
            "'starlette', 'feedparser'} & set(sys.modules); print(sorted(heavy))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert proc.stdout.strip() == "[]", proc.stdout + proc.stderr
