"""Hugo post: YAML front matter (title, date, taxonomies, summary, sources) and a Markdown body.

The body is CommonMark with no raw HTML at all. Hugo's goldmark drops raw HTML unless the site
sets ``markup.goldmark.renderer.unsafe = true``, so an HTML body would come out empty on a
default site; plain Markdown renders the same parts (image, cards, ``##`` sections, sources)
on any site, and the theme styles them. FORMAT.md's inline colours are therefore not carried.
"""
from __future__ import annotations

from typing import Any

from sokbo.frontmatter import FoldedStr, ImageUrl, dump_front_matter
from sokbo.models import Post
from sokbo.render import Renderer, RenderOptions
from sokbo.render.common import source_list
from sokbo.render.markdown import body_context, render_markdown_template


def path_for(post: Post) -> str:
    return f"{post.date:%Y-%m-%d}-{post.slug}.md"


def front_matter(post: Post) -> dict[str, Any]:
    summary = FoldedStr(post.excerpt_text)
    data: dict[str, Any] = {
        "title": post.title,
        "date": post.date.isoformat(),
        "categories": list(post.categories),
        "tags": list(post.tags),
        "summary": summary,
        "description": summary,
        "image": ImageUrl(post.image),
        "sources": source_list(post),
    }
    return data


def render(post: Post, options: RenderOptions) -> str:
    body = render_markdown_template(
        "hugo/post.md.j2", options.template_dir, **body_context(post, options)
    )
    return dump_front_matter(front_matter(post)) + "\n" + body


RENDERER = Renderer(name="hugo", posts_dir="content/posts", path_for=path_for, render=render)
