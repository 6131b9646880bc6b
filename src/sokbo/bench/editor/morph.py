"""Kiwi views the editor bench's detectors share: tokens, words (어절) and their stems.

The bench analyses text with Kiwi itself (never through the writer's helpers), so a detector
cannot inherit a bug of the code it grades.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sokbo.korean.kiwi import get_kiwi

PARTICLE_TAGS = frozenset({"JKS", "JKC", "JKG", "JKO", "JKB", "JKV", "JKQ", "JX", "JC"})
PUNCT_TAGS = frozenset({"SF", "SP", "SS", "SSO", "SSC", "SE", "SO", "SW", "SB"})
NOUN_TAGS = frozenset({"NNG", "NNP", "NNB", "NR", "NP", "SN", "SL", "SH", "XR"})
# a word's noun stem may carry a prefix or a noun suffix: 대+규모, 이민자+들
STEM_TAGS = NOUN_TAGS | {"XPN", "XSN"}
# quotes, brackets and list marks around words; dropped when words are compared
EDGE_PUNCT = "\"'“”‘’「」『』《》〈〉<>()[]{}【】,·ㆍ‧:;"
# quotes and brackets separate words: 센터(광양시 → 센터, 광양시
WORD = re.compile(r"[^\s()\[\]{}<>“”‘’\"'「」『』《》〈〉【】…]+")


_CACHE: dict[str, tuple[Any, ...]] = {}
CACHE_SIZE = 100_000


def analyse_many(texts: list[str]) -> list[tuple[Any, ...]]:
    """Kiwi tokens of each text, one Kiwi call for those not seen yet.

    The bench keeps its own cache; the product's token cache is left alone.
    """
    missing = [t for t in dict.fromkeys(texts) if t not in _CACHE]
    if missing:
        if len(_CACHE) + len(missing) > CACHE_SIZE:
            _CACHE.clear()
        for text, toks in zip(missing, get_kiwi().tokenize(missing), strict=True):
            _CACHE[text] = tuple(toks)
    return [_CACHE[t] if t in _CACHE else tuple(get_kiwi().tokenize(t)) for t in texts]


def analyse(text: str) -> tuple[Any, ...]:
    return analyse_many([text])[0]


@dataclass(frozen=True, slots=True)
class Word:
    """One 어절 of a text: its surface, the surface without particles, and its noun stem."""

    surface: str
    start: int
    end: int
    bare: str       # particles and edge punctuation stripped: 정부는 → 정부, ‘몸값 → 몸값
    stem: str       # leading noun run: 방문할 → 방문, 발견됐다 → 발견 ("" when none)
    tags: tuple[str, ...]
    forms: tuple[str, ...]


def words(text: str) -> list[Word]:
    """The 어절 of ``text`` with Kiwi's analysis of each."""
    toks = analyse(text)
    out = []
    for m in WORD.finditer(text):
        start, end = m.span()
        mine = [t for t in toks if start <= t.start < end]
        out.append(_word(m.group(), start, end, mine))
    return out


def _word(surface: str, start: int, end: int, toks: list[Any]) -> Word:
    # strip trailing particles and punctuation: the remaining prefix of the surface is the word
    cut = len(surface)
    for t in reversed(toks):
        if t.tag in PARTICLE_TAGS or t.tag in PUNCT_TAGS:
            cut = min(cut, t.start - start)
        else:
            break
    bare = surface[: max(cut, 0)].strip(EDGE_PUNCT + "…~.!? ")
    bare = bare.lstrip(EDGE_PUNCT)
    stem_end = 0
    for t in toks:
        if t.tag in PUNCT_TAGS and stem_end == 0:
            continue
        if t.tag in STEM_TAGS:
            stem_end = t.start - start + t.len
        else:
            break
    stem = surface[:stem_end].strip(EDGE_PUNCT + "…~.!? ") if stem_end else ""
    return Word(surface, start, end, bare, stem,
                tuple(t.tag for t in toks), tuple(t.form for t in toks))


def squash(text: str) -> str:
    """Text without whitespace, for comparing phrases whose spacing differs (해상풍력 단지)."""
    return re.sub(r"\s+", "", text)


def norm(text: str) -> str:
    """Whitespace collapsed: how sentences are compared across the post file and the JSON."""
    return re.sub(r"\s+", " ", text).strip()
