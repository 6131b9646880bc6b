"""Story → Post: the writer, one step per module, run top to bottom by ``write_post``.

    prepare   usable sentences, restyled, with what each leans on      (prepare.py, refer.py)
    score     salience: centrality, lead position, headline overlap    (salience.py)
    select    information first, no claim or quote twice               (select.py)
    order     the spine article's order, other outlets beside it       (order.py)
    lay out   shape, excerpt, cards, sections, paragraphs              (layout.py)
    phrase    title, headings, card subtitles, highlights              (phrase.py)
    polish    each sentence's wording where it stands (이날 → 20일)      (polish.py)
    safety    a suicide story: unsafe lines out, the help line in      (safety.py)

Every post sentence is a source sentence restyled to 합쇼체, any rewrite recorded as a slot
of its provenance; headings and highlights are phrases copied from the sources.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from sokbo.errors import DraftError
from sokbo.models import Card, Post, Section, Story
from sokbo.write.gather import gather_articles
from sokbo.write.layout import lay_out
from sokbo.write.options import WriterOptions
from sokbo.write.order import choose_spine, lead_with_answer, lead_with_claim, order_sentences
from sokbo.write.phrase import (
    Phraser,
    choose_title,
    highlight,
    supported_title,
    word_weights,
)
from sokbo.write.polish import post_sentences, shorten_speakers
from sokbo.write.prepare import Candidate, prepare_story
from sokbo.write.safety import notice
from sokbo.write.salience import (
    BACK_REFERENCE,
    SALIENCE_WEIGHTS,
    content_terms,
    salience,
    score_sentences,
)
from sokbo.write.select import (
    figures_of,
    information,
    is_same_claim,
    mark_answers,
    select_sentences,
)
from sokbo.write.slug import make_slug, source_ref

__all__ = [
    "BACK_REFERENCE",
    "SALIENCE_WEIGHTS",
    "Candidate",
    "WriterOptions",
    "content_terms",
    "figures_of",
    "is_same_claim",
    "make_slug",
    "salience",
    "write_post",
]

KST = ZoneInfo("Asia/Seoul")


def _speakers(sentences) -> list[str]:
    """How quoted speakers are named in these sentences (full and short forms)."""
    out = []
    for s in sentences:
        out.append(" ".join(x.text for x in s.slots if x.name == "speaker"))
        out += [x.text for x in s.slots if x.name in ("surname", "title")]
    return [x for x in out if x]


def write_post(story: Story, options: WriterOptions, *, slug: str | None = None,
               tags: Sequence[str] = ()) -> Post:
    """Write the post for a story; DraftError only when no article has a usable sentence.

    A story of more than ``options.max_sources`` articles is written from that many of them
    (``gather_articles``); the post's sources are the articles read.
    """
    first = story.first_published  # the story's, even when its first article is not read
    story = gather_articles(story, options.max_sources)
    material = prepare_story(story)
    cands = material.cands
    if not cands:
        raise DraftError("no usable sentence in the article text",
                         source=story.articles[0].url or story.id)
    headline = story.articles[0].title
    sim = score_sentences(cands, headline)
    mark_answers(cands, headline)
    values = [c.score * information(c, headline) for c in cands]
    spine = choose_spine(cands, values, len(story.articles))
    chosen = select_sentences(material, values, sim, options.max_sentences, spine=spine)
    if not chosen:  # nothing stands on its own but filler: the best sentence that can stand
        chosen = sorted((i for i, c in enumerate(cands) if not c.leans or c.standalone),
                        key=lambda i: -values[i])[:1]
    if not chosen:
        raise DraftError("no sentence of the article text can stand on its own",
                         source=story.articles[0].url or story.id)
    body = order_sentences(cands, chosen, sim, spine)
    claim_first = lead_with_answer(cands, lead_with_claim(cands, body,
                                                          content_terms([headline])[0]))
    lead = claim_first[0] if claim_first != body else None
    title = choose_title(story, options.title_max_chars)
    plan = lay_out(cands, claim_first, values, sim, excerpt_sentences=options.excerpt_sentences,
                   min_full=options.min_sentences_full,
                   min_compact=options.min_sentences_compact, title=title, lead=lead)

    phraser = Phraser(cands, story, [sum(sec, []) for sec in plan.sections], material.subheads,
                      values)
    weights = word_weights(cands)
    # the body in reading order (card paragraph, key sentence, …, then the sections)
    pieces: list[list] = []
    previous: int | None = None
    for para, key in plan.cards:
        pieces.append(post_sentences(cands, para, "card"))
        pieces.append(post_sentences(cands, [key], "key", after=para[-1]))
    for paragraphs in plan.sections:
        for p in paragraphs:
            pieces.append(post_sentences(cands, p, "section", after=previous))
            previous = p[-1]
    flat = shorten_speakers([s for piece in pieces for s in piece])
    pieces = [[flat.pop(0) for _ in piece] for piece in pieces]
    cards = []
    for n, (para, key) in enumerate(plan.cards):
        paragraph, key_sentence = pieces[2 * n], pieces[2 * n + 1]
        cards.append(Card(
            subtitle=phraser.heading(len(plan.sections), [*para, key]),
            sentences=tuple(paragraph),
            highlight=highlight(" ".join(s.text for s in paragraph), weights,
                                avoid=_speakers(paragraph)),
            key_sentence=key_sentence[0],
        ))
    rest = iter(pieces[2 * len(plan.cards):])
    sections = []
    for n, paragraphs in enumerate(plan.sections):
        written = tuple(tuple(next(rest)) for _ in paragraphs)
        sections.append(Section(heading=phraser.heading(n, [i for p in paragraphs for i in p]),
                                paragraphs=written))
    body_text = " ".join([*(c.subtitle for c in cards),
                          *(s.text for c in cards for s in (*c.sentences, c.key_sentence)),
                          *(sec.heading for sec in sections),
                          *(s.text for sec in sections for p in sec.paragraphs for s in p)])
    title = supported_title(story, title, body_text, options.title_max_chars)
    excerpt = shorten_speakers(post_sentences(cands, plan.excerpt, "excerpt", keep=3))
    date = (first.astimezone(KST) if first else datetime.now(KST)).replace(microsecond=0)
    return Post(
        story_id=story.id,
        title=title,
        slug=slug or make_slug(title, story.id),
        date=date,
        excerpt=tuple(excerpt),
        cards=tuple(cards),
        sections=tuple(sections),
        sources=tuple(source_ref(a) for a in story.articles),
        tags=tuple(tags),
        categories=options.categories,
        image=options.image,
        image_alt=options.image_alt,
        shape=plan.shape.name,
        # 자살보도 권고기준 3.0: a story about a suicide ends with where help is
        notices=(notice("notice-suicide"),) if material.suicide else (),
    )
