"""The body's top-level blocks, each classified by what it is on the page.

A block is an image paragraph, a summary card and its key sentence (FORMAT.md), a spacer, a
heading (``<h1>``–``<h6>``, the Jekyll layout's ``<p><h2>…</h2>…</p>``, or a paragraph that is
one short bold line: a heading as other templates write it), a sources line, a paragraph, a
list, a table, a quote, a rule (``<hr>``) or something else. Wrappers (``<div>``,
``<section>``, …) are opened, so their blocks count as top-level. Lists and tables keep their
items and cells, so every text container is read.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from sokbo.lint.parse import BLUE, HIGHLIGHT, RED, Node, TextRun

__all__ = ["SOURCES_LINE", "Block", "body_blocks"]

_HEADING = re.compile(r"h([1-6])")
_WRAPPERS = frozenset("div section article main header footer aside center font".split())
_BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 ul ol dl li table figure blockquote pre hr section article header "
    "footer nav aside main center script style iframe object embed form details".split()
)
_LISTS = frozenset({"ul", "ol", "dl"})
_BOLD = frozenset({"b", "strong"})
# a bold line this short, with no sentence ending, is a heading ("**핵심광물 공급망 협력**")
PSEUDO_HEADING_CHARS = 40
_SENTENCE_END = re.compile(r"(다|요|까|죠|[.!?…])[\"'”’)\]]*\s*$")
SOURCES_LINE = re.compile(r"^\s*[(\[<]?\s*(자료\s*)?출처\s*[:：=]?")
_HOME_PAGE = re.compile(r"^https?://[^/?#]+/?$", re.I)
CTA_CHARS = 80


def _cta(node: Node) -> bool:
    """A short paragraph whose links all go to a site's home page ("실시간 뉴스 속보는, …")."""
    links = [n.attr("href") or "" for n in node.walk() if n.tag == "a"]
    return (bool(links) and all(_HOME_PAGE.match(h.strip()) for h in links)
            and len(_squash(node.run().text)) <= CTA_CHARS)


@dataclass(slots=True, eq=False)
class Block:
    """A top-level piece of the body.

    kind: image | card | key | spacer | heading | sources | cta | paragraph | list | table |
    quote | rule | other (``cta``: a short line linking a site's home page, a call to action). ``title`` is the red subtitle or the heading text; ``body`` the rest of the
    text; ``level`` a heading's level (1–6; 0 for a bold-line heading); ``items`` the text of
    each list item or table cell; ``rows`` a table's cell count per row.
    """

    kind: str
    line: int
    node: Node | None
    title: str = ""
    title_line: int = 0
    body: TextRun = field(default_factory=TextRun)
    highlights: int = 0
    level: int = 0
    items: list[TextRun] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(f"{self.title} {self.body.text}".split())

    @property
    def is_h2(self) -> bool:
        """A section heading of FORMAT.md (``<h2>``, bare or inside ``<p>``)."""
        return self.kind == "heading" and self.level == 2


def _blank(text: str) -> bool:
    return not text.replace("\xa0", " ").replace("\ufeff", "").replace("\u200b", "").strip()


def _squash(text: str) -> str:
    return " ".join(text.split())


def _is_bold(node: Node) -> bool:
    return node.tag in _BOLD or (
        node.tag == "span" and len(node.meaningful()) == 1
        and isinstance(node.meaningful()[0], Node) and _is_bold(node.meaningful()[0])
    )


def _pseudo_heading(node: Node, kids: list[Node | tuple[str, int]]) -> bool:
    """A paragraph that is one short bold line without a sentence ending."""
    if len(kids) != 1 or not isinstance(kids[0], Node) or not _is_bold(kids[0]):
        return False
    text = _squash(node.run().text)
    if any(BLUE in n.style() for n in kids[0].walk()):
        return False  # FORMAT.md's key sentence
    return 0 < len(text) <= PSEUDO_HEADING_CHARS and not _SENTENCE_END.search(text)


def _table(node: Node, block: Block) -> None:
    for row in (n for n in node.walk() if n.tag == "tr"):
        cells = [c for c in row.walk()[1:] if c.tag in ("td", "th")]
        # a cell inside a nested table belongs to that table's rows
        cells = [c for c in cells if not any(r.tag == "tr" for r in c.walk()[1:])]
        width = 0
        for cell in cells:
            try:
                width += max(1, int(cell.attr("colspan") or 1))
            except ValueError:
                width += 1
            block.items.append(cell.run())
        block.rows.append(width)


def _classify(node: Node) -> Block:
    """One top-level element → a Block."""
    kids = node.meaningful()
    block = Block("other", node.line, node)
    heading = _HEADING.fullmatch(node.tag)
    if heading:
        block.kind, block.title_line, block.level = "heading", node.line, int(heading.group(1))
        block.title = _squash(node.run().text)
        return block
    if node.tag in _LISTS:
        block.kind = "list"
        block.items = [li.run() for li in node.walk()[1:] if li.tag in ("li", "dt", "dd")]
        block.body = node.run()
        return block
    if node.tag == "table":
        block.kind = "table"
        _table(node, block)
        block.body = node.run()
        return block
    if node.tag == "blockquote":
        block.kind, block.body = "quote", node.run()
        return block
    if node.tag == "hr":
        block.kind = "rule"
        return block
    if node.tag != "p":
        block.body = node.run()
        return block
    first = kids[0] if kids else None
    if isinstance(first, Node) and first.tag == "img" and len(kids) == 1:
        block.kind = "image"
        return block
    if not any(isinstance(k, Node) and k.tag == "img" for k in kids) and _blank(node.run().text):
        block.kind = "spacer"
        return block
    rest = kids[1:]
    if isinstance(first, Node) and _HEADING.fullmatch(first.tag):
        block.kind, block.level = "heading", int(first.tag[1])
    elif isinstance(first, Node) and first.tag == "b" and any(
        RED in n.style() for n in first.walk()
    ) and rest:
        block.kind = "card"
    elif (
        isinstance(first, Node)
        and first.tag == "b"
        and not rest
        and any(BLUE in n.style() for n in first.walk())
    ):
        block.kind = "key"
        rest = kids
    elif SOURCES_LINE.match(node.run().text):
        block.kind = "sources"
        rest = kids
    elif _pseudo_heading(node, kids):
        block.kind, block.level = "heading", 0
    elif _cta(node):
        block.kind = "cta"
        rest = kids
    else:
        block.kind = "paragraph"
        rest = kids
    if block.kind in ("heading", "card") and isinstance(first, Node):
        block.title = _squash(first.run().text)
        block.title_line = first.line
    run = TextRun()
    for k in rest:
        run.add_node(k)
    block.body = run
    block.highlights = sum(
        HIGHLIGHT in n.style() for k in rest if isinstance(k, Node) for n in k.walk()
    )
    return block


def _loose_blocks(items: list[Node | tuple[str, int]]) -> list[Block]:
    """Top-level text and inline elements outside any block (a pasted call to action)."""
    blocks: list[Block] = []
    current = Node("#text", [], items[0][1] if isinstance(items[0], tuple) else items[0].line)

    def flush() -> None:
        nonlocal current
        if current.meaningful():
            first = current.meaningful()[0]
            if isinstance(first, tuple):
                text, line = first
                current.line = line + text[: len(text) - len(text.lstrip())].count("\n")
            else:
                current.line = first.line
            kind = "cta" if _cta(current) else "other"
            blocks.append(Block(kind, current.line, current, body=current.run()))
        current = Node("#text", [], current.line)

    for item in items:
        if isinstance(item, tuple):
            text, line = item
            parts = re.split(r"(\n[ \t]*\n\s*)", text)
            for i, part in enumerate(parts):
                if i % 2:
                    flush()
                elif part:
                    current.children.append((part, line))
                line += part.count("\n")
        else:
            current.children.append(item)
    flush()
    return blocks


def _opens(node: Node) -> bool:
    """A wrapper whose children are blocks of their own (``<div><p>…</p><p>…</p></div>``)."""
    return node.tag in _WRAPPERS and any(c.tag in _BLOCK_TAGS for c in node.elements())


def body_blocks(root: Node) -> list[Block]:
    """The body's blocks in order, wrappers opened (iteratively: nesting is untrusted)."""
    blocks: list[Block] = []
    loose: list[Node | tuple[str, int]] = []
    stack: list[Node | tuple[str, int]] = list(reversed(root.children))
    while stack:
        child = stack.pop()
        if isinstance(child, Node) and _opens(child):
            stack.extend(reversed(child.children))
        elif isinstance(child, Node) and child.tag in _BLOCK_TAGS:
            if loose:
                blocks.extend(_loose_blocks(loose))
                loose = []
            blocks.append(_classify(child))
        else:
            loose.append(child)
    if loose:
        blocks.extend(_loose_blocks(loose))
    return blocks
