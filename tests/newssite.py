"""A fictional Korean news site on the loopback server, for source and watch tests.

Serves the bundled demo pages and feed plus ``tests/data/feeds/`` with ETag and
Last-Modified headers, so conditional GETs get real 304s. Also: fast settings, a config
file, and checks on what a run leaves behind (posts cite their outlets, no unsafe markup,
a consistent database).
"""
from __future__ import annotations

import hashlib
import re
import sqlite3
from pathlib import Path

from conftest import DATA
from loopback import LoopbackServer, Reply
from postparse import parse_post

from sokbo.config import Settings, load_settings
from sokbo.ingest import demo_feed

DEMO = demo_feed().parent
FEEDS = DATA / "feeds"
LAST_MODIFIED = "Tue, 24 Nov 2026 11:00:00 GMT"
UNSAFE = re.compile(r"<script|javascript:|\bon[a-z]+\s*=|<iframe|file://", re.I)


def content_type_for(name: str) -> str:
    if name.endswith(".xml"):
        return "application/rss+xml; charset=utf-8"
    return "text/html; charset=utf-8"


def page_reply(body: bytes, name: str, *, validators: bool = True,
               content_type: str | None = None) -> Reply:
    headers = {"Content-Type": content_type or content_type_for(name)}
    if validators:
        headers["ETag"] = f'"{hashlib.sha1(body).hexdigest()[:12]}"'
        headers["Last-Modified"] = LAST_MODIFIED
    return Reply(body=body, headers=headers)


def serve(srv: LoopbackServer, name: str, body: bytes | None = None, **kw: object) -> None:
    """Serve ``/name`` from the test feeds or the demo corpus (or ``body``), with validators."""
    if body is None:
        path = FEEDS / name if (FEEDS / name).exists() else DEMO / name
        body = path.read_bytes()
    srv.route_reply("/" + name, page_reply(body, name, **kw))  # type: ignore[arg-type]


def news_site(srv: LoopbackServer) -> LoopbackServer:
    for path in [*DEMO.glob("*.html"), DEMO / "feed.xml", *FEEDS.iterdir()]:
        serve(srv, path.name)
    return srv


def fast_settings(out: Path, **kw: object) -> Settings:
    base = {"http_timeout": 0.3, "http_retries": 1, "politeness_seconds": 0.0}
    base.update(kw)
    return load_settings().with_overrides(out_dir=out, **base)


def write_config(dir: Path, *, feeds: list[dict[str, str]] = (), timeout: float = 0.5,
                 retries: int = 1, extra: str = "") -> Path:
    lines = ["[http]", f"timeout = {timeout}", f"retries = {retries}",
             "politeness_seconds = 0.0", ""]
    for feed in feeds:
        lines.append("[[feeds]]")
        lines += [f'{k} = "{v}"' for k, v in feed.items()]
        lines.append("")
    path = dir / "sokbo.toml"
    path.write_text("\n".join(lines) + extra, encoding="utf-8")
    return path


def post_files(out: Path) -> list[Path]:
    posts = out / "_posts"
    return sorted(p for p in posts.iterdir() if not p.name.startswith(".")) if posts.exists() \
        else []


def cited_outlets(text: str) -> list[str]:
    """The outlets named in a post's 출처 paragraph."""
    _, blocks, _ = parse_post(text)
    for block in blocks:
        line = " ".join(block.text().split())
        if block.tag == "p" and line.startswith("출처"):
            return [o.strip() for o in line.split(":", 1)[1].split(",") if o.strip()]
    raise AssertionError("post has no 출처 paragraph")


def assert_no_unsafe_markup(out: Path, *texts: str) -> None:
    for path in post_files(out):
        body = path.read_text("utf-8")
        assert not UNSAFE.search(body), f"unsafe markup in {path.name}: {UNSAFE.search(body)}"
    for text in texts:
        assert not UNSAFE.search(text), f"unsafe markup in output: {UNSAFE.search(text)}"


def assert_consistent_db(out: Path) -> dict[str, int]:
    """The state database is intact and agrees with the post files; returns row counts."""
    db = sqlite3.connect(out / "sokbo.db")
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        posts = db.execute("SELECT story_id, path FROM posts").fetchall()
        paths = [p for _, p in posts]
        assert len(set(paths)) == len(paths), "two stories share a post file"
        on_disk = {f"_posts/{p.name}" for p in post_files(out)}
        assert set(paths) == on_disk, "every post file has exactly one DB row and vice versa"
        orphans = db.execute(
            "SELECT COUNT(*) FROM post_sentences ps JOIN posts p ON p.id = ps.post_id "
            "WHERE ps.source_id NOT IN (SELECT id FROM articles)").fetchone()[0]
        assert orphans == 0, "a post cites an article that is not stored"
        for (published,) in db.execute("SELECT published FROM articles"):
            assert published is None or re.search(r"[+-]\d\d:\d\d$", published), published
        return {
            "posts": len(posts),
            "articles": db.execute("SELECT COUNT(*) FROM articles").fetchone()[0],
            "stories": db.execute("SELECT COUNT(*) FROM stories").fetchone()[0],
        }
    finally:
        db.close()
