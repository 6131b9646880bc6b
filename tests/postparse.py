"""Parse a rendered Jekyll post into front matter and top-level body blocks, for assertions."""
from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

import yaml

VOID = {"img", "br", "hr", "meta", "link", "input"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def elements(self) -> list[Node]:
        return [c for c in self.children if isinstance(c, Node)]

    def find_all(self, tag: str) -> list[Node]:
        out = []
        for c in self.elements():
            if c.tag == tag:
                out.append(c)
            out.extend(c.find_all(tag))
        return out


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_post(text: str) -> tuple[dict, list[Node], str]:
    """(front matter, top-level elements of the body, raw body)."""
    assert text.startswith("---\n"), "post must start with front matter"
    end = text.index("\n---\n", 4)
    meta = yaml.safe_load(text[4:end])
    body = text[end + 5 :]
    builder = _TreeBuilder()
    builder.feed(body)
    builder.close()
    blocks = [c for c in builder.root.children if isinstance(c, Node)]
    return meta, blocks, body
