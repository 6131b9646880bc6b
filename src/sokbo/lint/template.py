"""Template rules any reader sees, whatever the template (SB306, SB307): a heading with nothing
under it, a table whose rows do not line up. They run under ``--profile sokbo`` and ``auto``."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from sokbo.lint.blocks import Block
from sokbo.lint.context import Context, line_location
from sokbo.lint.rules import Hit, rule

# blocks that put text under a heading
_CONTENT = frozenset({"paragraph", "list", "table", "quote", "card", "key", "image", "other"})
# a paragraph whose lines are pipe-separated cells: a Markdown table no renderer accepted
_PIPE_ROW = re.compile(r"^[^\n]*\S\s*\|\s*\S[^\n]*$", re.M)


def _rank(block: Block) -> int:
    """Heading rank: h1 = 1 … h6 = 6; a bold line counts as the lowest (7)."""
    return block.level or 7


@rule(
    "SB306",
    "empty-section",
    "error",
    "a heading with no text under it before the next heading of its rank or the end",
    profiles=["sokbo", "auto"],
)
def check_empty_sections(ctx: Context) -> Iterator[Hit]:
    blocks = ctx.blocks
    for i, block in enumerate(blocks):
        if block.kind != "heading" or block.level == 1 or block.body.text.strip():
            continue  # an <h1> is the post's title; <p><h2>…</h2>text</p> has its text
        empty = True
        for after in blocks[i + 1:]:
            if after.kind == "heading":
                empty = _rank(after) <= _rank(block)
                break
            if after.kind == "sources":
                break
            if after.kind in _CONTENT and (after.text or after.kind in ("image", "table")):
                empty = False
                break
        if empty:
            yield Hit(
                line_location(block.title_line or block.line),
                block.title,
                "제목 아래에 내용이 없습니다",
                "a heading with no text under it",
            )


def _table_problem(block: Block) -> tuple[str, str] | None:
    widths = [w for w in block.rows if w]
    if len(widths) < 2:
        return None
    common, _ = Counter(widths).most_common(1)[0]
    odd = [w for w in widths if w != common]
    if odd:
        return (f"표의 행마다 칸 수가 다릅니다 ({', '.join(map(str, widths))})",
                f"table rows have different numbers of cells ({', '.join(map(str, widths))})")
    return None


@rule(
    "SB307",
    "broken-table",
    "error",
    "a table whose rows have different numbers of cells, or Markdown table rows left as text",
    profiles=["sokbo", "auto"],
)
def check_tables(ctx: Context) -> Iterator[Hit]:
    for block in ctx.blocks:
        if block.kind == "table":
            problem = _table_problem(block)
            if problem:
                yield Hit(line_location(block.line), block.text, *problem)
        elif block.kind == "paragraph" and len(_PIPE_ROW.findall(block.body.text)) >= 2:
            yield Hit(
                line_location(block.line),
                block.text,
                "표가 표로 보이지 않고 | 기호가 든 글로 나옵니다",
                "Markdown table rows shown as text (no header separator row)",
            )
