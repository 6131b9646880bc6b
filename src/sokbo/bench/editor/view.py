"""A written post as the editor bench reads it: the post file (what a reader sees) joined with
the provenance of `sokbo post --json` (which source sentence each post sentence came from).

Only the rendered file and the JSON-shaped result are read, never the writer's objects, so
the bench keeps working while the writer is rebuilt underneath it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import yaml

from sokbo.bench.editor.morph import norm
from sokbo.korean.kiwi import get_kiwi

# FORMAT.md's markers: red bold = card subtitle (or, inside <h2>, a section heading),
# blue bold = a card's key sentence, the background colour = a highlighted phrase
RED, BLUE, HIGHLIGHT = "#ee2323", "#1a5490", "background-color"
SOURCES_PREFIX = "출처:"
BODY_KINDS = ("card", "key", "section")


@dataclass(slots=True)
class Block:
    """A run of text in the post body: a card paragraph, a key line, a heading …"""

    kind: str            # subtitle | card | key | heading | section | sources | other
    text: str
    group: int = 0       # which card or section it belongs to
    highlights: list[tuple[int, int]] = field(default_factory=list)  # spans in text
    links: list[str] = field(default_factory=list)                   # <a> texts (sources)


@dataclass(frozen=True, slots=True)
class Unit:
    """One sentence of the post, where it stands and where it came from."""

    text: str
    kind: str                 # excerpt | card | key | section
    flow: str                 # excerpt | body: the reading order it belongs to
    group: int
    source_id: str | None     # None: no provenance entry matches this text
    index: int | None

    @property
    def where(self) -> str:
        return f"{self.kind}{self.group + 1}" if self.kind != "excerpt" else "excerpt"


@dataclass(slots=True)
class Source:
    """A source article as the product read it (the provenance indexes its sentences)."""

    id: str
    title: str
    outlet: str
    sentences: dict[int, str]
    text: str = ""


@dataclass(slots=True)
class PostView:
    name: str                 # the input(s) it was written from, for reports
    front: dict[str, Any]
    title: str
    excerpt: str
    blocks: list[Block]
    units: list[Unit]
    sources: dict[str, Source]
    result: dict[str, Any]    # the post's entry of the --json result

    @property
    def headings(self) -> list[Block]:
        return [b for b in self.blocks if b.kind in ("subtitle", "heading")]

    @property
    def body_units(self) -> list[Unit]:
        return [u for u in self.units if u.kind in BODY_KINDS]

    def flow(self, name: str) -> list[Unit]:
        return [u for u in self.units if u.flow == name]


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """(front matter, body) of a Jekyll post; ({}, text) when there is none."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---\n", 4)
    if end < 0:
        return {}, text
    front = yaml.safe_load(text[4:end]) or {}
    return (front if isinstance(front, dict) else {}), text[end + 5:]


class _BodyParser(HTMLParser):
    """Turns the body into blocks by FORMAT.md's colour markers (a flat walk, since the
    Jekyll body nests <h2> inside <p>, which a tree builder would reshape)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.buf: list[str] = []
        self.kind = "other"
        self.group = -1
        self.section = -1
        self.context = "other"      # card | section | after-sources
        self.spans: list[str] = []  # role of each open <span>: red | blue | hl | other
        self.in_h2 = False
        self.capture: list[str] | None = None
        self.hl_start: int | None = None
        self.highlights: list[tuple[int, int]] = []
        self.in_a = False
        self.links: list[str] = []
        self.link_buf: list[str] = []

    # -- paragraph text -------------------------------------------------------------------
    def _flush(self) -> None:
        raw = "".join(self.buf)
        text = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        hls = [(max(0, a - lead), max(0, b - lead)) for a, b in self.highlights]
        if text:
            if text.startswith(SOURCES_PREFIX):
                self.blocks.append(Block("sources", text, links=list(self.links)))
                self.context = "after-sources"
            elif self.context in ("card", "section"):
                group = self.group if self.context == "card" else self.section
                self.blocks.append(Block(self.context, text, group, hls))
            else:
                self.blocks.append(Block("other", text))
        self.buf, self.highlights, self.links, self.hl_start = [], [], [], None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        style = (dict(attrs).get("style") or "").lower()
        if tag == "p":
            self._flush()
        elif tag == "h2":
            self._flush()
            self.in_h2 = True
        elif tag == "a":
            self.in_a, self.link_buf = True, []
        elif tag == "span":
            if HIGHLIGHT in style:
                self.spans.append("hl")
                self.hl_start = len("".join(self.buf))
            elif RED in style or BLUE in style:
                self._flush()
                self.spans.append("red" if RED in style else "blue")
                self.capture = []
            else:
                self.spans.append("other")

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self._flush()
        elif tag == "h2":
            self.in_h2 = False
        elif tag == "a" and self.in_a:
            self.in_a = False
            self.links.append("".join(self.link_buf).strip())
        elif tag == "span" and self.spans:
            role = self.spans.pop()
            if role == "hl" and self.hl_start is not None:
                self.highlights.append((self.hl_start, len("".join(self.buf))))
                self.hl_start = None
            elif role in ("red", "blue") and self.capture is not None:
                text = "".join(self.capture).strip()
                self.capture = None
                if role == "blue":
                    self.blocks.append(Block("key", text, max(self.group, 0)))
                elif self.in_h2:
                    self.section += 1
                    self.context = "section"
                    self.blocks.append(Block("heading", text, self.section))
                else:
                    self.group += 1
                    self.context = "card"
                    self.blocks.append(Block("subtitle", text, self.group))

    def handle_data(self, data: str) -> None:
        if self.capture is not None:
            self.capture.append(data)
            return
        if self.in_a:
            self.link_buf.append(data)
        self.buf.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def parse_body(body: str) -> list[Block]:
    parser = _BodyParser()
    parser.feed(body)
    parser.close()
    # a card paragraph's line break after its subtitle is layout, not text
    for b in parser.blocks:
        b.text = b.text.replace("\n", " ")
    return parser.blocks


def _split_leftover(text: str) -> list[str]:
    return [s.text.strip() for s in get_kiwi().split_into_sents(text) if s.text.strip()]


Provenance = tuple[str, int]


def segment(text: str, known: dict[str, Provenance]) -> list[tuple[str, Provenance | None]]:
    """Cut a block into sentences: first the provenance sentences found in it (longest first),
    then whatever is left, split by Kiwi and marked as having no provenance."""
    text = norm(text)
    taken: list[tuple[int, int, str]] = []
    for sent in sorted(known, key=len, reverse=True):
        start = 0
        while (pos := text.find(sent, start)) >= 0:
            end = pos + len(sent)
            if all(end <= a or pos >= b for a, b, _ in taken):
                taken.append((pos, end, sent))
            start = pos + 1
    taken.sort()
    out: list[tuple[str, Provenance | None]] = []
    cursor = 0
    for a, b, sent in taken + [(len(text), len(text), "")]:
        gap = text[cursor:a].strip()
        if re.search(r"[가-힣A-Za-z0-9]", gap):
            out.extend((s, None) for s in _split_leftover(gap))
        if sent:
            out.append((sent, known[sent]))
        cursor = max(cursor, b)
    return out


def build_view(name: str, post_text: str, result: dict[str, Any],
               sources: dict[str, Source]) -> PostView:
    """Join the post file with its JSON entry and its source articles."""
    front, body = split_front_matter(post_text)
    blocks = parse_body(body)
    known: dict[str, tuple[str, int]] = {}
    for s in result.get("sentences") or []:
        if isinstance(s, dict) and s.get("text") and s.get("source_id") is not None:
            known.setdefault(norm(str(s["text"])), (str(s["source_id"]),
                                                    int(s.get("sentence_index", -1))))
    units: list[Unit] = []
    excerpt = norm(str(front.get("excerpt") or ""))
    for sent, prov in segment(excerpt, known):
        units.append(Unit(sent, "excerpt", "excerpt", 0, *(prov or (None, None))))
    for b in blocks:
        if b.kind in BODY_KINDS:
            for sent, prov in segment(b.text, known):
                units.append(Unit(sent, b.kind, "body", b.group, *(prov or (None, None))))
    return PostView(name=name, front=front, title=str(front.get("title") or ""),
                    excerpt=excerpt, blocks=blocks, units=units, sources=sources,
                    result=result)
