"""Page boilerplate that must never reach a post, written from issue 10's list and from reading
the broadcast and wire pages: speaker labels, interview markers, anchor lead-ins and sign-offs,
photo notes, program and section tags, bylines / e-mail / copyright, syndicated datelines.

Each pattern names its kind, so a report says which kind leaked; near misses (a colon in a
time, "=" in a formula, a bracket in a quoted name) are kept out by requiring the shape of
the boilerplate, not a single character.
"""
from __future__ import annotations

import re

# wire services whose copy carries a "place=agency" dateline
AGENCIES = ("연합뉴스", "뉴스1", "뉴시스", "뉴스핌", "이데일리", "머니투데이", "노컷뉴스",
            "news1", "NEWSIS", "헤럴드경제", "아시아경제", "파이낸셜뉴스", "한국경제", "매일경제",
            "데일리안", "연합뉴스TV", "YTN", "SBS", "KBS", "MBC", "JTBC", "MBN", "TV조선", "채널A",
            "뉴스웍스")
_AGENCY = "|".join(re.escape(a) for a in sorted(AGENCIES, key=len, reverse=True))
# program, corner and section tags of Korean news pages (titles and first lines)
PROGRAM_TAGS = ("단독", "속보", "종합", "포토", "영상", "사진", "인터뷰", "앵커", "리포트",
                "자막뉴스", "D리포트", "비머pick", "실시간 e뉴스", "SC현장", "이슈+", "정치쇼",
                "M타임머신", "M+TView", "씨박스", "뉴스딱", "오늘 이슈", "스브스夜", "현장영상",
                "팩트체크", "뉴스 업", "시사쇼", "출근길 인터뷰", "전문", "르포", "기획", "사설",
                "칼럼", "오피니언", "Pick", "카드뉴스", "뉴스초점", "뉴스큐", "이슈플러스")
_TAG = "|".join(re.escape(t) for t in sorted(PROGRAM_TAGS, key=len, reverse=True))

PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "조원진: …", "▷김태현 : …", "앵커: …", "Q: …" at the start of a sentence or line
    ("speaker label", re.compile(
        r"(?:^|[\n▷▶■◆●○◇□-]\s*)(?:[▷▶■◆●○◇□]\s*)?[가-힣]{2,4}(?:\s?[가-힣]{2,6})?\s?[:：]\s*\S")),
    ("speaker label", re.compile(r"[▷▶]\s*[가-힣]{2,4}(?:\s?[가-힣]{2,6})?\s*[:：]")),
    ("speaker label", re.compile(r"(?:^|\s)[QA]\s?\d*\s?[:.]\s|\[(?:앵커|기자|리포트|인터뷰)\]")),
    ("interview marker", re.compile(r"[<〈\[]\s*질문\s*\d*\s*[>〉\]]|^\s*질문\s*\d+(?:\s+\d+)?\s*$|"
                                    r"◀\s*(?:앵커|리포트|기자)\s*▶|<\s*(?:앵커|기자)\s*(?:멘트)?\s*>")),
    ("anchor lead-in/sign-off", re.compile(
        r"지금까지\s.{0,40}?전해\s?드렸습니다|(?:기자|특파원)(?:가|이)\s?전해\s?(?:드립니다|왔습니다)|"
        r"보도에\s[가-힣]{2,4}\s?기자입니다|[가-힣]{2,4}\s?기자가\s보도합니다|연결해\s?보겠습니다|"
        r"(?:뉴스|" + _AGENCY + r")\s?[가-힣]{2,4}(?:\s?기자)?입니다\.?\s*$|시청해\s?주셔서|"
        r"다음\s소식입니다|전해\s?드리겠습니다")),
    ("photo note", re.compile(
        r"위\s?사진은.{0,30}(?:관련이?\s?없|무관)|사진은\s기사\s내용과|"
        r"[(\[]\s*(?:왼쪽|오른쪽|위|아래|가운데|좌|우)\s?(?:사진|그림|영상)\s*[)\]]|"
        r"[(\[]?\s*(?:사진|그래픽|자료사진|영상|이미지|캡처)\s?[=:／/]\s?[가-힣A-Za-z]|"
        r"(?:사진|이미지|영상)\s?(?:제공|출처)\s?[=:]|자료사진|게티이미지|ⓒ\s?게티")),
    ("program tag", re.compile(r"[\[【〔<〈]\s*(?:" + _TAG + r")\s*[\]】〕>〉]")),
    ("program tag", re.compile(r"(?:^|\s)(?:SC현장|이슈\+|정치쇼|M\+TView|M타임머신|비머pick)"
                               r"(?=\s|$|[^\w])")),
    ("byline/copyright", re.compile(
        r"[\w.+-]+@[\w-]+\.[\w.-]+|ⓒ|©|무단\s?전재|재배포\s?금지|Copyright|저작권자|"
        r"[가-힣]{2,4}\s?(?:기자|특파원|앵커|PD)\s*$|[가-힣]{2,4}\s(?:기자|특파원)\s?[=/]|"
        # "[아시아경제 정종오 기자]", "(서울=연합뉴스) 홍길동 기자 =", "글·사진 홍길동 기자"
        r"[\[(【]\s*(?:[가-힣A-Za-z0-9]+\s+)?[가-힣]{2,4}\s?(?:기자|특파원|통신원)\s*[\])】]|"
        r"글\s?[·ㆍ]\s?사진\s[가-힣]{2,4}|"
        r"\(끝\)\s*$|제보하기|카카오톡\s?@|구독\s?(?:하기|버튼)")),
    ("syndicated dateline", re.compile(
        r"[(\[【]?\s*[가-힣]{1,8}(?:\s?[가-힣]{1,8})?\s?=\s?(?:" + _AGENCY + r")\s*[)\]】]?|"
        r"^\s*[(\[【]\s*[가-힣]{2,8}\s?=\s?[가-힣A-Za-z0-9]+\s*[)\]】]")),
)


def find_boilerplate(text: str) -> list[tuple[str, str]]:
    """(kind, matched text) for every kind of boilerplate in ``text``; one hit per kind."""
    hits: dict[str, str] = {}
    for kind, pattern in PATTERNS:
        if kind in hits:
            continue
        m = pattern.search(text)
        if m and not _is_clock(text, m):
            hits[kind] = m.group().strip()
    return list(hits.items())


def _is_clock(text: str, m: re.Match[str]) -> bool:
    # "오후 3:30" or "2:1로" is a time or a score, not a speaker label
    return bool(re.search(r"\d\s?[:：]\s?\d", m.group()))
