"""What every rule sees: the parsed post, its sentences, cached Kiwi analyses and the sources."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sokbo.korean.kiwi import tokenize, tokenize_many
from sokbo.korean.sentences import split_sentences
from sokbo.lint.nlp import content_morphemes, normalise, quotes
from sokbo.lint.parse import Block, LintSentence, ParsedPost, TextRun
from sokbo.models import Article, Sentence
from sokbo.notices import is_notice

if TYPE_CHECKING:
    from kiwipiepy import Token

__all__ = ["PROSE_ROLES", "Context", "SourceSentence", "line_location"]

# Sentences that are prose (not a title, heading or card subtitle).
PROSE_ROLES = ("excerpt", "card", "card-key", "section")

# Block kinds whose text is part of the story (not the sources line or a call to action).
_ROLE_OF_BODY = {"card": "card", "key": "card-key", "heading": "section", "paragraph": "section"}
_GROUP_OF_ROLE = {"card": "cards", "card-key": "cards", "section": "sections"}


def line_location(line: int) -> str:
    return f"line {line}"


@dataclass(frozen=True, slots=True)
class SourceSentence:
    article_id: str
    index: int
    text: str


def _split_run(run: TextRun) -> list[tuple[str, int]]:
    """Sentences of a paragraph with their source lines; HTML newlines are only spaces."""
    flat = run.text.replace("\n", " ")
    return [(s.text, run.line_at(s.start)) for s in split_sentences(flat, "post")]


def _sentences(post: ParsedPost) -> list[LintSentence]:
    out: list[LintSentence] = []
    title = post.front("title")
    if isinstance(title, str) and title.strip():
        out.append(LintSentence(title.strip(), "title", "front-matter:title", 0, -1, "title"))
    excerpt = post.front("excerpt")
    if isinstance(excerpt, str):
        out.extend(
            LintSentence(s.text, "excerpt", "front-matter:excerpt", 0, 0, "excerpt")
            for s in split_sentences(excerpt.replace("\n", " "), "excerpt")
        )
    for para, block in enumerate(post.blocks, start=1):
        role = _ROLE_OF_BODY.get(block.kind)
        if role is None:
            continue
        if block.kind == "paragraph" and is_notice(block.text):
            # sokbo's fixed notice (the help line): its own words, no source's
            out.append(LintSentence(block.text, "notice", line_location(block.line), block.line,
                                    para, "notices"))
            continue
        group = _GROUP_OF_ROLE[role]
        if block.title:
            title_role = "card-subtitle" if block.kind == "card" else "heading"
            line = block.title_line
            out.append(
                LintSentence(block.title, title_role, line_location(line), line, para, group)
            )
        out.extend(
            LintSentence(text, role, line_location(line), line, para, group)
            for text, line in _split_run(block.body)
        )
    return out


def article_sentences(article: Article) -> Sequence[Sentence]:
    return article.sentences or split_sentences(article.text, article.id)


@dataclass
class Context:
    post: ParsedPost
    sources: tuple[Article, ...] = ()
    memo: dict[str, Any] = field(default_factory=dict)
    _tokens: dict[str, list[Token]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.post.sentences = _sentences(self.post)

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
