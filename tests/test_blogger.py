"""`sokbo publish --blogger`: the Blogger v3 API with an OAuth token file, against a local server
that follows the documented request and response shapes (tests/bloggerapi.py)."""
from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from bloggerapi import FakeBlogger
from click.testing import CliRunner
from test_publish import copy_state
from webserver import live_server

from sokbo.cli_publish import publish_command
from sokbo.config import Settings
from sokbo.errors import PublishError
from sokbo.publish import publish_blogger


@pytest.fixture
def blogger(monkeypatch: pytest.MonkeyPatch):
    fake = FakeBlogger()
    with live_server(fake.app) as base:
        fake.base = base
        monkeypatch.setenv("SOKBO_BLOGGER_API", base + "/blogger/v3/")
        yield fake


@pytest.fixture
def state(demo_run, tmp_path: Path) -> Settings:
    settings, _ = demo_run
    return copy_state(settings, tmp_path / "out")


def token_file(tmp_path: Path, fake: FakeBlogger, *, expired: bool) -> Path:
    path = tmp_path / "blogger-token.json"
    path.write_text(json.dumps({
        "token": "ya29.stale" if expired else fake.issue(),
        "refresh_token": fake.refresh_token, "client_id": fake.client[0],
        "client_secret": fake.client[1], "token_uri": fake.base + "/token",
        "expiry": "2020-01-01T00:00:00Z" if expired else "2999-01-01T00:00:00Z",
    }), "utf-8")
    path.chmod(0o600)
    return path


def test_drafts_go_up_and_are_updated_in_place(blogger: FakeBlogger, state: Settings,
                                               tmp_path: Path) -> None:
    token = token_file(tmp_path, blogger, expired=True)
    report = publish_blogger(state, blogger.blog_id, token, post_ids=[1, 2])
    assert [o.action for o in report.published] == ["new", "new"], report.to_dict()
    # the expired token was refreshed and written back, the file still private
    saved = json.loads(token.read_text("utf-8"))
    assert saved["token"] in blogger.tokens and saved["expiry"] > "2026"
    assert stat.S_IMODE(token.stat().st_mode) == 0o600
    posts = list(blogger.posts.values())
    assert {p["status"] for p in posts} == {"DRAFT"}
    for p in posts:
        assert "출처" in p["content"] and "News" in p["labels"]
        assert "/sokbo-card.png" not in p["content"]  # no card URL Blogger could show
    # again: nothing sent but reads
    writes = [c for c in blogger.calls if not c.startswith("GET")]
    again = publish_blogger(state, blogger.blog_id, token, post_ids=[1, 2])
    assert [o.action for o in again.published] == ["unchanged", "unchanged"]
    assert [c for c in blogger.calls if not c.startswith("GET")] == writes

    # an edit in Blogger's editor is never overwritten
    first = report.published[0]
    pid = next(p["id"] for p in posts if p["url"] == first.path)
    blogger.edit_by_hand(pid, "<p>블로그에서 직접 고친 글</p>")
    from sokbo.store import Store

    with Store(state.db_path) as store, store.transaction() as db:
        db.execute("UPDATE posts SET post_json = json_set(post_json, '$.title', '새 제목') "
                   "WHERE id = ?", (first.post_id,))
    refused = publish_blogger(state, blogger.blog_id, token, post_ids=[first.post_id])
    assert refused.published == [] and "edited on Blogger" in refused.conflicts[0].reason
    assert blogger.posts[pid]["content"] == "<p>블로그에서 직접 고친 글</p>"


def test_publish_status_and_card_url(blogger: FakeBlogger, demo_dir: Path,
                                     tmp_path: Path) -> None:
    """With cards served from an http(s) base URL, the card is the body's first image."""
    from sokbo.config import load_settings
    from sokbo.pipeline import run_pipeline

    cfg = tmp_path / "sokbo.toml"
    cfg.write_text('[card]\nbase_url = "https://cdn.blog.example/cards/"\n', "utf-8")
    settings = load_settings(cfg).with_overrides(out_dir=tmp_path / "out")
    run_pipeline(settings, [str(demo_dir / "feed.xml")])
    token = token_file(tmp_path, blogger, expired=False)
    report = publish_blogger(settings, blogger.blog_id, token, post_ids=[1], status="publish")
    [post] = blogger.posts.values()
    assert post["status"] == "LIVE"
    assert '<img src="https://cdn.blog.example/cards/' in post["content"]
    assert report.published[0].path == post["url"]


def test_refused_token_is_one_error(blogger: FakeBlogger, state: Settings,
                                    tmp_path: Path) -> None:
    token = tmp_path / "t.json"
    token.write_text(json.dumps({"token": "ya29.revoked", "expiry": "2999-01-01T00:00:00Z"}))
    with pytest.raises(PublishError, match="refused the token"):
        publish_blogger(state, blogger.blog_id, token, post_ids=[1])
    token.write_text("{not json")
    with pytest.raises(PublishError, match="cannot read the Blogger token file"):
        publish_blogger(state, blogger.blog_id, token, post_ids=[1])
    with pytest.raises(PublishError, match="numeric|a number"):
        publish_blogger(state, "my-blog", token, post_ids=[1])


def test_cli_blogger(blogger: FakeBlogger, state: Settings, tmp_path: Path) -> None:
    token = token_file(tmp_path, blogger, expired=True)
    r = CliRunner().invoke(publish_command, ["--blogger", blogger.blog_id, "--blogger-token",
                                             str(token), "--post", "3", "--out",
                                             str(state.out_dir)])
    assert r.exit_code == 0, r.output
    assert r.output.startswith("new") and "posts sent to Blogger blog" in r.output
    r = CliRunner().invoke(publish_command, ["--blogger", blogger.blog_id, "--out",
                                             str(state.out_dir)])
    assert r.exit_code == 2 and "--blogger-token" in r.output
    r = CliRunner().invoke(publish_command, ["--out", str(state.out_dir)])
    assert r.exit_code == 2 and "--repo SITE, --wordpress URL or --blogger" in r.output
