"""The package's public API: sorted, complete, and every name resolves."""
from __future__ import annotations

import sokbo


def test_all_is_sorted_and_resolves() -> None:
    assert sokbo.__all__ == sorted(sokbo.__all__)
    for name in sokbo.__all__:
        assert getattr(sokbo, name) is not None, name


def test_unknown_attribute() -> None:
    import pytest

    with pytest.raises(AttributeError):
        sokbo.no_such_thing  # noqa: B018
