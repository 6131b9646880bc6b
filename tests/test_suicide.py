"""자살보도 권고기준 3.0: which stories are about a suicide and which sentences must go.

Fixtures are fictional; the real pages and summaries are read from ../shared to count false
alarms (none may fire on an unrelated page).
"""
from __future__ import annotations

import json
import re

import pytest
from conftest import shared_dir

from sokbo.extract import article_from_text, extract_article
from sokbo.korean.suicide import assess_suicide, suicide_event, suicide_mention, unsafe_detail

STORY = """누리시 30대 회사원 숨진 채 발견…경찰 "극단적 선택 추정"
누리시의 한 회사원이 자택에서 숨진 채 발견됐다.
경찰은 현장에서 번개탄이 발견됐다며 극단적 선택을 한 것으로 보고 있다.
그는 최근 생활고를 비관해 온 것으로 알려졌다.
유서에는 가족에게 미안하다는 내용이 적혀 있었다.
동료들은 그가 성실하고 따뜻한 사람이었다고 말했다.
경찰은 정확한 사망 경위를 조사하고 있다.
그는 이제 하늘의 별이 됐다.
우울감 등 말하기 어려운 고민이 있으면 자살예방상담전화 109에서 상담을 받을 수 있다."""


def test_a_suicide_story_and_the_sentences_that_go() -> None:
    a = article_from_text(STORY)
    found = assess_suicide([a])
    assert found and found.story
    assert any(e.startswith("headline") for e in found.evidence)
    reasons = {a.sentences[int(sid.split("#")[1])].text: why for sid, why in found.leave_out.items()}
    assert reasons == {
        "누리시의 한 회사원이 자택에서 숨진 채 발견됐다.": "place",
        "경찰은 현장에서 번개탄이 발견됐다며 극단적 선택을 한 것으로 보고 있다.": "method",
        "그는 최근 생활고를 비관해 온 것으로 알려졌다.": "motive",
        "유서에는 가족에게 미안하다는 내용이 적혀 있었다.": "note",
        "그는 이제 하늘의 별이 됐다.": "glorify",
        "우울감 등 말하기 어려운 고민이 있으면 자살예방상담전화 109에서 상담을 받을 수 있다.": "helpline",
    }
    # what the post may still say
    kept = [s.text for s in a.sentences if s.id not in found.leave_out]
    assert kept == ["동료들은 그가 성실하고 따뜻한 사람이었다고 말했다.",
                    "경찰은 정확한 사망 경위를 조사하고 있다."]


@pytest.mark.parametrize("text", [
    "누리시 30대 남성이 스스로 목숨을 끊었다.",
    "경찰은 그가 극단적 선택으로 숨진 것으로 보고 있다.",
    "한강 다리에서 투신한 20대가 구조됐지만 끝내 숨졌다.",
    "누리구 자살 예방 센터가 문을 열었다.",
    "지난해 자살률은 인구 10만 명당 25명이었다.",
    "검시관은 그가 스스로 극단선택을 했다고 결론 내렸다.",
    "그는 아내를 살해한 뒤 극단 선택을 한 것으로 추정된다.",
    "도움이 필요하면 자살예방상담전화 109로 전화하면 된다.",
])
def test_suicide_mentions(text: str) -> None:
    assert suicide_mention(text)


@pytest.mark.parametrize("text", [
    "누리당 지도부가 동료 의원을 제명하는 극단적인 선택을 했다고 비판했다.",
    "누리FC 수비수의 자살골로 경기는 1대 1로 끝났다.",
    "누리국 수도에서 자살폭탄 테러가 일어나 3명이 다쳤다.",
    "그는 청년 시절 정계에 투신해 30년을 보냈다.",
    "학교 측은 불추천 사유서를 제출했다.",
    "누리시는 유서 깊은 도시로 이름이 높다.",
    "극단 누리의 새 연극이 오늘 막을 올린다.",
    "양극화가 극단적으로 심해졌다는 분석이 나왔다.",
    "누리시 주민 2명이 교통사고로 숨졌다.",
])
def test_not_suicide_mentions(text: str) -> None:
    assert not suicide_mention(text)


@pytest.mark.parametrize(("sentence", "reason"), [
    ("그는 누리대교에서 뛰어내린 것으로 조사됐다.", "method"),
    ("현장에서는 수면제가 다량 발견됐다.", "method"),
    ("그는 누리시의 한 모텔에서 숨진 채 발견됐다.", "place"),
    ("그는 취업 실패를 비관한 것으로 전해졌다.", "motive"),
    ("그가 남긴 유서에는 동료들에게 남기는 말이 쓰여 있었다.", "note"),
    ("3년 전 가수 누리도 그렇게 떠났다.", "glorify"),
    ("그는 편히 잠들었다.", "glorify"),
    ("빈소는 누리병원 장례식장에 마련됐다.", None),
    ("동료들은 그를 성실한 사람으로 기억했다.", None),
])
def test_unsafe_detail(sentence: str, reason: str | None) -> None:
    assert unsafe_detail(sentence) == reason


def test_a_story_about_something_else_is_not_flagged() -> None:
    a = article_from_text(
        "누리시 도서관 야간 개방\n누리시가 다음 달부터 시립도서관을 밤 11시까지 연다.\n"
        "시는 시험 기간 학생들의 요청이 많았다고 설명했다.\n"
        "야간 개방에는 연간 2억 원이 들 것으로 보인다."
    )
    found = assess_suicide([a])
    assert not found and found.leave_out is None and found.evidence == ()


@pytest.mark.parametrize(("text", "event"), [
    ("누리시 30대 남성이 스스로 목숨을 끊었다.", True),
    ("경찰은 그가 자살한 것으로 보고 있다.", True),
    ("누리구 자살 예방 센터가 문을 열었다.", False),
    ("지난해 자살률은 인구 10만 명당 25명이었다.", False),
    ("중독과 자살 문제는 사회가 함께 풀어야 할 과제입니다.", False),
])
def test_suicide_event_is_a_death_not_an_issue(text: str, event: bool) -> None:
    assert suicide_event(text) is event


def test_a_policy_story_on_suicide_is_not_a_suicide_story() -> None:
    """The help line and the guideline's limits are for reports of a suicide, not for a story
    on suicide prevention policy (fictional)."""
    a = article_from_text(
        "누리시 정신건강 정책 개편\n누리시가 정신건강 정책을 새로 짰다.\n"
        "시는 중독과 자살 문제를 함께 다루는 전담 부서를 만든다.\n"
        "지난해 누리시의 자살률은 전국 평균보다 낮았다.\n"
        "시는 자살 예방 사업 예산을 20% 늘린다."
    )
    assert not assess_suicide([a])


def test_one_mention_deep_in_an_unrelated_story_does_not_make_it_one() -> None:
    lines = ["누리시 예산 3조 원 확정"] + [
        f"누리시 의회는 {n}번째 예산 항목을 심사해 원안대로 통과시켰다." for n in range(1, 9)
    ] + ["한 의원은 지역 청년 자살 예방 사업 예산도 늘려야 한다고 말했다."]
    found = assess_suicide([article_from_text("\n".join(lines))])
    assert not found


# -- false alarms on the real data (read, never copied) -------------------------------------------

DATA = shared_dir() / "data"
# every mention the detector knows contains one of these: texts without them need no reading
CANDIDATE = re.compile(r"자살|극단|투신|분신|목숨|유서|생을|세상을\s*등지|1393|109|생명의|희망의|정신건강")


@pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data is not here")
def test_no_false_alarm_on_the_real_pages_and_summaries() -> None:
    flagged = []
    for page in sorted((DATA / "html").glob("*.html")):
        try:
            a = extract_article(page.read_text("utf-8", errors="replace"))
        except Exception:
            continue
        if assess_suicide([a]):
            flagged.append(page.stem)
    # the one page about a singer's death carries the outlet's own suicide help line
    assert flagged == ["yonhapnewstv_02"]
    for split in ("dev", "heldout"):
        for line in (DATA / "summ" / f"{split}.jsonl").open(encoding="utf-8"):
            r = json.loads(line)
            if not CANDIDATE.search(r["text"] + (r.get("title") or "")):
                continue
            try:
                a = article_from_text(r["text"], title=r.get("title") or None)
            except Exception:
                continue
            assert not assess_suicide([a]), r["id"]


@pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data is not here")
def test_political_extreme_choices_are_no_suicide() -> None:
    flagged = 0
    for line in (DATA / "clusters" / "articles.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        if not CANDIDATE.search(r["text"] + r["title"]):
            continue
        try:
            a = article_from_text(r["text"], title=r["title"])
        except Exception:
            continue
        flagged += bool(assess_suicide([a]))
    # of 2,178 political articles, two are about suicide (a self-immolation attempt, students
    # at risk of suicide); "극단적 선택" for a party's decision is not
    assert flagged <= 2
