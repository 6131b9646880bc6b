"""Results kept for the very same argument objects (``sokbo.memo``)."""
from __future__ import annotations

from dataclasses import dataclass

from sokbo.memo import SIZE, by_identity


@dataclass(frozen=True)
class Thing:
    name: str


def _counted():
    calls: list[object] = []

    @by_identity
    def names(things):
        calls.append(things)
        return [t.name for t in things]

    return names, calls


def test_the_same_objects_are_computed_once_and_equal_ones_again() -> None:
    names, calls = _counted()
    a, b = Thing("가"), Thing("나")
    assert names([a, b]) == ["가", "나"]
    assert names((a, b)) == ["가", "나"]  # the same objects, in another sequence
    assert len(calls) == 1
    assert names([Thing("가"), b]) == ["가", "나"]  # an equal object is not the same one
    assert names([b, a]) == ["나", "가"]
    assert len(calls) == 3


def test_a_list_result_is_the_callers_own() -> None:
    names, _ = _counted()
    a = Thing("가")
    first = names([a])
    first.append("changed")
    assert names([a]) == ["가"]


def test_a_held_sequence_does_not_change_with_the_callers_list() -> None:
    names, calls = _counted()
    a, b = Thing("가"), Thing("나")
    things = [a]
    names(things)
    things.append(b)  # the caller's list changed: another argument now
    assert names(things) == ["가", "나"]
    assert len(calls) == 2


def test_only_the_last_arguments_are_held() -> None:
    names, calls = _counted()
    first = Thing("처음")
    names([first])
    for k in range(SIZE):
        names([Thing(str(k))])
    names([first])
    assert len(calls) == SIZE + 2


def test_further_arguments_are_compared_by_value() -> None:
    calls: list[int] = []

    @by_identity
    def first_names(things, limit):
        calls.append(limit)
        return [t.name for t in things][:limit]

    a, b = Thing("가"), Thing("나")
    assert first_names([a, b], 1) == ["가"]
    assert first_names([a, b], 1) == ["가"]
    assert first_names([a, b], 2) == ["가", "나"]  # another bound: computed
    assert calls == [1, 2]
