"""Speech style of draft sentences: 해라체 news prose → 합쇼체 blog prose.

Kiwi finds the final declarative ending (EF 다/ᆫ다/는다); only the characters of that ending and
the syllable before it are rewritten, so everything else stays byte-identical and a restyled
sentence can still be traced to its source span.

The research notes rebuilt the last word with ``Kiwi.join`` and an EF of '습니다'. Measured here,
join re-derives contractions and changes what the writer wrote (AI였다 → AI이었습니다,
체포되었다 → 체포됐습니다), so the spelling is edited directly on the Hangul syllables instead:
Kiwi decides *which* ending it is, arithmetic on the syllable decides how it is spelled.

:mod:`sokbo.korean.formal` builds on this for the other registers broadcast pages speak
(해요체, 해체, noun endings): ``to_formal`` gives 합쇼체 or None ("leave the sentence out").
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from sokbo.errors import InputError
from sokbo.korean.kiwi import tokenize, tokenize_many

if TYPE_CHECKING:
    from kiwipiepy import Token

__all__ = ["SpeechLevel", "speech_level", "style_table_accuracy", "to_polite", "to_polite_many"]

log = logging.getLogger(__name__)

SpeechLevel = Literal["plain", "polite", "other"]

# Kiwi tags that carry no morphology: punctuation, brackets, quotes, symbols.
_PUNCT_TAGS = frozenset({"SF", "SP", "SS", "SSO", "SSC", "SE", "SO", "SW"})
# 해라체 declarative endings as Kiwi spells them (jong-seong ᆫ, U+11AB): 다 / 한다 / 먹는다.
_PLAIN_EF = frozenset({"다", "\u11ab다", "는다"})
_OPEN_BRACKETS = {")": "(", "]": "[", "}": "{", "）": "（", "］": "［", "〕": "〔", "】": "【", "〉": "〈"}
_QUOTES = frozenset("\"'“”‘’「」『』«»《》″′")


def _ending_index(tokens: Sequence[Token], text: str) -> int | None:
    """Index of the last morpheme that ends the sentence, or None if the sentence ends in a quote.

    Trailing punctuation and one or more trailing bracket groups — ``기록했다 (+1.4%).``,
    ``밝혔다(KBS).`` — are skipped. A closing quote among the skipped text means the sentence ends
    inside a direct quote, which must not be restyled.
    """
    i = len(tokens) - 1
    while i >= 0:
        tok = tokens[i]
        if tok.tag not in _PUNCT_TAGS:
            break
        opener = _OPEN_BRACKETS.get(tok.form)
        if opener is not None:
            # skip back to the matching opening bracket, whatever the group holds
            depth, j = 0, i
            while j >= 0:
                if tokens[j].tag in _PUNCT_TAGS and tokens[j].form == tok.form:
                    depth += 1
                elif tokens[j].tag in _PUNCT_TAGS and tokens[j].form == opener:
                    depth -= 1
                    if depth == 0:
                        break
                j -= 1
            if j < 0:  # unbalanced: treat the bracket as ordinary punctuation
                j = i
            i = j - 1
            continue
        i -= 1
    if i < 0:
        return None
    end = tokens[i].start + tokens[i].len
    # Brackets were skipped as groups; a quote anywhere in the tail (outside a group or not)
    # means the last clause is quoted speech, so leave the sentence alone.
    if any(ch in _QUOTES for ch in text[end:]):
        return None
    return i


_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
_CODA_NIEUN, _CODA_RIEUL, _CODA_BIEUP = 4, 8, 17


def _coda(syllable: str) -> int | None:
    """Index of the final consonant of a Hangul syllable (0 = none), None for anything else."""
    code = ord(syllable)
    if not _HANGUL_FIRST <= code <= _HANGUL_LAST:
        return None
    return (code - _HANGUL_FIRST) % 28


def _with_coda(syllable: str, coda: int) -> str:
    code = ord(syllable) - _HANGUL_FIRST
    return chr(_HANGUL_FIRST + code - code % 28 + coda)


def _surface_polite(text: str, tokens: Sequence[Token], i: int) -> str | None:
    """``text`` up to the end of ending ``tokens[i]`` in 합쇼체, edited in place; None if unsure.

    Kiwi says which ending it is; the spelling change is done on the original characters, so
    contractions the writer used (의사였다, 체포되었다, AI였다) are kept exactly. Always the
    syllables 습니다/입니다 or a ㅂ coda set on the precomposed syllable, never the jamo ㅂ (U+3142).
    """
    ef = tokens[i]
    s = ef.start
    surface = text[s : s + ef.len]
    if ef.form == "는다" and surface == "는다":  # 먹는다, 돕는다, 짓는다
        return text[:s] + "습니다"
    if ef.form == "\u11ab다" and len(surface) == 2 and surface[1] == "다":
        # the ᆫ sits in the stem's last syllable: 한다 → 합니다, 만든다 → 만듭니다, 계신다 → 계십니다
        if _coda(surface[0]) == _CODA_NIEUN:
            return text[:s] + _with_coda(surface[0], _CODA_BIEUP) + "니다"
        return None
    if ef.form != "다" or surface != "다" or s == 0:
        return None
    prev = tokens[i - 1] if i > 0 else None
    if ef.tag == "MAG":  # see _is_misread_copula: 여기에서다 → 여기에서입니다
        return text[:s] + "입니다"
    if prev is not None and prev.tag == "VCP" and prev.len == 0:
        # copula dropped after a vowel or a symbol: 시기상조다, AI다, 2.1%다 → …입니다
        before = tokens[i - 2] if i > 1 else None
        if before is not None and before.form == "거" and before.tag == "NNB":
            return text[: s - 1] + "겁니다"  # 할 거다 → 할 겁니다, not the stilted 거입니다
        return text[:s] + "입니다"
    last = text[s - 1]
    coda = _coda(last)
    if coda is None:
        return None
    if coda in (0, _CODA_RIEUL):
        # 크다 → 큽니다, 아니다 → 아닙니다, 사실이다 → 사실입니다; ㄹ drops: 길다 → 깁니다
        return text[: s - 1] + _with_coda(last, _CODA_BIEUP) + "니다"
    return text[:s] + "습니다"  # 했다, 있다, 춥다, 그렇다, 의사였다


def _is_misread_copula(tokens: Sequence[Token], i: int) -> bool:
    """A final 다 glued to a particle or connective that Kiwi read as the adverb 다 (MAG).

    In 여기에서다 / 막혀서다 it can only be the copula 이다 with 이 dropped.
    """
    tok = tokens[i]
    if tok.tag != "MAG" or tok.form != "다" or i == 0:
        return False
    prev = tokens[i - 1]
    return (prev.tag.startswith("J") or prev.tag == "EC") and prev.start + prev.len == tok.start


def _final_plain_ending(text: str, tokens: Sequence[Token]) -> int | None:
    """Index of the sentence's final 해라체 declarative ending, or None if it has none."""
    i = _ending_index(tokens, text)
    if i is None:
        return None
    tok = tokens[i]
    # Kiwi tags a final 다 as EC when a bracket or an ellipsis follows (내렸다(…)., 아니다…)
    ok = tok.tag in ("EF", "EC") and tok.form in _PLAIN_EF
    ok = ok or _is_misread_copula(tokens, i)
    if not ok:
        return None
    tail = text[tok.start + tok.len :]
    if "?" in tail or "？" in tail:  # 또 오른다? is a rhetorical question, not a statement
        return None
    return i


def ends_inside_quote(text: str) -> bool:
    """True when a quotation opened in the sentence is still open at its end: the final
    ending is the speaker's words (a quote running over several sentences) and stays as is.

    Pages mix their quote marks ('…‘, “…"), so marks of one kind are counted together: an odd
    number of double (or of single) marks leaves a quote open.
    """
    doubles = sum(text.count(q) for q in "\"“”″＂")
    singles = sum(text.count(q) for q in "'‘’")
    return doubles % 2 == 1 or singles % 2 == 1


def _convert(text: str, tokens: Sequence[Token]) -> str:
    if ends_inside_quote(text):
        return text
    i = _final_plain_ending(text, tokens)
    if i is None:
        return text
    head = _surface_polite(text, tokens, i)
    if head is None:
        log.debug("style: cannot restyle the ending of %r", text)
        return text
    return head + text[tokens[i].start + tokens[i].len :]


def to_polite(sentence: str) -> str:
    """해라체 → 합쇼체: swap the final declarative ending, touching only the last word (eojeol).

    Sentences that must not change are returned unchanged: ones ending in a direct quote,
    questions, imperatives, noun-ending (명사형) sentences, sentences already polite.
    """
    if not sentence.strip():
        return sentence
    return _convert(sentence, tokenize(sentence))


def to_polite_many(sentences: Iterable[str]) -> list[str]:
    """``to_polite`` over many sentences, tokenized in one Kiwi call."""
    texts = list(sentences)
    if not texts:
        return []
    results = tokenize_many(texts)
    return [
        _convert(text, tokens) if text.strip() else text
        for text, tokens in zip(texts, results, strict=True)
    ]


def speech_level(sentence: str) -> SpeechLevel:
    """Classify the sentence ending.

    Returns:
        ``'plain'`` for a 해라체 declarative (…했다. / …이다.), ``'polite'`` for 합쇼체/해요체
        statements (…했습니다. / …해요.), ``'other'`` for questions (polite ones included),
        quote endings, noun endings, imperatives and fragments.
    """
    if not sentence.strip():
        return "other"
    tokens = tokenize(sentence)
    if _final_plain_ending(sentence, tokens) is not None:
        return "plain"
    i = _ending_index(tokens, sentence)
    if i is None:
        return "other"
    tail = sentence[tokens[i].start + tokens[i].len :]
    if "?" in tail or "？" in tail:
        return "other"
    last = tokens[i]
    if last.tag == "EF" and last.form.endswith(("니다", "요", "죠")):
        return "polite"
    if last.tag == "EC" and last.form.endswith("니다"):  # 했습니다… / 했습니다(…): Kiwi says EC
        return "polite"
    # 해요체 built on a connective: …했는데요. / …거든요. (Kiwi tags the 요 as a particle)
    if last.tag == "JX" and last.form == "요" and i > 0 and tokens[i - 1].tag.startswith("E"):
        return "polite"
    return "other"


def style_table_accuracy(path: str | Path | None = None) -> tuple[int, int]:
    """(exact matches, total) of ``to_polite`` over a TSV table ``plain\\tpolite\\tcategory``.

    The table lives in the repository (``tests/data/style_pairs.tsv``), not in the installed
    package, so the path must be given.
    """
    if path is None:
        raise InputError(
            "no pair table given: pass the path of a plain/polite TSV "
            "such as tests/data/style_pairs.tsv from the sokbo repository"
        )
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise InputError(f"cannot read the style pair table: {e.strerror}", source=str(path)) from e
    pairs: list[list[str]] = []
    for number, line in enumerate(lines[1:], start=2):  # line 1 is the header
        if not line.strip():
            continue
        row = line.split("\t")
        if len(row) < 2:
            raise InputError(f"line {number} needs a plain and a polite column", source=str(path))
        pairs.append(row)
    got = to_polite_many([row[0] for row in pairs])
    return sum(g == row[1] for g, row in zip(got, pairs, strict=True)), len(pairs)
