"""Quotable statements, speaker introductions and attributed quote sentences, with the source
span of every slot."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sokbo.korean.kiwi import tokenize
from sokbo.korean.transcript.turns import (
    DOUBLE_QUOTES,
    Turn,
    _label,
    _lines,
    _quote_parity,
    speech_turns,
)
from sokbo.models import Article

TITLE = -1  # Span.sentence of a span in the headline


@dataclass(frozen=True, slots=True)
class Span:
    """A run of source characters a template slot was copied from."""

    text: str
    source_id: str
    sentence: int  # the sentence holding or introduced by it (index), or TITLE
    start: int  # offsets into article.text (article.title for TITLE)
    end: int


@dataclass(frozen=True, slots=True)
class Introduction:
    """How the article names a speaker: the name and role, copied from one or two spans."""

    text: str  # "도하람 누리당 대표" (spans joined by one space)
    name: str  # the speaker's name as labelled
    spans: tuple[Span, ...]

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class Quote:
    """An attributed quote sentence and everything needed to re-derive it from the source."""

    text: str  # '도하람 누리당 대표는 "…"고 말했습니다.'
    template: str  # QUOTE_TEMPLATE
    who: Introduction
    words: Span  # the quoted words (a trailing full stop left out)
    topic: str  # 은 / 는
    quotative: str  # 고 / 라고 / 이라고


QUOTE_TEMPLATE = '{who}{topic} "{words}"{quotative} 말했습니다.'

# -- statements --------------------------------------------------------------------------------

# a sentence opening with these leans on what came before; quoted alone it would mislead
DEPENDENT_OPENERS = re.compile(
    r"^(?:그런데|그러나|그래서|그러면|그럼|그러니까|그렇지만|하지만|왜냐하면|그리고|또|또한|즉|결국|"
    r"이렇게|이런|이러한|이것|이건|이게|이는|이를|이 |그것|그건|그게|그거|그런|그러한|그렇게|그 |저 |"
    r"그렇|이렇|저렇|그래|그러므로|따라서|이에|그러다|그다음|다음으로|"
    r"첫째|둘째|셋째|넷째|첫\s*번째|두\s*번째|세\s*번째|네\s*번째|마지막으로|"
    r"그때|이때|여기|거기|네|예|아|어|글쎄|뭐|자|그러게|맞습니다|알겠습니다|감사합니다|안녕)"
)
# a pointer into the conversation near the start ("실제 이런 것들이 …", "누리시가 저렇게 …")
EARLY_REFERENCE = re.compile(
    r"^(?:\S+\s+){0,2}(?:이런|그런|저런|이러한|그러한|저렇게|이렇게|그렇게|이것|그것|저것|이게|그게|"
    r"이거|그거|이분|그분|여기|거기)(?:\s|[은는이가을를도만의에])"
)
# endings that only give a reason or a background: "…때문이니까요." "…했는데요."
HANGING_ENDINGS = ("니까요", "는데요", "은데요", "ㄴ데요", "지만요", "어서요", "아서요", "해서요", "라서요")
# Kiwi reads a clause cut off by a full stop as a sentence end: "…예산이 모자라고." "…나갈지."
HANGING_EF = frozenset({"고", "며", "면서", "ᆯ지", "는지", "은지", "ᆫ지", "지만", "는데", "은데",
                        "ᆫ데", "니까", "서", "어서", "아서", "면", "거나", "든지", "도록", "게"})
# a sentence that goes on in the next one: "…하겠다" + "이렇게 말씀을 하셨는데요."
CONTINUES = re.compile(r"^(?:이렇게|이런|이러|라고|하는|이라고|고 |그렇게)")
STATEMENT_MIN, STATEMENT_MAX = 12, 200
QUESTION_ENDINGS = ("까", "나요", "가요", "는가", "는지", "냐", "니")


def _is_statement(words: str, next_sentence: str = "") -> bool:
    """One complete declarative sentence that stands alone."""
    words = words.strip()
    if not STATEMENT_MIN <= len(words) <= STATEMENT_MAX:
        return False
    if not re.search(r"[.!]$", words) or words.endswith(("..", "…", "….")):
        return False  # cut off, trailing off, or a question
    if "?" in words or "\n" in words or _quote_parity(words):
        return False
    if DEPENDENT_OPENERS.match(words) or EARLY_REFERENCE.match(words):
        return False
    if CONTINUES.match(next_sentence.strip()):
        return False
    if words.rstrip(".!").endswith(HANGING_ENDINGS):
        return False
    tokens = [t for t in tokenize(words) if not t.tag.startswith("S")]
    if not tokens:
        return False
    first, last = tokens[0], tokens[-1]
    if first.tag.startswith(("E", "J", "XS", "VC")):
        return False  # starts mid-clause
    head = words.split(" ", 1)[0]
    head_tokens = [t for t in tokens if t.start < len(head)]
    if first.tag.startswith("V") and head_tokens[-1].tag == "EC":
        return False  # "봤는데, …": picks up the previous sentence
    if last.tag != "EF" or last.form.endswith(QUESTION_ENDINGS) or last.form in HANGING_EF:
        return False
    return any(t.tag.startswith(("VV", "VA", "VX", "VCP", "VCN", "XSV", "XSA")) for t in tokens)


def statements(article: Article, *, hosts: bool = False) -> tuple[Turn, ...]:
    """One-sentence turns of named speakers that are complete statements, quotable alone.

    A dialogue's host mostly asks and links ("예산 얘기 좀 해보겠습니다."): left out unless
    ``hosts`` is true.
    """
    out: list[Turn] = []
    sents = article.sentences
    for turn in speech_turns(article):
        if not turn.speaker or turn.kind == "newsroom" or (turn.kind == "host" and not hosts):
            continue
        for i in turn.sentences:
            s = sents[i]
            a, b = max(s.start, turn.start), min(s.end, turn.end)
            a, b = _unquote_span(article.text, a, b)
            nxt = sents[i + 1].text if i + 1 < len(sents) else ""
            if b > a and _is_statement(article.text[a:b], nxt):
                out.append(Turn(turn.speaker, article.text[a:b], turn.role, turn.kind, a, b,
                                article.id, (i,)))
    return tuple(out)


def _unquote_span(text: str, a: int, b: int) -> tuple[int, int]:
    """Drop the dashes and quote marks that wrap a piece of a turn (only unbalanced ones)."""
    while a < b and text[a] in " -–—":
        a += 1
    while b > a and text[b - 1] == " ":
        b -= 1
    if b - a >= 2 and text[a] in DOUBLE_QUOTES and text[b - 1] in DOUBLE_QUOTES \
            and not _quote_parity(text[a + 1 : b - 1]):
        return a + 1, b - 1
    if a < b and text[a] in DOUBLE_QUOTES and _quote_parity(text[a:b]):
        return a + 1, b  # opens a quote a later sentence closes
    if b > a and text[b - 1] in DOUBLE_QUOTES and _quote_parity(text[a:b]):
        return a, b - 1  # closes a quote an earlier sentence opened
    return a, b


# -- introductions -----------------------------------------------------------------------------

# last word of a role: "누리연구원 미주연구부장", "도하람 전 의원", "누리시 대변인"
TITLES = frozenset(
    "대표 의원 장관 차관 대변인 교수 변호사 부장 차장 실장 위원장 위원 원장 회장 사장 시장 지사 군수 "
    "구청장 대통령 총리 부총리 청장 총장 처장 국장 과장 팀장 본부장 센터장 소장 이사 이사장 대리 연구원 "
    "연구위원 박사 검사 판사 감독 코치 기자 앵커 특파원 활동가 대사 비서관 수석 보좌관 전무 상무 부회장 "
    "최고위원 원내대표 대표의원 의장 부의장 목사 신부 스님 평론가 전문가 교사 작가 배우 가수 회계사 "
    "세무사 의사 간호사 주임 대령 장군 사령관 참모총장 1차장 2차장 주무관 사무관 서기관 관장 단장 "
    "조합장 지부장 위원회 대표이사 사무총장 사무처장 정책관 국장급 부원장 병원장 공동대표 선수 "
    "경제학자 애널리스트 연구소장 이코노미스트 강사 고문 부대변인 수석대변인 원내대변인 당대표 대표직무대행 "
    "변리사 노무사 약사 소방관 경찰관 경위 경감 경정 총경 부장판사 부장검사 검사장 지검장 고검장".split()
)
def _is_title(word: str) -> bool:
    """"대변인", "교통과장" (a title at the end of a compound), not "누리동"."""
    return word in TITLES or any(len(t) >= 2 and word.endswith(t) for t in TITLES)


ROLE_TAGS = frozenset({"NNG", "NNP", "NP", "MM", "SN", "SL", "SH", "XSN", "XPN", "NNB", "NR"})
MAX_ROLE_WORDS = 5


def introduction(speaker: str, article: Article) -> Introduction | None:
    """The speaker's full name with the role the article gives, e.g. "도하람 누리당 대표".

    The headline is read first, then the article's sentences in order, then the labels of
    its sound bites ("[구병진/누리시 대변인 : …]" → "구병진 누리시 대변인"). None when the
    article never writes a role right after the full name.
    """
    speaker = speaker.strip()
    if len(speaker) < 2:
        return None
    found = _intro_in(article.title, speaker, article.id, TITLE, 0)
    if found:
        return found
    for s in article.sentences:
        found = _intro_in(s.text, speaker, article.id, s.index, s.start)
        if found:
            return found
    return _intro_from_labels(speaker, article)


def _intro_in(text: str, speaker: str, source_id: str, sentence: int,
              offset: int) -> Introduction | None:
    for m in re.finditer(re.escape(speaker), text):
        a = m.start()
        if a > 0 and re.match(r"[가-힣A-Za-z0-9]", text[a - 1]):
            continue  # part of a longer word
        role_end = _role_end(text, m.end())
        if role_end is None:
            continue
        span = Span(text[a:role_end], source_id, sentence, offset + a, offset + role_end)
        return Introduction(span.text, speaker, (span,))
    return None


def _role_end(text: str, after_name: int) -> int | None:
    """End of the role words right after a name ("… 누리당 대표는" → after 대표)."""
    if after_name >= len(text) or text[after_name] != " ":
        return None
    tail = text[after_name:]
    tokens = tokenize(tail)
    end, words, last_title = after_name, 0, None
    prev_end = 0
    for t in tokens:
        gap = tail[prev_end:t.start]
        if t.tag not in ROLE_TAGS:
            break
        if gap not in ("", " "):
            break
        if gap == " ":
            words += 1
            if words > MAX_ROLE_WORDS:
                break
        prev_end = t.start + t.len
        end = after_name + prev_end
        if t.form in TITLES:
            last_title = end
    if last_title is None:
        return None
    # the role must end at a word boundary or before a particle, not inside a longer noun
    return last_title


def _intro_from_labels(speaker: str, article: Article) -> Introduction | None:
    for offset, line in _lines(article.text):
        stripped = line.strip()
        label = _label(stripped) if stripped else None
        if label is None or label.speaker != speaker or not label.role:
            continue
        if not _is_title(label.role.split()[-1]):
            continue
        lead = offset + len(line) - len(line.lstrip())
        na, nb = (lead + x for x in label.name_span)
        ra = lead + label.role_span[0]
        rb = ra + len(label.role)
        if article.text[ra:rb] != label.role:
            continue
        sentence = _sentence_at(article, na)
        if sentence is None:
            continue  # the words it introduces were cleaned away
        spans = (Span(article.text[na:nb], article.id, sentence, na, nb),
                 Span(label.role, article.id, sentence, ra, rb))
        return Introduction(f"{spans[0].text} {spans[1].text}", speaker, spans)
    return None


def _sentence_at(article: Article, offset: int) -> int | None:
    """The sentence a label introduces: the first one on its line, or, for a lower third on a
    line of its own, the first one of the next line."""
    line_start = article.text.rfind("\n", 0, offset) + 1
    line_end = article.text.find("\n", offset)
    line_end = len(article.text) if line_end < 0 else line_end
    next_end = article.text.find("\n", line_end + 1)
    next_end = len(article.text) if next_end < 0 else next_end
    for s in article.sentences:
        if line_start <= s.start < next_end:
            return s.index
    return None


# -- quotes ------------------------------------------------------------------------------------

_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
# final letters read with a final consonant: L(엘) M(엠) N(엔) R(알); digits 0 1 3 6 7 8
CODA_LETTERS = frozenset("lmnr0136781")


def _has_coda(ch: str) -> bool | None:
    code = ord(ch)
    if _HANGUL_FIRST <= code <= _HANGUL_LAST:
        return (code - _HANGUL_FIRST) % 28 != 0
    if ch.isascii() and ch.isalnum():
        return ch.lower() in CODA_LETTERS
    return None


def topic_particle(word: str) -> str | None:
    """은 after a final consonant, 는 after a vowel; None when it cannot be told."""
    word = word.rstrip()
    if not word:
        return None
    coda = _has_coda(word[-1])
    if coda is None:
        return None
    return "은" if coda else "는"


def quotative_particle(words: str) -> str | None:
    """고 after a plain -다 ending ("…부족하다"고), 이라고 after a noun with a final consonant
    ("…할 것"이라고), 라고 otherwise ("…하겠습니다"라고, "…했어요"라고)."""
    core = words.rstrip(" .!")
    if not core:
        return None
    last = core[-1]
    if last == "다" and not core.endswith("니다"):
        return "고"
    tokens = [t for t in tokenize(core) if not t.tag.startswith("S")]
    if not tokens:
        return None
    if tokens[-1].tag.startswith("N") or tokens[-1].tag in ("XSN", "NR", "SN"):
        coda = _has_coda(last)
        if coda is None:
            return None
        return "이라고" if coda else "라고"
    return "라고"


def attributed_quote(turn: Turn, intro: Introduction) -> Quote | None:
    """'도하람 누리당 대표는 "이번 예산안은 지역 경제를 살리기에 너무 부족하다"고 말했습니다.'

    None unless the turn is one named speaker's single complete statement from an article
    (as :func:`statements` returns them) and the introduction names that speaker in that
    article. The words are copied exactly, only a final full stop left out; the template adds
    the topic particle, the quote marks, the quotative particle and "말했습니다".
    """
    if not turn.speaker or turn.kind == "newsroom" or len(turn.sentences) != 1:
        return None
    if intro.name != turn.speaker or not intro.spans:
        return None
    if any(span.source_id != turn.source_id for span in intro.spans):
        return None
    if not _is_statement(turn.utterance):
        return None
    words = turn.utterance[:-1] if turn.utterance.endswith(".") else turn.utterance
    topic = topic_particle(intro.text)
    quotative = quotative_particle(words)
    if topic is None or quotative is None:
        return None
    span = Span(words, turn.source_id, turn.sentences[0], turn.start, turn.start + len(words))
    text = QUOTE_TEMPLATE.format(who=intro.text, topic=topic, words=words, quotative=quotative)
    return Quote(text, QUOTE_TEMPLATE, intro, span, topic, quotative)


def check_quote(quote: Quote, article: Article) -> bool:
    """True when every slot of ``quote`` is its source's text and the sentence re-renders."""
    spans = (*quote.who.spans, quote.words)
    for span in spans:
        if span.source_id != article.id:
            return False
        if span.sentence == TITLE:
            source = article.title
        elif 0 <= span.sentence < len(article.sentences):
            s = article.sentences[span.sentence]
            if not (s.start <= span.start and span.end <= s.end) and span is quote.words:
                return False
            source = article.text
        else:
            return False
        if source[span.start:span.end] != span.text:
            return False
    if quote.who.text != " ".join(s.text for s in quote.who.spans):
        return False
    if quote.topic != topic_particle(quote.who.text):
        return False
    if quote.quotative != quotative_particle(quote.words.text):
        return False
    return quote.text == quote.template.format(
        who=quote.who.text, topic=quote.topic, words=quote.words.text, quotative=quote.quotative
    )
