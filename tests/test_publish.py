"""`sokbo approve` / `sokbo publish`: posts into a git site repository, never over human edits."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from sokbo.cli_publish import approve_command, publish_command
from sokbo.config import Settings
from sokbo.errors import PublishError
from sokbo.models import content_hash
from sokbo.publish import approve_posts, publish_posts
from sokbo.store import Store


def isolate_git(mp: pytest.MonkeyPatch, home: Path) -> None:
    """No global or system git config, no inherited GIT_* variables: tests see a bare git."""
    for key in list(os.environ):
        if key.startswith("GIT_"):
            mp.delenv(key, raising=False)
    home.mkdir(parents=True, exist_ok=True)
    (home / "gitconfig").write_text("", "utf-8")
    mp.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
    mp.setenv("GIT_CONFIG_NOSYSTEM", "1")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True,
                          timeout=60).stdout


def make_site(root: Path, kind: str = "jekyll") -> Path:
    root.mkdir(parents=True)
    if kind == "jekyll":
        (root / "_config.yml").write_text("title: 테스트 블로그\n", "utf-8")
    elif kind in ("hugo", "config.toml"):
        name = "hugo.toml" if kind == "hugo" else "config.toml"
        (root / name).write_text('title = "테스트 블로그"\n', "utf-8")
    git(root, "init", "-q", "-b", "main")
    if any(p.name != ".git" for p in root.iterdir()):
        git(root, "add", "-A")
        git(root, "-c", "user.name=사람", "-c", "user.email=me@blog.example", "commit", "-qm",
            "site skeleton")
    return root


def copy_state(settings: Settings, out: Path) -> Settings:
    """A private copy of the demo run's state, so each test can approve and publish freely."""
    out.mkdir(parents=True)
    src, dst = sqlite3.connect(settings.db_path), sqlite3.connect(out / "sokbo.db")
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    return settings.with_overrides(out_dir=out)


@pytest.fixture(autouse=True)
def _git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_git(monkeypatch, tmp_path / "git-home")


@pytest.fixture
def state(demo_run, tmp_path: Path) -> Settings:
    settings, report = demo_run
    assert len(report.posts) == 4
    return copy_state(settings, tmp_path / "out")


def records(settings: Settings) -> dict[int, object]:
    with Store(settings.db_path) as store:
        return {r.id: r for r in store.list_posts()}


def commits(repo: Path) -> int:
    """Commits beyond the site skeleton."""
    try:
        return int(git(repo, "rev-list", "--count", "HEAD")) - 1
    except subprocess.CalledProcessError:
        return -1


def test_publish_approved_posts_into_jekyll_site(state: Settings, tmp_path: Path) -> None:
    repo = make_site(tmp_path / "blog")
    assert len(approve_posts(state).approved) == 4
    report = publish_posts(state, repo)
    assert report.site.kind == "jekyll" and report.site.posts_dir == "_posts"
    assert [p.action for p in report.published] == ["new"] * 4
    assert not report.conflicts and not report.skipped
    stored = records(state)
    for outcome in report.published:
        path = repo / outcome.path
        assert path.parent == repo / "_posts" and path.suffix == ".html"
        text = path.read_text("utf-8")
        assert yaml.safe_load(text.split("\n---\n")[0][4:])["title"] == outcome.title
        record = stored[outcome.post_id]
        assert record.status == "published"
        assert record.published_hash == content_hash(text)
    # one commit, by sokbo (the repository has no identity), listing every title
    assert commits(repo) == 1 and report.commit == git(repo, "rev-parse", "HEAD").strip()
    log = git(repo, "log", "-1", "--format=%an <%ae>%n%B")
    assert log.startswith("sokbo <sokbo@localhost>\nsokbo: publish 4 posts")
    for outcome in report.published:
        assert f"- {outcome.title}" in log
    assert git(repo, "status", "--porcelain") == ""


def test_repository_identity_is_used(state: Settings, tmp_path: Path) -> None:
    repo = make_site(tmp_path / "blog")
    git(repo, "config", "user.name", "블로그 주인")
    git(repo, "config", "user.email", "owner@blog.example")
    publish_posts(state, repo, post_ids=[1])
    assert git(repo, "log", "-1", "--format=%an <%ae>").strip() == \
        "블로그 주인 <owner@blog.example>"
    subject = git(repo, "log", "-1", "--format=%s").strip()
    assert subject == f"sokbo: publish {records(state)[1].title}"


def test_drafts_only_when_asked_for_by_id(state: Settings, tmp_path: Path) -> None:
    repo = make_site(tmp_path / "blog")
    report = publish_posts(state, repo)
    assert report.published == [] and report.commit is None and commits(repo) == 0
    report = publish_posts(state, repo, post_ids=[2, 99])
    assert [p.post_id for p in report.published] == [2]
    assert [(s.post_id, s.reason) for s in report.skipped] == [(99, "no post with id 99")]
    assert records(state)[2].status == "published" and records(state)[1].status == "draft"
    assert len(list((repo / "_posts").iterdir())) == 1


def _add_error_finding(settings: Settings, post_id: int, status: str) -> None:
    finding = {"code": "SB601", "severity": "error", "message_en": "claim not in any source"}
    db = sqlite3.connect(settings.db_path)
    with db:
        db.execute("UPDATE posts SET findings = ?, status = ? WHERE id = ?",
                   (json.dumps([finding]), status, post_id))
    db.close()


@pytest.mark.parametrize("status", ["approved", "draft", "blocked"])
def test_post_with_lint_errors_is_never_published(state: Settings, tmp_path: Path,
                                                  status: str) -> None:
    repo = make_site(tmp_path / "blog")
    _add_error_finding(state, 3, status)
    approved = approve_posts(state, [3])
    assert approved.approved == [] and approved.skipped[0].post_id == 3
    assert publish_posts(state, repo).published == []
    report = publish_posts(state, repo, post_ids=[3])
    assert report.published == [] and report.skipped[0].post_id == 3
    reason = report.skipped[0].reason
    assert "SB601" in reason or "status is blocked" in reason
    assert not (repo / "_posts").exists() and commits(repo) == 0
    assert records(state)[3].status == status


@pytest.mark.parametrize("marker", ["hugo", "config.toml"])
def test_hugo_site_gets_markdown_in_content_posts(state: Settings, tmp_path: Path,
                                                  marker: str) -> None:
    repo = make_site(tmp_path / "blog", marker)
    report = publish_posts(state, repo, post_ids=[1, 2])
    assert report.site.kind == "hugo" and report.site.format == "hugo"
    for outcome in report.published:
        assert outcome.path.startswith("content/posts/") and outcome.path.endswith(".md")
        text = (repo / outcome.path).read_text("utf-8")
        meta = yaml.safe_load(text.split("\n---\n")[0][4:])
        assert meta["title"] == outcome.title and meta["summary"]
        assert "<p>" not in text


def test_posts_dir_for_a_plain_repository(state: Settings, tmp_path: Path) -> None:
    repo = tmp_path / "plain"
    repo.mkdir()
    git(repo, "init", "-q")
    with pytest.raises(PublishError, match="not a Jekyll or Hugo site"):
        publish_posts(state, repo, post_ids=[1])
    markdown = state.with_overrides(format="markdown")
    report = publish_posts(markdown, repo, post_ids=[1], posts_dir="newsletter/2026")
    assert report.site.kind == "custom"
    path = repo / report.published[0].path
    assert path.parent == repo / "newsletter" / "2026" and path.suffix == ".md"
    assert path.read_text("utf-8").startswith("# ")
    with pytest.raises(PublishError, match="outside the repository"):
        publish_posts(state, repo, post_ids=[2], posts_dir="../elsewhere")


def test_not_a_git_repository(state: Settings, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "_config.yml").write_text("title: x\n")
    with pytest.raises(PublishError, match="not a git repository") as err:
        publish_posts(state, site)
    assert "\n" not in str(err.value)
    with pytest.raises(PublishError, match="no such directory"):
        publish_posts(state, tmp_path / "missing")
    result = CliRunner().invoke(publish_command, ["--repo", str(site), "--out",
                                                  str(state.out_dir)])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"sokbo: error: {site}: not a git repository (run `git init` there first)"]


def test_no_state_is_an_error(tmp_path: Path, state: Settings) -> None:
    repo = make_site(tmp_path / "blog")
    empty = state.with_overrides(out_dir=tmp_path / "nothing")
    with pytest.raises(PublishError, match="run `sokbo run` first"):
        publish_posts(empty, repo)
    assert not (tmp_path / "nothing" / "sokbo.db").exists()


def test_human_edit_is_a_conflict_and_left_untouched(state: Settings, tmp_path: Path) -> None:
    repo = make_site(tmp_path / "blog")
    first = publish_posts(state, repo, post_ids=[1, 2])
    edited = repo / first.published[0].path
    human = edited.read_text("utf-8").replace("</p>", " (편집자 주)</p>", 1)
    edited.write_text(human, "utf-8")
    git(repo, "-c", "user.name=편집자", "-c", "user.email=ed@blog.example", "commit", "-qam",
        "editor's note")
    before = commits(repo)

    # a changed template would rewrite both posts; only the unedited one may be rewritten
    templates = tmp_path / "templates" / "jekyll"
    templates.mkdir(parents=True)
    (templates / "post.html.j2").write_text("<p>{{ post.title }} (새 틀)</p>\n", "utf-8")
    report = publish_posts(state, repo, post_ids=[1, 2], template_dir=templates.parent)
    assert [(c.post_id, c.path) for c in report.conflicts] == [(1, first.published[0].path)]
    assert "edited after sokbo published it" in report.conflicts[0].reason
    assert edited.read_text("utf-8") == human
    assert [(p.post_id, p.action) for p in report.published] == [(2, "updated")]
    assert "(새 틀)" in (repo / first.published[1].path).read_text("utf-8")
    assert commits(repo) == before + 1
    assert first.published[0].title not in git(repo, "log", "-1", "--format=%B")

    # the CLI says so, on stderr, and exits 1
    result = CliRunner().invoke(publish_command, ["--repo", str(repo), "--post", "1", "--out",
                                                  str(state.out_dir)])
    assert result.exit_code == 1
    assert "conflict:" in result.stderr and first.published[0].path in result.stderr
    assert edited.read_text("utf-8") == human


def test_existing_file_not_written_by_sokbo_is_a_conflict(state: Settings,
                                                          tmp_path: Path) -> None:
    repo = make_site(tmp_path / "blog")
    target = repo / records(state)[4].path  # _posts/<date>-<slug>.html, as sokbo would name it
    target.parent.mkdir(parents=True)
    target.write_text("---\ntitle: 사람이 쓴 글\n---\n<p>원고</p>\n", "utf-8")
    report = publish_posts(state, repo, post_ids=[4])
    assert report.published == [] and "not written by sokbo" in report.conflicts[0].reason
    assert target.read_text("utf-8").endswith("<p>원고</p>\n")
    assert commits(repo) == 0


def test_publishing_again_changes_nothing(state: Settings, tmp_path: Path) -> None:
    repo = make_site(tmp_path / "blog")
    publish_posts(state, repo, post_ids=[1, 2, 3])
    head = git(repo, "rev-parse", "HEAD")
    again = publish_posts(state, repo, post_ids=[1, 2, 3])
    assert [p.action for p in again.published] == ["unchanged"] * 3
    assert again.commit is None and git(repo, "rev-parse", "HEAD") == head


def test_other_staged_changes_are_not_committed(state: Settings, tmp_path: Path) -> None:
    repo = make_site(tmp_path / "blog")
    (repo / "notes.txt").write_text("작업 중\n", "utf-8")
    git(repo, "add", "notes.txt")
    publish_posts(state, repo, post_ids=[1])
    assert "notes.txt" not in git(repo, "show", "--name-only", "--format=", "HEAD")
    assert git(repo, "diff", "--cached", "--name-only").strip() == "notes.txt"


def test_failed_commit_leaves_posts_unpublished(state: Settings, tmp_path: Path) -> None:
    repo = make_site(tmp_path / "blog")
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'error: not today' >&2\nexit 1\n")
    hook.chmod(0o755)
    approve_posts(state, [1])
    with pytest.raises(PublishError, match="git commit failed: error: not today"):
        publish_posts(state, repo)
    assert records(state)[1].status == "approved" and records(state)[1].published_hash is None
    hook.unlink()
    report = publish_posts(state, repo)  # the file left behind is identical: no conflict
    assert not report.conflicts and report.commit and commits(repo) == 1
    assert records(state)[1].status == "published"


def test_push_to_a_bare_repository(state: Settings, tmp_path: Path) -> None:
    repo = make_site(tmp_path / "blog")
    with pytest.raises(PublishError, match="no remote"):
        publish_posts(state, repo, post_ids=[1], push=True)
    bare = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True)
    git(repo, "remote", "add", "origin", str(bare))
    report = publish_posts(state, repo, post_ids=[2], push=True)
    assert report.pushed
    assert git(bare, "rev-parse", "main") == git(repo, "rev-parse", "HEAD")
    # the upstream is set now: a later publish pushes to it with a plain `git push`
    publish_posts(state, repo, post_ids=[3], push=True)
    assert git(bare, "rev-list", "--count", "main").strip() == "4"  # skeleton + 3
    files = git(bare, "ls-tree", "-r", "--name-only", "-z", "main").split("\0")
    assert sum(f.startswith("_posts/") for f in files) == 3


def test_cli_approve_then_publish(state: Settings, tmp_path: Path) -> None:
    repo = make_site(tmp_path / "blog")
    runner = CliRunner()
    out = ["--out", str(state.out_dir)]
    result = runner.invoke(approve_command, out)
    assert result.exit_code == 2 and "give post ids" in result.stderr
    result = runner.invoke(approve_command, ["1", "2", *out])
    assert result.exit_code == 0 and "2 posts approved" in result.stdout
    result = runner.invoke(publish_command, ["--repo", str(repo), "--json", *out])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert {p["id"] for p in data["published"]} == {1, 2} and data["commit"]
    result = runner.invoke(publish_command, ["--repo", str(repo), "--approve-all", *out])
    assert result.exit_code == 0, result.stderr
    assert "2 posts written" in result.stdout and "commit" in result.stdout
    assert len(list((repo / "_posts").iterdir())) == 4


@pytest.mark.parametrize("command", [approve_command, publish_command])
def test_commands_have_help_with_example(command) -> None:
    result = CliRunner().invoke(command, ["--help"])
    assert result.exit_code == 0 and "Example:" in result.stdout


def test_site_in_a_subfolder_of_the_repository(state: Settings, tmp_path: Path) -> None:
    """GitHub Pages style: the Jekyll site lives in docs/ of a larger repository."""
    repo = tmp_path / "project"
    make_site(repo, "plain")
    docs = repo / "docs"
    docs.mkdir()
    (docs / "_config.yml").write_text("title: 문서\n", "utf-8")
    report = publish_posts(state, docs, post_ids=[1])
    assert report.published[0].path.startswith("_posts/")
    committed = git(repo, "show", "--name-only", "--format=", "-z", "HEAD").split("\0")
    assert any(name.startswith("docs/_posts/") for name in committed)


def test_a_git_still_holding_the_index_lock_is_waited_for(state: Settings, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """After a publish is killed its git commit may still be finishing: the next publish waits
    for the lock; a lock nobody releases is one clear error, and nothing is marked published."""
    import threading

    import sokbo.publish.repo as repo_module

    repo = make_site(tmp_path / "blog")
    approve_posts(state)
    lock = repo / ".git" / "index.lock"
    lock.write_text("", "utf-8")
    threading.Timer(0.5, lock.unlink).start()
    report = publish_posts(state, repo)
    assert len(report.written) == 4 and commits(repo) == 1

    repo = make_site(tmp_path / "blog2")
    with Store(state.db_path) as store, store.transaction() as db:
        db.execute("UPDATE posts SET status = 'approved', published_hash = NULL")
    lock = repo / ".git" / "index.lock"
    lock.write_text("", "utf-8")
    monkeypatch.setattr(repo_module, "GIT_LOCK_WAIT", 0.3)
    with pytest.raises(PublishError, match="index.lock") as e:
        publish_posts(state, repo)
    assert "\n" not in str(e.value)
    assert {r.status for r in records(state).values()} == {"approved"}


def test_temp_files_of_a_killed_publish_are_removed(state: Settings, tmp_path: Path) -> None:
    proc = subprocess.Popen(["true"])
    proc.wait()
    repo = make_site(tmp_path / "blog")
    stray = repo / "_posts" / f".2026-11-20-글.html.sokbo-{proc.pid}-abc.tmp"
    stray.parent.mkdir()
    stray.write_text("half", "utf-8")
    approve_posts(state)
    publish_posts(state, repo)
    assert not stray.exists()
    assert git(repo, "status", "--porcelain") == ""


@pytest.mark.parametrize(("marker", "folder"), [("jekyll", "assets/cards"),
                                                ("hugo", "static/assets/cards")])
def test_title_cards_are_committed_where_the_site_serves_them(state: Settings, tmp_path: Path,
                                                              marker: str, folder: str) -> None:
    pytest.importorskip("PIL")
    from sokbo.fsutil import current_umask
    from sokbo.render.card import fonts_available

    if not fonts_available():
        pytest.skip("no Korean font (apt-get install fonts-nanum)")
    repo = make_site(tmp_path / "blog", marker)
    report = publish_posts(state, repo, post_ids=[1, 2])
    with Store(state.db_path) as store:
        slugs = [store.load_post(i).slug for i in (1, 2)]
    committed = git(repo, "-c", "core.quotepath=false", "show", "--name-only", "--format=",
                    "HEAD").split()
    for slug in slugs:
        card = repo / folder / f"{slug}.png"
        assert card.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"{folder}/{slug}.png" in committed
        assert card.stat().st_mode & 0o777 == 0o666 & ~current_umask()
    text = (repo / report.published[0].path).read_text("utf-8")
    assert "/assets/cards/" in text
    # a second run finds the cards in place: nothing new to commit
    head = git(repo, "rev-parse", "HEAD")
    again = publish_posts(state, repo, post_ids=[1, 2])
    assert again.commit is None and git(repo, "rev-parse", "HEAD") == head


def test_killed_before_its_commit_the_next_publish_commits_posts_and_cards(
        state: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by the kill test: the files of a killed publish were found 'unchanged' by the
    next one, which then left their title cards out of the commit."""
    pytest.importorskip("PIL")
    import sokbo.publish.repo as publish_repo
    from sokbo.render.card import fonts_available

    if not fonts_available():
        pytest.skip("no Korean font (apt-get install fonts-nanum)")

    class Killed(BaseException):
        pass

    def die(*args, **kw):
        raise Killed

    repo = make_site(tmp_path / "blog")
    approve_posts(state)
    monkeypatch.setattr(publish_repo, "_commit", die)
    with pytest.raises(Killed):
        publish_posts(state, repo)
    monkeypatch.undo()
    assert commits(repo) == 0
    report = publish_posts(state, repo)
    assert [o.action for o in report.published] == ["unchanged"] * 4
    committed = git(repo, "-c", "core.quotepath=false", "ls-files").split()
    assert sum(1 for f in committed if f.startswith("assets/cards/")) == 4
    assert sum(1 for f in committed if f.startswith("_posts/")) == 4
    assert git(repo, "status", "--porcelain") == ""


def test_a_killed_publish_leaves_no_card_temp_file(state: Settings, tmp_path: Path) -> None:
    """A publish killed while copying a title card leaves the card's temp file in the site (and
    one drawing it, in our own cards folder): the next publish removes both (seen once in the
    kill test)."""
    repo = make_site(tmp_path / "blog")
    approve_posts(state)
    gone = 2**22 + 12345  # no such process
    left = [repo / "assets" / "cards" / f".a.png.sokbo-{gone}-x1y2.tmp",
            state.out_dir / "assets" / "cards" / f".b.png.sokbo-{gone}-z3w4.tmp"]
    for path in left:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\x89PNG half")
    publish_posts(state, repo)
    assert not any(p.exists() for p in left)
    assert git(repo, "status", "--porcelain", "--ignored") == ""
