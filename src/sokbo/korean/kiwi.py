"""The only place kiwipiepy is imported: one cached Kiwi per process (loading costs ~2 s)."""
from __future__ import annotations

import functools
import threading
from typing import TYPE_CHECKING

from sokbo.errors import NlpError

if TYPE_CHECKING:
    from kiwipiepy import Kiwi

_lock = threading.Lock()


@functools.cache
def _load() -> Kiwi:
    try:
        from kiwipiepy import Kiwi
    except ImportError as e:  # pragma: no cover - depends on the install
        raise NlpError("kiwipiepy is not installed: pip install kiwipiepy") from e
    # the multi-word and typo dictionaries cost ~190 MB and ~1.3 s and changed nothing measured
    kiwi = Kiwi(num_workers=1, load_multi_dict=False, load_typo_dict=False)
    kiwi.tokenize("")  # force the lazy model load now, not inside the first real call
    return kiwi


def get_kiwi() -> Kiwi:
    """The process-wide Kiwi instance, loaded on first use."""
    with _lock:
        return _load()


# The writer, the style converter and the linter look at the same sentences in turn (speech
# level, content words, restyling, names and figures); analysing each text once is most of the
# pipeline's speed. Tokens are read-only, so they can be shared.
# A cached text costs about 10 KB (some 30 tokens at ~300 bytes): 10,000 texts (~100 MB) hold
# the sentences of the largest story, and keep a long run's peak RSS bounded; when full, the
# older half is forgotten (the current story's sentences are the newest).
_TOKEN_CACHE: dict[str, list] = {}
TOKEN_CACHE_SIZE = 10_000


def tokenize_many(texts: list[str]) -> list[list]:
    """Kiwi tokens (default options) for each text, analysed once per process and cached."""
    missing = list(dict.fromkeys(t for t in texts if t not in _TOKEN_CACHE))
    if missing:
        kiwi = get_kiwi()
        if len(_TOKEN_CACHE) + len(missing) > TOKEN_CACHE_SIZE:
            for old in list(_TOKEN_CACHE)[: len(_TOKEN_CACHE) // 2 + len(missing)]:
                del _TOKEN_CACHE[old]
        for text, tokens in zip(missing, kiwi.tokenize(missing), strict=True):
            _TOKEN_CACHE[text] = list(tokens)
    return [_TOKEN_CACHE[t] if t in _TOKEN_CACHE else list(get_kiwi().tokenize(t))
            for t in texts]


def tokenize(text: str) -> list:
    """Cached Kiwi tokens of one text."""
    return tokenize_many([text])[0]


def clear_token_cache() -> None:
    """Forget cached analyses (benchmarks time a cold pass)."""
    _TOKEN_CACHE.clear()
