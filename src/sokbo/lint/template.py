"""Template rules any reader sees, whatever the template (SB306–SB308): a heading with nothing
under it, a table whose rows do not line up, markup the reader sees as text or loses words to.
They run under ``--profile sokbo`` and ``auto``."""
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


# Markdown a renderer left as text: inside an HTML block (<p>**굵게**</p>) CommonMark and
# kramdown read no Markdown, and a bold run closed before a letter after punctuation
# (**'이름'**은) does not close in CommonMark: the reader sees the asterisks
_MARKDOWN_LEFT = re.compile(
    r"\*\*[^*\n]*[^*\s]\*\*"                        # **bold**
    r"|(?:^|\n)[ \t]*#{1,6}[ \t]+\S"                # ## heading
    r"|\[[^\]\n]+\]\((?:https?://|/)[^)\s]*\)"      # [text](url)
)
# every element HTML defines, with the obsolete ones blogs still write
HTML_ELEMENTS = frozenset("""
a abbr acronym address area article aside audio b base basefont bdi bdo big blink blockquote
body br button canvas caption center cite code col colgroup data datalist dd del details dfn
dialog dir div dl dt em embed fieldset figcaption figure font footer form frame frameset h1 h2
h3 h4 h5 h6 head header hgroup hr html i iframe img input ins kbd label legend li link main map
mark marquee menu meta meter nav nobr noembed noframes noscript object ol optgroup option output
p param picture plaintext pre progress q rb rp rt rtc ruby s samp script search section select
slot small source span strike strong style sub summary sup table tbody td template textarea
tfoot th thead time title tr track tt u ul var video wbr xmp
""".split())


def _shown_markdown(block: Block) -> Iterator[tuple[int, str]]:
    runs = block.items if block.kind in ("list", "table") else [block.body]
    for run in runs:
        m = _MARKDOWN_LEFT.search(run.text)
        if m:
            yield run.line_at(m.start()), m.group(0).strip()
            return  # one finding per block


@rule(
    "SB308",
    "stray-markup",
    "error",
    "Markdown shown as text (**굵게**, ## 제목, [글](주소)) or words in angle brackets read as "
    "an element no HTML has (<Squid Game>), which the browser hides with the words",
    profiles=["sokbo", "auto"],
)
def check_stray_markup(ctx: Context) -> Iterator[Hit]:
    for block in ctx.blocks:
        for line, shown in _shown_markdown(block):
            yield Hit(
                line_location(line),
                shown,
                f"마크다운 기호가 그대로 보입니다: {shown}",
                f"Markdown shown to the reader as text: {shown}",
            )
    for el in ctx.post.elements:
        # a custom element a script defines carries attribute values; words in angle
        # brackets have none (<Squid Game> is the element squid with an empty attribute)
        if (el.namespace == "html" and el.tag not in HTML_ELEMENTS and ":" not in el.tag
                and not any(v for _, v in el.attrs)):
            words = " ".join([el.tag, *(k for k, _ in el.attrs)])
            yield Hit(
                line_location(el.line),
                f"<{words}>",
                f"<{words}>는 HTML 요소가 아니어서 브라우저에 보이지 않습니다 (제목을 〈 〉로?)",
                f"<{words}> is no HTML element: the browser hides it and the words it held "
                "(a title meant in angle brackets?)",
            )
