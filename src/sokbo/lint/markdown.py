"""Markdown post bodies as HTML whose lines are the source's lines, so findings keep their place.

Other tools write Jekyll posts as Markdown (``## 소제목``, ``**굵게**``, lists, ``![..](..)``)
mixed with raw HTML (``<p>출처: <a …>…</a></p>``). The body is read with markdown-it-py, a
CommonMark parser, with raw HTML passed through and the GFM tables and strikethrough that
kramdown and goldmark also read. Each top-level block is rendered on its own and placed at its
source line (markdown-it records every block's line span); a block whose HTML has more lines
than its source (a table, a list) is folded onto fewer lines, tag-only lines first.
"""
from __future__ import annotations

import re
from functools import cache
from typing import Any

__all__ = ["looks_like_markdown", "markdown_to_html"]

# Lines that only Markdown writes: headings, list items, bold-only lines, images, table rows.
_MARKDOWN_LINE = re.compile(
    r"^(#{1,6}\s+\S|[-*+]\s+\S|\d{1,3}[.)]\s+\S|\*\*[^*\n]+\*\*\s*$|!\[[^\]]*\]\(|\|.*\|\s*$"
    r"|-{3,}\s*\|)",
    re.M,
)
_TAG_ONLY = re.compile(r"^\s*(</?[A-Za-z][^>]*>\s*)+$")


def looks_like_markdown(body: str) -> bool:
    """Whether a body has lines that only Markdown writes (an HTML post has none)."""
    return len(_MARKDOWN_LINE.findall(body)) >= 2


@cache
def _parser() -> Any:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    # kramdown links whatever it is given: keep javascript: links for the safety rules to see
    md.validateLink = lambda url: True
    return md


def _fold(lines: list[str], room: int, *, verbatim: bool = False) -> list[str]:
    """At most ``room`` lines, tag-only lines (``<ul>``, ``</tr>``) joined to their neighbour
    (the next one when they open the block, the previous one otherwise), then all at once.
    Raw HTML (``verbatim``) keeps its lines as long as they fit."""
    room = max(room, 1)
    lines = list(lines)
    if verbatim and len(lines) <= room:
        return lines
    while len(lines) > 1 and _TAG_ONLY.match(lines[0]):
        lines[0:2] = [lines[0] + lines[1]]
    k = 1
    while k < len(lines):
        if _TAG_ONLY.match(lines[k]):
            lines[k - 1:k + 1] = [lines[k - 1] + lines[k]]
        else:
            k += 1
    i = 0
    while len(lines) > room and i < len(lines):
        if _TAG_ONLY.match(lines[i]) and len(lines) > 1:
            j = i + 1 if i + 1 < len(lines) else i - 1
            a, b = sorted((i, j))
            lines[a:b + 1] = [lines[a] + lines[b]]
            i = max(a - 1, 0)
        else:
            i += 1
    if len(lines) > room:
        lines = [" ".join(lines)]
    return lines


def markdown_to_html(body: str) -> str:
    """HTML for a Markdown body; line N of the result holds what line N of ``body`` said."""
    md = _parser()
    tokens = md.parse(body)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        # a top-level block: from a level-0 token to the matching close (or itself)
        j = i
        if token.nesting == 1:
            depth = 0
            while j < len(tokens):
                depth += tokens[j].nesting
                if depth == 0:
                    break
                j += 1
        block = tokens[i:j + 1]
        i = j + 1
        html = md.renderer.render(block, md.options, {}).rstrip("\n")
        if not html:
            continue
        start, end = token.map or (len(out), len(out) + 1)
        while len(out) < start:
            out.append("")
        room = max(end - len(out), 1)
        out.extend(_fold(html.split("\n"), room, verbatim=token.type == "html_block"))
    return "\n".join(out) + "\n"
