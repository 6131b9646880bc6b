"""Run a command that sees one folder read-only, the way a user's read-only disk looks.

Permission bits do not stop root (CI may run as root), so as root the folder is bind-mounted
read-only inside a private mount namespace (``unshare``) that only the command sees; as
another user, ``chmod`` is enough.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

_MOUNT = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'


def _unshare_works(path: Path) -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", _MOUNT + " 2>/dev/null", str(path),
                            "true"], capture_output=True, timeout=30, check=False)
    return probe.returncode == 0


@contextmanager
def read_only(path: Path) -> Iterator[list[str]]:
    """A command prefix under which ``path`` (and everything in it) is read-only."""
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [path, *path.rglob("*")]}
        for p in modes:
            p.chmod(0o555 if p.is_dir() else 0o444)
        try:
            yield []
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
        return
    if not _unshare_works(path):
        pytest.skip("running as root without unshare/mount namespaces: cannot make a "
                    "folder read-only for root")
    yield ["unshare", "-rm", "sh", "-c", _MOUNT, str(path)]


def run_read_only(path: Path, argv: Sequence[str], **kw) -> subprocess.CompletedProcess[str]:
    with read_only(path) as prefix:
        return subprocess.run([*prefix, *argv], capture_output=True, text=True, check=False,
                              **kw)
