"""Re-derive every post sentence from its sources: the writer's own proof of faithfulness.

A restyled sentence must be its source sentence in 합쇼체 with only its recorded rewrites
applied (each slot's words found where it says); a template sentence must re-render from slots
that are all copied from the sources; a notice must be sokbo's fixed wording.
"""
from __future__ import annotations

from collections.abc import Sequence

from sokbo.models import SOKBO_SOURCE, Article, Post, PostSentence, Slot

__all__ = ["check_post", "check_sentence"]


def _slot_found(slot: Slot, articles: dict[str, Article]) -> bool:
    """Whether a slot's words are where the slot says they were copied from."""
    article = articles.get(slot.source_id)
    if article is None:
        return False
    if slot.name == "connective":
        return True  # a removal: nothing was copied
    if slot.index < 0:
        if slot.name == "date" and article.published is not None:
            from sokbo.write.prepare import KST

            return slot.text == f"{article.published.astimezone(KST).day}일"
        return slot.text in article.title or slot.text == article.outlet
    if slot.index >= len(article.sentences):
        return False
    return slot.text in article.sentences[slot.index].text


def _restyled(ps: PostSentence, articles: dict[str, Article]) -> bool:
    from sokbo.korean.formal import to_formal

    source = articles[ps.source_id].sentences[ps.index].text
    expected = to_formal(source)
    if expected is None:
        return False
    for slot in ps.slots:
        if slot.name == "period":  # a full stop the source line lacked
            expected += "."
            continue
        if not _slot_found(slot, articles) or slot.original not in expected:
            return False
        expected = expected.replace(slot.original, slot.text, 1)
        if slot.name == "connective":
            expected = expected.lstrip()
    return expected == ps.text


def _quote(ps: PostSentence, articles: dict[str, Article]) -> bool:
    from sokbo.korean.transcript import attributed_quote, introduction, statements

    article = articles[ps.source_id]
    for turn in statements(article):
        if turn.sentences == (ps.index,):
            intro = introduction(turn.speaker, article)
            quote = attributed_quote(turn, intro) if intro is not None else None
            return quote is not None and quote.text == ps.text
    return False


def _short_quote(ps: PostSentence, articles: dict[str, Article]) -> bool:
    from sokbo.korean.transcript import quotative_particle, topic_particle
    from sokbo.write.polish import SHORT_QUOTE_TEMPLATE

    parts = {s.name: s for s in ps.slots}
    if set(parts) != {"surname", "title", "quote"}:
        return False
    if not all(_slot_found(s, articles) for s in ps.slots):
        return False
    who = f"{parts['surname'].text} {parts['title'].text}"
    words = parts["quote"].text
    return ps.text == SHORT_QUOTE_TEMPLATE.format(
        who=who, topic=topic_particle(who), words=words, quotative=quotative_particle(words))


def _joined_quote(ps: PostSentence, articles: dict[str, Article]) -> bool:
    """Two quotes of one answer of one speaker, named as the article introduces them (in
    full, or by the surname-and-role short form), in the joined template."""
    from sokbo.korean.transcript import introduction, speech_turns, statements
    from sokbo.write.polish import MAX_JOIN_GAP, render_joined, short_speaker

    article = articles[ps.source_id]
    words = [s for s in ps.slots if s.name == "quote"]
    names = [s for s in ps.slots if s.name != "quote"]
    if len(words) != 2 or not names or not all(_slot_found(s, articles) for s in ps.slots):
        return False
    first, second = words
    if first.index != ps.index or not 0 < second.index - first.index <= MAX_JOIN_GAP:
        return False
    said = {t.sentences[0]: t for t in statements(article)}
    a, b = said.get(first.index), said.get(second.index)
    if a is None or b is None or a.speaker != b.speaker:
        return False
    if [t.utterance.removesuffix(".") for t in (a, b)] != [first.text, second.text]:
        return False
    if not any({first.index, second.index} <= set(t.sentences) for t in speech_turns(article)):
        return False  # two answers, not one
    intro = introduction(a.speaker, article)
    if intro is None:
        return False
    full = tuple(Slot("speaker", span.text, article.id, span.sentence) for span in intro.spans)
    if all(s.name == "speaker" for s in names):
        who = " ".join(s.text for s in names)
        if who != intro.text:
            return False
    else:
        short = short_speaker(full)
        who = f"{names[0].text} {names[-1].text}" if len(names) == 2 else ""
        if short is None or short[0] != who:
            return False
    return render_joined(who, first.text, second.text) == ps.text


def _templated(ps: PostSentence, articles: dict[str, Article]) -> bool:
    from sokbo.write.conflicts import render_conflict

    if ps.template == "conflict":
        return (all(_slot_found(s, articles) for s in ps.slots)
                and render_conflict(ps.slots) == ps.text)
    return False


def check_sentence(ps: PostSentence, articles: dict[str, Article]) -> bool:
    """Whether one post sentence re-derives from the sources exactly."""
    if ps.source_id == SOKBO_SOURCE:
        from sokbo.write.safety import NOTICES

        return NOTICES.get(ps.template) == ps.text
    if ps.source_id not in articles:
        return False
    if ps.template == "":
        return _restyled(ps, articles)
    if ps.template == "quote":
        return _quote(ps, articles)
    if ps.template == "quote-short":
        return _short_quote(ps, articles)
    if ps.template == "quote-joined":
        return _joined_quote(ps, articles)
    return _templated(ps, articles)


def check_post(post: Post, articles: Sequence[Article]) -> list[PostSentence]:
    """The post's sentences that do not re-derive from ``articles`` (empty: all faithful)."""
    by_id = {a.id: a for a in articles}
    return [s for s in post.all_sentences()
            if s.origin == "source" and not check_sentence(s, by_id)]
