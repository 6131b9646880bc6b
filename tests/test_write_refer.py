"""Finding the full form of a short name (김 차장 → 김태효) without compiling a pattern per name:
the same first match as the regular expression it replaces, on any text."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from sokbo.write.refer import Person, _foreign_full_name, _korean_full_name, full_name_for


def _korean_regex(surname: str, role: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?<![가-힣])({re.escape(surname)}[가-힣]{{1,3}})\s(?:[가-힣A-Za-z·]+\s){{0,3}}\d?"
        rf"{re.escape(role)}")


def _foreign_regex(surname: str, role: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![가-힣])([가-힣]{{2,6}})\s{re.escape(surname)}\s"
                      rf"(?:[가-힣A-Za-z·]+\s){{0,3}}\d?{re.escape(role)}")


# words of names and roles with odd spacing, and any text of a small alphabet, so that
# names, roles, digits and spacing meet often
_WORDS = st.lists(st.tuples(
    st.sampled_from(["김태효", "김", "모스카", "파비오", "차장", "1차장은", "국가안보실", "A·B",
                     "태효", "스카", "장", "효"]),
    st.sampled_from([" ", " ", "", "\n", "  ", "."])), max_size=9)
_TEXT = st.one_of(st.text(alphabet="김태효모스카차장 \n1·A.", max_size=40),
                  _WORDS.map(lambda ws: "".join(w + sep for w, sep in ws)))


@settings(max_examples=3000, deadline=None)
@given(_TEXT, st.sampled_from(["김", "태", "모"]), st.sampled_from(["차장", "장", "스카", ""]))
def test_korean_full_name_is_the_regexs_first_match(text: str, surname: str, role: str) -> None:
    m = _korean_regex(surname, role).search(text)
    assert _korean_full_name(text, surname, role) == (m.group(1) if m else None)


@settings(max_examples=3000, deadline=None)
@given(_TEXT, st.sampled_from(["모스카", "태효", "스카"]), st.sampled_from(["차장", "장", ""]))
def test_foreign_full_name_is_the_regexs_first_match(text: str, surname: str, role: str) -> None:
    m = _foreign_regex(surname, role).search(text)
    assert _foreign_full_name(text, surname, role) == (m.group(1) if m else None)


def test_full_names_in_sentences() -> None:
    texts = ["국가안보실 회의가 열렸다.", "김태효 국가안보실 1차장은 이날 브리핑했다."]
    assert full_name_for(Person("김 차장"), texts) == "김태효"
    assert full_name_for(Person("박 차장"), texts) == ""
    assert full_name_for(Person("김 씨"), texts) == ""
    assert _foreign_full_name("파비오 모스카 교수는 말했다.", "모스카", "교수") == "파비오"
    assert _foreign_full_name("파비오  모스카 교수는", "모스카", "교수") is None
    # at most three words between the name and the role
    assert _korean_full_name("김태효 국가안보실 A·B 대외 1차장은", "김", "차장") == "김태효"
    assert _korean_full_name("김태효 국가안보실 A·B 대외 업무 1차장은", "김", "차장") is None
    assert _korean_full_name("김태효 국가안보실 A·B 대외 업무 차장, 김영수 차장", "김",
                             "차장") == "김영수"
