"""Post shapes: the writer's shapes are exactly what the linter accepts (rendered, then linted)."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from sokbo.lint import lint_text
from sokbo.models import Card, Post, PostSentence, Section, SourceRef
from sokbo.render import render_post
from sokbo.shapes import SHAPES, shape_named, shapes_fitting

# a fictional story, one fact per sentence so no two sentences repeat a claim
FACTS = [
    "한빛시가 공공자전거 1천 대를 내년 3월까지 추가로 들여옵니다.",
    "새 자전거는 대여소 120곳에 나뉘어 배치됩니다.",
    "시는 이번 사업에 예산 25억 원을 씁니다.",
    "1시간 이용권 요금은 1천 원으로 유지됩니다.",
    "하루 평균 이용 건수는 올해 6천 건으로 늘었습니다.",
    "대여소 정비는 다음 달 시작됩니다.",
    "김하늘 교통국장은 시민 의견도 받겠다고 말했습니다.",
    "한빛대 앞 대여소가 가장 붐빕니다.",
    "고장 신고는 앱으로 받습니다.",
    "야간 반납 시간은 자정까지입니다.",
    "시의회는 다음 주 예산안을 심사합니다.",
    "전기자전거 50대도 시범 운영됩니다.",
    "헬멧 대여는 무료입니다.",
    "주말 이용은 평일보다 두 배 많습니다.",
]


def _ps(i: int, role: str) -> PostSentence:
    return PostSentence(FACTS[i], "a1", i, role)


def _post(cards: int, paragraphs: list[int]) -> Post:
    n = iter(range(len(FACTS)))
    card_list = tuple(
        Card(subtitle=f"카드 제목 {c + 1}", sentences=(_ps(next(n), "card"),), highlight="",
             key_sentence=_ps(next(n), "key"))
        for c in range(cards)
    )
    sections = tuple(
        Section(heading=f"섹션 제목 {k + 1}",
                paragraphs=tuple((_ps(next(n), "section"),) for _ in range(count)))
        for k, count in enumerate(paragraphs)
    )
    return Post(
        story_id="s1", title="한빛시 공공자전거 추가 도입", slug="bike",
        date=datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("Asia/Seoul")),
        excerpt=(_ps(0, "excerpt"),), cards=card_list, sections=sections,
        sources=(SourceRef("a1", "한빛일보", "공공자전거", "https://news.example/bike", None),),
        image="https://sokbo.example/banner.png",
    )


def _format_codes(post: Post) -> set[str]:
    found = lint_text(render_post(post, "jekyll")[1]).findings
    return {f.code for f in found if f.code.startswith("SB3")}


@pytest.mark.parametrize(
    ("cards", "paragraphs", "shape"),
    [(2, [2, 2], "full"), (2, [3, 2, 3], "full"), (2, [1], "compact"), (2, [3, 1], "compact"),
     (0, [1], "brief"), (0, [3], "brief"), (0, [2, 1], "brief")],
)
def test_every_shape_renders_lint_clean(cards: int, paragraphs: list[int], shape: str) -> None:
    assert shape_named(shape) in shapes_fitting(cards, paragraphs)
    assert _format_codes(_post(cards, paragraphs)) == set()


@pytest.mark.parametrize(
    ("cards", "paragraphs", "code"),
    [(2, [2, 2, 2, 2], "SB303"), (2, [1, 1, 1], "SB303"), (0, [2, 2, 2, 2], "SB303"),
     (0, [4], "SB303"), (1, [2, 2], "SB302")],
)
def test_bodies_fitting_no_shape_are_reported(cards: int, paragraphs: list[int],
                                              code: str) -> None:
    assert shapes_fitting(cards, paragraphs) == []
    assert _format_codes(_post(cards, paragraphs)) == {code}


def test_shapes_are_distinct_and_named() -> None:
    assert len({s.name for s in SHAPES}) == len(SHAPES)
    assert shape_named("full").cards == 2 and shape_named("brief").cards == 0
