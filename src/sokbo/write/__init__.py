"""Story → Post: the writer, one step per module.

    prepare   usable source sentences of every article           (prepare.py)
    score     salience of each sentence                           (salience.py)
    select    the most salient sentences, no claim twice          (select.py)
    lay out   excerpt, cards and sections                         (layout.py)
    phrase    title, card subtitles, section headings, highlights (phrase.py)

Every output sentence is a source sentence restyled to 합쇼체; headings and highlights are
phrases copied from those sentences. Nothing is invented, so nothing needs to be checked later.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from sokbo.errors import DraftError
from sokbo.korean.style import to_polite_many
from sokbo.models import Card, Post, PostSentence, Section, Story
from sokbo.write.layout import paragraphs
from sokbo.write.options import WriterOptions
from sokbo.write.phrase import choose_headline, heading, highlight, word_weights
from sokbo.write.prepare import Scored, candidate_sentences
from sokbo.write.salience import (
    BACK_REFERENCE,
    SALIENCE_WEIGHTS,
    content_terms,
    salience,
    score_sentences,
)
from sokbo.write.select import (
    choose_key_sentences,
    figures_of,
    is_same_claim,
    select_sentences,
)
from sokbo.write.slug import make_slug, source_ref

__all__ = [
    "BACK_REFERENCE",
    "SALIENCE_WEIGHTS",
    "Scored",
    "WriterOptions",
    "content_terms",
    "figures_of",
    "is_same_claim",
    "make_slug",
    "salience",
    "write_post",
]

KST = ZoneInfo("Asia/Seoul")


def write_post(story: Story, options: WriterOptions, *, slug: str | None = None,
               tags: Sequence[str] = ()) -> Post:
    """Write the post for a story; raises DraftError when the story has too little text."""
    cands = candidate_sentences(story)
    # excerpt (also the cards), two key sentences, two sections of two; a short story gets
    # the shortest excerpt the format allows rather than no post
    needed = 3 + 2 + 4
    if len(cands) < needed:
        raise DraftError(
            f"story too short for a post: {len(cands)} usable sentences, need {needed}",
            source=story.articles[0].url or story.id,
        )
    title = choose_headline(story, options.title_max_chars)
    sim = score_sentences(cands, story.articles[0].title)
    chosen = select_sentences(cands, sim, options.max_sentences)
    if len(chosen) < needed:
        raise DraftError(
            f"story too short for a post: {len(chosen)} distinct sentences, need {needed}",
            source=story.articles[0].url or story.id,
        )
    k = min(options.excerpt_sentences, len(chosen) - 6)
    weights = word_weights(cands)

    def ps(i: int, role: str) -> PostSentence:
        s = cands[i].sentence
        return PostSentence(text=polite[i], source_id=s.source_id, index=s.index, role=role)

    def story_order(idx: list[int]) -> list[int]:
        return sorted(idx, key=lambda i: (cands[i].article_rank, cands[i].sentence.index))

    key_idx = choose_key_sentences(cands, chosen, k, sim)
    ranked = [i for i in chosen if i not in key_idx]
    excerpt_idx = story_order(ranked[:k])
    used = chosen + [i for i in key_idx if i not in chosen]
    polite = dict(zip(used, to_polite_many([cands[i].sentence.text for i in used]), strict=True))
    rest = story_order(ranked[k:])

    split = (len(excerpt_idx) + 1) // 2
    card_groups = [excerpt_idx[:split], excerpt_idx[split:]]
    cards = []
    used_heading_words: set[str] = set()
    for group, key in zip(card_groups, key_idx, strict=True):
        texts = [polite[i] for i in group]
        cards.append(
            Card(
                subtitle=heading(texts, weights, used_heading_words),
                sentences=tuple(ps(i, "card") for i in group),
                highlight=highlight(" ".join(texts), weights),
                key_sentence=ps(key, "key"),
            )
        )

    n_sections = 3 if len(rest) >= 9 else 2
    per = math.ceil(len(rest) / n_sections)
    sections = []
    for s_i in range(n_sections):
        part = rest[s_i * per : (s_i + 1) * per]
        if len(part) < 2:
            break
        sections.append(
            Section(
                heading=heading([polite[i] for i in part], weights, used_heading_words),
                paragraphs=tuple(tuple(ps(i, "section") for i in p) for p in paragraphs(part)),
            )
        )
    first = story.first_published
    date = (first.astimezone(KST) if first else datetime.now(KST)).replace(microsecond=0)
    return Post(
        story_id=story.id,
        title=title,
        slug=slug or make_slug(title, story.id),
        date=date,
        excerpt=tuple(ps(i, "excerpt") for i in excerpt_idx),
        cards=tuple(cards),
        sections=tuple(sections),
        sources=tuple(source_ref(a) for a in story.articles),
        tags=tuple(tags),
        categories=options.categories,
        image=options.image,
        image_alt=options.image_alt,
    )
