"""Data that flows through the pipeline: Article → Story → Post, each sentence with provenance."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a source article, with its offsets in the article's cleaned text."""

    text: str
    source_id: str
    index: int
    start: int = 0
    end: int = 0

    @property
    def id(self) -> str:
        return f"{self.source_id}#{self.index}"


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned source article."""

    id: str
    url: str
    title: str
    outlet: str
    published: datetime | None
    text: str
    sentences: tuple[Sentence, ...] = ()
    image: str | None = None
    category: str | None = None

    @property
    def content_hash(self) -> str:
        return content_hash(self.title, self.text)


def content_hash(*parts: str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


def article_id_for(url: str) -> str:
    """A stable id for an article, derived from its canonical URL."""
    return "a" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class Story:
    """Articles from one or more outlets about the same event."""

    id: str
    articles: tuple[Article, ...]

    @property
    def first_published(self) -> datetime | None:
        dates = [a.published for a in self.articles if a.published]
        return min(dates) if dates else None


@dataclass(frozen=True, slots=True)
class Slot:
    """Words of a post sentence that sokbo put there, and the source they were copied from.

    A rewrite (이날 → 20일) names the words it replaced in ``original``; a template's slot
    (an outlet, a figure) has none. ``index`` -1 means the article's own metadata (its date,
    its outlet) rather than one of its sentences.
    """

    name: str            # date | figure | outlet | subject | …
    text: str
    source_id: str
    index: int
    original: str = ""


# PostSentence.source_id of sentences sokbo adds itself (a fixed notice), never from a source
SOKBO_SOURCE = "sokbo"


@dataclass(frozen=True, slots=True)
class PostSentence:
    """A sentence of a post: the restyled text and the source sentence it came from.

    ``origin`` is ``source`` (the writer restyled the source sentence), ``reviewer`` (a person
    rewrote it on the review page; the source sentence is then the one it replaced) or
    ``sokbo`` (a fixed notice: sokbo's words, no source's).
    ``template`` is empty for a restyled source sentence (its ``slots`` then record any
    verified rewrite); otherwise it names the template the sentence was built from, every
    slot copied from a source and recorded, or a fixed notice (source ``SOKBO_SOURCE``).
    """

    text: str
    source_id: str
    index: int
    role: str = "body"
    origin: str = "source"
    template: str = ""
    slots: tuple[Slot, ...] = ()

    @property
    def source_sentence_id(self) -> str:
        return f"{self.source_id}#{self.index}"


@dataclass(frozen=True, slots=True)
class Card:
    subtitle: str
    sentences: tuple[PostSentence, ...]
    highlight: str
    key_sentence: PostSentence


@dataclass(frozen=True, slots=True)
class Section:
    heading: str
    paragraphs: tuple[tuple[PostSentence, ...], ...]


@dataclass(frozen=True, slots=True)
class SourceRef:
    article_id: str
    outlet: str
    title: str
    url: str
    published: datetime | None


@dataclass(frozen=True, slots=True)
class Post:
    """A blog post for one story; every sentence carries its provenance."""

    story_id: str
    title: str
    slug: str
    date: datetime
    excerpt: tuple[PostSentence, ...]
    cards: tuple[Card, ...]
    sections: tuple[Section, ...]
    sources: tuple[SourceRef, ...]
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ("News",)
    image: str = ""
    image_alt: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    # fixed notices after the sections (the suicide-prevention help line)
    notices: tuple[PostSentence, ...] = ()
    shape: str = "full"

    @property
    def excerpt_text(self) -> str:
        return " ".join(s.text for s in self.excerpt)

    def all_sentences(self) -> list[PostSentence]:
        """Every output sentence, in reading order (excerpt first)."""
        out = list(self.excerpt)
        for card in self.cards:
            out.extend(card.sentences)
            out.append(card.key_sentence)
        for section in self.sections:
            for para in section.paragraphs:
                out.extend(para)
        out.extend(self.notices)
        return out


def post_to_dict(post: Post) -> dict:
    """A JSON-able form of a Post (dates as ISO strings), for storage and re-rendering."""
    def ps(s: PostSentence) -> dict:
        d: dict = {"text": s.text, "source_id": s.source_id, "index": s.index, "role": s.role}
        if s.origin != "source":
            d["origin"] = s.origin
        if s.template:
            d["template"] = s.template
        if s.slots:
            d["slots"] = [slot_to_dict(x) for x in s.slots]
        return d

    return {
        "story_id": post.story_id,
        "title": post.title,
        "slug": post.slug,
        "date": post.date.isoformat(),
        "excerpt": [ps(s) for s in post.excerpt],
        "cards": [
            {"subtitle": c.subtitle, "sentences": [ps(s) for s in c.sentences],
             "highlight": c.highlight, "key_sentence": ps(c.key_sentence)}
            for c in post.cards
        ],
        "sections": [
            {"heading": s.heading, "paragraphs": [[ps(x) for x in p] for p in s.paragraphs]}
            for s in post.sections
        ],
        "sources": [
            {"article_id": s.article_id, "outlet": s.outlet, "title": s.title, "url": s.url,
             "published": s.published.isoformat() if s.published else None}
            for s in post.sources
        ],
        "tags": list(post.tags),
        "categories": list(post.categories),
        "image": post.image,
        "image_alt": post.image_alt,
        "notices": [ps(s) for s in post.notices],
        "shape": post.shape,
    }


def slot_to_dict(slot: Slot) -> dict:
    d = {"name": slot.name, "text": slot.text, "source_id": slot.source_id, "index": slot.index}
    if slot.original:
        d["original"] = slot.original
    return d


def post_from_dict(d: dict) -> Post:
    def ps(x: dict) -> PostSentence:
        return PostSentence(
            text=x["text"], source_id=x["source_id"], index=x["index"],
            role=x.get("role", "body"), origin=x.get("origin", "source"),
            template=x.get("template", ""),
            slots=tuple(Slot(y["name"], y["text"], y["source_id"], y["index"],
                             y.get("original", "")) for y in x.get("slots", ())),
        )

    return Post(
        story_id=d["story_id"],
        title=d["title"],
        slug=d["slug"],
        date=datetime.fromisoformat(d["date"]),
        excerpt=tuple(ps(x) for x in d["excerpt"]),
        cards=tuple(
            Card(subtitle=c["subtitle"], sentences=tuple(ps(x) for x in c["sentences"]),
                 highlight=c["highlight"], key_sentence=ps(c["key_sentence"]))
            for c in d["cards"]
        ),
        sections=tuple(
            Section(heading=s["heading"],
                    paragraphs=tuple(tuple(ps(x) for x in p) for p in s["paragraphs"]))
            for s in d["sections"]
        ),
        sources=tuple(
            SourceRef(article_id=s["article_id"], outlet=s["outlet"], title=s["title"],
                      url=s["url"],
                      published=datetime.fromisoformat(s["published"]) if s["published"] else None)
            for s in d["sources"]
        ),
        tags=tuple(d.get("tags", ())),
        categories=tuple(d.get("categories", ("News",))),
        image=d.get("image", ""),
        image_alt=d.get("image_alt", ""),
        notices=tuple(ps(x) for x in d.get("notices", ())),
        shape=d.get("shape", "full"),
    )
