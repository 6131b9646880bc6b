"""Tests for sokbo.korean.style and .formal: restyling to 합쇼체 against the hand-checked table.

Columns: ``plain`` (any register), ``polite`` (what to_polite gives: 해라체 → 합쇼체 only),
``category``, ``formal`` (what to_formal gives; ``-`` = not convertible, left out).
"""
from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sokbo.errors import InputError
from sokbo.korean.formal import (
    ending_register,
    formal_table_accuracy,
    to_formal,
    to_formal_many,
)
from sokbo.korean.kiwi import get_kiwi
from sokbo.korean.style import speech_level, style_table_accuracy, to_polite, to_polite_many

TABLE = Path(__file__).parent / "data" / "style_pairs.tsv"


def _load_table() -> list[dict[str, str]]:
    with TABLE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


ROWS = _load_table()
PLAIN = [r["plain"] for r in ROWS]
CHANGED = [r for r in ROWS if r["plain"] != r["polite"]]
UNCHANGED = [r for r in ROWS if r["plain"] == r["polite"]]


@pytest.fixture(scope="session")
def kiwi():
    """Load Kiwi once per session (~1.3 s), before any test with a deadline runs."""
    return get_kiwi()


@pytest.fixture(scope="session")
def table_outputs(kiwi) -> list[str]:
    return to_polite_many(PLAIN)


# --- the table itself -----------------------------------------------------------------------

def test_table_is_big_and_covers_every_category():
    assert len(ROWS) >= 170
    counts = Counter(r["category"] for r in ROWS)
    required = {
        "declarative_past", "declarative_present", "declarative_future", "copula",
        "copula_number_english", "negation", "compound", "reported_speech", "quote_ending",
        "question", "noun_ending", "ellipsis", "trailing_paren", "number_english_ending",
        "already_polite", "l_deletion", "irregular", "honorific", "existence",
    }
    assert required <= set(counts), required - set(counts)
    assert all(counts[c] >= 5 for c in required), counts


def test_table_rows_are_well_formed():
    assert len(set(PLAIN)) == len(PLAIN), "duplicate plain sentences"
    for r in ROWS:
        assert r["plain"].strip() == r["plain"] and r["polite"].strip() == r["polite"]
        assert "ㅂ니다" not in r["polite"]  # compatibility jamo never appears in good Korean
        if r["plain"] != r["polite"]:
            assert "니다" in r["polite"]


# --- accuracy -------------------------------------------------------------------------------

def test_table_accuracy_at_least_99_percent(table_outputs):
    misses = [
        (r["category"], r["plain"], r["polite"], got)
        for r, got in zip(ROWS, table_outputs)
        if got != r["polite"]
    ]
    for category, plain, want, got in misses:
        print(f"[{category}] {plain}\n    want {want}\n    got  {got}")
    assert len(misses) <= len(ROWS) // 100, f"{len(misses)} of {len(ROWS)} pairs wrong"


def test_style_table_accuracy_reports_the_same(kiwi):
    ok, total = style_table_accuracy(TABLE)
    assert total == len(ROWS)
    assert ok >= total * 0.99


def test_style_table_accuracy_needs_a_path():
    with pytest.raises(InputError, match="style_pairs.tsv"):
        style_table_accuracy()


def test_style_table_accuracy_missing_file(tmp_path):
    with pytest.raises(InputError):
        style_table_accuracy(tmp_path / "nope.tsv")


def test_style_table_accuracy_bad_row(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("plain\tpolite\tcategory\n했다.\t했습니다.\tx\n외톨이\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 3"):
        style_table_accuracy(bad)


@pytest.mark.parametrize(
    ("plain", "polite"),
    [
        ("정부는 관련 법안을 연내 만든다.", "정부는 관련 법안을 연내 만듭니다."),
        ("그는 사실을 안다.", "그는 사실을 압니다."),
        ("목표는 AI다.", "목표는 AI입니다."),
        ("상승률은 2.1%이다.", "상승률은 2.1%입니다."),
        ("당시 최대 주주는 ABC였다.", "당시 최대 주주는 ABC였습니다."),  # join would give ABC이었
        ("그는 사흘 만에 체포되었다.", "그는 사흘 만에 체포되었습니다."),  # join would give 됐
        ("그는 곧 떠날 거다.", "그는 곧 떠날 겁니다."),
        ("그것은 사실이 아니다.", "그것은 사실이 아닙니다."),
        ("그는 마감했다 (+1.4%).", "그는 마감했습니다 (+1.4%)."),
        ("그는 밝혔다(KBS).", "그는 밝혔습니다(KBS)."),
        ('그는 "좋다"라고 했다.', '그는 "좋다"라고 했습니다.'),
        ("매출은 늘었고, 이익은 줄었다.", "매출은 늘었고, 이익은 줄었습니다."),
        ("문제는 바로 여기에서다.", "문제는 바로 여기에서입니다."),  # Kiwi reads this 다 as MAG
        ("결과는 좋았다…", "결과는 좋았습니다…"),
        ("결과는 좋았다...", "결과는 좋았습니다..."),
    ],
)
def test_rules_from_the_brief(kiwi, plain, polite):
    assert to_polite(plain) == polite


@pytest.mark.parametrize(
    "sentence",
    [
        '그는 "좋다."',
        "“시장이 회복되고 있다.”",
        "잘 했나?",
        "그것이 문제인가?",
        "결국 요금은 또 오른다?",
        "모두 함께 노력하자.",
        "지금 확인하라.",
        "세부 내용은 발표 예정.",
        "정부, 대책 발표",
        "지수는 3.5%.",
        "오늘 발표했습니다.",
        "",
        "   ",
        "…",
    ],
)
def test_left_alone(kiwi, sentence):
    assert to_polite(sentence) == sentence


# --- properties -----------------------------------------------------------------------------

_FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_FAST
@given(st.sampled_from(PLAIN + [r["polite"] for r in ROWS]))
def test_idempotent(sentence):
    once = to_polite(sentence)
    assert to_polite(once) == once


def _changed_region_is_in_last_word(before: str, after: str) -> None:
    """Only the ending and the syllable before it change: no other byte, and no whitespace.

    ``after`` must be ``before`` with one span of one or two characters ending in 다 replaced by
    three characters ending in 니다: 했다 → 했습니다 (다 → 습니다), 만든다 → 만듭니다
    (든다 → 듭니다), 먹는다 → 먹습니다, 아니다 → 아닙니다, AI다 → AI입니다.
    """
    if before == after:
        return
    for j in range(len(before)):
        for r in (1, 2):
            if before[j + r - 1 : j + r] != "다":
                continue
            ins_len = len(after) - (len(before) - r)
            ins = after[j : j + ins_len]
            if (
                ins_len == 3
                and after[:j] == before[:j]
                and after[j + ins_len :] == before[j + r :]
                and ins.endswith("니다")
                and not ins[0].isspace()
            ):
                return
    raise AssertionError(f"not a single ending swap: {before!r} → {after!r}")


@pytest.mark.parametrize("row", CHANGED, ids=lambda r: r["plain"][:20])
def test_text_before_last_word_is_byte_identical(kiwi, row):
    got = to_polite(row["plain"])
    _changed_region_is_in_last_word(row["plain"], got)
    before, after = row["plain"].split(), got.split()
    assert len(before) == len(after)
    changed = [n for n, (x, y) in enumerate(zip(before, after)) if x != y]
    assert len(changed) == 1
    assert got.startswith(" ".join(before[: changed[0]]))


_PREFIX_WORDS = ["정부는", "오늘", "2.1%", "AI", '"좋다"고', "(주)한빛", "…", "3일", "KBS", "했고,"]


@_FAST
@given(
    st.lists(st.sampled_from(_PREFIX_WORDS), min_size=1, max_size=4).map(" ".join),
    st.sampled_from(PLAIN),
)
def test_prefix_never_changes(prefix, sentence):
    before = f"{prefix} {sentence}"
    after = to_polite(before)
    assert after.startswith(prefix + " ")
    _changed_region_is_in_last_word(before, after)


def test_batch_equals_single(table_outputs):
    assert table_outputs == [to_polite(s) for s in PLAIN]
    assert to_polite_many([]) == []
    assert to_polite_many(iter(["", "그는 떠났다."])) == ["", "그는 떠났습니다."]


def test_unchanged_categories_really_unchanged(table_outputs):
    for row, got in zip(ROWS, table_outputs):
        if row in UNCHANGED:
            assert got == row["plain"]


# --- speech_level ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("sentence", "level"),
    [
        ("정부가 전망치를 낮췄다.", "plain"),
        ("이번 결정은 최종 결론이 아니다.", "plain"),
        ("목표는 AI다.", "plain"),
        ("정부는 법안을 만든다.", "plain"),
        ("주가는 하락세로 돌아섰다…", "plain"),
        ("그는 밝혔다(KBS).", "plain"),
        ("정부가 전망치를 낮췄습니다.", "polite"),
        ("오늘 서울은 덥네요.", "polite"),
        ("가격은 작년과 거의 같아요.", "polite"),
        ("회의가 길어졌는데요.", "polite"),
        ("과연 집값은 잡힐 수 있을까?", "other"),
        ("대책은 충분한가?", "other"),
        ("결국 요금은 또 오른다?", "other"),
        ("정말 끝났습니까?", "other"),
        ('그는 "서두르지 않겠다."', "other"),
        ("사진은 증권가 모습.", "other"),
        ("정부, 대책 발표", "other"),
        ("모두가 함께 노력하자.", "other"),
        ("", "other"),
    ],
)
def test_speech_level(kiwi, sentence, level):
    assert speech_level(sentence) == level


def test_speech_level_agrees_with_conversion(table_outputs):
    """Every sentence to_polite changed was 'plain'; every result of a change is 'polite'."""
    for row, got in zip(ROWS, table_outputs):
        if got != row["plain"]:
            assert speech_level(row["plain"]) == "plain", row["plain"]
            assert speech_level(got) == "polite", got


# --- to_formal: every register → 합쇼체, or None --------------------------------------------

FORMAL_ROWS = [r for r in ROWS if r.get("formal")]
INFORMAL_CATEGORIES = {
    "haeyo_present", "haeyo_irregular", "haeyo_past", "haeyo_future", "haeyo_copula",
    "haeyo_background", "haeyo_confirm", "haeyo_report", "haeyo_promise", "haeyo_remembered",
    "hae", "noun_topic", "informal_question", "informal_request", "informal_fragment",
}


@pytest.fixture(scope="session")
def formal_outputs(kiwi) -> list[str | None]:
    return to_formal_many([r["plain"] for r in FORMAL_ROWS])


def test_every_row_has_a_formal_form_and_the_informal_categories_are_covered():
    assert len(FORMAL_ROWS) == len(ROWS)
    counts = Counter(r["category"] for r in ROWS)
    assert INFORMAL_CATEGORIES <= set(counts)
    assert sum(counts[c] for c in INFORMAL_CATEGORIES) >= 90
    for r in ROWS:
        assert r["formal"] == "-" or r["formal"].strip() == r["formal"]
        # to_polite (해라체 only) leaves 해요체, 해체 and noun endings as they are
        if r["category"] in INFORMAL_CATEGORIES:
            assert r["polite"] == r["plain"]


def test_formal_table_is_exact(formal_outputs):
    misses = [
        (r["category"], r["plain"], r["formal"], got)
        for r, got in zip(FORMAL_ROWS, formal_outputs, strict=True)
        if (got if got is not None else "-") != r["formal"]
    ]
    for category, plain, want, got in misses:
        print(f"[{category}] {plain}\n    want {want}\n    got  {got}")
    assert not misses


def test_formal_table_accuracy_reports_the_same(kiwi):
    assert formal_table_accuracy(TABLE) == (len(ROWS), len(ROWS))


def test_formal_agrees_with_to_polite_on_plain_news_prose(formal_outputs):
    for r, got in zip(FORMAL_ROWS, formal_outputs, strict=True):
        if r["plain"] != r["polite"]:  # to_polite converted it: the same result
            assert got == r["polite"]


def test_formal_results_are_formal_and_stable(formal_outputs):
    for r, got in zip(FORMAL_ROWS, formal_outputs, strict=True):
        if got is None:
            continue
        assert ending_register(got) == "hapsyo", got
        assert to_formal(got) == got  # idempotent
        # the words before the last one are never touched (trailing brackets aside)
        core = re.sub(r"(?:\s*[(\[][^()\[\]]*[)\]])*[.!…\s]*$", "", r["plain"])
        assert " " not in core or got.startswith(core.rsplit(" ", 1)[0])


@pytest.mark.parametrize(("sentence", "register"), [
    ("정부가 전망치를 낮췄습니다.", "hapsyo"),
    ("정부가 전망치를 낮췄다.", "haera"),
    ("회의가 길어졌는데요.", "haeyo"),
    ("방법은 두 가지죠.", "haeyo"),
    ("구조를 바꿨어.", "hae"),
    ("과연 집값은 잡힐 수 있을까요?", "question"),
    ("괜찮을까요.", "question"),
    ('그는 "서두르지 않겠다."', "quote"),
    ("김 과장은 “주차 문제는 오래된 숙제다.", "quote"),
    ("자세한 내용은 누리집에서 확인하세요.", "other"),
    ("정부, 대책 발표", "other"),
    ("", "other"),
])
def test_ending_register(kiwi, sentence, register):
    assert ending_register(sentence) == register


@pytest.mark.parametrize("sentence", [
    "그는 “정말 좋아요. 또 올게요",  # ends inside a quote
    "“정말 좋아요.”",
    "그래서 결국 이렇게 됐는데",
    "이 점이 중요한데요,",
    "",
])
def test_formal_refuses(kiwi, sentence):
    assert to_formal(sentence) is None


def test_formal_batch_equals_single(formal_outputs):
    assert formal_outputs == [to_formal(r["plain"]) for r in FORMAL_ROWS]
    assert to_formal_many([]) == []
    assert to_formal_many(["", "방법은 두 가지죠."]) == [None, "방법은 두 가지입니다."]


def test_mixed_quote_marks_are_counted_together():
    # pages open with one mark and close with another ('…‘, “…"): the quote is closed
    assert to_polite("그는 “좋다\"고 했다.") == "그는 “좋다\"고 했습니다."
    assert to_formal("‘누리 쇼’는 '방과 후‘ 특집으로 꾸며졌다.") == "‘누리 쇼’는 '방과 후‘ 특집으로 꾸며졌습니다."


# --- the real pages (read, never copied) --------------------------------------------------------

def test_real_pages_narrative_becomes_formal_or_is_refused():
    """Every sentence of the 40 pages that is not somebody's words gets a 합쇼체 form or None;
    the forms are 합쇼체 and keep all words but the last."""
    from conftest import shared_dir

    from sokbo.extract import extract_article
    from sokbo.korean.transcript import speech_indices

    html = shared_dir() / "data" / "html"
    if not html.is_dir():
        pytest.skip("../shared/data/html is not here")
    converted = refused = 0
    for page in sorted(html.glob("*.html")):
        try:
            a = extract_article(page.read_text("utf-8", errors="replace"))
        except Exception:
            continue
        speech = speech_indices(a)
        for s in a.sentences:
            if s.index in speech:
                continue
            got = to_formal(s.text)
            if got is None:
                refused += 1
                continue
            converted += 1
            assert ending_register(got) == "hapsyo", got
            assert got.startswith(s.text.rsplit(" ", 1)[0])
    assert converted >= 400 and refused <= converted // 10
