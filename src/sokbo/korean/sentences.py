"""Cleaned article text → sentences with offsets, one Kiwi call per article.

Every :class:`~sokbo.models.Sentence` is an exact span: ``text[start:end] == sentence.text``.
:func:`article_sentences` also leaves out page furniture that cleaning keeps in the article text
(broadcast sign-offs, credits, transcript headers; see :func:`~sokbo.korean.clean.sentence_core`):
the text stays what the page says, the sentences are what the article reports.
"""
from __future__ import annotations

import bisect
import re
from collections import OrderedDict
from dataclasses import dataclass

from sokbo.korean.clean import PHOTO_CREDIT, TRAILING_HANJA, TURN_BREAK, sentence_core
from sokbo.korean.kiwi import Morph, get_kiwi, pack_analyses
from sokbo.models import Sentence

# "…운영하고 있다. ‘하람’" + "은 이곳에 …": Kiwi ends the sentence after a quoted name that
# opens the next one; a particle right after it shows where it belongs
TRAILING_QUOTED = re.compile(r"[.!?]\s+([‘“'\"][^‘’“”'\"]{1,20}[’”'\"])\s*$")
PARTICLE_START = re.compile(r"^(?:은|는|이|가|을|를|의|에|와|과|도|로|으로|만|라는|이라는)(?:\s|$)")
# "…'바로 알려드립니다'" + "코너에서 …": a quoted title ending in a polite verb is no sentence end
TITLE_QUOTE_END = re.compile(r"[가-힣][’'”\"]$")


def split_sentences(text: str, source_id: str) -> list[Sentence]:
    """Split cleaned text (one paragraph per line) into sentences.

    Kiwi ignores newlines, so each line is split on its own; offsets are into ``text``.
    """
    spans, _ = _spans(text, keep_tokens=False)
    return [
        Sentence(text=text[a:b], source_id=source_id, index=i, start=a, end=b)
        for i, (a, b) in enumerate(spans)
    ]


@dataclass(frozen=True, slots=True)
class Analysis:
    """What one Kiwi pass over an article's text gives: its sentences, every morpheme of the
    text (offsets into the text) and, for each sentence, the range of ``tokens`` inside it
    (None for a sentence a morpheme crosses the edge of: it is analysed alone when needed)."""

    text: str
    sentences: tuple[Sentence, ...]
    spans: tuple[tuple[int, int] | None, ...]
    tokens: tuple[Morph, ...]

    def packed(self) -> str:
        """The sentences' morphemes as ``korean.kiwi.pack_analyses`` keeps them."""
        return pack_analyses([s.text for s in self.sentences],
                             [None if span is None else self.tokens[span[0]:span[1]]
                              for span in self.spans],
                             [s.start for s in self.sentences])


# the analyses of the last articles split (``analysis_of``): extraction splits an article, then
# its clustering terms and its kept analyses are read from the same pass
_RECENT: OrderedDict[str, Analysis] = OrderedDict()
RECENT_SIZE = 8


def article_sentences(text: str, source_id: str) -> list[Sentence]:
    """:func:`split_sentences` without page furniture and with leading markers skipped."""
    return list(analyse_article(text, source_id).sentences)


def analyse_article(text: str, source_id: str) -> Analysis:
    """:func:`article_sentences` with their morphemes, from one Kiwi pass (kept a while for
    :func:`analysis_of`)."""
    spans, tokens = _spans(text)
    out: list[Sentence] = []
    ranges: list[tuple[int, int] | None] = []
    for a, b in spans:
        core = sentence_core(text[a:b])
        if core is None:
            continue
        a, b = a + core[0], a + core[1]
        out.append(Sentence(text=text[a:b], source_id=source_id, index=len(out), start=a, end=b))
        ranges.append(_inside(tokens, a, b))
    found = Analysis(text, tuple(out), tuple(ranges), tuple(tokens))
    _RECENT[text] = found
    _RECENT.move_to_end(text)
    while len(_RECENT) > RECENT_SIZE:
        _RECENT.popitem(last=False)
    return found


def analysis_of(text: str) -> Analysis | None:
    """The analysis :func:`analyse_article` made of this text lately, if any."""
    return _RECENT.get(text)


def line_tokens(text: str, limit: int | None = None) -> list[Morph]:
    """Kiwi's morphemes of the lines of ``text`` (offsets into ``text``), each line analysed
    whole as :func:`analyse_article` analyses it; with ``limit``, of the lines starting before
    it only."""
    lines = _lines(text if limit is None else text[: text.find("\n", limit) % (len(text) + 1)])
    if not lines:
        return []
    new = tuple.__new__
    return [new(Morph, (t.form, t.tag, offset + t.start, t.len))
            for (offset, _), toks in zip(lines, get_kiwi().tokenize([ln for _, ln in lines]),
                                         strict=True)
            for t in toks]


def _inside(tokens: list[Morph], a: int, b: int) -> tuple[int, int] | None:
    """The range of ``tokens`` (in text order) within text[a:b]; None when a morpheme
    crosses an edge."""
    i = bisect.bisect_left(tokens, a, key=lambda t: t.start)
    if any(t.start + t.len > a for t in tokens[max(0, i - 3):i]):
        return None  # a morpheme begun before the sentence runs into it
    j = i
    for t in tokens[i:]:
        if t.start >= b:
            break
        if t.start + t.len > b:
            return None
        j += 1
    return i, j


def _lines(text: str) -> list[tuple[int, str]]:
    lines: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            lines.append((pos, line))
        pos += len(line) + 1
    return lines


def _spans(text: str, keep_tokens: bool = True) -> tuple[list[tuple[int, int]], list[Morph]]:
    """Sentence spans of the text, and Kiwi's morphemes of its lines (offsets into it; none
    without ``keep_tokens``: the linter splits a post and reads the sentences alone)."""
    lines = _lines(text)
    if not lines:
        return [], []
    kiwi = get_kiwi()
    spans: list[tuple[int, int]] = []
    tokens: list[Morph] = []
    new = tuple.__new__
    for (offset, _line), sents in zip(
        lines,
        kiwi.split_into_sents([ln for _, ln in lines], return_sub_sents=False,
                              return_tokens=keep_tokens),
        strict=True,
    ):
        line_spans = [(offset + s.start, offset + s.end) for s in sents]
        if keep_tokens:
            tokens.extend(new(Morph, (t.form, t.tag, offset + t.start, t.len))
                          for s in sents for t in s.tokens)
        line_spans = _merge_title_quotes(text, line_spans)
        spans.extend(line_spans)
    spans = _move_trailing_hanja(text, spans)
    spans = _move_trailing_quoted(text, spans)
    if any(ch in text for ch in "[◀【<ⓒ©"):  # the marks TURN_BREAK finds open so
        spans = _cut_at_marks(text, spans)
    if "ⓒ" in text or "©" in text:
        spans = _drop_credited_captions(text, spans)
    return [_tight(text, a, b) for a, b in spans if text[a:b].strip()], tokens


def _cut_at_marks(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans cut where a script marker or byline box stands (``clean.TURN_BREAK``), and never
    inside one: Kiwi reads "…했습니다. [기자] 네, …" or "…변수 [누리팩트ㅣ한누리 기자] 정부와 …"
    as one sentence, or ends one after the ◀ of "◀ 앵커 ▶". A span runs to the next one's
    start (the whitespace between is trimmed)."""
    marks = [(m.start(), m.end()) for m in TURN_BREAK.finditer(text)]
    if not marks or not spans:
        return spans
    starts = {a for a, _ in spans} | {a for a, _ in marks}
    cuts = sorted(x for x in starts if not any(a < x < b for a, b in marks))
    end = max(spans[-1][1], marks[-1][1])
    return [(a, b) for a, b in zip(cuts, [*cuts[1:], end], strict=True) if a < b]


# a photo caption's tense ("…를 홍보하고 있다.") or its title mark ("▲")
CAPTION_LIKE = re.compile(r"고\s?있(?:다|습니다)\.?\s*$|▲")


def _drop_credited_captions(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans without the photo captions a collapsed body keeps before their credit: "…
    다큐멘터리를 홍보하고 있다. ⓒ 유성호 "윤석열 무죄"를 …". A caption (a scene told as it
    goes on, -고 있다, or under a ▲ title) told as the story's lead would outweigh the lead."""
    credits = [m.start() for m in re.finditer(PHOTO_CREDIT, text)]
    if not credits:
        return spans
    out = []
    for a, b in spans:
        ends_at_credit = any(text[b:c].strip() == "" for c in credits if c >= b)
        if ends_at_credit and CAPTION_LIKE.search(text[a:b]):
            continue
        out.append((a, b))
    return out


def _tight(text: str, a: int, b: int) -> tuple[int, int]:
    """Offsets without surrounding whitespace."""
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _merge_title_quotes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join a 'sentence' that ends inside a quoted title with the rest of its line."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out:
            pa, pb = out[-1]
            prev = text[pa:pb].rstrip()
            if TITLE_QUOTE_END.search(prev) and _opens_title_quote(prev):
                out[-1] = (pa, b)
                continue
        out.append((a, b))
    return out


def _opens_title_quote(sentence: str) -> bool:
    """The sentence's last quote mark closes a quote it opened itself, mid-clause ('…내 '바로
    알려드립니다''), not a quoted line that is the whole sentence."""
    quote = sentence[-1]
    opener = {"’": "‘", "”": "“"}.get(quote, quote)
    at = sentence.rfind(opener, 0, len(sentence) - 1)
    return at > 0 and not re.search(r"[.!?]\s*$", sentence[:at])


def _move_trailing_hanja(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Kiwi attaches a sentence-initial 美/中/日 to the previous sentence; move it forward."""
    out = list(spans)
    for i in range(len(out) - 1):
        a, b = out[i]
        m = TRAILING_HANJA.search(text[a:b])
        if m and not text[b : out[i + 1][0]].strip():
            cut = a + m.start(2)
            out[i] = (a, cut)
            out[i + 1] = (cut, out[i + 1][1])
    return out


def _move_trailing_quoted(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Move a quoted word Kiwi left after a sentence's full stop to the sentence it opens."""
    out = list(spans)
    for i in range(len(out) - 1):
        a, b = out[i]
        m = TRAILING_QUOTED.search(text[a:b].rstrip())
        na, nb = out[i + 1]
        if m and PARTICLE_START.match(text[na:nb]) and "\n" not in text[b:na]:
            cut = a + m.start(1)
            out[i] = (a, cut)
            out[i + 1] = (cut, nb)
    return out
