"""SQLite state: articles seen, stories, posts with per-sentence provenance, feed state.

Every write happens inside a transaction; the schema is a list of ordered, named migrations.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sokbo.errors import StoreError
from sokbo.models import Article, Post, Sentence, post_from_dict, post_to_dict

MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_initial",
        """
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            url TEXT NOT NULL,
            title TEXT NOT NULL,
            outlet TEXT NOT NULL,
            published TEXT,
            text TEXT NOT NULL,
            sentences TEXT NOT NULL,
            image TEXT,
            category TEXT,
            content_hash TEXT NOT NULL,
            story_id TEXT,
            first_seen TEXT NOT NULL,
            updated TEXT NOT NULL
        );
        CREATE INDEX articles_story ON articles(story_id);
        CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            slug TEXT NOT NULL,
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        );
        CREATE TABLE posts (
            id INTEGER PRIMARY KEY,
            story_id TEXT NOT NULL UNIQUE REFERENCES stories(id),
            path TEXT NOT NULL,
            format TEXT NOT NULL,
            title TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'draft',
            input_hash TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            rendered TEXT NOT NULL,
            findings TEXT NOT NULL DEFAULT '[]',
            published_hash TEXT,
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        );
        CREATE TABLE post_sentences (
            post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            role TEXT NOT NULL,
            text TEXT NOT NULL,
            source_id TEXT NOT NULL,
            sentence_index INTEGER NOT NULL,
            PRIMARY KEY (post_id, position)
        );
        CREATE TABLE feed_state (
            url TEXT PRIMARY KEY,
            etag TEXT,
            last_modified TEXT,
            checked TEXT NOT NULL
        );
        """,
    ),
    (
        "0002_post_json",
        """
        ALTER TABLE posts ADD COLUMN post_json TEXT NOT NULL DEFAULT '{}'
        """,
    ),
    (
        # Conditional GET for article pages, and what a feed listed when it was last read, so
        # a feed is only asked "changed?" once every item it listed is stored (crash-safe).
        "0003_page_state",
        """
        CREATE TABLE page_state (
            url TEXT PRIMARY KEY,
            article_id TEXT,
            etag TEXT,
            last_modified TEXT,
            stamp TEXT,
            status TEXT NOT NULL DEFAULT 'ok',
            checked TEXT NOT NULL
        );
        ALTER TABLE feed_state ADD COLUMN items TEXT
        """,
    ),
]


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


@dataclass(frozen=True, slots=True)
class PageState:
    """What we know about one fetched page URL (a feed item's link or a page input).

    ``status`` is ``ok`` (``article_id`` was extracted from it) or ``failed`` (the page was
    fetched but holds no usable article; it is retried when its feed ``stamp`` changes).
    """

    url: str
    article_id: str | None
    etag: str | None
    last_modified: str | None
    stamp: str | None
    status: str
    checked: str | None = None  # set when read back; save_page_state stamps the time itself


@dataclass(frozen=True, slots=True)
class PostRecord:
    id: int
    story_id: str
    path: str
    format: str
    title: str
    status: str
    input_hash: str
    content_hash: str
    rendered: str
    findings: list[dict[str, Any]]
    published_hash: str | None
    created: str
    updated: str


class Store:
    """One SQLite file; use as a context manager or call close()."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA journal_mode = WAL")
            self._migrate()
        except (sqlite3.Error, OSError) as e:
            raise StoreError(f"cannot open state database: {e}", source=str(self.path)) from e

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any exception."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as e:
            raise StoreError(f"database is busy: {e}", source=str(self.path)) from e
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    def _migrate(self) -> None:
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied TEXT NOT NULL)"
        )
        done = {r[0] for r in self.db.execute("SELECT name FROM _migrations")}
        for name, sql in MIGRATIONS:
            if name in done:
                continue
            with self.transaction() as db:
                for statement in sql.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute("INSERT INTO _migrations VALUES (?, ?)", (name, now_iso()))

    # --- articles -------------------------------------------------------------------------

    def article_urls(self) -> dict[str, str]:
        """article id → the URL it was stored with."""
        return {r["id"]: r["url"] for r in self.db.execute("SELECT id, url FROM articles")}

    def article_hashes(self) -> dict[str, tuple[str, str | None]]:
        """article id → (content hash, story id)."""
        return {
            r["id"]: (r["content_hash"], r["story_id"])
            for r in self.db.execute("SELECT id, content_hash, story_id FROM articles")
        }

    def upsert_article(self, db: sqlite3.Connection, a: Article, story_id: str | None) -> None:
        now = now_iso()
        sentences = json.dumps([[s.text, s.start, s.end] for s in a.sentences], ensure_ascii=False)
        db.execute(
            """INSERT INTO articles (id, url, title, outlet, published, text, sentences, image,
                   category, content_hash, story_id, first_seen, updated)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
               ON CONFLICT(id) DO UPDATE SET url=excluded.url, title=excluded.title,
                   outlet=excluded.outlet, published=excluded.published, text=excluded.text,
                   sentences=excluded.sentences, image=excluded.image, category=excluded.category,
                   content_hash=excluded.content_hash, story_id=excluded.story_id,
                   updated=excluded.updated""",
            (a.id, a.url, a.title, a.outlet, a.published.isoformat() if a.published else None,
             a.text, sentences, a.image, a.category, a.content_hash, story_id, now, now),
        )

    def load_articles(self, ids: list[str] | None = None) -> list[Article]:
        if ids is None:
            rows = self.db.execute("SELECT * FROM articles ORDER BY published, id").fetchall()
        else:
            rows = []
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                rows += self.db.execute(
                    f"SELECT * FROM articles WHERE id IN ({','.join('?' * len(chunk))})", chunk
                ).fetchall()
        return [_article_from_row(r) for r in rows]

    def story_articles(self, story_id: str) -> list[Article]:
        rows = self.db.execute(
            "SELECT * FROM articles WHERE story_id = ? ORDER BY published, id", (story_id,)
        ).fetchall()
        return [_article_from_row(r) for r in rows]

    # --- stories and posts ----------------------------------------------------------------

    def story_slug(self, story_id: str) -> str | None:
        row = self.db.execute("SELECT slug FROM stories WHERE id = ?", (story_id,)).fetchone()
        return row["slug"] if row else None

    def upsert_story(self, db: sqlite3.Connection, story_id: str, slug: str) -> None:
        now = now_iso()
        db.execute(
            """INSERT INTO stories (id, slug, created, updated) VALUES (?,?,?,?)
               ON CONFLICT(id) DO UPDATE SET updated=excluded.updated""",
            (story_id, slug, now, now),
        )

    def get_post(self, story_id: str) -> PostRecord | None:
        row = self.db.execute("SELECT * FROM posts WHERE story_id = ?", (story_id,)).fetchone()
        return _post_from_row(row) if row else None

    def get_post_by_id(self, post_id: int) -> PostRecord | None:
        row = self.db.execute("SELECT * FROM posts WHERE id = ?", (post_id,)).fetchone()
        return _post_from_row(row) if row else None

    def list_posts(self, status: str | None = None) -> list[PostRecord]:
        if status:
            rows = self.db.execute(
                "SELECT * FROM posts WHERE status = ? ORDER BY updated DESC", (status,)
            )
        else:
            rows = self.db.execute("SELECT * FROM posts ORDER BY updated DESC")
        return [_post_from_row(r) for r in rows]

    def save_post(
        self,
        db: sqlite3.Connection,
        post: Post,
        *,
        path: str,
        fmt: str,
        input_hash: str,
        content_hash: str,
        rendered: str,
        status: str,
        findings: list[dict[str, Any]],
    ) -> int:
        now = now_iso()
        db.execute(
            """INSERT INTO posts (story_id, path, format, title, status, input_hash, content_hash,
                   rendered, findings, post_json, created, updated)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
               ON CONFLICT(story_id) DO UPDATE SET path=excluded.path, format=excluded.format,
                   title=excluded.title, status=excluded.status, input_hash=excluded.input_hash,
                   content_hash=excluded.content_hash, rendered=excluded.rendered,
                   findings=excluded.findings, post_json=excluded.post_json,
                   updated=excluded.updated""",
            (post.story_id, path, fmt, post.title, status, input_hash, content_hash, rendered,
             json.dumps(findings, ensure_ascii=False),
             json.dumps(post_to_dict(post), ensure_ascii=False), now, now),
        )
        post_id = db.execute(
            "SELECT id FROM posts WHERE story_id = ?", (post.story_id,)
        ).fetchone()[0]
        db.execute("DELETE FROM post_sentences WHERE post_id = ?", (post_id,))
        db.executemany(
            "INSERT INTO post_sentences VALUES (?,?,?,?,?,?)",
            [(post_id, pos, s.role, s.text, s.source_id, s.index)
             for pos, s in enumerate(post.all_sentences())],
        )
        return int(post_id)

    def load_post(self, post_id: int) -> Post | None:
        """The stored Post (cards, sections, provenance) of a post record, for re-rendering."""
        row = self.db.execute("SELECT post_json FROM posts WHERE id = ?", (post_id,)).fetchone()
        if not row or row[0] in ("", "{}"):
            return None
        return post_from_dict(json.loads(row[0]))

    def post_sentences(self, post_id: int) -> list[sqlite3.Row]:
        return self.db.execute(
            "SELECT * FROM post_sentences WHERE post_id = ? ORDER BY position", (post_id,)
        ).fetchall()

    def set_post_status(self, post_id: int, status: str, *, published_hash: str | None = None,
                        db: sqlite3.Connection | None = None) -> None:
        conn = db or self.db
        conn.execute(
            "UPDATE posts SET status = ?, published_hash = COALESCE(?, published_hash), "
            "updated = ? WHERE id = ?",
            (status, published_hash, now_iso(), post_id),
        )

    # --- feeds and pages (conditional GET) ---------------------------------------------

    def feed_state(self, url: str) -> tuple[str | None, str | None]:
        row = self.db.execute(
            "SELECT etag, last_modified FROM feed_state WHERE url = ?", (url,)
        ).fetchone()
        return (row["etag"], row["last_modified"]) if row else (None, None)

    def feed_items(self, url: str) -> dict[str, str | None] | None:
        """item URL → stamp for what the feed listed when last read (None: never read)."""
        row = self.db.execute("SELECT items FROM feed_state WHERE url = ?", (url,)).fetchone()
        if not row or row["items"] is None:
            return None
        try:
            items = json.loads(row["items"])
        except ValueError:
            return None
        return items if isinstance(items, dict) else None

    def save_feed_state(self, url: str, etag: str | None, last_modified: str | None,
                        items: dict[str, str | None] | None = None) -> None:
        with self.transaction() as db:
            db.execute(
                """INSERT INTO feed_state (url, etag, last_modified, checked, items)
                   VALUES (?,?,?,?,?) ON CONFLICT(url) DO UPDATE SET
                   etag=excluded.etag, last_modified=excluded.last_modified,
                   checked=excluded.checked, items=COALESCE(excluded.items, feed_state.items)""",
                (url, etag, last_modified, now_iso(),
                 None if items is None else json.dumps(items, ensure_ascii=False)),
            )

    def page_state(self, url: str) -> PageState | None:
        row = self.db.execute("SELECT * FROM page_state WHERE url = ?", (url,)).fetchone()
        if not row:
            return None
        return PageState(url=row["url"], article_id=row["article_id"], etag=row["etag"],
                         last_modified=row["last_modified"], stamp=row["stamp"],
                         status=row["status"], checked=row["checked"])

    def save_page_state(self, state: PageState) -> None:
        with self.transaction() as db:
            db.execute(
                """INSERT INTO page_state (url, article_id, etag, last_modified, stamp, status,
                       checked) VALUES (?,?,?,?,?,?,?)
                   ON CONFLICT(url) DO UPDATE SET article_id=excluded.article_id,
                       etag=excluded.etag, last_modified=excluded.last_modified,
                       stamp=excluded.stamp, status=excluded.status, checked=excluded.checked""",
                (state.url, state.article_id, state.etag, state.last_modified, state.stamp,
                 state.status, now_iso()),
            )

def _article_from_row(r: sqlite3.Row) -> Article:
    sentences = tuple(
        Sentence(text=t, source_id=r["id"], index=i, start=a, end=b)
        for i, (t, a, b) in enumerate(json.loads(r["sentences"]))
    )
    return Article(
        id=r["id"],
        url=r["url"],
        title=r["title"],
        outlet=r["outlet"],
        published=datetime.fromisoformat(r["published"]) if r["published"] else None,
        text=r["text"],
        sentences=sentences,
        image=r["image"],
        category=r["category"],
    )


def _post_from_row(r: sqlite3.Row) -> PostRecord:
    return PostRecord(
        id=r["id"], story_id=r["story_id"], path=r["path"], format=r["format"], title=r["title"],
        status=r["status"], input_hash=r["input_hash"], content_hash=r["content_hash"],
        rendered=r["rendered"], findings=json.loads(r["findings"]),
        published_hash=r["published_hash"], created=r["created"], updated=r["updated"],
    )
