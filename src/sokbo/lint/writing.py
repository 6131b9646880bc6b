"""Writing rules (SB1xx): stutters, claims said twice, mixed speech levels, filler sentences."""
from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from sokbo.korean.style import speech_level
from sokbo.lint.context import PROSE_ROLES, Context
from sokbo.lint.nlp import content_morphemes, eojeols, mentions, tag
from sokbo.lint.rules import Hit, rule

if TYPE_CHECKING:
    from kiwipiepy import Token

NOUN_TAGS = frozenset({"NNG", "NNP", "SN", "SL", "XR"})
HEADLINE_ROLES = ("title", "heading", "card-subtitle")
# Near-duplicate claims: a clause pair sharing this share of content morphemes *and* a verbatim
# run of this many words, or whole sentences this alike. Within real articles this flags 4 of
# 21,287 sentence pairs (shared/data/summ) and 33 of 34,081 (150 articles of shared/data/clusters),
# each a caption or a claim the article itself says twice; the reference post's three
# "…대립을 뚜렷하게…" sentences share 0.56–0.6 of a clause and a 4-word run.
CLAUSE_JACCARD = 0.45
SHARED_RUN = 4
SENTENCE_JACCARD = 0.7
CLAUSE_MIN_MORPHEMES = 4


def _content_flags(text: str, tokens: Sequence[Token]) -> tuple[list[str], list[bool]]:
    """The sentence's words and, for each, whether it holds a noun, number or foreign word."""
    words: list[str] = []
    flags: list[bool] = []
    nouns = sorted(t.start for t in tokens if tag(t) in NOUN_TAGS)
    for m in re.finditer(r"\S+", text):
        word = eojeols(m.group())
        if not word:
            continue
        words.append(word[0])
        first = bisect.bisect_left(nouns, m.start())  # the first noun starting in the word
        flags.append(first < len(nouns) and nouns[first] < m.end())
    return words, flags


def repeated_phrase(
    words: Sequence[str], content: Sequence[bool], *, adjacent_only: bool = False
) -> str | None:
    """The longest stutter: a word sequence said twice in a row, or ≥2 words said twice.

    A single word repeated at a distance is normal prose; only an immediate repeat of one
    content word (협력 협력) counts. In prose, a phrase said twice apart is normal too (two
    people "…좋은 정치를 했으면 한다"고 …), so ``adjacent_only`` keeps just the stutters.
    """
    n = len(words)
    for size in range(n // 2, 0, -1):
        for i in range(n - 2 * size + 1):
            if words[i] != words[i + size]:  # no repeat starts here: nothing to slice
                continue
            gram = words[i : i + size]
            if gram == words[i + size : i + 2 * size] and any(content[i : i + size]):
                if size > 1 or len(gram[0]) > 1:
                    return " ".join(words[i : i + 2 * size])
    if adjacent_only:
        return None
    for size in range(n // 2, 1, -1):
        first: dict[tuple[str, ...], int] = {}
        for i in range(n - size + 1):
            key = tuple(words[i : i + size])
            if key in first and first[key] + size <= i and any(content[i : i + size]):
                return " ".join(key)
            first.setdefault(key, i)
    return None


def _repeated_nouns(tokens: Sequence[Token]) -> str | None:
    """In a headline, the same two nouns twice (러시아와 중국은 … 러시아와 중국의)."""
    nouns = [t.form for t in tokens if tag(t) in NOUN_TAGS]
    pairs = list(zip(nouns, nouns[1:], strict=False))
    for i, pair in enumerate(pairs):
        if pair in pairs[i + 2 :]:
            return " ".join(pair)
    return None


@rule(
    "SB101",
    "repeated-phrase",
    "error",
    "a phrase said twice inside one title, heading or sentence",
)
def check_repeated_phrase(ctx: Context) -> Iterator[Hit]:
    for s in ctx.post.sentences:
        tokens = ctx.tokens(s.text)
        headline = s.role in HEADLINE_ROLES
        phrase = repeated_phrase(*_content_flags(s.text, tokens), adjacent_only=not headline)
        if phrase is None and headline:
            phrase = _repeated_nouns(tokens)
        if phrase:
            yield Hit(
                s.location,
                s.text,
                f"같은 구절이 반복됩니다: '{phrase}'",
                f"repeated phrase: '{phrase}'",
            )


_ANNOUNCES = re.compile(r"(:\s*$|(에 대한|에 관한) (뉴스|내용|소식)입니다\.?\s*$|^(아래|다음)(는|은) )")


def _clauses(tokens: Sequence[Token]) -> list[set[str]]:
    """Content morphemes per clause; clauses end at a connective ending followed by a comma."""
    pieces: list[list[Token]] = [[]]
    for prev, t in zip([None, *tokens], tokens, strict=False):
        if t.tag == "SP" and prev is not None and prev.tag == "EC":
            pieces.append([])
        else:
            pieces[-1].append(t)
    sets = (content_morphemes(p) for p in pieces)
    return [c for c in sets if len(c) >= CLAUSE_MIN_MORPHEMES]


def _longest_shared_run(a: Sequence[str], b: Sequence[str]) -> int:
    best = 0
    prev = [0] * (len(b) + 1)
    for x in a:
        row = [0] * (len(b) + 1)
        for j, y in enumerate(b, 1):
            if x == y:
                row[j] = prev[j - 1] + 1
                best = max(best, row[j])
        prev = row
    return best


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def _claim_parts(ctx: Context, text: str) -> tuple[set[str], list[set[str]], list[str]]:
    """(content morphemes, per-clause content morphemes, words) of a sentence, once per run."""
    memo = ctx.memo.setdefault("claim-parts", {})
    if text not in memo:
        tokens = ctx.tokens(text)
        memo[text] = (content_morphemes(tokens), _clauses(tokens), eojeols(text))
    return memo[text]


def near_duplicate(ctx: Context, a: str, b: str) -> bool:
    ca, clauses_a, words_a = _claim_parts(ctx, a)
    cb, clauses_b, words_b = _claim_parts(ctx, b)
    if min(len(ca), len(cb)) >= 3 and _jaccard(ca, cb) >= SENTENCE_JACCARD:
        return True
    if not (ca & cb):
        return False
    clause = max(
        (_jaccard(x, y) for x, y in itertools.product(clauses_a, clauses_b)), default=0.0
    )
    return clause >= CLAUSE_JACCARD and _longest_shared_run(words_a, words_b) >= SHARED_RUN


@rule(
    "SB102",
    "duplicate-claim",
    "warning",
    "the same sentence or claim said again elsewhere in the post",
)
def check_duplicates(ctx: Context) -> Iterator[Hit]:
    # The excerpt and the cards summarise the sections, so only compare within each part.
    prose = ctx.post.by_role(*PROSE_ROLES)
    for group in ("excerpt", "cards", "sections"):
        members = [s for s in prose if s.group == group]
        # a sentence that only announces what follows ("아래는 … 안내입니다:") claims nothing
        claims = [not _ANNOUNCES.search(s.text) for s in members]
        for i, later in enumerate(members):
            earlier = next(
                (e for e, claim in zip(members[:i], claims, strict=False)
                 if claim and near_duplicate(ctx, e.text, later.text)),
                None,
            ) if claims[i] else None
            if earlier is not None:
                yield Hit(
                    later.location,
                    later.text,
                    f"앞 문장({earlier.location})과 같은 내용을 반복합니다",
                    f"repeats the claim of an earlier sentence ({earlier.location})",
                )


@rule(
    "SB103",
    "mixed-speech-level",
    "warning",
    "해라체 and 합쇼체 sentences mixed in one post",
)
def check_speech_level(ctx: Context) -> Iterator[Hit]:
    prose = ctx.post.by_role(*PROSE_ROLES)
    levels = [(s, speech_level(s.text)) for s in prose]
    plain = [s for s, lv in levels if lv == "plain"]
    polite = [s for s, lv in levels if lv == "polite"]
    if not plain or not polite:
        return
    # FORMAT.md asks for 합쇼체; report the minority, and plain sentences on a tie
    odd, level = (polite, "polite") if len(polite) < len(plain) else (plain, "plain")
    ko = "합쇼체 글 속 해라체 문장입니다" if level == "plain" else "해라체 글 속 합쇼체 문장입니다"
    en = (
        "plain 해라체 sentence in a polite 합쇼체 post"
        if level == "plain"
        else "polite 합쇼체 sentence in a plain 해라체 post"
    )
    for s in odd:
        yield Hit(s.location, s.text, ko, en)


def _nouns(ctx: Context, text: str) -> set[str]:
    return content_morphemes(ctx.tokens(text), frozenset({"NNG", "NNP", "SN"}))


# a whole sentence that only points at other text: "금융회사의 채무조정에 대한 내용입니다.",
# "이 표를 통해 지원대상을 한 눈에 확인할 수 있습니다."
_POINTER = re.compile(
    r"^(.{2,40}(에 대한|에 관한|을 다룬|를 다룬|하는) 내용입니다|(이|위의?|아래의?) (표|목록|내용)(를|을)? ?"
    r"(통해|보면|참고하면).{0,40}(확인|확인할|확인하실|알|볼|살펴볼) 수 있습니다)[.!]?$"
)
_PREDICATE_END = re.compile(r"(다|요|까)[.!?]?[\"'”’]?$")


@rule(
    "SB104",
    "filler-sentence",
    "info",
    "a sentence that only points at other text ('…에 대한 내용입니다'), or one with no name or "
    "number that shares no noun with the rest of the post",
)
def check_filler(ctx: Context) -> Iterator[Hit]:
    sentences = ctx.post.sentences
    nouns = [_nouns(ctx, s.text) for s in sentences]
    for i, s in enumerate(sentences):
        # a name or a number is a fact: such a sentence may be the only one to carry it;
        # greetings, fragments and list labels are no sentences to judge
        if (s.role not in PROSE_ROLES or len(s.text.split()) < 3
                or not _PREDICATE_END.search(s.text.strip())):
            continue
        pointer = _POINTER.search(s.text.strip())
        # in another tool's post a sentence sharing no noun is as often a greeting, a
        # condolence or a pointer to the source: only the sentences that point are judged
        if not pointer and (ctx.profile != "sokbo" or mentions(ctx.tokens(s.text))):
            continue
        others: set[str] = set().union(*(n for j, n in enumerate(nouns) if j != i))
        if pointer or not nouns[i] & others:
            yield Hit(
                s.location,
                s.text,
                "글의 다른 부분과 겹치는 명사·숫자가 없는 문장입니다 (내용 없는 문장?)",
                "shares no noun or number with the rest of the post (filler?)",
            )

