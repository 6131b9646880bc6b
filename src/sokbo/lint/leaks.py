"""What an auto-blog leaves in a post that is no article (SB105–SB108, SB111): the model's chat
with its user, prompt labels and placeholders and the source page's boilerplate, text cut off,
words of another language inside Korean sentences, and syllables no Korean word has."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from sokbo.lint.context import PROSE_ROLES, Context, line_location
from sokbo.lint.nlp import tag
from sokbo.lint.parse import LintSentence
from sokbo.lint.rules import Hit, rule
from sokbo.safetext import strip_markup

# -- SB105: the model talking to its user ---------------------------------------------------

# Sentences a language model writes to the person who prompted it, not to a reader: about
# writing the article it was asked for, asking for input, offering more work, its settings.
_CHAT = re.compile(
    r"(작성해\s?(주신|주셨|드린|드렸|드릴|드리겠|보겠|보려|보도록)|작성(하도록|해 드리|해드리)"
    r"|(기사|글)(을|를) 작성(하겠|해 ?보|하도록|해 ?드|하여 드|했습니다|하였습니다)"
    r"|(주제|키워드)(를|나|또는)\s.*(제시|알려|말씀)해\s?주|제시해\s?주시겠어요"
    r"|주신 (내용|자료|정보|기사)(을|를)? ?(바탕|토대|참고)|제공해\s?주신|요청하신|말씀하신 (내용|대로)"
    r"|결과물을 확인|추가 (작업|수정|요청)이 필요하(시|다)면|언제든(지)? (말씀|알려|요청)"
    r"|확인 부탁드립니다|도움이 되셨(기를|길|으면)|설명을 제공해\s?드리"
    r"|이 (기사|글)를 토대로|(이해를 높이고자 하는|이해를 돕기 위한) 의도로 작성"
    r"|(클릭하고 싶은|클릭을 부르는|클릭을 유도하는) 기사를 작성하는)"
)
# Generation settings printed into a post (a table of them, or a line).
_SETTINGS = re.compile(r"(?i)\b(top[ _-]?p|top[ _-]?k|temperature|beam_width|max_tokens)\b")
# An interview's questions left as the article: every section asks the guests.
_ASKS = re.compile(r"어떻게 (생각하(시나요|십니까|세요)|보시나요|보십니까)\s*\??$|(으로|로) 보시나요\??$")


def model_chat(text: str) -> bool:
    """Whether a sentence is the model talking to its user (SB105's; no other rule's)."""
    return bool(_CHAT.search(text))


def _texts(ctx: Context, roles: tuple[str, ...] | None = None) -> list[LintSentence]:
    return [s for s in ctx.post.sentences if roles is None or s.role in roles]


@rule("SB105", "model-chatter", "error",
      "the model's chat with its user instead of article text (writing offers, requests, "
      "questions to guests, generation settings)")
def check_model_chatter(ctx: Context) -> Iterator[Hit]:
    sentences = _texts(ctx)
    asks = [s for s in sentences if s.role in PROSE_ROLES and _ASKS.search(s.text)]
    flagged: set[str] = set()
    for s in sentences:
        if _CHAT.search(s.text) or (len(asks) >= 2 and s in asks):
            if s.location in flagged:
                continue
            flagged.add(s.location)
            yield Hit(
                s.location,
                s.text,
                "기사가 아니라 모델이 사용자에게 하는 말입니다 (작성 제안·요청·질문)",
                "the model talking to its user, not article text (offers to write, requests, "
                "questions)",
            )
    for block in ctx.blocks:
        if block.kind == "table" and _SETTINGS.search(block.text):
            yield Hit(
                line_location(block.line),
                block.text,
                "모델 생성 설정값(Temperature, Top P …)이 글에 들어 있습니다",
                "the model's generation settings (Temperature, Top P, …) are printed in the post",
            )


# -- SB106: prompt labels, placeholders, the source page's boilerplate ------------------------

_LABEL_AT_START = re.compile(
    r"^\s*[\[(<]?\s*(제목|부제목|소제목\s?\d*|요약문|요약|본문|기사 ?내용|테이블 태그|표 태그|해시태그|키워드|"
    r"메타 ?설명|도입부|결론부)\s*[\])>]?\s*[:：]"
)
_LABEL_ANYWHERE = re.compile(
    r"[(\[]\s*(\d{2,4}\s?자(\s?내외|\s?이내)?|요약문|본문|기사 ?내용|소제목\s?\d*|제목)\s*[)\]]"
)
_BOILERPLATE = re.compile(
    r"(무단\s?전재|재배포\s?금지|저작권법\s?제\s?\d+\s?조|공공누리|제3자에게 저작권이 있|"
    r"저작권자\s?[(ⓒ©]|Copyright\s?(ⓒ|©|\(c\))|"
    r"\d{4}\.\s?\d{1,2}\.\s?\d{1,2}\s?/\s?(뉴스1|연합뉴스|뉴시스)|"
    r"(제보|문의)\s?(는|하기)?\s?[:：]?\s?(전화|카카오톡|이메일)|[\'‘]?\w*제보[\'’]?\s?검색|"
    r"뉴스를 구독해\s?주세요)"
)
_PLACEHOLDER_CELL = re.compile(r"^\s*(내용|OOO|○○○|XXX|xxx|\(내용\)|\[내용\]|TBD|N/?A)\s*$")


def _boilerplate_blocks(ctx: Context) -> Iterator[tuple[int, str]]:
    for block in ctx.blocks:
        texts = [run.text for run in block.items] if block.kind in ("list", "table") else []
        texts.append(block.text)
        if any(_BOILERPLATE.search(t) for t in texts):
            yield block.line, block.text


@rule("SB106", "leaked-label", "error",
      "a prompt label or placeholder ('제목:', '(150자)', '내용'), or the source page's "
      "boilerplate (copyright notice, photo credit, tip line) left in the post")
def check_leaked_labels(ctx: Context) -> Iterator[Hit]:
    seen: set[str] = set()
    for s in _texts(ctx):
        if s.location in seen:
            continue
        match = _LABEL_AT_START.search(s.text) or _LABEL_ANYWHERE.search(s.text)
        if match or (s.role in ("excerpt", "title") and _BOILERPLATE.search(s.text)):
            seen.add(s.location)
            yield Hit(
                s.location,
                match.group(0) if match else s.text,
                "프롬프트의 표시나 원문 사이트의 문구가 그대로 남아 있습니다",
                "a prompt label or the source page's boilerplate is left in the text",
            )
    for line, text in _boilerplate_blocks(ctx):
        location = line_location(line)
        if location not in seen:
            seen.add(location)
            yield Hit(
                location,
                text,
                "원문 사이트의 저작권·제보 안내 문구가 그대로 붙어 있습니다",
                "the source site's boilerplate (copyright notice, photo credit, tip line) is "
                "pasted into the post",
            )
    for block in ctx.blocks:
        header = block.rows[0] if block.rows else 0
        cells = [c for c in block.items[header:] if _PLACEHOLDER_CELL.match(c.text)]
        if block.kind == "table" and cells:
            location = line_location(cells[0].line_at(0) or block.line)
            if location not in seen:
                seen.add(location)
                yield Hit(
                    location,
                    block.text,
                    "표에 채워지지 않은 자리 표시('내용')가 있습니다",
                    "a table cell holds a placeholder ('내용') instead of a value",
                )


# -- SB107: text cut off ----------------------------------------------------------------------

# ends mid-word or mid-sentence with an ellipsis: "…협…", "있습니…", "냄새의..", "2…"
# ("…흐렸습니다…" ends a sentence before its ellipsis: no cut)
_CUT_END = re.compile(r"[가-힣A-Za-z0-9,·](?<![다요까죠])\s?(…|\.{2,}|⋯)\s*$")
# ends with a syllable no sentence ends on, before an ellipsis: "내리…", "구…"
_ANNOUNCE = re.compile(r"(살펴보|알아보|다뤄보|소개하|정리해 ?보)(겠습니다|도록 하겠습니다|고자 합니다)\.?\s*$")


def _opens_cut(text: str) -> bool:
    """A quote closed that never opened: the text was cut at its start."""
    first = next((c for c in text if c in "“”\"'‘’"), "")
    return first in ("”", "’")


@rule("SB107", "truncated-text", "error",
      "text cut off: an excerpt or sentence ending mid-word with an ellipsis, a quote missing "
      "its start, or a post that stops after announcing what comes next")
def check_truncated(ctx: Context) -> Iterator[Hit]:
    excerpt = ctx.post.front("excerpt")
    if isinstance(excerpt, str) and _CUT_END.search(" ".join(excerpt.split())):
        yield Hit(
            "front-matter:excerpt",
            excerpt[-40:],
            "요약이 단어나 문장 중간에서 잘렸습니다",
            "the excerpt is cut off mid-word or mid-sentence",
        )
    for block in ctx.blocks:
        runs = block.items if block.kind in ("list", "table") else [block.body]
        for run in runs:
            text = " ".join(run.text.split())
            if block.kind in ("paragraph", "list", "table", "quote") and text and (
                    _CUT_END.search(text) or _opens_cut(text)):
                yield Hit(
                    line_location(run.line_at(0) or block.line),
                    text,
                    "문장이 중간에서 잘렸습니다",
                    "text cut off (ends mid-sentence with an ellipsis, or a quote missing its "
                    "start)",
                )
    prose = [b for b in ctx.blocks if b.kind in ("paragraph", "list", "quote", "heading")]
    if prose and prose[-1].kind == "paragraph":
        last = " ".join(prose[-1].body.text.split())
        if _ANNOUNCE.search(last):
            yield Hit(
                line_location(prose[-1].line),
                last,
                "다음 내용을 예고하고는 글이 끝납니다 (잘린 글)",
                "the post stops right after announcing what it will cover next",
            )


# -- SB108: words of another language inside Korean sentences --------------------------------

_LATIN_WORD = re.compile(r"(?<![\w/.@#-])([A-Za-z][A-Za-z'-]*[a-z][A-Za-z'-]*)(?![\w/.@-])")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]{2,}")


# Greek letters of units and symbols: 마이크로미터(μm), 10㏀ read as 10kΩ
_UNIT_LETTERS = frozenset("μµΩΩ")


def _foreign_chars(word: str) -> bool:
    """Letters of a script Korean prose does not use (Cyrillic, Thai, kana, Latin with
    diacritics as in Vietnamese)."""
    for ch in word:
        if "가" <= ch <= "힣" or not ch.isalpha():  # a syllable: HANGUL SYLLABLE …, no look-up
            continue
        name = unicodedata.name(ch, "")
        if ch.isascii() or name.startswith(("HANGUL", "CJK")) or ch in _UNIT_LETTERS:
            continue
        return True
    return False


def _hangul_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum("가" <= c <= "힣" for c in letters) / len(letters) if letters else 0.0


def _foreign_words(text: str) -> list[str]:
    words = [w for w in re.split(r"\s+", text) if _foreign_chars(w)]
    inside_parens = {m.group(0) for m in re.finditer(r"\([^)]*\)", text)}
    # an English gloss in parentheses ("사기꾼 조(crooked Joe)") is the writer's choice
    bare = re.sub(r"\([^)]*\)", " ", text)
    words += [m.group(1) for m in _LATIN_WORD.finditer(bare)
              if len(m.group(1)) >= 4 and m.group(1)[0].islower()]
    words += [m.group(0) for m in _HAN_RUN.finditer(text)
              if not any(m.group(0) in p for p in inside_parens)]
    return words


@rule("SB108", "foreign-word", "warning",
      "a word in another language or script inside a Korean sentence (names, units, acronyms "
      "and loanwords written in Latin letters are fine)")
def check_foreign_words(ctx: Context) -> Iterator[Hit]:
    for s in _texts(ctx, (*PROSE_ROLES, "heading", "title", "cell")):
        if _hangul_share(s.text) < 0.3 and not any(_foreign_chars(w) for w in s.text.split()):
            continue
        # NFKC: a full-width unit ("2ｍ") or digit is the ASCII one
        text = strip_markup(re.sub(r"https?://\S+|\S+@\S+|#\S+", " ",
                                   unicodedata.normalize("NFKC", s.text)))
        words = _foreign_words(text.replace("＜", " "))
        if words:
            yield Hit(
                s.location,
                " ".join(dict.fromkeys(words)),
                f"한국어 문장 속 외국어 단어: {', '.join(dict.fromkeys(words))}",
                f"word(s) of another language in a Korean sentence: "
                f"{', '.join(dict.fromkeys(words))}",
            )


# -- SB111: a syllable no Korean word uses ----------------------------------------------------

# The 2,350 syllables of KS X 1001 write every word of everyday Korean (EUC-KR gives each two
# bytes; the other 8,822 it can only spell out jamo by jamo). In news text the others are typos
# and broken characters ("의겈들이", "경고헀다") or foreign names transliterated (떤선녓 공항,
# 슌스케), which Kiwi reads as proper nouns.
_RARE_SYLLABLE = re.compile("[" + "".join(
    chr(c) for c in range(0xAC00, 0xD7A4) if len(chr(c).encode("euc-kr")) != 2) + "]")
# quoted words may be a sound or a name as said ("띡" 하는 단말기 소리)
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|‘[^’]*’|'[^']*'")
_NAME_TAGS = frozenset({"NNP", "SL", "SH"})


@rule("SB111", "broken-syllable", "warning",
      "a syllable outside the 2,350 of everyday Korean (KS X 1001) in a word Kiwi reads as no "
      "name: a typo or a broken character ('의겈들이', '경고헀다')")
def check_broken_syllables(ctx: Context) -> Iterator[Hit]:
    for s in _texts(ctx, (*PROSE_ROLES, "heading", "title", "cell")):
        if not _RARE_SYLLABLE.search(s.text):
            continue
        quoted = [m.span() for m in _QUOTED.finditer(s.text)]
        tokens = ctx.tokens(s.text)
        words: list[str] = []
        for m in _RARE_SYLLABLE.finditer(s.text):
            at = m.start()
            if any(a <= at < b for a, b in quoted):
                continue
            token = next((t for t in tokens if t.start <= at < t.start + t.len), None)
            if token is not None and tag(token) in _NAME_TAGS:
                continue
            start = s.text.rfind(" ", 0, at) + 1
            end = s.text.find(" ", at)
            words.append(s.text[start:end if end >= 0 else len(s.text)].strip(".,!?"))
        if words:
            shown = ", ".join(dict.fromkeys(words))
            yield Hit(
                s.location,
                shown,
                f"한국어에 쓰이지 않는 글자가 든 낱말: {shown} (오타나 깨진 글자?)",
                f"a syllable no Korean word uses: {shown} (a typo or a broken character?)",
            )
