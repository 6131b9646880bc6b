"""Shared pieces of the renderers: Jinja environment, safe YAML front matter, safe URLs."""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

from sokbo.models import Post


class FoldedStr(str):
    """Dumped as a YAML folded scalar (``>``), as the reference theme expects for excerpts."""


class QuotedStr(str):
    """Dumped single-quoted, as the reference does for image URLs."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(
    FoldedStr, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v), style=">")
)
_Dumper.add_representer(
    QuotedStr, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v), style="'")
)


def dump_front_matter(data: dict[str, Any]) -> str:
    """``---``-fenced YAML, produced by a (safe) dumper, keys in the given order."""
    body = yaml.dump(
        data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000,
        default_flow_style=False,
    )
    return f"---\n{body}---\n"


def safe_url(url: str | None) -> str | None:
    """Only http(s) URLs reach the output; anything else is dropped."""
    if not url:
        return None
    parsed = urlparse(url.strip())
    if parsed.scheme in ("http", "https") and parsed.netloc:
        return url.strip()
    return None


def front_matter(post: Post, *, extra: bool = True) -> dict[str, Any]:
    """The reference keys in order, then sokbo's own (date, tags, sources)."""
    excerpt = FoldedStr(post.excerpt_text + "\n")
    data: dict[str, Any] = {
        "title": post.title,
        "categories": list(post.categories),
        "excerpt": excerpt,
        "feature_text": excerpt,
        "image": QuotedStr(post.image),
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
            "url": safe_url(s.url) or "",
            "published": s.published.isoformat() if s.published else "",
        }
        for s in post.sources
    ]


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


def render_template(name: str, template_dir: Path | None, **context: Any) -> str:
    return _env(str(template_dir) if template_dir else None).get_template(name).render(**context)


def split_highlight(text: str, phrase: str) -> tuple[str, str, str]:
    """(before, phrase, after) around the first occurrence of phrase; no phrase → whole text."""
    if phrase and phrase in text:
        i = text.index(phrase)
        return text[:i], phrase, text[i + len(phrase) :]
    return text, "", ""
