"""What every rule sees: the parsed post, its sentences, cached Kiwi analyses and the sources."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sokbo.korean.kiwi import tokenize, tokenize_many
from sokbo.korean.sentences import split_sentences
from sokbo.lint.nlp import content_morphemes, normalise, quotes
from sokbo.lint.blocks import Block
from sokbo.lint.parse import LintSentence, ParsedPost, TextRun
from sokbo.models import Article, Sentence
from sokbo.notices import is_notice

if TYPE_CHECKING:
    from kiwipiepy import Token

__all__ = ["PROSE_ROLES", "Context", "SourceSentence", "line_location"]

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


def _split_all(runs: list[TextRun]) -> None:
    """Split every paragraph of the post in one Kiwi call (one call per paragraph costs more
    than the analysis itself) and leave each run its sentences."""
    todo = [r for r in dict.fromkeys(runs) if r._sentences is None]
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


def _sentences(post: ParsedPost, profile: str = "sokbo") -> list[LintSentence]:
    _split_all(_runs(post))
    cards = profile == "sokbo" or _lead_cards(post)
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
    memo: dict[str, Any] = field(default_factory=dict)
    _tokens: dict[str, list[Token]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.post.sentences = _sentences(self.post, self.profile)
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
