"""Atomic writes leave files a web server can read (0644 under the usual umask)."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from sokbo.fsutil import atomic_write_bytes, atomic_write_text, current_umask


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
