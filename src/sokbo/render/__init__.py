"""Post → file text in a blog's format. RENDERERS maps a format name to its renderer."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sokbo.errors import RenderError
from sokbo.models import Post


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """How to render: optional call to action, and ``template_dir``, a folder whose files
    override the shipped templates by name (``jekyll/post.html.j2``, ``hugo/post.md.j2``,
    ``markdown/post.md.j2``)."""

    cta_text: str = ""
    cta_url: str = ""
    template_dir: Path | None = None


@dataclass(frozen=True, slots=True)
class Renderer:
    name: str
    posts_dir: str                       # relative to the output/site root
    path_for: Callable[[Post], str]      # file name inside posts_dir
    render: Callable[[Post, RenderOptions], str]


def _registry() -> dict[str, Renderer]:
    from sokbo.render import hugo, jekyll, markdown

    return {r.name: r for r in (jekyll.RENDERER, hugo.RENDERER, markdown.RENDERER)}


def renderer_names() -> list[str]:
    return sorted(_registry())


def get_renderer(name: str) -> Renderer:
    renderers = _registry()
    if name not in renderers:
        raise RenderError(f"unknown format {name!r}; choose one of {', '.join(sorted(renderers))}")
    return renderers[name]


def render_post(post: Post, fmt: str = "jekyll",
                options: RenderOptions | None = None) -> tuple[str, str]:
    """(path relative to the output dir, file text)."""
    r = get_renderer(fmt)
    return f"{r.posts_dir}/{r.path_for(post)}", r.render(post, options or RenderOptions())
