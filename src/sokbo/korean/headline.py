"""Short noun-phrase headings built only from source words; titles live in
:mod:`sokbo.korean.title` (``compress_headline`` is re-exported here for its callers).
"""
from __future__ import annotations

from collections.abc import Iterable

from sokbo.korean.kiwi import tokenize
from sokbo.korean.title import compress_headline, cut_headline, strip_headline_tags
from sokbo.safetext import strip_markup

__all__ = ["compress_headline", "cut_headline", "dedupe_words", "fit_words", "make_heading",
           "noun_phrases", "strip_headline_tags"]

NOUNISH = {"NNG", "NNP", "NNB", "NR", "SN", "SL", "SH", "XSN", "XPN"}
CONTENT_HEAD = {"NNG", "NNP", "SN", "SL", "SH"}
# tokens a heading must not start or end with
WEAK_EDGE = {"NNB", "XSN", "XPN"}
SHORT_HEADING = 9  # characters: a heading shorter than this gets a second phrase
# nouns that make poor heading words (discourse and time words)
HEADING_STOP = {
    "반면", "한편", "이날", "당시", "이번", "지난달", "지난해", "올해", "내년", "오늘", "이후",
    "가운데", "경우", "때문", "관련", "등", "수", "것", "중", "뒤", "전", "후", "앞", "측",
    "씨", "다만", "또", "바", "데", "이", "그", "최근", "현재", "향후", "이상", "이하", "정도",
}


def dedupe_words(words: Iterable[str]) -> list[str]:
    """Drop any word that already appeared (a title or heading never repeats a word)."""
    seen: set[str] = set()
    out = []
    for w in words:
        if w not in seen:
            seen.add(w)
            out.append(w)
    return out


def fit_words(words: list[str], max_chars: int) -> str:
    """Join words, dropping from the end until the result fits."""
    while words and len(" ".join(words)) > max_chars:
        words = words[:-1]
    return " ".join(words)


def noun_phrases(sentence: str) -> list[str]:
    """Maximal runs of noun-like tokens, as written in the sentence ('해상풍력 단지 1조 원')."""
    sentence = strip_markup(sentence)  # "<img src=x …>" quoted in an article is no phrase
    tokens = tokenize(sentence)
    phrases: list[str] = []
    run: list = []

    def flush() -> None:
        while run and run[0].tag in WEAK_EDGE:
            run.pop(0)
        while run and run[-1].tag in WEAK_EDGE - {"NNB"}:
            run.pop()
        # a bare figure ("1" of "1∼10월") is no phrase: it needs a noun or a name
        if run and any(t.tag in CONTENT_HEAD - {"SN"} for t in run):
            phrases.append(sentence[run[0].start : run[-1].start + run[-1].len])
        run.clear()

    for t in tokens:
        if t.tag in NOUNISH:
            if run:
                gap = sentence[run[-1].start + run[-1].len : t.start]
                if gap not in ("", " "):
                    flush()
            run.append(t)
        else:
            flush()
    flush()
    return phrases


def _lone_syllable(word: str) -> bool:
    return len(word) == 1 and "가" <= word <= "힣"


def make_heading(sentences: list[str], weights: dict[str, float], max_chars: int = 24) -> str:
    """A short noun phrase for a card subtitle or section heading.

    Picks the most salient noun phrases of the sentences (by ``weights`` of their words), keeps
    them in reading order, and never repeats a word.
    """
    scored: list[tuple[float, int, str]] = []
    order = 0
    for s in sentences:
        for p in noun_phrases(s):
            words = p.split(" ")
            # discourse words and lone syllables (시, 대) make poor heading edges
            while words and (words[0] in HEADING_STOP or _lone_syllable(words[0])):
                words.pop(0)
            while words and (words[-1] in HEADING_STOP or _lone_syllable(words[-1])):
                words.pop()
            if not words:
                continue
            p = " ".join(words)
            score = sum(weights.get(w, 0.0) for w in words) / (1 + 0.15 * len(words))
            scored.append((score, order, p))
            order += 1
    if not scored:
        return ""
    # the most salient phrase, plus the runner-up when the first is too short to say much
    ranked = sorted(scored, key=lambda x: (-x[0], x[1]))
    best = [ranked[0]]
    if len(ranked[0][2]) < SHORT_HEADING:
        for cand in ranked[1:]:
            joined = dedupe_words(ranked[0][2].split(" ") + cand[2].split(" "))
            if cand[2] not in ranked[0][2] and len(" ".join(joined)) <= max_chars:
                best.append(cand)
                break
    best.sort(key=lambda x: x[1])
    words: list[str] = []
    for _, _, p in best:
        candidate = dedupe_words(words + p.split(" "))
        if len(" ".join(candidate)) <= max_chars:
            words = candidate
    if not words:
        words = fit_words(ranked[0][2].split(" "), max_chars).split(" ")
    return " ".join(words)
