"""Untrusted HTML made safe for lxml and trafilatura, before either sees it.

- Control characters (other than tab and newlines), NUL and lone surrogates are removed:
  lxml refuses them when a tree is edited ("All strings must be XML compatible").
- Nesting is flattened below libxml2's depth limit. libxml2 stops building the tree at 256
  open elements, so a page opening 250 ``<font>`` before its body lost the article; deep
  trees also overflow the recursion of tree walkers (trafilatura's among them). Beyond
  ``SOFT_DEPTH`` open elements, formatting tags and tags repeating their parent are dropped;
  beyond ``HARD_DEPTH`` every start tag is. Text is never dropped, only tags. Real news pages
  nest at most ~20 deep, so they pass through unchanged.
"""
from __future__ import annotations

import re

__all__ = ["HARD_DEPTH", "SOFT_DEPTH", "flatten_nesting", "normalize_html"]

SOFT_DEPTH = 64
HARD_DEPTH = 128

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# comments, raw-text elements (their content holds no tags) and tags, in document order
_TOKEN = re.compile(
    r"<!--.*?(?:-->|$)"
    r"|<(script|style|textarea|title|xmp|plaintext)\b[^>]*>.*?(?:</\1\s*>|$)"
    r"|<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.S | re.I,
)
VOID = frozenset("area base br col embed hr img input link meta param source track wbr "
                 "keygen basefont bgsound frame isindex".split())
FORMATTING = frozenset("a b big center em font i nobr s small span strike strong sub sup tt u "
                       "mark abbr cite code kbd q samp var label".split())
# a start tag of these closes an open element of the same name (<p>…<p>, <li>…<li>)
SELF_CLOSING_SIBLINGS = frozenset("p li dt dd tr td th option".split())


def normalize_html(html: str) -> str:
    """Control characters removed and nesting flattened (see the module docstring)."""
    return flatten_nesting(_CONTROL.sub("", html))


def flatten_nesting(html: str) -> str:
    """``html`` with start tags (and their end tags) dropped where nesting gets too deep."""
    if html.count("<") < SOFT_DEPTH:
        return html  # too few tags to nest that deep
    out: list[str] = []
    stack: list[tuple[str, str, bool]] = []  # (name, attributes, kept), all open elements
    depth = 0  # kept open elements: the depth lxml will see
    dropped = False
    last = 0
    for m in _TOKEN.finditer(html):
        slash, name = m.group(2), m.group(3)
        if name is None:
            continue  # a comment or raw-text element: kept as it is
        name = name.lower()
        keep = True
        if slash:
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == name:
                    keep = stack[i][2]
                    depth -= sum(1 for e in stack[i:] if e[2])
                    del stack[i:]
                    break
        elif name not in VOID and not m.group(4).rstrip().endswith("/"):
            if name in SELF_CLOSING_SIBLINGS and stack and stack[-1][0] == name:
                depth -= stack.pop()[2]
            attrs = " ".join(m.group(4).split())
            keep = depth < HARD_DEPTH and not (
                depth >= SOFT_DEPTH and (name in FORMATTING or (
                    stack and stack[-1][0] == name and stack[-1][1] == attrs)))
            stack.append((name, attrs, keep))
            depth += keep
        if not keep:
            out.append(html[last:m.start()])
            last = m.end()
            dropped = True
    if not dropped:
        return html
    out.append(html[last:])
    return "".join(out)
