"""Speech level of a post sentence: is its own final ending 합쇼체 (…습니다, …ㅂ니까)?

Judged by Kiwi's final-ending (EF) morpheme outside quotation marks: a quote keeps the
speaker's words, so only the narrating sentence's ending counts ("…했다"고 밝혔습니다 is fine).
"""
from __future__ import annotations

import re
from typing import Any

from sokbo.bench.editor.morph import PUNCT_TAGS, analyse

# 합쇼체 final endings as Kiwi writes them (ㅂ is the jamo ᆸ): 습니다 ᆸ니다 습니까 ᆸ니까
# (ᆸ)시오 (ᆸ)시다 읍시다; the suffixes cover every combination
FORMAL_SUFFIXES = ("니다", "니까", "시오", "시다")
# 해라체 final endings (plain written style, the sources' usual level)
PLAIN_ENDINGS = {"다", "는다", "ᆫ다", "ㄴ다", "라", "냐", "느냐", "니", "자", "는가", "ᆫ가",
                 "ㄴ가", "으냐", "려나", "다니", "구나", "는구나", "로구나"}
OPEN_QUOTES = "“‘「『\"'"
CLOSE_FOR = {"“": "”", "‘": "’", "「": "」", "『": "』", '"': '"', "'": "'"}
# pages mix the glyphs of one kind of mark ('가을 특집‘): any mark of the family closes
FAMILY = {"“": "“”\"", "\"": "“”\"", "‘": "‘’'", "'": "‘’'"}
TRAILING_NOTE = re.compile(r"\s*[(\[][^()\[\]]{0,40}[)\]]\s*[.!?]?\s*$")


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Character spans inside quotation marks (the marks included); unclosed quotes run to the
    end. Straight quotes pair up in order; an apostrophe inside a word is not a quote; a quote
    whose own closing mark never comes closes on the next mark of its family (' … ‘)."""
    spans, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch in OPEN_QUOTES:
            if ch == "'" and 0 < i < len(text) - 1 and text[i - 1].isalnum() \
                    and text[i + 1].isalnum():
                i += 1
                continue
            close = text.find(CLOSE_FOR[ch], i + 1)
            if close < 0 and ch in FAMILY:
                close = next((j for j in range(i + 1, len(text)) if text[j] in FAMILY[ch]), -1)
            end = len(text) if close < 0 else close + 1
            spans.append((i, end))
            i = end
        else:
            i += 1
    return spans


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def level_of(ending: str, next_forms: list[str]) -> str:
    """합쇼체 | 해요체 | 해라체 | 해체, from the final ending and what follows it."""
    if ending.endswith(FORMAL_SUFFIXES):
        return "합쇼체"
    if "요" in next_forms or ending.endswith(("요", "죠", "지요")):
        return "해요체"
    if ending in PLAIN_ENDINGS:
        return "해라체"
    return "해체"


def classify(sentence: str) -> dict[str, Any]:
    """{'level': 합쇼체|해요체|해라체|해체|no-ending|quote-only, 'ending': …}.

    ``quote-only``: the whole sentence is a quotation, so it has no narrating ending to judge.
    ``no-ending``: it stops on a noun, a connective ending or a fragment (not a sentence).
    """
    # "…있습니다(왼쪽 사진)." ends in a note, which the boilerplate check judges
    text = TRAILING_NOTE.sub("", sentence.strip()).rstrip()
    spans = quoted_spans(text)
    core = text.rstrip(".!?…~ ")
    if core and spans and spans[0][0] == 0 and spans[-1][1] >= len(core) \
            and len(spans) == 1:
        return {"level": "quote-only", "ending": ""}
    toks: list[Any] = list(analyse(text))
    outside = [t for t in toks if not _inside(t.start, spans)]
    # the last morpheme that is not punctuation decides
    body = [t for t in outside if t.tag not in PUNCT_TAGS]
    if not body:
        return {"level": "quote-only" if spans else "no-ending", "ending": ""}
    if body[-1].tag == "JX" and body[-1].form == "요" and len(body) > 1:
        # 요 after a connective ending (…는데요, …했고요) is 해요체 too
        return {"level": "해요체", "ending": body[-2].form + "요"}
    last_ef = max((i for i, t in enumerate(body) if t.tag == "EF"), default=None)
    if last_ef is None:
        return {"level": "no-ending", "ending": body[-1].form + "/" + body[-1].tag}
    after = body[last_ef + 1:]
    # only particles may follow the final ending: 요 (해요체), 만, 그려
    if any(not t.tag.startswith("J") for t in after):
        return {"level": "no-ending", "ending": body[-1].form + "/" + body[-1].tag}
    ending = body[last_ef].form
    return {"level": level_of(ending, [t.form for t in after]), "ending": ending}
