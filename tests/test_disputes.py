"""Figures the sources disagree on: found, attributed by the writer, reported by lint (SB604)."""
from __future__ import annotations

from dataclasses import replace

from test_lint import CLEAN, HANBIT, MIRAE

from sokbo.conflicts import find_conflicts
from sokbo.lint import lint_text
from sokbo.models import Story
from sokbo.render import render_post
from sokbo.write import WriterOptions, write_post
from sokbo.write.provenance import check_post

# a third fictional outlet that puts the budget at 30억 원 where 한빛일보 says 25억 원
NURI = replace(
    MIRAE,
    id="nuri-1",
    url="https://news.example/nuri/bike",
    title="한빛시, 공공자전거 1천 대 늘린다",
    outlet="누리방송",
    text=("한빛시가 공공자전거 한빛바이크 1천 대를 내년 3월까지 늘린다.\n"
          "시는 이번 사업에 예산 30억 원을 투입한다고 22일 밝혔다.\n"
          "새 자전거는 대여소 120곳에 배치된다."),
)


def _split(article):
    from sokbo.korean.sentences import article_sentences

    return replace(article, sentences=tuple(article_sentences(article.text, article.id)))


def test_the_dispute_is_found_with_each_outlets_figure() -> None:
    (conflict,) = find_conflicts([_split(HANBIT), _split(NURI)])
    assert (conflict.key, conflict.unit) == ("예산", "원")
    assert {(a.outlet, f.value) for a, f in conflict.sides} == {("한빛일보", "25억 원"),
                                                              ("누리방송", "30억 원")}


def test_agreeing_sources_are_no_dispute() -> None:
    assert find_conflicts([_split(HANBIT), _split(MIRAE)]) == []


def test_lint_reports_a_post_that_states_one_side() -> None:
    text = CLEAN.read_text("utf-8")
    result = lint_text(text, sources=[HANBIT, MIRAE, NURI])
    found = [f for f in result.findings if f.code == "SB604"]
    assert found and all(f.severity == "warning" and "25억" in f.quote for f in found)
    assert all("누리방송 30억 원" in f.message_en for f in found)
    assert not [f for f in lint_text(text, sources=[HANBIT, MIRAE]).findings
                if f.code == "SB604"]


def test_the_writer_attributes_both_and_lint_is_quiet() -> None:
    articles = [_split(HANBIT), _split(NURI)]
    post = write_post(Story("s", tuple(articles)),
                      WriterOptions(image="https://sokbo.example/banner.png"))
    said = [s.text for s in post.all_sentences() if "억 원" in s.text]
    assert said and set(said) == {"예산은 한빛일보가 25억 원, 누리방송이 30억 원으로 전했습니다."}
    assert check_post(post, articles) == []
    result = lint_text(render_post(post)[1], sources=articles)
    assert [f for f in result.findings if f.severity == "error" or f.code == "SB604"] == []


def test_two_kinds_of_one_noun_are_no_dispute() -> None:
    # 소득계층 갈등 and 남녀·젠더 갈등 are both 갈등, and two different figures of a survey
    a = replace(HANBIT, text=("한빛연구원 조사에서 국민들은 소득계층 갈등(77.3%), "
                              "세대 갈등(71.5%) 순으로 심각하다고 답했다."))
    b = replace(NURI, text=("한빛연구원 조사에서 국민들은 세대 갈등에 이어 '남녀·젠더 간 갈등'은 "
                            "61.0%로 심각하다고 답했다."))
    assert find_conflicts([_split(a), _split(b)]) == []


def test_a_noun_said_more_fully_is_still_the_same_thing() -> None:
    a = replace(HANBIT, text="한빛시장 화재의 피해액은 3억 원으로 집계됐다.")
    b = replace(NURI, text="한빛시장 화재의 재산 피해액은 5억 원으로 집계됐다.")
    (conflict,) = find_conflicts([_split(a), _split(b)])
    assert {f.value for _, f in conflict.sides} == {"3억 원", "5억 원"}
