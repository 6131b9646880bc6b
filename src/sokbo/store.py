"""The state: articles seen, stories, posts with per-sentence provenance, feed state, and the
reviewer's edits and approvals; in an SQLite file, or on a PostgreSQL server (``sokbo.database``).

Every write happens inside a transaction; the schema is a list of ordered, named migrations.
A post's file path is unique (an index), so two stories can never share a file.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sokbo.errors import StoreError
from sokbo.models import Article, Post, Sentence, post_from_dict, post_to_dict

# A migration is SQL (statements separated by ";") or a function given the connection; each runs
# in its own transaction.
Migration = str | Callable[[sqlite3.Connection], None]
SQLITE_MAX_INT = 2**63 - 1


def _unique_post_paths(db: sqlite3.Connection) -> None:
    """0.1 let two stories on one day with one headline share a file name (the second
    overwrote the first). Give every later post of a shared path its own name, ``…-2``, the
    way new posts are named now; its file is written there on the story's next update."""
    taken = {r[0] for r in db.execute("SELECT path FROM posts")}
    shared = db.execute(
        "SELECT id, story_id, path, post_json FROM posts WHERE path IN "
        "(SELECT path FROM posts GROUP BY path HAVING COUNT(*) > 1) ORDER BY path, id"
    ).fetchall()
    first: set[str] = set()
    for post_id, story_id, path, post_json in shared:
        if path not in first:
            first.add(path)
            continue
        stem, dot, ext = path.rpartition(".")
        if not dot:
            stem, ext = path, ""
        n = 2
        while f"{stem}-{n}{dot}{ext}" in taken:
            n += 1
        new = f"{stem}-{n}{dot}{ext}"
        taken.add(new)
        data = json.loads(post_json or "{}")
        slug = f"{data['slug']}-{n}" if data.get("slug") else None
        if slug:
            data["slug"] = slug
            db.execute("UPDATE stories SET slug = ? WHERE id = ?", (slug, story_id))
        db.execute("UPDATE posts SET path = ?, post_json = ? WHERE id = ?",
                   (new, json.dumps(data, ensure_ascii=False), post_id))
    db.execute("CREATE UNIQUE INDEX posts_path ON posts(path)")


MIGRATIONS: list[tuple[str, Migration]] = [
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
    (
        # What a reviewer wrote is theirs and survives later runs: ``edits`` holds each edit
        # (the title, or the text of the post sentence taken from one source sentence) with
        # the writer's text it replaced; ``origin`` columns record who wrote what; the post as
        # approved is kept so a later change can be shown against it.
        "0004_reviewer_work",
        """
        ALTER TABLE posts ADD COLUMN title_origin TEXT NOT NULL DEFAULT 'writer';
        ALTER TABLE posts ADD COLUMN approved_json TEXT;
        ALTER TABLE post_sentences ADD COLUMN origin TEXT NOT NULL DEFAULT 'source';
        CREATE TABLE edits (
            story_id TEXT NOT NULL REFERENCES stories(id),
            target TEXT NOT NULL,
            original TEXT NOT NULL,
            text TEXT NOT NULL,
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            PRIMARY KEY (story_id, target)
        )
        """,
    ),
    ("0005_unique_post_paths", _unique_post_paths),
    (
        # Story clustering's own state (sokbo.cluster.stored): each article's terms and
        # normalised time, computed once; the label its story had at the end of its day;
        # stories merged later; stories waiting for their post; the parameters used.
        "0006_cluster_index",
        """
        CREATE TABLE article_terms (
            article_id TEXT PRIMARY KEY,
            content_hash TEXT NOT NULL,
            time REAL NOT NULL,
            day INTEGER NOT NULL,
            dated TEXT NOT NULL,
            terms TEXT NOT NULL,
            joined TEXT,
            analysed TEXT NOT NULL
        );
        CREATE INDEX article_terms_day ON article_terms(day, time, article_id);
        CREATE INDEX article_terms_joined ON article_terms(joined, day);
        CREATE TABLE story_merges (
            absorbed TEXT PRIMARY KEY,
            into_label TEXT NOT NULL,
            day INTEGER NOT NULL
        );
        CREATE INDEX story_merges_day ON story_merges(day);
        CREATE TABLE story_pending (label TEXT PRIMARY KEY);
        CREATE TABLE cluster_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)
        """,
    ),
    (
        # A post sent to a blog behind an API (WordPress, Blogger): the blog's id for it, and
        # what the blog said its modified time and text were right after sokbo wrote it, so a
        # later run updates it in place and refuses to overwrite an edit made on the blog.
        "0007_remote_posts",
        """
        CREATE TABLE remote_posts (
            story_id TEXT NOT NULL,
            target TEXT NOT NULL,
            remote_id TEXT NOT NULL,
            url TEXT NOT NULL DEFAULT '',
            modified TEXT NOT NULL DEFAULT '',
            fingerprint TEXT NOT NULL DEFAULT '',
            content_hash TEXT NOT NULL,
            media_id TEXT,
            media_hash TEXT,
            remote_status TEXT NOT NULL DEFAULT '',
            updated TEXT NOT NULL,
            PRIMARY KEY (story_id, target)
        )
        """,
    ),
    (
        # Inputs already turned into a stored article (a JSONL line, a file, a fetched page),
        # by a hash of their raw bytes and what extraction saw with them: an unchanged input
        # is skipped before extraction. Valid only while the article is stored with the same
        # content hash (sources.py joins on it), so a crash never loses an article.
        "0008_raw_inputs",
        """
        CREATE TABLE raw_inputs (
            hash TEXT PRIMARY KEY,
            article_id TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            seen TEXT NOT NULL
        );
        CREATE INDEX raw_inputs_article ON raw_inputs(article_id)
        """,
    ),
    (
        # Each stored article's sentences as Kiwi analysed them (``korean.kiwi.pack_morphs``),
        # for the content hash they were analysed from: a story's post is written again as
        # articles join it, and its older articles' sentences are read here, not analysed again.
        "0009_article_morphs",
        """
        CREATE TABLE article_morphs (
            article_id TEXT PRIMARY KEY,
            content_hash TEXT NOT NULL,
            morphs TEXT NOT NULL
        )
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
    title_origin: str = "writer"          # writer | reviewer
    approved: dict[str, Any] | None = None  # the post as last approved (see approval_snapshot)


@dataclass(frozen=True, slots=True)
class RemotePostRecord:
    """A story's post on one blog behind an API (``target``: "wordpress https://…")."""

    story_id: str
    target: str
    remote_id: str
    url: str
    modified: str          # the blog's modified stamp right after sokbo's last write
    fingerprint: str       # hash of the title and text the blog returned then
    content_hash: str      # what sokbo sent (Outgoing.digest): equal means nothing to send
    media_id: str | None = None    # the uploaded title card
    media_hash: str | None = None
    remote_status: str = ""


@dataclass(frozen=True, slots=True)
class Edit:
    """A reviewer's edit of a story's post: ``target`` is ``title`` or ``sentence:<source
    sentence id>``; ``original`` is the writer's text it replaced, ``text`` the reviewer's."""

    story_id: str
    target: str
    original: str
    text: str
    updated: str = ""

    @property
    def source_sentence(self) -> str | None:
        return self.target.removeprefix("sentence:") if self.target.startswith("sentence:") \
            else None


class Store:
    """The state database; use as a context manager or call close().

    ``target`` is an SQLite file (the embedded default) or a ``postgresql://`` URL (a server
    that several `sokbo watch` workers and `sokbo serve` can share; see ``sokbo.database``).
    ``read_only=True`` opens a state that cannot be written (a read-only folder or file): no
    migration runs, and a state older than this sokbo is refused with a StoreError.
    """

    def __init__(self, target: str | Path, *, read_only: bool = False) -> None:
        from sokbo.database import is_postgres_url, state_location

        self.backend = "postgresql" if is_postgres_url(target) else "sqlite"
        self.path = Path(target) if self.backend == "sqlite" else None
        self.location = state_location(target)
        self.read_only = read_only
        try:
            if self.backend == "postgresql":
                from sokbo.database.postgres import connect

                self.db = connect(str(target), read_only=read_only)  # type: ignore[assignment]
            elif read_only:
                self.db = _connect_read_only(Path(target))
            else:
                Path(target).parent.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(target, isolation_level=None, timeout=30)
            if self.backend == "sqlite":
                self.db.row_factory = sqlite3.Row
                self.db.execute("PRAGMA foreign_keys = ON")
                if not read_only:
                    self.db.execute("PRAGMA journal_mode = WAL")
            if read_only:
                self._check_migrated()
            else:
                self._migrate()
        except (sqlite3.Error, OSError, *_database_errors()) as e:
            raise StoreError(f"cannot open state database: {_one_line(e)}",
                             source=self.location) from e

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT (one writer at a time), rolled back on any exception."""
        if self.read_only:
            raise StoreError("the state is open read-only: nothing can be changed",
                             source=self.location)
        try:
            if self.backend == "postgresql":
                self.db.begin_write()  # type: ignore[attr-defined]
            else:
                self.db.execute("BEGIN IMMEDIATE")
        except (sqlite3.Error, *_database_errors()) as e:
            raise StoreError(f"database is busy: {_one_line(e)}", source=self.location) from e
        try:
            yield self.db
        except BaseException as e:
            self.db.execute("ROLLBACK")
            if _is_path_conflict(e, self.backend):
                raise StoreError("that post file name is already another story's",
                                 source=self.location) from e
            raise
        else:
            self.db.execute("COMMIT")

    @contextmanager
    def story_lock(self, story_id: str) -> Iterator[None]:
        """Hold a story against every other sokbo sharing this database while its post is
        written. SQLite needs nothing more than its transactions (and `watch`'s lock file);
        on PostgreSQL a second worker waits here, then finds the post written."""
        if self.backend == "postgresql":
            with self.db.story_lock(story_id):  # type: ignore[attr-defined]
                yield
        else:
            yield

    def _migrate(self) -> None:
        try:  # a read first: an up-to-date state takes no write lock to open
            done = {r[0] for r in self.db.execute("SELECT name FROM _migrations")}
        except (sqlite3.Error, *(_database_errors() if self.backend != "sqlite" else ())):
            with self.transaction() as db:
                db.execute("CREATE TABLE IF NOT EXISTS _migrations "
                           "(name TEXT PRIMARY KEY, applied TEXT NOT NULL)")
            done = set()
        for name, migration in MIGRATIONS:
            if name in done:
                continue
            with self.transaction() as db:
                # another sokbo sharing the database may have applied it meanwhile
                if db.execute("SELECT 1 FROM _migrations WHERE name = ?", (name,)).fetchone():
                    continue
                if callable(migration):
                    migration(db)
                else:
                    for statement in migration.split(";"):
                        if statement.strip():
                            db.execute(statement)
                db.execute("INSERT INTO _migrations VALUES (?, ?)", (name, now_iso()))

    def _check_migrated(self) -> None:
        try:
            done = {r[0] for r in self.db.execute("SELECT name FROM _migrations")}
        except (sqlite3.Error, *(_database_errors() if self.backend != "sqlite" else ())):
            done = set()
        if any(name not in done for name, _ in MIGRATIONS):
            raise StoreError("this state database is from an older sokbo and cannot be upgraded "
                             "read-only; run `sokbo run` once where it can be written",
                             source=self.location)

    # --- articles -------------------------------------------------------------------------

    def article_urls(self) -> dict[str, str]:
        """article id → the URL it was stored with (every stored article: tests, tools)."""
        return {r["id"]: r["url"] for r in self.db.execute("SELECT id, url FROM articles")}

    def article_url(self, article_id: str) -> str | None:
        """The URL a stored article was stored with; None when it is not stored."""
        row = self.db.execute("SELECT url FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def article_hashes(self, ids: Iterable[str] | None = None
                       ) -> dict[str, tuple[str, str | None]]:
        """article id → (content hash, story id), of ``ids`` (those stored), else of all."""
        sql = "SELECT id, content_hash, story_id FROM articles"
        if ids is None:
            return {r[0]: (r[1], r[2]) for r in self.db.execute(sql)}
        out: dict[str, tuple[str, str | None]] = {}
        wanted = list(dict.fromkeys(ids))
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            for r in self.db.execute(f"{sql} WHERE id IN ({','.join('?' * len(chunk))})", chunk):
                out[r[0]] = (r[1], r[2])
        return out

    def raw_input_article(self, raw_hash: str) -> str | None:
        """The stored article an input with this raw hash gave, if it is stored unchanged."""
        row = self.db.execute(
            "SELECT r.article_id FROM raw_inputs r JOIN articles a ON a.id = r.article_id "
            "AND a.content_hash = r.content_hash WHERE r.hash = ?", (raw_hash,)).fetchone()
        return row[0] if row else None

    def save_raw_inputs(self, rows: Iterable[tuple[str, str, str]]) -> None:
        """Remember (raw hash, article id, article content hash) of extracted inputs."""
        rows = list(rows)
        if not rows:
            return
        now = now_iso()
        with self.transaction() as db:
            db.executemany(
                "INSERT INTO raw_inputs (hash, article_id, content_hash, seen) VALUES (?,?,?,?) "
                "ON CONFLICT(hash) DO UPDATE SET article_id=excluded.article_id, "
                "content_hash=excluded.content_hash, seen=excluded.seen",
                [(h, a, c, now) for h, a, c in rows])

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

    def _morph_rows(self, ids: list[str], columns: str) -> list[sqlite3.Row]:
        rows: list[sqlite3.Row] = []
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            rows += self.db.execute(
                f"SELECT article_id, content_hash{columns} FROM article_morphs "
                f"WHERE article_id IN ({','.join('?' * len(chunk))})", chunk).fetchall()
        return rows

    def morphs_to_keep(self, articles: Sequence[Article], packed: Mapping[str, str] | None = None,
                       *, kept: Mapping[str, str] | None = None) -> list[tuple[str, str, str]]:
        """Rows for :meth:`save_morphs`: the sentence analyses of those articles not kept for
        their present content, or to which this process added (the writer analysed a text
        made of a sentence for the first time); ``packed`` (article id → ``pack_morphs``)
        when a worker wrote the post: those it made are kept, and nothing else. ``kept``:
        what :meth:`kept_morphs` gave for them (read again when not given)."""
        if packed is None:
            packed = morphs_to_pack(articles, kept if kept is not None
                                    else self.kept_morphs(articles))
        return [(a.id, a.content_hash, packed[a.id]) for a in articles if a.id in packed]

    def save_morphs(self, db: sqlite3.Connection, rows: Iterable[tuple[str, str, str]]) -> None:
        """Keep sentence analyses: (article id, content hash, ``pack_morphs``) rows."""
        db.executemany(
            "INSERT INTO article_morphs (article_id, content_hash, morphs) VALUES (?,?,?) "
            "ON CONFLICT(article_id) DO UPDATE SET content_hash=excluded.content_hash, "
            "morphs=excluded.morphs", list(rows))

    def keep_morphs(self, rows: Iterable[tuple[str, str, str]]) -> None:
        """:meth:`save_morphs` in a transaction of its own: the analyses extraction made of
        the articles read, kept as they are read, before any story's writer reads them (and
        not held in memory until then)."""
        with self.transaction() as db:
            self.save_morphs(db, rows)

    def kept_morphs(self, articles: Sequence[Article]) -> dict[str, str]:
        """The kept sentence analyses of these articles (``pack_morphs``, by article id),
        those kept for their present content."""
        by_id = {a.id: a for a in articles}
        return {r["article_id"]: r["morphs"] for r in self._morph_rows(list(by_id), ", morphs")
                if r["content_hash"] == by_id[r["article_id"]].content_hash}

    def load_morphs(self, articles: Sequence[Article]) -> int:
        """Put the kept sentence analyses of these articles in the process's Kiwi cache;
        returns how many articles had them."""
        return load_kept_morphs(articles, self.kept_morphs(articles))

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
               ON CONFLICT(id) DO UPDATE SET slug=excluded.slug, updated=excluded.updated""",
            (story_id, slug, now, now),
        )

    def path_holder(self, path: str) -> str | None:
        """The story whose post is written to ``path`` (relative to the output directory)."""
        row = self.db.execute("SELECT story_id FROM posts WHERE path = ?", (path,)).fetchone()
        return row["story_id"] if row else None

    def get_post(self, story_id: str) -> PostRecord | None:
        row = self.db.execute("SELECT * FROM posts WHERE story_id = ?", (story_id,)).fetchone()
        return _post_from_row(row) if row else None

    def get_post_by_id(self, post_id: int) -> PostRecord | None:
        if not 0 <= post_id <= SQLITE_MAX_INT:  # no such row, and SQLite cannot take the number
            return None
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
        title_origin: str = "writer",
    ) -> int:
        """Insert or update a story's post and its sentence provenance.

        Raises:
            StoreError: (when the transaction ends) ``path`` is another story's post file.
        """
        now = now_iso()
        db.execute(
            """INSERT INTO posts (story_id, path, format, title, status, input_hash, content_hash,
                   rendered, findings, post_json, title_origin, created, updated)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
               ON CONFLICT(story_id) DO UPDATE SET path=excluded.path, format=excluded.format,
                   title=excluded.title, status=excluded.status, input_hash=excluded.input_hash,
                   content_hash=excluded.content_hash, rendered=excluded.rendered,
                   findings=excluded.findings, post_json=excluded.post_json,
                   title_origin=excluded.title_origin, updated=excluded.updated""",
            (post.story_id, path, fmt, post.title, status, input_hash, content_hash, rendered,
             json.dumps(findings, ensure_ascii=False),
             json.dumps(post_to_dict(post), ensure_ascii=False), title_origin, now, now),
        )
        post_id = db.execute(
            "SELECT id FROM posts WHERE story_id = ?", (post.story_id,)
        ).fetchone()[0]
        db.execute("DELETE FROM post_sentences WHERE post_id = ?", (post_id,))
        db.executemany(
            "INSERT INTO post_sentences (post_id, position, role, text, source_id, "
            "sentence_index, origin) VALUES (?,?,?,?,?,?,?)",
            [(post_id, pos, s.role, s.text, s.source_id, s.index, s.origin)
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
        """Change a post's review status; approving also records what was approved."""
        conn = db or self.db
        conn.execute(
            "UPDATE posts SET status = ?, published_hash = COALESCE(?, published_hash), "
            "updated = ? WHERE id = ?",
            (status, published_hash, now_iso(), post_id),
        )
        if status == "approved":
            self.record_approval(conn, post_id)

    def record_approval(self, db: sqlite3.Connection, post_id: int) -> None:
        """Keep the post as it is now, and its sources' hashes, as what the reviewer approved:
        a later run that changes the post shows the change against this."""
        row = db.execute("SELECT story_id, title, content_hash, post_json FROM posts "
                         "WHERE id = ?", (post_id,)).fetchone()
        if row is None:
            return
        sources = {r["id"]: [r["content_hash"], r["title"]] for r in db.execute(
            "SELECT id, content_hash, title FROM articles WHERE story_id = ?", (row["story_id"],))}
        snapshot = {"approved": now_iso(), "title": row["title"],
                    "content_hash": row["content_hash"],
                    "post": json.loads(row["post_json"] or "{}"), "sources": sources}
        db.execute("UPDATE posts SET approved_json = ? WHERE id = ?",
                   (json.dumps(snapshot, ensure_ascii=False), post_id))

    # --- the reviewer's edits ---------------------------------------------------------------

    def edits(self, story_id: str) -> list[Edit]:
        return [Edit(r["story_id"], r["target"], r["original"], r["text"], r["updated"])
                for r in self.db.execute(
                    "SELECT * FROM edits WHERE story_id = ? ORDER BY target", (story_id,))]

    def save_edit(self, db: sqlite3.Connection, edit: Edit) -> None:
        now = now_iso()
        db.execute(
            """INSERT INTO edits (story_id, target, original, text, created, updated)
               VALUES (?,?,?,?,?,?) ON CONFLICT(story_id, target) DO UPDATE SET
               original=excluded.original, text=excluded.text, updated=excluded.updated""",
            (edit.story_id, edit.target, edit.original, edit.text, now, now),
        )

    def delete_edit(self, db: sqlite3.Connection, story_id: str, target: str) -> None:
        db.execute("DELETE FROM edits WHERE story_id = ? AND target = ?", (story_id, target))

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

    # --- posts on blogs behind an API (publish.remote) ---------------------------------

    def remote_post(self, story_id: str, target: str) -> RemotePostRecord | None:
        row = self.db.execute("SELECT * FROM remote_posts WHERE story_id = ? AND target = ?",
                              (story_id, target)).fetchone()
        if not row:
            return None
        return RemotePostRecord(
            story_id=row["story_id"], target=row["target"], remote_id=row["remote_id"],
            url=row["url"], modified=row["modified"], fingerprint=row["fingerprint"],
            content_hash=row["content_hash"], media_id=row["media_id"],
            media_hash=row["media_hash"], remote_status=row["remote_status"])

    def save_remote_post(self, db: sqlite3.Connection, rec: RemotePostRecord) -> None:
        db.execute(
            """INSERT INTO remote_posts (story_id, target, remote_id, url, modified, fingerprint,
                   content_hash, media_id, media_hash, remote_status, updated)
               VALUES (?,?,?,?,?,?,?,?,?,?,?)
               ON CONFLICT(story_id, target) DO UPDATE SET remote_id=excluded.remote_id,
                   url=excluded.url, modified=excluded.modified,
                   fingerprint=excluded.fingerprint, content_hash=excluded.content_hash,
                   media_id=excluded.media_id, media_hash=excluded.media_hash,
                   remote_status=excluded.remote_status, updated=excluded.updated""",
            (rec.story_id, rec.target, rec.remote_id, rec.url, rec.modified, rec.fingerprint,
             rec.content_hash, rec.media_id, rec.media_hash, rec.remote_status, now_iso()),
        )


# parts a kept analysis may grow to by texts made of its sentences (``pack_made``) before it
# is packed again whole
MADE_PARTS = 4


def morphs_to_pack(articles: Sequence[Article], kept: Mapping[str, str]) -> dict[str, str]:
    """The sentence analyses to keep of these articles (article id → ``pack_morphs``): of
    those with none kept for their present content (``kept``: article id → what is kept),
    and of those to which this process added: whole when Kiwi analysed a text of theirs,
    else the kept analysis with the texts made of their sentences by a local edit added."""
    from sokbo.korean.kiwi import analysed_anew, pack_made, pack_morphs

    packed = {}
    for a in articles:
        texts = [s.text for s in a.sentences]
        old = kept.get(a.id)
        if old is None or analysed_anew(texts):
            packed[a.id] = pack_morphs(texts)
        elif (made := pack_made(texts)) is not None:
            packed[a.id] = f"{old} {made}" if old.count(" ") < MADE_PARTS - 1 \
                else pack_morphs(texts)
    return packed


def load_kept_morphs(articles: Sequence[Article], kept: Mapping[str, str]) -> int:
    """Put kept sentence analyses (article id → ``pack_morphs``) in this process's Kiwi
    cache (a worker's too); returns how many articles had them."""
    from sokbo.korean.kiwi import unpack_morphs

    return sum(1 for a in articles
               if a.id in kept and unpack_morphs([s.text for s in a.sentences], kept[a.id]))


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
        title_origin=r["title_origin"],
        approved=json.loads(r["approved_json"]) if r["approved_json"] else None,
    )


def _database_errors() -> tuple[type[BaseException], ...]:
    """The server database's own errors, when its driver is installed."""
    try:
        from sokbo.database.postgres import database_errors
    except ImportError:  # pragma: no cover
        return ()
    return database_errors()


def _is_path_conflict(e: BaseException, backend: str) -> bool:
    """Two stories claimed one post file (the unique index ``posts_path``)."""
    if backend == "sqlite":
        return isinstance(e, sqlite3.IntegrityError) and "posts.path" in str(e)
    from sokbo.database.postgres import is_unique_violation

    return is_unique_violation(e, "posts_path")


def _one_line(e: BaseException) -> str:
    return " ".join(str(e).split())[:300]


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection. A WAL database in a folder nobody may write cannot get its
    shared-memory file; it is then opened as immutable (no writer can exist there either)."""
    if not path.is_file():
        raise StoreError("no state database here", source=str(path))
    uri = path.resolve().as_uri()
    try:
        db = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None, timeout=30)
        db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.OperationalError:
        return sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None)
