"""Any sentence ending → 합쇼체, or a clear "cannot": the post speaks one register.

:mod:`sokbo.korean.style` turns 해라체 news prose (…했다) into 합쇼체 (…했습니다). Broadcast
pages also speak 해요체 (…않았는데요, …두 가지죠, …있어요) and 해체 (…했어, …이야), and
print pages end some sentences on a noun (…기획한 인물.). :func:`to_formal` writes each of those
in 합쇼체 when the result is correct Korean with the same meaning, and returns None otherwise
(questions, requests, fragments, endings whose nuance a 합쇼체 ending cannot keep), so the
writer leaves the sentence out. Only the last word changes; quoted words are never touched.

How the new ending is spelled:

- after a past or future marker (했어요, 하겠죠, 않았는데요) the ending is swapped on the
  surface: 했 + 습니다;
- otherwise the predicate's stem as Kiwi gives it (덥 for 더워요, 듣 for 들어요, 하 for 해요)
  takes 습니다 / ㅂ니다 (ㄹ dropped: 만들어요 → 만듭니다); the copula gives 입니다, 거예요 → 겁니다;
- a promise ㄹ게요 → 겠습니다; a report 대요/래요 → 다고 합니다/라고 합니다 (its own long form);
- a remembered past 더라고요/던데요 → the past tense (싸더라고요 → 쌌습니다);
- a noun ending after a topic (…은 … 생태공원.) takes 입니다.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from sokbo.errors import InputError
from sokbo.korean.kiwi import get_kiwi, made_from, tokenize, tokenize_many
from sokbo.korean.style import (
    _CODA_BIEUP,
    _CODA_RIEUL,
    _coda,
    _ending_index,
    _final_plain_ending,
    _surface_polite,
    _with_coda,
    ends_inside_quote,
)

if TYPE_CHECKING:
    from kiwipiepy import Token

__all__ = ["Register", "ending_register", "formal_table_accuracy", "to_formal", "to_formal_many"]

Register = Literal["hapsyo", "haeyo", "hae", "haera", "question", "quote", "other"]

_CODA_SSANG_SIOT = 20  # ㅆ: 했, 됐, 갔
PAST_OR_FUTURE = frozenset({"었", "았", "였", "겠", "었었"})
QUESTION = frozenset({
    "ᆯ까요", "을까요", "까요", "나요", "가요", "ᆫ가요", "은가요", "는가요", "ᆯ까", "을까", "니", "냐",
    "느냐", "으냐", "니까", "습니까", "ᆸ니까", "는지요", "ᆫ지요", "은지요", "ᆯ래요", "을래요", "ᆯ래",
    "을래", "는가", "ᆫ가", "은가", "나",
})
REQUEST = frozenset({
    "세요", "으세요", "십시오", "으십시오", "자", "읍시다", "ᆸ시다", "어라", "아라", "라", "렴",
    "려무나", "소서", "시죠", "으시죠",
})
REPORT = {"대요": "다고 합니다", "래요": "라고 합니다", "대": "다고 합니다", "래": "라고 합니다"}
REPORT_FORMS = frozenset({"대요", "ᆫ대요", "는대요", "래요", "대", "ᆫ대", "는대", "래"})
PROMISE = frozenset({"ᆯ게요", "을게요", "ᆯ게", "을게"})
REMEMBERED = frozenset({"더라고요", "더라구요", "더라고", "더라", "던데요", "던데", "더군요", "더군"})
# 해요체 and 해체 statement endings (and the 요 forms Kiwi splits into an ending plus JX 요)
INFORMAL = frozenset({
    "어요", "아요", "여요", "에요", "예요", "어", "아", "여", "야", "지요", "죠", "지", "네요", "네",
    "군요", "군", "구나", "구먼", "거든요", "거든", "잖아요", "잖아", "는데요", "ᆫ데요", "은데요", "고요",
    "다고요", "ᆫ다고요", "는다고요", "라고요", "ᆯ걸요", "을걸요", "ᆯ걸", "을걸",
}) | REPORT_FORMS | PROMISE | REMEMBERED
# endings a 합쇼체 statement cannot say with the same meaning: "…할 걸요" (a guess), "…냐고요"
UNCONVERTIBLE = frozenset({"ᆯ걸요", "을걸요", "ᆯ걸", "을걸", "다고요", "ᆫ다고요", "는다고요", "라고요"})
PREDICATE = ("VV", "VA", "VX", "XSV", "XSA", "VCP", "VCN")
HEARSAY = frozenset({"라고", "다고", "ᆫ다고", "는다고", "이라고", "자고", "냐고"})
# what may follow a statement's ending: a full stop, "!", an ellipsis, closing brackets
SENTENCE_END = re.compile(r"^\s*[)\]」』]*\s*(?:[.!]+|…+|\.\.+)[.!…]*\s*$")
HANGUL_WORD = re.compile(r"^[가-힣]+$")


def _ending(tokens: Sequence[Token], i: int, text: str) -> tuple[int, str] | None:
    """(index of the ending's first morpheme, the ending's form) for the final morpheme ``i``.

    Kiwi splits some 해요체 endings into an ending and a particle 요 (는데 + 요, 더라고 + 요).
    """
    tok = tokens[i]
    if tok.tag == "JX" and tok.form == "요" and i > 0:
        prev = tokens[i - 1]
        if prev.tag in ("EC", "EF") and prev.start + prev.len == tok.start:
            return i - 1, prev.form + "요"
        return None
    if tok.tag == "EF" or (tok.tag == "EC" and tok.form.endswith("요")):
        return i, tok.form
    return None


def _is_question(text: str, tokens: Sequence[Token], i: int) -> bool:
    tail = text[tokens[i].start + tokens[i].len:]
    return "?" in tail or "？" in tail


def ending_register(sentence: str) -> Register:
    """The register of a sentence's final ending (outside any quote).

    ``"hapsyo"`` …습니다/…입니다, ``"haeyo"`` …해요/…죠/…는데요, ``"hae"`` …했어/…이야,
    ``"haera"`` …했다, ``"question"``, ``"quote"`` (the sentence ends inside or with a quote),
    ``"other"`` (noun endings, requests, fragments).
    """
    if not sentence.strip():
        return "other"
    tokens = tokenize(sentence)
    if ends_inside_quote(sentence):
        return "quote"
    i = _ending_index(tokens, sentence)
    if i is None:
        return "quote"
    if _is_question(sentence, tokens, i):
        return "question"
    if _final_plain_ending(sentence, tokens) is not None:
        return "haera"
    last = tokens[i]
    if last.tag in ("EF", "EC") and last.form.endswith("니다"):
        return "hapsyo"
    found = _ending(tokens, i, sentence)
    if found is None:
        return "other"
    form = found[1]
    if form in QUESTION:
        return "question"
    if form in REQUEST or form not in INFORMAL:
        return "other"
    return "haeyo" if form.endswith(("요", "죠")) else "hae"


def _polite_stem(stem: str) -> str:
    """The 합쇼체 statement of a dictionary stem: 있 → 있습니다, 하 → 합니다, 만들 → 만듭니다."""
    last = stem[-1]
    coda = _coda(last)
    if coda == 0 or coda == _CODA_RIEUL:
        return stem[:-1] + _with_coda(last, _CODA_BIEUP) + "니다"
    return stem + "습니다"


def _formal_informal(text: str, tokens: Sequence[Token], i: int) -> str | None:
    found = _ending(tokens, i, text)
    if found is None:
        return None
    j, form = found
    if form not in INFORMAL or form in UNCONVERTIBLE:
        return None
    end = tokens[i].start + tokens[i].len
    rest = text[end:]
    if not SENTENCE_END.match(rest):
        return None  # "…것 같아" without a full stop: a line broken mid-sentence, or a subhead
    ending_start = tokens[j].start
    head = text[:end]
    if head.endswith("세요"):
        return None  # 하세요, 드세요: mostly a request
    k = j - 1
    if form in REPORT_FORMS or (k >= 0 and tokens[k].len == 0 and tokens[k].tag == "VV"):
        # 했대요 (Kiwi: 다고 + a hidden 하 + 어요), 한대요, 주민이래요: the long form
        for short, long in REPORT.items():
            if head.endswith(short):
                return head[: -len(short)] + long + rest
        return None
    if k >= 1 and tokens[k].form == "않" and text[tokens[k].start] == "잖":
        ending_start = tokens[k].start  # 알잖아요 = 알 + 지 + 않 + 아요: the 잖 is the ending
        k -= 2 if tokens[k - 1].form == "지" else 1
    markers: list[Token] = []
    while k >= 0 and tokens[k].tag == "EP":
        markers.insert(0, tokens[k])
        k -= 1
    if k < 0 or not tokens[k].tag.startswith(PREDICATE):
        return None
    stem = tokens[k]
    if not HANGUL_WORD.match(stem.form or "x") and stem.tag != "VCP":
        return None
    if markers:
        if markers[-1].form not in PAST_OR_FUTURE:
            return None  # 하세요 and the like: honorific present, mostly requests
        before = text[ending_start - 1] if ending_start > 0 else ""
        if not (before == "겠" or _coda(before) == _CODA_SSANG_SIOT):
            return None
        return text[:ending_start] + "습니다" + rest
    if form in PROMISE:
        if not stem.tag.startswith(("VV", "VX", "XSV")):
            return None
        return text[: stem.start] + stem.form + "겠습니다" + rest
    if form in REMEMBERED:
        if not stem.tag.startswith(("VV", "VA", "VX", "XSV", "XSA")):
            return None
        if stem.form == "하" and k > 0 and tokens[k - 1].form in HEARSAY:
            return text[: stem.start] + "합니다" + rest  # "…유행이라고 하던데요": hearsay
        past = get_kiwi().join([(stem.form, stem.tag.split("-")[0]), ("었", "EP"), ("습니다", "EF")])
        return text[: stem.start] + past + rest
    if stem.tag == "VCP":
        if k > 0 and tokens[k - 1].form == "거" and tokens[k - 1].tag == "NNB" \
                and text[stem.start - 1 : stem.start] == "거":
            return text[: stem.start - 1] + "겁니다" + rest  # 거예요 → 겁니다, as 거다 → 겁니다
        return text[: stem.start] + "입니다" + rest
    if stem.tag == "VCN":
        return text[: stem.start] + "아닙니다" + rest
    # the stem's spelling may be contracted with the ending (해요, 봐요, 더워요); all but its
    # last syllable must be as written, but for 르 stems whose 르 became ㄹ (달라요, 길러요)
    written = text[stem.start : stem.start + len(stem.form) - 1]
    expected = stem.form[:-1]
    if stem.form.endswith("르") and len(stem.form) >= 2 and _coda(stem.form[-2]) == 0:
        expected = stem.form[:-2] + _with_coda(stem.form[-2], _CODA_RIEUL)
    if not stem.len or written != expected:
        return None
    return text[: stem.start] + _polite_stem(stem.form) + rest


NOUN_END = frozenset({"NNG", "NNP", "NNB", "NR", "SN", "SL", "SH", "XSN"})
NOUN_TAIL = re.compile(r"^[%％]?\s*[.!]\s*$")


def _formal_noun_ending(text: str, tokens: Sequence[Token], i: int) -> str | None:
    """'이경우는 … 기획한 인물.' → '…인물입니다.': only a sentence with a topic (은/는)."""
    last = tokens[i]
    if last.tag not in NOUN_END:
        return None
    end = last.start + last.len
    rest = text[end:]
    if not NOUN_TAIL.match(rest):  # a headline-like fragment without a full stop
        return None
    if not any(t.tag == "JX" and t.form in ("은", "는") for t in tokens[:i]):
        return None
    cut = end + (1 if rest[:1] in "%％" else 0)
    return text[:cut] + "입니다" + text[cut:]


def _to_formal(text: str, tokens: Sequence[Token]) -> str | None:
    if not text.strip() or ends_inside_quote(text):
        return None
    i = _ending_index(tokens, text)
    if i is None or _is_question(text, tokens, i):
        return None
    plain = _final_plain_ending(text, tokens)
    if plain is not None:
        head = _surface_polite(text, tokens, plain)
        if head is None:
            return None
        return head + text[tokens[plain].start + tokens[plain].len:]
    last = tokens[i]
    if last.tag in ("EF", "EC") and last.form.endswith("니다"):
        return text  # already 합쇼체
    if last.tag in ("EF", "EC", "JX"):
        return _formal_informal(text, tokens, i)
    return _formal_noun_ending(text, tokens, i)


def to_formal(sentence: str) -> str | None:
    """The sentence in 합쇼체 (…습니다/…입니다), or None when it cannot be said so faithfully.

    A sentence already in 합쇼체 comes back unchanged. Questions, requests, fragments, quotes
    and endings without a 합쇼체 equivalent of the same meaning give None.
    """
    if not sentence.strip():
        return None
    return _made(sentence, _to_formal(sentence, tokenize(sentence)))


def to_formal_many(sentences: Iterable[str]) -> list[str | None]:
    """:func:`to_formal` over many sentences, analysed in one Kiwi call."""
    texts = list(sentences)
    if not texts:
        return []
    return [
        _made(text, _to_formal(text, tokens)) if text.strip() else None
        for text, tokens in zip(texts, tokenize_many(texts), strict=True)
    ]


def _made(sentence: str, formal: str | None) -> str | None:
    """The restyled sentence, its analysis to be made of the sentence's: only its ending
    changed (``korean.kiwi.made_from``)."""
    if formal is not None:
        made_from(sentence, formal)
    return formal


def formal_table_accuracy(path: str | Path) -> tuple[int, int]:
    """(exact, total) of :func:`to_formal` over the ``formal`` column of the pair table
    (``tests/data/style_pairs.tsv``; ``-`` means the sentence is not convertible)."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise InputError(f"cannot read the style pair table: {e.strerror}", source=str(path)) from e
    header = lines[0].split("\t") if lines else []
    if "formal" not in header:
        raise InputError("the pair table has no 'formal' column", source=str(path))
    col = header.index("formal")
    rows = [ln.split("\t") for ln in lines[1:] if ln.strip()]
    if any(len(r) <= col for r in rows):
        raise InputError("a row of the pair table has no formal form", source=str(path))
    got = to_formal_many([r[0] for r in rows])
    exact = sum((g if g is not None else "-") == r[col] for g, r in zip(got, rows, strict=True))
    return exact, len(rows)
