"""The kill test: `kill -9` at random moments of real `sokbo run`, `sokbo watch` and
`sokbo publish` processes, then a rerun, must end exactly where an uninterrupted run ends.

After every kill the SQLite state passes ``PRAGMA integrity_check``; after the rerun there is
no lost, duplicated or changed post (post files, title cards, database rows and provenance,
the preview site, the site repository's commit) compared with an uninterrupted run, and no
temp file is left anywhere. The corpus is the demo feed in two steps: first without one
article, then with it (the late article joins a posted story), so kills land in new posts and
in updates.

Where a kill lands is drawn at random among: any moment of the process (``blind``), right
after its n-th file write (``after a write``), while an atomic write's temp file exists
(``mid-write``), and for publish while git holds the index lock (``while git runs``) or
right after its commit (``after the commit``).

``SOKBO_KILLS`` sets how many kills in all (default 10; ``make fuzz`` runs 60), split
run 40 % / watch 30 % / publish 30 %; ``SOKBO_KILL_SEED`` replays a sequence. The kills →
outcome table is printed at the end of the session and kept in tests/artifacts/kills.md.
"""
from __future__ import annotations

import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

KILLS = int(os.environ.get("SOKBO_KILLS", "10"))
SEED = int(os.environ.get("SOKBO_KILL_SEED", str(time.time_ns() % 10**9)))
SHARE = {"run": 0.4, "watch": 0.3, "publish": 0.3}
LATE = "hanbit-busan-wind.html"  # left out of the first feed; joins a posted story later
TEMP = re.compile(r"^\..*\.tmp$|^\.sokbo-write-check\.")
POLL = 0.002

#: (command, where the kill landed, what it left) → count, for the table printed at the end
OUTCOMES: Counter[tuple[str, str, str]] = Counter()

pytestmark = pytest.mark.slow

Trigger = Callable[[], bool]


def _kills(command: str) -> int:
    return max(1, round(KILLS * SHARE[command]))


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SOKBO_", "GIT_")) and not k.lower().endswith("_proxy")}
    home.mkdir(parents=True, exist_ok=True)
    (home / "gitconfig").write_text("", "utf-8")
    env.update(GIT_CONFIG_GLOBAL=str(home / "gitconfig"), GIT_CONFIG_NOSYSTEM="1",
               XDG_STATE_HOME=str(home / "state"))
    return env


@dataclass
class Sokbo:
    """Starts `python -m sokbo …` processes in one working folder with one environment."""

    cwd: Path
    env: dict[str, str]

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        log = open(self.cwd / "sokbo.log", "ab")  # noqa: SIM115 - the child holds it
        try:
            return subprocess.Popen([sys.executable, "-m", "sokbo", *args], cwd=self.cwd,
                                    env=self.env, stdout=log, stderr=log)
        finally:
            log.close()

    def run(self, *args: str, watch: Sequence[Path] = (), timeout: float = 300
            ) -> tuple[float, int]:
        """Run to the end: (wall time, file writes seen under ``watch``)."""
        t0 = time.monotonic()
        writes = Writes(watch)
        proc = self.start(*args)
        while proc.poll() is None:
            writes.poll()
            assert time.monotonic() - t0 < timeout, f"sokbo {' '.join(args)} hangs"
            time.sleep(POLL * 5 if not watch else POLL)
        assert proc.returncode == 0, f"sokbo {' '.join(args)} failed: {self.log_tail()}"
        return time.monotonic() - t0, writes.poll()

    def kill_when(self, trigger: Trigger, *args: str, timeout: float = 300) -> bool:
        """Start; SIGKILL it as soon as ``trigger()`` is true. False when it finished first."""
        t0 = time.monotonic()
        proc = self.start(*args)
        while proc.poll() is None:
            if trigger():
                proc.send_signal(signal.SIGKILL)  # kill -9 PID: this process only
                proc.wait(timeout=60)
                return True
            assert time.monotonic() - t0 < timeout, f"sokbo {' '.join(args)} hangs"
            time.sleep(POLL)
        assert proc.returncode == 0, f"sokbo {' '.join(args)} failed: {self.log_tail()}"
        return False

    def log_tail(self) -> str:
        return (self.cwd / "sokbo.log").read_text("utf-8", errors="replace")[-2000:]


class Writes:
    """Counts files created or rewritten under some folders, by polling their stat."""

    def __init__(self, roots: Sequence[Path]) -> None:
        self.roots = roots
        self.seen = self._scan()
        self.count = 0

    def _scan(self) -> dict[Path, tuple[int, int, int]]:
        out = {}
        for root in self.roots:
            for p in root.rglob("*") if root.is_dir() else ():
                try:
                    st = p.stat()
                except OSError:
                    continue
                if p.is_file() and not p.name.startswith("."):
                    out[p] = (st.st_ino, st.st_mtime_ns, st.st_size)
        return out

    def poll(self) -> int:
        now = self._scan()
        self.count += sum(1 for p, v in now.items() if self.seen.get(p) != v)
        self.seen = now
        return self.count


def _temp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob(".*") if TEMP.match(p.name) and p.is_file()]


# --- what a state is made of ------------------------------------------------------------------

def _files(root: Path) -> dict[str, bytes]:
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def integrity(db_path: Path) -> None:
    db = sqlite3.connect(db_path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        db.close()


def snapshot(out: Path) -> dict[str, object]:
    """Everything a user relies on, without timestamps or row ids."""
    integrity(out / "sokbo.db")
    db = sqlite3.connect(out / "sokbo.db")
    try:
        posts = db.execute(
            "SELECT p.story_id, p.path, p.title, p.status, p.input_hash, p.content_hash, "
            "p.rendered, p.findings, p.post_json, p.title_origin, p.published_hash "
            "FROM posts p ORDER BY p.story_id").fetchall()
        sentences = db.execute(
            "SELECT p.story_id, s.position, s.role, s.text, s.source_id, s.sentence_index, "
            "s.origin FROM post_sentences s JOIN posts p ON p.id = s.post_id "
            "ORDER BY p.story_id, s.position").fetchall()
        articles = db.execute(
            "SELECT id, url, content_hash, story_id FROM articles ORDER BY id").fetchall()
        stories = db.execute("SELECT id, slug FROM stories ORDER BY id").fetchall()
        ids = dict(db.execute("SELECT id, story_id FROM posts").fetchall())
    finally:
        db.close()
    # preview pages are named by post row id: compare them by story instead; they may name
    # the output folder, which differs from the reference's
    here = [out.resolve().as_uri().encode(), str(out.resolve()).encode()]

    def local(v: bytes) -> bytes:
        for h in here:
            v = v.replace(h, b"OUT")
        return v

    site = {(f"posts/{ids.get(int(k[6:-5]))}" if re.fullmatch(r"posts/\d+\.html", k) else k):
            local(v) for k, v in _files(out / "site").items()}
    return {"post files": _files(out / "_posts"), "posts": posts, "sentences": sentences,
            "articles": articles, "stories": stories, "site": site,
            "title cards": _files(out / "assets")}


def assert_same(got: dict[str, object], want: dict[str, object], what: str) -> None:
    assert sorted(got["post files"]) == sorted(want["post files"]), \
        f"{what}: post files lost or added"
    for key in want:
        assert got[key] == want[key], f"{what}: {key} differ from an uninterrupted run"


# --- the reference: the same commands, never interrupted ---------------------------------------

@dataclass
class Reference:
    feeds: tuple[str, str]          # the first feed (without LATE), then the full one
    starts: tuple[Path | None, Path]  # the state before each feed (none, then after the first)
    states: tuple[dict, dict]       # snapshot after each feed
    seconds: tuple[float, float]    # how long each run took
    writes: tuple[int, int]         # files written under _posts/ and site/ by each run
    out: Path                       # the state after both feeds, not published
    site: dict[str, bytes]          # the site repository's HEAD tree after publish
    published: dict[str, object]    # snapshot after publish
    publish_seconds: float
    env: dict[str, str]


def make_site(path: Path, env: dict[str, str]) -> Path:
    path.mkdir(parents=True)
    (path / "_config.yml").write_text("title: 테스트 블로그\n", "utf-8")
    for args in (["init", "-q", "-b", "main"], ["add", "_config.yml"],
                 ["-c", "user.name=사람", "-c", "user.email=me@blog.example", "commit", "-qm",
                  "site skeleton"]):
        subprocess.run(["git", *args], cwd=path, env=env, check=True, capture_output=True)
    return path


def _git(repo: Path, env: dict[str, str], *args: str) -> str:
    return subprocess.run(["git", "-c", "core.quotepath=false", *args], cwd=repo, env=env,
                          check=True, capture_output=True, text=True).stdout


def head_tree(repo: Path, env: dict[str, str]) -> dict[str, bytes]:
    names = _git(repo, env, "ls-tree", "-r", "--name-only", "HEAD").splitlines()
    return {n: subprocess.run(["git", "show", f"HEAD:{n}"], cwd=repo, env=env, check=True,
                              capture_output=True).stdout for n in names}


def publish_args(out: Path, repo: Path) -> tuple[str, ...]:
    return ("publish", "--repo", str(repo), "--out", str(out), "--approve-all")


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, demo_dir: Path) -> Reference:
    base = tmp_path_factory.mktemp("kill-reference")
    env = _env(base / "home")
    corpus = base / "corpus"
    shutil.copytree(demo_dir, corpus)
    full = (corpus / "feed.xml").read_text("utf-8")
    late = next(i for i in re.findall(r"<item>.*?</item>", full, flags=re.S) if LATE in i)
    (corpus / "first.xml").write_text(full.replace(late, ""), "utf-8")
    feeds = (str(corpus / "first.xml"), str(corpus / "feed.xml"))
    sokbo = Sokbo(base, env)
    out = base / "out"
    seconds, writes, states = [], [], []
    for feed in feeds:
        t, n = sokbo.run("run", "--feed", feed, "--out", str(out),
                         watch=(out / "_posts", out / "site", out / "assets"))
        seconds.append(t)
        writes.append(n)
        states.append(snapshot(out))
        if len(states) == 1:
            shutil.copytree(out, base / "after-first")
    assert states[0]["post files"] and states[0] != states[1], "the late article updates a post"
    published_out = base / "published"
    shutil.copytree(out, published_out)
    repo = make_site(base / "site", env)
    publish_seconds, _ = sokbo.run(*publish_args(published_out, repo))
    return Reference((feeds[0], feeds[1]), (None, base / "after-first"), (states[0], states[1]),
                     (seconds[0], seconds[1]),
                     (writes[0], writes[1]), out, head_tree(repo, env),
                     snapshot(published_out), publish_seconds, env)


@pytest.fixture(scope="module", autouse=True)
def _kills_report():
    """Keep the kills → outcome table under tests/artifacts (conftest prints it at the end)."""
    yield
    if OUTCOMES:
        artifacts = Path(__file__).parent / "artifacts"
        artifacts.mkdir(exist_ok=True)
        (artifacts / "kills.md").write_text(kills_table() + "\n", "utf-8")


# --- where to kill ------------------------------------------------------------------------------

def _after(seconds: float) -> Trigger:
    deadline = time.monotonic() + seconds
    return lambda: time.monotonic() >= deadline


def _after_writes(roots: Sequence[Path], n: int) -> Trigger:
    writes = Writes(roots)
    return lambda: writes.poll() >= n


def _while_temp_file(root: Path) -> Trigger:
    return lambda: bool(_temp_files(root))


def _pipeline_trigger(rng: random.Random, out: Path, seconds: float,
                      writes: int) -> tuple[str, Trigger]:
    roots = (out / "_posts", out / "site", out / "assets")
    kind = rng.choices(["blind", "after a write", "mid-write"], weights=[3, 5, 2])[0]
    if kind == "blind":
        return kind, _after(rng.uniform(0.0, seconds))
    if kind == "after a write":
        return kind, _after_writes(roots, rng.randint(1, max(1, writes)))
    return kind, _while_temp_file(out)


def _left(out: Path) -> str:
    temps = len(_temp_files(out))
    return f"{temps} temp file(s) left" if temps else "no temp file left"


def _fresh(start: Path | None, out: Path) -> None:
    shutil.rmtree(out, ignore_errors=True)
    if start is not None:
        shutil.copytree(start, out)


def _kill_trials(sokbo: Sokbo, reference: Reference, out: Path, kills: int,
                 args_for: Callable[[str], tuple[str, ...]], finish: Callable[[str], None],
                 window: float, rng: random.Random, command: str) -> None:
    """Trials from a fresh copy of the state before one of the two feeds (in turn): one to
    three kills at random moments, then a rerun that must reach the reference's state."""
    landed = trial = 0
    while landed < kills:
        size = min(kills - landed, rng.randint(1, 3))
        phase = trial % 2
        trial += 1
        feed = reference.feeds[phase]
        _fresh(reference.starts[phase], out)
        done = tries = 0
        finished = False
        while done < size:
            tries += 1
            assert tries < size * 8 + 10, "the processes keep finishing first"
            kind, trigger = _pipeline_trigger(rng, out, reference.seconds[phase] * window,
                                              reference.writes[phase])
            if not sokbo.kill_when(trigger, *args_for(feed)):
                if done:  # it ran to the end after the kills: that was the rerun
                    finished = True
                    break
                _fresh(reference.starts[phase], out)
                continue
            done += 1
            if (out / "sokbo.db").exists():
                integrity(out / "sokbo.db")
            OUTCOMES[(command, kind, _left(out))] += 1
        landed += done
        if not finished:
            finish(feed)
        assert _temp_files(out) == [], "temp files left behind"
        assert_same(snapshot(out), reference.states[phase],
                    f"{command}, seed {SEED}, trial {trial} (feed {phase + 1})")
        OUTCOMES[(command, f"rerun after {done} kill(s)", "same as uninterrupted")] += 1


def test_kill_9_during_run(reference: Reference, tmp_path: Path) -> None:
    rng = random.Random(SEED)
    out = tmp_path / "out"
    sokbo = Sokbo(tmp_path, reference.env)

    def run(feed: str) -> tuple[str, ...]:
        return ("run", "--feed", feed, "--out", str(out))

    _kill_trials(sokbo, reference, out, _kills("run"), run,
                 lambda feed: sokbo.run(*run(feed)) and None, 1.0, rng, "run")


def test_kill_9_during_watch(reference: Reference, tmp_path: Path) -> None:
    rng = random.Random(SEED + 1)
    out = tmp_path / "out"
    sokbo = Sokbo(tmp_path, reference.env)

    def watch(feed: str, *extra: str) -> tuple[str, ...]:
        return ("watch", "--every", "0.3s", "--feed", feed, "--out", str(out), *extra)

    # a watcher never ends by itself: blind kills may also land in a later (quiet) run
    _kill_trials(sokbo, reference, out, _kills("watch"), watch,
                 lambda feed: sokbo.run(*watch(feed, "--max-runs", "2")) and None,
                 1.5, rng, "watch")


def _publish_trigger(rng: random.Random, repo: Path, reference: Reference
                     ) -> tuple[str, Trigger]:
    kind = rng.choice(["blind", "after a post file", "while git runs", "after the commit"])
    if kind == "blind":
        return kind, _after(rng.uniform(0.0, reference.publish_seconds))
    if kind == "after a post file":
        return kind, _after_writes([repo / "_posts"],
                                   rng.randint(1, len(reference.published["posts"])))
    if kind == "while git runs":
        return kind, (repo / ".git" / "index.lock").exists
    head = repo / ".git" / "refs" / "heads" / "main"
    before = head.read_bytes()
    return kind, lambda: head.read_bytes() != before


def test_kill_9_during_publish(reference: Reference, tmp_path: Path) -> None:
    """Trials from the unpublished state and a fresh site repository: one to three kills of
    `sokbo publish --approve-all`, then a rerun that must publish exactly what an
    uninterrupted publish does, in a clean repository."""
    rng = random.Random(SEED + 2)
    out = tmp_path / "out"
    sokbo = Sokbo(tmp_path, reference.env)
    landed = trial = 0
    while landed < _kills("publish"):
        size = min(_kills("publish") - landed, rng.randint(1, 3))
        trial += 1
        repo = tmp_path / f"site{trial}"
        done = tries = 0
        finished = False
        while done < size:
            if done == 0:
                _fresh(reference.out, out)
                shutil.rmtree(repo, ignore_errors=True)
                make_site(repo, reference.env)
            tries += 1
            assert tries < size * 8 + 10, "publish keeps finishing first"
            kind, trigger = _publish_trigger(rng, repo, reference)
            if not sokbo.kill_when(trigger, *publish_args(out, repo)):
                if done:  # it ran to the end after the kills: that was the rerun
                    finished = True
                    break
                continue
            done += 1
            integrity(out / "sokbo.db")
            left = [_left(repo / "_posts")]
            if (repo / ".git" / "index.lock").exists():
                left.append("git's index.lock (its git still running)")
            OUTCOMES[("publish", kind, ", ".join(left))] += 1
        landed += done
        if not finished:
            sokbo.run(*publish_args(out, repo))
        assert head_tree(repo, reference.env) == reference.site, "site repository differs"
        status = _git(repo, reference.env, "status", "--porcelain", "--ignored")
        assert status == "", f"left in the site repository: {status}"
        fsck = subprocess.run(["git", "fsck", "--no-dangling"], cwd=repo, env=reference.env,
                              capture_output=True, text=True)
        assert fsck.returncode == 0, fsck.stderr
        assert _temp_files(out) == []
        assert_same(snapshot(out), reference.published, f"publish, seed {SEED}, trial {trial}")
        OUTCOMES[("publish", f"rerun after {done} kill(s)", "same as uninterrupted")] += 1


def kills_table() -> str:
    """The kills → outcome table (markdown) of this session."""
    rows = ["| command | kill -9 landed | left behind / outcome | count |", "|---|---|---|---|"]
    rows += [f"| {c} | {k} | {o} | {n} |" for (c, k, o), n in sorted(OUTCOMES.items())]
    kills = sum(n for (_, k, _), n in OUTCOMES.items() if not k.startswith("rerun"))
    return "\n".join(rows) + f"\n\n{kills} kills, seed {SEED}"
