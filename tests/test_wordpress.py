"""`sokbo publish --wordpress`: a real WordPress (Debian's package, MariaDB, php -S) on 127.0.0.1.

The server starts once per session (tests/wordpress.py); skipped, with the reason, only where
its Debian packages are not installed. Done-when: two demo posts go up as drafts with their
categories, tags, featured title card and meta; a source change updates one in place; a post
edited in WordPress is refused; everything is read back through the REST API.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from test_publish import copy_state
from wordpress import missing, start_wordpress

from sokbo.cli_publish import publish_command
from sokbo.config import Settings
from sokbo.errors import PublishError
from sokbo.pipeline import run_pipeline
from sokbo.publish.remote import publish_remote
from sokbo.publish.wordpress import WordPress, wordpress_credentials
from sokbo.store import Store

WHY_NOT = missing()
pytestmark = [pytest.mark.slow, pytest.mark.skipif(WHY_NOT is not None, reason=str(WHY_NOT))]
PLUGIN = Path(__file__).resolve().parent.parent / "src" / "sokbo" / "publish" / "sokbo-meta.php"


@pytest.fixture(scope="session")
def wp(tmp_path_factory: pytest.TempPathFactory):
    server = start_wordpress(tmp_path_factory.mktemp("wordpress"), plugins=[PLUGIN])
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def state(demo_run, tmp_path: Path) -> Settings:
    settings, _ = demo_run
    return copy_state(settings, tmp_path / "out")


def rest(wp, method: str, route: str, **kw):
    r = httpx.request(method, f"{wp.url}/wp-json/wp/v2/{route}", auth=(wp.user, wp.password),
                      timeout=30, **kw)
    assert r.status_code in (200, 201), r.text[:500]
    return r.json()


def client(wp) -> WordPress:
    return WordPress(wp.url, wp.user, wp.password)


def test_publish_update_refuse_and_read_back(wp, state: Settings, demo_dir: Path,
                                             tmp_path: Path) -> None:
    # 1. two demo posts go up as drafts
    with client(wp) as blog:
        first = publish_remote(state, blog, post_ids=[1, 2])
    assert [o.action for o in first.published] == ["new", "new"], first.to_dict()
    assert not first.warnings, "the meta plugin is installed: meta must be kept"
    with Store(state.db_path) as store:
        stored = {r.id: store.remote_post(r.story_id, blog.target) for r in store.list_posts()
                  if r.id in (1, 2)}
        posts = {i: store.load_post(i) for i in (1, 2)}
        records = {i: store.get_post_by_id(i) for i in (1, 2)}
    for pid in (1, 2):
        remote = rest(wp, "GET", f"posts/{stored[pid].remote_id}", params={"context": "edit"})
        post = posts[pid]
        assert remote["status"] == "draft"
        assert remote["title"]["raw"] == post.title
        assert post.excerpt[0].text in remote["excerpt"]["raw"]
        assert "출처" in remote["content"]["raw"] and "<img" not in remote["content"]["raw"]
        cats = {c["name"] for c in rest(wp, "GET", "categories", params={"include": ",".join(
            map(str, remote["categories"]))})}
        # an empty include= lists every tag: a post without a topic tag (below the topic
        # floor) has none to look up
        tags = {t["name"] for t in rest(wp, "GET", "tags", params={"include": ",".join(
            map(str, remote["tags"]))})} if remote["tags"] else set()
        assert cats == set(post.categories) and tags == set(post.tags)
        # the title card is the featured image, a PNG WordPress serves
        media = rest(wp, "GET", f"media/{remote['featured_media']}")
        assert media["mime_type"] == "image/png"
        assert media["media_details"]["width"] == 1200
        assert httpx.get(media["source_url"], timeout=30).content[:4] == b"\x89PNG"
        # sources and lint result in post meta
        meta = remote["meta"]
        assert meta["sokbo_story"] == post.story_id
        assert [s["outlet"] for s in json.loads(meta["sokbo_sources"])] == [
            s.outlet for s in post.sources]
        assert len(json.loads(meta["sokbo_lint"])) == len(records[pid].findings)

    # 2. a second run changes nothing; the password never reaches the store
    with client(wp) as blog:
        again = publish_remote(state, blog, post_ids=[1, 2])
    assert [o.action for o in again.published] == ["unchanged", "unchanged"]
    assert wp.password.encode() not in state.db_path.read_bytes()

    # 3. a source changes (an outlet corrects two figures): `sokbo run` rewrites that story's
    # post, and publishing updates the same WordPress post in place
    corpus = tmp_path / "corpus"
    shutil.copytree(demo_dir, corpus)
    pages = sorted(corpus.glob("*.html"))  # every outlet corrects it: they agree again

    def correct(old: str, new: str) -> None:
        for page in pages:
            raw = page.read_bytes()
            encoding = "utf-8" if raw.isascii() or _utf8(raw) else "cp949"
            page.write_bytes(raw.decode(encoding).replace(old, new).encode(encoding))

    correct("24.1%", "24.3%")
    rerun = run_pipeline(state, [str(corpus / "feed.xml")])
    [changed] = [p for p in rerun.posts if any("24.3%" in a.text for a in p.articles)]
    with Store(state.db_path) as store:
        pid = store.get_post(changed.story_id).id
    assert pid in (1, 2)
    with client(wp) as blog:
        updated = publish_remote(state, blog, post_ids=[1, 2])
    assert {o.post_id: o.action for o in updated.published} == {
        pid: "updated", 3 - pid: "unchanged"}
    remote = rest(wp, "GET", f"posts/{stored[pid].remote_id}", params={"context": "edit"})
    assert remote["id"] == int(stored[pid].remote_id)
    assert "24.3%" in remote["content"]["raw"] and "24.1%" not in remote["content"]["raw"]
    assert len(rest(wp, "GET", "posts", params={"status": "draft", "per_page": 100})) == 2

    # 4. someone edits the updated post in WordPress; the source changes again: sokbo refuses
    # to overwrite the edit, and says so
    rest(wp, "POST", f"posts/{stored[pid].remote_id}",
         json={"content": "<p>사람이 고친 본문</p>"})
    correct("24.3%", "24.4%")
    run_pipeline(state, [str(corpus / "feed.xml")])
    with client(wp) as blog:
        refused = publish_remote(state, blog, post_ids=[pid])
    assert refused.published == [] and len(refused.conflicts) == 1
    assert "edited on WordPress" in refused.conflicts[0].reason
    remote = rest(wp, "GET", f"posts/{stored[pid].remote_id}", params={"context": "edit"})
    assert remote["content"]["raw"] == "<p>사람이 고친 본문</p>"
    # the other post, untouched on the blog, is still sokbo's to update
    with client(wp) as blog:
        assert [o.action for o in publish_remote(state, blog, post_ids=[3 - pid]).published] \
            == ["unchanged"]


def test_publish_status_and_never_down(wp, state: Settings) -> None:
    with client(wp) as blog:
        report = publish_remote(state, blog, post_ids=[3], status="publish")
        [outcome] = report.published
        with Store(state.db_path) as store:
            rec = store.remote_post(store.get_post_by_id(3).story_id, blog.target)
    remote = rest(wp, "GET", f"posts/{rec.remote_id}", params={"context": "edit"})
    assert remote["status"] == "publish" and outcome.path == remote["link"]
    assert httpx.get(remote["link"], timeout=30).status_code == 200
    with Store(state.db_path) as store, store.transaction() as db:
        db.execute("UPDATE posts SET post_json = json_set(post_json, '$.title', '고친 제목') "
                   "WHERE id = 3")
    with client(wp) as blog:
        publish_remote(state, blog, post_ids=[3])  # default draft: stays published
    assert rest(wp, "GET", f"posts/{rec.remote_id}")["status"] == "publish"


def test_cli_publish_wordpress(wp, state: Settings, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "wp-password"
    secret.write_text(f"{wp.user}:{wp.password}\n", "utf-8")
    secret.chmod(0o600)
    args = ["--wordpress", wp.url, "--wp-password-file", str(secret), "--post", "4",
            "--out", str(state.out_dir)]
    r = CliRunner().invoke(publish_command, [*args, "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert [p["action"] for p in data["published"]] == ["new"]
    assert wp.password not in r.output
    r = CliRunner().invoke(publish_command, args)
    assert r.exit_code == 0 and "unchanged" in r.output and wp.password not in r.output

    # a wrong password is one line naming the user, exit 2, the password never echoed
    monkeypatch.setenv("SOKBO_WP_APP_PASSWORD", "wrong pass word 1234")
    monkeypatch.setenv("SOKBO_WP_USER", wp.user)
    r = CliRunner().invoke(publish_command, ["--wordpress", wp.url, "--out",
                                             str(state.out_dir), "--post", "4"])
    assert r.exit_code == 2
    assert "refused user 'editor'" in r.output and "wrong pass" not in r.output


def test_meta_without_the_plugin_is_a_warning(state: Settings, tmp_path: Path) -> None:
    server = start_wordpress(tmp_path / "bare-wp")  # no sokbo-meta.php
    try:
        with WordPress(server.url, server.user, server.password) as blog:
            report = publish_remote(state, blog, post_ids=[1])
        assert [o.action for o in report.published] == ["new"]
        assert report.warnings and "sokbo-meta.php" in report.warnings[0]
    finally:
        server.stop()


def test_credentials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(PublishError, match="SOKBO_WP_APP_PASSWORD"):
        wordpress_credentials("editor", None)
    monkeypatch.setenv("SOKBO_WP_APP_PASSWORD", "abcd EFGH 1234")
    with pytest.raises(PublishError, match="no WordPress user"):
        wordpress_credentials(None, None)
    assert wordpress_credentials("editor", None) == ("editor", "abcd EFGH 1234")
    secret = tmp_path / "pw"
    secret.write_text("writer:wxyz 5678\n", "utf-8")
    assert wordpress_credentials(None, secret) == ("writer", "wxyz 5678")
    with pytest.raises(PublishError, match="cannot read the password file"):
        wordpress_credentials("x", tmp_path / "none")


def test_unreachable_wordpress_is_one_error(state: Settings) -> None:
    from wordpress import free_port

    with WordPress(f"http://127.0.0.1:{free_port()}", "editor", "pw") as blog, \
            pytest.raises(PublishError, match="cannot reach"):
        publish_remote(state, blog, post_ids=[1])
    os.environ.pop("SOKBO_WP_APP_PASSWORD", None)


def _utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
