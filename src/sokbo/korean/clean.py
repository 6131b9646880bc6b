"""Strip Korean news boilerplate (datelines, bylines, e-mails, captions, copyright) before splitting.

Kiwi splits clean paragraphs very well but glues datelines, bylines and credit lines onto real
sentences, so every article goes through here first (see korean-nlp-notes §1).
"""
from __future__ import annotations

import re
import unicodedata

# [서울=연합뉴스] (세종=뉴스1) 【부산=동해뉴스】
DATELINE = re.compile(
    r"^\s*[\[\(（【]\s*[가-힣A-Za-z0-9·\s]{1,15}\s*=\s*[^\]\)）】]{1,25}[\]\)）】]\s*"
)
# broadcast script markers opening a paragraph: [앵커] [기자] [리포트] [앵커 멘트]
SPEAKER = re.compile(r"^\s*\[\s*(?:앵커|기자|리포트|인터뷰|녹취)(?:\s*멘트)?\s*\]\s*")
# 홍길동 기자 = / 김철수 이영희 기자 = / 박지훈 특파원 =
BYLINE = re.compile(
    r"^\s*(?:[가-힣]{2,4}\s*(?:·\s*)?){1,4}(?:특파원|기자|선임기자|객원기자|통신원|기상캐스터)\s*=\s*"
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
AD_LINE = re.compile(
    r"^\s*(광고|AD|advertisement|관련\s*기사|관련기사|많이\s*본\s*뉴스|\(끝\)|<끝>)\s*$", re.I
)
HANGUL = re.compile(r"[가-힣]")
TRAILING_HANJA = re.compile(r"([.!?])\s*([\u4e00-\u9fff])$")


def clean_line(line: str) -> str:
    """Remove a leading speaker marker, dateline and byline, and a trailing photo credit."""
    line = unicodedata.normalize("NFC", line).replace("\u00a0", " ").strip()
    line = SPEAKER.sub("", line, count=1)
    line = DATELINE.sub("", line, count=1)
    line = BYLINE.sub("", line, count=1)
    line = TRAILING_CREDIT.sub("", line, count=1)
    if len(line) > LONG_LINE:
        m = BOILERPLATE.search(line)
        if m and m.start() > len(line) // 2:
            line = line[: m.start()].rstrip(" [<(")
    return line.strip()


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
    if EMAIL.search(line) and len(EMAIL.sub("", line).strip()) < 25:
        return True
    if CAPTION.search(line):
        return True
    return not HANGUL.search(line)


def clean_text(text: str, *, title: str | None = None) -> str:
    """Article text → cleaned paragraphs joined by newlines.

    A paragraph equal to the title (pages that repeat the headline in the body) is dropped, and
    so is a second copy of a paragraph (pages that carry the body twice).
    """
    norm_title = re.sub(r"\s+", " ", title).strip() if title else None
    out: list[str] = []
    seen: set[str] = set()
    for raw in text.splitlines():
        line = clean_line(raw)
        if is_boilerplate(line):
            continue
        key = re.sub(r"\s+", " ", line)
        if norm_title and key == norm_title:
            continue
        if len(key) >= MIN_DUPLICATE_CHARS:
            if key in seen:
                continue
            seen.add(key)
        for part in BULLETS.split(line):
            part = part.strip()
            if part and not is_boilerplate(part):
                out.append(part)
    return "\n".join(out)


def hangul_ratio(text: str) -> float:
    """Share of Hangul among letters: how Korean a text is."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if "가" <= c <= "힣") / len(letters)
