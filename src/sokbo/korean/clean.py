"""Strip Korean news boilerplate (datelines, bylines, e-mails, captions, copyright) before
splitting.

Kiwi splits clean paragraphs very well but glues datelines, bylines and credit lines onto real
sentences, so every article goes through here first (see korean-nlp-notes §1). Broadcast pages
bring their own furniture: script markers (【 앵커멘트 】, <질문 6>), the anchor's hand-off to the
reporter, sign-offs, credits, programme headers of radio transcripts and photo disclaimers. All
of it is removed here; speaker lines (``도하람: …``) are kept, because who said what is content:
:mod:`sokbo.korean.transcript` reads them as turns.

Cleanup only removes characters; it never adds or rewrites any. Sentence offsets are taken
afterwards, on the cleaned text, so they stay exact.
"""
from __future__ import annotations

import re
import unicodedata

# [서울=연합뉴스] (세종=뉴스1) 【부산=동해뉴스】
DATELINE = re.compile(
    r"^\s*[\[\(（【]\s*[가-힣A-Za-z0-9·\s]{1,15}\s*=\s*[^\]\)）】]{1,25}[\]\)）】]\s*"
)
# wire copy's dateline anywhere in a line (whitespace-collapsed bodies put captions and
# sub-headlines before it): "(누리=뉴스1) 홍길동 기자 =", "[서울=뉴시스]김철수 기자 =",
# and the bare "누리=뉴스1" some pages keep
WIRES = r"(?:연합뉴스|뉴스1|뉴시스|NEWSIS|news1|newsis|노컷뉴스|헤럴드경제|이데일리|머니투데이|뉴스핌|아시아경제)"
INLINE_DATELINE = re.compile(
    r"[\[\(（【]\s*[가-힣·]{1,12}\s*=\s*[^\]\)）】=]{1,15}[\]\)）】]"
    r"(?:\s*(?:[가-힣]{2,4}\s*){1,4}(?:선임기자|객원기자|기자|특파원)\s*=)?\s*"
    rf"|(?<![가-힣])[가-힣·]{{1,12}}={WIRES}\s*(?:(?:[가-힣]{{2,4}}\s*){{1,4}}(?:기자|특파원)\s*=\s*)?"
)
# a dateline this close to the start of a collapsed body opens the article: what comes before
# it is photo captions and sub-headlines, not body text
DATELINE_OPENS_WITHIN = 300
# broadcast script markers opening a paragraph: [앵커] [기자] [리포트] [앵커 멘트]
SPEAKER = re.compile(r"^\s*\[\s*(?:앵커|기자|리포트|인터뷰|녹취)(?:\s*멘트)?\s*\]\s*")
# a programme's name before a script marker ("[누리뉴스]◀ 앵커 ▶"), and MBC's marks (◀ SYNC ▶)
_PROGRAMME = r"(?:\[[^\[\]]{1,12}\]\s*)?"
_MBC_MARK = r"◀\s*[^◀▶\[\]]{1,10}?\s*▶"
# the same in the other scripts' brackets: 【 앵커멘트 】 <앵커> ◀ 리포트 ▶ (kept in the text as
# the page has them, skipped at the start of a sentence)
BROADCAST_MARK = re.compile(
    rf"^\s*{_PROGRAMME}(?:[\[【<◀]\s*(?:앵커|기자|리포트|리포터|인터뷰|녹취|앵커\s*멘트|기자\s*멘트|앵커\s*리포트)"
    rf"\s*[\]】>▶]|{_MBC_MARK})\s*"
)
# 홍길동 기자 = / 김철수 이영희 기자 = / 박지훈 특파원 =
BYLINE = re.compile(
    r"^\s*(?:[가-힣]{2,4}\s*(?:·\s*)?){1,4}(?:특파원|기자|선임기자|객원기자|통신원|기상캐스터)\s*=\s*"
)
# a bracketed byline opening a paragraph or anywhere in a collapsed body:
# "[누리스포츠 한누리 기자] 가수 겸 …", "[누리경제 도하람 기자] 국회 …", with the outlet set
# off as some print it: "[누리팩트ㅣ누리=한누리 기자]", "[누리경제(누리)=한누리 기자]",
# "[누리뉴스 | 한누리 기자]", "[누리=누리일보 한누리 도하람 기자]"
_BYLINE_OUTLET = r"[가-힣A-Za-z0-9]+(?:\([가-힣]{1,6}\))?"
BRACKET_BYLINE = re.compile(
    rf"\[\s*(?:{_BYLINE_OUTLET}\s*(?:[ㅣ|｜┃=]\s*|\s+)){{0,3}}"
    r"(?:[가-힣]{2,4}\s+){0,2}[가-힣]{2,4}\s*(?:선임기자|객원기자|기자|특파원|통신원)"
    r"(?:\s*[/·,]\s*[가-힣]{2,4}\s*(?:기자|특파원))*\s*\]\s*"  # "[한누리 기자 / 도하람 기자]"
)
# a photographer's credit ending a caption: "…홍보하고 있다. ⓒ 유성호 "윤석열 무죄"를 …"
PHOTO_CREDIT = r"[ⓒ©]\s?[가-힣]{2,4}(?:\s?기자)?(?=\s|$)(?!\s*무단)\s*"
# where a sentence starts whatever Kiwi says: a script marker, a byline box or a photo credit
# inside a paragraph.
# A transcript whose line breaks were collapsed (JSONL, archives) keeps its turns only as
# marks ("…주목되는데요. [기자] 네, 오늘 …", "…[누리뉴스]◀ 앵커 ▶ 누리시가 …"), and a
# collapsed body glues its sub-headlines to the lead before the byline ("…등 정책 불확실성
# 변수 [누리팩트ㅣ한누리 기자] 정부와 …"). A programme's name may go before a script marker
# ("…했습니다. [누리뉴스]◀ 앵커 ▶"). Kept in the text; skipped at a sentence's start.
TURN_BREAK = re.compile(
    rf"{_PROGRAMME}(?:\[\s*(?:앵커|기자|리포트)(?:\s*멘트)?\s*\]|{_MBC_MARK}"
    r"|【\s*(?:앵커|기자|리포트)(?:\s*멘트)?\s*】|<\s*(?:앵커|기자|리포트)(?:\s*멘트)?\s*>)|"
    + BRACKET_BYLINE.pattern + "|" + PHOTO_CREDIT
)
# a reporter line at the end: "김서연 기자 sykim@…" or just "김서연 기자"
REPORTER_LINE = re.compile(
    r"^\s*(?:[가-힣]{2,4}\s*){1,3}(?:특파원|기자|선임기자|객원기자|통신원)(?:\s*[\w.+-]+@[\w.-]+)?\s*$"
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
BOILERPLATE = re.compile(
    r"(무단\s*전재|재배포\s*금지|저작권자\s*[(ⓒ©]|copyright|all rights reserved|ai\s*학습\s*이용\s*금지"
    r"|^\s*[<\[(]?\s*ⓒ|^\s*©|제보는\s*카카오톡|구독하기|기사\s*제보|뉴스\s*제보)",
    re.IGNORECASE,
)
# a finished sentence of some length before a notice: the line is a body with a footer
SENTENCE_BEFORE = re.compile(r"[가-힣]{2}[^.!?]{18,}?[가-힣][.!?](?=\s)")
# a copyright holder left before the notice a long line loses: "… ⓒ 누리일보", "(c) 누리뉴스"
TRAILING_COPYRIGHT = re.compile(r"\s*(?:저작권자\s*)?[(\[<]?\s*(?:[ⓒ©]|\(c\))[^.!?]{0,30}$",
                                re.IGNORECASE)
# 입력 2026.11.21 10:15 | 수정 …, 송고시간 …, 기사입력 …
TIMESTAMP_LINE = re.compile(r"^\s*(입력|수정|송고시간|기사입력|최종수정|업데이트)\s*[:：]?\s*\d{4}")
CAPTION = re.compile(
    r"(\[[^\]]{0,20}(?:자료사진|사진|제공|캡처)\]\s*$"
    r"|\((?:사진|자료사진|그래픽|영상)\s*[=:][^)]*\)\s*$"
    r"|^\s*(?:사진|자료사진|그래픽)\s*[=:]"
    r"|^\s*<\s*(?:사진|그래픽)[^>]*>"
    r"|\d{4}\.\d{1,2}\.\d{1,2}\.?\s*(?:/\s*\S+)?\s*(?:\[[^\]]*\])?\s*$"
    r"|/뉴스1\s*$|©\s*News1"
    r"|^\s*↑"  # MBN marks captions with an arrow
    r"|^[^.!?]{0,60}사진\s*=\s*[^.!?]{0,40}(?:캡처|제공|DB)\s*$)"
)
# a photo credit glued to the end of a sentence: "…하고 있다. 2023.04.07 /jpnews@osen.co.kr",
# "…밝혔습니다. (사진=연합뉴스)"; the sentence stays, the credit goes
TRAILING_CREDIT = re.compile(
    r"(?<=[.!?\"”’'])\s*(?:\d{4}\.\s?\d{1,2}\.\s?\d{1,2}\.?\s*(?:/\s*\S+)?\s*(?:\[[^\]]*\])?"
    r"|\((?:사진|자료사진|그래픽|영상)\s*=[^)]{0,40}\))\s*$"
)
# a caption pointer inside a sentence: "도하람(사진) 누리대 교수는", "…보여주고 있습니다(왼쪽 사진).",
# "도하람(52·사진)", "(누리갑·사진)", "(사진=누리뉴스) 그러나 …" in a collapsed body
PHOTO_WORD = r"(?:(?:맨\s*)?(?:왼쪽|오른쪽|가운데|위|아래)\s*)?(?:사진|자료사진)(?:\s*(?:왼쪽|오른쪽|가운데|위|아래))?"
INLINE_PHOTO = re.compile(
    rf"\s?\(\s*{PHOTO_WORD}\s*\)"
    r"|\s?\((?:사진|자료사진|그래픽)\s*(?:제공)?\s*=[^)]{0,40}\)"
)
PHOTO_IN_PARENS = re.compile(rf"·\s*{PHOTO_WORD}\s*(?=\))|(?<=\()\s*{PHOTO_WORD}\s*·\s*")
# whitespace-collapsed bodies (JSONL, scraped archives) are one long line: a copyright notice
# in its tail is cut off there instead of dropping the whole article with it
LONG_LINE = 300
# broadcasters' tip-line footers: "제보하기", "▷ 전화 : 02-781-1234",
# "[카카오톡] YTN 검색해 채널 추가", "연합뉴스TV 기사문의 및 제보 : 카톡/라인 jebo23",
# "'당신의 제보가 뉴스가 됩니다'"
TIP_LINE = re.compile(
    r"제보하기|기사\s*문의|제보가\s*뉴스가|제보\s*[:：]|제보'?\s*검색"
    r"|^\s*\[(?:카카오톡|카톡|전화|이메일|메일|홈페이지)\]"
    r"|^\s*(?:▷\s*)?(?:카카오톡|카톡|전화|이메일|메일|뉴스\s*홈페이지|홈페이지)\s*[:：]",
    re.IGNORECASE,
)
TIP_LINE_MAX = 80
HASHTAGS = re.compile(r"^\s*(?:#[^\s#]+\s*)+$")
# a repeated paragraph this long is a page's second copy of the body, not a refrain
MIN_DUPLICATE_CHARS = 20
BULLETS = re.compile(r"\s*[▲△■□●◆◇▶►☞※]\s*")
BULLET_CHARS = "▲△■□●◆◇▶►☞※"
# a bullet after a finished sentence starts a new item; one inside a clause ("목표가 ▲ 심야
# 버스 확대 … ▲ 도서관 연장 운영에 있다고 밝혔습니다") is part of the sentence
ITEM_BREAK = re.compile(r"(?:^|[.!?。\"”’'」)\]])\s*$")
# a dash opening a paragraph is a list bullet: "- 누리시 인구 5년째 증가"
DASH_BULLET = re.compile(r"^\s*[-–—]\s*(?=\S)")
# an item's number: "2. 누리시가 …" in a news round-up ("1. … 2. …"), never a date's "12. 3."
ENUMERATOR = re.compile(r"^\s*\d{1,2}\.\s+(?=[가-힣\"'“‘\[(])")
AD_LINE = re.compile(
    r"^\s*(광고|AD|advertisement|관련\s*기사|관련기사|많이\s*본\s*뉴스|\(끝\)|<끝>)\s*$", re.I
)
HANGUL = re.compile(r"[가-힣]")
TRAILING_HANJA = re.compile(r"([.!?])\s*([\u4e00-\u9fff])$")

# -- broadcast pages ---------------------------------------------------------------------------

# a script marker opening a paragraph is dropped, the rest of the paragraph kept:
# "<질문 6> 그런데 …", "[질문 2] …", "<출연 : 도하람 교수>" (then nothing is left)
MARKER = re.compile(
    r"^\s*(?:<\s*(?:질문|답변)\s*\d*\s*>|\[\s*(?:질문|답변)\s*\d*\s*\]|【\s*(?:질문|답변)\s*\d*\s*】)\s*"
)
# the reporter's "네, " answering the anchor's hand-off
ANSWER_OPENER = re.compile(r"^네,\s+(?=\S.{20,})")
# Whole paragraphs that are broadcast furniture, tried on short paragraphs (≤ BROADCAST_MAX).
BROADCAST_MAX = 90
_NAME = r"[가-힣]{2,4}"
BROADCAST_LINES = (
    # script markers alone on a line: 【 앵커멘트 】, [기자], <앵커>, ◀ 리포트 ▶, [인터뷰]
    re.compile(
        r"^[\[【<◀(]\s*(?:앵커|기자|리포트|리포터|앵커\s*멘트|기자\s*멘트|인터뷰|녹취|현장음|싱크|SYNC|"
        r"INT|CG|스탠드업|스탠딩|클로징|오프닝|자막|영상|브릿지)\s*[\]】>▶)]$",
        re.I,
    ),
    # the anchor hands over: "한누리 기자입니다.", "먼저, 한누리 기자의 단독 보도입니다.",
    # "한누리 기자가 취재했습니다.", "워싱턴에서 한누리 특파원이 전합니다.", "합당까지 남은 과제는
    # 뭔지 한누리 기자가 보도합니다.", "근거가 있는지 한누리 기자가 따져봤습니다."
    re.compile(
        rf"(?<![가-힣]){_NAME}\s*(?:기자|특파원|리포터|캐스터)\s*"
        r"(?:입니다|의\s*(?:단독\s*)?(?:보도|취재|리포트)입니다|(?:였|이었)습니다|(?:가\s*)?나왔습니다"
        r"|(?:가|이)\s*(?:단독\s*|현장\s*|직접\s*)?(?:취재|보도|전|정리|분석|따져|짚어|알아|살펴)"
        r"[가-힣\s]{0,4}(?:합니다|했습니다|하겠습니다|봤습니다|드립니다|드리겠습니다))\.?$"
    ),
    # "취재기자 연결합니다.", "청와대에 나가 있는 취재기자 연결합니다.", "취재 기자 연결해 알아봅니다."
    re.compile(r"기자\s*(?:를\s*)?연결(?:합니다|하겠습니다|해\s*.{0,16}(?:습니다|봅니다|보죠|보겠습니다))\.?$"),
    re.compile(r"^[가-힣]{1,4}\s*(?:기자|특파원)\s*[!,.]?\s*(?:나와\s*(?:주세요|있습니다)\.?)?$"),
    re.compile(r"기자\s*,?\s*잘\s*들었습니다\.?$|기자(?:와|과)\s*함께(?:하겠습니다|합니다)\.?$"),
    re.compile(r"^연결\s*[:：]"),  # "연결 : 한누리 기자"
    # a byline with its address left in a sentence: "한누리 기자 nuri@example.com"
    re.compile(rf"^{_NAME}\s*(?:[가-힣A-Za-z]+\s+)?(?:객원)?(?:기자|특파원)\s+[\w.+-]+@[\w.-]+$"),
    re.compile(r"(?:자세히|자세한\s*(?:소식|내용)(?:을|은)?)\s*전해\s*주(?:시죠|세요)\.?$"),
    re.compile(
        r"^(?:관련\s*)?(?:기사|영상|리포트|화면|소식|내용)(?:을|를)?\s*(?:함께\s*)?"
        r"(?:보시죠|보겠습니다|확인하시죠)\.?$"
    ),
    re.compile(
        r"^(?:자세한|더\s*자세한)\s*(?:내용|소식)(?:은|을)\s*(?:영상|리포트|화면)(?:으로|에서)\s*"
        r"(?:확인|보)(?:하시죠|시죠|하세요|겠습니다)\.?$"
    ),
    re.compile(r"(?:와|과)\s*함께\s*(?:짚어|알아|이야기\s*나눠|얘기\s*나눠|살펴)\s*보겠습니다\.?$"),
    # sign-offs: "누리방송 뉴스 한누리입니다.", "누리뉴스 한누리입니다.", "NBS 한누리입니다.",
    # "지금까지 경제부에서 전해드렸습니다."
    re.compile(
        rf"^(?:[A-Z]{{2,5}}|[가-힣A-Za-z]{{1,8}}\s?(?:뉴스|NEWS|News)(?:TV)?|연합뉴스TV)\s*"
        rf"(?:[가-힣]{{2,8}}\s+)?{_NAME}(?:입니다|이었습니다|였습니다)\.?$"
    ),
    re.compile(r"^지금까지\s.{1,40}(?:전해\s*드렸습니다|전해드렸습니다|였습니다|이었습니다|함께했습니다)\.?$"),
    re.compile(r"^[^.!?]{2,40}(?:와|과)\s*함께\s*(?:했습니다|하였습니다)\.?$"),
    # credits: "영상편집:한가람", "영상취재 : 한가람 기자", "( 취재 : 한누리 / 영상편집 : … )",
    # "[사진 출처 : 누리시청 누리집 캡처]", "(화면 출처 : 누리뉴스)"
    re.compile(
        r"^[\[(]?\s*(?:영상\s*취재|영상\s*편집|영상\s*촬영|영상\s*디자인|촬영\s*기자|영상\s*기자|촬영|편집|취재|구성|제작|"
        r"그래픽|CG|자료\s*제공|화면\s*제공|화면\s*출처|사진\s*출처|영상\s*출처|출처|내레이션|연출|디자인|"
        r"작가|스크립터|PD)\s*[:：]",
        re.I,
    ),
    # "한가람 / 화면캡처 누리방송", "한가람 / 사진출처 누리시 인스타그램"
    re.compile(rf"^{_NAME}\s*/\s*(?:화면\s*캡처|사진\s*출처|사진\s*제공|화면\s*출처|사진)"),
    # byline boxes: "[한누리 누리스타 기자]", "(누리연예 한누리 기자)"
    re.compile(r"^[\[(]\s*[^\])]{0,30}(?:선임기자|객원기자|기자|특파원|통신원)\s*[\])]$"),
    # photo disclaimers: "위 사진은 기사 내용과 직접적인 관련이 없습니다."
    re.compile(
        r"^(?:위|아래|본|이|해당)?\s*(?:사진|이미지|영상|그래픽)(?:은|는)\s*(?:기사\s*(?:내용)?|본문(?:\s*내용)?)"
        r"(?:과|와)\s*(?:직접(?:적인|적으로)?\s*)?(?:관련(?:이|은)?\s*없|관계(?:가|는)?\s*없|무관)"
    ),
    # radio transcripts' programme header: "■ 방송 : 누리라디오 아침 시사 (FM 99.9 MHz …)",
    # "일자 : 2026년 3월 2일 (월)", "진행 : 한누리 변호사", "출연 : …", "<출연 : …>"
    re.compile(
        r"^<?\s*(?:방송|방송\s*일시|방송일|일시|일자|날짜|진행|진행자|사회|출연|출연자|대담|패널|"
        r"프로그램|코너)\s*[:：]"
    ),
    # a broadcast's lower third, read by the transcript reader from the text:
    # "인터뷰 : 도하람 / 누리마트 대리", "스탠딩 : 한누리 / 기자"
    re.compile(r"^(?:인터뷰|스탠딩|스탠드업|녹취|현장음|싱크|SYNC|INT)\s*[:：]", re.I),
    re.compile(r"^\[[^\]\"“”:：]{2,30}\]$"),  # a programme name alone: "[누리라디오 아침 시사]"
    re.compile(r"(?:라디오|radio)\s*\(?\s*FM\s*[\d.]+|FM\s*[\d.]+\s*MHz", re.I),
    re.compile(
        r"실제\s*방송\s*내용과\s*(?:차이|다를)|방송으로\s*확인하시기|저작권은\s*.{1,20}에\s*있습니다"
        r"|인용\s*보도\s*시|프로그램명을\s*밝혀|출처를\s*밝혀\s*주시기"
    ),
)


def is_broadcast_furniture(line: str) -> bool:
    """True for a paragraph that is part of a broadcast page's furniture, not its report."""
    line = line.strip()
    if not line or len(line) > BROADCAST_MAX:
        return False
    return any(p.search(line) for p in BROADCAST_LINES)


# what may open a sentence of a page without being part of it; removed by moving the
# sentence's start offset, so the sentence stays an exact span of the article text
# the newsroom's own lines in a script: "앵커: …", "기자 : …" (other speakers' labels stay;
# see sokbo.korean.transcript)
NEWSROOM_LABEL = re.compile(r"^\s*(?:앵커|기자|리포터|아나운서|캐스터)\s*[:：]\s*")
LEADING_MARKS = (
    BROADCAST_MARK,  # 【 앵커멘트 】
    NEWSROOM_LABEL,  # 앵커:
    MARKER,  # <질문 6>
    re.compile(r"^\s*" + BRACKET_BYLINE.pattern),  # [누리스포츠 한누리 기자]
    re.compile(r"^\s*" + PHOTO_CREDIT),  # ⓒ 한누리 (a caption's credit, collapsed onto the text)
    DASH_BULLET,  # - 누리시 인구 5년째 증가
    ENUMERATOR,  # 2. (an item of a news round-up)
    ANSWER_OPENER,  # 네, (the reporter answering the anchor)
)


def sentence_core(sentence: str) -> tuple[int, int] | None:
    """The part of a split sentence that is article text, as (start, end) offsets into it.

    None when the whole sentence is page furniture (a broadcast sign-off, a credit, a photo
    disclaimer, a transcript header); otherwise leading markers and whitespace are skipped.
    """
    start, end = 0, len(sentence.rstrip())
    moved = True
    while moved:
        moved = False
        for mark in LEADING_MARKS:
            m = mark.match(sentence[start:])
            if m and m.end() > 0:
                start, moved = start + m.end(), True
    while start < end and sentence[start].isspace():
        start += 1
    core = sentence[start:end]
    if not core or is_broadcast_furniture(core) or not HANGUL.search(core):
        return None
    if core.startswith(CAPTION_ARROWS):  # only a photo caption keeps its arrow (clean_text)
        return None
    return start, end


def _cut_inline_dateline(line: str) -> str:
    """Remove wire datelines anywhere; near the start of a long line, with what precedes them."""
    m = INLINE_DATELINE.search(line) if "=" in line else None  # both forms hold an =
    if m is None:
        return line
    if m.start() > 0 and len(line) > LONG_LINE and m.start() <= DATELINE_OPENS_WITHIN:
        line = line[m.start():]
    return INLINE_DATELINE.sub(lambda mm: " " if mm.start() > 0 else "", line)


def clean_line(line: str) -> str:
    """Remove leading markers, datelines and bylines, caption pointers and a trailing credit."""
    line = unicodedata.normalize("NFC", line).replace("\u00a0", " ").strip()
    line = SPEAKER.sub("", line, count=1)
    line = DATELINE.sub("", line, count=1)
    line = BYLINE.sub("", line, count=1)
    line = _cut_inline_dateline(line)
    line = TRAILING_CREDIT.sub("", line, count=1)
    if "사진" in line or "그래픽" in line:  # the words both patterns need (long lines are slow)
        line = INLINE_PHOTO.sub("", line)
        line = PHOTO_IN_PARENS.sub("", line)
    m = BOILERPLATE.search(line)
    if m and (len(line) > LONG_LINE and m.start() > len(line) // 2
              or SENTENCE_BEFORE.search(line, 0, m.start())):
        # a collapsed body's footer goes, the body stays (a short one too: a brief of three
        # sentences and "무단전재 및 재배포 금지" was dropped whole); with the notice goes the
        # credit before it ("… ⓒ 누리일보 무단전재 …")
        line = TRAILING_COPYRIGHT.sub("", line[: m.start()]).rstrip(" [<(")
    return re.sub(r" {2,}", " ", line).strip()


def is_boilerplate(line: str) -> bool:
    """True for lines that carry no article content: credits, captions, ads, reporter boxes."""
    if not line:
        return True
    if AD_LINE.match(line) or BOILERPLATE.search(line) or TIMESTAMP_LINE.match(line):
        return True
    if REPORTER_LINE.match(line) or HASHTAGS.match(line):
        return True
    if len(line) <= TIP_LINE_MAX and TIP_LINE.search(line):
        return True
    if "@" in line and EMAIL.search(line) and len(EMAIL.sub("", line).strip()) < 25:
        return True
    if CAPTION.search(line):
        return True
    return not HANGUL.search(line)


def split_items(line: str) -> list[str]:
    """Split a paragraph at bullets that start items, not at bullets inside a clause.

    A bullet opening the paragraph or following a finished sentence starts a list, and every
    later bullet of that list starts an item too.
    """
    parts: list[str] = []
    pos, listing = 0, False
    for m in BULLETS.finditer(line):
        head = line[pos : m.start()]
        if not listing:
            if head.strip() and not ITEM_BREAK.search(head):
                continue  # "목표가 ▲ 심야 …": the bullet belongs to the sentence
            listing = True
        if head.strip():
            parts.append(head.strip())
        pos = m.end()
    tail = line[pos:].strip()
    if tail:
        parts.append(tail)
    return parts


CAPTION_ARROWS = ("▲", "△")


def _is_photo_caption(index: int, lines: list[str]) -> bool:
    """An isolated ▲-line with no sentence ending is SBS's photo caption (the arrow points up
    at the picture): "▲ 지난달 누리시청 앞에서 열린 기념식"."""
    line = lines[index].lstrip()
    if not line.startswith(CAPTION_ARROWS) or len(line) > LONG_LINE:
        return False  # a collapsed body opening with a bullet is no caption
    neighbours = [lines[j].lstrip() for j in (index - 1, index + 1) if 0 <= j < len(lines)]
    if any(n.startswith(CAPTION_ARROWS) for n in neighbours):
        return False  # a list of items
    return not re.search(r"(?:다|요|죠)\s*[.!?]?\s*$", line)


def clean_text(text: str, *, title: str | None = None) -> str:
    """Article text → cleaned paragraphs joined by newlines.

    A paragraph equal to the title (pages that repeat the headline in the body) is dropped, and
    so is a second copy of a paragraph (pages that carry the body twice).
    """
    norm_title = re.sub(r"\s+", " ", title).strip() if title else None
    out: list[str] = []
    seen: set[str] = set()
    raw_lines = [unicodedata.normalize("NFC", ln).strip() for ln in text.splitlines()]
    raw_lines = [ln for ln in raw_lines if ln]
    for i, raw in enumerate(raw_lines):
        line = clean_line(raw)
        if _is_photo_caption(i, raw_lines):
            out.append(line)  # kept as the page has it; not a sentence (see sentence_core)
            continue
        if is_boilerplate(line):
            continue
        key = re.sub(r"\s+", " ", line)
        if norm_title and key == norm_title:
            continue
        if len(key) >= MIN_DUPLICATE_CHARS:
            if key in seen:
                continue
            seen.add(key)
        for part in split_items(line):
            part = clean_line(part)
            if part and not is_boilerplate(part):
                out.append(part)
    return "\n".join(out)


def hangul_ratio(text: str) -> float:
    """Share of Hangul among letters: how Korean a text is."""
    letters = sum(map(str.isalpha, text))
    if not letters:
        return 0.0
    return len(_HANGUL.findall(text)) / letters  # every syllable is a letter


_HANGUL = re.compile("[가-힣]")
