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
from sokbo.korean.kiwi import made_from, note_derived, tokenize, tokenize_many
from sokbo.korean.style import ends_inside_quote
from sokbo.models import Article, Sentence, Slot, Story
from sokbo.write import refer

KST = ZoneInfo("Asia/Seoul")
MIN_CHARS, MAX_CHARS = 12, 320
# a heading-like line before the body: "- 尹 우크라 관련 입장 변화", "잠적했다는 건 사실 아냐…"
SUBHEAD_MAX_CHARS = 45
MEANWHILE = re.compile(r"^한편\s*,?\s*")
_TRAILING = re.compile(r"(?:\s*(?:\([^()]*\)|\[[^\[\]]*\]|[.!?…\"'”’」』)\]]))+\s*$")


@dataclass(slots=True)
class Candidate:
    """One usable source sentence, as the post would say it."""

    sentence: Sentence
    article: int                       # rank of its article in the story
    text: str                          # 합쇼체, relative days made absolute (오늘(20일) → 20일)
    slots: tuple[Slot, ...] = ()       # the rewrites in ``text``
    template: str = ""                 # "quote": a speaker's words in the quote template
    turn: int = -1                     # a quote's turn (one answer) by its start offset
    answers: bool = False              # a reason answering the headline's why: may open a flow
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
    suicide: bool = False              # a story about a suicide (자살보도 권고기준 3.0)


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
    """A piece cut from a sentence: it opens with a particle, an ending or a bound noun
    ("는 2012년과…", "등 배 의원 지지자들의…")."""
    return bool(tokens) and (tokens[0].tag.startswith(("J", "E"))
                             or tokens[0].tag in ("XSN", "NNB"))


# a sound bite left inside a sentence of a page without line breaks: [이름/직함 : "…"]; an
# outlet's name in brackets mid-sentence marks sub-headlines glued before the lead
# ("… [서울경제] 여야가")
SOUND_BITE = re.compile(r"\[[^\[\]/]{1,24}/[^\[\]:：]{1,40}[:：]|\S\s+\[[가-힣A-Za-z]{2,8}\]\s")


# a programme's schedule plug ("…는 매주 금요일 밤 9시에 방송됩니다") and viewers'
# chat-room laughter ("누리ㅋㅋㅋ") are the page's, not the story's
PLUG = re.compile(r"매주\s?[월화수목금토일]{1,3}요일.{0,30}(?:방송|방영)(?:된다|됩니다|한다|합니다)|[ㅋㅎ]{2,}")
# a page's own help-line paragraph (often an outdated number): sokbo appends the current one
HELP_LINE = re.compile(r"(?:자살예방|생명의)\s?(?:상담)?전화|청소년\s?전화\s?1388|정신건강\s?위기")


# the outlet speaking of itself ("…저희와 통화가 됐습니다", "본지 취재 결과"): on a blog it reads
# as the blogger; quoted, it is somebody's words and stays
OWN_VOICE = re.compile(r"(?<![가-힣])(?:저희|본지)(?:들)?(?:가|는|은|와|의|를|에게|에|도|만|측|쪽)?"
                       r"(?=[\s.,]|$)")


def _outlets_own_voice(text: str) -> bool:
    return OWN_VOICE.search(_QUOTED.sub(" ", text)) is not None


def _glued_headlines(text: str, tokens) -> bool:
    """Sub-headlines a page without line breaks glued to a sentence ("…의결 韓, 법원에 가처분
    신청할 듯 지선 … 국민의힘이 끝내 …"): a … outside quotes after words with no verb ending."""
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    bare = _QUOTED.sub(lambda m: " " * len(m.group(0)), text)
    cut = bare.find("…")
    if cut < 0 or cut > len(bare) - 10:
        return False
    return not any(t.tag in ("EF", "EC") and t.start < cut
                   and not any(a <= t.start < b for a, b in quoted) for t in tokens)


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


def _made(source: str, text: str) -> str:
    """``text``, made of ``source`` by a local edit: analysed from its analysis."""
    made_from(source, text)
    return text


def _subheads(article: Article, first_usable: int) -> list[str]:
    """Short heading-like lines an article opens with (bullet summaries, 소제목)."""
    out = []
    for s in article.sentences[:first_usable]:
        t = s.text.lstrip("-–·■▶ ").strip()
        if not (4 <= len(t) <= SUBHEAD_MAX_CHARS and hangul_ratio(t) >= 0.5):
            continue
        if re.search(r"[다요죠까][.!?]?$|[?？]$", t):
            continue  # a sentence (a host's line, a question), not a heading
        out.append(t)
    return out


def _quotes(article: Article) -> dict[int, tuple[str, tuple[Slot, ...], int]]:
    """Speakers' complete statements as attributed quotes ('조원진 우리공화당 대표는 "…"고
    말했습니다.'), by the sentence they come from, with the start of the turn (the answer) they
    belong to; each slot is a span of the article."""
    from sokbo.korean.transcript import attributed_quote, introduction, speech_turns, statements

    out: dict[int, tuple[str, tuple[Slot, ...], int]] = {}
    intros: dict[str, object] = {}
    turn_of = {i: t.start for t in speech_turns(article) for i in t.sentences}
    for turn in statements(article):
        if turn.speaker not in intros:
            intros[turn.speaker] = introduction(turn.speaker, article)
        intro = intros[turn.speaker]
        quote = attributed_quote(turn, intro) if intro is not None else None
        if quote is None:
            continue
        slots = tuple(Slot("speaker", span.text, article.id, span.sentence)
                      for span in quote.who.spans)
        slots += (Slot("quote", quote.words.text, article.id, quote.words.sentence),)
        out[turn.sentences[0]] = (quote.text, slots, turn_of.get(turn.sentences[0], -1))
    return out


def _strip_meanwhile(text: str, sentence: Sentence) -> tuple[str, Slot] | None:
    """'한편 …' → '…': 한편 only marks a turn to another matter; said alone, it is noise."""
    m = MEANWHILE.match(text)
    if not m or len(text) - m.end() < MIN_CHARS:
        return None
    return text[m.end():], Slot("connective", "", sentence.source_id, sentence.index, m.group(0))


def prepare_story(story: Story) -> Material:
    """The story's usable sentences in story order (articles as given, sentences in order)."""
    from sokbo.korean.formal import to_formal_many
    from sokbo.korean.transcript import speech_indices
    from sokbo.write.conflicts import conflict_sentences, conflicted_sentences
    from sokbo.write.safety import unsafe_sentences

    titles = {re.sub(r"\s+", " ", a.title).strip() for a in story.articles}
    raw: list[tuple[int, Article, Sentence]] = []
    quoted: dict[str, tuple[str, tuple[Slot, ...], int]] = {}
    # figures the outlets disagree on: their sentences are left out, and each dispute is said
    # once, attributed, where the first outlet said it
    disputed, conflicts = conflicted_sentences(story)
    # a story about a suicide: no method, place, motive, note or glorifying line
    suicide, unsafe = unsafe_sentences(story)
    templated: dict[str, tuple[str, tuple[Slot, ...]]] = {}
    for text, slots in conflict_sentences(conflicts):
        anchor = f"{slots[2].source_id}#{slots[2].index}"
        templated.setdefault(anchor, (text, slots))
    for rank, article in enumerate(story.articles):
        speech = speech_indices(article)
        for index, quote in _quotes(article).items():
            quoted[article.sentences[index].id] = quote
        for s in article.sentences:
            t = s.text
            if s.id in quoted or s.id in templated:
                raw.append((rank, article, s))
                continue
            if s.id in disputed or s.id in unsafe:
                continue
            if s.index in speech:
                continue  # somebody's words, not the article's statements
            if not MIN_CHARS <= len(t) <= MAX_CHARS or hangul_ratio(t) < 0.5:
                continue
            if re.sub(r"\s+", " ", t).strip() in titles or _quote_piece(t) or _glued(t):
                continue
            raw.append((rank, article, s))
    tokens = tokenize_many([s.text for _, _, s in raw])
    keep = [(r, a, s) for (r, a, s), toks in zip(raw, tokens, strict=True)
            if s.id in quoted or s.id in templated
            or not (_fragment(toks) or _glued_headlines(s.text, toks)
                    or SOUND_BITE.search(s.text) or HELP_LINE.search(s.text)
                    or PLUG.search(s.text) or _outlets_own_voice(s.text))]
    formal = to_formal_many([s.text for _, _, s in keep])
    tokenize_many([t for t in formal if t])  # their edited endings in one Kiwi call
    cands: list[Candidate] = []
    where: dict[str, int] = {}
    for (rank, article, s), text in zip(keep, formal, strict=True):
        if s.id in templated:
            text, slots = templated[s.id]
            c = Candidate(sentence=s, article=rank, text=text, slots=slots, template="conflict")
        elif s.id in quoted:
            text, slots, turn = quoted[s.id]
            c = Candidate(sentence=s, article=rank, text=text, slots=slots, template="quote",
                          turn=turn)
        else:
            if text is None or not is_hapsyo(text):
                continue  # questions, requests, fragments: no 합쇼체 statement
            formal = text
            text, slots = _relative_days(text, s)
            formal = _made(formal, text)
            if not re.search(r"[.!?…\"'”’)\]]$", text):
                # pre-split corpora drop the full stop; without it sentences run together
                text = _made(formal, text + ".")
                slots.append(Slot("period", ".", s.source_id, s.index))
            c = Candidate(sentence=s, article=rank, text=text, slots=tuple(slots),
                          opener=(refer.opener(text) or refer.anaphor(text)
                                  or refer.additive(s.text, tokenize(s.text))),
                          people=refer.short_names(text),
                          elliptical=refer.elliptical(s.text, tokenize(s.text)))
            cut = refer.THIS_DAY.search(text)
            # a sentence naming its own day before 이날 ("6일 … 이날 오후") leans on nothing
            if cut and not refer.days_in(text[: cut.start()]):
                c.this_day = True
                day = resolve_this_day(article, s.index)
                if day is not None and c.opener is None and not c.elliptical:
                    c.standalone = _made(text, refer.THIS_DAY.sub(day.text, text, count=1))
                    c.standalone_slots = (*slots, day)
            stripped = _strip_meanwhile(text, s)
            if stripped is not None:
                c.text, meanwhile = stripped
                made_from(text, c.text)
                c.slots = (*slots, meanwhile)
                c.opener = (refer.opener(c.text) or refer.anaphor(c.text)
                            or refer.additive(s.text, tokenize(s.text)))
        prev = f"{s.source_id}#{s.index - 1}"
        c.previous = where.get(prev)
        where[s.id] = len(cands)
        cands.append(c)
    for c in cands:  # kept with the sentence's own analysis (korean.kiwi.pack_morphs)
        note_derived(c.sentence.text, (c.text, c.standalone or ""))
    tokenize_many([c.text for c in cands])  # all read later: their edited words in one call
    subheads: list[str] = []
    for article in story.articles:
        firsts = [c.sentence.index for c in cands if c.sentence.source_id == article.id]
        subheads += _subheads(article, firsts[0] if firsts else 0)
    return Material(story=story, cands=cands, subheads=subheads, suicide=suicide)
