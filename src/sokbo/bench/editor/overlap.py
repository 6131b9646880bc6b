"""Repetition inside a post: the excerpt retold by the cards or by the sections beyond its
lead, a sentence or a quote twice."""
from __future__ import annotations

import re
from typing import Any

from sokbo.bench.editor.speech import quoted_spans
from sokbo.bench.editor.view import PostView

MIN_QUOTE_CHARS = 10


def _key(text: str) -> str:
    return re.sub(r"[\s\W]+", "", text)


def excerpt_card_overlap(view: PostView) -> tuple[int, list[str]]:
    """Sentences of the excerpt that the cards (paragraphs and key lines) repeat."""
    cards = {_key(u.text) for u in view.units if u.kind in ("card", "key")}
    shared = [u.text for u in view.flow("excerpt") if _key(u.text) in cards]
    return len(shared), shared


def excerpt_body_overlap(view: PostView) -> tuple[int, list[str]]:
    """Sentences of the excerpt, its first (the lead, which a news post opens its body with
    too) aside, that the sections say again word for word."""
    sections = {_key(u.text) for u in view.units if u.kind == "section"}
    shared = [u.text for u in view.flow("excerpt")[1:] if _key(u.text) in sections]
    return len(shared), shared


def repeats(view: PostView) -> list[dict[str, Any]]:
    """Sentences written twice outside the excerpt/card pairing (excerpt twice, body twice),
    and quotations (≥ 10 chars) that appear in two different sentences."""
    out: list[dict[str, Any]] = []
    for flow in ("excerpt", "body"):
        seen: dict[str, str] = {}
        for u in view.flow(flow):
            k = _key(u.text)
            if k in seen:
                out.append({"post": view.name, "kind": f"sentence twice in {flow}",
                            "text": u.text})
            seen[k] = u.text
            # one sentence inside another: "첫 교신에 성공했습니다" inside a longer one
            for k2, t2 in seen.items():
                if k2 != k and len(k) >= 12 and len(k2) >= 12 and (k in k2 or k2 in k):
                    out.append({"post": view.name, "kind": f"sentence inside another in {flow}",
                                "text": u.text, "other": t2})
    quotes: dict[str, str] = {}
    for u in view.flow("body"):
        for a, b in quoted_spans(u.text):
            q = _key(u.text[a:b])
            if len(q) < MIN_QUOTE_CHARS:
                continue
            if q in quotes and quotes[q] != _key(u.text):
                out.append({"post": view.name, "kind": "quote twice", "text": u.text[a:b]})
            quotes.setdefault(q, _key(u.text))
    return out
