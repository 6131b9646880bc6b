"""Korean text helpers for the lint rules: content morphemes, names and numbers, quotes, eojeols."""
from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiwipiepy import Token

__all__ = [
    "CONTENT_TAGS",
    "Mention",
    "content_morphemes",
    "contains_mention",
    "figure_said_otherwise",
    "name_forms",
    "eojeols",
    "mentions",
    "normalise",
    "quotes",
    "tag",
]

# Morphemes that carry a claim's content (verbs/adjectives by their stem).
CONTENT_TAGS = frozenset({"NNG", "NNP", "SN", "SL", "XR", "VV", "VA"})
# Stems so common they say nothing about the claim.
_LIGHT_STEMS = frozenset({"하", "되", "있", "없", "않", "대하", "통하", "위하"})
_UNIT_TAGS = frozenset({"SN", "NR", "NNB"})
_QUOTE = re.compile(r"\"([^\"\n]+)\"|“([^”\n]+)”|‘([^’\n]+)’|'([^'\n]+)'")
_EDGE_PUNCT = "\"'“”‘’()[]{}<>「」『』,.!?·…:;"


_TAGS: dict[str, str] = {}


def tag(token: Token) -> str:
    """Kiwi tag without the irregular-conjugation suffix (VA-I → VA)."""
    raw = token.tag
    base = _TAGS.get(raw)
    if base is None:
        base = _TAGS[raw] = str(raw).split("-")[0]
    return base


def content_morphemes(tokens: Sequence[Token], tags: frozenset[str] = CONTENT_TAGS) -> set[str]:
    out: set[str] = set()
    known = _TAGS.get  # tag(t), without a call per token: every source sentence comes here
    for t in tokens:
        base = known(t.tag) or tag(t)
        if base in tags and t.form not in _LIGHT_STEMS:
            out.add(t.form.lower() if base == "SL" else t.form)
    return out


@dataclass(frozen=True, slots=True)
class Mention:
    """A proper name (run of NNP) or a number with its unit (SN + 월/%/명…)."""

    kind: str  # "name" | "number"
    text: str
    has_unit: bool = True
    # 중러, 한미, 시 (주석): one-syllable names stand for longer ones and cannot be looked up
    abbreviation: bool = False


# The writer and then the linter ask for the mentions of the same analysed sentences (each
# a morpheme list of the process's analysis cache, never changed) four times over: kept by
# the list's identity (the entry holds the list, so its id is not reused meanwhile)
_MENTIONS: dict[int, tuple[Sequence[Token], str | None, list[Mention]]] = {}
MENTIONS_KEPT = 4096


def mentions(tokens: Sequence[Token], text: str | None = None) -> list[Mention]:
    """Names and numbers in order; adjacent NNP pieces (중+러) join into one name. With the
    analysed ``text``, a mention is spelt as written there (Kiwi's forms can differ: "김수민"
    is analysed as 김수미 + ㄴ)."""
    kept = _MENTIONS.get(id(tokens))
    if kept is not None and kept[0] is tokens and kept[1] == text:
        return list(kept[2])
    found = _mentions(tokens, text)
    if len(_MENTIONS) >= MENTIONS_KEPT:
        _MENTIONS.clear()
    _MENTIONS[id(tokens)] = (tokens, text, found)
    return list(found)


def _mentions(tokens: Sequence[Token], text: str | None) -> list[Mention]:
    out: list[Mention] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        kind = tag(t)
        if kind not in ("NNP", "SN"):
            i += 1
            continue
        j = i + 1
        end = t.start + t.len
        # a name runs on through the nouns written with it: "일본뇌염", "충남지사", "아프리카TV"
        allowed = {"NNP", "NNG", "SL", "SN"} if kind == "NNP" else _UNIT_TAGS
        units = 0
        while j < len(tokens) and tokens[j].start == end and (
            tag(tokens[j]) in allowed
            or (kind == "SN" and tokens[j].form in ("%", "%포인트", "%p"))
        ):
            units += tag(tokens[j]) != "SN"
            end = tokens[j].start + tokens[j].len
            j += 1
        surface = (text[t.start:end] if text is not None and end <= len(text)
                   else "".join(tok.form for tok in tokens[i:j]))
        short = kind == "NNP" and all(len(tok.form) == 1 for tok in tokens[i:j])
        out.append(Mention("name" if kind == "NNP" else "number", surface, units > 0, short))
        i = j
    return out


_UNITS = str.maketrans({"㎜": "mm", "㎝": "cm", "㎞": "km", "㎏": "kg", "㎡": "m2", "％": "%"})


_THOUSANDS = re.compile(r"(?<![\d.])(\d{1,3})천(\d{1,3})?(?!\d)")


def _spell_thousands(m: re.Match[str]) -> str:
    """"5천" → "5000", "2천500" → "2500": figures written both ways are one figure."""
    return str(int(m.group(1)) * 1000 + int(m.group(2) or 0))


@functools.lru_cache(maxsize=1024)  # a post's body and its sources' texts, asked again per name
def normalise(text: str) -> str:
    """Text for mention matching: no whitespace, no thousands separators, units spelt out,
    "5천만" as "5000만"."""
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text.translate(_UNITS))
    text = _THOUSANDS.sub(_spell_thousands, text)
    return re.sub(r"\s+", "", text)


# What may follow a name inside its word: particles, the copula, honorific and plural
# suffixes. "올림픽" is not mentioned by "올림픽대로": a compound is another name.
_AFTER_NAME = re.compile(
    r"(이|가|은|는|을|를|의|에|에서|에게|께|께서|와|과|로|으로|도|만|까지|부터|이나|나|처럼|보다|에는|에서는"
    r"|으로는|로는|과의|와의|이라는|라는|이라고|라고|이며|며|이고|고|이다|다|입니다|이었|였|측|씨|님|들|등"
    r"|측은|측이|씨는|씨가|씨의|씨에|님의|이자|인|이지만|마저|조차|뿐|대로|만큼|에선|엔|한테|으로의|로의"
    r"|에서의|에의|과는|와는|이란|란)?"
)
# What may follow a short name in its longer form: "삼성" for 삼성증권, "미시간" for 미시간주.
# A place is named by its landmarks too: "경포" in 경포해변, 경포호. Other compounds are
# other names: "올림픽대로" is no mention of "올림픽".
_SHORT_FORM_OF = re.compile(
    r"(증권|전자|그룹|은행|카드|생명|화재|건설|물산|중공업|자동차|홀딩스|코리아|엔터테인먼트|엔터|게임즈|측"
    r"|해변|해수욕장|호수|호|항|역|공항|섬|반도"
    r"|주|시|도|군|구|동|읍|면|현|성|정부|당국|지사|의원|대표|장관|대통령|총리|위원장|회장|사장)"
)
_INNER_MARKS = re.compile(r"[\"'“”‘’()\[\]<>《》〈〉「」『』·/]+")
_EDGE = re.compile(r"^[\"'“”‘’(\[<《〈「『]+|[\"'“”‘’)\]>》〉」』,.!?:;…·]+$")
_PARTICLE_END = re.compile(r"(이|가|은|는|을|를|의|에|에서|와|과|로|으로|도|만)$")


def name_words(text: str) -> list[str]:
    """The words of a text as name look-ups see them: quote marks and brackets removed, edge
    punctuation stripped."""
    return [w for w in (_EDGE.sub("", part) for part in _INNER_MARKS.sub(" ", text).split()) if w]


def mentions_name(words: Sequence[str], name: str) -> bool:
    """Whether ``name`` stands as a word of its own (particles allowed after it) or as the head
    of a compound in ``words``; a name Kiwi left with its particle on ("수사처가") is tried
    without it too."""
    names = [name]
    stem = _PARTICLE_END.sub("", name)
    if stem != name and len(stem) >= 2:
        names.append(stem)
    for candidate in names:
        for word in words:
            if not word.startswith(candidate):
                continue
            rest = word[len(candidate):]
            if _AFTER_NAME.fullmatch(rest):
                return True
            short = _SHORT_FORM_OF.match(rest)
            if short and _AFTER_NAME.fullmatch(rest[short.end():]):
                return True
    # a name as the head of a compound is that thing still: "특례보금자리론" is a 보금자리론,
    # "서울올림픽" an 올림픽 (the other way round, "올림픽대로", it is another name)
    if len(name) >= 3:
        for word in words:
            at = word.find(name, 1)
            if at > 0 and "가" <= word[at - 1] <= "힣" and _AFTER_NAME.fullmatch(
                    word[at + len(name):]):
                return True
    # a name written with a space inside elsewhere ("사도광산" / "사도 광산"), or of several
    # words ("김 전 대표")
    text = f" {' '.join(words)} "
    if " " in name:
        return normalise(name) in normalise(text)
    return any(f" {name[:k]} {name[k:]}" in text for k in range(2, len(name) - 1))


# Names written two ways in Korean news: the short or foreign-derived name and the Korean full
# name. A summary's 유니세프 is the body's 유엔아동기금; a title's 국힘 is 국민의힘.
ALIASES: dict[str, tuple[str, ...]] = {
    "유니세프": ("유엔아동기금",),
    "유네스코": ("유엔교육과학문화기구",),
    "유엔난민기구": ("UNHCR", "유엔난민고등판무관실"),
    "나토": ("북대서양조약기구", "NATO"),
    "국힘": ("국민의힘",),
    "국힘당": ("국민의힘",),
    "민주당": ("더불어민주당",),
    "카카오톡": ("카카오",),
}
# Link text glued to the next word when a page is flattened ("👈 클릭제주시"): not a name's part.
_UI_PREFIX = re.compile(r"^(클릭|바로가기|더보기|보기)(?=[가-힣A-Za-z]{2})")


def name_forms(name: str) -> list[str]:
    """The forms a name may take in the body: itself (without glued link text) and its aliases."""
    bare = _UI_PREFIX.sub("", name)
    return [bare, *ALIASES.get(bare, ())]


# "1차 회의" is the body's "처음으로 회의"; "8%" is its "100명 중 8명"
_FIRST = re.compile(r"^제?1차$")


def figure_said_otherwise(haystack: str, needle: str) -> bool:
    """Whether a normalised text gives the figure in other words."""
    if _FIRST.match(needle):
        return re.search(r"처음|첫(?:번째|째)?", haystack) is not None
    share = re.fullmatch(r"(\d{1,2})%", needle)
    if share:
        return re.search(rf"100(?:명|개|곳|가구)중{share.group(1)}(?:명|개|곳|가구)", haystack) is not None
    return False


def contains_mention(haystack: str, mention: Mention) -> bool:
    """Whether a normalised text mentions the name or number (2.1 does not match 2.15 or 12.1)."""
    needle = normalise(mention.text)
    if mention.kind == "number":
        # whitespace is gone (1월 2일 → 1월2일), so only a needle ending in a digit needs a stop
        return _number_in(haystack, needle, stop=needle[-1].isdigit())
    return needle in haystack


def _number_in(haystack: str, needle: str, *, stop: bool) -> bool:
    """Whether ``(?<!\\d)(?<!\\d\\.)needle`` (and ``(?!\\d)`` after it with ``stop``) is
    found: no digit, and no digit and point, before it; no digit after it. Written out, as
    a pattern per figure would be compiled again and again (``\\d`` is ``str.isdecimal``)."""
    end = len(needle)
    at = haystack.find(needle)
    while at != -1:
        prev = haystack[at - 1] if at >= 1 else ""
        digit_before = prev.isdecimal() or (prev == "." and at >= 2
                                            and haystack[at - 2].isdecimal())
        digit_after = stop and haystack[at + end:at + end + 1].isdecimal()
        if not digit_before and not digit_after:
            return True
        at = haystack.find(needle, at + 1)
    return False


def quotes(text: str) -> list[str]:
    """Quoted passages ("…", “…”, ‘…’, '…'), whitespace-normalised, without the marks."""
    return [" ".join(next(g for g in m.groups() if g).split()) for m in _QUOTE.finditer(text)]


def eojeols(text: str) -> list[str]:
    """Whitespace-separated words with their edge punctuation removed."""
    return [w for w in (raw.strip(_EDGE_PUNCT) for raw in text.split()) if w]
