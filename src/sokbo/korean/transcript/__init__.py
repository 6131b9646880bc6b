"""Speech in news pages: who says what, and how a post may quote it word for word.

Radio transcripts, TV reports and print articles put speech into the text in several shapes,
all read here as :class:`Turn` s (the label removed, the words verbatim):

- dialogue lines ``도하람: …``, ``▷한누리 : …``, ``한누리 변호사(이하 한누리): …``, ``한누리> …``
  (a turn runs to the next label; the first speaker of a dialogue is its host);
- TV sound bites ``[구병진/누리시 대변인 : "…"]`` and ``<마리아 로시 / 누리시 자매도시 시장> "…"``;
- a lower third ``인터뷰 : 한가람 / 누리마트 대리`` over the next line's ``- "…"``;
- the newsroom's own voice ``앵커: …``, ``기자: …`` (kind ``"newsroom"``: narrative, not quotes);
- any other run of sentences inside double quotes (speaker unknown).

The writer's API, all of it pure and faithful (nothing is added but the template's grammar):

``speech_turns(article)``
    every turn, with the indices of the article sentences it covers;
``speech_indices(article)``
    sentences that are somebody's words, never to be used as the article's own statements;
``statements(article)``
    one-sentence turns that stand alone as a complete statement (quotable);
``speaker_turn(text)``
    the turn a single labelled line or sentence holds, if any;
``introduction(speaker, article)``
    "도하람 누리당 대표": the full name and role as the article writes them, with where;
``attributed_quote(turn, intro)``
    '도하람 누리당 대표는 "…"고 말했습니다.', the particles chosen by grammar (은/는,
    고/라고/이라고), or None unless the words are one complete statement;
``check_quote(quote, article)``
    re-reads every slot of a :class:`Quote` from the article and re-renders it.

Offsets (:class:`Span`, ``Turn.start``/``end``) are into ``article.text``, like
``Sentence.start``/``end``; a span of the headline has ``sentence == TITLE`` and offsets into
``article.title``.
"""
from __future__ import annotations

from sokbo.korean.transcript.quotes import (
    QUOTE_TEMPLATE,
    TITLE,
    TITLES,
    Introduction,
    Quote,
    Span,
    attributed_quote,
    check_quote,
    introduction,
    quotative_particle,
    statements,
    topic_particle,
)
from sokbo.korean.transcript.turns import (
    Turn,
    TurnKind,
    speaker_turn,
    speech_indices,
    speech_turns,
)

__all__ = [
    "QUOTE_TEMPLATE",
    "TITLE",
    "TITLES",
    "Introduction",
    "Quote",
    "Span",
    "Turn",
    "TurnKind",
    "attributed_quote",
    "check_quote",
    "introduction",
    "quotative_particle",
    "speaker_turn",
    "speech_indices",
    "speech_turns",
    "statements",
    "topic_particle",
]
