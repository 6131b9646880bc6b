"""Korean text helpers for the lint rules: content morphemes, names and numbers, quotes, eojeols."""
from __future__ import annotations

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


def tag(token: Token) -> str:
    """Kiwi tag without the irregular-conjugation suffix (VA-I → VA)."""
    return str(token.tag).split("-")[0]


def content_morphemes(tokens: Sequence[Token], tags: frozenset[str] = CONTENT_TAGS) -> set[str]:
    return {
        t.form.lower() if tag(t) == "SL" else t.form
        for t in tokens
        if tag(t) in tags and t.form not in _LIGHT_STEMS
    }


@dataclass(frozen=True, slots=True)
class Mention:
    """A proper name (run of NNP) or a number with its unit (SN + 월/%/명…)."""

    kind: str  # "name" | "number"
    text: str
    has_unit: bool = True
    # 중러, 한미, 시 (주석): one-syllable names stand for longer ones and cannot be looked up
    abbreviation: bool = False


def mentions(tokens: Sequence[Token]) -> list[Mention]:
    """Names and numbers in order; adjacent NNP pieces (중+러) join into one name."""
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
        allowed = {"NNP"} if kind == "NNP" else _UNIT_TAGS
        units = 0
        while j < len(tokens) and tokens[j].start == end and (
            tag(tokens[j]) in allowed
            or (kind == "SN" and tokens[j].form in ("%", "%포인트", "%p"))
        ):
            units += tag(tokens[j]) != "SN"
            end = tokens[j].start + tokens[j].len
            j += 1
        surface = "".join(tok.form for tok in tokens[i:j])
        short = kind == "NNP" and all(len(tok.form) == 1 for tok in tokens[i:j])
        out.append(Mention("name" if kind == "NNP" else "number", surface, units > 0, short))
        i = j
    return out


def normalise(text: str) -> str:
    """Text for mention matching: no whitespace, no thousands separators."""
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    return re.sub(r"\s+", "", text)


def contains_mention(haystack: str, mention: Mention) -> bool:
    """Whether a normalised text mentions the name or number (2.1 does not match 2.15 or 12.1)."""
    needle = normalise(mention.text)
    if mention.kind == "number":
        # whitespace is gone (1월 2일 → 1월2일), so only a needle ending in a digit needs a stop
        stop = r"(?![\d])" if needle[-1].isdigit() else ""
        return re.search(rf"(?<!\d)(?<!\d\.){re.escape(needle)}{stop}", haystack) is not None
    return needle in haystack


def quotes(text: str) -> list[str]:
    """Quoted passages ("…", “…”, ‘…’, '…'), whitespace-normalised, without the marks."""
    return [" ".join(next(g for g in m.groups() if g).split()) for m in _QUOTE.finditer(text)]


def eojeols(text: str) -> list[str]:
    """Whitespace-separated words with their edge punctuation removed."""
    return [w for w in (raw.strip(_EDGE_PUNCT) for raw in text.split()) if w]
