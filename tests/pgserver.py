"""A real PostgreSQL server for the tests: Debian's binaries, ``initdb`` into a temporary folder,
listening on 127.0.0.1 on a free port; one per test session (conftest's ``pg_server``).

PostgreSQL refuses to run as root: as root, the server runs (``setpriv``) as the ``postgres``
user that Debian's package creates (or a ``sokbo-pg`` user made for it).
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

__all__ = ["PostgresServer", "find_bindir"]


def find_bindir() -> Path | None:
    """The newest installed PostgreSQL's bin folder (Debian: /usr/lib/postgresql/N/bin)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name) if
                   Path(p).parent.parent.name.isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_user() -> str | None:
    """None when not root; else a user the server may run as."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "sokbo-pg"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    subprocess.run(["useradd", "--system", "--no-create-home", "sokbo-pg"], check=True,
                   capture_output=True)
    return "sokbo-pg"


class PostgresServer:
    """Start with :meth:`start`, stop with :meth:`stop`; :meth:`new_database` gives a URL."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.user = _server_user()
        self.root = Path(tempfile.mkdtemp(prefix="sokbo-pg-"))
        self.port = _free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def _cmd(self, *args: str) -> list[str]:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if not self.user:
            return cmd
        # setpriv execs in place (no parent left between us and postgres to forward signals)
        entry = pwd.getpwnam(self.user)
        return ["setpriv", f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}",
                "--init-groups", "--", *cmd]

    @property
    def admin_url(self) -> str:
        return f"postgresql://sokbo@127.0.0.1:{self.port}/postgres"

    def start(self) -> PostgresServer:
        os.chmod(self.root, 0o755)
        data, sockets = self.root / "data", self.root / "sock"
        sockets.mkdir()
        if self.user:
            shutil.chown(self.root, self.user)
            shutil.chown(sockets, self.user)
        subprocess.run(self._cmd("initdb", "-D", str(data), "-U", "sokbo", "--auth=trust",
                                 "--no-locale", "-E", "UTF8", "--no-sync"),
                       check=True, capture_output=True)
        log = open(self.root / "server.log", "wb")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen(
            self._cmd("postgres", "-D", str(data), "-k", str(sockets), "-p", str(self.port),
                      "-h", "127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
                      "-c", "full_page_writes=off", "-c", "max_connections=60"),
            stdout=log, stderr=subprocess.STDOUT)
        log.close()
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 60.0) -> None:
        import psycopg

        deadline = time.monotonic() + timeout
        while True:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError("postgres exited: " + self.log_tail())
            try:
                psycopg.connect(self.admin_url, connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise RuntimeError("postgres did not start: " + self.log_tail()) from None
                time.sleep(0.1)

    def log_tail(self) -> str:
        try:
            return (self.root / "server.log").read_text("utf-8", "replace")[-2000:]
        except OSError:
            return ""

    def new_database(self) -> str:
        """A fresh, empty database on the server: its URL."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return f"postgresql://sokbo@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # "fast" shutdown
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.root, ignore_errors=True)
