"""Stories kept in the store, updated incrementally: new articles redo only the days they touch.

Tables (migration ``0006_cluster_index`` in ``store.py``):

- ``article_terms``: one row per article clustering has seen: its terms (computed once, kept
  while its content hash is unchanged), its normalised time and KST day (an article with no
  date is dated by the day sokbo first saw it), and ``joined``: the label its story had at the
  end of its day.
- ``story_merges``: stories merged on a later day (absorbed label → label, day).
- ``story_pending``: stories whose articles changed and whose post has not been written since
  (the pipeline's outbox: written in the same transaction as the labels, cleared per post).
- ``cluster_state``: the parameters the labels were computed with; other ones redo everything.

A store written by sokbo 0.1 (articles, no ``article_terms``) is analysed once, on first use;
its posts stand as they are. A run with articles touching days d₁ ≤ d₂ … redoes days d₁,
d₁+1, … (``cluster.days``) from the stored state before d₁; since a day depends only on
earlier days, the result equals clustering every stored article from scratch. The document
frequencies of the 30 days before the last day are saved, so that a run adding to the last
day (or starting the next one) does not count them again.
"""
from __future__ import annotations

import json
import logging
import sqlite3
import time as _time
from collections import deque
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sokbo.cluster.days import StoryBook, Vectors, day_block, day_start, link_block
from sokbo.cluster.terms import (
    Item,
    Terms,
    article_time,
    count_terms,
    day_of,
    epoch,
    noon_of,
    story_terms,
)
from sokbo.models import Article
from sokbo.store import Store, now_iso

__all__ = [
    "Assignment",
    "StoredStory",
    "add_items",
    "assign_stories",
    "story_done",
    "stored_labels",
]

log = logging.getLogger(__name__)

ALGORITHM = "days-1"  # bump when cluster.days or the terms change what they compute
CHUNK = 500  # ids per IN (…) list: SQLite's default variable limit is 999

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class Params:
    threshold: float
    window_hours: float
    idf_days: int

    def as_json(self) -> str:
        return json.dumps({"algorithm": ALGORITHM, "threshold": self.threshold,
                           "window_hours": self.window_hours, "idf_days": self.idf_days},
                          sort_keys=True)


@dataclass(frozen=True, slots=True)
class StoredStory:
    """A story as the store holds it: its label, its article ids (oldest first) and the
    pending marks its post will clear."""

    label: str
    article_ids: tuple[str, ...]
    pending: tuple[str, ...] = ()


@dataclass(slots=True)
class Assignment:
    """What ``assign_stories`` did, and the stories the caller should write."""

    analysed: int = 0  # articles whose terms were computed (Kiwi) this time
    replayed_days: int = 0
    replayed_articles: int = 0
    stories: list[StoredStory] = field(default_factory=list)


def assign_stories(
    store: Store,
    articles: Sequence[Article],
    *,
    threshold: float,
    window_hours: float,
    idf_days: int,
    now: float | None = None,
    progress: Progress | None = None,
    terms: Mapping[str, Terms] | None = None,
) -> Assignment:
    """Add (or update) ``articles`` in the stored stories; ``terms`` holds those already
    analysed (by the extraction workers), the others are analysed here.

    Returns the stories holding these articles plus every story still pending from this or an
    earlier run (a story whose members changed and whose post was not written since).
    """
    now = _time.time() if now is None else now
    if _first_use(store.db):
        _backfill(store, {a.id for a in articles}, Params(threshold, window_hours, idf_days),
                  progress)
    known = _rows(store.db, [a.id for a in articles])
    hashes: dict[str, str] = {}
    dated: dict[str, str] = {}
    analysed = 0

    def items() -> Iterator[Item]:
        """Each article's item, made as add_items reads them (a chunk at a time: a first run
        of 10,000 articles never holds all their terms at once)."""
        nonlocal analysed
        for n, a in enumerate(articles, 1):
            row = known.get(a.id)
            if row is not None and row["content_hash"] == a.content_hash:
                found = _terms_from_json(row["terms"])
            elif terms is not None and a.id in terms:
                found = terms[a.id]
            else:
                if progress:
                    progress(f"analysing {a.title[:30]}", n, len(articles))
                found = count_terms(story_terms(a.title, a.text))
                analysed += 1
            when = article_time(a)
            if when is not None:
                at, how = epoch(when), "published" if a.published else "url"
            elif row is not None:
                at, how = row["time"], row["dated"]  # keep the day it was first seen
            else:
                at, how = noon_of(day_of(now)), "seen"
            hashes[a.id] = a.content_hash
            dated[a.id] = how
            yield Item(a.id, at, found)

    result = add_items(store, items(), threshold=threshold, window_hours=window_hours,
                       idf_days=idf_days, hashes=hashes, dated=dated, progress=progress)
    result.analysed = analysed
    return result


def add_items(
    store: Store,
    items: Iterable[Item],
    *,
    threshold: float,
    window_hours: float,
    idf_days: int,
    hashes: dict[str, str] | None = None,
    dated: dict[str, str] | None = None,
    progress: Progress | None = None,
    stories: bool = True,
) -> Assignment:
    """Store ``items`` (already analysed; read once, in chunks) and bring the stories up to
    date; see :func:`assign_stories`. Every item needs a time. ``stories=False`` skips
    listing the stories to write (benches)."""
    params = Params(float(threshold), float(window_hours), int(idf_days))
    result = Assignment()
    with store.transaction() as db:
        touched: set[int] = set()
        changed: set[str] = set()
        ids: list[str] = []
        for chunk in _batched(items, CHUNK):
            known = _rows(db, [it.id for it in chunk])
            for it in chunk:
                ids.append(it.id)
                _upsert(db, it, known.get(it.id), hashes, dated, touched, changed)
        state = db.execute("SELECT value FROM cluster_state WHERE key = 'params'").fetchone()
        if state is None or state[0] != params.as_json():
            first = db.execute("SELECT MIN(day) FROM article_terms").fetchone()[0]
            if first is not None:
                touched.add(int(first))
            db.execute("INSERT INTO cluster_state VALUES ('params', ?) ON CONFLICT(key) "
                       "DO UPDATE SET value = excluded.value", (params.as_json(),))
        if touched:
            _replay(db, min(touched), params, changed, result, progress)
        if stories:
            result.stories = _stories(db, ids)
    return result


def _upsert(db: sqlite3.Connection, it: Item, row: sqlite3.Row | None,
            hashes: dict[str, str] | None, dated: dict[str, str] | None,
            touched: set[int], changed: set[str]) -> None:
    """Write one item's row unless it is stored as is; note the days it touches."""
    if it.time is None:
        raise ValueError(f"article {it.id} has no time")  # a caller's bug, not bad input
    terms = _terms_to_json(it.terms)
    content = (hashes or {}).get(it.id)
    if row is not None and row["terms"] == terms and row["time"] == it.time:
        if content and row["content_hash"] != content:
            # the text changed past the lead: same terms, same stories
            db.execute("UPDATE article_terms SET content_hash = ? WHERE article_id = ?",
                       (content, it.id))
        return
    day = day_of(it.time)
    touched.add(day)
    if row is not None:
        touched.add(row["day"])
    changed.add(it.id)
    db.execute(
        """INSERT INTO article_terms (article_id, content_hash, time, day, dated, terms,
               joined, analysed) VALUES (?,?,?,?,?,?,NULL,?)
           ON CONFLICT(article_id) DO UPDATE SET content_hash=excluded.content_hash,
               time=excluded.time, day=excluded.day, dated=excluded.dated,
               terms=excluded.terms, joined=NULL, analysed=excluded.analysed""",
        (it.id, content or "", it.time, day, (dated or {}).get(it.id, "published"), terms,
         now_iso()),
    )


def _first_use(db: sqlite3.Connection) -> bool:
    """Never clustered in this store, though it holds articles (a store of sokbo 0.1)."""
    if db.execute("SELECT 1 FROM cluster_state WHERE key = 'params'").fetchone():
        return False
    return db.execute("SELECT 1 FROM articles LIMIT 1").fetchone() is not None


def _backfill(store: Store, skip: set[str], params: Params, progress: Progress | None) -> None:
    """Analyse the articles a store of sokbo 0.1 holds, once, so that new articles can join
    their stories. Their posts stand as they are: nothing becomes pending."""
    rows = store.db.execute(
        "SELECT id, first_seen FROM articles WHERE id NOT IN "
        "(SELECT article_id FROM article_terms) ORDER BY id").fetchall()
    rows = [r for r in rows if r[0] not in skip]
    items: list[Item] = []
    hashes: dict[str, str] = {}
    dated: dict[str, str] = {}
    seen = {r[0]: r[1] for r in rows}
    for start in range(0, len(rows), CHUNK):
        for a in store.load_articles([r[0] for r in rows[start : start + CHUNK]]):
            if progress:
                progress("analysing stored articles", len(items) + 1, len(rows))
            when = article_time(a)
            if when is not None:
                at, how = epoch(when), "published" if a.published else "url"
            else:
                first = datetime.fromisoformat(seen[a.id])
                at, how = noon_of(day_of(epoch(first))), "seen"
            items.append(Item(a.id, at, count_terms(story_terms(a.title, a.text))))
            hashes[a.id] = a.content_hash
            dated[a.id] = how
    add_items(store, items, threshold=params.threshold, window_hours=params.window_hours,
              idf_days=params.idf_days, hashes=hashes, dated=dated, stories=False)
    with store.transaction() as db:
        db.execute("DELETE FROM story_pending")


def story_done(store: Store, story: StoredStory) -> None:
    """The story's post was written (or could not be): it is no longer pending."""
    if not story.pending:
        return
    with store.transaction() as db:
        db.executemany("DELETE FROM story_pending WHERE label = ?", [(p,) for p in story.pending])


def stored_labels(store: Store) -> dict[str, str]:
    """Every clustered article id → its story label (tests and benches compare partitions)."""
    alias = _alias(store.db)
    return {r[0]: _resolve(alias, r[1]) for r in
            store.db.execute("SELECT article_id, joined FROM article_terms")
            if r[1] is not None}


# -- the replay ----------------------------------------------------------------------------------

def _replay(db: sqlite3.Connection, first_day: int, params: Params, changed: set[str],
            result: Assignment, progress: Progress | None) -> None:
    """Redo every day from ``first_day`` on, from the stored state before it."""
    window = params.window_hours * 3600
    old_alias = _alias(db)
    old_labels = {r[0]: r[1] for r in db.execute(
        "SELECT article_id, joined FROM article_terms WHERE day >= ?", (first_day,))}
    db.execute("DELETE FROM story_merges WHERE day >= ?", (first_day,))
    book = StoryBook(alias=_alias(db))
    vectors = Vectors()
    # the IDF window before first_day: the saved one when it is that very window (a run
    # adding to the last day), else counted from the stored terms
    lo = first_day - params.idf_days
    in_df: deque[tuple[int, list[Item] | None]] = deque(
        (r[0], None) for r in db.execute(
            "SELECT DISTINCT day FROM article_terms WHERE day BETWEEN ? AND ? ORDER BY day",
            (lo, first_day - 1)))
    saved = _saved_df(db, vectors, lo, first_day - 1)
    start = day_start(first_day)
    recent_lo = day_of(start - window)
    loaded: dict[int, list[tuple[Item, str | None]]] = {}
    for k, (day, _) in enumerate(in_df):
        if saved and day < recent_lo:
            continue  # counted in the saved frequencies, and too old to be recent
        loaded[day] = _day_items(db, day)
        in_df[k] = (day, [it for it, _ in loaded[day]])
        if not saved:
            for it, _ in loaded[day]:
                vectors.add(it)
    recent: deque[Item] = deque()
    for day, day_items in _days(db, recent_lo, first_day - 1, skip=loaded):
        for it, joined in loaded.get(day, day_items):
            if it.time is not None and it.time >= start - window:
                recent.append(it)
                book.joined[it.id] = joined or it.id
    book.sizes = _sizes(db, book, {book.label(it.id) for it in recent}, first_day)
    days = [r[0] for r in db.execute(
        "SELECT DISTINCT day FROM article_terms WHERE day >= ? ORDER BY day", (first_day,))]
    new_labels: dict[str, str] = {}
    for n, day in enumerate(days, 1):
        if progress:
            progress("grouping stories", n, len(days))
        while in_df and in_df[0][0] < day - params.idf_days:
            gone_day, gone = in_df.popleft()
            for it in gone if gone is not None else [it for it, _ in _day_items(db, gone_day)]:
                vectors.remove(it)
                vectors.forget(it)
        if n == len(days):
            _save_df(db, day - params.idf_days, day - 1, vectors)
        new = [it for it, _ in _day_items(db, day)]
        for it in new:
            vectors.add(it)
        in_df.append((day, new))
        start = day_start(day)
        while recent and (recent[0].time or 0.0) < start - window:
            book.joined.pop(recent.popleft().id, None)
        outcome = link_block(day_block(day, list(recent), new, vectors, window), book,
                             params.threshold)
        book.apply(outcome)
        db.executemany("UPDATE article_terms SET joined = ? WHERE article_id = ?",
                       [(label, i) for i, label in outcome.joined.items()])
        db.executemany("INSERT INTO story_merges (absorbed, into_label, day) VALUES (?,?,?)",
                       [(a, b, day) for a, b in outcome.merges])
        new_labels.update(outcome.joined)
        recent.extend(new)
        result.replayed_articles += len(new)
    result.replayed_days = len(days)
    _mark_pending(db, old_alias, book.alias, old_labels, new_labels, changed)


def _saved_df(db: sqlite3.Connection, vectors: Vectors, lo: int, hi: int) -> bool:
    """Load into ``vectors`` the document frequencies of days lo … hi from the saved window
    (days a … b, saved by the last replay, whose last day was b + 1): as saved when it is that
    very window (a run adding to the last day), else moved on by the days between (the first
    run of a new day). False when the saved window cannot give it (a run touching older days).
    """
    row = db.execute("SELECT value FROM cluster_state WHERE key = 'df'").fetchone()
    if row is None:
        return False
    saved = json.loads(row[0])
    a, b = int(saved["lo"]), int(saved["hi"])
    if not (a <= lo and b <= hi and lo <= b + 1):
        return False
    vectors.load(int(saved["docs"]), saved["counts"])
    for _day, day_items in list(_days(db, a, lo - 1)):
        for it, _ in day_items:
            vectors.remove(it)
            vectors.forget(it)
    for _day, day_items in _days(db, b + 1, hi):
        for it, _ in day_items:
            vectors.add(it)
    return True


def _save_df(db: sqlite3.Connection, lo: int, hi: int, vectors: Vectors) -> None:
    """Save the document frequencies of days lo … hi (the window before the last day): the
    next run, adding to that day, starts from them. Valid while days lo … hi are unchanged,
    and any change to them replays from there, which saves a new window."""
    value = json.dumps({"lo": lo, "hi": hi, "docs": vectors.docs, "counts": vectors.counts()},
                       ensure_ascii=False, separators=(",", ":"))
    db.execute("INSERT INTO cluster_state VALUES ('df', ?) ON CONFLICT(key) "
               "DO UPDATE SET value = excluded.value", (value,))


def _mark_pending(db: sqlite3.Connection, old_alias: dict[str, str], alias: dict[str, str],
                  old_labels: dict[str, str | None], new_labels: dict[str, str],
                  changed: set[str]) -> None:
    """Every story that gained, lost or changed an article is pending until its post is
    written: stories now holding a changed article, and the stories that held it before."""
    pending: set[str] = set()
    lost: set[str] = set()  # old story labels that lost articles
    for article_id, label in new_labels.items():
        now = _resolve(alias, label)
        before = old_labels.get(article_id)
        was = _resolve(old_alias, before) if before else None
        if article_id in changed or was != now:
            pending.add(now)
            if was is not None:
                lost.add(was)
    for label in set(old_alias) | set(alias):
        was, now = _resolve(old_alias, label), _resolve(alias, label)
        if was != now:
            pending.add(now)
            lost.add(was)
    for label in lost:
        # a label is the id of the article that started the story: find where it is now
        row = db.execute("SELECT joined FROM article_terms WHERE article_id = ?",
                         (label,)).fetchone()
        if row and row[0]:
            pending.add(_resolve(alias, row[0]))
    db.executemany("INSERT OR IGNORE INTO story_pending (label) VALUES (?)",
                   [(p,) for p in sorted(pending)])


def _stories(db: sqlite3.Connection, article_ids: Iterable[str]) -> list[StoredStory]:
    """The stories holding ``article_ids`` and every pending story, oldest first."""
    alias = _alias(db)
    labels: dict[str, list[str]] = {}
    for chunk in _chunks(list(article_ids)):
        for r in db.execute(f"SELECT joined FROM article_terms WHERE article_id IN "
                            f"({','.join('?' * len(chunk))}) AND joined IS NOT NULL", chunk):
            labels.setdefault(_resolve(alias, r[0]), [])
    for (raw,) in db.execute("SELECT label FROM story_pending"):
        labels.setdefault(_resolve(alias, raw), []).append(raw)
    into: dict[str, list[str]] = {}
    for absorbed, target in alias.items():
        into.setdefault(target, []).append(absorbed)
    stories = []
    for label, pending in labels.items():
        names = _preimage(into, label)
        rows: list[tuple[float, str]] = []
        for chunk in _chunks(names):
            rows += [(r[0], r[1]) for r in db.execute(
                f"SELECT time, article_id FROM article_terms WHERE joined IN "
                f"({','.join('?' * len(chunk))})", chunk)]
        ids = tuple(r[1] for r in sorted(rows))
        stories.append((rows and min(rows), StoredStory(label, ids, tuple(sorted(pending)))))
    stories.sort(key=lambda s: (s[0] or (float("inf"), ""), s[1].label))
    return [s for _, s in stories]


# -- reading the tables --------------------------------------------------------------------------

def _rows(db: sqlite3.Connection, ids: list[str]) -> dict[str, sqlite3.Row]:
    out: dict[str, sqlite3.Row] = {}
    for chunk in _chunks(ids):
        for r in db.execute(f"SELECT * FROM article_terms WHERE article_id IN "
                            f"({','.join('?' * len(chunk))})", chunk):
            out[r["article_id"]] = r
    return out


def _day_items(db: sqlite3.Connection, day: int) -> list[tuple[Item, str | None]]:
    return [(Item(r[0], r[1], _terms_from_json(r[2])), r[3]) for r in db.execute(
        "SELECT article_id, time, terms, joined FROM article_terms WHERE day = ? "
        "ORDER BY time, article_id", (day,))]


def _days(db: sqlite3.Connection, lo: int, hi: int,
          skip: Container[int] = ()):  # -> Iterator[(day, [(Item, joined)])]
    """Each day lo … hi that has articles, with its articles (not read for days in ``skip``)."""
    days = [r[0] for r in db.execute(
        "SELECT DISTINCT day FROM article_terms WHERE day BETWEEN ? AND ? ORDER BY day", (lo, hi))]
    for day in days:
        yield day, [] if day in skip else _day_items(db, day)


def _sizes(db: sqlite3.Connection, book: StoryBook, labels: set[str],
           before_day: int) -> dict[str, int]:
    """How many articles of days before ``before_day`` each (resolved) label's story holds."""
    into: dict[str, list[str]] = {}
    for absorbed, target in book.alias.items():
        into.setdefault(target, []).append(absorbed)
    sizes = {}
    for label in labels:
        names = _preimage(into, label)
        total = 0
        for chunk in _chunks(names):
            total += db.execute(
                f"SELECT COUNT(*) FROM article_terms WHERE joined IN "
                f"({','.join('?' * len(chunk))}) AND day < ?", [*chunk, before_day]).fetchone()[0]
        sizes[label] = total
    return sizes


def _alias(db: sqlite3.Connection) -> dict[str, str]:
    return {r[0]: r[1] for r in db.execute("SELECT absorbed, into_label FROM story_merges")}


def _resolve(alias: dict[str, str], label: str) -> str:
    while label in alias:
        label = alias[label]
    return label


def _preimage(into: dict[str, list[str]], label: str) -> list[str]:
    names, todo = [], [label]
    while todo:
        name = todo.pop()
        names.append(name)
        todo.extend(into.get(name, ()))
    return sorted(names)


def _batched(values: Iterable[Item], size: int) -> Iterable[list[Item]]:
    batch: list[Item] = []
    for v in values:
        batch.append(v)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for i in range(0, len(values), CHUNK):
        yield values[i : i + CHUNK]


def _terms_to_json(terms: Terms) -> str:
    return json.dumps([[t, c] for t, c in terms], ensure_ascii=False, separators=(",", ":"))


def _terms_from_json(text: str) -> Terms:
    # not interned: only a window's articles are held at a time, and a run reads a day or
    # three of them (tens of thousands of terms) each time
    return tuple(map(tuple, json.loads(text)))  # type: ignore[arg-type]
