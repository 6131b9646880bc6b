"""The review page over real HTTP: pages, provenance links, CSRF, actions, errors, escaping."""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from webserver import AppSwitch, live_server

from sokbo.config import Settings
from sokbo.store import Store
from sokbo.web import create_app, review

TOKEN = re.compile(r'name="csrf" value="([0-9a-f]{64})"')
ERROR_FINDING = {
    "code": "SB602", "name": "unsupported-mention", "severity": "error", "location": "line 12",
    "quote": "99%", "message_ko": "숫자 '99%'이(가) 어느 출처에도 없습니다",
    "message_en": "number '99%' appears in no source",
}


def make_site(path: Path) -> Path:
    """A Jekyll site checkout: _config.yml, committed."""
    path.mkdir(parents=True)
    (path / "_config.yml").write_text("title: 테스트 블로그\n", encoding="utf-8")
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@localhost",
           "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q"], cwd=path, check=True)
    subprocess.run([*git, "add", "_config.yml"], cwd=path, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "init"], cwd=path, check=True)
    return path


@pytest.fixture
def settings(demo_run, tmp_path: Path) -> Settings:
    """A private copy of the session's demo output (posts + sokbo.db)."""
    base, _ = demo_run
    out = tmp_path / "out"
    shutil.copytree(base.out_dir, out)
    return base.with_overrides(out_dir=out)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site")


class Browser(httpx.Client):
    """An httpx client that keeps the session cookie and reads CSRF tokens off pages."""

    def token(self, post_id: int = 1) -> str:
        page = self.get(f"/posts/{post_id}")
        assert page.status_code == 200
        match = TOKEN.search(page.text)
        assert match, "the post page has no CSRF token"
        return match.group(1)

    def act(self, post_id: int, action: str, **fields: str) -> httpx.Response:
        return self.post(f"/posts/{post_id}/{action}", data={"csrf": self.token(post_id), **fields})


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[AppSwitch, str]]:
    """One uvicorn server for the module; each test points it at its own app."""
    switch = AppSwitch()
    with live_server(switch) as base:
        yield switch, base


@pytest.fixture
def web(server, settings: Settings, site: Path) -> Iterator[Browser]:
    switch, base = server
    switch.app = create_app(settings, site_repo=site)
    with Browser(base_url=base) as c:
        yield c
    switch.app = None


def record(settings: Settings, post_id: int = 1):
    with Store(settings.db_path) as store:
        return store.get_post_by_id(post_id)


def set_findings(settings: Settings, post_id: int, findings: list[dict], status: str) -> None:
    with Store(settings.db_path) as store, store.transaction() as db:
        db.execute("UPDATE posts SET findings = ?, status = ? WHERE id = ?",
                   (json.dumps(findings, ensure_ascii=False), status, post_id))


def assert_error_page(r: httpx.Response, status: int) -> None:
    assert r.status_code == status
    assert r.headers["content-type"].startswith("text/html")
    assert f'<span class="code">{status}</span>' in r.text
    assert "Traceback" not in r.text and 'File "' not in r.text


# --- pages -----------------------------------------------------------------------------------

def test_index_lists_every_story_with_status_outlets_and_findings(web: Browser, settings):
    set_findings(settings, 2, [ERROR_FINDING], "blocked")
    r = web.get("/")
    assert r.status_code == 200
    with Store(settings.db_path) as store:
        posts = store.list_posts()
        assert len(posts) == 4
        for p in posts:
            row = re.search(rf'<tr class="story" data-post-id="{p.id}">(.*?)</tr>', r.text, re.S)
            assert row, p.title
            assert f'href="/posts/{p.id}"' in row.group(1)
            assert review.STATUS_LABELS[p.status] in row.group(1)
            for a in store.story_articles(p.story_id):
                assert a.outlet in row.group(1)
    blocked = re.search(r'data-post-id="2">(.*?)</tr>', r.text, re.S).group(1)
    assert "오류 1" in blocked
    assert "차단됨" in blocked


def test_index_filters_by_status(web: Browser, settings):
    set_findings(settings, 2, [ERROR_FINDING], "blocked")
    r = web.get("/", params={"status": "blocked"})
    assert re.findall(r'data-post-id="(\d+)"', r.text) == ["2"]
    assert_error_page(web.get("/", params={"status": "nonsense"}), 400)


def test_post_view_links_every_sentence_to_its_source_sentence(web: Browser, settings):
    r = web.get("/posts/1")
    assert r.status_code == 200
    with Store(settings.db_path) as store:
        rows = store.post_sentences(1)
        articles = store.story_articles(record(settings).story_id)
    spans = re.findall(r'<span class="sent" data-src="([^"]+)" data-pos="(\d+)"', r.text)
    assert [(src, int(pos)) for src, pos in spans] == [
        (f"{row['source_id']}#{row['sentence_index']}", row["position"]) for row in rows
    ]
    # every source sentence is listed with its id, and every cited one is an anchor target
    for a in articles:
        for s in a.sentences:
            assert f'id="src-{a.id}-{s.index}"' in r.text
            assert f'<code class="sid">{s.id}</code>' in r.text
    for src, _ in spans:
        assert f'id="src-{src.replace("#", "-")}"' in r.text
    assert '<script src="/static/review.js" defer></script>' in r.text


def test_post_view_shows_the_rendered_body_sanitised(web: Browser, settings):
    r = web.get("/posts/1")
    raw = re.search(r'<div class="blog raw">(.*?)</div>', r.text, re.S).group(1)
    assert 'style="color:#ee2323"' in raw                 # the format's own markup survives
    assert "출처:" in raw and 'rel="noopener noreferrer nofollow"' in raw
    assert "title: " in r.text                             # front matter, as text


def test_sanitize_body_removes_active_content():
    dirty = ('<p onclick="x()">본문<script>alert(1)</script><a href="javascript:alert(1)">링크</a>'
             '<img src="x" onerror="alert(1)"><span style="color: red; position: fixed">글</span>'
             '<iframe src="https://evil.example"></iframe></p>')
    clean = review.sanitize_body(dirty)
    for bad in ("onclick", "<script", "javascript:", "onerror", "<iframe", "position"):
        assert bad not in clean
    assert "본문" in clean and "color:red" in clean


def test_text_is_escaped_everywhere(web: Browser, settings):
    evil = '<script>alert("x")</script>'
    with Store(settings.db_path) as store, store.transaction() as db:
        db.execute("UPDATE posts SET title = ? WHERE id = 1", (evil,))
        db.execute("UPDATE articles SET title = ?, outlet = ? WHERE story_id = ?",
                   (evil, evil, record(settings).story_id))
    set_findings(settings, 1, [{**ERROR_FINDING, "message_ko": evil, "quote": evil}], "blocked")
    for path in ("/", "/posts/1"):
        r = web.get(path)
        assert r.status_code == 200
        assert "<script>alert" not in r.text
        assert "&lt;script&gt;alert(" in r.text


def test_unknown_pages_and_posts_are_404(web: Browser):
    assert_error_page(web.get("/posts/999"), 404)
    assert_error_page(web.get("/nowhere"), 404)
    r = web.post("/posts/999/approve", data={"csrf": web.token(1)})
    assert_error_page(r, 404)


def test_security_headers_and_host_check(web: Browser):
    r = web.get("/")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    # a page on another name (DNS rebinding) must not be able to drive the review page
    assert web.get("/", headers={"host": "evil.example"}).status_code == 400
    assert web.get("/static/review.js").status_code == 200


# --- CSRF and methods --------------------------------------------------------------------------

@pytest.mark.parametrize("action", sorted(review.ACTIONS))
def test_get_on_an_action_is_405(web: Browser, settings, action: str):
    r = web.get(f"/posts/1/{action}")
    assert_error_page(r, 405)
    assert r.headers["allow"] == "POST"
    assert record(settings).status == "draft"


@pytest.mark.parametrize("action", sorted(review.ACTIONS))
def test_actions_without_a_valid_token_are_403(web: Browser, settings, action: str):
    web.get("/posts/1")                                   # has a session cookie now
    before = record(settings)
    assert_error_page(web.post(f"/posts/1/{action}", data={"title": "새 제목"}), 403)
    assert_error_page(web.post(f"/posts/1/{action}", data={"csrf": "0" * 64}), 403)
    after = record(settings)
    assert (after.status, after.title, after.updated) == (before.status, before.title,
                                                         before.updated)


def test_token_is_bound_to_the_session_and_origin(web: Browser, settings):
    token = web.token(1)
    with Browser(base_url=str(web.base_url)) as other:
        other.get("/")                                    # a different session cookie
        assert_error_page(other.post("/posts/1/approve", data={"csrf": token}), 403)
    with Browser(base_url=str(web.base_url)) as fresh:    # no cookie at all
        assert_error_page(fresh.post("/posts/1/approve", data={"csrf": token}), 403)
    cross = web.post("/posts/1/approve", data={"csrf": token},
                     headers={"origin": "https://evil.example"})
    assert_error_page(cross, 403)
    cross = web.post("/posts/1/approve", data={"csrf": token},
                     headers={"sec-fetch-site": "cross-site"})
    assert_error_page(cross, 403)
    assert record(settings).status == "draft"
    ok = web.post("/posts/1/approve", data={"csrf": token},
                  headers={"origin": str(web.base_url).rstrip("/")})
    assert ok.status_code == 303


# --- actions ------------------------------------------------------------------------------------

def test_approve_then_reject(web: Browser, settings):
    r = web.act(1, "approve")
    assert r.status_code == 303 and r.headers["location"] == "/posts/1?msg=approved"
    assert record(settings).status == "approved"
    page = web.get(r.headers["location"])
    assert review.MESSAGES["approved"] in page.text
    assert re.search(r'<button type="submit" class="publish" >', page.text)  # enabled
    assert web.act(1, "reject").status_code == 303
    assert record(settings).status == "rejected"


def test_error_findings_block_approve_and_publish(web: Browser, settings):
    set_findings(settings, 1, [ERROR_FINDING], "blocked")
    page = web.get("/posts/1")
    assert 'class="approve" disabled' in page.text
    assert "승인·발행할 수 없습니다" in page.text
    assert "SB602" in page.text and ERROR_FINDING["message_en"] in html.unescape(page.text)
    for action in ("approve", "publish"):
        r = web.act(1, action)
        assert_error_page(r, 409)
        assert "SB602" in r.text and "99%" in r.text        # says why
    assert record(settings).status == "blocked"


def test_publish_needs_approval_and_a_site(web: Browser, settings):
    r = web.act(1, "publish")
    assert_error_page(r, 409)
    assert "승인된 글만" in r.text
    with live_server(create_app(settings)) as base, Browser(base_url=base) as c:
        c.act(1, "approve")
        r = c.act(1, "publish")
        assert_error_page(r, 409)
        assert "--repo" in r.text


def test_publish_commits_the_post_to_the_site(web: Browser, settings, site: Path):
    web.act(1, "approve")
    r = web.act(1, "publish")
    assert r.status_code == 303 and r.headers["location"] == "/posts/1?msg=published"
    rec = record(settings)
    assert rec.status == "published"
    name = Path(rec.path).name
    assert (site / "_posts" / name).read_text(encoding="utf-8") == rec.rendered
    tracked = subprocess.run(["git", "-c", "core.quotepath=false", "ls-files", "_posts"],
                             cwd=site, capture_output=True, text=True, check=True).stdout
    assert name in tracked
    assert_error_page(web.act(1, "publish"), 409)          # nothing changed since


def test_edit_title_rerenders_relints_and_rewrites_the_file(web: Browser, settings):
    r = web.act(1, "title", title="  AI 반도체 수출   역대 최대 ")
    assert r.status_code == 303 and r.headers["location"] == "/posts/1?msg=title"
    rec = record(settings)
    assert rec.title == "AI 반도체 수출 역대 최대"
    assert "title: AI 반도체 수출 역대 최대\n" in rec.rendered
    assert (settings.out_dir / rec.path).read_text(encoding="utf-8") == rec.rendered
    assert rec.status == "draft"
    with Store(settings.db_path) as store:
        assert store.load_post(1).title == rec.title


def test_edit_title_with_an_invented_number_blocks_the_post(web: Browser, settings):
    r = web.act(1, "title", title="AI 반도체 수출 99% 증가")
    assert r.headers["location"] == "/posts/1?msg=title-blocked"
    rec = record(settings)
    assert rec.status == "blocked"
    assert any(f["severity"] == "error" for f in rec.findings)


@pytest.mark.parametrize("fields", [
    {"title": ""},
    {"title": "   "},
    {"title": "가" * 31},
    {"title": "줄\n바꿈\x00"},
    {},
])
def test_bad_title_form_is_400(web: Browser, settings, fields: dict):
    before = record(settings)
    assert_error_page(web.act(1, "title", **fields), 400)
    assert record(settings).title == before.title


def test_non_form_bodies_are_400(web: Browser):
    web.get("/")
    r = web.post("/posts/1/approve", content=b'{"csrf": "x"}',
                 headers={"content-type": "application/json"})
    assert_error_page(r, 400)


def test_regenerate_rewrites_the_post_as_a_new_draft(web: Browser, settings):
    web.act(1, "approve")
    before = record(settings)
    r = web.act(1, "regenerate")
    assert r.status_code == 303 and r.headers["location"] == "/posts/1?msg=regenerated"
    after = record(settings)
    assert after.status == "draft"
    assert after.id == before.id and after.path == before.path


def test_unexpected_errors_render_a_500_page(web: Browser, monkeypatch):
    def boom(store):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(review, "list_stories", boom)
    r = web.get("/")
    assert_error_page(r, 500)
    assert "secret internals" not in r.text


# --- the command --------------------------------------------------------------------------------

def test_serve_help_has_an_example():
    from sokbo.cli_serve import serve_command

    r = CliRunner().invoke(serve_command, ["--help"])
    assert r.exit_code == 0
    assert "Example:" in r.output and "--repo" in r.output and "127.0.0.1" in r.output


def test_serve_without_state_fails_in_one_line(tmp_path: Path):
    from sokbo.cli_serve import serve_command

    r = CliRunner().invoke(serve_command, ["--out", str(tmp_path / "none")])
    assert r.exit_code == 2
    assert r.output.strip().startswith("sokbo: error:") and "sokbo run" in r.output
    assert "Traceback" not in r.output


def test_serve_on_a_busy_port_is_one_line_and_exit_2(demo_run):
    """Port taken: one line on stderr naming the port, exit 2, no 'reviewing' line."""
    import socket
    import subprocess
    import sys

    settings, _ = demo_run
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "sokbo", "serve", "--out", str(settings.out_dir),
             "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("sokbo: error:") and f"port {port}" in lines[0]
    assert "in use" in lines[0]
    assert done.stdout == ""
