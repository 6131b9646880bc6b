"""The review page over real HTTP: pages, provenance links, CSRF, actions, errors, escaping."""
from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given
from hypothesis import settings as settings_
from hypothesis import strategies as st
from markupsafe import escape
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


@pytest.mark.parametrize("path", ["/posts/9223372036854775808", "/posts/" + "9" * 400,
                                  "/posts/0"])
def test_post_ids_beyond_any_row_are_404(web: Browser, path: str):
    assert_error_page(web.get(path), 404)
    web.get("/")
    r = web.post(path + "/approve", data={"csrf": web.token(1)})
    assert_error_page(r, 404)


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


def test_reviewers_title_is_theirs_and_its_findings_do_not_block(web: Browser, settings):
    """Issue 13: a title with a word (or a number) the sources lack is the reviewer's call:
    the finding is a warning marked as the reviewer's, the post can still be approved."""
    r = web.act(1, "title", title="부산항 AI 반도체 수출 99% 증가")
    assert r.headers["location"] == "/posts/1?msg=title-reviewer"
    rec = record(settings)
    assert rec.status == "draft" and rec.title_origin == "reviewer"
    mine = [f for f in rec.findings if f.get("reviewer")]
    assert {f["quote"] for f in mine} >= {"99%", "부산항"}
    assert all(f["severity"] == "warning" for f in mine)
    assert not any(f["severity"] == "error" for f in rec.findings)
    page = web.get("/posts/1").text
    assert "검토자가 쓴 제목" in page and "검토자 문구" in page
    assert web.act(1, "approve").headers["location"] == "/posts/1?msg=approved"
    # the writer's title again is the writer's again
    with Store(settings.db_path) as store:
        [edit] = store.edits(rec.story_id)
    web.act(1, "title", title=edit.original)
    rec = record(settings)
    assert rec.title_origin == "writer" and not any(f.get("reviewer") for f in rec.findings)
    with Store(settings.db_path) as store:
        assert store.edits(rec.story_id) == []


def test_reviewers_sentence_is_recorded_as_theirs(web: Browser, settings):
    with Store(settings.db_path) as store:
        first = store.post_sentences(1)[0]
    src = f"{first['source_id']}#{first['sentence_index']}"
    mine = "검토자가 다시 쓴 문장으로, 원문에 없는 12조 원이라는 숫자가 들어 있습니다."
    r = web.act(1, "text", sentence=src, text=f"  {mine} ")
    assert r.headers["location"] == "/posts/1?msg=text"
    rec = record(settings)
    assert rec.status == "draft"
    with Store(settings.db_path) as store:
        rows = [r for r in store.post_sentences(1)
                if f"{r['source_id']}#{r['sentence_index']}" == src]
        post = store.load_post(1)
    assert rows and all(r["text"] == mine and r["origin"] == "reviewer" for r in rows)
    others = [r for r in store_rows(settings) if f"{r['source_id']}#{r['sentence_index']}" != src]
    assert all(r["origin"] == "source" for r in others)
    assert mine in post.excerpt_text or any(mine == s.text for s in post.all_sentences())
    assert any(f.get("reviewer") and f["severity"] == "warning" for f in rec.findings)
    assert not any(f["severity"] == "error" for f in rec.findings)
    assert mine in (settings.out_dir / rec.path).read_text("utf-8")
    assert 'class="sent edited"' in web.get("/posts/1").text
    assert_error_page(web.act(1, "text", sentence="nope#1", text="문장"), 400)


def store_rows(settings: Settings, post_id: int = 1):
    with Store(settings.db_path) as store:
        return store.post_sentences(post_id)


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


def test_regenerate_rewrites_the_post_in_place(web: Browser, settings):
    web.act(1, "approve")
    before = record(settings)
    r = web.act(1, "regenerate")
    assert r.status_code == 303 and r.headers["location"] == "/posts/1?msg=regenerated-same"
    after = record(settings)
    assert after.status == "approved", "the same post again keeps its approval"
    assert after.id == before.id and after.path == before.path
    assert after.content_hash == before.content_hash


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


# --- the reviewer's work across runs (issue 11 item 8) -------------------------------------------

@pytest.fixture
def corpus_state(demo_dir: Path, tmp_path: Path):
    """A private copy of the demo corpus, run once: (settings, feed, first report)."""
    from sokbo.config import load_settings
    from sokbo.pipeline import run_pipeline

    corpus = tmp_path / "corpus"
    shutil.copytree(demo_dir, corpus)
    settings = load_settings().with_overrides(out_dir=tmp_path / "state")
    feed = [str(corpus / "feed.xml")]
    return settings, feed, run_pipeline(settings, feed)


def _source_file(corpus: Path, url: str) -> Path | None:
    """The demo page of an article, when it is UTF-8 (so a sentence can be edited in place)."""
    for page in corpus.glob("*.html"):
        raw = page.read_bytes()
        if b"euc-kr" not in raw.lower() and url.encode() in raw:
            return page
    return None


def test_reviewers_work_survives_a_source_change_and_the_change_is_shown(server, corpus_state):
    from sokbo.korean.style import to_polite
    from sokbo.pipeline import run_pipeline

    settings, feed, first = corpus_state
    corpus = Path(feed[0]).parent
    switch, base = server
    switch.app = create_app(settings)
    with Store(settings.db_path) as store:
        # a post with two sentences from one UTF-8 page: the reviewer rewrites one, the
        # outlet later rewords the other
        for result in first.posts:
            rec = store.get_post(result.story_id)
            rows = store.post_sentences(rec.id)
            pages = {a.id: _source_file(corpus, a.url) for a in result.articles}
            articles = {a.id: a for a in result.articles}
            usable = list(dict.fromkeys(
                (r["source_id"], r["sentence_index"]) for r in rows if pages[r["source_id"]]))
            if len(usable) >= 2:
                break
        else:
            pytest.fail("no demo post with two sentences from a UTF-8 page")
    (a_id, a_idx), (b_id, b_idx) = usable[0], usable[-1]
    mine = "검토자가 이 문장을 직접 다듬었습니다."
    title = "검토자가 다듬은 제목"
    try:
        with Browser(base_url=base) as web:
            web.act(rec.id, "title", title=title)
            web.act(rec.id, "text", sentence=f"{a_id}#{a_idx}", text=mine)
            assert web.act(rec.id, "approve").headers["location"].endswith("msg=approved")

            # the outlet rewords sentence B of its article; the story is written again
            old = articles[b_id].sentences[b_idx].text
            new = old.replace("다.", "다고 설명했다.") if old.endswith("다.") else "특히 " + old
            page = pages[b_id]
            raw = page.read_text("utf-8")
            assert old in raw
            page.write_text(raw.replace(old, new), "utf-8")
            second = run_pipeline(settings, feed)
            [again] = [p for p in second.posts if p.story_id == rec.story_id]
            assert again.status == "updated" and again.review == "changed"
            assert again.title == title and again.title_origin == "reviewer"

            after = record(settings, rec.id)
            assert after.status == "changed" and after.title == title
            assert after.title_origin == "reviewer"
            assert f"title: {title}" in (settings.out_dir / after.path).read_text("utf-8")
            rows = store_rows(settings, rec.id)
            edited = [r for r in rows if (r["source_id"], r["sentence_index"]) == (a_id, a_idx)]
            assert edited and all(r["text"] == mine and r["origin"] == "reviewer"
                                  for r in edited)
            assert all(r["origin"] == "source" for r in rows if r not in edited)

            page_html = web.get(f"/posts/{rec.id}").text
            assert 'id="change"' in page_html and "승인 뒤 바뀜" in page_html
            assert f"<del>{escape(to_polite(old))}</del>" in page_html
            assert "내용이 바뀐 기사" in page_html
            # approved again: the change is no longer pending
            assert web.act(rec.id, "approve").headers["location"].endswith("msg=approved")
            assert 'id="change"' not in web.get(f"/posts/{rec.id}").text
            # an unchanged run keeps the approval and the reviewer's words
            third = run_pipeline(settings, feed)
            # (unchanged pages are not even extracted again: no post is visited)
            assert {p.status for p in third.posts} <= {"unchanged"}
            assert record(settings, rec.id).status == "approved"
    finally:
        switch.app = None


# --- a read-only output folder -----------------------------------------------------------------

def test_read_only_state_is_shown_and_actions_say_why_not(settings):
    """`sokbo serve` on a folder it cannot write: every page works, actions answer 503 with
    the reason, and the page says why its buttons are off."""
    import sys
    import time

    from readonly import read_only
    from webserver import free_port

    port = free_port()
    with read_only(settings.out_dir) as prefix:
        proc = subprocess.Popen(
            [*prefix, sys.executable, "-m", "sokbo", "serve", "--out", str(settings.out_dir),
             "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            with Browser(base_url=f"http://127.0.0.1:{port}") as web:
                deadline = time.monotonic() + 30
                while True:
                    try:
                        index = web.get("/")
                        break
                    except httpx.TransportError:
                        assert proc.poll() is None, proc.communicate()
                        assert time.monotonic() < deadline, "serve did not start"
                        time.sleep(0.1)
                assert index.status_code == 200
                assert 'id="read-only"' in index.text
                with Store(settings.db_path) as store:
                    titles = [r.title for r in store.list_posts()]
                assert all(str(escape(t)) in index.text for t in titles)
                page = web.get("/posts/1")
                assert page.status_code == 200 and 'id="read-only"' in page.text
                assert re.search(r'class="approve"\s+disabled', page.text)
                r = web.act(1, "approve")
                assert_error_page(r, 503)
                assert "read-only" in r.text
        finally:
            proc.terminate()
            proc.communicate(timeout=30)
    assert record(settings).status == "draft"


# --- form fields are untrusted input -------------------------------------------------------------

FORM_OK = {303, 400, 403, 404, 409, 413, 503}
_field_names = st.sampled_from(["title", "text", "sentence", "csrf", "x", "", "title[]"])
_values = st.one_of(
    st.binary(max_size=60),
    st.text(max_size=60).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.sampled_from([b"", b"   ", "가".encode() * 31, b"\x00", b"\xff\xfe", b"%",
                     "a0000000000000#1".encode(), "부산항 반도체 99%".encode()]),
)


@st.composite
def form_bodies(draw) -> tuple[bytes, str]:
    """(body, content type): url-encoded fields (any bytes), or a raw multipart body."""
    from urllib.parse import quote_from_bytes

    if draw(st.booleans()):
        fields = draw(st.lists(st.tuples(_field_names.map(str.encode), _values), max_size=6))
        body = b"&".join(quote_from_bytes(k).encode() + b"=" + quote_from_bytes(v).encode()
                         for k, v in fields)
        return body, "application/x-www-form-urlencoded"
    boundary = draw(st.sampled_from(["b", "x" * 70, ""]))
    parts = draw(st.lists(st.tuples(_field_names, _values), max_size=4))
    body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{n}"\r\n\r\n'
                    .encode() + v + b"\r\n" for n, v in parts)
    body += draw(st.sampled_from([f"--{boundary}--\r\n".encode(), b"", b"--"]))
    return body, f"multipart/form-data; boundary={boundary}"


@settings_(max_examples=int(os.environ.get("SOKBO_FORM_EXAMPLES", "60")), deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(action=st.sampled_from(sorted(review.ACTIONS)), body=form_bodies(),
       post_id=st.sampled_from(["1", "2", "99999999999999999999"]), token=st.booleans())
def test_any_form_gets_a_status_never_a_500(web: Browser, action: str, body: tuple[bytes, str],
                                            post_id: str, token: bool):
    content, ctype = body
    if token:  # most of the input space is behind the CSRF check: get past it
        sep = b"&" if content else b""
        if ctype.startswith("application/"):
            content = b"csrf=" + web.token(1).encode() + sep + content
        else:
            boundary = ctype.split("boundary=")[1]
            content = (f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n'
                       f"{web.token(1)}\r\n").encode() + content
    r = web.post(f"/posts/{post_id}/{action}", content=content,
                 headers={"content-type": ctype})
    assert r.status_code in FORM_OK, (r.status_code, r.text[-400:])
    assert "Traceback" not in r.text
