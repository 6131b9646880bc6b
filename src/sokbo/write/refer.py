"""What a sentence leans on: an opening connective or reference (its predecessor), a person's
short name (the sentence that introduced the person), a day named only as 이날 (a date).

A post may place such a sentence only right after what it leans on, or rewrite it (이날 → 20일,
with the day copied from the article), or leave it out; this module only finds the dependencies.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# Openers that make a sentence continue the one before it. A connective invents a relation
# when its predecessor is missing ("이에 따라" after an unrelated sentence invents a cause);
# a demonstrative points at something the reader has not seen.
CONNECTIVES = (
    "그러나", "하지만", "그런데", "그러면서", "그래서", "그러자", "그러므로", "그럼에도",
    "그렇지만", "그러던 중", "그러다", "그 결과", "그 뒤", "그 후", "그 순간", "그 시각", "그때",
    "그 때", "따라서", "이에 따라", "이에", "이와 함께", "이와 관련", "이어서", "이어", "또한",
    "또", "아울러",
    "게다가", "더욱이", "특히", "반면", "다만", "결국", "즉", "이 밖에", "이밖에", "이로써",
    "이로 인해", "이 때문에", "이 같은", "이같은", "이런", "이러한", "이처럼", "이렇게", "이후",
    "당시", "이튿날", "다음날", "같은 날", "앞서", "그런", "그렇기 때문에", "그러면", "그럼",
    "그다음에", "그다음", "다음으로", "이렇게", "그렇게", "이것", "그것", "이게", "그게", "이건",
    "그건", "여기서", "거기서", "그리고", "또는", "혹은", "아니면", "오히려", "물론", "게다가",
)
_CONNECTIVE = re.compile(
    r"^[\"'“‘(\[]?\s*(" + "|".join(sorted(map(re.escape, CONNECTIVES), key=len, reverse=True))
    + r")(?=[\s,]|$)"
)
# 이는 이를 이에 이와 이가 이의 이로, 그는 그녀는 그의 그가, 이들, 두 사람,
# 이 곰 / 그 편지 / 해당 칼럼
_PRONOUN = re.compile(
    r"^[\"'“‘(\[]?\s*(이(?:는|를|가|의|로|와|에)|그(?:녀)?(?:는|가|의|를|에게|도)|이들(?:은|의|이|도|에게)?"
    r"|두 사람(?:은|의|이|도)?|(?:이것|그것|저것|이거|그거|이곳|그곳)|여기(?:에|서)|해당\s"
    r"|이\s[가-힣]|그\s[가-힣]|저\s[가-힣]"
    # 시는, 군은, 구가: the city or county the article named in full before
    r"|(?:시|군|구|당|회사|업체)(?:는|은|가|이|도)(?=\s))"
)
# 이날 anywhere: the day of whatever the previous sentence was about
THIS_DAY = re.compile(r"(?<![가-힣])이날(?![가-힣]*(?:마다))")
# 오늘(20일) / 어제(19일): the day is in the sentence itself
RELATIVE_DAY = re.compile(r"(?<![가-힣])(?:오늘|어제|그제|내일)\s?\((\d{1,2}일)\)")
DAY = re.compile(r"(?<![\d.])(?<!박 )(?<!박)(\d{1,2})일(?![가-힣]*간)")

# roles that follow a name: 김태효 국가안보실 1차장 / 김 차장, 권경애 변호사 / 권 변호사
TITLES = (
    "대통령", "총리", "부총리", "장관", "차관", "차장", "실장", "처장", "청장", "원장", "위원장",
    "부위원장", "위원", "의원", "시의원", "구의원", "도의원", "대표의원", "원내대표", "대표",
    "최고위원", "대변인", "변호사", "교수", "부장", "국장", "과장", "팀장", "회장", "부회장",
    "사장", "부사장", "이사장", "이사", "감독", "코치", "지사", "시장", "구청장", "군수", "판사",
    "검사", "총장", "대사", "여사", "작가", "목사", "박사", "소장", "본부장", "주석", "수석",
    "비서관", "비서실장", "의장", "부의장", "후보", "당선인", "연구원", "책임자", "전무", "상무",
)
_TITLE = "|".join(sorted(TITLES, key=len, reverse=True))
# a one-syllable surname and a role: 김 차장은, 김 1차장은, 원 장관이
SHORT_TITLE = re.compile(
    rf"(?<![가-힣A-Za-z0-9])([가-힣])\s(?:전\s|현\s)?\d?({_TITLE})(?=[^가-힣]|[은는이가의을를도와과에측]|$)"
)
# 모스카 교수는, 서플 대변인은: a foreign surname and a role (full: 파비오 모스카 교수)
LONG_SURNAME_TITLE = re.compile(
    rf"(?<![가-힣A-Za-z0-9])([가-힣]{{2,5}})\s({_TITLE})(?=[^가-힣]|[은는이가의을를도와과에측]|$)"
)
# 유 씨, 조 씨, 유 모 씨, A 씨, B씨: a person the article names only this way
ANON = re.compile(r"(?<![가-힣A-Za-z])([가-힣]|[A-Z])\s?(?:모\s?)?씨(?![가-힣]{2})")


@dataclass(frozen=True, slots=True)
class Person:
    """A person as one article refers to them: ``key`` is the short form (김 차장, A 씨),
    ``full`` the full name when the article gives one (김태효), else ''."""

    key: str
    full: str = ""


# a strong anaphor anywhere in a sentence: "…회의에서 이 같은 방안을 논의했다" names no plan
ANAPHOR = re.compile(r"(?<![가-힣])(이 같은|이같은|이러한|그러한)\s(?=[가-힣])")


def anaphor(text: str) -> str | None:
    """A demonstrative inside the sentence that only its predecessor resolves."""
    m = ANAPHOR.search(text)
    return m.group(1) if m else None


def opener(text: str) -> str | None:
    """The connective or reference a sentence opens with, if it leans on its predecessor."""
    if SHORT_TITLE.match(text.lstrip("\"'“‘([ ")):
        # 이 대표는: a surname and a role, which needs an introduction, not a predecessor
        return None
    m = _CONNECTIVE.match(text) or _PRONOUN.match(text)
    return m.group(1).strip() if m else None


_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|‘[^’]*’|'[^']*'|\([^()]*\)")


# "…손님이 크게 줄었기 때문입니다": a reason given for what the sentence before it says
REASON_END = re.compile(r"(?:때문|탓|덕분)(?:인데요|이에요|이죠|이다|입니다|이었다|이었습니다|였다|"
                        r"였습니다)[.!]?$")


def elliptical(text: str, tokens) -> bool:
    """A statement without any subject or topic (…일정을 진행합니다, …자리입니다): its subject
    is the previous sentence's, so it reads right only after it. A 도 on the first phrase,
    before any object or adverbial, marks a subject too (이날 시의회도 …). A reason (…기
    때문입니다) without a topic of its own explains the sentence before it, whatever subject
    its inner clause has."""
    spans = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]

    def quoted(t) -> bool:
        return any(a <= t.start < b for a, b in spans)

    if REASON_END.search(text.strip()):
        return not any(t.tag == "JX" and t.form in ("은", "는") and not quoted(t)
                       for t in tokens)

    early = True
    for t in tokens:
        if quoted(t):
            continue
        if t.tag == "JKS" or (t.tag == "JX" and t.form in ("은", "는")):
            return False
        if t.tag == "JX" and t.form == "도" and early:
            return False
        if t.tag in ("JKO", "JKB", "EC", "ETM"):
            early = False
    return True


def additive(text: str, tokens) -> str | None:
    """"…대게도 절반 가격에": a 도 on the sentence's first phrase (its subject or topic) says
    "this one too", after the sentence that told of the first one; returns the phrase's 도."""
    spans = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    for t in tokens:
        if any(a <= t.start < b for a, b in spans):
            continue
        if t.tag == "JX" and t.form == "도":
            return "도"
        if t.tag in ("JKO", "JKB", "JKS", "EC", "ETM", "EF") or (
                t.tag == "JX" and t.form in ("은", "는")):
            return None
    return None


def this_day(text: str) -> bool:
    return THIS_DAY.search(text) is not None


def days_in(text: str) -> list[str]:
    """Days of the month a sentence names ('20일'), in order, without repeats."""
    return list(dict.fromkeys(f"{int(d)}일" for d in DAY.findall(text) if 1 <= int(d) <= 31))


def short_names(text: str) -> list[Person]:
    """People a sentence names by a short form (surname and role, or X 씨)."""
    out = [Person(f"{m.group(1)} {m.group(2)}") for m in SHORT_TITLE.finditer(text)]
    out += [Person(f"{m.group(1)} {m.group(2)}") for m in LONG_SURNAME_TITLE.finditer(text)
            if not _preceded_by_name(text, m.start())]
    out += [Person(f"{m.group(1)} 씨") for m in ANON.finditer(text)]
    return list(dict.fromkeys(out))


def _preceded_by_name(text: str, start: int) -> bool:
    """'파비오 모스카 교수': the surname has its given name before it (a full form already)."""
    return re.search(r"[가-힣]{2,6}\s$", text[:start]) is not None and not re.search(
        r"(?:은|는|이|가|을|를|의|에|와|과|도|로)\s$", text[:start])


def full_name_for(person: Person, texts: list[str]) -> str:
    """The full name behind a surname-and-role short form, from the article's sentences:
    김 차장 → 김태효 (from "김태효 국가안보실 1차장은"); '' when the article never gives it."""
    return _full_name(person.key, tuple(texts))


# selection asks again for every candidate naming the person, and layout and excerpt ask once
# more (the same sentences each time)
@functools.lru_cache(maxsize=4096)
def _full_name(key: str, texts: tuple[str, ...]) -> str:
    surname, _, role = key.partition(" ")
    if role == "씨":
        return ""
    if len(surname) > 1:  # a foreign surname: the article writes "파비오 모스카 교수"
        from sokbo.korean.kiwi import tokenize

        for t in texts:
            given = _foreign_full_name(t, surname, role)
            # a given name, not a noun before a Korean full name ("화학과 이해신 교수")
            if given is not None and [x.tag for x in tokenize(given)] == ["NNP"]:
                return f"{given} {surname}"
        return ""
    for t in texts:
        full = _korean_full_name(t, surname, role)
        if full is not None:
            return full
    return ""


# The full form of "surname role" is found with a few fixed patterns rather than one pattern
# compiled per name (a Hangul character class costs milliseconds to compile, and a run meets
# hundreds of names). The search is the one of the regular expressions
#   Korean:  (?<![가-힣])({surname}[가-힣]{1,3})\s(?:[가-힣A-Za-z·]+\s){0,3}\d?{role}
#   foreign: (?<![가-힣])([가-힣]{2,6})\s{surname}\s(?:[가-힣A-Za-z·]+\s){0,3}\d?{role}
# : the first (leftmost) match's name group.
_NOT_IN_WORD = re.compile(r"(?<![가-힣])")
_GIVEN_KO = re.compile(r"[가-힣]{1,3}\s")
_GIVEN_FOREIGN = re.compile(r"(?<![가-힣])([가-힣]{2,6})\s")
_SPACE = re.compile(r"\s")
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[가-힣A-Za-z·]+\s")


def _role_follows(text: str, at: int, role: str) -> bool:
    """Whether ``(?:[가-힣A-Za-z·]+\\s){0,3}\\d?{role}`` matches at ``at``: the role within
    the next three words, a digit allowed before it (김태효 국가안보실 1차장)."""
    for words in range(4):
        if text.startswith(role, at) or (
                _DIGIT.match(text, at) is not None and text.startswith(role, at + 1)):
            return True
        if words == 3:
            return False
        word = _WORD.match(text, at)
        if word is None:
            return False
        at = word.end()
    return False  # pragma: no cover


def _korean_full_name(text: str, surname: str, role: str) -> str | None:
    at = text.find(surname)
    while at != -1:
        m = _GIVEN_KO.match(text, at + len(surname))
        if m is not None and _NOT_IN_WORD.match(text, at) is not None \
                and _role_follows(text, m.end(), role):
            return text[at:m.end() - 1]
        at = text.find(surname, at + 1)
    return None


def _foreign_full_name(text: str, surname: str, role: str) -> str | None:
    for m in _GIVEN_FOREIGN.finditer(text):
        after = m.end()
        if text.startswith(surname, after):
            at = after + len(surname)
            if _SPACE.match(text, at) is not None and _role_follows(text, at + 1, role):
                return m.group(1)
    return None


def anonymous(person: Person) -> bool:
    """A person named only by a label (A 씨) or a surname (유 씨): two articles' "A 씨" cannot
    be shown to be the same person."""
    return person.key.endswith(" 씨")
