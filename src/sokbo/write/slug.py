"""File names and source references of a post."""
from __future__ import annotations

import re

from sokbo.models import Article, SourceRef
from sokbo.outlets import resolve_outlet

SLUG_UNSAFE = re.compile(r"[^0-9A-Za-z가-힣]+")


def source_ref(a: Article) -> SourceRef:
    # articles stored before the outlet registry still carry their page's label ("SBS NEWS")
    outlet = resolve_outlet((a.url,), a.outlet) or a.outlet
    return SourceRef(article_id=a.id, outlet=outlet, title=a.title, url=a.url,
                     published=a.published)


def make_slug(title: str, story_id: str, max_bytes: int = 80) -> str:
    """File-system-safe slug: Hangul, ASCII letters and digits joined by '-', ≤ max_bytes."""
    words = [w for w in SLUG_UNSAFE.split(title) if w]
    slug = ""
    for w in words:
        cand = f"{slug}-{w}" if slug else w
        if len(cand.encode("utf-8")) > max_bytes:
            break
        slug = cand
    return slug or story_id
