"""Step 1, prepare: every usable sentence of the story, restyled, with what it leans on.

A sentence is usable when it is a full statement in Korean that can be said in 합쇼체: not a
question, a fragment, a headline copy or a piece of a quote running over several sentences.
Each keeps its article's order, the predecessor it leans on (an opening 이에/그는/이 같은…),
the people it names by a short form, and a stand-alone wording when a verified rewrite can
free it from its predecessor (이날 → 20일, the day copied from the article).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sokbo.korean.clean import hangul_ratio
from sokbo.korean.kiwi import tokenize, tokenize_many
from sokbo.korean.style import ends_inside_quote, speech_level, to_polite_many
from sokbo.models import Article, Sentence, Slot, Story
from sokbo.write import refer

KST = ZoneInfo("Asia/Seoul")
MIN_CHARS, MAX_CHARS = 12, 320
# a heading-like line before the body: "- 尹 우크라 관련 입장 변화", "잠적했다는 건 사실 아냐…"
SUBHEAD_MAX_CHARS = 45
_TRAILING = re.compile(r"(?:\s*(?:\([^()]*\)|\[[^\[\]]*\]|[.!?…\"'”’」』)\]]))+\s*$")


@dataclass(slots=True)
class Candidate:
    """One usable source sentence, as the post would say it."""

    sentence: Sentence
    article: int                       # rank of its article in the story
    text: str                          # 합쇼체, relative days made absolute (오늘(20일) → 20일)
    slots: tuple[Slot, ...] = ()       # the rewrites in ``text``
    opener: str | None = None          # the connective or reference it opens with
    elliptical: bool = False           # has no subject of its own (the previous one's)
    this_day: bool = False             # says 이날 for a day named before it
    previous: int | None = None        # candidate index of its predecessor in the article
    standalone: str | None = None      # wording without the predecessor, when verified
    standalone_slots: tuple[Slot, ...] = ()
    people: list[refer.Person] = field(default_factory=list)   # short forms it uses
    terms: list[str] = field(default_factory=list)
    score: float = 0.0

    @property
    def leans(self) -> bool:
        """Whether it reads right only after its predecessor."""
        return self.opener is not None or self.this_day or self.elliptical

    @property
    def id(self) -> str:
        return self.sentence.id


@dataclass(slots=True)
class Material:
    """What the later steps work from: the candidates in story order and the articles'
    own sub-headings (lines before the body that read like headings)."""

    story: Story
    cands: list[Candidate]
    subheads: list[str] = field(default_factory=list)


def is_hapsyo(text: str) -> bool:
    """Whether a sentence ends in 합쇼체 (…니다), brackets and punctuation aside."""
    return _TRAILING.sub("", text).endswith("니다")


_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|‘[^’]*’|'[^']*'")
# two statements glued into one: "…내용이 담겼다. “엄마는…”고도 적혀 있었다."
_INNER_END = re.compile(r"[가-힣]다\.\s+\S")


def _glued(text: str) -> bool:
    """Two sentences the splitter left as one; only the last would be restyled."""
    return _INNER_END.search(_QUOTED.sub("", text)) is not None


def _fragment(tokens) -> bool:
    """A piece cut from a sentence: it opens with a particle or an ending ("는 2012년과…")."""
    return bool(tokens) and (tokens[0].tag.startswith(("J", "E")) or tokens[0].tag == "XSN")


def _quote_piece(text: str) -> bool:
    """The tail of a quote opened in an earlier sentence, or its open head."""
    if ends_inside_quote(text):
        return True
    return text.count("”") > text.count("“") or text.count("’") > text.count("‘")


def _day_of(article: Article) -> str | None:
    if article.published is None:
        return None
    return f"{article.published.astimezone(KST).day}일"


def resolve_this_day(article: Article, index: int) -> Slot | None:
    """The day 이날 stands for in sentence ``index``: the one day the nearest earlier sentence
    names, else the article's own date; None when that sentence names several days."""
    sentences = article.sentences
    for j in range(index - 1, -1, -1):
        days = refer.days_in(sentences[j].text)
        if len(days) == 1:
            return Slot("date", days[0], article.id, j, "이날")
        if days:
            return None
    day = _day_of(article)
    return Slot("date", day, article.id, -1, "이날") if day else None


def _relative_days(text: str, sentence: Sentence) -> tuple[str, list[Slot]]:
    """오늘(20일) → 20일: the day is in the sentence itself; a post is read on other days."""
    slots = [Slot("date", m.group(1), sentence.source_id, sentence.index, m.group(0))
             for m in refer.RELATIVE_DAY.finditer(text)]
    return refer.RELATIVE_DAY.sub(lambda m: m.group(1), text), slots


def _subheads(article: Article, first_usable: int) -> list[str]:
    """Short heading-like lines an article opens with (bullet summaries, 소제목)."""
    out = []
    for s in article.sentences[:first_usable]:
        t = s.text.lstrip("-–·■▶ ").strip()
        if 4 <= len(t) <= SUBHEAD_MAX_CHARS and hangul_ratio(t) >= 0.5 and not t.endswith("?"):
            out.append(t)
    return out


def prepare_story(story: Story) -> Material:
    """The story's usable sentences in story order (articles as given, sentences in order)."""
    titles = {re.sub(r"\s+", " ", a.title).strip() for a in story.articles}
    raw: list[tuple[int, Article, Sentence]] = []
    for rank, article in enumerate(story.articles):
        for s in article.sentences:
            t = s.text
            if not MIN_CHARS <= len(t) <= MAX_CHARS or hangul_ratio(t) < 0.5:
                continue
            if re.sub(r"\s+", " ", t).strip() in titles or _quote_piece(t) or _glued(t):
                continue
            raw.append((rank, article, s))
    tokens = tokenize_many([s.text for _, _, s in raw])
    levels = [speech_level(s.text) for _, _, s in raw]
    keep = [(r, a, s) for (r, a, s), lv, toks in zip(raw, levels, tokens, strict=True)
            if lv in ("plain", "polite") and not _fragment(toks)]
    polite = to_polite_many([s.text for _, _, s in keep])
    cands: list[Candidate] = []
    where: dict[str, int] = {}
    for (rank, article, s), text in zip(keep, polite, strict=True):
        if not is_hapsyo(text):
            continue  # 해요체 and endings the converter cannot restyle are left out
        text, slots = _relative_days(text, s)
        c = Candidate(sentence=s, article=rank, text=text, slots=tuple(slots),
                      opener=refer.opener(text), people=refer.short_names(text),
                      elliptical=refer.elliptical(s.text, tokenize(s.text)))
        cut = refer.THIS_DAY.search(text)
        # a sentence naming its own day before 이날 ("6일 … 이날 오후") leans on nothing
        if cut and not refer.days_in(text[: cut.start()]):
            c.this_day = True
            day = resolve_this_day(article, s.index)
            if day is not None and c.opener is None and not c.elliptical:
                c.standalone = refer.THIS_DAY.sub(day.text, text, count=1)
                c.standalone_slots = (*slots, day)
        prev = f"{s.source_id}#{s.index - 1}"
        c.previous = where.get(prev)
        where[s.id] = len(cands)
        cands.append(c)
    subheads: list[str] = []
    for article in story.articles:
        firsts = [c.sentence.index for c in cands if c.sentence.source_id == article.id]
        subheads += _subheads(article, firsts[0] if firsts else 0)
    return Material(story=story, cands=cands, subheads=subheads)
