"""The body as a browser builds it, for the safety rules: every element with its attributes.

Python's ``html.parser`` does not tokenize like a browser: ``<noscript>``, ``<textarea>``,
``<xmp>`` or ``<noembed>`` can carry ``<img onerror=…>`` inside what it reads as an attribute
value, and ``<!-- --!>`` ends a comment in a browser but not there. So the safety rules read
the body through html5lib, the WHATWG parsing algorithm in Python, with the scripting flag on
as in Chromium (``<noscript>`` content is raw text), in the context of a ``<div>`` (where a
theme prints a post). Why not selectolax/lexbor, which is faster: it parses ``<noscript>`` with
scripting off, so a payload smuggled through ``<noscript>`` is invisible to it, and it keeps no
source positions; html5lib's tokenizer gives every element its line.

The browser algorithm is quadratic on some inputs (thousands of nested elements, or
``<b id=1><p>…`` repeated, which makes the parser reopen every earlier ``<b>``), in browsers
too. The parse therefore runs on a work budget; past it the result says so and the rules
report the post as too complex to check.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

__all__ = ["WORK_BUDGET", "BrowserView", "Element", "browser_view"]

# Tree-construction steps (elements created, open-element entries scanned): the longest of 80
# real blog posts takes under 1,000; 630 nested <div>s take 200,000 (Chromium itself stops
# nesting at 512 levels).
WORK_BUDGET = 200_000
_NAMESPACES = {
    "http://www.w3.org/1999/xhtml": "html",
    "http://www.w3.org/2000/svg": "svg",
    "http://www.w3.org/1998/Math/MathML": "math",
}
_ATTR_NS = {
    "http://www.w3.org/1999/xlink": "xlink:",
    "http://www.w3.org/XML/1998/namespace": "xml:",
    "http://www.w3.org/2000/xmlns/": "xmlns:",
}
_QNAME = re.compile(r"\{([^}]*)\}(.*)")


@dataclass(frozen=True, slots=True)
class Element:
    """One element as the browser builds it: local tag name, namespace (html, svg, math),
    attributes (``xlink:href`` for namespaced ones), the line of its start tag, whether an
    ``<img>`` is inside it; ``text`` is its text content, whitespace collapsed."""

    tag: str
    attrs: tuple[tuple[str, str | None], ...]
    line: int
    has_image: bool = False
    namespace: str = "html"
    node: Any = field(default=None, repr=False, compare=False)

    def attr(self, name: str) -> str | None:
        return next((v for k, v in self.attrs if k == name), None)

    @property
    def text(self) -> str:
        # computed on demand: every element's text at once is quadratic in the nesting depth
        return " ".join("".join(self.node.itertext()).split()) if self.node is not None else ""


@dataclass(frozen=True, slots=True)
class BrowserView:
    elements: list[Element] = field(default_factory=list)
    too_complex: bool = False


class _OverBudget(Exception):
    pass


@cache
def _modules() -> tuple[Any, Any]:
    import xml.etree.ElementTree as ET

    import html5lib
    from html5lib.treebuilders import etree as etree_builder

    return html5lib, etree_builder.getETreeModule(ET)


def _builder_class(state: dict[str, Any]) -> type:
    """A tree builder that notes each element's source line and counts its own work."""
    _, etree = _modules()

    def spend(steps: int) -> None:
        state["work"] += steps
        if state["work"] > WORK_BUDGET:
            raise _OverBudget

    class Tracked(etree.Element):
        def __init__(self, name: str, namespace: str | None = None) -> None:
            super().__init__(name, namespace)
            spend(1)
            parser = state["parser"]
            tokenizer = getattr(parser, "tokenizer", None) if parser else None
            if tokenizer is not None:
                state["lines"][self._element] = tokenizer.stream.position()[0]

    class Builder(etree.TreeBuilder):
        elementClass = Tracked

        def elementInScope(self, target: Any, variant: Any = None) -> bool:
            spend(len(self.openElements))
            return super().elementInScope(target, variant)

        def reconstructActiveFormattingElements(self) -> None:
            # each entry may be looked up in the stack of open elements (a C-speed scan)
            afe = len(self.activeFormattingElements)
            spend(afe + afe * len(self.openElements) // 64)
            super().reconstructActiveFormattingElements()

    return Builder


def _local(qname: str) -> tuple[str, str]:
    m = _QNAME.fullmatch(qname)
    if not m:
        return qname.lower(), "html"
    return m.group(2).lower(), _NAMESPACES.get(m.group(1), m.group(1))


def _attr_name(name: Any) -> str:
    if isinstance(name, tuple):  # html5lib's (prefix, name, namespace) for foreign attributes
        prefix, local, _ = name
        return f"{prefix}:{local}".lower() if prefix else str(local).lower()
    m = _QNAME.fullmatch(str(name))
    if m:
        return f"{_ATTR_NS.get(m.group(1), '')}{m.group(2)}".lower()
    return str(name).lower()


def browser_view(body: str, first_line: int = 1) -> BrowserView:
    """Every element of ``body`` as Chromium builds it; ``first_line`` is the file line where
    the body starts."""
    html5lib, _ = _modules()
    state: dict[str, Any] = {"work": 0, "lines": {}, "parser": None}
    parser = html5lib.HTMLParser(tree=_builder_class(state), namespaceHTMLElements=False)
    state["parser"] = parser
    try:
        root = parser.parseFragment(body, container="div", scripting=True)
    except _OverBudget:
        return BrowserView([], too_complex=True)
    lines: dict[Any, int] = state["lines"]
    nodes = [el for el in root.iter() if isinstance(el.tag, str) and el is not root]  # no comments
    names = {el: _local(el.tag) for el in nodes}
    parent = {child: el for el in [root, *nodes] for child in el}
    with_image: set[Any] = set()
    for el in nodes:
        if names[el][0] == "img":
            up = parent.get(el)
            while up is not None and up is not root and up not in with_image:
                with_image.add(up)
                up = parent.get(up)
    return BrowserView([
        Element(
            names[el][0],
            tuple((_attr_name(k), v) for k, v in el.attrib.items()),
            first_line - 1 + lines.get(el, 1),
            el in with_image,
            names[el][1],
            el,
        )
        for el in nodes
    ])
