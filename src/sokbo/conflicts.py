"""Figures the sources disagree on: one outlet's 3억 원 against another's 5억 원 for one thing.

Shared by the writer (which attributes both figures or leaves them out, never picks one) and
the linter (SB604, which reports a post that states only one side). A conflict is two
sentences of different articles that say nearly the same thing, each with a figure of the
same unit after the same noun (피해액은 3억 원 / 피해액은 5억 원), the figures differing.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sokbo.memo import by_identity
from sokbo.models import Article, Sentence

__all__ = ["Conflict", "Figure", "figures", "find_conflicts", "mentions_figure"]

# a number with its unit: 15만 명, 3억 원, 2.6%, 84살, 24일
FIGURE = re.compile(
    r"(?<![\d.,])(\d[\d,]*(?:\.\d+)?)\s?(만|억|천|조)?\s?"
    r"(명|원|달러|건|개|세|살|%|퍼센트|호|채|곳|대|곳|척|마리|kg|톤|일)(?![가-힣]*간)"
)
# words between the noun and its figure that do not change what is counted
FILLER = {"총", "약", "최대", "최소", "모두", "무려", "불과", "전체", "당시", "올해", "지난해"}
AGE_UNITS = {"세", "살"}
SAME_CLAIM = 0.3


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure in a sentence: ``key`` is the noun it counts (피해액), ``value`` as written."""

    key: str
    value: str
    unit: str
    amount: float
    sentence: Sentence


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two articles' figures for one thing."""

    key: str
    unit: str
    sides: tuple[tuple[Article, Figure], ...]  # one per article, figures differing


def _amount(number: str, scale: str | None) -> float:
    value = float(number.replace(",", ""))
    return value * {"만": 1e4, "억": 1e8, "천": 1e3, "조": 1e12}.get(scale or "", 1.0)


def _key_before(text: str, start: int) -> str:
    """The noun phrase right before a figure (its topic or subject), skipping fillers like
    총/약, as written: "소득계층 갈등(77.3%)" counts 소득계층 갈등, not any 갈등 ("남녀·젠더
    갈등(61.0%)" is another)."""
    from sokbo.korean.kiwi import tokenize

    # the sentence's own analysis (kept in the store), read up to the figure
    tokens = [t for t in tokenize(text) if t.start + t.len <= start]
    k = len(tokens) - 1
    while k >= 0 and (tokens[k].tag.startswith("J") or tokens[k].form in FILLER
                      or tokens[k].tag in ("SP", "SS", "SSO", "SSC")):
        k -= 1
    if k < 0 or tokens[k].tag not in ("NNG", "NNP"):
        return ""
    end, first = tokens[k].start + tokens[k].len, k
    # the nouns of its compound before it: spaced (소득계층 갈등), joined (남녀·젠더) or
    # bound (젠더 간 갈등)
    while first > 0 and (tokens[first - 1].tag in ("NNG", "NNP", "NNB")
                         or (tokens[first - 1].form in ("·", "ㆍ") and first > 1
                             and tokens[first - 2].tag in ("NNG", "NNP"))):
        first -= 1
    while tokens[first].tag == "NNB":  # a phrase opens on a noun, not on 간 or 등
        first += 1
    return text[tokens[first].start:end]


def _same_thing(a: str, b: str) -> bool:
    """Two figures' nouns name one thing: the same, or one says more of it (피해액 / 재산
    피해액), never two different kinds (남녀·젠더 갈등 / 소득계층 갈등)."""
    return a == b or a.endswith(" " + b) or b.endswith(" " + a)


def figures(sentence: Sentence) -> list[Figure]:
    """Figures of a sentence with the noun each counts; figures without one are skipped."""
    out = []
    for m in FIGURE.finditer(sentence.text):
        key = _key_before(sentence.text, m.start())
        if not key:
            continue
        unit = "살" if m.group(3) in AGE_UNITS else m.group(3)
        out.append(Figure(key, m.group(0).strip(), unit, _amount(m.group(1), m.group(2)),
                          sentence))
    return out


def _terms(text: str) -> set[str]:
    from sokbo.korean.kiwi import tokenize

    return {t.form for t in tokenize(text) if t.tag in ("NNG", "NNP", "VV", "VA", "XR")}


def _alike(a: str, b: str) -> float:
    ta, tb = _terms(a), _terms(b)
    return len(ta & tb) / len(ta | tb) if ta | tb else 0.0


@by_identity
def find_conflicts(articles: Sequence[Article]) -> list[Conflict]:
    """Every figure two articles give differently for the same noun in nearly the same claim."""
    per_article = [(a, [f for s in a.sentences for f in figures(s)]) for a in articles]
    found: dict[tuple[str, str], Conflict] = {}
    for i, (a, figs_a) in enumerate(per_article):
        for b, figs_b in per_article[i + 1 :]:
            for fa in figs_a:
                for fb in figs_b:
                    if (fa.unit != fb.unit or not _same_thing(fa.key, fb.key)
                            or fa.amount == fb.amount):
                        continue
                    if _alike(fa.sentence.text, fb.sentence.text) < SAME_CLAIM:
                        continue
                    key = (fa.key, fa.unit)
                    if key not in found:
                        found[key] = Conflict(fa.key, fa.unit, ((a, fa), (b, fb)))
    return list(found.values())


def mentions_figure(text: str, figure: Figure) -> bool:
    """Whether a text states this figure for its noun (spacing and separators aside)."""
    squeeze = re.sub(r"[\s,]", "", text)
    value = re.sub(r"[\s,]", "", figure.value)
    return re.search(rf"(?<![\d.]){re.escape(value)}", squeeze) is not None
