"""`sokbo watch`: intervals, runs on a schedule, a clean stop on SIGINT/SIGTERM, and no loss or
duplicate after a real `python -m sokbo watch` is killed with SIGKILL mid-run."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from loopback import LoopbackServer, Reply
from newssite import (
    DEMO,
    FEEDS,
    assert_consistent_db,
    assert_no_unsafe_markup,
    fast_settings,
    post_files,
    write_config,
)

from sokbo.cli import cli
from sokbo.errors import ConfigError, StoreError
from sokbo.pipeline import run_pipeline
from sokbo.watch import StopSignal, parse_interval, watch, watch_lock

FESTIVAL = (DEMO / "donghae-gangneung-festival.html").read_bytes()



@pytest.mark.parametrize(("text", "seconds"), [
    ("30s", 30), ("10m", 600), ("1h", 3600), ("1h30m", 5400), ("2m30s", 150), ("45", 45),
    ("0.5s", 0.5), (" 10M ", 600),
])
def test_parse_interval(text: str, seconds: float) -> None:
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "10x", "m", "0s", "0", "-5m", "10 minutes", "1h-30m"])
def test_parse_interval_rejects(text: str) -> None:
    with pytest.raises(ConfigError):
        parse_interval(text)


def test_bad_every_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["watch", "--every", "soon", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "invalid interval 'soon'" in result.stderr and "Traceback" not in result.stderr


def test_watch_runs_on_schedule_and_prints_a_line_per_run(site: LoopbackServer,
                                                           tmp_path: Path) -> None:
    site.route_reply("/fault.html", Reply(status=500))
    out = tmp_path / "out"
    started = time.monotonic()
    result = CliRunner().invoke(cli, [
        "watch", "--config", str(write_config(tmp_path, retries=0)), "--feed",
        site.url("/fault.xml"), "--out", str(out), "--every", "1s", "--max-runs", "2"])
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started >= 1.0, "the second run waits for its slot"
    lines = result.stdout.splitlines()
    runs = [ln for ln in lines if "] run " in ln]
    assert len(runs) == 2
    assert "run 1: 1 new posts, 0 updated, 0 unchanged; " in runs[0]
    assert "fetched 3, not modified 0, already stored 0, failed 1; next run at" in runs[0]
    assert "run 2: 0 new posts, 0 updated, " in runs[1]
    assert "fetched 1, not modified 0, already stored 2, failed 1" in runs[1]
    assert "next run" not in runs[1]
    failures = [ln for ln in lines if ln.startswith("  failed: ")]
    assert failures == [f"  failed: {site.url('/fault.html')}: HTTP 500"] * 2
    assert sum(1 for ln in lines if ln.startswith("  new post: ")) == 1
    assert lines[-1] == "sokbo watch: done after 2 runs"
    assert_consistent_db(out)


def test_watch_stops_when_asked_between_runs(site: LoopbackServer, tmp_path: Path) -> None:
    stop = StopSignal()
    seen: list[int] = []

    def on_run(run) -> None:  # noqa: ANN001
        seen.append(run.number)
        assert run.report is not None and run.error is None
        stop.set("test")

    settings = fast_settings(tmp_path / "out")
    t0 = time.monotonic()
    runs = watch(settings, [site.url("/fault.xml")], every=3600, stop=stop, on_run=on_run)
    assert runs == 1 and seen == [1] and time.monotonic() - t0 < 60


def test_one_watcher_per_output_directory(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with watch_lock(out):
        with pytest.raises(StoreError, match="already running"):
            with watch_lock(out):
                pass
        result = CliRunner().invoke(cli, ["watch", "--out", str(out), "--max-runs", "1"])
        assert result.exit_code == 2 and "already running" in result.stderr
    with watch_lock(out):  # released
        pass


# -- real processes ---------------------------------------------------------------------

def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items()
            if not k.startswith("SOKBO_") and not k.lower().endswith("_proxy")}


def _start_watch(tmp_path: Path, feed: str, out: Path, *extra: str, every: str = "1s",
                 timeout: float = 5.0) -> subprocess.Popen[str]:
    cfg = write_config(tmp_path, timeout=timeout, retries=0)
    return subprocess.Popen(
        [sys.executable, "-m", "sokbo", "watch", "--config", str(cfg), "--feed", feed,
         "--out", str(out), "--every", every, *extra],
        cwd=tmp_path, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _wait_for(condition: Callable[[], bool], proc: subprocess.Popen[str],
              timeout: float = 60.0, poll: float = 0.005) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if proc.poll() is not None:
            raise AssertionError(f"watch exited early: {proc.communicate()}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"timed out waiting: {proc.communicate()}")
        time.sleep(poll)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_signal_stops_cleanly_after_the_current_article(site: LoopbackServer, tmp_path: Path,
                                                         signum: signal.Signals) -> None:
    site.route_reply("/fault.html", Reply(body=FESTIVAL, delay=1.5))
    out = tmp_path / "out"
    proc = _start_watch(tmp_path, site.url("/fault.xml"), out)
    _wait_for(lambda: bool(site.requests_for("/fault.html")), proc)
    proc.send_signal(signum)  # the process is inside the slow fetch
    stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 0, stderr
    assert f"{signum.name}: stopping after the current article" in stderr
    assert "Traceback" not in stderr
    assert "(stopped early)" in stdout
    assert stdout.splitlines()[-1] == f"sokbo watch: stopped ({signum.name}) after 1 run"
    assert post_files(out) == []  # stopped while reading: nothing half-written

    # the next start picks everything up
    site.route_reply("/fault.html", Reply(body=FESTIVAL))
    report = run_pipeline(fast_settings(out), [site.url("/fault.xml")])
    assert report.count("new") == 2 and not report.errors
    assert_consistent_db(out)


def test_sigkill_mid_run_loses_nothing_and_posts_nothing_twice(site: LoopbackServer,
                                                               tmp_path: Path) -> None:
    out = tmp_path / "out"
    feed = site.url("/feed.xml")
    proc = _start_watch(tmp_path, feed, out)
    _wait_for(lambda: bool(post_files(out)), proc)
    proc.kill()  # SIGKILL while the posts are being written
    proc.communicate(timeout=30)
    before = {p.name for p in post_files(out)}
    assert 1 <= len(before) < 4, "killed mid-run, between the first post and the last"

    restart = _start_watch(tmp_path, feed, out, "--max-runs", "2")
    stdout, stderr = restart.communicate(timeout=120)
    assert restart.returncode == 0, stderr
    runs = [ln for ln in stdout.splitlines() if "] run " in ln]
    assert len(runs) == 2
    assert "failed 0" in runs[0]
    assert "run 2: 0 new posts, 0 updated, 0 unchanged; 0 articles read" in runs[1]
    assert "fetched 0, not modified 1, already stored 0, failed 0" in runs[1]

    after = {p.name for p in post_files(out)}
    assert before <= after and len(after) == 4, "one post per story, none twice"
    counts = assert_consistent_db(out)
    assert counts == {"posts": 4, "articles": 9, "stories": 4}
    assert_no_unsafe_markup(out)


def test_signal_during_the_wait_between_runs_stops_at_once(site: LoopbackServer,
                                                           tmp_path: Path) -> None:
    proc = _start_watch(tmp_path, site.url("/broken.xml"), tmp_path / "out", every="1h")
    watchdog = threading.Timer(60, proc.kill)
    watchdog.start()
    try:
        assert proc.stdout is not None
        banner, first = proc.stdout.readline(), proc.stdout.readline()
        assert banner.startswith("sokbo watch: reading ") and "every 1h" in banner
        assert "fetched 1, not modified 0, already stored 0, failed 1" in first
        assert "; next run at " in first
        failed = proc.stdout.readline()
        assert failed.startswith("  failed: ") and "malformed feed" in failed
        time.sleep(0.2)  # now sleeping until the next run
        asked = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        stdout, stderr = proc.communicate(timeout=30)
    finally:
        watchdog.cancel()
    assert proc.returncode == 0, stderr
    assert time.monotonic() - asked < 10, "no waiting an hour for the next slot"
    assert stdout.splitlines()[-1] == "sokbo watch: stopped (SIGTERM) after 1 run"


class _Killed(BaseException):
    """Stands in for kill -9 at one exact point of a run."""


@pytest.mark.parametrize("file_written", [True, False])
def test_kill_around_a_post_file_write_leaves_one_post(
        site: LoopbackServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        file_written: bool) -> None:
    """Killed just before or just after a post's file is written; the story then grows an
    earlier article, which gives a new story a new id and file name. Since the post's row is
    committed before its file is written, the next run finds and rewrites the same file."""
    import sokbo.pipeline as pipeline

    feed = (FEEDS / "fault.xml").read_text("utf-8")
    onnuri, mirae, fault = re.findall(r"<item>.*?</item>", feed, re.S)
    assert "onnuri" in onnuri
    site.route("/one.xml", feed.replace(mirae, "").replace(fault, ""),
               content_type="application/rss+xml")
    out = tmp_path / "out"
    settings = fast_settings(out)
    real_write = pipeline.atomic_write_text

    def write_then_die(path: Path, text: str) -> None:
        if file_written:
            real_write(path, text)
        raise _Killed

    monkeypatch.setattr(pipeline, "atomic_write_text", write_then_die)
    with pytest.raises(_Killed):
        run_pipeline(settings, [site.url("/one.xml")])
    monkeypatch.undo()
    assert len(post_files(out)) == (1 if file_written else 0)

    report = run_pipeline(settings, [site.url("/fault.xml")])  # + 미래방송, published earlier
    [post] = [p for p in report.posts if p.status != "unchanged"]
    assert {a.outlet for a in post.articles} == {"온누리신문", "미래방송"}
    assert len(post_files(out)) == 1, "one story, one post file"
    assert_consistent_db(out)
