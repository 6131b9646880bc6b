"""The reference format: Jekyll post, Minimal Mistakes-style front matter, card/section body."""
from __future__ import annotations

from sokbo.models import Post
from sokbo.render import Renderer, RenderOptions
from sokbo.render.common import (
    dump_front_matter,
    front_matter,
    outlet_credits,
    render_template,
    split_highlight,
)


def path_for(post: Post) -> str:
    return f"{post.date:%Y-%m-%d}-{post.slug}.html"


def render(post: Post, options: RenderOptions) -> str:
    return dump_front_matter(front_matter(post)) + "\n" + render_body(post, options)


def render_body(post: Post, options: RenderOptions) -> str:
    """The post's HTML body, without its front matter (the preview site shows only this)."""
    cards = []
    for card in post.cards:
        text = " ".join(s.text for s in card.sentences)
        before, phrase, after = split_highlight(text, card.highlight)
        cards.append({"subtitle": card.subtitle, "before": before, "phrase": phrase,
                      "after": after, "key": card.key_sentence.text})
    sections = [
        {"heading": s.heading, "paragraphs": [" ".join(x.text for x in p) for p in s.paragraphs]}
        for s in post.sections
    ]
    return render_template(
        "jekyll/post.html.j2",
        options.template_dir,
        post=post,
        cards=cards,
        sections=sections,
        credits=outlet_credits(post),
        cta_text=options.cta_text,
        cta_url=options.cta_url,
    )


RENDERER = Renderer(name="jekyll", posts_dir="_posts", path_for=path_for, render=render)
