"""A static preview of every stored post (draft or published): OUT/site/index.html and a page
per post, showing each body as the blog would, sanitised, with its sources.

The body is the ``jekyll`` renderer's HTML (FORMAT.md's structure, what Jekyll and Tistory
readers see), whatever the configured format, so a preview always looks like the real blog.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from sokbo.config import Settings
from sokbo.errors import RenderError
from sokbo.fsutil import atomic_write_text
from sokbo.models import Post
from sokbo.store import PostRecord, Store

log = logging.getLogger(__name__)

__all__ = ["build_site", "sanitize_body"]

# the tags and attributes FORMAT.md uses; everything else is stripped
ALLOWED_TAGS = {"p", "b", "span", "h2", "img", "a"}
ALLOWED_ATTRIBUTES = {"span": {"style"}, "img": {"src", "alt"}, "a": {"href", "rel", "title"}}
ALLOWED_STYLES = {"color", "background-color"}
# FORMAT.md nests <h2> in <p> for theme compatibility; a browser splits it the same way
_NESTED_H2 = re.compile(r"<p>(<h2>.*?</h2>)", re.S)


@dataclass(frozen=True, slots=True)
class _Entry:
    record: PostRecord
    post: Post
    page: str           # file name under site/posts/

    @property
    def outlets(self) -> list[str]:
        return list(dict.fromkeys(s.outlet for s in self.post.sources))


def sanitize_body(html: str) -> str:
    """The renderer's (already escaped) HTML, restricted to FORMAT.md's tags and attributes."""
    import nh3

    return nh3.clean(
        _NESTED_H2.sub(r"\1\n<p>", html),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        link_rel=None,  # keep the renderer's own valid rel values
        url_schemes={"http", "https"},
        filter_style_properties=ALLOWED_STYLES,
        strip_comments=True,
    )


def _body_html(post: Post, settings: Settings, template_dir: Path | None) -> str:
    from sokbo.render import RenderOptions, get_renderer

    text = get_renderer("jekyll").render(
        post, RenderOptions(cta_text=settings.cta_text, cta_url=settings.cta_url,
                            template_dir=template_dir))
    if text.startswith("---\n"):
        text = text[text.index("\n---\n", 4) + 5 :]
    return sanitize_body(text)


def _entries(settings: Settings) -> list[_Entry]:
    if not settings.db_path.is_file():
        return []
    entries = []
    with Store(settings.db_path) as store:
        for record in store.list_posts():
            post = store.load_post(record.id)
            if post is None:
                log.warning("post %s has no stored content; left out of the preview", record.id)
                continue
            entries.append(_Entry(record, post, f"{record.id}.html"))
    entries.sort(key=lambda e: (e.post.date, e.record.id), reverse=True)
    return entries


def build_site(settings: Settings, *, template_dir: Path | None = None) -> Path:
    """Write OUT/site/ (index, one page per post, stylesheet); returns the index.html path.

    Raises:
        RenderError: a template under ``template_dir`` is broken.
    """
    from jinja2 import TemplateError

    try:
        return _build_site(settings, template_dir)
    except TemplateError as e:
        raise RenderError(f"template error: {e}", source=str(template_dir)) from e


def _build_site(settings: Settings, template_dir: Path | None) -> Path:
    from markupsafe import Markup

    from sokbo.render.common import render_template

    site = settings.out_dir / "site"
    entries = _entries(settings)
    style = render_template("site/style.css", template_dir)
    atomic_write_text(site / "style.css", style)
    pages = set()
    for e in entries:
        html = render_template(
            "site/post.html.j2", template_dir, entry=e, post=e.post, record=e.record,
            body=Markup(_body_html(e.post, settings, template_dir)),
        )
        atomic_write_text(site / "posts" / e.page, html)
        pages.add(e.page)
    for old in (site / "posts").glob("*.html") if (site / "posts").is_dir() else ():
        if old.name not in pages:
            old.unlink()  # a post that is gone from the state
    index = site / "index.html"
    atomic_write_text(index, render_template("site/index.html.j2", template_dir, entries=entries))
    return index
