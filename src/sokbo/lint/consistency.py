"""Consistency rules (SB5xx): the summary (excerpt, cards) must not say what the post never backs.

Without the sources a linter cannot tell which side is true, only that the two disagree: the
reference post's excerpt talks of 한반도 while its body only ever says 우크라이나. With sources,
a summary fact that a source backs is no invention (sokbo's cards may carry facts the sections
leave out), and one that no source backs is SB602's to report.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from sokbo.lint.context import Context
from sokbo.lint.nlp import (
    Mention,
    contains_mention,
    content_morphemes,
    figure_said_otherwise,
    mentions,
    mentions_name,
    name_forms,
    name_words,
    normalise,
    tag,
)
from sokbo.lint.rules import Hit, rule

SUMMARY_GROUPS = ("excerpt", "cards")


def _mentioned(m: Mention, rest: str, words: list[str], said_in: str = "") -> bool:
    """A number anywhere in the normalised rest; a name as a word of its own, or the words
    it stands in where the summary says it (``said_in``): "라인야후가" is found as 라인야후,
    "소년 예수의집" as 소년예수의집."""
    if m.kind == "number":
        return contains_mention(rest, m) or figure_said_otherwise(rest, normalise(m.text))
    if any(mentions_name(words, form) for form in name_forms(m.text)):
        return True
    if "·" in m.text and normalise(m.text) in rest:
        return True  # 한·중·일: the words split at the dots cannot hold it
    own = name_words(said_in)
    for i, word in enumerate(own):
        if m.text not in word:
            continue
        if word != m.text and mentions_name(words, word):
            return True
        pairs = [own[k] + own[k + 1] for k in (i - 1, i) if 0 <= k and k + 1 < len(own)]
        if any(normalise(p) in rest for p in pairs):
            return True
    return False


def _checked_mentions(ctx: Context, text: str) -> list[Mention]:
    return checked_mentions(ctx.tokens(text), text)


def checked_mentions(tokens, text: str) -> list[Mention]:
    """The names and numbers a summary must find in the body: a given name followed by its
    surname ("에마뉘엘 마크롱") is looked up as the surname, as the body may say only that."""
    found = [m for m in mentions(tokens, text)
             if not m.abbreviation and (m.kind == "name" or m.has_unit)]
    if not found:
        return []
    return [m for m, after in zip(found, [*found[1:], None], strict=True)
            if not (after is not None and m.kind == after.kind == "name"
                    and f"{m.text} {after.text}" in text)]


@rule(
    "SB501",
    "unsupported-summary",
    "error",
    "a name or number in the excerpt or a card that the rest of the post never mentions",
)
def check_summary_support(ctx: Context) -> Iterator[Hit]:
    if ctx.sources:
        return  # the sources settle it: SB602 reports what none of them backs
    sentences = ctx.post.sentences
    for group in SUMMARY_GROUPS:
        # a card may lean on the excerpt and vice versa, but never on itself; the excerpt,
        # the title's companion on every listing, never on the title (a figure said in the
        # title and the excerpt only is one the post never backs)
        leaned_off = (group, "title") if group == "excerpt" else (group,)
        rest_text = " ".join(s.text for s in sentences if s.group not in leaned_off)
        rest, words = normalise(rest_text), name_words(rest_text)
        seen: set[tuple[str, str]] = set()
        for s in sentences:
            if s.group != group:
                continue
            for m in _checked_mentions(ctx, s.text):
                if (s.location, m.text) in seen or _mentioned(m, rest, words, s.text):
                    continue
                seen.add((s.location, m.text))
                what_ko, what_en = ("이름", "name") if m.kind == "name" else ("숫자", "number")
                yield Hit(
                    s.location,
                    m.text,
                    f"요약의 {what_ko} '{m.text}'이(가) 본문 어디에도 없습니다",
                    f"the summary's {what_en} '{m.text}' appears nowhere in the post body",
                )


def unsaid_mentions(text: str, tokens, body_text: str) -> list[str]:
    """The names, places and numbers of a title or summary sentence (``tokens``: its Kiwi
    analysis) that a body never mentions (SB501, SB503); the writer checks its titles and the
    excerpt sentences it leaves out of the sections with it."""
    rest, words = normalise(body_text), name_words(body_text)
    return [m.text for m in checked_mentions(tokens, text)
            if not _mentioned(m, rest, words, text)]


TITLE_NOUNS = frozenset({"NNG", "NNP"})


@rule(
    "SB503",
    "unsupported-title",
    "error",
    "a name, place or number in the title that the body never mentions, or a title that "
    "shares no noun with the body",
)
def check_title_support(ctx: Context) -> Iterator[Hit]:
    if ctx.sources:
        return  # SB602 checks the title against the sources
    title = next((s for s in ctx.post.sentences if s.role == "title"), None)
    body = [s.text for s in ctx.post.sentences if s.group not in ("title", "excerpt")]
    if title is None or not body:
        return
    body_text = " ".join(body)
    tokens = ctx.tokens(title.text)
    missing = unsaid_mentions(title.text, tokens, body_text)
    if missing:
        yield Hit(
            title.location,
            ", ".join(dict.fromkeys(missing)),
            f"제목의 {', '.join(dict.fromkeys(missing))}이(가) 본문 어디에도 없습니다",
            f"the title's {', '.join(dict.fromkeys(missing))} appears nowhere in the body",
        )
        return
    all_nouns = content_morphemes(tokens, TITLE_NOUNS)
    nouns = {t for t in all_nouns if len(t) > 1}
    body_nouns = set().union(*(content_morphemes(ctx.tokens(t), TITLE_NOUNS) for t in body))
    # one-syllable nouns say little alone, but two of them shared ("밤 깎게 칼 좀 주세요" of a
    # story of chestnuts and a knife) tie the title to the body
    shared_short = {t for t in all_nouns - nouns if len(t) == 1} & body_nouns
    if len(nouns) >= 2 and not nouns & body_nouns and len(shared_short) < 2:
        yield Hit(
            title.location,
            title.text,
            "제목과 본문에 겹치는 명사가 하나도 없습니다: 다른 글의 제목입니까?",
            "the title shares no noun with the body: is it another post's title?",
        )


# -- SB502: figures that contradict each other ------------------------------------------------

_DATE = re.compile(r"(?<!\d)(\d{1,2})월\s?(\d{1,2})일")
_DAYS_IN_MONTH = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31,
                  11: 30, 12: 31}
# a figure and the words right before it: "영업이익은 307억원", "현직 의원 23명"
_FIGURE = re.compile(
    r"((?:[가-힣A-Za-z]+\s){0,2}[가-힣A-Za-z]+?)(?:은|는|이|가|을|를|도)?\s"
    r"(?:(?:약|총|모두|무려|각각)\s)?(\d[\d,.]*)\s?(억\s?원|만\s?원|조\s?원|원|명|개|곳|건|%|달러|석|톤|km|kg)"
)
# sentences where two figures for one thing are normal: changes, comparisons, parts of wholes
_CHANGE = re.compile(r"(증가|감소|늘|줄|오르|올랐|내리|내렸|상승|하락|대비|전년|지난해|에서\s|포함|중\s|각각"
                     r"|추정|전망|예상|목표|이상|이하|최대|최소|평균|누적|당시|이전|이후)")


def _impossible_dates(ctx: Context) -> Iterator[Hit]:
    for s in ctx.post.sentences:
        for m in _DATE.finditer(s.text):
            month, day = int(m.group(1)), int(m.group(2))
            if not 1 <= month <= 12 or not 1 <= day <= _DAYS_IN_MONTH[month]:
                yield Hit(
                    s.location,
                    m.group(0),
                    f"있을 수 없는 날짜입니다: {m.group(0)}",
                    f"a date that does not exist: {m.group(0)}",
                )


def _figures(text: str) -> list[tuple[str, str, str]]:
    """(what, value, unit) for each figure in a text, ``what`` its last noun-like word."""
    out = []
    for m in _FIGURE.finditer(text):
        what = m.group(1).split()[-1]
        value = m.group(2).replace(",", "")
        out.append((what, value, re.sub(r"\s", "", m.group(3))))
    return out


def _two_figures(ctx: Context) -> Iterator[Hit]:
    """The same thing given two different figures in one paragraph, neither sentence about a
    change or a comparison: "영업이익 307억원 … 영업이익은 290억원"."""
    by_para: dict[int, list] = {}
    for s in ctx.post.sentences:
        if s.role in ("excerpt", "title") or _CHANGE.search(s.text):
            continue
        by_para.setdefault(s.para, []).append(s)
    for sentences in by_para.values():
        seen: dict[tuple[str, str], tuple[str, str]] = {}
        for s in sentences:
            for what, value, unit in _figures(s.text):
                if len(what) < 2:
                    continue
                key = (what, unit)
                if key in seen and seen[key][0] != value and seen[key][1] != s.location + s.text:
                    yield Hit(
                        s.location,
                        f"{what} {seen[key][0]}{unit} / {value}{unit}",
                        f"같은 '{what}'에 다른 수치가 나옵니다: {seen[key][0]}{unit}와 {value}{unit}",
                        f"two different figures for '{what}': {seen[key][0]}{unit} and "
                        f"{value}{unit}",
                    )
                seen.setdefault(key, (value, s.location + s.text))


@rule(
    "SB502",
    "numeric-contradiction",
    "error",
    "figures that contradict each other within the post (two values for one thing, a date "
    "that does not exist)",
)
def check_numeric_contradictions(ctx: Context) -> Iterator[Hit]:
    yield from _impossible_dates(ctx)
    yield from _two_figures(ctx)
