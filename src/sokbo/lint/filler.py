"""Filler (SB109): sections and paragraphs that tell the reader nothing, the moralising
"결론" an auto-blog appends and the generic paragraphs it pads a story with.

A unit (a section under a heading, or a paragraph outside any heading) is filler when none of
its sentences carries a figure or a quote, its sentences read as advice, hope or vague
consequence ("…해야 합니다", "…기대됩니다", "…영향을 미칠 것입니다"), and either its heading is
the kind such sections carry (결론, 전망, 의미, 역할, …), it is the post's last paragraph, or
it repeats nouns already used and adds none of its own, or every one of its (two or more)
sentences is advice, hope or vague consequence.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from sokbo.lint.blocks import Block
from sokbo.lint.context import Context, _split_run, line_location
from sokbo.lint.leaks import model_chat
from sokbo.lint.nlp import tag
from sokbo.lint.rules import Hit, rule
from sokbo.notices import is_notice

# sentences of advice, hope, praise, appeal or vague consequence
_VAGUE = re.compile(
    r"(해야|[가-힣]야 ?(합니다|한다|할 |하며|하고|하는)|필요(합니다|가 있|하다|하며|하고|할 것|합|성)"
    r"|중요(합니다|하다|한 |성|합)|바랍니다|바란다|기원합니다|보세요|하세요|주세요|부탁드립니다"
    r"|^결론적으로"
    r"|기대(됩니다|합니다|된다|한다|해 ?봅니다|를 모으)|것입니다|것이다|지켜봐야|주목(해야|할 필요|받고)"
    r"|노력(해야|이 필요|하고 있습니다|하고 있음)|힘써야|수 있습니다|수 있을 것|역할을|기여(할|하고)"
    r"|영향을 미(칠|치)|필수적"
    r"|의미를 (갖|가지|지니)|보여주(고|는|며)|보여줍니다|보여준다|자리 ?잡|거듭나|계기가|절실|시급|모범|귀감|희망|감동|영감)"
)
# headings of the sections auto-blogs pad a story with
_FILLER_HEADING = re.compile(
    r"(결론|맺음말|마무리|마치며|정리|요약|전망|과제|시사점|의미|중요성|필요성|역할|방향|방안|노력|영향|향후"
    r"|미래|교훈|다짐|응원|반응)"
)
_QUOTE = re.compile(r"[“\"]")
# a sentence that reports what someone said or did is news, not filler
_REPORTS = re.compile(
    r"(밝히|밝혔|밝혀(?!내)|말했|말하|전했|발표|강조했|설명했|주장했|주장하|제안했|제시했|표명|덧붙였|지적했|반박했|발부"
    r"|선고|입건|체포|기소|송치|수감|확인됐|확인되었|알려졌|집계됐|결정했|합의했|체결했|승인했)"
)
SECTION_VAGUE = 0.25     # share of vague sentences in a section under a filler heading
LAST_VAGUE = 0.34        # … in the post's last paragraph
STALE_VAGUE = 0.5        # … in a paragraph that adds no noun of its own
STALE_NEW_NOUNS = 0.25   # at most this share of a stale paragraph's nouns are new


@dataclass(eq=False)
class _Unit:
    block: Block
    sentences: list[str] = field(default_factory=list)
    parent: _Unit | None = None
    listed: bool = False

    @property
    def line(self) -> int:
        return self.block.title_line or self.block.line


def _units(blocks: list[Block]) -> tuple[list[_Unit], list[_Unit]]:
    """(sections, paragraphs): headings (not <h1>, the post's title) with their text, and
    every paragraph with the section it sits in."""
    sections: list[_Unit] = []
    paragraphs: list[_Unit] = []
    current: _Unit | None = None
    for block in blocks:
        if block.kind == "heading" and block.level != 1:
            current = _Unit(block, [s for s, _ in _split_run(block.body)])
            sections.append(current)
        elif block.kind in ("paragraph", "quote", "list") and not is_notice(block.text):
            runs = block.items if block.kind == "list" else [block.body]
            sentences = [s for run in runs for s, _ in _split_run(run)]
            if block.kind == "list" and current is not None:
                current.listed = True  # a list of items is something concrete
            if sentences:
                paragraphs.append(_Unit(block, sentences, current))
                if current is not None:
                    current.sentences.extend(sentences)
        elif block.kind in ("sources", "rule"):
            current = None  # the sources line or a thematic break (<hr>) ends the section
    return sections, paragraphs


def _specific(ctx: Context, sentence: str) -> bool:
    """A figure, a quote or a report of what someone said or did: what filler never has
    (and the model's chat, no filler but another defect)."""
    return (bool(_QUOTE.search(sentence) or _REPORTS.search(sentence))
            or model_chat(sentence)  # the model's chat with its user is SB105's
            or sentence.rstrip().endswith("?")  # a question is SB105's, not a platitude
            or any(tag(t) == "SN" or tag(t) == "W_SERIAL"  # a figure, a phone number
                   or (tag(t) == "SL" and len(t.form) >= 2
                       and t.form.lower() not in _title_words(ctx))
                   for t in ctx.tokens(sentence)))


def _title_words(ctx: Context) -> set[str]:
    """The title's words in Latin letters: the post's topic (DEI, AI), no fact when the
    text names it again, as a new name in Latin letters (GEFS, CCTV) would be."""
    memo = ctx.memo.get("filler-title-words")
    if memo is None:
        title = next((s.text for s in ctx.post.sentences if s.role == "title"), "")
        memo = ctx.memo["filler-title-words"] = {
            t.form.lower() for t in ctx.tokens(title) if tag(t) == "SL"} if title else set()
    return memo


def _vague_share(sentences: list[str]) -> float:
    return sum(1 for s in sentences if _VAGUE.search(s)) / len(sentences) if sentences else 0.0


def _nouns(ctx: Context, sentences: list[str]) -> set[str]:
    return {t.form for s in sentences for t in ctx.tokens(s) if tag(t) in ("NNG", "NNP")}


def _hit(unit: _Unit, what_ko: str, what_en: str) -> Hit:
    return Hit(
        line_location(unit.line),
        unit.block.title or " ".join(unit.sentences),
        f"{what_ko}: 사실 없이 당위·기대·일반론만 늘어놓습니다",
        f"{what_en} of filler: advice, hopes and generalities, no fact",
    )


@rule("SB109", "filler-section", "warning",
      "a section or paragraph of advice, hopes and generalities with no figure or quote "
      "(the appended '결론', padding)")
def check_filler_sections(ctx: Context) -> Iterator[Hit]:
    sections, paragraphs = _units(ctx.blocks)
    flagged: set[int] = set()
    # the first section introduces the story: general words there are no padding
    first = sections[0] if sections and (not paragraphs or paragraphs[0].parent is sections[0]) \
        else None
    for unit in sections:
        if unit is first:
            continue
        if (unit.sentences and not unit.listed and _FILLER_HEADING.search(unit.block.title)
                and not any(_specific(ctx, s) for s in unit.sentences)
                and _vague_share(unit.sentences) >= SECTION_VAGUE):
            flagged.add(id(unit))
            yield _hit(unit, "내용 없는 섹션", "a section")
    seen: set[str] = set()
    for i, unit in enumerate(paragraphs):
        nouns = _nouns(ctx, unit.sentences)
        new = nouns - seen
        seen |= nouns
        if (unit.parent is not None and id(unit.parent) in flagged) or any(
                _specific(ctx, s) for s in unit.sentences):
            continue
        vague = _vague_share(unit.sentences)
        last = i == len(paragraphs) - 1
        stale = (len(unit.sentences) >= 2 and len(new) <= STALE_NEW_NOUNS * max(len(nouns), 1)
                 and vague >= STALE_VAGUE)
        # a paragraph of nothing but advice and hopes, however new its words: "…할 필요가
        # 있습니다. …완화될 수 있을 것입니다." (the post's opening paragraph sets the scene)
        hollow = len(unit.sentences) >= 2 and vague == 1.0 and i > 0
        if (last and vague >= LAST_VAGUE) or stale or hollow:
            yield _hit(unit, "내용 없는 문단", "a paragraph")
