"""Headings and highlights as a Korean editor judges them.

A heading is a *phrase* when, frame words aside, its words (particles aside) are a contiguous
run of one source sentence or headline clause — "최대 90일간 비자 없이 방문" is, "발견 여행객"
(two nouns from two clauses) is not. Also flagged: two headings of a post sharing their main
noun, and a heading that drops a meaning-carrying word (없이, 않, 못, 안, 아니) the source has
right beside the words it took. A highlight must start and end on a word boundary; only a
particle or copula may follow it inside the word (<b>반도체 수출</b>이).
"""
from __future__ import annotations

import re
from typing import Any

from sokbo.bench.editor.morph import (
    EDGE_PUNCT,
    PUNCT_TAGS,
    Word,
    analyse,
    analyse_many,
    squash,
    words,
)
from sokbo.bench.editor.view import Block, PostView

# Section frames an editor writes around words of the section (documented, deliberately short):
# multi-word frames first, then single frame nouns. "조원진 측 입장" → 조원진 must be a phrase.
FRAME_PHRASES = ("향후 일정", "업계 반응", "시장 반응", "주요 내용", "남은 과제", "사건 개요",
                 "사건 경위")
EDGE = EDGE_PUNCT + "…~.!? "
FRAME_WORDS = frozenset({"입장", "전망", "배경", "반응", "쟁점", "현황", "경과", "경위", "과제",
                         "파장", "일정", "측", "개요"})
# clause boundaries inside a source sentence or headline: a heading may not span them
CLAUSE_BREAK = re.compile(r"…|\.{2,}|‥|[.!?|]\s|[.!?|]$|\n")
# case particles that tie a word to a predicate: dropped inside a heading, they glue two
# constituents into a noun bag ("사정(으로) 아이(를)"); 의 and 와/과 may drop in headlinese
CASE_TAGS = frozenset({"JKS", "JKO", "JKB", "JKC", "JX"})
NEGATION = frozenset({("없", "VA"), ("없이", "MAG"), ("않", "VX"), ("아니", "VCN"), ("못", "MAG"),
                      ("안", "MAG"), ("말", "VX"), ("못하", "VX"), ("없", "VV")})
HEAD_TAGS = ("NNG", "NNP", "SL", "SH")


def clauses(text: str) -> list[list[Word]]:
    out = []
    for part in CLAUSE_BREAK.split(text):
        ws = [w for w in words(part) if w.bare]
        if ws:
            out.append(ws)
    return out


def heading_words(heading: str) -> tuple[list[Word], bool]:
    """The heading's words with its frame removed, and whether it had one. A frame closes
    the heading ("조원진 측 입장", "향후 일정"): frame words elsewhere ("입장 지금") are words."""
    text = heading.strip()
    framed = False
    for phrase in FRAME_PHRASES:
        if text.endswith(phrase):
            text, framed = text[: -len(phrase)], True
            break
    out = [w for w in words(text) if w.bare]
    while out and out[-1].bare in FRAME_WORDS:
        out.pop()
        framed = True
    return out, framed


def _has_negation(w: Word) -> bool:
    return any((f, t) in NEGATION for f, t in zip(w.forms, w.tags, strict=True))


def contiguous_match(hw: list[Word], clause: list[Word]) -> tuple[int, int] | None:
    """(first, last) index of a run of ``clause`` spelling the heading words, or None.

    Spacing may differ (해상풍력 단지 ~ 해상풍력단지를); the last word may be the noun stem of
    the source word (방문 ~ 방문할), every other word must match without its particles.
    """
    target = squash("".join(w.bare for w in hw))
    if not target:
        return None
    for i in range(len(clause)):
        acc = ""
        for j in range(i, len(clause)):
            bare, stem = squash(clause[j].bare), squash(clause[j].stem)
            if acc + bare == target or (stem and acc + stem == target):
                return i, j
            acc += bare
            if not target.startswith(acc):
                break
    return None


def dropped_case(heading: str, clause: list[Word], i: int, j: int) -> str | None:
    """A case particle that a word inside the matched run carries in the source and the
    heading drops ("사정으로 아이를" → "사정 아이"), or None. Dropping 을/를/이/가 before the
    word's own predicate stays a phrase in headlinese ("남북을 연결하는" → "남북 연결")."""
    kept = squash(heading)
    for k in range(i, j):
        w = clause[k]
        if not any(t in CASE_TAGS for t in w.tags[-2:]) or squash(w.surface.strip(EDGE)) in kept:
            continue
        nxt = clause[k + 1]
        predicate = any(t in ("XSV", "XSA") for t in nxt.tags) or (nxt.tags[:1] == ("VV",))
        object_or_subject = any(t in ("JKO", "JKS") for t in w.tags[-2:])
        if predicate and object_or_subject:
            continue
        return w.surface
    return None


def _lcs_alignment(a: list[str], b: list[str]) -> list[tuple[int, int]]:
    n, m = len(a), len(b)
    dp = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            dp[i][j] = dp[i + 1][j + 1] + 1 if a[i] == b[j] else max(dp[i + 1][j], dp[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        if a[i] == b[j]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif dp[i + 1][j] >= dp[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


def source_clauses(view: PostView) -> list[tuple[str, list[Word]]]:
    """(clause text, words) of every headline and sentence of the post's sources."""
    out = []
    for src in view.sources.values():
        texts = [src.title, *src.sentences.values()]
        analyse_many([p for t in texts for p in CLAUSE_BREAK.split(t)])  # one Kiwi call
        for text in texts:
            for c in clauses(text):
                out.append((" ".join(w.surface for w in c), c))
    return out


def _negates(word: Word, nxt: Word) -> bool:
    """Whether ``nxt`` negates what ``word`` says: 없이/아닌 negate the noun before them, 않다
    the verb before it; 안/못 negate the verb after them, so they count only when ``word`` is
    that verb's object (지원을 안 하고), not an adverbial (재판에 안 나가)."""
    if not _has_negation(nxt):
        return False
    if nxt.tags[:1] == ("MAG",) and nxt.forms[0] in ("안", "못"):
        return "JKO" in word.tags or not any(t.startswith("J") for t in word.tags)
    return True


def _negation_beside(hw: list[Word], clause: list[Word], i: int, j: int) -> str | None:
    """A negation the source has right beside the run clause[i..j] the heading took:
    inside its last word (방문하지), the next word (비자 없이), or 안/못 before it."""
    last = clause[j]
    if squash(last.stem) == squash(hw[-1].bare) and squash(last.bare) != squash(hw[-1].bare) \
            and _has_negation(last):
        return last.surface
    if j + 1 < len(clause) and _negates(last, clause[j + 1]):
        return clause[j + 1].surface
    if i > 0 and _has_negation(clause[i - 1]) and clause[i - 1].bare in ("안", "못"):
        return clause[i - 1].surface
    return None


def judge_heading(heading: str, pool: list[tuple[str, list[Word]]]) -> dict[str, Any]:
    """One heading against the source clauses: {'phrase', 'frame_only', 'source' (the clause
    it came from, or the closest), 'negation_dropped', 'head' (main noun), 'why' (not a
    phrase because …)}."""
    hw, framed = heading_words(heading)
    head = _head_noun(hw)
    if not hw:
        return {"phrase": framed, "frame_only": framed, "source": None,
                "negation_dropped": None, "head": head, "why": None}
    best_glued: tuple[str, str, str | None] | None = None
    for text, clause in pool:
        span = contiguous_match(hw, clause)
        if span is None:
            continue
        i, j = span
        dropped = _negation_beside(hw, clause, i, j)
        glued = dropped_case(heading, clause, i, j)
        if glued:
            best_glued = best_glued or (text, glued, dropped)
            continue
        return {"phrase": True, "frame_only": False, "source": text,
                "negation_dropped": dropped, "head": head, "why": None}
    if best_glued:
        return {"phrase": False, "frame_only": False, "source": best_glued[0],
                "negation_dropped": best_glued[2], "head": head,
                "why": f"drops the particle of {best_glued[1]} inside the heading"}
    # not a phrase: name the closest clause, and whether the words skipped there negate
    best, best_pairs = None, []
    keys = [squash(w.stem or w.bare) for w in hw]
    for text, clause in pool:
        pairs = _lcs_alignment(keys, [squash(w.stem or w.bare) for w in clause])
        if len(pairs) > len(best_pairs):
            best, best_pairs = (text, clause), pairs
    dropped = None
    if best and len(best_pairs) >= 2:
        clause = best[1]
        matched = {j for _, j in best_pairs}
        # a negation right after a word the heading took ("연인이 아닌" → "… 연인")
        for j in sorted(matched):
            k = j + 1
            if k < len(clause) and k not in matched and _negates(clause[j], clause[k]):
                dropped = clause[k].surface
                break
    return {"phrase": False, "frame_only": False, "source": best[0] if best else None,
            "negation_dropped": dropped, "head": head,
            "why": "words from more than one place" if best else "no source has these words"}


def _head_noun(hw: list[Word]) -> str | None:
    """The main noun: Korean noun phrases are head-final, so the last noun of the heading."""
    for w in reversed(hw):
        nouns = [f for f, t in zip(w.forms, w.tags, strict=True) if t in HEAD_TAGS]
        if nouns:
            return nouns[-1]
    return None


def check_headings(view: PostView) -> dict[str, Any]:
    """Per-post heading verdicts: counts and offenders."""
    pool = source_clauses(view)
    heads: dict[str, list[str]] = {}
    out: dict[str, Any] = {"headings": 0, "phrases": 0, "frame_only": 0, "not_phrase": [],
                           "negation_dropped": [], "shared_head": []}
    for b in view.headings:
        if not b.text.strip():
            continue
        out["headings"] += 1
        v = judge_heading(b.text, pool)
        if v["phrase"]:
            out["phrases"] += 1
        else:
            out["not_phrase"].append({"post": view.name, "heading": b.text, "why": v["why"],
                                      "closest_source": v["source"]})
        if v["frame_only"]:
            out["frame_only"] += 1
        if v["negation_dropped"]:
            out["negation_dropped"].append({"post": view.name, "heading": b.text,
                                            "dropped": v["negation_dropped"],
                                            "source": v["source"]})
        if v["head"]:
            heads.setdefault(v["head"], []).append(b.text)
    for noun, hs in heads.items():
        if len(hs) > 1:
            out["shared_head"].append({"post": view.name, "noun": noun, "headings": hs})
    return out


# -- highlights ------------------------------------------------------------------------------

# the plural 들 is counted with the particles (<b>자동차 회사</b>들도): grammars treat it as
# one, and a reader sees no cut word
PLURAL = "들"

def _word_char(ch: str) -> bool:
    return ch.isalnum()


def highlight_cut(text: str, start: int, end: int) -> str | None:
    """Why the highlight text[start:end] cuts a word ("starts inside 대규모"), or None."""
    phrase = text[start:end]
    if not phrase.strip():
        return "empty highlight"
    if start > 0 and _word_char(text[start - 1]) and _word_char(phrase[0]):
        w0, w1 = start, start
        while w0 > 0 and _word_char(text[w0 - 1]):
            w0 -= 1
        while w1 < len(text) and _word_char(text[w1]):
            w1 += 1
        return f"starts inside {text[w0:w1]}"
    if end < len(text) and _word_char(text[end]) and _word_char(phrase[-1]):
        w0, w1 = end, end
        while w0 > 0 and _word_char(text[w0 - 1]):
            w0 -= 1
        while w1 < len(text) and _word_char(text[w1]):
            w1 += 1
        word = text[w0:w1]
        cut = end - w0
        toks = [t for t in analyse(word) if t.tag not in PUNCT_TAGS]
        if any(t.start < cut < t.start + t.len for t in toks):
            return f"ends inside {word}"
        rest = [t for t in toks if t.start >= cut]
        if any(not (t.tag.startswith("J") or t.tag == "VCP" or t.tag.startswith("E")
                    or (t.tag == "XSN" and t.form == PLURAL)) for t in rest):
            return f"ends inside {word}"
    return None


def check_highlights(view: PostView) -> tuple[int, list[dict[str, Any]]]:
    total, bad = 0, []
    blocks: list[Block] = [b for b in view.blocks if b.highlights]
    for b in blocks:
        for a, z in b.highlights:
            total += 1
            why = highlight_cut(b.text, a, z)
            if why:
                bad.append({"post": view.name, "highlight": b.text[a:z], "why": why,
                            "context": b.text[max(0, a - 15):z + 15]})
    return total, bad
