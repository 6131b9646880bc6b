"""cluster.stored: stories kept in the store are a pure function of the stored articles.

Whatever the arrival order, the batch split, the re-sent or changed articles: the stored
partition (and its labels) equals the from-scratch clustering of every stored article.
"""
from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sokbo.cluster.days import batch_blocks, batch_labels
from sokbo.cluster.stored import add_items, stored_labels, story_done
from sokbo.cluster.terms import Item, day_of, epoch
from sokbo.dates import KST
from sokbo.store import Store

BASE = epoch(datetime(2026, 3, 2, 0, 0, tzinfo=KST))
HOUR = 3600.0
WORDS = ["풍력", "기장", "부산", "축제", "강릉", "경포", "청문회", "장관", "녹조", "낙동강", "정부",
         "발표", "예산", "반도체", "수출"]
PARAMS = {"threshold": 0.1, "window_hours": 72.0, "idf_days": 30}


def _item(n: int, hours: float, words: list[tuple[str, int]]) -> Item:
    terms = tuple(sorted({w: c for w, c in words}.items()))
    return Item(f"a{n:03d}", BASE + hours * HOUR, terms)


@st.composite
def stores(draw, max_items: int = 40):
    """(items, arrival batches): items over ~12 days with overlapping vocabularies."""
    n = draw(st.integers(1, max_items))
    items = []
    for k in range(n):
        hours = draw(st.floats(0, 12 * 24, allow_nan=False).map(lambda h: round(h, 1)))
        words = draw(st.lists(st.tuples(st.sampled_from(WORDS), st.integers(1, 3)),
                              min_size=1, max_size=6))
        items.append(_item(k, hours, words))
    order = draw(st.permutations(items))
    cuts = sorted(draw(st.lists(st.integers(0, n), max_size=5)))
    batches, last = [], 0
    for c in [*cuts, n]:
        batches.append(order[last:c])
        last = c
    return items, [b for b in batches if b]


def scratch(items: list[Item], threshold: float = 0.1, idf_days: int = 30,
            window_hours: float = 72.0) -> dict[str, str]:
    return batch_labels(batch_blocks(items, window_hours=window_hours, idf_days=idf_days),
                        threshold)


def incremental(batches: list[list[Item]], **kw) -> dict[str, str]:
    with Store(":memory:") as store:
        for batch in batches:
            add_items(store, batch, **{**PARAMS, **kw})
        return stored_labels(store)


@settings(max_examples=60, deadline=None)
@given(stores())
def test_any_arrival_order_and_batch_split_gives_the_stories_of_one_batch(data) -> None:
    items, batches = data
    assert incremental(batches) == scratch(items)


@settings(max_examples=40, deadline=None)
@given(stores(max_items=25), st.floats(0.02, 0.6), st.integers(1, 10),
       st.sampled_from([6.0, 24.0, 72.0, 120.0]))
def test_the_same_at_any_parameters(data, threshold: float, idf_days: int,
                                    window_hours: float) -> None:
    items, batches = data
    got = incremental(batches, threshold=threshold, idf_days=idf_days, window_hours=window_hours)
    assert got == scratch(items, threshold, idf_days, window_hours)


@settings(max_examples=30, deadline=None)
@given(stores(max_items=25), st.data())
def test_changed_and_resent_articles_give_the_stories_of_the_final_articles(data, draw) -> None:
    items, batches = data
    changed = draw.draw(st.lists(st.sampled_from(items), max_size=4, unique=True))
    edits = {}
    for it in changed:
        hours = draw.draw(st.floats(0, 12 * 24, allow_nan=False))
        words = draw.draw(st.lists(st.tuples(st.sampled_from(WORDS), st.integers(1, 3)),
                                   min_size=1, max_size=6))
        edits[it.id] = _item(int(it.id[1:]), round(hours, 1), words)
    final = [edits.get(it.id, it) for it in items]
    with Store(":memory:") as store:
        for batch in batches:
            add_items(store, batch, **PARAMS)
        add_items(store, list(edits.values()) + items[:3], **PARAMS)  # edits, and re-sent ones
        got = stored_labels(store)
    resent = {it.id for it in items[:3]} - set(edits)
    expect = scratch([edits.get(it.id, it) if it.id not in resent else it for it in final])
    assert got == expect


@settings(max_examples=30, deadline=None)
@given(stores(max_items=40), st.integers(1, 4))
def test_runs_day_after_day_move_the_saved_frequencies_on(data, idf_days: int) -> None:
    """One run a day, in order (as under `sokbo watch`), with a short IDF window: each run
    starts from the frequencies the run before saved, moved on by a day."""
    items, _ = data
    by_day: dict[int, list[Item]] = {}
    for it in items:
        by_day.setdefault(day_of(it.time), []).append(it)
    with Store(":memory:") as store:
        for day in sorted(by_day):
            half = len(by_day[day]) // 2
            for batch in (by_day[day][:half], by_day[day][half:]):
                add_items(store, batch, **{**PARAMS, "idf_days": idf_days})
        assert stored_labels(store) == scratch(items, idf_days=idf_days)


def test_new_parameters_recluster_everything() -> None:
    items = [_item(0, 0, [("부산", 1), ("풍력", 2)]), _item(1, 5, [("부산", 1), ("축제", 2)]),
             _item(2, 6, [("풍력", 2), ("기장", 1)])]
    with Store(":memory:") as store:
        add_items(store, items, **PARAMS)
        assert stored_labels(store) == scratch(items)
        add_items(store, [], **{**PARAMS, "threshold": 0.6})
        assert stored_labels(store) == scratch(items, 0.6)


def test_a_run_redoes_only_the_days_it_touches() -> None:
    day = 24.0
    items = [_item(k, day * (k // 3) + k % 3, [("부산", 1), (WORDS[k % 7], 2)])
             for k in range(30)]  # 10 days, 3 articles a day
    with Store(":memory:") as store:
        first = add_items(store, items, **PARAMS)
        assert first.replayed_days == 10
        late = add_items(store, [_item(99, day * 9 + 5, [("부산", 1), ("축제", 1)])], **PARAMS)
        assert late.replayed_days == 1 and late.replayed_articles == 4
        again = add_items(store, items[:5], **PARAMS)
        assert again.replayed_days == 0


def test_changed_stories_stay_pending_until_their_post_is_written() -> None:
    a = _item(0, 0, [("부산", 1), ("풍력", 2), ("기장", 1)])
    b = _item(1, 2, [("부산", 1), ("풍력", 2), ("기장", 1)])
    c = _item(2, 1, [("강릉", 2), ("축제", 2)])
    with Store(":memory:") as store:
        first = add_items(store, [a, c], **PARAMS)
        assert {s.article_ids for s in first.stories} == {("a000",), ("a002",)}
        for story in first.stories:
            story_done(store, story)
        # b joins a's story; c's story is untouched
        second = add_items(store, [b], **PARAMS)
        assert [s.article_ids for s in second.stories] == [("a000", "a001")]
        assert second.stories[0].pending
        # killed before the post was written: the next run still returns it
        third = add_items(store, [], **PARAMS)
        assert [s.article_ids for s in third.stories] == [("a000", "a001")]
        story_done(store, third.stories[0])
        assert add_items(store, [], **PARAMS).stories == []


def test_an_item_needs_a_time() -> None:
    with Store(":memory:") as store, pytest.raises(ValueError):
        add_items(store, [Item("x", None, (("부산", 1),))], **PARAMS)
