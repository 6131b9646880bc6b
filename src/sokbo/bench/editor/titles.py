"""Title and sources-line defects, judged against the source headlines.

Title: longer than 30 characters, a range or a pair lost in compression ("24 30일" for
24~30일, "한 아르벨라" for 한-아르벨라), unbalanced quotes or brackets, a program or section tag
kept, empty, or the headline's subject dropped. Sources line: "알 수 없는 매체", an outlet
named twice, a publisher's legal name instead of the outlet's name.
"""
from __future__ import annotations

import re
from typing import Any

from sokbo.bench.editor.boilerplate import PATTERNS
from sokbo.bench.editor.morph import analyse, words
from sokbo.bench.editor.speech import quoted_spans
from sokbo.bench.editor.view import PostView

TITLE_MAX = 30
RANGE = re.compile(r"(\d+)\s*[~∼〜～\-–—]\s*(\d+)")
# a hyphen pair (한-아르벨라, 서울-부산) always; a dot list (한·미) only when a side is one
# syllable, which a bare space turns into another word (한 = one); 연구·교육 → 연구 교육 reads fine
PAIR = re.compile(r"([가-힣A-Za-z]{1,10})\s*[-–‐]\s*([가-힣A-Za-z]{1,10})|"
                  r"(?<![가-힣])([가-힣])\s*[·ㆍ‧・]\s*([가-힣]{1,10})|"
                  r"([가-힣]{1,10})\s*[·ㆍ‧・]\s*([가-힣])(?![가-힣])")
PAIRS_OF_MARKS = (("“", "”"), ("‘", "’"), ("(", ")"), ("[", "]"), ("「", "」"), ("『", "』"),
                  ("《", "》"), ("〈", "〉"), ("<", ">"), ("【", "】"), ("{", "}"))
BRACKET_TAG = re.compile(r"^\s*[\[【〔<〈]([^\]】〕>〉]{1,14})[\]】〕>〉]|"
                         r"[\[【〔]([^\]】〕]{1,14})[\]】〕]\s*$|\(([^()]{1,8})\)\s*$")
UNKNOWN_OUTLET = re.compile(r"알\s?수\s?없는\s?매체|unknown", re.I)
LEGAL_NAME = re.compile(r"주식회사|\(주\)|㈜|유한회사|재단법인|\bCo\.?,?\s?Ltd\b|\bInc\b\.?|"
                        r"\bCorp\b\.?|Corporation|Broadcasting\s(?:System|Corporation)|방송공사|문화방송|"
                        r"에스비에스|서울방송|[가-힣]+일보사|[가-힣]+신문사|[가-힣]+방송사$", re.I)


def unbalanced(text: str) -> list[str]:
    out = []
    for a, b in PAIRS_OF_MARKS:
        if text.count(a) != text.count(b):
            out.append(a + b)
    for q in ('"', "'"):
        # an apostrophe inside a word (Jay's) is not a quote
        n = len(re.findall(rf"(?<![A-Za-z]){q}|{q}(?![A-Za-z])", text)) if q == "'" else \
            text.count(q)
        if n % 2:
            out.append(q)
    return out


def _lost_joins(title: str, headlines: list[str], joined: re.Pattern[str]) -> list[str]:
    """Joins of the headlines (24~30, 한-아르벨라) that the title spells with a bare space."""
    out = []
    for h in headlines:
        for m in joined.finditer(h):
            a, b = (re.escape(g) for g in m.groups() if g)
            if re.search(rf"(?<![\w]){a}\s+{b}(?![\d])", title) and m.group() not in title:
                out.append(m.group())
    return out


def lost_ranges(title: str, headlines: list[str]) -> list[str]:
    return _lost_joins(title, headlines, RANGE)


def lost_pairs(title: str, headlines: list[str]) -> list[str]:
    return _lost_joins(title, headlines, PAIR)


def kept_tags(title: str, headlines: list[str]) -> list[str]:
    tags = []
    for kind, pattern in PATTERNS:
        if kind == "program tag" and (m := pattern.search(title)):
            tags.append(m.group().strip())
    for h in headlines:
        for m in BRACKET_TAG.finditer(h):
            tag = next(g for g in m.groups() if g)
            if len(tag.strip()) >= 2 and tag.strip() in title and tag.strip() not in tags:
                # a bracketed tag of the source headline ([정치쇼], (종합)) kept as a title word
                tags.append(tag.strip())
    return tags


def headline_subjects(headline: str) -> list[str]:
    """The subject of a headline: a noun marked 이/가/은/는, or the word before a headline comma
    ("문체부, 가짜뉴스 …"). Empty when the headline has no marked subject."""
    subjects = []
    m = re.match(r"^\s*(?:\[[^\]]*\]\s*)?([^,，…\"“‘']{1,12}?)\s*[,，]", headline)
    if m:
        subjects.append(m.group(1).strip())
    quoted = quoted_spans(headline)
    for w in words(headline):
        if any(a <= w.start < b for a, b in quoted):
            continue  # a quote's subject is the speaker's, not the headline's
        if "JKS" in w.tags and w.bare:
            subjects.append(w.bare)
        elif w.tags and w.tags[-1] == "JX" and w.forms[-1] in ("은", "는") and w.bare:
            subjects.append(w.bare)
    return subjects


def _nouns(text: str) -> set[str]:
    return {t.form for t in analyse(text) if t.tag in ("NNG", "NNP", "SL", "SH", "NR", "SN")}


def title_defects(view: PostView) -> list[dict[str, Any]]:
    title = view.title.strip()
    headlines = [s.title for s in view.sources.values() if s.title]
    found: list[dict[str, Any]] = []

    def add(kind: str, detail: str) -> None:
        found.append({"post": view.name, "title": title, "defect": kind, "detail": detail})

    if not re.search(r"[가-힣A-Za-z0-9]", title):
        add("empty", "")
        return found
    if len(title) > TITLE_MAX:
        add("too long", f"{len(title)} chars")
    for r in lost_ranges(title, headlines):
        add("range lost", r)
    for p in lost_pairs(title, headlines):
        add("pair lost", p)
    for marks in unbalanced(title):
        add("unbalanced", marks)
    for tag in kept_tags(title, headlines):
        add("tag kept", tag)
    title_nouns = _nouns(title)
    if headlines:
        # the headline the title was made from: the one sharing most of its nouns
        base = max(headlines, key=lambda h: len(_nouns(h) & title_nouns))
        subjects = headline_subjects(base)
        if subjects and not any(_nouns(s) & title_nouns or s in title for s in subjects):
            add("subject lost", " / ".join(dict.fromkeys(subjects)))
    return found


def sources_defects(view: PostView) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    lines = [b for b in view.blocks if b.kind == "sources"]
    names = [n for b in lines for n in (b.links or [b.text.split(":", 1)[-1]])]
    if not lines:
        found.append({"post": view.name, "defect": "no sources line", "detail": ""})
    listed = [str(s.get("outlet") or "") for s in view.front.get("sources") or []
              if isinstance(s, dict)]
    for name in dict.fromkeys(names + listed):
        if UNKNOWN_OUTLET.search(name):
            found.append({"post": view.name, "defect": "unknown outlet", "detail": name})
        if LEGAL_NAME.search(name):
            found.append({"post": view.name, "defect": "legal name", "detail": name})
    seen: dict[str, list[str]] = {}
    for n in names:
        seen.setdefault(re.sub(r"\s+", "", n).lower(), []).append(n)
    for same in seen.values():
        if len(same) > 1:
            found.append({"post": view.name, "defect": "outlet named twice",
                          "detail": f"{same[0]} ×{len(same)}"})
    return found
