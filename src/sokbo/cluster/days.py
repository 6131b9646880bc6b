"""The canonical clustering, one day at a time: no I/O, no Kiwi; ``batch`` and ``stored`` feed it.

Each KST day d, in order, is one block:

1. **Open stories**: the stories formed so far with an article in the window before the day
   starts. Their articles inside that window are the day's *recent* items.
2. **Weights**: sublinear TF × smooth IDF, the document frequencies taken from the articles
   of days d − ``idf_days`` … d (the words of the moment weigh less), L2-normalised; cosine
   similarity; two articles further apart than the window count as unrelated.
3. **Average linkage from groups**: every open story (its size counts all its articles) and
   every new article of the day is a group; the two groups with the highest average pair
   similarity merge while that average is at least the threshold. Two open stories merge only
   when one of them took in an article of the day: a day bridges stories, it does not re-judge
   old ones. Equal averages: the pair met first in the canonical order.
4. **Names**: a story keeps its label (the article that started it); merged stories keep the
   smaller label, a new story takes its earliest article's id.

Stories are therefore a function of the articles alone (their terms and times), whatever order
they arrived in; a day's result depends only on the days before it, so adding articles to day d
means redoing days d, d+1, … and nothing earlier.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sokbo.cluster.terms import DAY_SECONDS, KST_OFFSET, Item

__all__ = [
    "Block",
    "DayResult",
    "StoryBook",
    "Vectors",
    "average_link",
    "day_block",
    "link_block",
]


class Vectors:
    """Term ids, sublinear term frequencies and document frequencies, as arrays.

    Ids are only handles: every block orders its columns by the terms themselves, so sums run
    in the same order whatever ids a run happened to give (incremental = from scratch, bit
    for bit).
    """

    def __init__(self) -> None:
        import numpy as np

        self.index: dict[str, int] = {}
        self.names: list[str] = []
        self.df = np.zeros(1024, dtype=np.int64)
        self.docs = 0
        self._encoded: dict[str, tuple[Any, Any]] = {}

    def encode(self, item: Item) -> tuple[Any, Any]:
        """(term ids, 1 + ln(count)) of an item, in the order of its terms."""
        import numpy as np

        found = self._encoded.get(item.id)
        if found is not None:
            return found
        ids = self.ids([t for t, _ in item.terms])
        tf = 1.0 + np.log(np.array([c for _, c in item.terms], dtype=float))
        self._encoded[item.id] = (ids, tf)
        return ids, tf

    def ids(self, terms: Sequence[str]) -> Any:
        """The ids of ``terms``, new ones added."""
        import numpy as np

        get = self.index.get
        found = [get(t) for t in terms]
        if None in found:
            for k, t in enumerate(terms):
                if found[k] is None:
                    i = self.index.get(t)
                    if i is None:
                        i = self.index[t] = len(self.names)
                        self.names.append(t)
                    found[k] = i
            if len(self.names) > len(self.df):
                self.df = np.concatenate([self.df, np.zeros(len(self.df) + len(self.names),
                                                            dtype=np.int64)])
        return np.array(found, dtype=np.int64)

    def load(self, docs: int, counts: dict[str, int]) -> None:
        """Set the document frequencies (a saved window)."""
        import numpy as np

        ids = self.ids(list(counts))
        self.df[:] = 0
        self.df[ids] = np.array(list(counts.values()), dtype=np.int64)
        self.docs = docs

    def counts(self) -> dict[str, int]:
        """The document frequencies, as term → count (to save a window)."""
        import numpy as np

        nz = np.flatnonzero(self.df[: len(self.names)])
        return {self.names[i]: int(self.df[i]) for i in nz}

    def forget(self, item: Item) -> None:
        """Drop an item's cached arrays (it left the window for good)."""
        self._encoded.pop(item.id, None)

    def add(self, item: Item) -> None:
        """Count an item in the document frequencies."""
        import numpy as np

        ids = self.encode(item)[0]  # first: encoding may grow self.df
        np.add.at(self.df, ids, 1)
        self.docs += 1

    def remove(self, item: Item) -> None:
        import numpy as np

        ids = self.encode(item)[0]
        np.add.at(self.df, ids, -1)
        self.docs -= 1

    def idf(self, ids: Any) -> Any:
        """Smooth IDF (as scikit-learn's): ln((1 + n) / (1 + df)) + 1."""
        import numpy as np

        return np.log((1 + self.docs) / (1 + self.df[ids])) + 1.0


@dataclass(slots=True)
class Block:
    """One day's items (recent ones first, each part in canonical order) and their pairwise
    similarities (a scipy CSR matrix: window-masked, zero diagonal)."""

    day: int | None  # None: the articles with no time (batch clustering only)
    recent: list[Item]
    new: list[Item]
    sim: Any

    @property
    def items(self) -> list[Item]:
        return self.recent + self.new


@dataclass(slots=True)
class DayResult:
    joined: dict[str, str]  # new article id → the label of the story it is in
    merges: list[tuple[str, str]]  # (absorbed label, label it merged into)


@dataclass(slots=True)
class StoryBook:
    """Labels so far: the label each article got on its day, merges since, story sizes.

    ``joined`` need only hold the articles a later day can still see (the window); ``sizes``
    only the stories that are still open.
    """

    joined: dict[str, str] = field(default_factory=dict)
    alias: dict[str, str] = field(default_factory=dict)  # absorbed label → merged into
    sizes: dict[str, int] = field(default_factory=dict)

    def resolve(self, label: str) -> str:
        while label in self.alias:
            label = self.alias[label]
        return label

    def label(self, article_id: str) -> str:
        return self.resolve(self.joined[article_id])

    def apply(self, result: DayResult) -> None:
        for absorbed, into in result.merges:
            self.alias[absorbed] = into
            self.sizes[into] = self.sizes.get(into, 0) + self.sizes.pop(absorbed, 0)
        for article_id, label in result.joined.items():
            self.joined[article_id] = label
            self.sizes[label] = self.sizes.get(label, 0) + 1


def day_block(day: int | None, recent: Sequence[Item], new: Sequence[Item], vectors: Vectors,
              window_seconds: float) -> Block:
    """The similarities of a day's items under the day's IDF (``vectors``' frequencies)."""
    import numpy as np
    from scipy.sparse import csr_matrix

    items = [*recent, *new]
    encoded = [vectors.encode(it) for it in items]
    lengths = np.array([len(e[0]) for e in encoded], dtype=np.int64)
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    if not len(items) or not indptr[-1]:
        return Block(day, list(recent), list(new), csr_matrix((len(items), len(items))))
    gids = np.concatenate([e[0] for e in encoded])
    tf = np.concatenate([e[1] for e in encoded])
    used, inverse = np.unique(gids, return_inverse=True)
    names = vectors.names
    used_names = [names[i] for i in used.tolist()]
    order = sorted(range(len(used)), key=used_names.__getitem__)
    rank = np.empty(len(used), dtype=np.int64)
    rank[order] = np.arange(len(used))
    data = tf * vectors.idf(used)[inverse]
    rows = np.repeat(np.arange(len(items)), lengths)
    norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=len(items)))
    norms[norms == 0] = 1.0
    x = csr_matrix((data / norms[rows], rank[inverse], indptr), shape=(len(items), len(used)))
    sim = x @ x.T
    row = np.repeat(np.arange(sim.shape[0]), np.diff(sim.indptr))
    col = sim.indices
    times = np.array([np.nan if it.time is None else it.time for it in items])
    gap = np.abs(times[row] - times[col])
    with np.errstate(invalid="ignore"):
        keep = (row != col) & ~(gap > window_seconds)  # NaN: no time, never masked
    # the pairs kept, row by row as the product gave them, then each row's columns sorted
    # (the canonical form: sums over a row run in column order)
    kept_per_row = np.bincount(row[keep], minlength=sim.shape[0])
    sim = csr_matrix((sim.data[keep], col[keep],
                      np.concatenate([[0], np.cumsum(kept_per_row)])), shape=sim.shape)
    sim.sort_indices()
    return Block(day, list(recent), list(new), sim)


def link_block(block: Block, book: StoryBook, threshold: float) -> DayResult:
    """Average linkage of the day's groups (open stories, new articles) above ``threshold``."""
    import numpy as np
    from scipy.sparse import csr_matrix

    recent_labels = [book.label(it.id) for it in block.recent]
    open_labels = sorted(set(recent_labels))
    position = {label: k for k, label in enumerate(open_labels)}
    n_open, n_new = len(open_labels), len(block.new)
    groups = [position[lb] for lb in recent_labels] + [n_open + k for k in range(n_new)]
    n_items = len(groups)
    member = csr_matrix((np.ones(n_items), (np.arange(n_items), np.array(groups, dtype=np.int64))),
                        shape=(n_items, n_open + n_new))
    sums = (member.T @ block.sim @ member).toarray()
    sizes = np.array([book.sizes[lb] for lb in open_labels] + [1] * n_new, dtype=float)
    old = np.array([True] * n_open + [False] * n_new)
    roots = average_link(sums, sizes, old, threshold)
    names = open_labels + [it.id for it in block.new]
    joined = {it.id: names[roots[n_open + k]] for k, it in enumerate(block.new)}
    merges = [(open_labels[g], names[roots[g]]) for g in range(n_open) if roots[g] != g]
    return DayResult(joined, merges)


def average_link(sums: Any, sizes: Any, old: Any, threshold: float) -> list[int]:
    """Average linkage starting from groups, stopped below ``threshold``.

    ``sums[i, j]`` is the sum of item similarities between groups i and j, ``sizes`` their
    sizes, ``old`` marks existing stories (two of them merge only once one has taken in a new
    group). Merging i < j keeps i. Returns each group's final group (its lowest position).
    """
    import numpy as np

    n = len(sizes)
    if n < 2:
        return list(range(n))
    s = np.array(sums, dtype=float)
    size = np.array(sizes, dtype=float)
    old = np.array(old, dtype=bool)
    fresh = ~old  # holds a new article
    alive = np.ones(n, dtype=bool)
    avg = s / np.outer(size, size)
    avg[np.ix_(old, old)] = -np.inf
    np.fill_diagonal(avg, -np.inf)
    best = avg.argmax(axis=1)
    best_val = avg[np.arange(n), best]
    parent = list(range(n))
    while True:
        i = int(best_val.argmax())
        if not best_val[i] >= threshold:
            break
        j = int(best[i])
        a, b = min(i, j), max(i, j)
        parent[b] = a
        s[a] += s[b]
        s[:, a] = s[a]
        size[a] += size[b]
        old[a] |= old[b]
        fresh[a] |= fresh[b]
        alive[b] = False
        avg[b, :] = -np.inf
        avg[:, b] = -np.inf
        best_val[b] = -np.inf
        row = s[a] / (size[a] * size)
        row[~alive] = -np.inf
        row[a] = -np.inf
        # a holds a new article now, so it may merge with any group, old or not
        avg[a, :] = row
        avg[:, a] = row
        stale = alive & ((best == a) | (best == b))
        stale[a] = True
        col = avg[:, a]
        better = alive & ~stale & ((col > best_val) | ((col == best_val) & (a < best)))
        best[better] = a
        best_val[better] = col[better]
        for k in np.flatnonzero(stale):
            best[k] = int(avg[k].argmax())
            best_val[k] = avg[k, best[k]]
    return [_root(parent, g) for g in range(n)]


def _root(parent: list[int], g: int) -> int:
    while parent[g] != g:
        g = parent[g]
    return g


# -- batch: a whole set of articles in memory ----------------------------------------------------

def day_start(day: int) -> float:
    return day * DAY_SECONDS - KST_OFFSET


def batch_blocks(items: Iterable[Item], *, window_hours: float, idf_days: int) -> list[Block]:
    """Every day's block for a set of items held in memory, then the block of items with no
    time (they may join any story; their IDF counts every article)."""
    window = window_hours * 3600
    by_day: dict[int, list[Item]] = {}
    undated: list[Item] = []
    everything = sorted(items, key=lambda it: it.key)
    for it in everything:
        if it.time is None:
            undated.append(it)
        else:
            by_day.setdefault(it.day or 0, []).append(it)
    blocks: list[Block] = []
    vectors = Vectors()
    in_df: list[tuple[int, list[Item]]] = []  # days counted in df, oldest first
    past: list[Item] = []  # every dated item of earlier days, key order
    lo = 0  # past[lo:] are still inside the window
    for day in sorted(by_day):
        new = by_day[day]
        for it in new:
            vectors.add(it)
        in_df.append((day, new))
        while in_df and in_df[0][0] < day - idf_days:
            for it in in_df.pop(0)[1]:
                vectors.remove(it)
        start = day_start(day)
        while lo < len(past) and (past[lo].time or 0.0) < start - window:
            lo += 1
        blocks.append(day_block(day, past[lo:], new, vectors, window))
        past.extend(new)
    if undated:
        while in_df:
            for it in in_df.pop()[1]:
                vectors.remove(it)
        for it in everything:
            vectors.add(it)
        blocks.append(day_block(None, past, undated, vectors, window))
    return blocks


def batch_labels(blocks: Sequence[Block], threshold: float) -> dict[str, str]:
    """article id → story label, running the blocks of :func:`batch_blocks` in order."""
    book = StoryBook()
    for block in blocks:
        book.apply(link_block(block, book, threshold))
    return {article_id: book.resolve(label) for article_id, label in book.joined.items()}


def label_groups(labels: Mapping[str, str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for article_id, label in labels.items():
        groups.setdefault(label, []).append(article_id)
    return groups
