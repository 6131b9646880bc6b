"""Step 3, select: information first, no claim or quote twice, nothing without what it leans on.

A sentence's value is its salience weighted by the information it carries (figures, days,
names; the answer to a question the headline asks) against colour (reactions, impressions).
Picking a sentence that leans on its predecessor picks the predecessor too, unless a verified
rewrite lets it stand alone; one that names a person by a short form brings the sentence that
introduced the person.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from sokbo.lint.nlp import quotes
from sokbo.write.prepare import Candidate, Material
from sokbo.write.refer import anonymous, full_name_for

NEAR_DUPLICATE = 0.40
# similar enough to be one claim even when the figures all differ (a figure mis-typed)
SAME_WORDS = 0.70
# two outlets' sentences are one claim at a lower bar: cosine, or shared nouns (Jaccard)
CROSS_OUTLET_DUPLICATE = 0.28
CROSS_OUTLET_NOUNS = 0.35
# the same fact from two outlets shares its figures: "96억 달러", "18.2%"; a term of years and
# months is one figure ("징역 4년 6개월" and, on appeal, "3년 6개월" share no figure)
FIGURE = re.compile(
    r"\d+\s*년\s*\d{1,2}\s*개월"
    r"|\d[\d,.]*\s*(?:%|퍼센트|억|만|천|조|원|달러|명|개월|개|건|km|㎞|배|위|차례|시간|살|세|년|월|일)?"
)
UNIT_FIGURE = re.compile(r"\d[\d,.]*\s*(?:%|퍼센트|억|만|천|조|원|달러|명|개|건|km|㎞|배|살|세|호)")
DAY_FIGURE = re.compile(r"\d{1,2}일|\d{1,2}월|\d{4}년")
NAME_LIKE = re.compile(
    r"[가-힣]{2,4}\s(?:[가-힣]+\s)?(?:장관|대통령|의원|대표|차장|교수|변호사|대변인)"
)
# colour rather than information: reactions, impressions, the camera's view
COLOUR = re.compile(
    r"반응을 보|반응이 있|반응을 쏟|눈길을 끈|눈길을 사로|시선을 사로|감탄을 자아|관심이 주목"
    r"|화제(?:다|입니다|를 모)|뽐냈|뽐낸|자랑했|훈훈|설레게|이목을 집중"
)
# a headline asking why: the answer carries 때문/이유/탓…
QUESTION = re.compile(r"\?|왜|이유|까닭|원인|비결")
ANSWER = re.compile(r"때문|이유|탓|원인|로 인해|으로 인해|비결|덕분|참작|감안")
MIN_QUOTE = 8
# a quote in conversational endings (해요체: …잖아요, …죠, …거든요, …같아요) is talk around a
# claim more often than the claim, which a speaker states in -다/-니다 or as a demand (-라)
CHAT_ENDING = re.compile(r"(?:요|죠|지요|네|걸|거든)[.!]?$")
CHAT = 0.6
# a quote naming fewer than two things says little without the question it answered
VAGUE = 0.35


def figures_of(text: str) -> set[str]:
    """Numbers with their unit, spaces and thousands separators removed."""
    return {re.sub(r"[\s,]", "", m) for m in FIGURE.findall(text) if re.search(r"\d", m)}


def is_same_claim(similarity: float, figures_a: set[str], figures_b: set[str]) -> bool:
    """Near-duplicate sentences: very similar words, or shared figures and similar words.
    Two sentences of several figures each, none of them shared, say different things in the
    same words unless nearly all their words are the same (the first trial's sentences, then
    the appeal's: "…징역 4년 6개월, …2년 6개월, 단기 2년을 선고" / "…3년 6개월로 …감형")."""
    shared = len(figures_a & figures_b)
    if not shared and min(len(figures_a), len(figures_b)) >= 2 and similarity < SAME_WORDS:
        return False
    return (
        similarity >= NEAR_DUPLICATE
        or (shared >= 2 and similarity >= 0.1)
        or (shared >= 1 and similarity >= 0.2)
    )


def information(c: Candidate, headline: str) -> float:
    """How much a sentence tells, as a factor on its salience (1.0 = plain statement)."""
    text = c.text
    factor = 1.0
    factor += 0.12 * min(2, len(UNIT_FIGURE.findall(text)))
    factor += 0.08 * min(1, len(DAY_FIGURE.findall(text)))
    if NAME_LIKE.search(text):
        factor += 0.08
    if COLOUR.search(text):
        factor *= 0.55
    if QUESTION.search(headline) and ANSWER.search(text):
        factor *= 1.4
    if c.template == "quote":
        words = next((s.text for s in c.slots if s.name == "quote"), "")
        if CHAT_ENDING.search(words):
            factor *= CHAT
        if len(_nouns(words) - {"것", "수", "거", "게", "때", "일", "말씀", "얘기"}) < 2:
            factor *= VAGUE  # "말도 안 되는 일입니다": an answer to a question the post leaves out
    quoted = sum(len(q) for q in quotes(text))
    if quoted > 0.7 * len(text):
        factor *= 0.85  # a bare quote: the speaker's colour more than the reporter's facts
    return factor


def mark_answers(cands: Sequence[Candidate], headline: str) -> None:
    """Under a headline that asks why, a reason without a topic of its own (…줄었기
    때문입니다) answers it: it may open the post even where its predecessor cannot be used."""
    from sokbo.write.refer import REASON_END

    if not QUESTION.search(headline):
        return
    for c in cands:
        c.answers = (c.elliptical and c.opener is None and not c.this_day
                     and c.template == "" and bool(REASON_END.search(c.text)))


def _quotes(text: str) -> list[str]:
    return [re.sub(r"\s+", "", q) for q in quotes(text) if len(q) >= MIN_QUOTE]


def _requirements(m: Material, i: int,
                  introductions: dict[int, int | None] | None = None) -> list[int] | None:
    """Candidates that must come with ``i``: its chain of predecessors (unless it can stand
    alone) and the introductions of the people it names by a short form, with everything
    those need in turn; None if one of them is unusable. ``introductions`` keeps each
    candidate's :func:`_introduction` for the next call."""
    if introductions is None:
        introductions = {}
    cands = m.cands
    need: list[int] = []
    todo = [i]
    while todo:
        k = todo.pop()
        wanted: list[int] = []
        if cands[k].leans and cands[k].standalone is None and not cands[k].answers:
            if cands[k].previous is None:
                return None  # leans on a sentence the post cannot use
            wanted.append(cands[k].previous)
        if k not in introductions:
            introductions[k] = _introduction(m, k, introductions)
        intro = introductions[k]
        if intro is None:
            return None
        if intro >= 0:
            wanted.append(intro)
        for j in wanted:
            if j != i and j not in need:
                need.append(j)
                todo.append(j)
    return need


def _introduction(m: Material, i: int, introductions: dict[int, int | None]) -> int | None:
    """The candidate introducing the people ``i`` names by a short form: -1 when none is
    needed (or the article never gives a full name), None when no introduction is usable.

    The first sentence naming the person in full (or as 유 모 씨) introduces them; when the
    post cannot use it (it leans on a sentence that cannot be used), a later one naming them
    the same way does ("…재력가 유 모 씨에 대한 구속영장 심사가" leans on a bare "…속보입니다."
    with nothing before it; "경찰은 … 재력가 유 모 씨가 있다고 보고" introduces him as well)."""
    c = m.cands[i]
    best = -1
    for person in c.people:
        article = m.story.articles[c.article]
        texts = [s.text for s in article.sentences if s.index < c.sentence.index]
        if anonymous(person):
            label = person.key.split(" ")[0]
            # 유 모 씨, or the full name: 전한길씨, 전한길(전직 한국사 강사)씨
            named = rf"{re.escape(label)}(?:\s?모|[가-힣]{{1,2}}(?:\([^()]{{0,20}}\))?)\s?씨"
            first = re.compile(rf"(?<![가-힣A-Za-z])(?:{re.escape(label)}\s?씨|{named})")
            full = re.compile(rf"(?<![가-힣A-Za-z]){named}")
        else:
            name = full_name_for(person, texts)
            if not name:
                continue
            first = full = re.compile(re.escape(name))
        at = next((s for s in article.sentences if first.search(s.text)), None)
        if at is None or at.index >= c.sentence.index or full.search(c.sentence.text):
            continue  # this sentence is an introduction
        options = [at, *(s for s in article.sentences
                         if at.index < s.index < c.sentence.index and full.search(s.text))]
        usable = None
        for s in options:
            k = _candidate_of(m, s.id)
            if k is not None and _requirements(m, k, introductions) is not None:
                usable = k
                break
        if usable is None:
            return None
        best = max(best, usable)
    return best


def _candidate_of(m: Material, sentence_id: str) -> int | None:
    return next((k for k, c in enumerate(m.cands) if c.id == sentence_id), None)


def select_sentences(m: Material, values: Sequence[float], sim, limit: int, *,
                     spine: int) -> list[int]:
    """Candidate indices for the post, by value, with what each needs; in no particular order.

    Anonymous labels (A 씨, 유 씨) are taken from the spine article only: another outlet's
    "A 씨" cannot be shown to be the same person.
    """
    cands = m.cands
    figures = [figures_of(c.text) for c in cands]
    # analysed only for the sentences compared (most candidates are never reached)
    noun_sets: dict[int, set[str]] = {}

    def nouns(i: int) -> set[str]:
        if i not in noun_sets:
            noun_sets[i] = _nouns(cands[i].text)
        return noun_sets[i]

    # each candidate's text without spaces, quotes and last clause, made once when first asked
    squeezed: dict[int, tuple[str, list[str], str]] = {}

    def squeeze(i: int) -> tuple[str, list[str], str]:
        if i not in squeezed:
            text = cands[i].text
            squeezed[i] = (re.sub(r"\s+", "", text), _quotes(text), _last_clause(text))
        return squeezed[i]

    seen_quotes: list[str] = []
    chosen: list[int] = []
    introductions: dict[int, int | None] = {}

    def redundant(i: int) -> bool:
        bare, mine, tail = squeeze(i)
        if any(bare == squeeze(j)[0] for j in chosen):
            return True
        if any(is_same_claim(sim[i, j], figures[i], figures[j]) for j in chosen):
            return True
        # another outlet says the same thing in its own words: fewer shared words suffice
        if any(cands[i].article != cands[j].article and (
                sim[i, j] >= CROSS_OUTLET_DUPLICATE
                or _jaccard(nouns(i), nouns(j)) >= CROSS_OUTLET_NOUNS) for j in chosen):
            return True
        if any(q in s or s in q for q in mine for s in seen_quotes):
            return True
        # two sentences ending on one clause say it twice ("…만큼, 팬들의 충격은 더 큽니다")
        return bool(tail) and any(squeeze(j)[2] == tail for j in chosen)

    for i in sorted(range(len(cands)), key=lambda i: (-values[i], i)):
        if len(chosen) >= limit:
            break
        if i in chosen:
            continue
        c = cands[i]
        if c.article != spine and any(anonymous(p) for p in c.people):
            continue
        need = _requirements(m, i, introductions)
        if need is None:
            continue
        new = [j for j in [*need, i] if j not in chosen]
        if len(chosen) + len(new) > limit or len(new) > 3:
            continue
        if any(redundant(j) for j in new):
            continue
        for j in new:
            chosen.append(j)
            seen_quotes.extend(squeeze(j)[1])
    return _drop_strays(cands, chosen)


# the clause after a sentence's last comma, when it is long enough to be a claim of its own
LAST_CLAUSE_CHARS = 8


def _last_clause(text: str) -> str:
    head, comma, tail = text.rpartition(", ")
    tail = re.sub(r"\s+", "", tail)
    return tail if comma and head and len(tail) >= LAST_CLAUSE_CHARS else ""


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _nouns(text: str) -> set[str]:
    from sokbo.korean.kiwi import tokenize

    return {t.form for t in tokenize(text) if t.tag in ("NNG", "NNP", "SN")}


def _drop_strays(cands: Sequence[Candidate], chosen: list[int]) -> list[int]:
    """Leave out a sentence with no name or number that shares no noun with the rest (said
    alone in a post it reads as filler, lint SB104), and whatever leans on it."""
    from sokbo.korean.kiwi import tokenize
    from sokbo.lint.nlp import mentions

    nouns = {i: _nouns(cands[i].text) for i in chosen}
    facts = {i: bool(mentions(tokenize(cands[i].text))) for i in chosen}
    out = list(chosen)
    changed = True
    while changed:
        changed = False
        for i in list(out):
            c = cands[i]
            orphan = (c.leans and c.standalone is None and c.previous not in out
                      and not c.answers)
            others = set().union(*(nouns[j] for j in out if j != i))
            # one that points back at a chosen sentence ("이 장면을 본 주민들은 …") is tied to it
            tied = c.leans and c.previous in out
            if orphan or not (facts[i] or tied or nouns[i] & others):
                out.remove(i)
                changed = True
    return out
