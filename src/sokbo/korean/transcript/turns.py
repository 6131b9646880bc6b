"""Speech turns: who says which words in a news page (labels, sound bites, quote runs)."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Literal

from sokbo.memo import by_identity
from sokbo.models import Article

TurnKind = Literal["newsroom", "host", "guest", "unknown"]


@dataclass(frozen=True, slots=True)
class Turn:
    """Words of one speaker: the label removed, the utterance exactly as written."""

    speaker: str  # the name in the label ("도하람", "구병진", "앵커"); "" when unknown
    utterance: str  # verbatim; a turn over several lines keeps their line breaks
    role: str = ""  # the role the label writes ("누리시 대변인"), "" if none
    kind: TurnKind = "guest"
    start: int = 0  # offsets of ``utterance`` in the article text (or in the text given)
    end: int = 0
    source_id: str = ""  # the article's id ("" for a turn read from a bare text)
    sentences: tuple[int, ...] = ()  # indices of the article sentences the utterance covers


# -- labels ----------------------------------------------------------------------------------

_NAME = r"[가-힣]{2,4}"
NEWSROOM = frozenset({"앵커", "기자", "리포터", "아나운서", "캐스터"})
# words that open "X : …" lines without being anybody's name (headers, captions, lists)
NOT_SPEAKERS = frozenset(
    "방송 방송일시 일시 일자 날짜 진행 진행자 사회 출연 출연자 대담 패널 프로그램 코너 제목 주제 장소 "
    "문의 출처 자료 사진 영상 편집 취재 참고 결론 요약 배경 이유 전문 주의 예시 기간 대상 내용 인터뷰 "
    "스탠딩 녹취 현장음 그래픽 촬영 구성 제작 연출 작가 주소 전화 기사 관련 정리 질문 답변 "
    "결과 목적 방법 일정 비용 가격 문제 원인 조건 기준 장점 단점 특징 순위 사례 시간 위치".split()
)
# credits are "X : name" lines too: "영상취재 : 한가람 기자", "영상편집: 도나래"
CREDIT_WORD = re.compile(r"(?:취재|편집|촬영|제공|출처|구성|제작|디자인|그래픽|자막)$")
# 도하람: … / ▷한누리 : … / 한누리 변호사(이하 한누리): … / 한누리> …
COLON_LABEL = re.compile(
    rf"^(?P<mark>[▷▶◇◆>]\s*)?(?P<name>{_NAME})(?P<role>(?:\s+[가-힣A-Za-z0-9·]{{1,12}}){{0,4}}?)"
    rf"(?:\s*\(이하\s*(?P<alias>{_NAME})\))?\s*(?:[:：]|>(?!>))\s*(?P<utt>\S.*)$",
    re.S,
)
# [구병진/누리시 대변인 : "…"] (KBS, SBS, YTN, JTBC sound bites)
BRACKET_LABEL = re.compile(
    r"^\[\s*(?P<name>[^/\[\]:：\"“]{1,24}?)\s*(?:/\s*(?P<role>[^\[\]:：\"“]{1,40}?)\s*)?[:：]"
    r"\s*(?P<utt>.+?)\s*\]$",
    re.S,
)
# <마리아 로시 / 누리시 자매도시 시장(화상 회견)> "…" (연합뉴스TV)
ANGLE_LABEL = re.compile(
    r"^<\s*(?P<name>[^/<>]{1,30}?)\s*/\s*(?P<role>[^<>]{1,60}?)\s*>\s*(?P<utt>\S.*)$", re.S
)
# a lower third over the next line's words: "인터뷰 : 한가람 / 누리마트 대리", "◀ 인터뷰 ▶ 홍길동/주민"
LOWER_THIRD = re.compile(
    r"^(?:(?P<kind>인터뷰|녹취|현장음|싱크|SYNC|INT|스탠딩|스탠드업)\s*[:：]|◀\s*(?P<kind2>[^▶]{1,10}?)\s*▶)"
    r"\s*(?P<name>[^/]{1,24}?)\s*(?:/\s*(?P<role>.{1,40}?))?\s*$",
    re.I,
)
STANDUP = frozenset({"스탠딩", "스탠드업"})
DOUBLE_QUOTES = "\"“”″＂"
QUOTE_EDGES = DOUBLE_QUOTES + "'‘’ -–—"
ANON = re.compile(r"[○◯●]|\*\*|^[가-힣]\s*[Xx]{2}$")


def _clean_name(name: str) -> str:
    return " ".join(name.split())


def _role(role: str | None) -> str:
    """The role a label writes, without a trailing parenthetical ('…시장(기자회견)')."""
    role = re.sub(r"\s*\([^)]*\)\s*$", "", (role or "").strip())
    return " ".join(role.split())


@dataclass(frozen=True, slots=True)
class _Label:
    speaker: str
    role: str
    kind: TurnKind
    shape: str  # "colon", "bracket", "angle", "lower"
    utt_start: int  # offset of the words in the line (lower thirds: len(line))
    utt_end: int
    marked: bool = False  # ▷-marked or "(이하 X)": a dialogue label even on its own
    name_span: tuple[int, int] = (0, 0)  # in the line
    role_span: tuple[int, int] = (0, 0)


def _label(line: str) -> _Label | None:
    """The speaker label a line opens with, if any."""
    m = BRACKET_LABEL.match(line)
    if m:
        name = _clean_name(m["name"])
        if not ANON.search(name) and not re.search(r"[가-힣A-Za-z]{2}", name):
            return None
        a, b = _unquote(line, m.start("utt"), m.end("utt"))
        return _named(name, _role(m["role"]), "bracket", a, b,
                      m.span("name"), m.span("role") if m["role"] else (0, 0))
    m = ANGLE_LABEL.match(line)
    if m:
        a, b = _unquote(line, m.start("utt"), m.end("utt"))
        return _named(_clean_name(m["name"]), _role(m["role"]), "angle", a, b,
                      m.span("name"), m.span("role"))
    m = LOWER_THIRD.match(line)
    if m:
        name = _clean_name(m["name"])
        kind = m["kind"] or m["kind2"] or ""
        if not name:
            return None
        if ANON.search(name):
            return _Label("", "", "unknown", "lower", len(line), len(line), True)
        turn_kind: TurnKind = "newsroom" if kind in STANDUP else _kind(name)
        return _Label(name, _role(m["role"]), turn_kind, "lower", len(line), len(line), True,
                      m.span("name"), m.span("role") if m["role"] else (0, 0))
    m = COLON_LABEL.match(line)
    if m:
        name = m["name"]
        if name in NOT_SPEAKERS or CREDIT_WORD.search(name):
            return None
        marked = bool(m["mark"] or m["alias"])
        return _Label(name, _role(m["role"]), _kind(name), "colon", m.start("utt"), len(line),
                      marked, m.span("name"), m.span("role") if m["role"].strip() else (0, 0))
    return None


def _named(name: str, role: str, shape: str, a: int, b: int, name_span: tuple[int, int],
           role_span: tuple[int, int]) -> _Label:
    """A sound bite's label; an anonymised name ("오○○") makes an unknown speaker."""
    if ANON.search(name):
        return _Label("", "", "unknown", shape, a, b, True)
    return _Label(name, role, _kind(name), shape, a, b, True, name_span, role_span)


def _kind(name: str) -> TurnKind:
    return "newsroom" if name in NEWSROOM else "guest"


def _unquote(line: str, a: int, b: int) -> tuple[int, int]:
    """Offsets of the words inside a sound bite's quote marks."""
    while a < b and line[a] in QUOTE_EDGES:
        a += 1
    while b > a and line[b - 1] in DOUBLE_QUOTES + "'’ ":
        b -= 1
    return a, b


def speaker_turn(text: str) -> Turn | None:
    """The turn a labelled line or sentence holds: ``"도하람: 지금 …"`` → Turn("도하람", "지금 …").

    A lower third alone ("인터뷰 : 한가람 / 누리마트 대리") holds no words and gives None, as
    does any text without a speaker label.
    """
    label = _label(text.strip())
    if label is None or label.utt_start >= label.utt_end:
        return None
    lead = len(text) - len(text.lstrip())
    a, b = lead + label.utt_start, lead + label.utt_end
    return Turn(label.speaker, text[a:b], label.role, label.kind, a, b)


# -- turns of an article ------------------------------------------------------------------------

@dataclass(slots=True)
class _Run:
    label: _Label | None
    pieces: list[tuple[int, int]]  # utterance spans in the article text


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


@by_identity
def speech_turns(article: Article) -> tuple[Turn, ...]:
    """Every turn of the article, in reading order, with the sentences each covers."""
    lines = _lines(article.text)
    labels = [(_label(line.strip()) if line.strip() else None) for _, line in lines]
    colon = [lb for lb in labels if lb is not None and lb.shape == "colon"]
    dialogue = len(colon) >= 2
    runs: list[_Run] = []
    current: _Run | None = None
    pending: _Label | None = None  # a lower third waiting for its words
    for (offset, line), label in zip(lines, labels, strict=True):
        stripped = line.strip()
        if not stripped:
            continue
        lead = offset + len(line) - len(line.lstrip())
        if label is not None and label.shape == "colon" and not (dialogue or label.marked):
            label = None
        if label is not None and label.shape == "colon" and label.kind == "newsroom":
            current = None  # "앵커: …" is the newsroom's own voice: narrative, not a quote
            continue
        if label is not None and label.shape == "lower":
            pending, current = label, None
            continue
        if label is not None:
            current = _Run(label, [(lead + label.utt_start, lead + label.utt_end)])
            runs.append(current)
            if label.shape != "colon":
                current = None  # a sound bite is one line
            continue
        if pending is not None and stripped[0] in DOUBLE_QUOTES + "-–—":
            a, b = _unquote(stripped, 0, len(stripped))
            runs.append(_Run(pending, [(lead + a, lead + b)]))
            pending = None
            continue
        pending = None
        if current is not None and dialogue:
            if any(lead <= s.start < lead + len(stripped) for s in article.sentences):
                current.pieces.append((lead, lead + len(stripped)))  # the speaker goes on
            continue
        current = None
    turns = [_turn(article, run) for run in runs]
    host = next((r.label.speaker for r in runs if dialogue and r.label is not None
                 and r.label.shape == "colon" and r.label.kind == "guest"), None)
    turns = [_as_host(t) if host and t.speaker == host else t for t in turns]
    covered = {i for t in turns for i in t.sentences}
    return tuple(sorted(turns + _quote_runs(article, covered), key=lambda t: t.start))


def _as_host(turn: Turn) -> Turn:
    return Turn(turn.speaker, turn.utterance, turn.role, "host", turn.start, turn.end,
                turn.source_id, turn.sentences)


def _turn(article: Article, run: _Run) -> Turn:
    assert run.label is not None
    start, end = run.pieces[0][0], run.pieces[-1][1]
    sentences = tuple(
        s.index for s in article.sentences
        if any(s.start < b and a < s.end for a, b in run.pieces)
    )
    return Turn(run.label.speaker, article.text[start:end], run.label.role, run.label.kind,
                start, end, article.id, sentences)


def _quote_parity(text: str) -> int:
    return sum(text.count(q) for q in DOUBLE_QUOTES) % 2


def _quote_runs(article: Article, covered: set[int]) -> list[Turn]:
    """Sentences inside double quotes that no label claims: words of an unnamed speaker.

    A quote opened in one sentence and closed in a later one makes every sentence it touches
    speech (the first and the last only partly, so neither stands alone either). A quote may
    run over one line break ("…한 시민은 “정말 좋아요" / "내년에도 … 싶어요”라고 말했다.").
    """
    sents = article.sentences
    line_starts = [o for o, _ in _lines(article.text)]
    out: list[Turn] = []
    run: list[int] = []
    open_line = -1
    for s in sents:
        line = bisect.bisect_right(line_starts, s.start) - 1
        if s.index in covered or (run and line not in (open_line, open_line + 1)):
            run = []  # labelled speech is read as turns; a quote spans one line break at most
            if s.index in covered:
                continue
        parity = _quote_parity(s.text)
        if run:
            run.append(s.index)
            open_line = line
            if parity:  # closed here
                out.append(_unknown(article, run))
                run = []
            continue
        whole = s.text[0] in DOUBLE_QUOTES and s.text.rstrip(".")[-1:] in DOUBLE_QUOTES
        if parity:
            run, open_line = [s.index], line
        elif whole:
            out.append(_unknown(article, [s.index]))
    return [t for t in out if not set(t.sentences) & covered]


def _unknown(article: Article, indices: list[int]) -> Turn:
    first, last = article.sentences[indices[0]], article.sentences[indices[-1]]
    return Turn("", article.text[first.start:last.end], "", "unknown", first.start, last.end,
                article.id, tuple(indices))


def speech_indices(article: Article) -> frozenset[int]:
    """Sentences that are somebody's words, never to be written as the article's statements.

    Lines labelled ``앵커:``/``기자:`` are not among them: they are the newsroom's narrative
    (:func:`~sokbo.korean.clean.sentence_core` skips the label); a reporter's quoted stand-up
    is (its quote marks would dangle).
    """
    return frozenset(i for t in speech_turns(article) for i in t.sentences)


