"""A reviewer's edits on top of a written post: kept through later runs, and marked as theirs.

The writer writes a post from the sources; the review page may then change its title or the
text of a sentence. Each edit is stored (``Store.edits``) with the writer's text it replaced.
When a run writes the story again, ``apply_edits`` puts every edit that still fits back on the
new post: the title always (the reviewer's call), a sentence when the writer still produces
the same sentence from the same source sentence. Edited sentences carry ``origin="reviewer"``,
so the provenance never claims a person's words came from a source.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sokbo.models import Card, Post, PostSentence, Section
from sokbo.store import Edit

TITLE = "title"


def sentence_target(source_sentence_id: str) -> str:
    return f"sentence:{source_sentence_id}"


@dataclass(frozen=True, slots=True)
class Applied:
    """What ``apply_edits`` did: the edits now on the post (their ``original`` is the writer's
    current text, their target where they now sit), the stored edit each one came from (same
    order), and the stored edits that no longer fit."""

    post: Post
    applied: tuple[Edit, ...]
    stored: tuple[Edit, ...]
    unapplied: tuple[Edit, ...]

    @property
    def title_edited(self) -> bool:
        return any(e.target == TITLE for e in self.applied)


def map_sentences(post: Post, fn: Callable[[PostSentence], PostSentence]) -> Post:
    """The post with ``fn`` applied to every sentence (excerpt, cards, sections)."""
    cards = tuple(
        Card(subtitle=c.subtitle, sentences=tuple(fn(s) for s in c.sentences),
             highlight=c.highlight, key_sentence=fn(c.key_sentence))
        for c in post.cards
    )
    sections = tuple(
        Section(heading=sec.heading,
                paragraphs=tuple(tuple(fn(s) for s in p) for p in sec.paragraphs))
        for sec in post.sections
    )
    return dataclasses.replace(post, excerpt=tuple(fn(s) for s in post.excerpt), cards=cards,
                               sections=sections)


def apply_edits(post: Post, edits: Sequence[Edit]) -> Applied:
    """Put the reviewer's edits on a freshly written post (see the module docstring).

    A sentence edit fits where the writer's sentence from that source sentence still reads
    as it did when the reviewer edited it; after the source gained or lost sentences before
    it, the same writer's text under another index is found too. A sentence whose source
    wording changed is not overwritten: the edit is returned as unapplied for the reviewer.
    """
    by_sid: dict[str, str] = {}
    for s in post.all_sentences():
        by_sid.setdefault(s.source_sentence_id, s.text)
    by_text = {text: sid for sid, text in by_sid.items()}
    applied: list[Edit] = []
    stored: list[Edit] = []
    unapplied: list[Edit] = []
    replace: dict[str, str] = {}  # source sentence id → reviewer's text
    for e in edits:
        if e.target == TITLE:
            applied.append(dataclasses.replace(e, original=post.title))
            stored.append(e)
            post = dataclasses.replace(post, title=e.text)
            continue
        sid = e.source_sentence
        if sid is None:
            unapplied.append(e)
            continue
        if by_sid.get(sid) != e.original:
            sid = by_text.get(e.original)
        if sid is None or sid in replace:
            unapplied.append(e)
            continue
        replace[sid] = e.text
        applied.append(dataclasses.replace(e, target=sentence_target(sid)))
        stored.append(e)

    def edit(s: PostSentence) -> PostSentence:
        text = replace.get(s.source_sentence_id)
        if text is None:
            return s
        return dataclasses.replace(s, text=text, origin="reviewer")

    if replace:
        post = map_sentences(post, edit)
    return Applied(post, tuple(applied), tuple(stored), tuple(unapplied))


def revert_edits(post: Post, edits: Sequence[Edit]) -> Post:
    """The post as the writer wrote it: every applied edit replaced by its original text."""
    originals = {e.source_sentence: e.original for e in edits if e.source_sentence}
    title = next((e.original for e in edits if e.target == TITLE), post.title)

    def revert(s: PostSentence) -> PostSentence:
        if s.origin != "reviewer":
            return s
        text = originals.get(s.source_sentence_id, s.text)
        return dataclasses.replace(s, text=text, origin="source")

    return map_sentences(dataclasses.replace(post, title=title), revert)
