"""Atomic writes: files a web server can read (0644 under the usual umask), and nothing left
behind: temp files of killed writers are removed next time."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sokbo.fsutil import (
    atomic_write_bytes,
    atomic_write_text,
    current_umask,
    remove_stale_temp_files,
)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask():
    """Set the process umask for one test, then put the old one back."""
    old = os.umask(0o022)

    def set_(mask: int) -> None:
        os.umask(mask)

    yield set_
    os.umask(old)


@pytest.mark.parametrize(("mask", "file_mode", "dir_mode"), [
    (0o022, 0o644, 0o755),
    (0o027, 0o640, 0o750),
    (0o077, 0o600, 0o700),
])
def test_new_files_follow_the_umask(tmp_path: Path, umask, mask: int, file_mode: int,
                                    dir_mode: int) -> None:
    umask(mask)
    assert current_umask() == mask
    target = tmp_path / "out" / "_posts" / "post.html"
    atomic_write_text(target, "글")
    atomic_write_bytes(tmp_path / "out" / "assets" / "card.png", b"\x89PNG")
    assert _mode(target) == file_mode
    assert _mode(tmp_path / "out" / "assets" / "card.png") == file_mode
    assert _mode(target.parent) == dir_mode
    assert _mode(tmp_path / "out") == dir_mode
    assert target.read_text("utf-8") == "글"


def test_a_replaced_file_keeps_its_mode(tmp_path: Path, umask) -> None:
    umask(0o022)
    target = tmp_path / "post.html"
    target.write_text("old", "utf-8")
    target.chmod(0o664)
    atomic_write_text(target, "new")
    assert _mode(target) == 0o664
    assert target.read_text("utf-8") == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["post.html"]  # no temp file left


def test_pipeline_output_is_world_readable(demo_run) -> None:
    settings, report = demo_run
    files = [p.path for p in report.posts] + list((settings.out_dir / "site").rglob("*.html"))
    assert files
    if current_umask() & 0o004:
        pytest.skip("this umask keeps files from other users")
    for f in files:
        assert _mode(f) & 0o444 == 0o444, f


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _touch(path: Path, age: float = 0.0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("half a post", "utf-8")
    if age:
        past = time.time() - age
        os.utime(path, (past, past))
    return path


def test_atomic_write_names_its_temp_file_after_its_process(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch):
    seen = []
    real_replace = os.replace

    def spy(src, dst):
        seen.append(Path(src).name)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    atomic_write_text(tmp_path / "a.html", "글")
    [name] = seen
    assert name.startswith(".a.html.sokbo-") and f"-{os.getpid()}-" in name
    assert name.endswith(".tmp")
    assert [p.name for p in tmp_path.iterdir()] == ["a.html"]


def test_stale_temp_files_are_removed_anywhere_under_the_output(tmp_path: Path):
    dead = _dead_pid()
    stale = [
        _touch(tmp_path / "_posts" / f".2026-11-30-글.html.sokbo-{dead}-abc123_x.tmp"),
        _touch(tmp_path / "site" / "posts" / f".3.html.sokbo-{dead}-zz9.tmp"),
        _touch(tmp_path / "site" / f".index.html.sokbo-{dead}-q1.tmp"),
        _touch(tmp_path / f".sokbo-write-check.{dead}-k2j3"),
        _touch(tmp_path / "site" / ".style.css.abcd1234.tmp", age=3600),  # 0.1's naming, old
        _touch(tmp_path / "_posts" / f".old.html.sokbo-{os.getpid()}-q.tmp", age=7200),
    ]
    kept = [
        _touch(tmp_path / "_posts" / f".b.html.sokbo-{os.getpid()}-live1.tmp"),  # being written
        _touch(tmp_path / "site" / ".index.html.wxyz5678.tmp"),  # 0.1's naming, may be live
        _touch(tmp_path / "_posts" / ".draft.tmp"),                 # not sokbo's
        _touch(tmp_path / "_posts" / "2026-11-30-글.html"),
        _touch(tmp_path / ".git" / f".x.sokbo-{dead}-a.tmp"),        # never inside .git
    ]
    removed = remove_stale_temp_files(tmp_path)
    assert sorted(removed) == sorted(stale)
    assert all(not p.exists() for p in stale) and all(p.exists() for p in kept)


def test_a_run_removes_what_a_killed_run_left(tmp_path: Path, demo_dir: Path):
    from sokbo.config import load_settings
    from sokbo.pipeline import run_pipeline

    out = tmp_path / "out"
    dead = _dead_pid()
    left = [_touch(out / "_posts" / f".2026-11-20-AI.html.sokbo-{dead}-r4nd0m.tmp"),
            _touch(out / "site" / "posts" / f".1.html.sokbo-{dead}-r4nd0m.tmp")]
    run_pipeline(load_settings().with_overrides(out_dir=out), [str(demo_dir / "feed.xml")])
    assert not any(p.exists() for p in left)
    assert not [p for p in out.rglob("*.tmp")]
