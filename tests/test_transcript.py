"""Speech turns, quotable statements, introductions and attributed quotes (fictional pages)."""
from __future__ import annotations

import dataclasses
import re

import pytest
from conftest import shared_dir

from sokbo.extract import article_from_text, extract_article
from sokbo.korean.transcript import (
    TITLE,
    Turn,
    attributed_quote,
    check_quote,
    introduction,
    quotative_particle,
    speaker_turn,
    speech_indices,
    speech_turns,
    statements,
    topic_particle,
)

RADIO = """방송 : 누리라디오 아침 시사 (FM 99.9 MHz)
진행 : 한누리 변호사
출연 : 도하람 누리당 대표
한누리 변호사(이하 한누리): 오늘은 예산안 얘기 해보겠습니다.
도하람 누리당 대표 직접 함께합니다.
도하람 누리당 대표(이하 도하람): 반갑습니다.
한누리: 이번 예산안은 어떻게 보십니까?
도하람: 이번 예산안은 지역 경제를 살리기에 너무 부족하다.
그래서 추경이 필요하다고 봅니다.
한누리: 구체적으로 얼마나 필요합니까?
도하람: 최소 2조 원은 필요합니다.
그래야 지역이 삽니다.
한누리: 알겠습니다.
인터뷰 자료의 저작권은 누리라디오에 있습니다."""

TV = """누리시가 심야 버스 노선 세 개를 새로 운행합니다.
첫날 이용객은 500명을 넘었습니다.
[구병진/누리시 교통과장 : "이용객이 많으면 노선을 더 늘릴 계획입니다."]
시는 석 달 동안 이용객 수를 지켜봅니다.
[오○○/누리시 주민 : "(언제부터 이용하셨어요?) ..."]
<마리아 로시 / 누리시 자매도시 시장(화상 회견)> "정말 반가운 소식입니다. 우리도 배우고 싶습니다. 감사합니다"
인터뷰 : 한가람 / 누리마트 대리
- "야간 손님이 30% 늘었습니다."
인터뷰 : 나도윤 / 누리구 누리동
- "막차 걱정이 없어서 좋아요."
"버스 와요! 버스!"
노선은 석 달 뒤 다시 조정됩니다."""


@pytest.fixture(scope="module")
def radio():
    return article_from_text(RADIO, title="도하람 \"예산안 지역 경제 살리기에 부족…추경 필요\"")


@pytest.fixture(scope="module")
def tv():
    return article_from_text(TV, title="누리시 심야 버스 첫날 500명 탔다")


def test_speaker_turn_reads_labels() -> None:
    assert speaker_turn("도하람: 최소 2조 원은 필요합니다.") == Turn(
        "도하람", "최소 2조 원은 필요합니다.", "", "guest", 5, 20)
    t = speaker_turn("▷한누리 : 어떻게 보십니까?")
    assert t is not None and (t.speaker, t.utterance) == ("한누리", "어떻게 보십니까?")
    t = speaker_turn('[구병진/누리시 교통과장 : "노선을 늘리겠습니다."]')
    assert t is not None and (t.speaker, t.role, t.utterance) == (
        "구병진", "누리시 교통과장", "노선을 늘리겠습니다.")
    t = speaker_turn("앵커: 누리시가 심야 버스를 운행합니다.")
    assert t is not None and (t.speaker, t.kind) == ("앵커", "newsroom")
    t = speaker_turn("도하람 누리당 대표(이하 도하람): 반갑습니다.")
    assert t is not None and (t.speaker, t.role, t.utterance) == ("도하람", "누리당 대표", "반갑습니다.")


@pytest.mark.parametrize("text", [
    "누리시는 다음 달부터 심야 버스를 운행한다.",
    "일자 : 2026년 3월 2일",
    "영상취재 : 한가람 기자",
    "인터뷰 : 한가람 / 누리마트 대리",  # a lower third holds no words itself
    "결론: 예산이 부족하다.",
])
def test_speaker_turn_ignores_what_is_not_a_label(text: str) -> None:
    assert speaker_turn(text) is None


def test_radio_dialogue_turns_and_host(radio) -> None:
    turns = speech_turns(radio)
    assert [t.speaker for t in turns] == ["한누리", "도하람", "한누리", "도하람", "한누리", "도하람", "한누리"]
    assert {t.kind for t in turns if t.speaker == "한누리"} == {"host"}
    assert {t.kind for t in turns if t.speaker == "도하람"} == {"guest"}
    # every sentence of a dialogue is somebody's words
    assert speech_indices(radio) == frozenset(range(len(radio.sentences)))
    for t in turns:
        assert radio.text[t.start:t.end] == t.utterance
        assert ":" not in t.utterance.split("\n")[0][:6]
    # the transcript's notice after the last turn is not part of it
    assert "저작권" not in turns[-1].utterance


def test_statements_stand_alone(radio) -> None:
    found = {t.utterance for t in statements(radio)}
    assert found == {"이번 예산안은 지역 경제를 살리기에 너무 부족하다.", "최소 2조 원은 필요합니다."}
    # "그래서 …" leans on the sentence before, "이렇게 …" too; a question is no statement
    assert all(t.kind == "guest" for t in statements(radio))
    hosts = {t.utterance for t in statements(radio, hosts=True)} - found
    assert hosts == {"오늘은 예산안 얘기 해보겠습니다.", "도하람 누리당 대표 직접 함께합니다."}


def test_introduction_copies_name_and_role(radio, tv) -> None:
    intro = introduction("도하람", radio)
    assert intro is not None and intro.text == "도하람 누리당 대표"
    (span,) = intro.spans
    assert span.sentence != TITLE and radio.text[span.start:span.end] == "도하람 누리당 대표"
    # a sound bite's label gives name and role as two spans
    intro = introduction("구병진", tv)
    assert intro is not None and intro.text == "구병진 누리시 교통과장"
    assert [tv.text[s.start:s.end] for s in intro.spans] == ["구병진", "누리시 교통과장"]
    # a place is no role; an unknown name has no introduction
    assert introduction("나도윤", tv) is None
    assert introduction("홍길동", tv) is None


def test_introduction_from_the_headline() -> None:
    a = article_from_text(
        "누리시는 올해 예산이 3조 원이라고 밝혔다.\n시는 이 가운데 1조 원을 교통에 쓴다고 설명했다.\n"
        "도하람: 예산이 지역 경제를 살리기에 부족하다.\n한누리: 왜 그렇게 보십니까?",
        title="도하람 누리당 전 의원 \"예산 부족\"",
    )
    intro = introduction("도하람", a)
    assert intro is not None and intro.text == "도하람 누리당 전 의원"
    assert intro.spans[0].sentence == TITLE and a.title[:len(intro.text)] == intro.text


def test_attributed_quotes_from_a_dialogue(radio) -> None:
    intro = introduction("도하람", radio)
    quotes = [attributed_quote(t, intro) for t in statements(radio)]
    assert sorted(q.text for q in quotes if q) == [
        '도하람 누리당 대표는 "이번 예산안은 지역 경제를 살리기에 너무 부족하다"고 말했습니다.',
        '도하람 누리당 대표는 "최소 2조 원은 필요합니다"라고 말했습니다.',
    ]
    for q in quotes:
        assert q is not None and check_quote(q, radio)
        assert radio.text[q.words.start:q.words.end] == q.words.text


def test_attributed_quotes_from_sound_bites(tv) -> None:
    by_speaker: dict[str, Turn] = {}
    for t in statements(tv):
        by_speaker.setdefault(t.speaker, t)
    assert set(by_speaker) == {"구병진", "마리아 로시", "한가람", "나도윤"}
    q = attributed_quote(by_speaker["구병진"], introduction("구병진", tv))
    assert q is not None and q.text == (
        '구병진 누리시 교통과장은 "이용객이 많으면 노선을 더 늘릴 계획입니다"라고 말했습니다.')
    assert check_quote(q, tv)
    q = attributed_quote(by_speaker["한가람"], introduction("한가람", tv))
    assert q is not None and q.text == '한가람 누리마트 대리는 "야간 손님이 30% 늘었습니다"라고 말했습니다.'
    assert check_quote(q, tv)
    q = attributed_quote(by_speaker["마리아 로시"], introduction("마리아 로시", tv))
    assert q is not None and q.text.startswith('마리아 로시 누리시 자매도시 시장은 "정말 반가운 소식입니다"라고')
    # the anonymous bite, the cheering and the narrative are not statements
    speech = speech_indices(tv)
    narrative = [s.text for s in tv.sentences if s.index not in speech]
    assert narrative == [
        "누리시가 심야 버스 노선 세 개를 새로 운행합니다.",
        "첫날 이용객은 500명을 넘었습니다.",
        "시는 석 달 동안 이용객 수를 지켜봅니다.",
        "노선은 석 달 뒤 다시 조정됩니다.",
    ]


def test_quote_is_refused_for_the_wrong_speaker_or_a_fragment(radio, tv) -> None:
    intro = introduction("도하람", radio)
    guest = next(t for t in statements(radio) if t.speaker == "도하람")
    other = introduction("구병진", tv)
    assert attributed_quote(guest, other) is None  # another person, another article
    cut = dataclasses.replace(guest, utterance="이번 예산안은 지역 경제를")
    assert attributed_quote(cut, intro) is None
    two = dataclasses.replace(guest, sentences=(1, 2))
    assert attributed_quote(two, intro) is None
    question = dataclasses.replace(guest, utterance="이번 예산안은 충분하다고 보십니까?")
    assert attributed_quote(question, intro) is None


def test_check_quote_catches_a_changed_slot(radio) -> None:
    intro = introduction("도하람", radio)
    q = attributed_quote(statements(radio)[0], intro)
    assert q is not None and check_quote(q, radio)
    assert not check_quote(dataclasses.replace(q, text=q.text.replace("말했습니다", "주장했습니다")), radio)
    bad_words = dataclasses.replace(q.words, text=q.words.text.replace("부족", "충분"))
    assert not check_quote(dataclasses.replace(q, words=bad_words), radio)
    assert not check_quote(dataclasses.replace(q, quotative="라고"), radio)


@pytest.mark.parametrize(("words", "particle"), [
    ("예산이 부족하다", "고"),
    ("예산이 부족합니다", "라고"),
    ("예산이 부족해요", "라고"),
    ("예산이 부족하죠", "라고"),
    ("내년에 다시 논의할 것", "이라고"),
    ("이번이 마지막 기회", "라고"),
    ("가장 중요한 건 민생", "이라고"),
])
def test_quotative_particle(words: str, particle: str) -> None:
    assert quotative_particle(words) == particle


@pytest.mark.parametrize(("who", "particle"), [
    ("도하람 누리당 대표", "는"), ("구병진 누리시 대변인", "은"), ("누리전자 CEO", "는"),
    ("누리랩 XL", "은"), ("…", None),
])
def test_topic_particle(who: str, particle: str | None) -> None:
    assert topic_particle(who) == particle


def test_quote_runs_without_a_label() -> None:
    a = article_from_text(
        "누리시 축제 첫날 3만 명 몰려\n"
        "축제 첫날 3만 명이 몰렸다.\n"
        "한 시민은 “정말 좋아요\n"  # the page broke the line inside the quote
        "내년에도 올 거예요. 또 보고 싶어요”라고 말했다.\n"
        "시는 내년 축제 예산을 올해보다 20% 늘리고 행사 기간도 사흘에서 닷새로 늘린다."
    )
    speech = speech_indices(a)
    spoken = [s.text for s in a.sentences if s.index in speech]
    assert spoken and all(re.search("좋아요|거예요|싶어요", t) for t in spoken)
    assert "".join(spoken).count("요") == 3
    assert all(s.index not in speech for s in a.sentences if "축제" in s.text)


# -- real pages: read, never copied ---------------------------------------------------------------

HTML = shared_dir() / "data" / "html"


@pytest.mark.skipif(not HTML.is_dir(), reason="../shared/data/html is not here")
def test_real_pages_quotes_are_exact_and_checked() -> None:
    quotes = 0
    for page in sorted(HTML.glob("*.html")):
        try:
            a = extract_article(page.read_text("utf-8", errors="replace"))
        except Exception:
            continue
        for t in speech_turns(a):
            assert a.text[t.start:t.end] == t.utterance
        for t in statements(a):
            intro = introduction(t.speaker, a)
            q = attributed_quote(t, intro) if intro else None
            if q:
                quotes += 1
                assert check_quote(q, a)
                assert q.words.text in a.sentences[q.words.sentence].text
    assert quotes >= 20  # the radio and TV pages give many
