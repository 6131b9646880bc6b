"""Atomic file writes: a reader sees the old file or the new one, never half of one.

A write goes to ``.<name>.sokbo-<pid>-<random>.tmp`` beside the target, then replaces it. A
process killed mid-write leaves that file behind; ``remove_stale_temp_files`` removes the ones
whose writer is gone (by its pid), so the next run leaves nothing behind.
"""
from __future__ import annotations

import logging
import os
import re
import stat
import tempfile
import time
from pathlib import Path

from sokbo.errors import InputError

log = logging.getLogger(__name__)

# ".name.sokbo-PID-RANDOM.tmp" (atomic_write_text) and ".sokbo-write-check.PID-RANDOM"
_OURS = re.compile(r"^\..*\.sokbo-(\d+)-[a-z0-9_]+\.tmp$|^\.sokbo-write-check\.(\d+)-[a-z0-9_]+$")
# ".name.RANDOM.tmp", written by sokbo 0.1 without a pid: removed once surely abandoned
_LEGACY = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
LEGACY_TEMP_SECONDS = 600.0
# a writer holding its temp file this long is not writing a post: whatever it is, it is stuck
ABANDONED_TEMP_SECONDS = 3600.0


def current_umask() -> int:
    """The process umask, read without changing it (``os.umask`` can only set it)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # no /proc: read it by setting it, then put it back at once
    os.umask(mask)
    return mask


def _new_file_mode(path: Path) -> int:
    """The mode a plain ``open(path, "w")`` would give: a file being replaced keeps its own
    mode; a new one gets 0666 less the umask (0644 usually), so a web server can read it."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~current_umask()


def atomic_write_bytes(path: Path, data: bytes) -> None:
    # mkstemp creates its file 0600 whatever the umask; the mode is set before the rename
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:40]}.sokbo-{os.getpid()}-", suffix=".tmp",
                               dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fchmod(f.fileno(), _new_file_mode(path))
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as e:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if isinstance(e, OSError) and e.filename is None:
            e.filename = str(path)  # "disk full: cannot write <post>", not a bare "disk full"
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Write UTF-8 text with LF line ends, atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def ensure_writable_dir(path: Path) -> None:
    """Fail early, with one line, when the output directory cannot be written."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".sokbo-write-check.{os.getpid()}-", dir=path)
        os.close(fd)
        os.unlink(tmp)
    except OSError as e:
        raise InputError(f"cannot write to output directory: {e.strerror}", source=str(path)) from e


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    except OverflowError:
        return False
    return True


def _hidden_files(root: Path, recursive: bool) -> list[Path]:
    found = []
    for folder, dirs, files in os.walk(root):
        found += [Path(folder, f) for f in files if f.startswith(".")]
        dirs[:] = [d for d in dirs if recursive and d not in (".git", "node_modules")]
    return found


def remove_stale_temp_files(root: Path, *, recursive: bool = True) -> list[Path]:
    """Remove the temp files of atomic writes that a killed process left under ``root``.

    A file is removed when the process that wrote it is gone (or it is older than an hour);
    a live writer's file is left alone. Files sokbo did not name this way are never touched.
    Returns the removed paths.
    """
    if not root.is_dir():
        return []
    now = time.time()
    removed = []
    for path in _hidden_files(root, recursive):
        m = _OURS.match(path.name)
        legacy = m is None and _LEGACY.match(path.name) is not None
        if m is None and not legacy:
            continue
        try:
            st = path.lstat()
            if path.is_symlink() or not path.is_file():
                continue
            age = now - st.st_mtime
            if m is not None:
                pid = int(m.group(1) or m.group(2))
                stale = not _alive(pid) or age > ABANDONED_TEMP_SECONDS
            else:
                stale = age > LEGACY_TEMP_SECONDS
            if stale:
                path.unlink()
                removed.append(path)
        except (OSError, ValueError):
            continue
    if removed:
        log.info("removed %d temp files left by interrupted writes under %s", len(removed), root)
    return removed
