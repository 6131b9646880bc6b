"""Cleaning and sentence spans: page boilerplate never becomes a sentence; spans stay exact.

Every sentence here is fictional (written for these tests); real pages are read from ../shared
when it is there.
"""
from __future__ import annotations

import re

import pytest
from conftest import shared_dir

from sokbo.extract import article_from_text, extract_article
from sokbo.korean.clean import clean_text, is_broadcast_furniture, sentence_core
from sokbo.korean.sentences import article_sentences, split_sentences

FURNITURE = [
    "【 앵커멘트 】",
    "【 기자 】",
    "[앵커]",
    "<기자>",
    "◀ 리포트 ▶",
    "한누리 기자입니다.",
    "한누리 기자의 보도입니다.",
    "한누리 기자가 취재했습니다.",
    "워싱턴에서 한누리 특파원이 전합니다.",
    "취재기자 연결합니다.",
    "한누리 기자!",
    "누리시 소식 자세히 전해주시죠.",
    "기사 함께 보시죠.",
    "자세한 내용은 영상으로 확인하시죠.",
    "그 배경을 도하람 누리대 교수와 함께 짚어보겠습니다.",
    "누리방송 뉴스 한누리입니다.",
    "누리뉴스 한누리입니다.",
    "NBS 한누리입니다.",
    "지금까지 경제부에서 전해드렸습니다.",
    "지금까지 누리대 도하람 교수였습니다.",
    "도하람 누리당 대표와 함께했습니다.",
    "영상편집:한가람",
    "영상취재 : 한가람 기자",
    "( 취재 : 한누리 / 영상편집 : 한가람 / 제작 : 디지털뉴스부 )",
    "[사진 출처 : 누리시청 누리집 캡처]",
    "(화면 출처 : 누리뉴스)",
    "한가람 / 화면캡처 누리방송",
    "한가람 / 사진출처 누리시 인스타그램",
    "[한누리 누리스타 기자]",
    "(누리연예 한누리 기자)",
    "위 사진은 기사 내용과 직접적인 관련이 없습니다.",
    "사진은 본문과 무관합니다.",
    "■ 방송 : 누리라디오 아침 시사 (FM 99.9 MHz 7:00 ~ 9:00)",
    "일자 : 2026년 3월 2일 (월)",
    "진행 : 한누리 변호사",
    "출연 : 도하람 누리대 교수",
    "<출연 : 도하람 누리대 교수>",
    "누리라디오(FM 99.9) [아침 시사 한누리입니다]",
    "* 아래 텍스트는 실제 방송 내용과 차이가 있을 수 있으니 보다 정확한 내용은 방송으로 확인하시기 바랍니다.",
    "인터뷰 자료의 저작권은 누리라디오에 있습니다.",
    "아래와 같이 채널명과 정확한 프로그램명을 밝혀주시기 바랍니다.",
    "[누리라디오 아침 시사]",
    "인터뷰 : 도하람 / 누리마트 대리",
    "스탠딩 : 한누리 / 기자",
    "먼저, 한누리 기자입니다.",
    "첫 소식 한누리 기자입니다.",
    "한누리 기자 입니다.",
    "한누리 기자의 단독 보도입니다.",
    "한누리 기자가 단독 취재했습니다.",
    "누리시 예산안의 쟁점은 뭔지 한누리 기자가 보도합니다.",
    "그 주장에 근거가 있는지 한누리 기자가 따져봤습니다.",
    "이어서 한누리 기자가 전하겠습니다.",
    "정치부 한누리 기자였습니다.",
    "오늘은 정치부 한누리 기자 나왔습니다.",
    "시청에 나가 있는 취재기자 연결합니다.",
    "취재 기자 연결해 자세히 알아보겠습니다.",
    "한누리 기자.",
    "한 기자",
    "네, 한누리 기자 잘 들었습니다.",
    "정치부 한누리 기자와 함께하겠습니다.",
    "연결 : 한누리 기자",
    "한누리 기자 nuri@example.com",
    "영상기자 : 한가람",
]

NOT_FURNITURE = [
    "누리시는 다음 달부터 심야 버스를 운행한다고 밝혔습니다.",
    "한누리 기자가 현장에서 만난 주민들은 대부분 찬성했습니다.",
    "지금까지 접수된 신고는 모두 120건입니다.",
    "도하람 교수는 누리대와 함께 연구를 이어가겠다고 말했습니다.",
    "사진 속 인물은 누리시 시장으로 확인됐습니다.",
    "진행 중인 공사는 다음 달 끝납니다.",
    "[구병진/누리시 대변인 : \"상황을 지켜보겠습니다.\"]",
    "변호인단은 판결 직후 기자들과 만나 \"부당한 판결\"이라고 했다.",
    "기자회견에는 시민단체 대표들이 참석해 발언했습니다.",
    "기자는 두 번 만에 온몸이 떨리기 시작했다.",
    "한누리 기자, 누리시 예산안은 언제 발표됩니까?",
]


@pytest.mark.parametrize("line", FURNITURE)
def test_broadcast_furniture_is_recognised(line: str) -> None:
    assert is_broadcast_furniture(line)
    assert sentence_core(line) is None


@pytest.mark.parametrize("line", NOT_FURNITURE)
def test_report_sentences_are_not_furniture(line: str) -> None:
    assert not is_broadcast_furniture(line)
    assert sentence_core(line) == (0, len(line))


@pytest.mark.parametrize(
    ("sentence", "core"),
    [
        ("<질문 3> 누리시의 인구가 5년째 늘고 있습니다.", "누리시의 인구가 5년째 늘고 있습니다."),
        ("[질문 2] 누리시의 인구가 5년째 늘고 있습니다.", "누리시의 인구가 5년째 늘고 있습니다."),
        ("【 앵커멘트 】 누리시가 운영 시간을 늘립니다.", "누리시가 운영 시간을 늘립니다."),
        ("앵커: 누리시가 운영 시간을 늘립니다.", "누리시가 운영 시간을 늘립니다."),
        ("[누리스포츠 한누리 기자] 누리FC가 3연승을 달렸다.", "누리FC가 3연승을 달렸다."),
        ("[누리팩트ㅣ누리=한누리 기자] 누리FC가 3연승을 달렸다.", "누리FC가 3연승을 달렸다."),
        ("[누리경제(누리)=한누리 기자] 누리FC가 3연승을 달렸다.", "누리FC가 3연승을 달렸다."),
        ("[누리뉴스 | 한누리 기자] 누리FC가 3연승을 달렸다.", "누리FC가 3연승을 달렸다."),
        ("[한누리 기자 / 도하람 기자] 누리FC가 3연승을 달렸다.", "누리FC가 3연승을 달렸다."),
        ("◀ SYNC ▶ 누리시가 운영 시간을 늘립니다.", "누리시가 운영 시간을 늘립니다."),
        ("[누리뉴스]◀ 앵커 ▶ 누리시가 운영 시간을 늘립니다.", "누리시가 운영 시간을 늘립니다."),
        ("2. 누리시가 운영 시간을 늘립니다.", "누리시가 운영 시간을 늘립니다."),  # a round-up's item
        ("12. 3 조치 이후 운영 시간이 늘었습니다.", "12. 3 조치 이후 운영 시간이 늘었습니다."),
        ("- 누리시 인구 5년째 증가", "누리시 인구 5년째 증가"),
        ("네, 누리시의 심야 버스 세 개 노선이 오늘부터 운행을 시작했습니다.",
         "누리시의 심야 버스 세 개 노선이 오늘부터 운행을 시작했습니다."),
        ("네.", "네."),  # a bare answer is not trimmed to nothing
    ],
)
def test_leading_marks_are_skipped(sentence: str, core: str) -> None:
    span = sentence_core(sentence)
    assert span is not None and sentence[span[0]:span[1]] == core


TV_SCRIPT = """【 앵커멘트 】
누리시가 심야 버스 노선 세 개를 새로 운행합니다.
한누리 기자입니다.
【 기자 】
자정이 넘은 시각, 누리역 앞 정류장에 버스가 들어옵니다.
인터뷰 : 도하람 / 누리시 교통과 주무관
- "이용객이 많으면 노선을 더 늘릴 계획입니다."
시는 석 달 동안 이용객 수를 지켜본 뒤 노선을 조정합니다.
누리방송 뉴스 한누리입니다.
영상취재 : 한가람 기자
영상편집 : 도나래"""


def test_tv_script_keeps_its_text_and_gives_only_report_sentences() -> None:
    text = clean_text(TV_SCRIPT)
    # the page text stays what the page says (extraction is scored against it) …
    assert "한누리 기자입니다." in text and "영상편집 : 도나래" in text
    sentences = [s.text for s in article_sentences(text, "a1")]
    # … the article's sentences are its report and its quoted words, nothing else
    assert sentences == [
        "누리시가 심야 버스 노선 세 개를 새로 운행합니다.",
        "자정이 넘은 시각, 누리역 앞 정류장에 버스가 들어옵니다.",
        '"이용객이 많으면 노선을 더 늘릴 계획입니다."',
        "시는 석 달 동안 이용객 수를 지켜본 뒤 노선을 조정합니다.",
    ]


def test_sentences_are_exact_spans_of_the_text() -> None:
    text = clean_text(TV_SCRIPT + "\n<질문 1> 누리시의 인구는 5년째 늘고 있는데요.\n네, 올해도 인구가 3% 늘어날 것으로 보입니다.")
    for split in (split_sentences, article_sentences):
        sentences = split(text, "a1")
        assert [s.index for s in sentences] == list(range(len(sentences)))
        for s in sentences:
            assert text[s.start:s.end] == s.text and s.text == s.text.strip()


def test_furniture_inside_a_paragraph_is_left_out() -> None:
    text = "누리시가 오늘 예산안을 발표했습니다. 취재기자 연결합니다. 한누리 기자! 예산은 모두 3조 원입니다."
    assert [s.text for s in article_sentences(text, "a1")] == [
        "누리시가 오늘 예산안을 발표했습니다.", "예산은 모두 3조 원입니다."]


def test_bullets_inside_a_clause_stay_in_the_sentence() -> None:
    line = "시장은 올해 목표가 ▲ 심야 버스 확대 ▲ 공공 와이파이 설치 ▲ 도서관 연장 운영에 있다고 밝혔습니다."
    assert clean_text(line) == line
    listing = "올해 달라지는 점은 다음과 같습니다. ▲ 심야 버스 확대 ▲ 공공 와이파이 설치"
    assert clean_text(listing).split("\n") == [
        "올해 달라지는 점은 다음과 같습니다.", "심야 버스 확대", "공공 와이파이 설치"]


def test_isolated_arrow_caption_is_not_a_sentence() -> None:
    text = clean_text("▲ 지난달 누리시청 앞에서 열린 기념식\n누리시가 개청 30주년 기념식을 열었습니다.")
    assert [s.text for s in article_sentences(text, "a1")] == ["누리시가 개청 30주년 기념식을 열었습니다."]


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("도하람(사진) 누리대 교수는 새 연구 결과를 발표했다.", "도하람 누리대 교수는 새 연구 결과를 발표했다."),
        ("도하람(52·사진) 누리대 교수는 새 연구 결과를 발표했다.", "도하람(52) 누리대 교수는 새 연구 결과를 발표했다."),
        ("누리당 한가람 의원(누리갑·사진)은 법안을 냈다.", "누리당 한가람 의원(누리갑)은 법안을 냈다."),
        ("그래프는 지난 10년의 변화를 보여주고 있습니다(왼쪽 사진).", "그래프는 지난 10년의 변화를 보여주고 있습니다."),
        ("누리시는 새 청사를 공개했다 (사진=누리시 제공) 청사는 내년 문을 연다.",
         "누리시는 새 청사를 공개했다 청사는 내년 문을 연다."),
    ],
)
def test_photo_pointers_inside_sentences_are_removed(line: str, kept: str) -> None:
    assert clean_text(line) == kept


def test_wire_datelines_anywhere_in_a_collapsed_body() -> None:
    body = " ".join(["누리시가 심야 버스 노선 세 개를 새로 운행한다고 밝혔다."] * 8)
    collapsed = f"심야 버스 세 노선 신설 누리역 앞 정류장 (누리=누리뉴스) 한누리 기자 = {body}"
    assert clean_text(collapsed) == body
    assert clean_text(f"한누리 기자 = {body} 누리=뉴스1 추가 취재") == f"{body} 추가 취재"
    assert clean_text(f"[서울=뉴시스]한누리 기자 = {body}") == body


# a broadcast script and a print article as JSONL archives hold them: line breaks collapsed
COLLAPSED_SCRIPT = (
    "누리시 심야 버스 세 노선 신설 이용객 늘면 노선 확대 [앵커] 누리시가 심야 버스 노선 세 개를 새로 "
    "운행합니다. 시민들의 반응은 어떤지 한누리 기자가 보도합니다. [리포트] 자정이 넘은 시각, 누리역 "
    "앞 정류장에 버스가 들어옵니다. 시는 석 달 동안 이용객 수를 지켜본 뒤 노선을 조정합니다. [앵커] "
    "한누리 기자, 첫날 이용객은 얼마나 됐습니까? [기자] 네, 첫날에만 1,200명이 버스를 탔습니다. "
    "[누리뉴스]◀ 앵커 ▶ 누리시의 인구가 5년째 늘고 있습니다."
)
COLLAPSED_PRINT = (
    '누리시, 심야 버스 세 노선 신설 "이용객 늘면 노선 확대" [누리팩트ㅣ누리=한누리 기자] 누리시가 '
    "다음 달부터 심야 버스 세 노선을 운행한다고 20일 밝혔다. 시는 석 달 동안 이용객 수를 지켜본 뒤 "
    "노선을 조정한다. [누리경제(누리)=도하람 기자] 누리시의 인구가 5년째 늘고 있다."
)


def test_collapsed_script_gives_its_turns_not_its_marks() -> None:
    text = clean_text(COLLAPSED_SCRIPT)
    assert text == COLLAPSED_SCRIPT  # the text stays what the page says (clustering reads it)
    assert [s.text for s in article_sentences(text, "a1")] == [
        "누리시 심야 버스 세 노선 신설 이용객 늘면 노선 확대",
        "누리시가 심야 버스 노선 세 개를 새로 운행합니다.",
        "자정이 넘은 시각, 누리역 앞 정류장에 버스가 들어옵니다.",
        "시는 석 달 동안 이용객 수를 지켜본 뒤 노선을 조정합니다.",
        "한누리 기자, 첫날 이용객은 얼마나 됐습니까?",
        "첫날에만 1,200명이 버스를 탔습니다.",
        "누리시의 인구가 5년째 늘고 있습니다.",
    ]


def test_collapsed_print_article_starts_its_sentences_after_the_byline() -> None:
    text = clean_text(COLLAPSED_PRINT)
    assert [s.text for s in article_sentences(text, "a1")] == [
        '누리시, 심야 버스 세 노선 신설 "이용객 늘면 노선 확대"',
        "누리시가 다음 달부터 심야 버스 세 노선을 운행한다고 20일 밝혔다.",
        "시는 석 달 동안 이용객 수를 지켜본 뒤 노선을 조정한다.",
        "누리시의 인구가 5년째 늘고 있다.",
    ]


def test_collapsed_caption_and_its_credit_are_no_sentences() -> None:
    # a photo caption and its photographer's credit, glued onto the lead by a collapsed body
    text = ("도하람 누리시장이 12일 시청에서 기자회견을 하고 있다. ⓒ 한누리 \"예산은 충분하다\"고 "
            "주장해 온 도하람 누리시장이 12일 추경 예산안을 발표했다. 시는 예산안을 시의회에 낸다. "
            "추경 규모는 1천200억 원으로 지난해보다 300억 원 늘었다. 시는 이 가운데 절반을 소상공인 "
            "지원에 쓴다. 나머지는 도로 정비와 공공자전거 확충에 들어간다. 시의회는 다음 주부터 "
            "예산안 심사에 들어간다. 시의회 관계자는 심사 일정을 앞당길 수 있다고 말했다. 상인회는 "
            "환영한다는 입장을 냈다. 시는 다음 달 첫 집행에 들어간다. ⓒ 누리일보 무단전재 및 재배포 금지")
    sentences = [s.text for s in article_sentences(clean_text(text), "a1")]
    # the caption before its credit is no sentence of the story, the credit no word of the lead
    assert sentences[:2] == [
        "\"예산은 충분하다\"고 주장해 온 도하람 누리시장이 12일 추경 예산안을 발표했다.",
        "시는 예산안을 시의회에 낸다.",
    ]
    assert not any("한누리" in s or "ⓒ" in s for s in sentences)


def test_a_short_collapsed_body_loses_its_footer_not_itself() -> None:
    # a three-sentence brief in one line (a JSONL record) with the outlet's notice at its end
    brief = ("누리시가 12일 추경 예산안을 발표했다. 시는 예산안을 다음 주 시의회에 낸다. "
             "시의회는 이달 안에 심사를 마칠 계획이다. ⓒ 누리일보 무단전재 및 재배포 금지")
    assert clean_text(brief) == brief[: brief.index(" ⓒ")]
    assert clean_text("저작권자 © 누리일보 무단전재 및 재배포 금지") == ""


def test_sentence_split_fixes_quoted_names_and_quoted_titles() -> None:
    text = ("누리병원은 이 제도를 10년째 운영하고 있다. ‘하람’은 이곳에 맡겨진 세 번째 아기다.\n"
            "시는 누리집 내 '바로 알려드립니다' 코너에서 사실을 알린다고 밝혔다.")
    assert [s.text for s in split_sentences(text, "a1")] == [
        "누리병원은 이 제도를 10년째 운영하고 있다.",
        "‘하람’은 이곳에 맡겨진 세 번째 아기다.",
        "시는 누리집 내 '바로 알려드립니다' 코너에서 사실을 알린다고 밝혔다.",
    ]


def test_article_from_text_uses_article_sentences() -> None:
    a = article_from_text("누리시 심야 버스 신설\n" + TV_SCRIPT)
    assert all("기자입니다" not in s.text and "영상" not in s.text for s in a.sentences)


# -- the real pages (read, never copied) ---------------------------------------------------------

HTML = shared_dir() / "data" / "html"
REAL_PAGES = sorted(p.name for p in HTML.glob("*.html")) if HTML.is_dir() else []
LEAKS = re.compile(
    r"^(?:【|<질문|\[앵커|\[기자|- )|기자입니다\.$|보도입니다\.$|전해드렸습니다\.$|영상\s*(?:편집|취재)\s*:"
    r"|^(?:방송|일자|진행|출연)\s*:|위 사진은 기사|확인하시죠\.$|함께 보시죠\.$|[A-Za-z가-힣]+뉴스\s?[가-힣]{2,4}입니다\.$"
)


@pytest.mark.skipif(not REAL_PAGES, reason="../shared/data/html is not here")
@pytest.mark.parametrize("page", REAL_PAGES)
def test_no_real_page_sentence_is_furniture(page: str) -> None:
    try:
        a = extract_article((HTML / page).read_text("utf-8", errors="replace"))
    except Exception:  # a page with no article text is refused, which is fine here
        return
    for s in a.sentences:
        assert a.text[s.start:s.end] == s.text
        assert not LEAKS.search(s.text), s.text


