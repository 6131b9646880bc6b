"""Post titles from source headlines: the newsroom's tags go, the headline's meaning stays.

FORMAT.md wants a compressed headline (≤ 30 characters, no particles or punctuation noise).
Compressing must not change what the headline says, so: ranges and pairs keep their joiners
(24~30일, 한-미), quoted words stay as written (a title's '비밀의 여자' keeps its 의), whole
clauses are kept or left out (never a clause cut short, which would drop its predicate or a
negation), and when no faithful title fits, the answer is "" so the writer takes another
headline. Particles and punctuation are removed by blanking their character spans, never by
re-joining morphemes, so every kept word is as the source wrote it (korean-nlp-notes §2).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from sokbo.korean.kiwi import get_kiwi
from sokbo.safetext import strip_markup

__all__ = ["compress_headline", "cut_headline", "strip_headline_tags"]

PUNCT_TAGS = {"SF", "SP", "SS", "SSO", "SSC", "SE", "SO", "SB"}
SPACES = re.compile(r"\s+")
CLAUSE_MARK = "\x1f"
# what a newsroom puts around a headline and a blog title leaves out: "[단독]", "[SC현장]",
# "[정치쇼]", "【속보】", "<속보>", "(종합)", "(2보)", "[M+TView]", "공유하기"
TAG_WORDS = (
    r"종합\d*(?:보)?|\d+보|속보|단독|영상|사진|포토|화보|인터뷰|일문일답|전문|현장|이슈\+?|"
    r"포커스|팩트체크|카드뉴스|그래픽|스페셜|오늘의\s*\S+|뉴스\s*\S*"
)
LEADING_TAG = re.compile(
    rf"^\s*(?:\[[^\[\]]{{1,15}}\]|【[^【】]{{1,15}}】|[<〈(]\s*(?:{TAG_WORDS})\s*[>〉)])\s*"
)
TRAILING_TAG = re.compile(
    rf"\s*(?:\[[^\[\]]{{1,15}}\]|【[^【】]{{1,15}}】|[<〈(]\s*(?:{TAG_WORDS})\s*[>〉)]|공유하기)\s*$"
    r"|(?<=[가-힣])종합\d*보?$"  # "…확정종합2보": the tag lost its brackets
)
DOUBLE_QUOTES = "\"“”″＂"
SINGLE_QUOTES = "'‘’′"
# joiners kept when they sit between two words with no space: 24~30일, 한-미, 조정·지원, 1+1
JOINERS = set("~∼-–·ㆍ+♥&/%×")
# clause separators: "…", "‥", "...", "|", ";", a spaced "·"; a comma only between long clauses
STRONG_SEPARATORS = {"…", "‥", "⋯", "...", "..", "|", ";", "ㆍ…", "·", "ㆍ"}
WEAK_MARK = "\x1e"
# connective endings that leave a clause waiting for its main clause
DEPENDENT_ENDS = frozenset({
    "자", "며", "으며", "면서", "으면서", "고", "는데", "은데", "ᆫ데", "지만", "으나", "면", "으면",
    "니", "으니", "니까", "으니까", "어서", "아서", "여서", "도록", "려고", "으려고", "러", "으러",
    "자마자", "던데", "는데도", "ᆫ데도", "은데도",
})


QUESTION_MARKS = ("?", "？")

def strip_headline_tags(headline: str) -> str:
    """A headline without the newsroom's tags: "[단독] 누리시, …(종합)" → "누리시, …"."""
    text = SPACES.sub(" ", headline).strip()
    for pattern in (LEADING_TAG, TRAILING_TAG):
        while True:
            cut = pattern.sub("", text, count=1).strip()
            if cut == text or not cut:
                break
            text = cut
    return text


@dataclass(slots=True)
class _Clause:
    words: list[str]
    ends: list[str]  # tag of each word's last kept token
    inside: list[bool]  # each word sits inside quote marks
    bare: list[str]  # the words with the particles of quoted speech removed too
    order: int
    after: int | None = None  # a quote split off this clause's end needs its clause
    before: int | None = None  # a clause ending on a connective needs the next one
    topic: bool = False  # before a comma: who or what the next clause is about ("임현태, …")

    @property
    def quoted(self) -> bool:
        return all(self.inside)

    @property
    def dependent(self) -> bool:
        """It ends on a connective ("열리자", "안되는데"): its main clause follows."""
        tag, _, form = self.ends[-1].partition(":") if self.ends else ("", "", "")
        return tag in ("EC", "EF") and form in DEPENDENT_ENDS

    def text(self, bare: bool = False) -> str:
        """The words; with ``bare``, quoted speech (three words or more) without particles."""
        if not bare or sum(self.inside) < 3:
            return " ".join(self.words)
        return " ".join(b if q else w for w, b, q in zip(self.words, self.bare, self.inside,
                                                           strict=True))

    def part(self, a: int, b: int, order: int, after: int | None = None) -> _Clause:
        return _Clause(self.words[a:b], self.ends[a:b], self.inside[a:b], self.bare[a:b], order,
                       after if after is not None else self.after, self.before)


def _quote_mask(text: str) -> list[bool]:
    """For each character, whether it sits inside a pair of quote marks."""
    mask = [False] * len(text)
    open_at: dict[str, int] = {}
    for i, ch in enumerate(text):
        family = "d" if ch in DOUBLE_QUOTES else "s" if ch in SINGLE_QUOTES else None
        if family is None:
            continue
        if family in open_at:
            for j in range(open_at.pop(family), i + 1):
                mask[j] = True
        else:
            open_at[family] = i
    return mask


def _marked(text: str, tokens, quoted: list[bool], *, keep_quoted: bool,
            keep_all: bool = False) -> tuple[str, dict]:
    """The text with dropped tokens blanked, clause separators marked; tag of each kept end."""
    marks = list(text)
    ends: dict[int, str] = {}
    kept_spans = [(t.start, t.start + t.len) for t in tokens
                  if not (t.tag.startswith("J") or t.tag in PUNCT_TAGS or t.tag == "SW")]
    starts = {t.start: t for t in tokens}
    for t in tokens:
        a, b = t.start, t.start + t.len
        is_particle = t.tag.startswith("J")
        is_punct = t.tag in PUNCT_TAGS or t.tag == "SW"
        if not (is_particle or is_punct):
            ends[b] = f"{t.tag}:{t.form}" if t.tag.startswith("E") else t.tag
            continue
        if any(ka < b and a < kb for ka, kb in kept_spans):
            continue  # fused into a kept token (난 = 나 + ᆫ)
        if is_particle:
            nxt = starts.get(b)
            in_word = nxt is not None and not nxt.tag.startswith("J") and _in_word(text[b])
            if (quoted[a] and keep_quoted) or in_word or keep_all:
                ends[b] = t.tag  # quoted words are kept as written, 국민의힘 is one word
                continue
            fill = " "
        else:
            glued = 0 < a and b < len(text) and not text[a - 1].isspace() \
                and not text[b].isspace()
            quote_mark = bool(set(t.form) & set(DOUBLE_QUOTES + SINGLE_QUOTES))
            attached = 0 < a and not text[a - 1].isspace()
            separator = t.form in ("…", "‥", "⋯", "...", "..")
            if not quote_mark and not separator and (
                (glued and t.form in JOINERS) or (attached and t.tag == "SW")
                or (attached and t.form in QUESTION_MARKS)
            ):
                # 24~30일, 한-미, 18%, 이승기♥이다인; a headline's question stays one
                # ("자산가 구속?…": without its mark the title would say it happened)
                ends[b] = t.tag
                continue
            if t.form in STRONG_SEPARATORS:
                fill = CLAUSE_MARK
            elif t.form == "," and not quoted[a]:
                fill = WEAK_MARK  # a comma inside a quote does not split the statement
            else:
                fill = " "
        for i in range(a, b):
            marks[i] = fill
    # quote marks Kiwi glued to a word ("제재하나\"") are no part of it either
    for i, ch in enumerate(marks):
        if ch in DOUBLE_QUOTES or ch in SINGLE_QUOTES:
            marks[i] = " "
    return "".join(marks), ends


def _in_word(ch: str) -> bool:
    return "가" <= ch <= "힣" or ch.isalnum()


def _words(marked: str, ends: dict, quoted: list[bool]) -> list[tuple]:
    """(word, end tag, inside quotes, offset, separator before it, quote going on) per word."""
    out = []
    sep = CLAUSE_MARK
    pos = 0
    for m in re.finditer(r"[^\s\x1e\x1f]+", marked):
        between = marked[pos:m.start()]
        at = max(between.rfind(CLAUSE_MARK), between.rfind(WEAK_MARK))
        if CLAUSE_MARK in between:
            sep = CLAUSE_MARK
        elif WEAK_MARK in between and sep != CLAUSE_MARK:
            sep = WEAK_MARK
        # a separator inside quote marks leaves the quote open: the words go on
        going_on = at >= 0 and quoted[pos + at]
        out.append((m.group(0), ends.get(m.end(), ""), quoted[m.start()], m.start(), sep,
                    going_on))
        sep, pos = "", m.end()
    return out


# a headline's words as _clauses reads them (one Kiwi call each): a title is compressed for
# the post's title, checked against the body, and again for the card
@functools.lru_cache(maxsize=2048)
def _read(text: str) -> tuple[tuple, dict, dict]:
    """The words of ``text`` with particles kept in quotes, without them, and with all (only
    read: the value is shared)."""
    tokens = get_kiwi().tokenize(text, oov_handling="rule")
    quoted = _quote_mask(text)
    full = tuple(_words(*_marked(text, tokens, quoted, keep_quoted=True), quoted))
    bare = {item[3]: item[0] for item in
            _words(*_marked(text, tokens, quoted, keep_quoted=False), quoted)}
    whole = {item[3]: (item[0], item[1]) for item in
             _words(*_marked(text, tokens, quoted, keep_quoted=True, keep_all=True), quoted)}
    return full, bare, whole


def _clauses(text: str) -> list[_Clause]:
    full, bare, whole = _read(text)
    # clauses at strong separators, then at commas between long parts
    groups: list[list[tuple]] = []
    for item in full:
        if item[4] == CLAUSE_MARK or not groups:
            groups.append([[item]])  # type: ignore[list-item]
        elif item[4] == WEAK_MARK:
            groups[-1].append([item])  # type: ignore[arg-type]
        else:
            groups[-1][-1].append(item)  # type: ignore[arg-type]
    out: list[_Clause] = []
    for group in groups:
        merged: list[list[tuple]] = []
        for piece in group:  # type: ignore[attr-defined]
            # a comma after a short topic ("문체부, …") does not end a clause
            if merged and (len(merged[-1]) <= 2 or len(piece) <= 2):
                merged[-1] = merged[-1] + piece
            else:
                merged.append(piece)
        for n_piece, piece in enumerate(merged):
            words = [w for w, *_ in piece]
            if len(set(words)) < len(words):
                # "소금과 물만으로 물에" must not become "소금 물 물": keep its particles
                piece = [(*whole.get(item[3], item[:2]), *item[2:]) for item in piece]
                words = [w for w, *_ in piece]
            clause = _Clause(words, [e for _, e, *_ in piece],
                             [q for _, _, q, *_ in piece],
                             [bare.get(item[3], item[0]) for item in piece], len(out))
            if out and out[-1].dependent and out[-1].before is None:
                out[-1].before = len(out)  # "금리 내리자" only with what followed
            if out and piece[0][5]:
                clause.after = out[-1].order  # a quote going on: not without its speaker
            clause.topic = n_piece < len(merged) - 1 and not any(clause.inside)
            out.extend(_split_trailing_quote(clause, len(out)))
    for c in out:  # orders are positions; the links follow them
        if c.after is not None:
            c.after = next(m for m, d in enumerate(out) if d.order == c.after)
        if c.before is not None:
            c.before = next((m for m, d in enumerate(out) if d.order >= c.before), None)
    for n, c in enumerate(out):
        c.order = n
    return out


def _split_trailing_quote(clause: _Clause, order: int) -> list[_Clause]:
    """'… 교포 콘셉트로 진짜 사나이 접수 “필리핀에서 두 달”': a quote closing a clause of its
    own words is a unit a title may leave out; a quote after a speaker's name is not."""
    n = len(clause.words)
    k = n
    while k > 0 and clause.inside[k - 1]:
        k -= 1
    # not after a connective or a name ("… 도하람 “…”": the quote is what the speaker said)
    if 0 < k < n and k >= 3 and not all(clause.inside[:k]) \
            and clause.ends[k - 1].split(":")[0] not in ("EC", "NNP"):
        return [clause.part(0, k, order), clause.part(k, n, order + 1, after=order)]
    return [clause]


def _dedupe(clauses: list[_Clause]) -> list[_Clause]:
    """A later clause that opens by repeating a word ("강릉 축제 개막…강릉 경포해변 …") drops
    the repeat; a word repeated inside a clause ("학생과 中본토 학생") is its meaning."""
    seen: set[str] = set()
    out = []
    for c in clauses:
        k = 0
        while k < len(c.words) - 1 and c.words[k] in seen and not c.inside[k]:
            k += 1
        seen.update(c.words)
        out.append(c.part(k, len(c.words), c.order) if k else c)
    return out


# words a headline can lose without changing what it says: when, not what
TIME_WORD = re.compile(
    r"^(?:오늘|내일|어제|모레|올해|내년|작년|지난해|지난달|이달|내달|다음달|다음\s?주|이번\s?주|내주|"
    r"금주|전날|당일|이날|최근|\d{1,2}일|\d{1,2}월|\d{1,2}월\d{1,2}일|\d{4}년)$"
)


def _trim(clause: _Clause, max_chars: int) -> _Clause | None:
    """The clause without its time words ("내달 6일", "다음주"), a list's "등" and a size
    ("2.8조원 규모") if that makes it fit.

    Cutting the end would drop the headline's predicate (…벌금형 확정 → …벌금형), so a
    clause that still does not fit is left out.
    """
    keep = [not (TIME_WORD.match(w) and not q) for w, q in zip(clause.words, clause.inside,
                                                               strict=True)]
    for i, (w, q) in enumerate(zip(clause.words, clause.inside, strict=True)):
        if q:
            continue
        if w == "등" and i > 0:
            keep[i] = False  # "신천지 본부 등": the list goes on without it
        if w == "규모" and i > 0 and re.match(r"^[\d.,]+\S*$", clause.words[i - 1]):
            keep[i - 1] = keep[i] = False  # "2.8조원 규모": how big, not what
    if all(keep) or not any(keep):
        return None
    idx = [i for i, k in enumerate(keep) if k]
    cut = _Clause([clause.words[i] for i in idx], [clause.ends[i] for i in idx],
                  [clause.inside[i] for i in idx], [clause.bare[i] for i in idx], clause.order,
                  clause.after, clause.before)
    return cut if _fits([cut], max_chars) is not None else None


def _repeats(chosen: list[_Clause], clause: _Clause) -> bool:
    """The clause would repeat two words of the title, or stutter at its seam."""
    if not chosen:
        return False
    earlier = [w for c in sorted(chosen, key=lambda c: c.order) if c.order < clause.order
               for w in c.words]
    if earlier and earlier[-1] == clause.words[0]:
        return True
    shared = set(clause.words) & {w for c in chosen for w in c.words}
    # one shared word of two syllables or more is the story's keyword ('예산 통과'…'예산
    # 집행'); a shared syllable (전, 등) or two shared words read as a stutter
    return len(shared) >= 2 or any(len(w) == 1 for w in shared)


def _fits(clauses: list[_Clause], max_chars: int) -> str | None:
    """The clauses joined in headline order if they fit, quoted speech bare when needed."""
    ordered = sorted(clauses, key=lambda c: c.order)
    text = " ".join(c.text() for c in ordered)
    if len(text) <= max_chars:
        return text
    text = " ".join(c.text(bare=True) for c in ordered)
    return text if len(text) <= max_chars else None


def compress_headline(headline: str, max_chars: int = 30) -> str:
    """'[단독] 푸틴, 시진핑에 '소중한 친구'…10월 방러 초청' → '푸틴 시진핑 소중한 친구 10월 방러 초청'.

    Newsroom tags go, and so do particles and punctuation outside quote marks; quoted words stay
    as written (a title's '비밀의 여자' keeps its 의), and so do joiners between words (24~30일,
    한-미, 조정·지원). When the result is too long, whole clauses (split at '…', '·', '|' and
    commas) are kept: clauses of fact before quoted reactions, in headline order. A clause
    that alone is too long loses only its time words (내달 6일); no clause is cut short, so no
    predicate or negation (없이, 않, 못) is ever dropped.
    An empty string means no title of ``max_chars`` keeps the headline's meaning: the caller
    takes another source headline.
    """
    # markup in a scraped headline ("<img src=x …>") is no words of the title
    text = strip_headline_tags(strip_markup(headline))
    if not text:
        return ""
    clauses = _dedupe(_clauses(text))
    if not clauses:
        return ""
    chosen: list[_Clause] = []
    for _ in range(2):  # a second pass for clauses whose partner came later
        for clause in sorted(clauses, key=lambda c: (c.quoted, c.order)):
            if any(c.order == clause.order for c in chosen):
                continue
            orders = {c.order for c in chosen}
            if clause.after is not None and clause.after not in orders:
                continue  # "…접수 “필리핀에서 두 달”" without the 접수 clause says nothing
            if clause.before is not None and clause.before not in orders:
                continue  # "금리 내리자" without what followed says nothing
            if _repeats(chosen, clause):
                continue  # a title says no phrase twice: the clause repeating one is left out
            if _fits([*chosen, clause], max_chars) is not None:
                chosen.append(clause)
            elif not chosen:
                cut = _trim(clause, max_chars)
                if cut is not None:
                    chosen.append(cut)
    if not chosen:  # nothing fits whole or cut cleanly: no title is better than a wrong one
        return ""
    return _with_comment(chosen, clauses, max_chars) or _fits(chosen, max_chars) or ""


def _with_comment(chosen: list[_Clause], clauses: list[_Clause], max_chars: int) -> str | None:
    """'광주 찾은 누리 의원, 시민들 향해 … 반발': a title of the topic alone names somebody
    and says nothing. When the topic is a name described by a clause before it (찾은, 잡은,
    상태라던), the name with the clause after the comma says what happened; other topics
    ("…혐의,", "…대책,") are often a clause of their own and stay as they are."""
    if len(chosen) != 1 or not chosen[0].topic or len(chosen[0].words) < 2 \
            or not chosen[0].ends[-2].startswith("ETM"):
        return None
    topic = chosen[0]
    comment = next((c for c in clauses if c.order == topic.order + 1), None)
    if comment is None or comment.quoted or comment.before is not None:
        return None
    return _fits([topic.part(len(topic.words) - 1, len(topic.words), topic.order), comment],
                 max_chars)




# a word a cut title must not end on: a modifier or a number waiting for its head
DANGLING = ("ETM", "MM", "SN", "NR", "XPN", "EC", "JKG")
# verbal nouns and verbs that hold back, undo or deny the words before them: "은퇴를 |
# 고민했지만" (she did not retire), "사살 | 유예" (the bear is not to be killed)
UNDOING = (r"고민|유예|거부|반대|부인|부정|중단|철회|취소|기각|무산|포기|보류|연기|저지|만류|일축"
           r"|반박|번복|재검토|미루|미뤄|막(?:았|는|기|을|아|으|겠)")
# the word a cut must not come before: it turns the meaning of what the cut keeps
NEGATION = re.compile(r"^(?:없|아니|아닌|아냐|않|못|안\b|말고|불가|금지|" + UNDOING + ")")
# nouns between a cut and such a word that still leave the meaning changed: one makes a
# compound with the kept noun (이전 | 계획 철회); past it the cut only drops a subject
UNDOING_REACH = 1


def _undone(words: list[str], ends: list[str], k: int) -> bool:
    """Whether a cut before word ``k`` drops a negation or an undoing of what it keeps: the
    next word is one, or a noun leads to one ("청사 이전 | 계획 철회": the plan to
    move is withdrawn, "청사 이전" alone says it moves)."""
    for j in range(k, min(k + UNDOING_REACH + 1, len(words))):
        if NEGATION.match(words[j]):
            return True
        if not ends[j].startswith("N"):
            return False
    return False


def cut_headline(headline: str, max_chars: int = 30) -> str:
    """The last resort when :func:`compress_headline` finds no faithful title: the first
    clause of fact cut after a word that ends on a noun, never before a negation (비자 | 없이)
    and never inside a quote; "" if even that fails. Some of the headline's content is lost,
    so callers try :func:`compress_headline` on every source headline first."""
    text = strip_headline_tags(strip_markup(headline))
    clauses = _dedupe(_clauses(text)) if text else []
    for clause in sorted(clauses, key=lambda c: (c.quoted, c.order)):
        words = [b if q else w for w, b, q in zip(clause.words, clause.bare, clause.inside,
                                                  strict=True)]
        for k in range(len(words) - 1, 1, -1):
            if len(" ".join(words[:k])) > max_chars:
                continue
            tag = clause.ends[k - 1].split(":")[0]
            if _undone(words, clause.ends, k) or tag in DANGLING or not tag.startswith(("N", "S")):
                continue
            if clause.inside[k - 1] and clause.inside[k]:
                continue
            return " ".join(words[:k])
    return ""
