"""Shared pieces of the renderers: Jinja environment, front matter keys, escaping filters.

Front matter is written by ``sokbo.frontmatter.dump_front_matter``, which makes every string
plain text and every ``Url`` a safe http(s) URL; ``safe_url`` is ``sokbo.safetext``'s.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from sokbo.frontmatter import FoldedStr, ImageUrl, Url, dump_front_matter
from sokbo.models import Post, SourceRef
from sokbo.safetext import safe_src, safe_url

__all__ = [
    "dump_front_matter",
    "escape_attr",
    "escape_text",
    "front_matter",
    "kst",
    "outlet_credits",
    "render_template",
    "safe_url",
    "source_list",
    "split_highlight",
]


def front_matter(post: Post, *, extra: bool = True) -> dict[str, Any]:
    """The reference keys in order, then sokbo's own (date, tags, sources)."""
    excerpt = FoldedStr(post.excerpt_text)
    data: dict[str, Any] = {
        "title": post.title,
        "categories": list(post.categories),
        "excerpt": excerpt,
        "feature_text": excerpt,
        "image": ImageUrl(post.image),
    }
    if extra:
        data["date"] = post.date.isoformat()
        if post.tags:
            data["tags"] = list(post.tags)
        data["sources"] = source_list(post)
    return data


def source_list(post: Post) -> list[dict[str, str]]:
    """The post's sources for front matter: outlet, title, safe URL, publication time."""
    return [
        {
            "outlet": s.outlet,
            "title": s.title,
            "url": Url(s.url),
            "published": s.published.isoformat() if s.published else "",
        }
        for s in post.sources
    ]


def outlet_credits(post: Post) -> list[tuple[str, list[SourceRef]]]:
    """The sources line's credits: each outlet once, in order of first mention, with its
    articles (one link per URL: the same article given twice is credited once)."""
    credits: dict[str, list[SourceRef]] = {}
    seen: set[str] = set()
    for s in post.sources:
        key = safe_url(s.url) or f"{s.outlet}\x1f{s.title}"
        if key in seen:
            continue
        seen.add(key)
        credits.setdefault(s.outlet, []).append(s)
    return list(credits.items())


@cache
def _env(template_dir: str | None):
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, select_autoescape

    loaders = [PackageLoader("sokbo", "templates")]
    if template_dir:
        loaders.insert(0, FileSystemLoader(template_dir))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(default=True, default_for_string=True),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_url"] = safe_url
    env.filters["safe_src"] = safe_src
    env.filters["kst"] = kst
    env.filters["text"] = escape_text
    env.filters["attr_value"] = escape_attr
    return env


# Jekyll runs Liquid over post bodies: a source sentence holding "{{ … }}" or "{% … %}" would be
# executed (or break the build), so braces become character references, which Liquid ignores
LIQUID_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})


def escape_text(value: object):  # -> markupsafe.Markup
    """Escape for an HTML text node: & < > and Liquid braces; Korean quotes stay readable."""
    import html

    from markupsafe import Markup

    return Markup(html.escape(str(value), quote=False).translate(LIQUID_BRACES))


def escape_attr(value: object):  # -> markupsafe.Markup
    """Escape for a quoted HTML attribute value, Liquid braces included."""
    import html

    from markupsafe import Markup

    return Markup(html.escape(str(value), quote=True).translate(LIQUID_BRACES))


def kst(value: object, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A time as a person in Korea reads it: in KST, marked so (an ISO string or a datetime)."""
    from datetime import datetime

    from sokbo.dates import to_kst

    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, datetime):
        return "" if value is None else str(value)
    if value.tzinfo is None:  # sokbo stores UTC ("now_iso") or KST-aware times; naive is UTC
        from datetime import timezone

        value = value.replace(tzinfo=timezone.utc)
    return f"{to_kst(value):{fmt}} KST"


def render_template(name: str, template_dir: Path | None, **context: Any) -> str:
    return _env(str(template_dir) if template_dir else None).get_template(name).render(**context)


def split_highlight(text: str, phrase: str) -> tuple[str, str, str]:
    """(before, phrase, after) around the first occurrence of phrase; no phrase → whole text."""
    if phrase and phrase in text:
        i = text.index(phrase)
        return text[:i], phrase, text[i + len(phrase) :]
    return text, "", ""
