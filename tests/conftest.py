"""Shared fixtures: a clean environment, one demo run per session, paths to ../shared."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


def shared_dir() -> Path:
    return Path(os.environ.get("SOKBO_SHARED") or REPO.parent / "shared")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    # httpx honours proxy variables (HTTP_PROXY, no_proxy, …): none may see loopback test traffic
    for key in list(os.environ):
        if (key.startswith("SOKBO_") and key != "SOKBO_SHARED") or key.lower().endswith("_proxy"):
            monkeypatch.delenv(key, raising=False)
    # internal-error tracebacks (sokbo.crashlog) go to the test session's temp dir, not ~/.local
    monkeypatch.setenv("SOKBO_LOG_DIR", str(tmp_path_factory.getbasetemp() / "crash-logs"))
    # one process per run unless a test asks for workers (2 cores shared by the whole suite;
    # a test's monkeypatch does not reach a worker process)
    monkeypatch.setenv("SOKBO_JOBS", "1")


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A writable copy of the bundled demo corpus."""
    from sokbo.ingest import demo_feed

    dest = tmp_path_factory.mktemp("demo") / "corpus"
    shutil.copytree(demo_feed().parent, dest)
    return dest


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory):
    """`sokbo run` on the bundled demo corpus, once per test session: (settings, report)."""
    from sokbo.config import load_settings
    from sokbo.pipeline import run_pipeline

    out = tmp_path_factory.mktemp("demo-run") / "out"
    settings = load_settings().with_overrides(out_dir=out)
    return settings, run_pipeline(settings)


@pytest.fixture
def site():
    """A fictional news site (feeds and pages) served over real HTTP on 127.0.0.1."""
    from loopback import LoopbackServer
    from newssite import news_site

    with LoopbackServer() as srv:
        yield news_site(srv)


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server of the test session (tests/pgserver.py); skipped without one."""
    from pgserver import PostgresServer, find_bindir

    bindir = find_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (make test installs Debian's postgresql)")
    server = PostgresServer(bindir).start()
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server) -> str:
    """A fresh, empty PostgreSQL database: its URL."""
    return pg_server.new_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def state_target(request: pytest.FixtureRequest, tmp_path: Path) -> str | Path:
    """Each backend in turn: an SQLite file, then a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return tmp_path / "state" / "sokbo.db"
    return request.getfixturevalue("pg_url")


def pytest_terminal_summary(terminalreporter) -> None:
    """The kill test's kills → outcome table, when it ran (see test_kill.py)."""
    import sys

    kill = sys.modules.get("test_kill")
    if kill is not None and kill.OUTCOMES:
        terminalreporter.write_sep("-", "kill -9 → outcome")
        terminalreporter.write_line(kill.kills_table())
