"""What the writer and then the linter compute from the same articles, computed once.

A post's sources are the very Article objects the writer read (frozen, never changed), and
both read some of the same facts of them: figures the outlets disagree on, whether the story
is about a suicide, who speaks in a transcript. A result is kept for the last few argument
objects, matched by identity (two equal articles would be a hash of their whole text away).
"""
from __future__ import annotations

import functools
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

__all__ = ["by_identity"]

R = TypeVar("R")

# arguments remembered: the current story's, with room for its articles one by one
SIZE = 32


def by_identity(fn: Callable[..., R]) -> Callable[..., R]:
    """``fn`` of an object (or a sequence of objects) and any further arguments, remembered
    for the last SIZE calls whose first argument is (or holds) the very same objects and whose
    further arguments are equal. A list result is copied, so a caller may change its own."""
    kept: deque[tuple[Any, tuple[Any, ...], R]] = deque(maxlen=SIZE)

    @functools.wraps(fn)
    def wrapper(arg: Any, *rest: Any) -> R:
        for held, held_rest, result in kept:
            if held_rest == rest and _same(held, arg):
                return list(result) if isinstance(result, list) else result  # type: ignore
        result = fn(arg, *rest)
        # a sequence is held as a tuple of its items: a caller's list may change later
        kept.append((tuple(arg) if isinstance(arg, Sequence) else arg, rest, result))
        return list(result) if isinstance(result, list) else result  # type: ignore
    return wrapper


def _same(held: Any, arg: Any) -> bool:
    if isinstance(held, tuple) and isinstance(arg, Sequence):
        return len(held) == len(arg) and all(a is b for a, b in zip(held, arg, strict=True))
    return held is arg
