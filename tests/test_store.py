"""The state database: one file name per story (reserved in SQLite), migrations of old states."""
from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from conftest import DATA

from sokbo.config import load_settings
from sokbo.errors import StoreError
from sokbo.pipeline import post_inputs
from sokbo.store import MIGRATIONS, Store

SAME_HEADLINE = DATA / "inputs" / "same-headline.jsonl"


def _one_story_files(tmp_path: Path) -> list[Path]:
    """Two undated stories (a Daejeon alley, a Chuncheon library) under one headline."""
    lines = SAME_HEADLINE.read_text("utf-8").splitlines()
    files = []
    for n, line in enumerate(lines):
        path = tmp_path / f"story{n}.jsonl"
        path.write_text(line + "\n", "utf-8")
        files.append(path)
    return files


def test_two_stories_with_one_headline_on_one_day_never_share_a_file(tmp_path: Path) -> None:
    settings = load_settings().with_overrides(out_dir=tmp_path / "out")
    first, second = _one_story_files(tmp_path)
    [a] = post_inputs(settings, [str(first)]).posts
    [b] = post_inputs(settings, [str(second)]).posts
    assert a.title == b.title and a.story_id != b.story_id
    assert a.path != b.path, "the second story overwrote the first one's file"
    assert a.path.name.removesuffix(".html") + "-2.html" == b.path.name
    assert "대전시" in a.path.read_text("utf-8") and "춘천시" in b.path.read_text("utf-8")
    with Store(settings.db_path) as store:
        paths = {r.story_id: r.path for r in store.list_posts()}
        assert len(set(paths.values())) == 2
        assert store.story_slug(b.story_id).endswith("-2")

    # both keep their files when written again, in either order
    again_b = post_inputs(settings, [str(second)]).posts[0]
    again_a = post_inputs(settings, [str(first)]).posts[0]
    assert (again_a.path, again_b.path) == (a.path, b.path)
    assert again_a.status == again_b.status == "unchanged"


def test_a_file_sokbo_did_not_write_is_not_taken(tmp_path: Path) -> None:
    settings = load_settings().with_overrides(out_dir=tmp_path / "out")
    first, _ = _one_story_files(tmp_path)
    [a] = post_inputs(settings, [str(first)]).posts
    foreign = a.path.read_text("utf-8")
    a.path.unlink()
    with Store(settings.db_path) as store, store.transaction() as db:
        db.execute("DELETE FROM post_sentences")
        db.execute("DELETE FROM posts")
        db.execute("DELETE FROM stories")
    a.path.write_text("사람이 쓴 글\n", "utf-8")  # the user's own post under that name
    [again] = post_inputs(settings, [str(first)]).posts
    assert again.path != a.path and a.path.read_text("utf-8") == "사람이 쓴 글\n"
    # the same post under the next free name; its title card follows the name
    moved = again.path.read_text("utf-8")
    assert f"/assets/cards/{again.post.slug}.png" in moved

    def undated(text: str) -> str:  # an undated input is dated when written: seconds apart
        return re.sub(r"(?m)^date: .*$", "date:", text)

    assert undated(moved.replace(f"{again.post.slug}.png", f"{a.post.slug}.png")) == \
        undated(foreign)


def test_the_store_refuses_a_second_post_on_one_path(tmp_path: Path, demo_run) -> None:
    base, _ = demo_run
    with Store(base.db_path) as src:
        one, two = src.list_posts()[:2]
        post = src.load_post(one.id)
    with Store(tmp_path / "sokbo.db") as store:
        with store.transaction() as db:
            for sid in (one.story_id, two.story_id):
                store.upsert_story(db, sid, post.slug)
            store.save_post(db, post, path=one.path, fmt="jekyll", input_hash="x",
                            content_hash="y", rendered="z", status="draft", findings=[])
        import dataclasses

        other = dataclasses.replace(post, story_id=two.story_id)
        with pytest.raises(StoreError, match="already"), store.transaction() as db:
            store.save_post(db, other, path=one.path, fmt="jekyll", input_hash="x",
                            content_hash="y", rendered="z", status="draft", findings=[])


def _old_state(path: Path, applied: int) -> None:
    """A state database as an older sokbo left it: only the first ``applied`` migrations."""
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied TEXT NOT NULL)")
    for name, sql in MIGRATIONS[:applied]:
        for statement in sql.split(";"):
            if statement.strip():
                db.execute(statement)
        db.execute("INSERT INTO _migrations VALUES (?, '2026-01-01T00:00:00+00:00')", (name,))
    db.commit()
    db.close()


def test_old_state_with_two_posts_on_one_file_is_repaired(tmp_path: Path) -> None:
    """0.1 let two stories share a file; upgrading gives the later one its own name, and the
    next run writes it there (the first story's file is left as it is)."""
    settings = load_settings().with_overrides(out_dir=tmp_path / "out")
    settings.out_dir.mkdir()
    _old_state(settings.db_path, 3)
    first, second = _one_story_files(tmp_path)
    combined = tmp_path / "both.jsonl"
    combined.write_text(first.read_text("utf-8") + second.read_text("utf-8"), "utf-8")
    db = sqlite3.connect(settings.db_path)
    name = "_posts/2026-11-30-주민-위한-새-공간-문-연다.html"
    for n, sid in enumerate(("s1", "s2"), 1):
        db.execute("INSERT INTO stories VALUES (?, '주민-위한-새-공간-문-연다', 't', 't')", (sid,))
        db.execute("INSERT INTO posts (story_id, path, format, title, input_hash, content_hash, "
                   "rendered, created, updated, post_json) VALUES (?,?,?,?,?,?,?,?,?,?)",
                   (sid, name, "jekyll", "t", "i", "c", "r", "t", "t",
                    json.dumps({"slug": "주민-위한-새-공간-문-연다", "n": n})))
    db.commit()
    db.close()
    with Store(settings.db_path) as store:
        paths = {r.story_id: r.path for r in store.list_posts()}
        assert paths == {"s1": name, "s2": name.replace(".html", "-2.html")}
        assert store.story_slug("s2") == "주민-위한-새-공간-문-연다-2"
        with pytest.raises(StoreError):
            with store.transaction() as db:
                db.execute("UPDATE posts SET path = ? WHERE story_id = 's2'", (name,))


def test_a_read_only_state_can_be_read(tmp_path: Path, demo_run) -> None:
    import shutil
    import sys

    from readonly import run_read_only

    base, _ = demo_run
    out = tmp_path / "out"
    shutil.copytree(base.out_dir, out)
    script = (
        "import sys\n"
        "from sokbo.store import Store\n"
        "from sokbo.errors import StoreError\n"
        "try:\n"
        "    Store(sys.argv[1])\n"
        "except StoreError as e:\n"
        "    print('refused:', e)\n"
        "with Store(sys.argv[1], read_only=True) as s:\n"
        "    print('posts', len(s.list_posts()))\n"
    )
    done = run_read_only(out, [sys.executable, "-c", script, str(out / "sokbo.db")])
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("refused:") and "cannot open state database" in lines[0]
    assert int(lines[1].split()[1]) >= 3
