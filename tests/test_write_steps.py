"""The writer's steps, each on its own, on fictional articles written for these tests."""
from __future__ import annotations

import dataclasses

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from sokbo.extract import make_article
from sokbo.models import Story
from sokbo.write import WriterOptions, write_post
from sokbo.write.conflicts import render_conflict
from sokbo.write.excerpt import choose_excerpt, withheld
from sokbo.write.layout import _this_one_untitled, lay_out
from sokbo.write.order import order_sentences
from sokbo.write.phrase import Phraser, headline_clauses, highlight, main_noun, runs
from sokbo.write.polish import join_quotes, post_sentences, shorten_speakers
from sokbo.write.prepare import prepare_story
from sokbo.write.provenance import check_post
from sokbo.write.refer import elliptical, opener, short_names
from sokbo.write.salience import score_sentences
from sokbo.write.select import information, select_sentences

KST = ZoneInfo("Asia/Seoul")


def article(text: str, *, title: str = "한빛시 공공자전거 1천 대 추가 도입",
            outlet: str = "한빛일보", url: str = "https://news.example/a1", day: int = 20):
    return make_article(url=url, title=title, outlet=outlet,
                        published=datetime(2026, 3, day, 10, tzinfo=KST), text=text)


BIKES = article(
    "한빛시가 내년 3월까지 공공자전거 1천 대를 추가로 도입한다.\n"
    "김하늘 한빛시 교통국장은 20일 시청에서 이런 계획을 발표했다.\n"
    "김 국장은 \"시민 누구나 가까운 대여소에서 자전거를 빌릴 수 있게 하겠다\"고 말했다.\n"
    "새 자전거는 대여소 120곳에 나뉘어 배치된다.\n"
    "이날 시의회는 관련 예산 25억 원을 통과시켰다.\n"
    "한편 1시간 이용권 요금은 1천 원으로 유지된다.\n"
    "이에 따라 시민 부담은 늘지 않는다.\n"
)


def _material(*articles):
    story = Story("s1", tuple(articles))
    m = prepare_story(story)
    sim = score_sentences(m.cands, articles[0].title)
    values = [c.score * information(c, articles[0].title) for c in m.cands]
    return story, m, sim, values


def _by_text(m, start: str) -> int:
    return next(i for i, c in enumerate(m.cands) if c.text.startswith(start))


# -- prepare ------------------------------------------------------------------------------------


def test_prepare_finds_what_each_sentence_leans_on() -> None:
    _, m, _, _ = _material(BIKES)
    plans = _by_text(m, "이에 따라")
    assert m.cands[plans].opener == "이에 따라"
    assert m.cands[plans].previous == _by_text(m, "1시간 이용권")
    kim = m.cands[_by_text(m, "김 국장은")]
    assert [p.key for p in kim.people] == ["김 국장"]


def test_a_subject_with_do_leans_on_what_came_before() -> None:
    a = article("누리마트는 족발을 반값에 내놨다.\n"
                "미국산 냉동 LA갈비와 러시아산 대게도 절반 가까운 가격에 물량을 풀었다.\n"
                "누리마트는 \"저희도 가격을 더 내리겠다\"고 밝혔다.\n", title="누리마트 반값 행사")
    _, m, _, _ = _material(a)
    crab = m.cands[_by_text(m, "미국산")]
    # "대게도": the crab too, after the sentence that told of the first bargain
    assert crab.opener == "도" and crab.previous == _by_text(m, "누리마트는 족발")
    # a 도 inside a quote is the speaker's, not the sentence's subject
    assert m.cands[_by_text(m, "누리마트는 \"")].opener is None


def test_this_day_gets_a_standalone_wording_from_its_own_article() -> None:
    _, m, _, _ = _material(BIKES)
    c = m.cands[_by_text(m, "이날 시의회는")]
    assert c.this_day and c.standalone == "20일 시의회는 관련 예산 25억 원을 통과시켰습니다."
    (slot,) = c.standalone_slots
    assert (slot.name, slot.text, slot.original) == ("date", "20일", "이날")
    assert BIKES.sentences[slot.index].text.startswith("김하늘")  # the day was copied from it


def test_meanwhile_is_dropped_and_recorded() -> None:
    _, m, _, _ = _material(BIKES)
    c = m.cands[_by_text(m, "1시간 이용권")]
    assert c.text == "1시간 이용권 요금은 1천 원으로 유지됩니다."
    assert [(s.name, s.original.strip()) for s in c.slots] == [("connective", "한편")]


def test_relative_day_with_its_date_becomes_the_date() -> None:
    a = article("한빛시는 오늘(20일) 자전거 정책을 발표했다.\n시는 대여소를 늘린다.\n")
    _, m, _, _ = _material(a)
    assert m.cands[0].text == "한빛시는 20일 자전거 정책을 발표했습니다."
    assert m.cands[1].opener == "시는"


@pytest.mark.parametrize(
    ("sentence", "leans"),
    [("그러나 시의회는 반대했습니다.", "그러나"), ("이를 최대한 활용합니다.", "이를"),
     ("이 같은 계획은 처음입니다.", "이 같은"), ("그는 웃었습니다.", "그는"),
     ("한빛시는 계획을 밝혔습니다.", None), ("이 대표는 말했습니다.", None)],
)
def test_openers(sentence: str, leans: str | None) -> None:
    assert opener(sentence) == leans


def test_a_sentence_without_subject_leans_on_the_one_before() -> None:
    from sokbo.korean.kiwi import tokenize

    text = "평소 가격의 절반만 받는 할인 상품입니다."
    assert elliptical(text, tokenize(text))
    text = "대형 마트는 할인 상품을 내놨습니다."
    assert not elliptical(text, tokenize(text))
    assert [p.key for p in short_names("A 씨와 유 모 씨, 원 장관이 만났습니다.")] == [
        "원 장관", "A 씨", "유 씨"]


def test_schedule_plugs_and_chat_laughter_never_reach_a_post() -> None:
    a = article("배우 한누리가 19일 방송된 누리쇼에 출연해 신작 영화를 소개했다.\n"
                "방송을 본 시청자들은 “한누리ㅋㅋㅋ” 등의 반응을 보였다.\n"
                "누리쇼는 매주 금요일 밤 9시에 방송된다.\n", title="한누리 누리쇼 출연")
    _, m, _, _ = _material(a)
    assert [c.text for c in m.cands] == ["배우 한누리가 19일 방송된 누리쇼에 출연해 신작 영화를 소개했습니다."]


def test_the_outlets_own_voice_never_reaches_a_post() -> None:
    a = article("누리시 도하람 시장이 논란 뒤 처음으로 입장을 밝혔다.\n"
                "그동안 외부 접촉을 피해왔었는데, 저희와 통화가 됐습니다.\n"
                "도 시장은 \"저희 시청은 최선을 다했다\"고 말했다.\n", title="도하람 시장 입장")
    _, m, _, _ = _material(a)
    # "저희" is the outlet on its page and the blogger on a blog; quoted, it is the mayor's
    assert not any("통화" in c.text for c in m.cands)
    assert any("최선을 다했다" in c.text for c in m.cands)


def test_transcript_speech_becomes_attributed_quotes_only() -> None:
    a = article(
        "진행 : 도하람 앵커\n"
        "도하람: 오늘은 한누리 누리당 대표와 함께합니다.\n"
        "한누리 누리당 대표(이하 한누리): 반갑습니다.\n"
        "도하람: 예산안 얘기부터 해볼까요?\n"
        "한누리: 이번 예산안은 지역 경제를 살리기에 너무 부족하다.\n"
        "도하람: 그렇군요.\n",
        title="한누리 \"예산안 부족\"")
    _, m, _, _ = _material(a)
    texts = [c.text for c in m.cands]
    assert texts == ['한누리 누리당 대표는 "이번 예산안은 지역 경제를 살리기에 너무 부족하다"고 '
                     '말했습니다.']
    assert m.cands[0].template == "quote"


# -- select and order ---------------------------------------------------------------------------


def test_selection_brings_predecessors_and_introductions() -> None:
    _, m, sim, values = _material(BIKES)
    plans = _by_text(m, "이에 따라")
    kim = _by_text(m, "김 국장은")
    boosted = [v * (100 if i in (plans, kim) else 1) for i, v in enumerate(values)]
    chosen = select_sentences(m, boosted, sim, 3, spine=0)
    assert plans in chosen and m.cands[plans].previous in chosen
    assert kim in chosen and _by_text(m, "김하늘") in chosen or len(chosen) <= 3


def test_no_quote_twice_even_across_outlets() -> None:
    quote = "\"시민 누구나 자전거를 빌릴 수 있게 하겠다\""
    a = article(f"한빛시가 자전거 1천 대를 들여온다.\n김하늘 교통국장은 {quote}고 말했다.\n")
    b = article(f"한빛시 자전거가 늘어난다.\n김하늘 국장은 {quote}며 웃었다.\n",
                outlet="미래신문", url="https://news.example/b1")
    _, m, sim, values = _material(a, b)
    chosen = select_sentences(m, values, sim, 10, spine=0)
    said = [m.cands[i].text for i in chosen if "빌릴 수" in m.cands[i].text]
    assert len(said) == 1


def test_another_outlets_anonymous_label_is_not_used() -> None:
    a = article("50대 남성 A 씨가 자전거를 훔치다 붙잡혔다.\nA 씨는 혐의를 인정했다.\n")
    b = article("자전거 절도범이 붙잡혔다.\n경찰은 A 씨를 조사하고 있다고 밝혔다.\n",
                outlet="미래신문", url="https://news.example/b2")
    _, m, sim, values = _material(a, b)
    chosen = select_sentences(m, values, sim, 10, spine=0)
    assert not any(m.cands[i].article == 1 and "A 씨" in m.cands[i].text for i in chosen)


def test_order_keeps_a_leaner_right_after_its_predecessor() -> None:
    _, m, sim, values = _material(BIKES)
    everything = list(range(len(m.cands)))
    body = order_sentences(m.cands, list(reversed(everything)), sim, 0)
    for i in body:
        c = m.cands[i]
        if c.leans and c.standalone is None and c.previous is not None:
            assert body.index(i) == body.index(c.previous) + 1


# -- lay out ------------------------------------------------------------------------------------


def test_excerpt_leaner_comes_with_its_predecessor_or_not_at_all() -> None:
    _, m, sim, values = _material(BIKES)
    body = list(range(len(m.cands)))
    plans = _by_text(m, "이에 따라")
    boosted = [v * (100 if i == plans else 1) for i, v in enumerate(values)]
    excerpt = choose_excerpt(m.cands, body, boosted, 3)
    assert plans in excerpt
    assert excerpt.index(plans) == excerpt.index(m.cands[plans].previous) + 1


def test_short_story_gets_a_brief_post_not_a_refusal() -> None:
    a = article("한빛시가 공공자전거 1천 대를 추가로 도입한다.\n")
    post = write_post(Story("s", (a,)), WriterOptions())
    assert post.shape == "brief" and not post.cards
    assert [s.text for s in post.excerpt] == ["한빛시가 공공자전거 1천 대를 추가로 도입합니다."]
    assert [len(s.paragraphs) for s in post.sections] == [1]


def test_layout_shapes_follow_the_configured_minimums() -> None:
    _, m, sim, values = _material(BIKES)
    body = list(range(len(m.cands)))
    plan = lay_out(m.cands, body, values, sim, excerpt_sentences=3, min_full=50, min_compact=50)
    assert plan.shape.name == "brief" and plan.cards == []


def test_sections_retell_only_the_excerpts_lead() -> None:
    a = article(
        "한빛시가 내년 3월까지 공공자전거 1천 대를 추가로 도입한다.\n"
        "새 자전거는 대여소 120곳에 나뉘어 배치된다.\n"
        "한빛시의회는 관련 예산 25억 원을 통과시켰다.\n"
        "예산 25억 원 가운데 절반은 대여소 120곳의 정비에 쓰인다.\n"
        "공공자전거 이용자는 지난해 처음으로 30만 명을 넘었다.\n"
        "시는 이용자 30만 명의 설문 결과를 반영해 대여소를 고른다.\n"
        "1시간 이용권 요금은 1천 원으로 유지된다.\n"
        "이에 따라 시민 부담은 늘지 않는다.\n")
    _, m, sim, values = _material(a)
    body = list(range(len(m.cands)))
    excerpt = choose_excerpt(m.cands, body, values, 4)
    out = withheld(m.cands, body, excerpt, [])
    lead = excerpt[0]
    fare = _by_text(m, "1시간 이용권")  # leaned on by 이에 따라: it stays where it is
    assert lead not in out and fare not in out
    for i in out:  # every figure it says, the rest of the post says too (lint SB501)
        rest = " ".join(m.cands[j].text for j in body if j not in out)
        assert all(f in rest for f in ("25억 원", "120곳", "30만 명") if f in m.cands[i].text)
    assert out, "an excerpt sentence whose facts the post says elsewhere is not said twice"


@pytest.mark.parametrize(("text", "needed"), [
    # "자전거 대행진이 끝난 뒤에는" takes the march as known: the sections must say it first
    ("한빛시가 다음 달 시민 자전거 주간을 연다.\n"
     "첫날에는 시청 광장에서 공공자전거 1천 대 출정식이 열린다.\n"
     "둘째 날에는 한빛천 일대에서 자전거 대행진을 연다.\n"
     "한빛시는 행사 기간 공공자전거 이용 요금을 받지 않는다.\n"
     "자전거 대행진이 끝난 뒤에는 한빛천 둔치에서 시민 음악회가 이어진다.\n"
     "시는 행사 기간 대여소 120곳에 안내 요원을 둔다.\n"
     "참가 신청은 20일부터 한빛시 누리집에서 받는다.\n"
     "행사 기간 한빛천 일대 도로 일부는 통제된다.\n", "둘째 날에는"),
    # "공공자전거 순환망을 따라" needs the sentence that introduced the term
    ("한빛시가 다음 달 시민 자전거 주간을 연다.\n"
     "올해는 시가 오랫동안 준비한 '공공자전거 순환망' 개통이 예고됐다.\n"
     "첫날에는 시청 광장에서 공공자전거 1천 대 출정식이 열린다.\n"
     "한빛시는 행사 기간 공공자전거 이용 요금을 받지 않는다.\n"
     "대여소 120곳에는 행사 기간 안내 요원이 배치된다.\n"
     "시민들은 새로 열릴 공공자전거 순환망을 따라 한빛천 일대를 달리게 된다.\n"
     "참가 신청은 20일부터 한빛시 누리집에서 받는다.\n", "올해는"),
])
def test_an_excerpt_sentence_a_later_one_needs_stays_in_the_sections(text: str,
                                                                     needed: str) -> None:
    _, m, _, _ = _material(article(text))
    body = list(range(len(m.cands)))
    kept = _by_text(m, needed)
    fare = _by_text(m, "한빛시는 행사 기간")
    out = withheld(m.cands, body, [0, kept, fare], [])
    assert kept not in out
    assert fare in out  # nothing needs the fare: the reader has just read it


INTERVIEW = article(
    "도하람: 오늘은 한누리 누리당 대표와 함께합니다.\n"
    "한누리 누리당 대표(이하 한누리): 반갑습니다.\n"
    "도하람: 요즘 지역 분위기는 어떻습니까?\n"
    "한누리: 시장 상인들이 요즘 많이 힘들어하잖아요.\n"
    "도하람: 예산안은요?\n"
    "한누리: 이번 예산안은 지역 경제를 살리기에 너무 부족하다. "
    "정부는 예산 수정안을 다음 달까지 다시 내야 한다.\n"
    "도하람: 다른 당과는요?\n"
    "한누리: 야당 지도부와 예산 협의를 이번 주에 따로 시작하겠습니다.\n",
    title="한누리 \"예산안 지역 경제 살리기에 부족…수정안 다시 내야\"")


def test_two_quotes_of_one_answer_are_said_in_one_sentence() -> None:
    _, m, _, _ = _material(INTERVIEW)
    said = post_sentences(m.cands, range(len(m.cands)), "section")
    joined = [s for s in said if s.template == "quote-joined"]
    assert [s.text for s in joined] == [
        '한누리 누리당 대표는 "이번 예산안은 지역 경제를 살리기에 너무 부족하다"며 '
        '"정부는 예산 수정안을 다음 달까지 다시 내야 한다"고 말했습니다.']
    assert len(said) == len(m.cands) - 1  # the other answers stay apart
    assert check_post_sentences(said, [INTERVIEW]) == []
    short = shorten_speakers(said)
    assert any(s.template == "quote-joined" and s.text.startswith('한 대표는 "') for s in short)
    assert check_post_sentences(short, [INTERVIEW]) == []
    # the joined template re-renders only from its own slots, in their order
    (j,) = joined
    first, second = (x for x in j.slots if x.name == "quote")
    swapped = dataclasses.replace(j, text=j.text.replace(first.text, "@").replace(
        second.text, first.text).replace("@", second.text))
    assert check_post_sentences([swapped], [INTERVIEW]) == [swapped]
    stance = dataclasses.replace(j, text=j.text.replace("말했습니다", "비판했습니다"))
    assert check_post_sentences([stance], [INTERVIEW]) == [stance]
    # an excerpt keeps three sentences at least
    assert len(join_quotes(m.cands, range(len(m.cands)), said, keep=len(said))) == len(said)


def test_an_interview_post_opens_on_the_claim_its_headline_reports() -> None:
    post = write_post(Story("s", (INTERVIEW,)), WriterOptions())
    assert "너무 부족하다" in post.excerpt[0].text
    first = post.sections[0].paragraphs[0][0].text
    assert "너무 부족하다" in first and "수정안" in first
    _, m, _, values = _material(INTERVIEW)
    chat, claim = _by_text(m, '한누리 누리당 대표는 "시장'), _by_text(m, '한누리 누리당 대표는 "야당')
    assert information(m.cands[chat], INTERVIEW.title) < information(m.cands[claim],
                                                                     INTERVIEW.title)


def test_a_reason_answers_the_headline_right_under_it_never_after_another_sentence() -> None:
    a = article(
        "누리사과는 껍질째 먹는 작은 사과다.\n"
        "값도 싸서 아이들 간식으로 인기가 많았다.\n"
        "그런데 요즘 이 사과 값이 왜 크게 떨어졌을까?\n"
        "최근 누리사과를 먹고 탈이 났다는 신고가 잇따르면서 손님이 크게 줄었기 때문이다.\n"
        "누리시는 문제가 된 사과를 모두 거둬들였다.\n"
        "누리시는 다음 달까지 농가 30곳의 사과를 검사한다.\n",
        title="인기 있던 누리사과 왜 값 떨어졌나")
    post = write_post(Story("s", (a,)), WriterOptions())
    texts = [s.text for s in post.all_sentences()]
    reason = next(t for t in texts if t.endswith("줄었기 때문입니다."))
    assert post.excerpt[0].text == reason
    for sec in post.sections:  # wherever it stands in the body, it opens the first section
        flat = [s.text for p in sec.paragraphs for s in p]
        assert reason not in flat[1:]
    assert post.sections[0].paragraphs[0][0].text == reason
    # under a headline that asks nothing it leans on its predecessor like any ellipsis
    plain = write_post(Story("s", (dataclasses.replace(a, title="누리사과 값 하락"),)),
                       WriterOptions())
    body = [s.text for s in plain.all_sentences() if s.role != "excerpt"]
    assert all(t != reason for t in body)


def test_a_sentence_pointing_back_at_a_chosen_one_is_no_filler() -> None:
    a = article("누리시 하늘에 푸른빛의 오로라가 나타났다.\n"
                "이 장면을 목격한 주민들은 여러 추측을 쏟아냈다.\n", title="누리시 하늘에 오로라")
    post = write_post(Story("s", (a,)), WriterOptions())
    assert [s.text for s in post.excerpt] == ["누리시 하늘에 푸른빛의 오로라가 나타났습니다.",
                                              "이 장면을 목격한 주민들은 여러 추측을 쏟아냈습니다."]


# -- phrase -------------------------------------------------------------------------------------


def test_runs_never_cut_a_meaning_bearing_word() -> None:
    text = "양국 국민은 최대 90일간 비자 없이 상대국을 방문할 수 있게 됐습니다."
    phrases = [p for p, _, _ in runs(text)]
    assert phrases and not any(p.endswith("비자") for p in phrases)


@pytest.mark.parametrize(("text", "never"), [
    # she did not retire: a heading "…무대에서도 은퇴" would say she did
    ("한누리 선수는 지난해 프로 무대에서도 은퇴를 고민했지만 1년 더 뛰기로 했습니다.", "은퇴"),
    # the bear is not to be killed by then
    ("법원은 누리시에 5월 11일까지 사살을 유예하라고 명령했습니다.", "사살"),
    ("누리시는 다음 달 심야 버스 운행을 중단했습니다.", "운행"),
    ("도하람 대표는 누리당과의 합당을 부인했습니다.", "합당"),
])
def test_runs_never_cut_before_a_verb_that_undoes_them(text: str, never: str) -> None:
    assert not any(p.endswith(never) for p, _, _ in runs(text))


@pytest.mark.parametrize(("text", "never"), [
    # an adverb of manner or degree left without the verb it modified
    ("주말 누리 농원에 집중적으로 관광객이 몰렸습니다.", "집중적으로 관광객"),
    ("재판부는 우발적으로 발생한 것으로 경위에 참작할 만한 사정이 있다고 밝혔습니다.", "것으로 경위"),
    ("올겨울에는 유례를 찾아보기 힘들 정도로 한파가 이어졌습니다.", "정도로 한파"),
    ("앞으로 조사 과정에서 규명될 것으로 보입니다.", "앞으로 조사 과정"),
    # a noun before 에 비해 is cut from its postposition
    ("누리 구단은 올해 계약 진행도 과거에 비해 더뎠습니다.", "과거"),
    # a list's bullet inside the sentence
    ("누리시는 시의 설명대로 △대형버스 주차를 둔치주차장으로 옮깁니다.", "△대형버스 주차를 둔치주차장"),
    # somebody's view or suspicion, not the sentence's statement
    ("지역사회에서는 이 사건이 이웃 남성의 인종 차별에서 비롯된 것이라는 목소리가 힘을 얻었습니다.",
     "인종 차별"),
    ("도하람 의원이 누리건설에서 뇌물을 받았다는 의혹이 제기됐습니다.", "누리건설"),
])
def test_runs_never_leave_a_modifier_without_its_verb(text: str, never: str) -> None:
    assert not any(p.endswith(never) for p, _, _ in runs(text))


def test_a_card_says_this_one_only_of_what_the_title_names() -> None:
    title = "누리시의회 도하람 의원 제명 결정"
    # a card stands before the story: "이번 처분은" points at a matter nothing has named yet
    assert _this_one_untitled("이번 처분은 중앙당 회의를 거쳐 최종 확정됩니다.", title)
    assert not _this_one_untitled("이번 제명은 중앙당 회의를 거쳐 최종 확정됩니다.", title)
    assert not _this_one_untitled("제명은 중앙당 회의를 거쳐 최종 확정됩니다.", title)


def test_a_headline_question_stays_a_question_as_a_heading() -> None:
    a = article("누리시 금고 털이 사건의 배후로 지목된 사업가에 대한 구속영장 심사가 열렸다.\n",
                title="'배후' 사업가 구속?…누리시 금고 털이 수사 속보")
    # without its mark the heading would report an arrest that has not happened
    assert headline_clauses(Story("s1", (a,))) == ["배후 사업가 구속?", "누리시 금고 털이 수사 속보"]


@pytest.mark.parametrize(("headline", "clauses"), [
    # somebody's words keep their marks: unmarked, the heading is the blog's own claim
    ("\"곰 잘못 아니다\"…누리시 반달곰 사살 놓고 찬반논쟁",
     ["\"곰 잘못 아니다\"", "누리시 반달곰 사살 놓고 찬반논쟁"]),
    ("누리시 버스 종일 불통…시 “상황 지켜볼 것”", ["누리시 버스 종일 불통", "시 “상황 지켜볼 것”"]),
    # a quote split by the headline's … is quoted in each part, its comma kept
    ("도하람 \"어떤 변명도 안 통할 것 알아...잠적은 아냐\"",
     ["도하람 \"어떤 변명도 안 통할 것 알아\"", "\"잠적은 아냐\""]),
    ("“아가야, 미안해”…부활절 버려진 신생아", ["“아가야, 미안해”", "부활절 버려진 신생아"]),
    # one quoted word is a label: its marks go, spaced off what follows
    ("누리시·도로과, 서로 떠넘기기 '빈축'", ["누리시·도로과 서로 떠넘기기 빈축"]),
])
def test_headline_clauses_keep_the_marks_of_quoted_words(headline: str,
                                                         clauses: list[str]) -> None:
    a = article("누리시가 새 버스 노선을 열었다.\n", title=headline)
    assert headline_clauses(Story("s1", (a,))) == clauses


@pytest.mark.parametrize(("text", "kept"), [
    ("누리농산은 생산품을 일본·중국 등지로 수출을 계획하고 있습니다.", "일본·중국 등지로 수출"),
    ("도하람은 예방접종 핑계로 장인어른 접견을 가려고 했습니다.", "예방접종 핑계로 장인어른 접견"),
])
def test_runs_keep_a_noun_with_ro_before_the_action_it_modifies(text: str, kept: str) -> None:
    assert kept in [p for p, _, _ in runs(text)]


def test_highlight_starts_and_ends_on_word_boundaries() -> None:
    text = "부산시가 대규모 해상풍력 단지에 1조 원을 투자합니다."
    phrase = highlight(text, {"해상풍력": 2.0, "단지": 1.0, "규모": 1.0})
    start = text.index(phrase)
    assert start == 0 or text[start - 1] == " "
    end = start + len(phrase)
    assert end == len(text) or text[end] in " 을를이가은는에의도와과로"


def test_headings_do_not_share_a_main_noun() -> None:
    story, m, _, _ = _material(BIKES)
    sections = [[0, 1, 2], [3, 4], [5, 6]]
    phraser = Phraser(m.cands, story, sections, [])
    headings = [phraser.heading(n, sec) for n, sec in enumerate(sections)]
    assert all(headings)
    nouns = [main_noun(h) for h in headings]
    assert len(set(nouns)) == len(nouns), headings


# -- polish, conflicts, provenance --------------------------------------------------------------


def test_polish_uses_the_standalone_wording_away_from_the_predecessor() -> None:
    _, m, _, _ = _material(BIKES)
    i = _by_text(m, "이날 시의회는")
    alone = post_sentences(m.cands, [i], "section")
    assert alone[0].text.startswith("20일 시의회는")
    after = post_sentences(m.cands, [m.cands[i].previous, i], "section")
    assert after[1].text.startswith("이날 시의회는")
    plans = _by_text(m, "이에 따라")
    assert post_sentences(m.cands, [plans], "section") == []  # nothing it could stand on


def test_a_speaker_quoted_again_is_named_by_the_short_form() -> None:
    a = article(
        "도하람: 오늘은 한누리 누리당 대표와 함께합니다.\n"
        "한누리 누리당 대표(이하 한누리): 반갑습니다.\n"
        "도하람: 예산안은요?\n"
        "한누리: 이번 예산안은 지역 경제를 살리기에 너무 부족하다.\n"
        "도하람: 대책은요?\n"
        "한누리: 우리 당은 다음 주 수정안을 따로 내겠습니다.\n",
        title="한누리 \"예산안 부족\"")
    _, m, _, _ = _material(a)
    said = shorten_speakers(post_sentences(m.cands, range(len(m.cands)), "section"))
    assert said[0].text.startswith("한누리 누리당 대표는")
    assert said[1].text.startswith('한 대표는 "우리 당은') and said[1].template == "quote-short"
    assert check_post_sentences(said, [a]) == []


def check_post_sentences(sentences, articles):
    from sokbo.write.provenance import check_sentence

    by_id = {a.id: a for a in articles}
    return [s for s in sentences if not check_sentence(s, by_id)]


def test_disputed_figure_is_attributed_never_picked() -> None:
    a = article("한빛시 창고 화재로 피해액은 3억 원에 이르렀다.\n"
                "소방당국은 화재 원인을 조사하고 있다.\n",
                title="한빛시 창고 화재", outlet="한빛일보")
    b = article("한빛시 창고에서 불이 나 피해액은 5억 원에 이르렀다.\n경찰도 현장을 감식했다.\n",
                title="한빛 창고 불", outlet="미래신문", url="https://news.example/b3")
    post = write_post(Story("s", (a, b)), WriterOptions())
    texts = [s.text for s in post.all_sentences()]
    said = [t for t in texts if "억 원" in t]
    assert said and all(t == "피해액은 한빛일보가 3억 원, 미래신문이 5억 원으로 전했습니다."
                        for t in said)
    assert check_post(post, [a, b]) == []


def test_conflict_template_renders_only_from_its_slots() -> None:
    from sokbo.models import Slot

    slots = (Slot("subject", "부상자", "a", 0), Slot("outlet", "KBS", "a", -1),
             Slot("figure", "12명", "a", 0), Slot("outlet", "연합뉴스", "b", -1),
             Slot("figure", "15명", "b", 0))
    assert render_conflict(slots) == "부상자는 KBS가 12명, 연합뉴스가 15명으로 전했습니다."
    assert render_conflict(slots[:4]) is None


def test_provenance_check_catches_a_changed_sentence() -> None:
    post = write_post(Story("s", (BIKES,)), WriterOptions())
    assert check_post(post, [BIKES]) == []
    from dataclasses import replace

    first = post.excerpt[0]
    bad = replace(post, excerpt=(replace(first, text=first.text.replace("1천", "2천")),
                                 *post.excerpt[1:]))
    assert check_post(bad, [BIKES]) == [bad.excerpt[0]]


def test_an_anaphor_stays_with_its_own_outlets_antecedent() -> None:
    a = article("한빛시가 공공자전거 1천 대를 추가로 도입한다.\n"
                "김하늘 교통국장은 20일 시청에서 자전거 대여 계획을 발표했다.\n"
                "새 자전거는 대여소 120곳에 배치된다.\n")
    b = article("미래은행이 자전거 이용자에게 보험료를 깎아주는 상품을 내놓는다.\n"
                "도윤서 미래은행 부행장은 20일 간담회에서 이 같은 상품을 소개했다.\n",
                title="미래은행 자전거 보험 할인", outlet="미래신문", url="https://news.example/b9")
    post = write_post(Story("s", (a, b)), WriterOptions())
    said = [s.text for s in post.all_sentences() if s.role != "excerpt"]
    i = next(k for k, t in enumerate(said) if "이 같은 상품" in t)
    assert said[i - 1].startswith("미래은행이 자전거 이용자에게")



@pytest.mark.parametrize("sentence, never", [
    ("가수 한누리는 지난달 25살의 나이로 세상을 떠났다.", "세상"),     # 세상을 떠나다
    ("탈이 난 배는 누리 남부에서 기른 특정 품종이었다.", "특정"),     # 특정 | 품종이었다
    ("두 사람은 지난해 봄 오랜 연을 맺었다.", "연"),                   # 연을 맺다
    ("한빛시는 내일부터 박람회 예정지인 북항 일대를 살핀다.", "내일"),   # a relative day
    ("한빛시 교통국장은 새 노선 일정을 공식 발표했다.", "공식"),       # 공식 | 발표했다
])
def test_runs_never_end_on_a_word_cut_from_its_phrase(sentence: str, never: str) -> None:
    for phrase, _, _ in runs(sentence):
        assert not phrase.endswith(never) and not phrase.startswith(never), phrase


def test_a_heading_says_what_the_weightiest_sentence_of_its_section_says() -> None:
    a = article("한빛시가 내년 3월까지 공공자전거 1천 대를 대여소 120곳에 추가로 배치한다.\n"
                "김하늘 국장은 국회의원 3선 출신으로 교통 분야에서 오래 일했다.\n",
                title="누리시 소식 모음")
    story, m, _, values = _material(a)
    key, side = _by_text(m, "한빛시가"), _by_text(m, "김하늘")
    weights = [1.0 if i == key else 0.2 for i in range(len(m.cands))]
    phraser = Phraser(m.cands, story, [[side, key], [side, key]], [], weights)
    heading = phraser.heading(0, [side, key])
    assert heading and heading in m.cands[key].text, heading


def test_two_sentences_ending_on_one_clause_are_one_claim() -> None:
    a = article("가수 한누리가 19일 새 앨범을 내고 활동을 시작했다.\n"
                "한누리는 지난 1월 첫 정규 음반을 내고 최근까지 라디오와 예능 방송 활동을 쉼 없이 "
                "이어왔던 만큼, 팬들의 기대는 더 크다.\n"
                "다음 달 누리시 해변 특설무대에서 열리는 여름 음악축제 공연 무대도 일찌감치 "
                "예정됐던 만큼, 팬들의 기대는 더 크다.\n"
                "소속사는 공연 일정을 다음 주에 알릴 예정이다.\n", title="한누리 새 앨범")
    post = write_post(Story("s", (a,)), WriterOptions())
    body = [s.text for s in post.all_sentences() if s.role != "excerpt"]
    assert sum(t.endswith("팬들의 기대는 더 큽니다.") for t in body) == 1


def test_a_headline_clause_half_about_a_section_beats_a_one_word_label() -> None:
    a = article("누리시 곰은 새끼 두 마리와 함께 붙잡혔다.\n", title="곰 잘못 아니다…사살 놓고 논쟁")
    story, m, _, values = _material(a)
    section = list(range(len(m.cands)))
    phraser = Phraser(m.cands, story, [section, [0]], [], values)
    assert phraser.run_heading(section, phraser.section_terms[0]).count(" ") == 0
    assert phraser.heading(0, section) == "곰 잘못 아니다"
