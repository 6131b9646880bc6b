"""Grounding rules (SB6xx, only with sources): every sentence, name, number and quote of the post
must be found in a source article.

Support of a post sentence = share of its content morphemes (nouns, numbers, foreign words, roots,
verb and adjective stems) found in the best window of one or two consecutive source sentences.
A sentence restyled from 해라체 to 합쇼체 keeps all of them (score 1.0).
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from sokbo.lint.context import PROSE_ROLES, Context
from sokbo.lint.nlp import contains_mention, content_morphemes, mentions, quotes
from sokbo.lint.rules import Hit, SentenceSupport, rule

SUPPORT_THRESHOLD = 0.5


def sentence_support(ctx: Context) -> list[SentenceSupport]:
    """Best source window for each prose sentence of the post (computed once per lint run)."""
    if "support" in ctx.memo:
        return list(ctx.memo["support"])
    out: list[SentenceSupport] = []
    windows = ctx.source_windows
    for s in ctx.post.by_role(*PROSE_ROLES):
        morphs = content_morphemes(ctx.tokens(s.text))
        if not morphs:
            continue
        best, score = None, 0.0
        for source, window in windows:
            value = len(morphs & window) / len(morphs)
            if value > score:
                best, score = source, value
                if value == 1.0:
                    break  # the first window holding all of it: none can be better
        out.append(
            SentenceSupport(
                text=s.text,
                location=s.location,
                role=s.role,
                source_id=best.article_id if best else None,
                source_index=best.index if best else None,
                score=score,
            )
        )
    ctx.memo["support"] = out
    return list(out)


@rule(
    "SB601",
    "weak-support",
    "warning",
    f"a sentence with less than {SUPPORT_THRESHOLD:.0%} of its content in any source sentence",
    needs_sources=True,
)
def check_support(ctx: Context) -> Iterator[Hit]:
    for rec in sentence_support(ctx):
        if rec.score < SUPPORT_THRESHOLD:
            yield Hit(
                rec.location,
                rec.text,
                f"출처 문장과 겹치는 내용이 {rec.score:.0%}뿐입니다 (기준 {SUPPORT_THRESHOLD:.0%})",
                f"only {rec.score:.0%} of this sentence is found in a source sentence "
                f"(needs {SUPPORT_THRESHOLD:.0%})",
            )


@rule(
    "SB602",
    "unsupported-mention",
    "error",
    "a name, place or number that no source mentions",
    needs_sources=True,
)
def check_mentions(ctx: Context) -> Iterator[Hit]:
    seen: set[tuple[str, str]] = set()
    for s in ctx.post.sentences:
        if s.role == "notice":
            continue  # sokbo's fixed notice: a help line number, no source's claim
        for m in mentions(ctx.tokens(s.text), s.text):  # as written, not Kiwi's forms
            key = (s.location, m.text)
            if m.abbreviation or key in seen or contains_mention(ctx.source_text, m):
                continue
            seen.add(key)
            what_ko, what_en = ("이름", "name") if m.kind == "name" else ("숫자", "number")
            yield Hit(
                s.location,
                m.text,
                f"{what_ko} '{m.text}'이(가) 어느 출처에도 없습니다",
                f"{what_en} '{m.text}' appears in no source",
            )


def _quoted_in_sources(ctx: Context, quote: str) -> bool:
    """Part of a source quote, or the same words between quote marks anywhere in a source."""
    if any(quote in source for source in ctx.source_quotes):
        return True
    marks = "[\"“”'‘’]"
    return re.search(marks + re.escape(quote) + marks, ctx.source_plain) is not None


@rule(
    "SB603",
    "misquote",
    "error",
    "a direct quote that is not word for word in any source's quotes",
    needs_sources=True,
)
def check_quotes(ctx: Context) -> Iterator[Hit]:
    seen: set[tuple[str, str]] = set()
    for s in ctx.post.sentences:
        for q in quotes(s.text):
            key = (s.location, q)
            if key in seen or _quoted_in_sources(ctx, q):
                continue
            seen.add(key)
            yield Hit(
                s.location,
                q,
                "인용문이 출처의 인용과 글자 그대로 일치하지 않습니다",
                "direct quote does not match any quote in the sources word for word",
            )
