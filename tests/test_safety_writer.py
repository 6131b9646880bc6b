"""A story about a suicide: the writer leaves out what 자살보도 권고기준 3.0 keeps out and ends
the post with the 109 help line; lint (SB110) holds any post to the same (fictional story)."""
from __future__ import annotations

from dataclasses import replace

from test_write_steps import article

from sokbo.lint import lint_text
from sokbo.models import SOKBO_SOURCE, Story
from sokbo.render import render_post
from sokbo.write import WriterOptions, write_post
from sokbo.write.provenance import check_post

HANBYEOL = article(
    "가수 한별이 19일 세상을 떠났다.\n"
    "경찰은 한별이 스스로 목숨을 끊은 것으로 보고 있다.\n"
    "한별은 누리시 자택 욕실에서 숨진 채 발견됐다.\n"
    "소속사는 장례를 가족장으로 조용히 치를 예정이라고 밝혔다.\n"
    "한별은 지난달 새 앨범을 내고 활발히 활동해 왔다.\n"
    "한별의 빈소는 누리병원 장례식장에 마련됐다.\n"
    "우울감 등 말하기 어려운 고민이 있으면 자살예방상담전화 1393에서 상담을 받을 수 있다.\n",
    title="가수 한별 별세…향년 29세", outlet="누리일보", url="https://news.example/nuri/hanbyeol")
OPTIONS = WriterOptions(image="https://sokbo.example/banner.png")


def test_the_post_leaves_out_the_place_and_ends_with_109() -> None:
    post = write_post(Story("s", (HANBYEOL,)), OPTIONS)
    texts = [s.text for s in post.all_sentences()]
    assert not any("욕실" in t or "1393" in t for t in texts)
    (help_line,) = post.notices
    assert help_line.source_id == SOKBO_SOURCE and "☎109" in help_line.text
    assert texts[-1] == help_line.text
    assert check_post(post, [HANBYEOL]) == []
    text = render_post(post)[1]
    for sources in ([], [HANBYEOL]):
        errors = [f for f in lint_text(text, sources=sources).findings if f.severity == "error"]
        assert errors == [], errors


def test_lint_reports_a_missing_help_line_and_an_unsafe_line() -> None:
    post = write_post(Story("s", (HANBYEOL,)), OPTIONS)
    bare = render_post(replace(post, notices=()))[1]
    assert [f.code for f in lint_text(bare).findings if f.code == "SB110"] == ["SB110"]
    place = "한별은 누리시 자택 욕실에서 숨진 채 발견됐습니다."
    placed = bare.replace("장례식장에 마련됐습니다.", f"장례식장에 마련됐습니다. {place}")
    found = [f.message_en for f in lint_text(placed).findings if f.code == "SB110"]
    assert any("place" in m for m in found) and any("help line" in m for m in found)


def test_a_story_about_something_else_gets_no_notice() -> None:
    from test_write_steps import BIKES

    post = write_post(Story("s", (BIKES,)), OPTIONS)
    assert post.notices == ()
