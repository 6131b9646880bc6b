"""Format rules: the front matter (SB2xx) and the body layout of FORMAT.md (SB3xx).

Under ``--profile sokbo`` every rule here holds a post to FORMAT.md. Under ``auto`` (another
tool's post) only what a reader of that post would see is checked: invalid front matter, an
excerpt that differs from feature_text once a theme's banner line is set aside, two spacers in
a row, no sources; the rules of the post's own template are in ``lint.template``.

The Jekyll layout nests ``<h2>`` inside ``<p>`` for theme compatibility; that is accepted here,
and so is a bare ``<h2>`` followed by paragraphs (the Hugo and Markdown renderers). A body may
take any of the post shapes in ``sokbo.shapes`` (full, compact for short articles, brief).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from sokbo.lint.blocks import SOURCES_LINE, Block
from sokbo.lint.context import Context, line_location
from sokbo.lint.parse import SPACER_ATTR
from sokbo.lint.rules import Hit, rule
from sokbo.shapes import SHAPES, shapes_fitting

TITLE_MAX_CHARS = 30
# key → (type check, type named in messages)
REQUIRED_KEYS: dict[str, tuple[type, str]] = {
    "title": (str, "string"),
    "categories": (list, "list of strings"),
    "excerpt": (str, "string"),
    "feature_text": (str, "string"),
    "image": (str, "string"),
}
_KO_TYPES = {"string": "문자열", "list of strings": "문자열 목록"}
_FM = "front-matter"


def _fm(key: str) -> str:
    return f"{_FM}:{key}"


@rule("SB201", "front-matter-invalid", "error", "front matter is missing or is not a YAML mapping")
def check_front_matter(ctx: Context) -> Iterator[Hit]:
    post = ctx.post
    if not post.has_front_matter and ctx.profile == "sokbo":  # a pasted HTML fragment is fine
        yield Hit(
            _FM,
            post.text.lstrip()[:40],
            "YAML 머리말(--- … ---)이 없습니다",
            "no YAML front matter (--- … ---) at the top of the post",
        )
    elif post.front_matter_error:
        yield Hit(
            _FM,
            post.front_matter_error,
            f"머리말을 YAML로 읽을 수 없습니다: {post.front_matter_error}",
            f"front matter is not valid YAML: {post.front_matter_error}",
        )


@rule("SB202", "missing-key", "error", "a required front matter key is missing",
      profiles=["sokbo"])
def check_missing_keys(ctx: Context) -> Iterator[Hit]:
    data = ctx.post.front_matter
    if data is None:
        return
    for key in REQUIRED_KEYS:
        if key not in data:
            yield Hit(
                _fm(key),
                key,
                f"머리말에 필수 키 '{key}'가 없습니다",
                f"required front matter key '{key}' is missing",
            )


def _type_ok(key: str, value: object) -> bool:
    kind, _ = REQUIRED_KEYS[key]
    if not isinstance(value, kind):
        return False
    if isinstance(value, list):
        return bool(value) and all(isinstance(v, str) and v.strip() for v in value)
    return bool(str(value).strip())


@rule("SB203", "key-type", "error", "a front matter key has the wrong type or is empty",
      profiles=["sokbo"])
def check_key_types(ctx: Context) -> Iterator[Hit]:
    data = ctx.post.front_matter or {}
    for key, (_, named) in REQUIRED_KEYS.items():
        if key in data and not _type_ok(key, data[key]):
            yield Hit(
                _fm(key),
                repr(data[key]),
                f"'{key}'는 비어 있지 않은 {_KO_TYPES[named]}이어야 합니다",
                f"'{key}' must be a non-empty {named}",
            )


def _without_banner(text: str) -> str:
    """Text without the Markdown heading lines some themes put before it
    (``## 〈blog〉 실시간 뉴스 속보입니다.``), whitespace collapsed."""
    return " ".join(" ".join(ln for ln in text.split("\n") if not ln.lstrip().startswith("#"))
                    .split())


@rule("SB204", "excerpt-mismatch", "error", "excerpt and feature_text differ",
      profiles=["sokbo", "auto"])
def check_excerpt_feature(ctx: Context) -> Iterator[Hit]:
    excerpt, feature = ctx.post.front("excerpt"), ctx.post.front("feature_text")
    if not (isinstance(excerpt, str) and isinstance(feature, str)):
        return
    # the folded scalar's trailing newline (> vs >-) is invisible on the page; another
    # template's banner line before the excerpt is that template's, not a second summary
    same = (" ".join(excerpt.split()) == " ".join(feature.split()) if ctx.profile == "sokbo"
            else _without_banner(excerpt) == _without_banner(feature))
    if not same:
        yield Hit(
            _fm("feature_text"),
            feature,
            "feature_text가 excerpt와 같아야 합니다",
            "feature_text must be identical to excerpt",
        )


@rule("SB205", "title-too-long", "error", f"title longer than {TITLE_MAX_CHARS} characters",
      profiles=["sokbo"])
def check_title_length(ctx: Context) -> Iterator[Hit]:
    title = ctx.post.front("title")
    if isinstance(title, str) and len(title.strip()) > TITLE_MAX_CHARS:
        n = len(title.strip())
        yield Hit(
            _fm("title"),
            title,
            f"제목이 {n}자입니다 ({TITLE_MAX_CHARS}자 이하)",
            f"title has {n} characters (at most {TITLE_MAX_CHARS})",
        )


@dataclass
class Section:
    heading: Block
    paragraphs: list[Block] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Paragraphs of text: the one inside the heading's <p> (Jekyll) plus those after it."""
        return bool(self.heading.body.text.strip()) + len(self.paragraphs)

    @property
    def blocks(self) -> list[Block]:
        return [self.heading, *self.paragraphs]


@dataclass
class Layout:
    """The body read against FORMAT.md: image, summary cards, sections, then sources and the rest.

    A section runs from its heading to the next spacer, heading or sources line; text blocks in
    the section area that belong to no section are ``strays``.
    """

    image: Block | None = None
    lead: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    strays: list[Block] = field(default_factory=list)
    tail: list[Block] = field(default_factory=list)


def layout(blocks: list[Block]) -> Layout:
    out = Layout()
    headings = [i for i, b in enumerate(blocks) if b.is_h2]
    first_heading = headings[0] if headings else len(blocks)
    last_heading = headings[-1] if headings else -1
    sources = next((i for i, b in enumerate(blocks) if b.kind == "sources"), len(blocks))
    end_of_lead = min(first_heading, sources)
    lead = [b for b in blocks[:end_of_lead] if b.kind != "spacer"]
    if lead and lead[0].kind == "image":
        out.image, lead = lead[0], lead[1:]
    out.lead = lead
    current: Section | None = None
    for i in range(end_of_lead, sources):
        block = blocks[i]
        if block.is_h2:
            current = Section(block)
            out.sections.append(current)
        elif block.kind == "spacer":
            current = None
        elif block.kind == "paragraph" and current is not None:
            current.paragraphs.append(block)
        elif i > last_heading:
            out.tail.append(block)
        else:
            out.strays.append(block)
    out.tail.extend(b for b in blocks[sources:] if b.kind != "spacer")
    return out


def _kinds(blocks: list[Block]) -> str:
    return " ".join(b.kind for b in blocks) or "nothing"


@rule("SB301", "image-first", "error", "the body does not open with the post image paragraph",
      profiles=["sokbo"])
def check_image(ctx: Context) -> Iterator[Hit]:
    blocks = [b for b in ctx.blocks if b.kind != "spacer"]
    if not blocks or blocks[0].kind != "image":
        where = line_location(blocks[0].line) if blocks else line_location(ctx.post.body_line)
        yield Hit(
            where,
            blocks[0].text if blocks else "",
            "본문은 <p><img …/></p> 이미지 문단으로 시작해야 합니다",
            "the body must open with the image paragraph <p><img …/></p>",
        )
        return
    image = ctx.post.front("image")
    node = blocks[0].node
    src = next((n.attr("src") for n in node.walk() if n.tag == "img"), None) if node else None
    if isinstance(image, str) and src is not None and src.strip() != image.strip():
        yield Hit(
            line_location(blocks[0].line),
            src,
            "본문 이미지가 머리말의 image와 다릅니다",
            "the body image differs from the front matter image",
        )


CARD_COUNTS = sorted({s.cards for s in SHAPES})


@rule(
    "SB302",
    "summary-cards",
    "error",
    "not two summary cards (red subtitle paragraph + blue key sentence), nor none (brief post)",
    profiles=["sokbo"],
)
def check_cards(ctx: Context) -> Iterator[Hit]:
    lead = layout(ctx.blocks).lead
    kinds = [b.kind for b in lead]
    if kinds not in (["card", "key"] * n for n in CARD_COUNTS):
        where = line_location(lead[0].line if lead else ctx.post.body_line)
        yield Hit(
            where,
            _kinds(lead),
            "요약 카드는 빨간 소제목 문단과 파란 핵심 문장 문단 두 쌍이어야 합니다 "
            "(짧은 글은 카드 없이)",
            f"expected two summary cards (card key card key) before the first section, "
            f"or none in a brief post; found: {_kinds(lead)}",
        )
        return
    sentences = ctx.post.sentences
    for block in lead:
        para = ctx.blocks.index(block) + 1
        role = "card" if block.kind == "card" else "card-key"
        n = sum(1 for s in sentences if s.para == para and s.role == role)
        low, high = (1, 3) if block.kind == "card" else (1, 1)
        if not low <= n <= high or block.highlights > 1:
            expected = "1–3 sentences" if block.kind == "card" else "one sentence"
            yield Hit(
                line_location(block.line),
                block.text,
                f"카드 문단의 문장 수({n}) 또는 강조 구절 수({block.highlights})가 형식과 다릅니다",
                f"card {block.kind} paragraph has {n} sentences and {block.highlights} highlights "
                f"(expected {expected}, at most one highlight)",
            )


def _shape_rule(cards: int) -> tuple[str, str]:
    """What the shapes with this many cards allow, in Korean and English."""
    fitting = [s for s in SHAPES if s.cards == cards] or list(SHAPES)
    ko = " 또는 ".join(
        f"섹션 {s.sections[0]}~{s.sections[1]}개, "
        f"섹션마다 문단 {s.paragraphs[0]}~{s.paragraphs[1]}개" for s in fitting)
    en = " or ".join(
        f"{s.sections[0]}–{s.sections[1]} sections of {s.paragraphs[0]}–{s.paragraphs[1]} "
        f"paragraphs ({s.name})" for s in fitting)
    return ko, en


@rule(
    "SB303",
    "sections",
    "error",
    "h2 sections that fit no post shape (full: 2–3 sections of 2–3 paragraphs; compact and "
    "brief for short articles), or text outside any section",
    profiles=["sokbo"],
)
def check_sections(ctx: Context) -> Iterator[Hit]:
    lay = layout(ctx.blocks)
    cards = sum(1 for b in lay.lead if b.kind == "card")
    counts = [s.count for s in lay.sections]
    # a wrong number of cards is SB302's finding: judge the sections by any shape then
    fits = (shapes_fitting(cards, counts) if cards in CARD_COUNTS
            else [s for s in SHAPES if s.fits(s.cards, counts)])
    if not fits:
        ko, en = _shape_rule(cards)
        where = lay.sections[0].heading.line if lay.sections else ctx.post.body_line
        yield Hit(
            line_location(where),
            " / ".join(f"{s.heading.title} ({s.count})" for s in lay.sections),
            f"본문 섹션이 글 형식에 맞지 않습니다 (카드 {cards}개: {ko}; "
            f"현재 섹션 {len(counts)}개, 문단 {counts})",
            f"sections fit no post shape: with {cards} cards, expected {en}; found "
            f"{len(counts)} sections with {counts} paragraphs",
        )
    for section in lay.sections:
        if not section.heading.title.strip():
            yield Hit(
                line_location(section.heading.line),
                section.heading.text,
                "섹션 제목이 비어 있습니다",
                "a section heading is empty",
            )
    for block in lay.strays:
        yield Hit(
            line_location(block.line),
            block.text,
            "어느 섹션에도 속하지 않는 블록입니다",
            f"{block.kind} block outside any section",
        )


def _spacer_ok(block: Block) -> bool:
    node = block.node
    return node is not None and node.attr(SPACER_ATTR[0]) == SPACER_ATTR[1]


def _doubled_spacers(blocks: list[Block]) -> Iterator[Hit]:
    """Two spacers (empty paragraphs) in a row: a gap twice as tall as the template's."""
    for before, block in zip(blocks, blocks[1:], strict=False):
        if before.kind == "spacer" and block.kind == "spacer":
            yield Hit(
                line_location(block.line),
                "&nbsp;",
                "간격 문단이 두 번 이어집니다",
                "two spacer paragraphs in a row (a doubled gap)",
            )


@rule("SB304", "spacer-placement", "error", "a spacer paragraph is missing, doubled or misplaced",
      profiles=["sokbo", "auto"])
def check_spacers(ctx: Context) -> Iterator[Hit]:
    blocks = ctx.blocks
    if ctx.profile != "sokbo":
        yield from _doubled_spacers(blocks)
        return
    lay = layout(blocks)
    expected: set[int] = set()  # indexes of blocks that must be spacers
    for section in lay.sections:
        heading = blocks.index(section.heading)
        if heading > 0:
            expected.add(heading - 1)
            if blocks[heading - 1].kind != "spacer":
                yield Hit(
                    line_location(section.heading.line),
                    section.heading.title,
                    "이 섹션 제목 앞에 간격 문단(<p data-ke-size=\"size16\">&nbsp;</p>)이 없습니다",
                    'no spacer (<p data-ke-size="size16">&nbsp;</p>) before this section heading',
                )
    if lay.sections:
        last = lay.sections[-1].blocks[-1]
        after = blocks.index(last) + 1
        expected.add(after)
        if after >= len(blocks) or blocks[after].kind != "spacer":
            yield Hit(
                line_location(last.line),
                last.text,
                "마지막 섹션 뒤에 간격 문단이 없습니다",
                "no spacer after the last section",
            )
    tail_start = min((blocks.index(b) for b in lay.tail), default=len(blocks))
    for i, block in enumerate(blocks):
        if block.kind != "spacer":
            continue
        if i not in expected and i < tail_start:
            yield Hit(
                line_location(block.line),
                "&nbsp;",
                "간격 문단이 있을 자리가 아닙니다",
                "spacer in the wrong place (doubled, or inside cards or a section)",
            )
        elif not _spacer_ok(block):
            yield Hit(
                line_location(block.line),
                "<p></p>",
                "빈 문단입니다: 간격은 <p data-ke-size=\"size16\">&nbsp;</p>로 씁니다",
                'empty paragraph: a spacer is <p data-ke-size="size16">&nbsp;</p>',
            )


@rule("SB305", "missing-sources", "warning", "no 출처 paragraph linking the source articles",
      profiles=["sokbo", "auto"])
def check_sources(ctx: Context) -> Iterator[Hit]:
    for block in ctx.blocks:
        if block.kind == "sources" and block.node is not None:
            if any(n.tag == "a" and (n.attr("href") or "").strip() for n in block.node.walk()):
                return
            # "출처: 광양신문": the outlet named where its article had no address (a text file,
            # a JSONL record without url) still tells readers where to look
            named = SOURCES_LINE.sub("", block.text, count=1).strip()
            if re.search(r"[가-힣A-Za-z]{2}", named) and not re.search(r"https?://", named):
                return
    last = ctx.blocks[-1] if ctx.blocks else None
    yield Hit(
        line_location(last.line if last else ctx.post.body_line),
        last.text if last else "",
        "출처 문단(<p>출처: <a …>언론사</a>, …</p>)이 없습니다: 독자가 확인할 수 없습니다",
        "no sources paragraph (<p>출처: <a …>outlet</a>, …</p>): readers cannot check anything",
    )
