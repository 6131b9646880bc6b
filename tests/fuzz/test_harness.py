"""The harness itself: what counts as a crash, what does not."""
from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fuzz import harness
from fuzz.harness import EntryPoint, mutated, splice
from sokbo.errors import InputError


def test_sokbo_error_is_a_rejection_not_a_crash() -> None:
    ep = EntryPoint("selftest-reject", register=False)

    def target(_: object) -> None:
        raise InputError("bad", source="x")

    assert ep.run(target, 1) is None
    assert (ep.inputs, ep.rejected, ep.crashes) == (1, 1, 0)


def test_other_exceptions_are_crashes_grouped_by_site() -> None:
    ep = EntryPoint("selftest-crash", register=False)

    def target(v: int) -> None:
        {}[v]

    for v in range(3):
        assert isinstance(ep.run(target, v), KeyError)
    assert ep.crashes == 3 and len(ep.sites) == 1
    site = next(iter(ep.sites.values()))
    assert site.kind == "KeyError" and site.count == 3


def test_a_hang_is_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(harness, "HANG_SECONDS", 0.2)
    ep = EntryPoint("selftest-hang", register=False)
    assert isinstance(ep.run(lambda _: time.sleep(5), 0), harness.Hang)
    assert ep.crashes == 1


def test_an_internal_error_caught_inside_is_a_crash() -> None:
    from sokbo.crashlog import report_internal_error

    ep = EntryPoint("selftest-swallowed", register=False)

    def target(_: object) -> None:
        try:
            raise ValueError("bug")
        except ValueError as e:
            report_internal_error(e, "x")  # what a per-item safety net does

    assert ep.run(target, 0) is not None and ep.crashes == 1


@pytest.mark.skipif(harness.FUZZING, reason="the normal test run's behaviour")
def test_fuzz_fails_on_the_first_crash_in_the_test_run() -> None:
    ep = EntryPoint("selftest-fuzz", register=False, test_examples=20)
    with pytest.raises(AssertionError, match="ZeroDivisionError"):
        ep.fuzz(st.integers(0, 3), target=lambda v: 1 / v)


@settings(max_examples=50, deadline=None)
@given(splice("<rss><item>한글</item></rss>"))
def test_splice_returns_text(text: str) -> None:
    assert isinstance(text, str)


def test_mutated_draws_from_fixtures() -> None:
    seen = []

    @settings(max_examples=30, deadline=None, derandomize=True)
    @given(mutated(["가나다라마바사", "abcdefg"], max_ops=0))
    def draw(text: str) -> None:
        seen.append(text)

    draw()
    assert set(seen) <= {"가나다라마바사", "abcdefg"}
