"""Plain Markdown for newsletters, and the Markdown toolkit the Hugo renderer shares.

Markdown has no autoescape, so the templates here run in their own Jinja environment whose
``finalize`` escapes every ``{{ value }}`` for Markdown unless it is already ``Markup`` (the
output of the ``md_link``/``md_image``/``md_strong`` filters). A sentence therefore cannot open
a link, an emphasis, a heading, raw HTML, a Hugo shortcode or an autolinked URL.
"""
from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from markupsafe import Markup

from sokbo.models import Post
from sokbo.render import Renderer, RenderOptions
from sokbo.render.common import safe_src, safe_url, split_highlight

if TYPE_CHECKING:
    from jinja2 import Environment

# Everywhere in a line: CommonMark inline syntax, raw HTML and entities, GFM tables and
# strikethrough (Korean uses "~" for ranges: "10~20%"), Hugo shortcodes and heading attributes.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>!&|~{}])")
# At the start of a paragraph only: headings, quotes, lists, setext underlines, definition lists.
_LINE_START = re.compile(r"^([#>+=:-])")
_ORDERED_LIST = re.compile(r"^(\d{1,9})([.)])")
# Linkify (on by default in Hugo's goldmark) turns bare URLs, www. hosts and e-mails into links.
_SCHEME = re.compile(r":(?=//)")
_WWW = re.compile(r"(?i)\b(www)\.")
_WS = re.compile(r"\s+")
# What may stay unencoded in a link destination: everything else (spaces, parentheses, angle
# brackets, quotes, backslashes, non-ASCII) is percent-encoded so the URL cannot end the link.
_URL_SAFE = "-._~:/?#@!$&*+,;=%"


def _escape_inline(text: str) -> str:
    text = _INLINE_SPECIAL.sub(r"\\\1", _WS.sub(" ", text))
    text = _SCHEME.sub(r"\\:", text)
    text = _WWW.sub(r"\1\\.", text)
    return text.replace("@", "\\@")


def _escape_line_start(text: str) -> str:
    text = _LINE_START.sub(r"\\\1", text)
    return _ORDERED_LIST.sub(r"\1\\\2", text)


def escape_markdown(value: object) -> str:
    """One line of Markdown text that renders as exactly ``value`` (whitespace collapsed)."""
    return _escape_line_start(_escape_inline(str(value).strip()))


def md(value: object) -> Markup:
    """Jinja filter: escaped Markdown text, marked so ``finalize`` leaves it alone."""
    return value if isinstance(value, Markup) else Markup(escape_markdown(value))


def md_url(url: str | None) -> str | None:
    """An http(s) URL made safe for a Markdown link destination, or None."""
    good = safe_url(url)
    return quote(good, safe=_URL_SAFE) if good else None


def md_link(text: object, url: str | None) -> Markup:
    """``[text](url)``; just the escaped text when the URL is not http(s)."""
    dest = md_url(url)
    label = escape_markdown(text)
    return Markup(f"[{label}]({dest})" if dest and label else label)


def md_image(url: str | None, alt: object = "") -> Markup:
    """``![alt](url)`` for an http(s) URL or a path from the site root (a title card)."""
    good = safe_src(url)
    dest = quote(good, safe=_URL_SAFE) if good else None
    return Markup(f"![{escape_markdown(alt)}]({dest})") if dest else Markup("")


def md_bold(value: object) -> Markup:
    """``**value**`` for a whole line (subtitles, key sentences); nothing for empty text."""
    text = escape_markdown(value)
    return Markup(f"**{text}**") if text else Markup("")


def _is_space_or_punct(ch: str) -> bool:
    return not ch or ch.isspace() or unicodedata.category(ch)[0] in "PS"


def md_strong(before: str, phrase: str, after: str) -> Markup:
    """``before**phrase**after``, all escaped; plain text when ``**`` could not open and close.

    CommonMark's flanking rules ignore Korean word spacing: ``**'역대 최대'**를`` does not
    close, because the run follows punctuation and precedes a letter. Rather than leave stray
    asterisks on the page, such a phrase is simply not emphasised.
    """
    plain = Markup(escape_markdown(before + phrase + after))
    if not phrase.strip() or phrase != phrase.strip():
        return plain
    prev_ch, next_ch = before[-1:], after[:1]
    opens = not _is_space_or_punct(phrase[0]) or _is_space_or_punct(prev_ch)
    closes = not _is_space_or_punct(phrase[-1]) or _is_space_or_punct(next_ch)
    if not (opens and closes):
        return plain
    text = f"{_escape_inline(before.lstrip())}**{_escape_inline(phrase)}**{_escape_inline(after)}"
    return Markup(_escape_line_start(text.rstrip()))


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    return escape_markdown(value)


@cache
def _env(template_dir: str | None) -> Environment:
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader

    loaders: list[Any] = [PackageLoader("sokbo", "templates")]
    if template_dir:
        loaders.insert(0, FileSystemLoader(template_dir))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=False,  # HTML escaping is wrong for Markdown; finalize escapes instead
        finalize=_finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(md=md, md_bold=md_bold, md_link=md_link, md_image=md_image, md_url=md_url)
    return env


def render_markdown_template(name: str, template_dir: Path | None, **context: Any) -> str:
    """Render a Markdown template; a file of the same name under ``template_dir`` wins."""
    text = _env(str(template_dir) if template_dir else None).get_template(name).render(**context)
    # templates may leave runs of blank lines around optional blocks; Markdown needs only one
    return re.sub(r"\n{3,}", "\n\n", text).lstrip("\n")


def body_context(post: Post, options: RenderOptions) -> dict[str, Any]:
    """What the Markdown templates see: escaped-ready parts of the post."""
    cards = []
    for card in post.cards:
        text = " ".join(s.text for s in card.sentences)
        cards.append({
            "subtitle": card.subtitle,
            "paragraph": md_strong(*split_highlight(text, card.highlight)),
            "key": card.key_sentence.text,
        })
    sections = [
        {"heading": s.heading, "paragraphs": [" ".join(x.text for x in p) for p in s.paragraphs]}
        for s in post.sections
    ]
    sources = []
    for s in post.sources:
        link = md_link(s.outlet, s.url)
        title = escape_markdown(s.title)
        sources.append({
            "outlet": s.outlet, "title": s.title, "url": md_url(s.url), "link": link,
            "item": Markup(f"{link} — {title}" if title else link), "published": s.published,
        })
    cta = md_link(options.cta_text, options.cta_url) if options.cta_text and md_url(
        options.cta_url) else None
    return {
        "post": post,
        "image": md_image(post.image, post.image_alt),
        "excerpt": post.excerpt_text,
        "cards": cards,
        "sections": sections,
        "notices": [n.text for n in post.notices],
        "sources": sources,
        "outlets": list(dict.fromkeys(s.outlet for s in post.sources)),
        "cta": cta,
    }


def path_for(post: Post) -> str:
    return f"{post.date:%Y-%m-%d}-{post.slug}.md"


def render(post: Post, options: RenderOptions) -> str:
    return render_markdown_template(
        "markdown/post.md.j2", options.template_dir, **body_context(post, options)
    )


RENDERER = Renderer(name="markdown", posts_dir="posts", path_for=path_for, render=render)
