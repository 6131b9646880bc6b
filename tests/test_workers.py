"""Worker processes (`--jobs N`): forked from the run's process once its Kiwi is loaded."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from sokbo import workers
from sokbo.workers import MIN_PARALLEL, Job, Workers


def _state(module: str) -> tuple[int, bool, bool, int]:
    """In a worker: its pid, whether ``module`` was imported before this job, whether Kiwi
    is loaded, and which Kiwi object it is (its address: the same in a forked copy)."""
    from sokbo.korean import kiwi

    loaded = kiwi._load.cache_info().currsize >= 1
    return os.getpid(), module in sys.modules, loaded, id(kiwi.get_kiwi()) if loaded else 0


@pytest.mark.skipif(not workers._FORK, reason="workers come from a fork server here")
def test_workers_are_forked_with_this_process_kiwi() -> None:
    from sokbo.korean.kiwi import get_kiwi

    with Workers(2) as pool:
        pid, _, loaded, kiwi = pool.submit(_state, "sokbo").result(timeout=120)
        assert pid != os.getpid()
        assert loaded and kiwi == id(get_kiwi()), "the worker has this process's Kiwi"


RENEWED = """
import os, sys
from pathlib import Path
from sokbo.workers import MIN_PARALLEL, Job, Workers

def state():
    return os.getpid(), "sokbo.write" in sys.modules

jobs = [Job("file", str(p), (p, None)) for p in sorted(Path(sys.argv[1]).glob("*.html"))]
jobs = (jobs * MIN_PARALLEL)[:MIN_PARALLEL]
with Workers(2) as pool:
    first = pool.submit(state).result(timeout=120)
    before = "sokbo.write" in sys.modules
    assert all(o.article is not None for o in pool.run(jobs))
    after = "sokbo.write" in sys.modules
    pool.renew()
    again = pool.submit(state).result(timeout=120)
print(first[1], before, after, again[1], first[0] != again[0])
"""


@pytest.mark.skipif(not workers._FORK, reason="workers come from a fork server here")
def test_the_writer_is_imported_during_extraction_and_drafting_workers_forked_with_it(
        demo_dir: Path) -> None:
    """In a fresh process: the writer is not imported to extract; the run's process imports
    it while its workers extract, and the workers forked after extraction (``renew``) have
    it."""
    import subprocess

    out = subprocess.run([sys.executable, "-c", RENEWED, str(demo_dir)], capture_output=True,
                         text=True, timeout=180, check=True).stdout.split()
    assert out == ["False", "False", "True", "True", "True"]


@pytest.mark.skipif(workers._FORK, reason="workers are forked from the run's process here")
def test_workers_start_with_the_pipeline_imported_and_kiwi_loaded() -> None:
    assert "sokbo.write" in workers.PRELOAD and "sokbo.lint" in workers.PRELOAD
    with Workers(2) as pool:
        pid, imported, kiwi, _ = pool.submit(_state, "sokbo.write").result(timeout=120)
        assert pid != os.getpid()
        assert imported, "the fork server imported the writer before forking the worker"
        assert kiwi


def test_kiwi_analyses_a_list_of_texts_as_it_analyses_each() -> None:
    """The Kiwi of a run that forks workers has no thread pool (it must survive the fork): a
    list is analysed text by text, the same as one at a time and as a pooled Kiwi does."""
    from sokbo.korean.kiwi import _load

    kiwi = _load(True)
    lines = ["서울시는 30일 새 버스 노선을 발표했다.", "", "시민들은 \"편해졌다\"고 말했다. 다음 달부터다."]
    one = [[(t.form, t.tag, t.start, t.len) for t in kiwi.tokenize(x)] for x in lines]
    assert [[(t.form, t.tag, t.start, t.len) for t in r] for r in kiwi.tokenize(lines)] == one
    sents = [[(s.text, s.start, s.end) for s in kiwi.split_into_sents(x)] for x in lines]
    assert [[(s.text, s.start, s.end) for s in r]
            for r in kiwi.split_into_sents(lines)] == sents
    assert len(sents[2]) == 2
    pooled = _load(False)
    assert [[(t.form, t.tag, t.start, t.len) for t in r] for r in pooled.tokenize(lines)] == one


def test_a_job_in_a_worker_gives_what_it_gives_in_place(demo_dir) -> None:
    from sokbo.ingest import article_from_file

    jobs = [Job("file", str(p), (p, None)) for p in sorted(demo_dir.glob("*.html"))[:3]]
    in_place = Workers(1).run(jobs)
    with Workers(2) as pool:
        remote = [pool.submit(workers._run_remote, j).result(timeout=120) for j in jobs]
    assert [o.article for o in remote] == [o.article for o in in_place]
    assert [o.terms for o in remote] == [o.terms for o in in_place]
    assert [o.morphs for o in remote] == [o.morphs for o in in_place]
    assert in_place[0].article == article_from_file(jobs[0].args[0]) and in_place[0].terms


def test_a_job_analyses_its_article_once_and_keeps_what_a_later_analysis_gives(demo_dir
                                                                             ) -> None:
    """Terms and sentence analyses come from extraction's Kiwi pass, and are what the
    article alone gives when read back from the store (terms: a pure function of it)."""
    from sokbo.cluster.terms import count_terms, story_terms
    from sokbo.korean.kiwi import clear_token_cache, tokenize_many, unpack_morphs

    for p in sorted(demo_dir.glob("*.html"))[:4]:
        outcome = Workers(1).run([Job("file", str(p), (p, None))])[0]
        a = outcome.article
        assert outcome.terms == count_terms(story_terms(a.title, a.text))
        texts = [s.text for s in a.sentences]
        clear_token_cache()
        assert outcome.morphs and unpack_morphs(texts, outcome.morphs)
        for text, morphs in zip(texts, tokenize_many(texts), strict=True):
            assert morphs and all(0 <= m.start and m.end <= len(text) for m in morphs)
            nouns = [m for m in morphs if m.tag in ("NNG", "NNP")]
            assert all(text[m.start:m.end] == m.form for m in nouns)  # offsets in the sentence
        clear_token_cache()


def test_worker_usage_is_counted() -> None:
    import resource

    def children() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    before, reaped = dict(workers.USAGE), children()
    with Workers(2) as pool:
        pool.submit(_state, "sokbo").result(timeout=120)
        assert pool.submit(sum, range(5_000_000)).result(timeout=120)  # some CPU
    # the workers hold Kiwi (memory); their CPU is this process's children's (forked here,
    # reaped by now) or counted from /proc (a fork server's children), never both
    assert workers.USAGE["workers_peak_rss_mb"] > 100
    if workers._FORK:
        assert workers.USAGE["workers_cpu_seconds"] == before["workers_cpu_seconds"]
        assert children() > reaped
    else:
        assert workers.USAGE["workers_cpu_seconds"] > before["workers_cpu_seconds"]
        assert workers.USAGE["server_cpu_seconds"] > 0


KILLED_RUN = """
import os, signal
from sokbo.workers import Workers
pool = Workers(2)
print(pool.submit(os.getpid).result(timeout=120), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_workers_end_when_the_run_is_killed(tmp_path: Path) -> None:
    import subprocess
    import time

    out = tmp_path / "out.txt"
    with out.open("w") as sink:  # not a pipe: the workers would hold it open
        proc = subprocess.Popen([sys.executable, "-c", KILLED_RUN], stdout=sink,
                                stderr=subprocess.DEVNULL)
        assert proc.wait(timeout=180) == -9
    worker = int(out.read_text().split()[0])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and _alive(worker):
        time.sleep(0.5)
    assert not _alive(worker), "a worker of a killed run ends by itself"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie waiting for its parent is gone too
        return Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()[0] != "Z"
    except OSError:
        return False


CTRL_C_RUN = """
import sys, time
from pathlib import Path
from sokbo import workers
from sokbo.config import load_settings
from sokbo.pipeline import run_pipeline
from sokbo.watch import StopSignal, stop_on_signals

real = workers._EXTRACTORS["record"]

def slow(line, where):  # a slow extraction: the Ctrl-C comes while workers run jobs
    time.sleep(0.1)
    return real(line, where)

workers._EXTRACTORS["record"] = slow
settings = load_settings().with_overrides(out_dir=Path(sys.argv[1]), jobs=2)
with stop_on_signals(StopSignal()) as stop:
    report = run_pipeline(settings, [sys.argv[2]], preview=False, should_stop=stop.is_set)
print("stopped" if report.stopped else "finished", report.articles_read, len(report.posts),
      flush=True)
"""


@pytest.mark.skipif(not workers._FORK, reason="workers come from a fork server here")
def test_ctrl_c_reaches_the_run_not_its_workers(tmp_path: Path, demo_dir: Path) -> None:
    """Ctrl-C signals the whole process group: the workers ignore it, the run stops after
    the batch under way (as `watch` does), and no worker is left behind."""
    import signal
    import subprocess
    import time

    from test_incremental import _records

    lines = _records(demo_dir, 8)
    assert len(lines) >= 2 * MIN_PARALLEL
    inputs = tmp_path / "in.jsonl"
    inputs.write_text("\n".join(lines) + "\n", "utf-8")
    proc = subprocess.Popen([sys.executable, "-c", CTRL_C_RUN, str(tmp_path / "out"),
                             str(inputs)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    children: list[int] = []
    while len(children) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
        children = _children(proc.pid)
    assert len(children) == 2, "two workers forked from the run"
    time.sleep(0.3)  # inside their jobs
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert stderr.count("SIGINT: stopping after the current article") == 1  # the run's own
    assert stdout.split()[0] == "stopped"
    assert not any(_alive(c) for c in children)


def _children(pid: int) -> list[int]:
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [int(c) for c in found]
