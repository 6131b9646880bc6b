"""Step 6, phrase: the title, section headings, card subtitles and highlights.

A heading is a phrase a Korean editor would write, taken whole from the sources: an article's
own sub-heading, a clause of a headline (split at …), or a run of words of one sentence that
ends on the noun before its predicate ("26일에는 백악관에서 바이든 대통령과 정상회담"),
particles kept except the last; as a last resort a frame filled with a section's own words
("코레일 측 입장"). A run never stops before a word that turns its meaning (비자 | 없이), and no
two headings share their main noun. Highlights start and end on word boundaries.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sokbo.korean.headline import compress_headline, cut_headline
from sokbo.korean.kiwi import tokenize, tokenize_many
from sokbo.korean.title import UNDOING
from sokbo.models import Story
from sokbo.write.prepare import Candidate
from sokbo.write.refer import TITLES

NOUN = {"NNG", "NNP", "NNB", "NR", "SN", "SL", "SH", "XSN"}
CONTENT = {"NNG", "NNP", "SN", "SL", "SH", "NR", "XR"}
PREDICATE = {"VV", "VA", "VX", "XSV", "XSA", "VCP", "VCN"}
# words a heading does not open with: discourse words, determiners, time adverbs
WEAK_START = {
    "또", "또한", "특히", "한편", "이날", "당시", "이에", "이어", "다만", "아울러", "이후", "이번",
    "이", "그", "저", "해당", "모든", "각", "약", "총", "최근", "현재", "지난", "오는", "앞서",
    "오늘", "내일", "어제", "그제", "모레",
    "그러나", "하지만", "그런데", "그래서", "따라서", "이와", "이는", "이를", "반면", "결국", "즉",
    # postpositions made of nouns and verbs: "…을 기반으로", "…을 통해", "…에 대한"
    "기반", "기반으로", "통해", "위해", "대해", "대한", "위한", "통한", "관련해", "관련", "따라",
    "따른", "중심", "중심으로", "계기", "계기로", "대상", "대상으로", "상대로", "비롯해",
}
# the word after a run that would change its meaning if cut off: 비자 | 없이, and the verbs
# that hold back, undo or deny what the run names: "은퇴를 | 고민했지만" (she did not retire),
# "사살을 | 유예하라며" (the bear is not to be killed), "합의를 | 부인했다"
MEANING_AFTER = re.compile(r"^(?:없|아니|아닌|않|못|말고|제외|빼고|불가|금지|뿐|외에|대신|"
                           + UNDOING + ")")
HEADING_MAX = 24
# a headline clause this much about a section beats a one-word label from it
LABEL_FLOOR = 0.3
HEADING_MIN = 5
HIGHLIGHT_MAX = 18
CLAUSE_SPLIT = re.compile(r"\s*(?:…|\.\.\.|‥|ㆍ…|\s·\s|\s-\s|\|)\s*")
TAG = re.compile(r"^\s*[\[【〔<(][^\]】〕>)]{1,12}[\]】〕>)]\s*")
QUOTE_MARKS = re.compile(r"[\"'“”‘’「」『』]")
# a list's bullet inside a sentence ("…설명대로 △대형버스 주차를 …"): no heading crosses one
BULLET = re.compile(r"[△▲▽▼○●◇◆□■☞※]")
SAYS = re.compile(r"(밝혔|말했|설명했|강조했|주장했|전했|답했|지적했|덧붙였|항의했|해명했)습니다")


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    start: int
    end: int
    stem_end: int           # end without trailing particles
    tags: tuple[str, ...]
    forms: tuple[str, ...]

    @property
    def stem(self) -> str:
        return self.text[: self.stem_end - self.start]

    @property
    def noun_final(self) -> bool:
        """Ends (particles aside) on a noun, a number or a foreign word."""
        core = [t for t in self.tags if not t.startswith("J") and t not in ("SP", "SF", "SS",
                                                                             "SSO", "SSC", "SE")]
        return bool(core) and core[-1] in NOUN

    @property
    def predicate(self) -> bool:
        return any(t in PREDICATE or t.startswith("E") for t in self.tags)


# words() and runs() of the texts met, with the analysis they were made from: headings,
# highlights and titles read the same sentences again and again (a text analysed anew, its
# analysis dropped from Kiwi's cache, is read anew); forgotten when full
_WORDS: dict[str, tuple[list, tuple[Word, ...]]] = {}
_RUNS: dict[str, tuple[list, tuple[tuple[str, int, int], ...]]] = {}
MEMO_SIZE = 4096


def _recall(memo: dict, text: str, make):
    toks = tokenize(text)
    known = memo.get(text)
    if known is None or known[0] is not toks:
        if len(memo) >= MEMO_SIZE:
            memo.clear()
        known = memo[text] = (toks, tuple(make(text)))
    return list(known[1])


def words(text: str) -> list[Word]:
    """Whitespace words of a text with their Kiwi tags and the end of their stem."""
    return _recall(_WORDS, text, _words)


def _words(text: str) -> list[Word]:
    toks = tokenize(text)
    out = []
    k, n = 0, len(toks)
    for m in re.finditer(r"\S+", text):
        while k < n and toks[k].start < m.start():  # morphemes are in text order
            k += 1
        j = k
        while j < n and toks[j].start < m.end():
            j += 1
        inside = toks[k:j]
        stem_end = m.end()
        for t in reversed(inside):
            if t.tag.startswith("J") or t.tag in ("SF", "SP", "SE", "SSC", "SO"):
                stem_end = t.start
            else:
                break
        out.append(Word(m.group(), m.start(), m.end(), max(stem_end, m.start()),
                        tuple(t.tag for t in inside), tuple(t.form for t in inside)))
    return out


def main_noun(phrase: str) -> str:
    """The phrase's head: its last content noun."""
    nouns = [t.form for t in tokenize(phrase) if t.tag in ("NNG", "NNP", "SL")]
    return nouns[-1] if nouns else phrase


def terms_of(text: str) -> list[str]:
    return _content_terms(text)


def _content_terms(text: str) -> list[str]:
    return [t.form for t in tokenize(text) if t.tag in CONTENT]


COMMA = re.compile(",")
PAIRED_QUOTE = re.compile(r"\"([^\"]*)\"|“([^”]*)”|'([^']*)'|‘([^’]*)’|「([^」]*)」|『([^』]*)』")


# what somebody else says or suspects, said after the words it holds: a heading of them
# would state it as fact ("…이라는 목소리가 힘을 얻으면서", "…했다는 의혹이 제기")
HEARSAY = re.compile(r"(?:(?!(?:고|며|지만|는데|면서|으나)\s)[^.?!,]){0,30}?(?:라는|다는|란|단)\s"
                     r"(?:목소리|주장|의혹|지적|비판|우려|관측|"
                     r"분석|전망|평가|소문|얘기|말|설|추측|의견|비난|논란)(?![가-힣]{2})")
# a particle after a kept quote, spaced off it by speech_marks
QUOTE_PARTICLE = re.compile(r"([\"”’'』」])\s+(도|에|은|는|이|가|을|를|의|와|과|로|으로|에서|에게|"
                            r"라고|이라고|라며|이라며)(?=[\s,.]|$)")


def speech_marks(text: str) -> str:
    """Quote marks around somebody's words kept, around a single word dropped, and any left
    unpaired (a clause split inside a quote) dropped: as a heading, "곰 잘못 아니다" without
    its marks is the blog's own claim; '배후' is only a label."""
    def one(m: re.Match) -> str:  # spaced off: "시“계획대로 추진”" is no one word
        inner = next(g for g in m.groups() if g is not None)
        return f" {m.group(0) if ' ' in inner.strip() else inner} "

    text = _blank_outside_quotes(PAIRED_QUOTE.sub(one, text), QUOTE_MARKS)
    return QUOTE_PARTICLE.sub(r"\1\2", text)  # "‘보완수사권 폐지’도", not "…’ 도"


def _blank_outside_quotes(text: str, chars: re.Pattern) -> str:
    """``text`` with each character ``chars`` matches made a space, but inside paired quote
    marks: a headline's commas go, a quote's words stay as said ("“아가야, 미안해”")."""
    kept = [(m.start(), m.end()) for m in PAIRED_QUOTE.finditer(text)]
    return "".join(" " if chars.match(ch) and not any(a <= i < b for a, b in kept) else ch
                   for i, ch in enumerate(text))


def _close_at_splits(m: re.Match) -> str:
    """A quote the headline splits ("…알아...잠적은 아냐"): each part quoted on its own."""
    quote = m.group(0)
    return quote[0] + CLAUSE_SPLIT.sub(lambda x: quote[-1] + x.group(0) + quote[0],
                                       quote[1:-1]) + quote[-1]


def headline_clauses(story: Story) -> list[str]:
    """The clauses of every headline: tags dropped, split at … and ·; quote marks kept
    around somebody's words only (:func:`speech_marks`); a question keeps its mark ("'배후'
    자산가 구속?…" gives "배후 자산가 구속?", not an arrest that has not happened)."""
    out: list[str] = []
    for a in story.articles:
        title = PAIRED_QUOTE.sub(_close_at_splits, TAG.sub("", a.title))
        for clause in CLAUSE_SPLIT.split(title):
            clause = _blank_outside_quotes(speech_marks(clause), COMMA).strip(" .!")
            asks = clause.endswith(("?", "？"))
            clause = re.sub(r"\s+", " ", clause.rstrip("?？ .!")) + ("?" if asks else "")
            # the marks kept around somebody's words are no part of a heading's length
            if (HEADING_MIN <= len(QUOTE_MARKS.sub("", clause)) <= HEADING_MAX
                    and clause not in out):
                out.append(clause)
    return out


# a run ends on a content noun, or a number and its unit (27일)
END_TAGS = {"NNG", "NNP", "SL", "SH"}
BOUND_START = {"NNB", "XSN", "XSV", "XSA", "VCP"}
# what a heading may open with: a noun, a number, a name, a prefix, a determiner-free word
OPEN_TAGS = {"NNG", "NNP", "SN", "SL", "SH", "NR", "XPN", "NP"}


def _core(word: Word) -> list[tuple[str, str]]:
    return [(f, t) for f, t in zip(word.forms, word.tags, strict=True)
            if not t.startswith("J") and t not in ("SP", "SF", "SS", "SSO", "SSC", "SE", "SO")]


def _ends_well(word: Word) -> bool:
    core = _core(word)
    if not core:
        return False
    form, tag = core[-1]
    if form == "키" and len(core) > 1:
        return False  # "추진키로" is 추진하기로 clipped: a verb, not a noun
    if tag in END_TAGS:
        return True
    return tag == "NNB" and len(core) > 1 and core[-2][1] == "SN"  # 27일, 3천 명


def _opens_phrase(ws: list[Word], a: int) -> bool:
    """Whether a run may start at word ``a``: not inside a noun phrase (after a bare noun, a
    modifier or a genitive) and not on a bound word."""
    first = ws[a]
    if first.text in WEAK_START or first.stem in WEAK_START:
        return False
    if first.tags[0] not in OPEN_TAGS or any(t in PREDICATE or t.startswith("E")
                                             for t in first.tags):
        return False
    if a == 0:
        return True
    prev = ws[a - 1]
    last = prev.tags[-1]
    if prev.text.endswith((",", "…", ")", "\"", "”", "’", "'")):
        return True
    return last.startswith(("J", "E")) and last not in ("JKG", "ETM")


# verbs that work as postpositions: "유족을 | 위해", "정부에 | 대해" end no clause
POSTPOSITION_VERBS = re.compile(r"^(?:위해|위한|대해|대한|통해|통한|따라|따른|관련해|관련한|비롯해|"
                                r"향해|향한|두고|놓고|앞두고|거쳐|걸쳐|비해|비하면|비교해)")
# words a heading does not end on: adverbial nouns and time words ("…아들을 동시", "…처음")
WEAK_END = {"동시", "처음", "이후", "당시", "최근", "현재", "이번", "오늘", "이날", "가운데",
            "경우", "때문", "정도", "이상", "이하", "사이", "중", "속", "뒤", "후", "전", "앞",
            "측", "조기", "일부", "특정", "각종",
            # objects of idioms, meaningless without their verb: 세상을 떠나다, 고개를 숙이다
            "세상", "고개", "눈물", "목소리", "눈길", "박수", "발걸음", "머리", "입", "귀",
            "손", "막", "불", "기름", "힘", "첫발", "첫걸음", "얼굴", "무게", "무릎"}


def _closes_clause(word: Word, after: Word | None = None) -> bool:
    """A predicate that ends a clause (not a modifier of a noun that follows, except in a
    periphrasis: 방문할 수 있다, 떠날 것이다; not a postposition: 유족을 위해)."""
    if not any(t in PREDICATE for t in word.tags) or POSTPOSITION_VERBS.match(word.text):
        return False
    if word.tags[-1] in ("EC", "EF", "SF", "SP", "ETN"):
        return True
    return word.tags[-1] == "ETM" and after is not None and after.tags[0] == "NNB"


def _inner_subject(word: Word) -> bool:
    """A topic or subject particle (은/는/이/가) inside a heading makes it a clause; a
    demonstrative (이 곰, 그 편지) points outside it."""
    return any(t == "JKS" or (t == "JX" and f in ("은", "는", "ᆫ")) or t == "MM"
               for f, t in zip(word.forms, word.tags, strict=True))


def runs(text: str) -> list[tuple[str, int, int]]:
    """Heading-like runs of a sentence: (phrase, first word index, last word index).

    A run ends on a noun (particles dropped) that is not cut from a meaning-bearing word
    after it, holds no clause ending and no topic or subject inside, and opens where a
    phrase can open.
    """
    return _recall(_RUNS, text, _runs)


def _runs(text: str) -> list[tuple[str, int, int]]:
    ws = words(text)
    out = []
    for b, last in enumerate(ws):
        if not _ends_well(last) or last.text.endswith(",") or last.stem in WEAK_END:
            continue
        if len(last.stem) < 2 and b > 0:
            continue  # "…오랜 연(을 맺다)": one syllable after a modifier is a word cut short
        if b + 1 < len(ws) and MEANING_AFTER.match(ws[b + 1].text):
            continue
        if b + 1 < len(ws) and ws[b + 1].tags[0] in NOUN and "VCP" in ws[b + 1].tags:
            continue  # "특정 | 품종이다": the noun phrase goes on into the copula's noun
        if (b + 1 < len(ws) and last.stem_end == last.end
                and ws[b + 1].tags[:2] == ("NNG", "XSV")):
            continue  # "계획을 공식 | 발표했다": a bare noun before a verbal noun modifies it
        if b + 1 < len(ws) and not _closes_clause(ws[b + 1], ws[b + 2] if b + 2 < len(ws)
                                                  else None):
            continue  # the noun is inside a longer phrase ("처음 | 생긴 이후", "이번 | 회담에서")
        if HEARSAY.match(text, last.end):
            continue  # "…인종 차별에서 비롯된 것이라는 목소리가": somebody's view, not a fact
        for a in range(b, -1, -1):
            first = ws[a]
            if a != b and (any(t in ("EC", "EF") for t in first.tags)
                           or first.text.endswith(",") or _inner_subject(first)):
                break
            phrase = text[first.start : last.stem_end]
            if len(phrase) > HEADING_MAX:
                break
            if (QUOTE_MARKS.search(phrase) or "(" in phrase or ")" in phrase
                    or BULLET.search(phrase)):
                continue
            if not _opens_phrase(ws, a):
                continue
            stems = [w.stem for w in ws[a : b + 1]]
            if len(set(stems)) < len(stems):
                continue  # a heading never says a word twice
            if _adverb_without_verb(ws[a : b + 1]):
                continue
            if len(phrase) >= HEADING_MIN:
                out.append((phrase, a, b))
    return out


def _adverb_without_verb(span: Sequence[Word]) -> bool:
    """A run whose adverb is followed by bare nouns only, the verb it modified cut away:
    "집중적으로 관광객", "우발적으로 발생한 것으로 경위", "힘들 정도로 한파", "앞으로 조사
    과정" (…이 몰렸다, …에 참작할, …가 이어졌다, …에서 규명될). An adverb of manner or degree
    (-적으로, 것으로, 정도로, 앞으로) needs its verb; another noun with 로 may modify the noun
    of an action after it ("예방접종 핑계로 장인어른 접견", "일본·중국 등지로 수출")."""
    for p in range(len(span) - 2, -1, -1):
        w = span[p]
        if w.stem_end == w.end and w.noun_final:
            continue
        if len(w.tags) < 2 or w.tags[-1] != "JKB" or w.forms[-1] not in ("으로", "로"):
            return False
        return (w.tags[-2] == "XSN" and w.forms[-2] == "적") or w.forms[-2] in ("것", "정도", "앞")
    return False


def said(c: Candidate) -> str:
    """What a sentence says: a quote's words without its speaker and verb, else the text."""
    if c.template == "quote":
        return next((s.text for s in c.slots if s.name == "quote"), c.text)
    return c.text


class Phraser:
    """Headings for one post: remembers the main nouns already used."""

    def __init__(self, cands: Sequence[Candidate], story: Story, sections: list[list[int]],
                 subheads: Sequence[str], values: Sequence[float] | None = None):
        self.cands = cands
        # a heading says what a section's weightiest sentence says, not a side remark
        self.values = values
        self.used: set[str] = set()
        self.clauses = headline_clauses(story)
        self.subheads = [
            c for s in subheads
            for c in (" ".join(speech_marks(x).split()).strip(" .,")
                      for x in CLAUSE_SPLIT.split(s))
            if HEADING_MIN <= len(QUOTE_MARKS.sub("", c)) <= HEADING_MAX
        ]
        # how distinctive a word is for each section: in it, and rare in the others
        self.section_terms = [Counter(t for i in sec for t in _content_terms(said(cands[i])))
                              for sec in sections]
        df = Counter(t for c in self.section_terms for t in c)
        n = max(len(sections), 1)
        self.idf = {t: math.log(1 + n / df[t]) for t in df}

    def _free(self, phrase: str) -> bool:
        return main_noun(phrase) not in self.used

    def _take(self, phrase: str) -> str:
        self.used.add(main_noun(phrase))
        return phrase

    def _fit(self, phrase: str, terms: Counter) -> float:
        """Share of a phrase's content words found in a section."""
        mine = _content_terms(phrase)
        return sum(1 for t in mine if t in terms) / len(mine) if mine else 0.0

    def heading(self, section: int, sentences: list[int]) -> str:
        terms = self.section_terms[section] if section < len(self.section_terms) else Counter(
            t for i in sentences for t in _content_terms(said(self.cands[i])))
        # a post of one section is about what its headline says
        floor = 0.3 if len(self.section_terms) == 1 else 0.6
        found = self._clause(terms, floor)
        if found:
            return self._take(found)
        run = self.run_heading(sentences, terms)
        if len(set(_content_terms(run))) < 2:
            # a one-word label ("새끼", a name) says less than a headline clause half about it
            found = self._clause(terms, LABEL_FLOOR)
            if found:
                return self._take(found)
        return self._take(run or self.frame(sentences))

    def _clause(self, terms: Counter, floor: float) -> str:
        """An unused sub-heading or headline clause that fits the section (and no other
        better), taken out of its pool; '' if none."""
        for pool in (self.subheads, self.clauses):
            tokenize_many(pool)  # the phrases new to Kiwi in one call
            best = max(pool, key=lambda p: self._fit(p, terms), default=None)
            if best is not None and self._fit(best, terms) >= floor and self._free(best):
                # a clause fits only the section it is about: not one that fits another better
                if all(self._fit(best, other) <= self._fit(best, terms)
                       for other in self.section_terms):
                    pool.remove(best)
                    return best
        return ""

    def run_heading(self, sentences: list[int], terms: Counter) -> str:
        best, best_score = "", 0.0
        for rank, i in enumerate(sentences):
            text = said(self.cands[i])
            ws = words(text)
            final = max((k for k, w in enumerate(ws) if w.predicate), default=len(ws))
            for phrase, a, b in runs(text):
                # the words' own analysis: no second Kiwi pass over every candidate phrase
                span = ws[a : b + 1]
                nouns = [f for w in span for f, t in zip(w.forms, w.tags, strict=True)
                         if t in ("NNG", "NNP", "SL")]
                if (nouns[-1] if nouns else phrase) in self.used:
                    continue
                mine = [f for w in span for f, t in zip(w.forms, w.tags, strict=True)
                        if t in CONTENT]
                if not mine:
                    continue
                weight = sum(terms[t] * self.idf.get(t, 0.5) for t in set(mine))
                if len(set(mine)) < 2:
                    weight *= 0.4  # one word is a label, not a heading
                # two to four content words read as a phrase; one is a label, more a clause
                score = weight / (1 + 0.3 * max(0, len(mine) - 3)) * min(1.0, len(phrase) / 10)
                if b == final - 1:
                    score *= 1.5   # the noun before the predicate: what the sentence is about
                if a == 0:
                    score *= 0.8   # a bare subject says less than its predicate
                if phrase.endswith(TITLES):
                    score *= 0.3   # a person's name and role: who, not what
                score *= 1.0 / (1 + 0.1 * rank)
                if self.values is not None:
                    top = max(self.values[j] for j in sentences) or 1.0
                    score *= self.values[i] / top
                if score > best_score:
                    best, best_score = phrase, score
        return best

    def frame(self, sentences: list[int]) -> str:
        """'○○ 측 입장' when the section is one party's statements; else its top noun phrase."""
        speakers = Counter()
        for i in sentences:
            text = said(self.cands[i])
            m = re.match(r"^([가-힣A-Za-z]{2,10}(?:\s[가-힣]{1,4})?)(?:은|는|이|가)\s", text)
            if m and SAYS.search(text):
                speakers[m.group(1)] += 1
        if speakers:
            who, n = speakers.most_common(1)[0]
            if n * 2 >= len(sentences) and self._free(f"{who} 측 입장"):
                return f"{who} 측 입장"
        for i in sentences:
            for phrase, _, _ in runs(said(self.cands[i])):
                if self._free(phrase):
                    return phrase
        for i in sentences:  # the most telling noun phrase whose head is still free
            text = said(self.cands[i])
            found = highlight(text, {t: 1.0 for t in terms_of(text) if t not in self.used})
            tail = found.split()[-1] if found else ""
            if found and self._free(found) and len(tail) > 1 and tail not in WEAK_END:
                return found  # never "두 해 동안 속": a cut word is no label
        for i in sentences:  # never an empty heading, even if its head repeats
            for phrase, _, _ in runs(said(self.cands[i])):
                return phrase
            words_ = said(self.cands[i])
            found = highlight(words_, {t: 1.0 for t in terms_of(words_)})
            if found:
                return found
        return self.clauses[0] if self.clauses else ""


def choose_title(story: Story, max_chars: int) -> str:
    """Compress the headline that shares most words with the other outlets' headlines."""
    heads = [a.title for a in story.articles]
    sets = [set(h.split()) for h in heads]
    best = max(
        range(len(heads)),
        key=lambda i: (sum(len(sets[i] & sets[j]) for j in range(len(heads)) if j != i), -i),
    )
    return (compress_headline(heads[best], max_chars)
            or next((t for h in heads if (t := compress_headline(h, max_chars))), "")
            or cut_headline(heads[best], max_chars))


def supported_title(story: Story, title: str, body_text: str, max_chars: int) -> str:
    """The title, unless it names someone, somewhere or a figure the body never mentions (the
    reader looks for it in vain; lint SB503): then the longest faithful title of a source
    headline whose names and figures the body all has (a headline's clauses drop off as the
    length shrinks: '가수 별세…향년 29세' gives '가수 별세'); the title as it was if none."""
    from sokbo.lint.consistency import unsaid_mentions

    if not title or not unsaid_mentions(title, tokenize(title), body_text):
        return title
    seen = {title}
    for headline in dict.fromkeys(a.title for a in story.articles):
        for length in range(max_chars, 7, -1):
            candidate = compress_headline(headline, length)
            if candidate and candidate not in seen:
                seen.add(candidate)
                if not unsaid_mentions(candidate, tokenize(candidate), body_text):
                    return candidate
    return title


def highlight(text: str, weights: dict[str, float], avoid: Sequence[str] = ()) -> str:
    """The weightiest noun phrase of a card paragraph, from a word's start to the end of a
    word's stem (a particle after it stays outside): never part of a word, never a speaker's
    name from ``avoid`` (the point is what was said); one short common noun only if nothing
    longer stands out."""
    return (_highlight(text, weights, avoid, short=False)
            or _highlight(text, weights, avoid, short=True))


def _highlight(text: str, weights: dict[str, float], avoid: Sequence[str], *,
               short: bool) -> str:
    ws = words(text)
    phrases: list[str] = []
    for a in range(len(ws)):
        for b in range(a, min(a + 4, len(ws))):
            span = ws[a : b + 1]
            if not all(w.noun_final for w in span):
                break
            if any(w.stem_end < w.end for w in span[:-1]):
                break  # a particle inside: the phrase ends there
            phrase = text[span[0].start : span[-1].stem_end]
            if (len(phrase) > HIGHLIGHT_MAX or QUOTE_MARKS.search(phrase) or not phrase
                    or re.search(r"[()\[\]]", phrase)):
                continue
            if span[0].text in WEAK_START or span[0].tags[0] in ("SN",) and len(span) == 1:
                continue
            if any(name and (name in phrase or phrase in name) for name in avoid):
                continue
            if (not short and len(span) == 1 and len(phrase) < 3
                    and not set(span[0].tags) & {"NNP", "SL", "SN"}):
                continue  # one short common noun (얘기, 병원) points at little
            phrases.append(phrase)
    tokenize_many(list(dict.fromkeys(phrases)))  # the new ones in one Kiwi call
    best, best_score = "", 0.0
    for phrase in phrases:
        score = sum(weights.get(t, 0.0) for t in _content_terms(phrase))
        if score > best_score:
            best, best_score = phrase, score
    return best


def word_weights(cands: Sequence[Candidate]) -> dict[str, float]:
    """How central a word is to the story: sentences mentioning it, weighted by salience."""
    weights: Counter[str] = Counter()
    for c in cands:
        for t in set(_content_terms(c.text)):
            weights[t] += c.score
    return dict(weights)
