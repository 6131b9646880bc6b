"""lint.nlp: a figure is looked up without compiling a pattern per figure, with the same
answers as the pattern it replaces."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from sokbo.lint.nlp import Mention, _number_in, contains_mention


def _pattern_finds(haystack: str, needle: str) -> bool:
    stop = r"(?![\d])" if needle[-1].isdigit() else ""
    return re.search(rf"(?<!\d)(?<!\d\.){re.escape(needle)}{stop}", haystack) is not None


@settings(max_examples=4000, deadline=None)
@given(st.text(alphabet="12.5%월٣²x", max_size=14),
       st.text(alphabet="12.5%월٣²", min_size=1, max_size=4))
def test_number_lookup_is_the_patterns(haystack: str, needle: str) -> None:
    assert _number_in(haystack, needle, stop=needle[-1].isdigit()) == _pattern_finds(
        haystack, needle)


def test_numbers_are_not_found_inside_other_numbers() -> None:
    assert contains_mention("금리는2.15%", Mention("number", "2.1")) is False
    assert contains_mention("금리는12.1%", Mention("number", "2.1")) is False
    assert contains_mention("금리는2.1%", Mention("number", "2.1")) is True
    assert contains_mention("3.2.1%", Mention("number", "2.1")) is False
    assert contains_mention("1월2일", Mention("number", "2일")) is True


def test_mentions_asked_again_are_the_same_and_the_callers_own() -> None:
    from sokbo.korean.kiwi import tokenize
    from sokbo.lint.nlp import mentions

    text = "김민수 대표는 3일 서울에서 120명을 만났다."
    tokens = tokenize(text)
    first = mentions(tokens, text)
    first.append(Mention("name", "덧붙인 이름"))  # a caller's own list
    again = mentions(tokens, text)
    assert again == first[:-1]
    assert [m.text for m in again] == ["김민수", "3일", "서울", "120명"]
    # another list with the same morphemes, or the same list read without the text
    assert mentions(list(tokens), text) == again
    assert [m.text for m in mentions(tokens)] == ["김민수", "3일", "서울", "120명"]
