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
