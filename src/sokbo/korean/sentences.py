"""Cleaned article text → sentences with offsets, one Kiwi call per article."""
from __future__ import annotations

from sokbo.korean.clean import TRAILING_HANJA
from sokbo.korean.kiwi import get_kiwi
from sokbo.models import Sentence


def split_sentences(text: str, source_id: str) -> list[Sentence]:
    """Split cleaned text (one paragraph per line) into sentences.

    Kiwi ignores newlines, so each line is split on its own; offsets are into ``text``.
    """
    lines: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            lines.append((pos, line))
        pos += len(line) + 1
    if not lines:
        return []
    kiwi = get_kiwi()
    spans: list[tuple[int, int]] = []
    for (offset, _line), sents in zip(
        lines, kiwi.split_into_sents([ln for _, ln in lines], return_sub_sents=False), strict=True
    ):
        for s in sents:
            spans.append((offset + s.start, offset + s.end))
    spans = _move_trailing_hanja(text, spans)
    spans = [(a, b) for a, b in spans if text[a:b].strip()]
    return [
        Sentence(text=text[a:b].strip(), source_id=source_id, index=i, start=a, end=b)
        for i, (a, b) in enumerate(spans)
    ]


def _move_trailing_hanja(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Kiwi attaches a sentence-initial 美/中/日 to the previous sentence; move it forward."""
    out = list(spans)
    for i in range(len(out) - 1):
        a, b = out[i]
        m = TRAILING_HANJA.search(text[a:b])
        if m and text[out[i + 1][0] - 1 : out[i + 1][0]] in (" ", ""):
            cut = a + m.start(2)
            out[i] = (a, cut)
            out[i + 1] = (cut, out[i + 1][1])
    return out
