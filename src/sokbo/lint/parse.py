"""Read a post (YAML front matter + HTML body) into blocks, links and sentences with line numbers.

The parser is lenient on purpose: it never fails on bad HTML or bad YAML, it records what it saw
so the rules can report it. Only text that is no post at all raises ``InputError``.

Two views of the body: ``blocks`` is the post as its author laid it out (the Jekyll layout's
``<p><h2>…</h2>…</p>`` stays one block), read with Python's lenient ``html.parser`` for the
format and writing rules; ``elements`` is the body as a browser builds it (``lint.browser``),
for the safety rules. Front matter is read by ``sokbo.frontmatter.load_yaml`` (no aliases,
bounded size and depth).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from typing import TYPE_CHECKING

from sokbo.errors import InputError
from sokbo.frontmatter import load_dumped_yaml, load_yaml
from sokbo.lint.browser import Element, browser_view

if TYPE_CHECKING:
    from sokbo.lint.blocks import Block

__all__ = [
    "Element",
    "LintSentence",
    "Node",
    "ParsedPost",
    "TextRun",
    "parse_post",
]

VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)
# A post file larger than this is no post (the longest real post seen is 40 KB).
MAX_POST_CHARS = 2_000_000
# As in Chromium, elements nested deeper than this are attached at this depth.
MAX_DEPTH = 512
RED = "color:#ee2323"
BLUE = "color:#1a5490"
HIGHLIGHT = "background-color:#21538527"
SPACER_ATTR = ("data-ke-size", "size16")


@dataclass(slots=True, eq=False)
class Node:
    """An HTML element of the body; text children are ``(text, line)`` pairs."""

    tag: str
    attrs: list[tuple[str, str | None]]
    line: int
    children: list[Node | tuple[str, int]] = field(default_factory=list)

    def attr(self, name: str) -> str | None:
        return next((v for k, v in self.attrs if k == name), None)

    def style(self) -> str:
        return re.sub(r"\s+", "", (self.attr("style") or "").lower())

    def elements(self) -> list[Node]:
        """Element children (no text)."""
        return [c for c in self.children if isinstance(c, Node)]

    def meaningful(self) -> list[Node | tuple[str, int]]:
        return [c for c in self.children if isinstance(c, Node) or c[0].strip()]

    def walk(self) -> list[Node]:
        """This node and every element under it, in document order."""
        out: list[Node] = []
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(node.elements()))
        return out

    def run(self) -> TextRun:
        run = TextRun()
        run.add_node(self)
        return run


@dataclass(slots=True, eq=False)
class TextRun:
    """Text of some nodes, concatenated, remembering the source line of every piece."""

    text: str = ""
    _starts: list[int] = field(default_factory=list)
    _lines: list[int] = field(default_factory=list)
    _sentences: list[tuple[str, int]] | None = None  # memo of lint.context._split_run

    def add(self, text: str, line: int) -> None:
        self._starts.append(len(self.text))
        self._lines.append(line)
        self.text += text

    def add_node(self, node: Node | tuple[str, int]) -> None:
        stack: list[Node | tuple[str, int]] = [node]
        while stack:
            item = stack.pop()
            if isinstance(item, tuple):
                self.add(*item)
                continue
            if item.tag == "br":
                self.add("\n", item.line)
            stack.extend(reversed(item.children))

    def line_at(self, offset: int) -> int:
        if not self._starts:
            return 0
        i = max(bisect.bisect_right(self._starts, offset) - 1, 0)
        return self._lines[i] + self.text.count("\n", self._starts[i], offset)


@dataclass(frozen=True, slots=True)
class LintSentence:
    """A sentence (or title/heading) of the post, with where it stands.

    role: title | excerpt | card-subtitle | card | card-key | heading | section
    ``group`` is excerpt, cards or sections; ``para`` numbers the paragraph in the whole post.
    """

    text: str
    role: str
    location: str
    line: int
    para: int
    group: str


@dataclass(slots=True)
class ParsedPost:
    text: str
    has_front_matter: bool
    front_matter: dict[str, Any] | None
    front_matter_error: str | None
    body_offset: int
    blocks: list[Block]
    elements: list[Element]
    sentences: list[LintSentence] = field(default_factory=list)
    markup_too_complex: bool = False
    markdown: bool = False

    @property
    def body_line(self) -> int:
        """File line where the body starts."""
        return self.body_offset + 1

    def front(self, key: str) -> Any:
        return (self.front_matter or {}).get(key)

    def by_role(self, *roles: str) -> list[LintSentence]:
        return [s for s in self.sentences if s.role in roles]


class _TreeBuilder(HTMLParser):
    def __init__(self, line_offset: int) -> None:
        super().__init__(convert_charrefs=True)
        self.line_offset = line_offset
        self.root = Node("#root", [], line_offset + 1)
        self.stack = [self.root]

    def _line(self) -> int:
        return self.getpos()[0] + self.line_offset

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p":  # as in browsers, a new paragraph closes an open one (<p>a<p>b)
            self.handle_endtag("p")
        node = Node(tag, attrs, self._line())
        self.stack[-1].children.append(node)
        if tag not in VOID and len(self.stack) < MAX_DEPTH:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, attrs, self._line()))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append((data, self._line()))


def _split_front_matter(text: str) -> tuple[str | None, int, bool]:
    """(front matter text or None, index of the first body line, whether it was closed)."""
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return None, 0, False
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]), i + 1, True
    return "\n".join(lines[1:]), len(lines), False


def _load_yaml(fm: str, rendered: bool = False) -> tuple[dict[str, Any] | None, str | None]:
    try:
        data = load_dumped_yaml(fm) if rendered else load_yaml(fm)
    except InputError as e:
        return None, str(e).replace("(line ", "(front matter line ")
    if not isinstance(data, dict):
        return None, f"front matter is a {type(data).__name__}, not a mapping of keys"
    return {str(k): v for k, v in data.items()}, None


def parse_post(text: str, *, markdown: bool | None = None, rendered: bool = False) -> ParsedPost:
    """Split front matter and body and read the body's blocks; sentences are added later.

    ``markdown``: the body is Markdown (True), HTML (False) or either (None: Markdown when it
    has lines only Markdown writes). A Markdown body is read as the HTML a CommonMark
    renderer makes of it, line for line (``lint.markdown``). ``rendered``: the text is sokbo's
    own rendering (``render_post``), its front matter as ``dump_front_matter`` wrote it.

    Raises InputError when the text has neither front matter nor HTML paragraphs.
    """
    from sokbo.lint.blocks import body_blocks
    from sokbo.lint.markdown import looks_like_markdown, markdown_to_html

    if len(text) > MAX_POST_CHARS:
        raise InputError(f"not a post: {len(text):,} characters (at most {MAX_POST_CHARS:,})")
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    fm, body_start, closed = _split_front_matter(text)
    body = "\n".join(text.split("\n")[body_start:])
    # without front matter, only an HTML fragment (a post pasted from Tistory) is a post
    if fm is None and not re.match(r"\s*<(p|h[1-6]|div)\b", body, re.I):
        raise InputError("not a post: no front matter (--- … ---) and no HTML paragraphs")
    if markdown is None:
        markdown = looks_like_markdown(body)
    if markdown:
        body = markdown_to_html(body)
    data, error = _load_yaml(fm, rendered) if fm is not None else (None, None)
    if fm is not None and not closed:
        data, error = None, "front matter has no closing --- line"
    builder = _TreeBuilder(body_start)
    builder.feed(body)
    builder.close()
    browser = browser_view(body, body_start + 1)
    return ParsedPost(
        text=text,
        has_front_matter=fm is not None,
        front_matter=data,
        front_matter_error=error,
        body_offset=body_start,
        blocks=body_blocks(builder.root),
        elements=browser.elements,
        markup_too_complex=browser.too_complex,
        markdown=markdown,
    )
