"""What every rule sees: the parsed post, its sentences, cached Kiwi analyses and the sources."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sokbo.korean.kiwi import tokenize, tokenize_many
from sokbo.korean.sentences import split_sentences
from sokbo.lint.nlp import content_morphemes, normalise, quotes
from sokbo.lint.blocks import Block
from sokbo.lint.parse import LintSentence, ParsedPost, TextRun
from sokbo.models import Article, Post, Sentence
from sokbo.notices import is_notice

if TYPE_CHECKING:
    from kiwipiepy import Token

__all__ = ["PROSE_ROLES", "Context", "KnownSplit", "SourceSentence", "line_location",
           "writer_split"]

# Paragraphs whose sentences the caller knows (it wrote them): paragraph text → its sentences
KnownSplit = Mapping[str, Sequence[str]]

# Sentences that are prose (not a title, heading or card subtitle). Table cells ("cell") are
# text of the post for the name and number look-ups, but mostly labels, not prose.
PROSE_ROLES = ("excerpt", "card", "card-key", "section")

# Block kinds whose text is part of the story (not the sources line or a call to action).
_ROLE_OF_BODY = {"card": "card", "key": "card-key", "heading": "section", "paragraph": "section",
                 "list": "section", "quote": "section", "table": "cell"}
_GROUP_OF_ROLE = {"card": "cards", "card-key": "cards", "section": "sections", "cell": "sections"}


def line_location(line: int) -> str:
    return f"line {line}"


@dataclass(frozen=True, slots=True)
class SourceSentence:
    article_id: str
    index: int
    text: str


def _split_run(run: TextRun) -> list[tuple[str, int]]:
    """Sentences of a paragraph with their source lines; HTML newlines are only spaces.
    Split once per run (several rules read the same paragraphs)."""
    cached = getattr(run, "_sentences", None)
    if cached is None:
        flat = run.text.replace("\n", " ")
        cached = [(s.text, run.line_at(s.start)) for s in split_sentences(flat, "post")]
        run._sentences = cached
    return cached


def writer_split(post: Post) -> dict[str, tuple[str, ...]]:
    """The paragraphs of a sokbo post as its writer wrote them, each with its sentences: the
    excerpt, each card's text and key sentence, each section paragraph (joined by one space,
    as every renderer joins them). A text two paragraphs split differently is left out."""
    paragraphs = [post.excerpt]
    for card in post.cards:
        paragraphs += [card.sentences, (card.key_sentence,)]
    paragraphs += [p for section in post.sections for p in section.paragraphs]
    known: dict[str, tuple[str, ...]] = {}
    ambiguous: set[str] = set()
    for paragraph in paragraphs:
        texts = tuple(s.text for s in paragraph)
        if not texts or any(not t or t != t.strip() for t in texts):
            continue
        key = " ".join(texts)
        if known.setdefault(key, texts) != texts:
            ambiguous.add(key)
    return {k: v for k, v in known.items() if k not in ambiguous}


def _known_split(flat: str, known: KnownSplit | None) -> list[tuple[str, int]] | None:
    """(sentence, offset in ``flat``) of a one-line paragraph the caller wrote, else None."""
    if not known:
        return None
    sentences = known.get(flat.strip())
    if sentences is None:
        return None
    out, at = [], len(flat) - len(flat.lstrip())
    for text in sentences:
        out.append((text, at))
        at += len(text) + 1
    return out


def _split_all(runs: list[TextRun], known: KnownSplit | None = None) -> None:
    """Split every paragraph of the post in one Kiwi call (one call per paragraph costs more
    than the analysis itself) and leave each run its sentences. A paragraph the caller wrote
    (``known``) keeps the sentences it was written as, without Kiwi."""
    todo = []
    for run in dict.fromkeys(runs):
        if run._sentences is not None:
            continue
        split = _known_split(" ".join(run.text.split("\n")), known)
        if split is None:
            todo.append(run)
        else:
            run._sentences = [(text, run.line_at(at)) for text, at in split]
    if not todo:
        return
    flats = [" ".join(r.text.split("\n")) for r in todo]
    starts, pos = [], 0
    for flat in flats:
        starts.append(pos)
        pos += len(flat) + 1
    sentences = split_sentences("\n".join(flats), "post")
    for run in todo:
        run._sentences = []
    k = 0
    for s in sentences:
        while k + 1 < len(starts) and s.start >= starts[k + 1]:
            k += 1
        run, offset = todo[k], starts[k]
        run._sentences.append((s.text, run.line_at(s.start - offset)))


def _runs(post: ParsedPost) -> list[TextRun]:
    return [r for b in post.blocks
            for r in (b.items if b.kind in ("list", "table") else [b.body])]


def _lead_cards(post: ParsedPost) -> bool:
    """Whether the post opens with FORMAT.md's summary cards (a red-subtitle paragraph and a
    blue key sentence before the first heading): then its cards are a summary in any profile;
    red text inside sections is only emphasis."""
    lead = []
    for block in post.blocks:
        if block.kind == "heading":
            break
        lead.append(block.kind)
    return any(a == "card" and b == "key" for a, b in zip(lead, lead[1:], strict=False))


def _sentences(post: ParsedPost, profile: str = "sokbo",
               known: KnownSplit | None = None) -> list[LintSentence]:
    _split_all(_runs(post), known)
    cards = profile == "sokbo" or _lead_cards(post)
    out: list[LintSentence] = []
    title = post.front("title")
    if isinstance(title, str) and title.strip():
        out.append(LintSentence(title.strip(), "title", "front-matter:title", 0, -1, "title"))
    excerpt = post.front("excerpt")
    if isinstance(excerpt, str):
        flat = excerpt.replace("\n", " ")
        split = _known_split(flat, known)
        texts = ([t for t, _ in split] if split is not None
                 else [s.text for s in split_sentences(flat, "excerpt")])
        out.extend(LintSentence(t, "excerpt", "front-matter:excerpt", 0, 0, "excerpt")
                   for t in texts)
    for para, block in enumerate(post.blocks, start=1):
        role = _ROLE_OF_BODY.get(block.kind)
        if role is None:
            continue
        if block.kind == "paragraph" and is_notice(block.text):
            # sokbo's fixed notice (the help line): its own words, no source's
            out.append(LintSentence(block.text, "notice", line_location(block.line), block.line,
                                    para, "notices"))
            continue
        if not cards and role in ("card", "card-key"):
            role = "section"  # another template's red text is emphasis, not a summary card
        group = _GROUP_OF_ROLE[role]
        if block.title:
            title_role = "card-subtitle" if block.kind == "card" else "heading"
            line = block.title_line
            out.append(
                LintSentence(block.title, title_role, line_location(line), line, para, group)
            )
        runs = block.items if block.kind in ("list", "table") else [block.body]
        out.extend(
            LintSentence(text, role, line_location(line), line, para, group)
            for run in runs
            for text, line in _split_run(run)
        )
    return out


def article_sentences(article: Article) -> Sequence[Sentence]:
    return article.sentences or split_sentences(article.text, article.id)


@dataclass
class Context:
    post: ParsedPost
    sources: tuple[Article, ...] = ()
    profile: str = "sokbo"
    known: KnownSplit | None = None  # paragraphs the caller wrote, already split (writer_split)
    memo: dict[str, Any] = field(default_factory=dict)
    _tokens: dict[str, list[Token]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.post.sentences = _sentences(self.post, self.profile, self.known)
        # one batch for Kiwi: every sentence the rules will read, analysed at once
        texts = list(dict.fromkeys(s.text for s in self.post.sentences))
        self._tokens.update(zip(texts, tokenize_many(texts), strict=True))

    @property
    def blocks(self) -> list[Block]:
        return self.post.blocks

    def tokens(self, text: str) -> list[Token]:
        """Kiwi tokens of a text, analysed once per lint run."""
        if text not in self._tokens:
            self._tokens[text] = tokenize(text)
        return self._tokens[text]

    @cached_property
    def source_sentences(self) -> list[SourceSentence]:
        return [
            SourceSentence(a.id, s.index, s.text)
            for a in self.sources
            for s in article_sentences(a)
        ]

    @cached_property
    def source_windows(self) -> list[tuple[SourceSentence, set[str]]]:
        """Content morphemes of every single source sentence, then of every two consecutive
        ones (single sentences first, so a tie names the one sentence that says it all)."""
        sents = self.source_sentences
        sets = [content_morphemes(t) for t in tokenize_many([s.text for s in sents])]
        pairs = [
            (sents[i], sets[i] | sets[i + 1])
            for i in range(len(sents) - 1)
            if sents[i + 1].article_id == sents[i].article_id
        ]
        return list(zip(sents, sets, strict=True)) + pairs

    @cached_property
    def source_text(self) -> str:
        """Every source's title and text, normalised for name and number look-ups."""
        return "\n".join(normalise(f"{a.title}\n{a.text}") for a in self.sources)

    @cached_property
    def source_quotes(self) -> list[str]:
        """Quotes of every source title and sentence: one stray apostrophe cannot pair up
        with a quote mark sentences away."""
        from sokbo.korean.transcript import speech_turns

        texts = [a.title for a in self.sources] + [s.text for s in self.source_sentences]
        # a transcript's speech is quoted words too, though the page writes no quote marks
        spoken = [" ".join(t.utterance.split()) for a in self.sources for t in speech_turns(a)]
        return [q for t in texts for q in quotes(t)] + spoken

    @cached_property
    def source_plain(self) -> str:
        """Every source's title and text with whitespace collapsed."""
        return "\n".join(" ".join(f"{a.title} {a.text}".split()) for a in self.sources)
