"""The only place kiwipiepy is imported: one cached Kiwi per process (loading costs ~2 s)."""
from __future__ import annotations

import base64
import functools
import json
import sys
import threading
import warnings
import zlib
from array import array
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from sokbo.errors import NlpError

if TYPE_CHECKING:
    from kiwipiepy import Kiwi

_lock = threading.Lock()


# set in a process that forks workers (``sokbo.workers``): its Kiwi is then built without a
# thread pool, whose thread would not survive the fork
_forkable = False


@functools.cache
def _load(forkable: bool) -> Kiwi:
    try:
        from kiwipiepy import Kiwi
    except ImportError as e:  # pragma: no cover - depends on the install
        raise NlpError("kiwipiepy is not installed: pip install kiwipiepy") from e

    class OneThread(Kiwi):
        """Kiwi without its thread pool (``num_workers=0``): a list of texts is analysed
        text by text in this thread (the same analyses; the pool's one thread overlaps a
        list's analysis with the reading of its results, a few per cent faster on one core)."""

        def tokenize(self, text: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(text, str):
                return super().tokenize(text, *args, **kwargs)
            return [super(OneThread, self).tokenize(t, *args, **kwargs) for t in text]

        def split_into_sents(self, text: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(text, str):
                return super().split_into_sents(text, *args, **kwargs)
            return [super(OneThread, self).split_into_sents(t, *args, **kwargs) for t in text]

    # the multi-word and typo dictionaries cost ~190 MB and ~1.3 s and changed nothing measured
    options = {"load_multi_dict": False, "load_typo_dict": False}
    if forkable:
        with warnings.catch_warnings():  # 0 meant "every core" before kiwipiepy 0.21: it warns
            warnings.simplefilter("ignore", DeprecationWarning)
            kiwi = OneThread(num_workers=0, **options)
    else:
        kiwi = Kiwi(num_workers=1, **options)
    kiwi.tokenize("")  # force the lazy model load now, not inside the first real call
    return kiwi


def get_kiwi() -> Kiwi:
    """The process-wide Kiwi instance, loaded on first use."""
    with _lock:
        return _load(_forkable)


def forkable_kiwi() -> Kiwi:
    """This process's Kiwi from now on, as a process that forks workers needs it (they use
    the copy they are forked with): without a thread pool. Loaded again if the one loaded
    before has a pool (a process that ran one-core work first, a test session)."""
    global _forkable
    with _lock:
        _forkable = True
        return _load(True)


class Morph(NamedTuple):
    """One morpheme of an analysed text: what sokbo reads of a Kiwi token (and all it stores)."""

    form: str
    tag: str
    start: int
    len: int

    @property
    def end(self) -> int:
        return self.start + self.len


# The writer, the style converter and the linter look at the same sentences in turn (speech
# level, content words, restyling, names and figures); analysing each text once is most of the
# pipeline's speed. Morphemes are read-only, so they can be shared.
# A cached text costs about 5 KB (some 30 morphemes): 10,000 texts hold the sentences of the
# largest story, and keep a long run's peak RSS bounded; when full, the older half is
# forgotten (the current story's sentences are the newest, and those asked for are kept).
_TOKEN_CACHE: dict[str, list[Morph]] = {}
TOKEN_CACHE_SIZE = 10_000
# texts Kiwi analysed here and no ``pack_morphs`` has packed since (to keep in the store)
_FRESH: set[str] = set()


def _make_room(keep: Iterable[str], adding: int) -> None:
    if len(_TOKEN_CACHE) + adding <= TOKEN_CACHE_SIZE:
        return
    wanted = set(keep)
    drop = len(_TOKEN_CACHE) // 2 + adding
    for old in list(_TOKEN_CACHE):
        if drop <= 0:
            break
        if old not in wanted:
            del _TOKEN_CACHE[old]
            drop -= 1


def tokenize_many(texts: list[str]) -> list[list[Morph]]:
    """Kiwi morphemes (default options) of each text, analysed once per process and cached;
    a text made of an analysed one (:func:`made_from`) is analysed in its edited words only."""
    cache = _TOKEN_CACHE
    missing = list(dict.fromkeys(t for t in texts if t not in cache))
    if missing:
        sources = {_MADE_FROM[t] for t in missing if t in _MADE_FROM}
        for source in sources:
            # made of another text in turn: analysed the same way
            if source not in cache and source in _MADE_FROM:
                tokenize_many([source])
        _make_room([*texts, *sources], len(missing))
        found = _spliced(missing)
        whole = [t for t in missing if t not in found]
        if whole:
            for text, tokens in zip(whole, get_kiwi().tokenize(whole), strict=True):
                found[text] = [Morph(t.form, t.tag, t.start, t.len) for t in tokens]
        for text in missing:
            _TOKEN_CACHE[text] = found[text]
        if len(_FRESH) + len(whole) > TOKEN_CACHE_SIZE:
            _FRESH.clear()  # a store row not updated costs a later analysis, nothing else
        _FRESH.update(whole)
        _SPLICED.difference_update(whole)
        if len(_SPLICED) + len(missing) > TOKEN_CACHE_SIZE:
            _SPLICED.clear()
        _SPLICED.update(found.keys() - set(whole))
    return [cache[t] for t in texts]


# -- texts made of analysed texts: a restyled ending, a day named, a connective dropped -------

# A derived text → the text it was made of by one local edit (``made_from``); forgotten with
# the token cache (a story at a time)
_MADE_FROM: dict[str, str] = {}
# texts analysed from their source's analysis that no pack has kept since (``pack_made``):
# a story written again reads them from the store, not Kiwi's analysis of their edited words
_SPLICED: set[str] = set()
# the edited words analysed anew, at most: past this, the whole text is analysed
SPLICE_MAX_CHARS = 40


def made_from(source: str, text: str) -> None:
    """Say that ``text`` was made of ``source`` by editing a few adjacent words (restyling its
    ending, naming its day, dropping an opening connective, cutting it short): when ``source``
    is analysed, ``text`` is then analysed as ``source`` was outside the edited words, and
    Kiwi analyses only those words (see :func:`_splice`)."""
    if not text or text == source:
        return
    if text not in _MADE_FROM and len(_MADE_FROM) >= TOKEN_CACHE_SIZE:
        for old in list(_MADE_FROM)[: len(_MADE_FROM) // 2]:
            del _MADE_FROM[old]
    _MADE_FROM[text] = source


def _spliced(texts: Sequence[str]) -> dict[str, list[Morph]]:
    """The texts among ``texts`` analysed from their cached source's analysis, with one Kiwi
    call for all their edited words."""
    plans = {}
    for text in texts:
        source = _MADE_FROM.get(text)
        tokens = _TOKEN_CACHE.get(source) if source is not None else None
        if tokens is not None:
            plan = _splice(source, tokens, text)
            if plan is not None:
                plans[text] = plan
    # the edited words are analysed after the words before them (a verb alone is often
    # misread: 달았습니다 → 닫다), and only their own morphemes are taken
    spans = {text: (_context_start(text, a), a, b) for text, (a, b, _, _) in plans.items()}
    pieces = list(dict.fromkeys(text[c:b] for text, (c, a, b) in spans.items() if a < b))
    analysed = dict(zip(pieces, get_kiwi().tokenize(pieces), strict=True)) if pieces else {}
    out = {}
    new = tuple.__new__
    for text, (a, b, before, after) in plans.items():
        c = spans[text][0]
        middle = []
        for t in analysed.get(text[c:b], ()) if a < b else ():
            if c + t.start >= a:
                middle.append(new(Morph, (t.form, t.tag, c + t.start, t.len)))
            elif c + t.start + t.len > a:
                break  # the context's analysis runs into the edited words
        else:
            out[text] = [*before, *middle, *after]
    return out


SPLICE_CONTEXT_WORDS = 1


def _context_start(text: str, a: int) -> int:
    """Where the SPLICE_CONTEXT_WORDS words before position ``a`` (a word's start) begin."""
    c = a
    for _ in range(SPLICE_CONTEXT_WORDS):
        while c > 0 and text[c - 1].isspace():
            c -= 1
        while c > 0 and not text[c - 1].isspace():
            c -= 1
    return c


def _splice(source: str, tokens: Sequence[Morph], text: str
            ) -> tuple[int, int, list[Morph], list[Morph]] | None:
    """How to analyse ``text`` from ``source``'s morphemes: (start, end) of the words of
    ``text`` that differ from ``source`` (Kiwi analyses them alone), the morphemes of the
    unchanged words before them and after them (shifted); None when the edit is not a few
    adjacent words or a morpheme of ``source`` crosses the edited words' edges."""
    n, m = len(source), len(text)
    least = min(n, m)
    p = 0
    while p < least and source[p] == text[p]:
        p += 1
    q = 0
    while q < least - p and source[n - 1 - q] == text[m - 1 - q]:
        q += 1
    a, b = p, m - q
    while a > 0 and not text[a - 1].isspace():
        a -= 1
    while 0 < b < m and not text[b - 1].isspace() and not text[b].isspace():
        b += 1
    if b - a > SPLICE_MAX_CHARS:
        return None
    b_source = b - m + n  # source[b_source:] == text[b:], and b_source >= a
    shift = b - b_source
    before: list[Morph] = []
    after: list[Morph] = []
    for t in tokens:
        end = t.start + t.len
        if end <= a:
            before.append(t)
        elif t.start >= b_source:
            after.append(Morph(t.form, t.tag, t.start + shift, t.len) if shift else t)
        elif t.start < a or end > b_source:
            return None  # crosses an edge of the edited words
    return a, b, before, after


def tokenize(text: str) -> list[Morph]:
    """Cached Kiwi morphemes of one text."""
    found = _TOKEN_CACHE.get(text)
    return found if found is not None else tokenize_many([text])[0]


def clear_token_cache() -> None:
    """Forget cached analyses (benchmarks time a cold pass)."""
    _TOKEN_CACHE.clear()
    _DERIVED.clear()
    _MADE_FROM.clear()
    _SPLICED.clear()
    _FRESH.clear()


# A source sentence → the texts the writer made of it (restyled to 합쇼체, its day named):
# analysed as the sentence is, and kept with it, since the same sentence gives the same texts
# each time its story is written again.
_DERIVED: dict[str, tuple[str, ...]] = {}


def note_derived(source: str, texts: Iterable[str]) -> None:
    """Remember texts made of a source sentence (``pack_morphs`` keeps their analyses)."""
    made = tuple(dict.fromkeys((*_DERIVED.get(source, ()),
                                *(t for t in texts if t and t != source))))
    if not made:
        return
    if source not in _DERIVED and len(_DERIVED) >= TOKEN_CACHE_SIZE:
        for old in list(_DERIVED)[: len(_DERIVED) // 2]:
            del _DERIVED[old]
    _DERIVED[source] = made


# -- analyses kept in the store (``article_morphs``): a sentence is analysed once, ever --------

MORPHS_VERSION = "4"
# sokbo 0.2's first format (a JSON list of [tag, start, length(, form)] per morpheme): read,
# not written; JSON makes a list per morpheme, and reading them was most of a rewrite's load
OLD_MORPHS_VERSION = "3"
# tags are kept as one character each, from here on (JSON writes these unescaped)
_TAG_BASE = 0x30


def analysed_anew(texts: Sequence[str]) -> bool:
    """Whether Kiwi analysed any of these texts, or of the texts made of them, since they
    were last packed (their kept analyses then lack it)."""
    return any(t in _FRESH or any(d in _FRESH for d in _DERIVED.get(t, ())) for t in texts)


def pack_morphs(texts: Sequence[str]) -> str:
    """The morphemes of each text this process analysed, and of the texts made of them that
    it analysed (``note_derived``), as one compact string; a text never analysed (the writer
    never reads a sentence too short or not Korean) is kept as not analysed, and not
    analysed to keep it.

    Kept by columns: a JSON head (the tags, one character per morpheme; the forms that
    differ from the text they cover, which most do not) and the offsets and lengths as
    32-bit integers; zlib and base64 make it about the size of the text itself, and plain
    text for any database.
    """
    texts = list(texts)
    own = set(texts)
    made = _made_of(texts, lambda d: d not in own)
    _FRESH.difference_update(texts)
    _FRESH.difference_update(made)
    _SPLICED.difference_update(made)
    cache = _TOKEN_CACHE
    return _pack([(t, cache.get(t), 0) for t in texts], _made_rows(texts, made))


def pack_made(texts: Sequence[str]) -> str | None:
    """The texts made of these that this process analysed from their analysis (``made_from``)
    since they were last packed, as a part to add to their kept ``pack_morphs`` (separated by
    a space; cheaper than packing every sentence again); None when there are none."""
    texts = list(texts)
    made = _made_of(texts, _SPLICED.__contains__)
    if not made:
        return None
    _SPLICED.difference_update(made)
    return _pack([], _made_rows(texts, made))


def _made_of(texts: Sequence[str], keep: Callable[[str], bool]) -> dict[str, int]:
    """The analysed texts made of ``texts`` that ``keep`` keeps → the index of the text each
    was made of (the first, when several gave it)."""
    made: dict[str, int] = {}
    for i, t in enumerate(texts):
        for d in _DERIVED.get(t, ()):
            if d not in made and d in _TOKEN_CACHE and keep(d):
                made[d] = i
    return made


MadeRow = tuple[str, "Sequence[Morph]", "tuple[int, int, int] | None"]


def _made_rows(texts: Sequence[str], made: dict[str, int]) -> list[MadeRow]:
    """Each made text with its morphemes, kept as the morphemes of the text it was made of
    where they are the same (a restyled ending changes the last few): (text, the morphemes
    between, (index of that text, how many of its first morphemes, how many of its last,
    moved by the change in length)), or (text, all its morphemes, None)."""
    rows: list[MadeRow] = []
    for d, i in made.items():
        morphs = _TOKEN_CACHE[d]
        source = _TOKEN_CACHE.get(texts[i])
        same = _same_ends(texts[i], source, d, morphs) if source is not None else (0, 0)
        if same[0] + same[1] == 0:
            rows.append((d, morphs, None))
        else:
            rows.append((d, morphs[same[0]:len(morphs) - same[1]], (i, *same)))
    return rows


def _same_ends(source: str, of_source: Sequence[Morph], text: str, of_text: Sequence[Morph]
               ) -> tuple[int, int]:
    """How many first morphemes of ``text`` are those of ``source``, and how many last ones
    are those of ``source`` moved by the change in length (never overlapping)."""
    n = min(len(of_source), len(of_text))
    p = 0
    while p < n and of_text[p] == of_source[p]:
        p += 1
    shift = len(text) - len(source)
    q = 0
    while q < n - p:
        form, tag, start, length = of_source[-1 - q]
        if of_text[-1 - q] != (form, tag, start + shift, length):
            break
        q += 1
    return p, q


def pack_analyses(texts: Sequence[str], analyses: Sequence[Sequence[Morph] | None],
                  offsets: Sequence[int] | None = None) -> str:
    """:func:`pack_morphs` of texts analysed elsewhere (extraction keeps each sentence's
    morphemes as Kiwi analysed its paragraph): None for a text not analysed; ``offsets``:
    where each text starts in the text its morphemes' offsets count from."""
    offsets = offsets if offsets is not None else [0] * len(texts)
    return _pack(list(zip(texts, analyses, offsets, strict=True)), [])


Packable = tuple[str, "Sequence[Morph] | None", int]  # text, its morphemes, their offset


def _pack(own: Sequence[Packable], made: Sequence[MadeRow]) -> str:
    tagset: dict[str, int] = {}
    counts: list[int] = []
    tags: list[str] = []
    starts: list[int] = []
    lengths: list[int] = []
    forms: list[list[Any]] = []
    for text, morphs, offset in [*own, *((t, m, 0) for t, m, _ in made)]:
        if morphs is None:
            counts.append(-1)
            continue
        counts.append(len(morphs))
        if not morphs:
            continue
        first = len(starts)
        m_forms, m_tags, m_starts, m_lengths = zip(*morphs, strict=True)
        if offset:
            m_starts = tuple(x - offset for x in m_starts)
        for t in m_tags:
            if t not in tagset:
                tagset[t] = len(tagset)
        tags.extend(m_tags)
        starts.extend(m_starts)
        lengths.extend(m_lengths)
        forms.extend([first + k, f] for k, (f, a, n) in
                     enumerate(zip(m_forms, m_starts, m_lengths, strict=True))
                     if text[a:a + n] != f)
    chars = {t: chr(_TAG_BASE + i) for t, i in tagset.items()}
    head = json.dumps([MORPHS_VERSION, len(own), list(tagset), counts,
                       "".join([chars[t] for t in tags]), forms, [t for t, _, _ in made],
                       [b for _, _, b in made]], ensure_ascii=False, separators=(",", ":"))
    numbers = array("i", starts)
    numbers.extend(lengths)
    if sys.byteorder != "little":  # pragma: no cover - kept little-endian everywhere
        numbers.byteswap()
    raw = head.encode("utf-8") + b"\0" + numbers.tobytes()
    # level 1: a first run packs every article it reads; 15 % larger than the default level
    return base64.b64encode(zlib.compress(raw, 1)).decode("ascii")


def _unpack(packed: str) -> tuple[list[Any], list[tuple[str, Any, Any]]] | None:
    """One part of a kept analysis → (each own text's morphemes as ([(index, form) of forms
    that differ], tags, starts, lengths) columns, or None), [(made text, its columns, its
    base: None or (own text index, first morphemes, last morphemes) as ``_made_rows``)];
    None when unreadable."""
    raw = zlib.decompress(base64.b64decode(packed, validate=True))
    if raw.startswith(b'["' + OLD_MORPHS_VERSION.encode() + b'"'):
        _, rows, extra = json.loads(raw)
        return ([None if r is None else _columns_of_rows(r) for r in rows],
                [(t, _columns_of_rows(r), None) for t, r in extra])
    head, nul, body = raw.partition(b"\0")
    version, n_own, tagset, counts, tags, forms, made, *rest = json.loads(head)
    bases = rest[0] if rest else [None] * len(made)  # kept whole before bases were kept
    numbers = array("i")
    numbers.frombytes(body)
    if sys.byteorder != "little":  # pragma: no cover
        numbers.byteswap()
    total = len(tags)
    if version != MORPHS_VERSION or not nul or len(numbers) != 2 * total \
            or len(counts) != n_own + len(made) or sum(c for c in counts if c > 0) != total:
        return None
    starts, lengths = numbers[:total].tolist(), numbers[total:].tolist()
    tag_of = list(map({chr(_TAG_BASE + i): t for i, t in enumerate(tagset)}.__getitem__, tags))
    forms.sort()
    f = 0
    columns: list[Any] = []
    k = 0
    for c in counts:
        if c < 0:
            columns.append(None)
            continue
        own_forms = []  # (index in the text's morphemes, form)
        while f < len(forms) and forms[f][0] < k + c:
            own_forms.append((forms[f][0] - k, forms[f][1]))
            f += 1
        columns.append((own_forms, tag_of[k:k + c], starts[k:k + c], lengths[k:k + c]))
        k += c
    return columns[:n_own], list(zip(made, columns[n_own:], bases, strict=True))


def _columns_of_rows(rows: Sequence[Sequence[Any]]) -> tuple[Any, ...]:
    return ([(k, m[3]) for k, m in enumerate(rows) if len(m) > 3], [m[0] for m in rows],
            [m[1] for m in rows], [m[2] for m in rows])


def _morphs(text: str, columns: tuple[Any, ...]) -> list[Morph]:
    """A text's morphemes from their columns: (index, form) of each form that differs from
    the text it covers, tags, starts, lengths."""
    forms, tags, starts, lengths = columns
    # tuple.__new__: a story's stored sentences are tens of thousands of morphemes
    new = tuple.__new__
    out = [new(Morph, (text[a:a + n], t, a, n)) for t, a, n in zip(tags, starts, lengths)]
    for k, form in forms:
        out[k] = new(Morph, (form, tags[k], starts[k], lengths[k]))
    return out


def unpack_morphs(texts: Sequence[str], packed: str) -> bool:
    """Put the morphemes ``pack_morphs`` stored for these texts in the cache; False (and
    nothing cached) when they do not belong to these texts or are of another version. Parts
    ``pack_made`` added after a space hold only texts made of them."""
    try:
        parts = [_unpack(p) for p in packed.split(" ")]
    except (ValueError, TypeError, IndexError, zlib.error):
        return False
    if any(p is None for p in parts) or len(parts[0][0]) != len(texts) \
            or any(p[0] for p in parts[1:]):
        return False
    own = parts[0][0]
    built: dict[int, list[Morph]] = {}  # own texts' morphemes as kept (a made text's base)

    def kept(i: int) -> list[Morph] | None:
        if i not in built and own[i] is not None:
            built[i] = _morphs(texts[i], own[i])
        return built.get(i)

    todo = {}
    new = tuple.__new__
    try:
        for i, text in enumerate(texts):
            if own[i] is not None and text not in _TOKEN_CACHE:
                todo[text] = kept(i)
        for text, columns, base in (m for p in parts for m in p[1]):
            if text in _TOKEN_CACHE or text in todo:
                continue
            middle = _morphs(text, columns)
            if base is not None:
                i, first, last = base
                source = kept(i)
                if source is None or first + last > len(source):
                    return False
                shift = len(text) - len(texts[i])
                middle = [*source[:first], *middle, *(
                    new(Morph, (f, t, a + shift, n)) for f, t, a, n in
                    source[len(source) - last:])]
            todo[text] = middle
    except (ValueError, TypeError, IndexError):
        return False
    for text, morphs in todo.items():
        if morphs and morphs[-1].end > len(text):  # offsets grow: the last one tells
            return False
    _make_room([*texts, *todo], len(todo))
    _TOKEN_CACHE.update(todo)
    return True
