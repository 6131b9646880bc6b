"""Markup and link rules (SB4xx): nothing executable, only real links with valid ``rel`` values.

The body is read as a browser builds it (``lint.browser``: html5lib, scripting on), so markup
smuggled through ``<noscript>``, ``<textarea>``, ``<xmp>``, ``<noembed>`` or a ``--!>``
comment end is seen where Chromium would run it. Front matter is checked too: themes print it
as HTML or Markdown.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from sokbo.lint.context import Context, line_location
from sokbo.lint.rules import Hit, rule

# HTML link types allowed on <a>/<area>/<link>/<form>, plus Google's ugc and sponsored and the
# widely used microformats "me". "dofollow" is not one of them: links are followed by default.
VALID_REL = frozenset(
    """alternate author bookmark canonical external help icon license manifest me modulepreload
    next nofollow noopener noreferrer opener pingback preconnect prefetch preload prev
    privacy-policy search sponsored stylesheet tag terms-of-service ugc""".split()
)
UNSAFE_TAGS = frozenset(
    "script iframe style object embed frame frameset applet base link portal".split()
)
# SVG animation elements can rewrite any attribute of another element, href included, and
# carry onbegin/onend handlers: no post needs them.
UNSAFE_SVG_TAGS = frozenset("animate set animatemotion animatetransform discard".split())
UNSAFE_SCHEMES = ("javascript:", "data:", "vbscript:")
URL_ATTRS = frozenset(
    """href src action formaction xlink:href poster background cite data srcset lowsrc dynsrc
    ping manifest codebase longdesc usemap to from values by""".split()
)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def _scheme_of(value: str) -> str:
    """What a browser sees: control characters and whitespace inside a URL are dropped."""
    return _INVISIBLE.sub("", value).lower()


def unsafe_url(value: str) -> bool:
    return _scheme_of(value).startswith(UNSAFE_SCHEMES)


@rule("SB401", "invalid-rel", "error", 'a link has a rel value that is no HTML link type')
def check_rel(ctx: Context) -> Iterator[Hit]:
    for el in ctx.post.elements:
        rel = el.attr("rel")
        if rel is None:
            continue
        bad = [v for v in rel.lower().split() if v not in VALID_REL]
        if bad:
            yield Hit(
                line_location(el.line),
                f'rel="{rel}"',
                f"rel 값 {', '.join(bad)}은(는) 유효하지 않습니다 (noopener, nofollow 등)",
                f"invalid rel value {', '.join(bad)} (use noopener, nofollow, noreferrer, …)",
            )


def _unsafe_element(tag: str, namespace: str, attrs: dict[str, str | None]) -> bool:
    if tag in UNSAFE_TAGS or (namespace == "svg" and tag in UNSAFE_SVG_TAGS):
        return True
    # <meta http-equiv="refresh"> navigates away, to javascript: or data: if it says so
    return tag == "meta" and bool(attrs.get("http-equiv"))


@rule(
    "SB402",
    "unsafe-element",
    "error",
    "<script>, <iframe>, <style>, a meta refresh, an SVG animation or another active element",
)
def check_elements(ctx: Context) -> Iterator[Hit]:
    for el in ctx.post.elements:
        if _unsafe_element(el.tag, el.namespace, dict(el.attrs)):
            yield Hit(
                line_location(el.line),
                f"<{el.tag}>{el.text}",
                f"<{el.tag}> 요소는 게시물에 들어갈 수 없습니다",
                f"<{el.tag}> element must not appear in a post",
            )


@rule("SB403", "event-handler", "error", "an on*= event handler attribute")
def check_event_handlers(ctx: Context) -> Iterator[Hit]:
    for el in ctx.post.elements:
        for name, value in el.attrs:
            if name.startswith("on") and len(name) > 2:
                yield Hit(
                    line_location(el.line),
                    f'{name}="{value or ""}"',
                    f"이벤트 처리 속성 {name}=은(는) 게시물에 들어갈 수 없습니다",
                    f"event handler attribute {name}= must not appear in a post",
                )


def front_strings(value: Any) -> Iterator[tuple[str, str, str]]:
    """(top-level key, innermost key, string) for every string anywhere in the front matter."""
    stack: list[tuple[str, str, Any]] = [("", "", value)]
    while stack:
        top, key, item = stack.pop()
        if isinstance(item, str):
            yield top, key, item
        elif isinstance(item, dict):
            stack.extend((top or str(k), str(k), v) for k, v in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend((top, key, v) for v in reversed(item))


# Front matter keys whose values themes put in href/src (image, header.overlay_image, og_image,
# sources[].url, canonical_url, link, …); other values are text, which SB406 checks.
_URL_KEY = re.compile(r"(?i)(^|[_-])(image|url|link|href|src|teaser|thumbnail|canonical|"
                      r"redirect(_to)?|permalink|avatar|logo|icon)$")


@rule("SB404", "unsafe-url", "error", "a javascript:, data: or vbscript: URL")
def check_urls(ctx: Context) -> Iterator[Hit]:
    for key, inner, value in front_strings(ctx.post.front_matter or {}):
        if _URL_KEY.search(inner) and unsafe_url(value):
            yield Hit(
                f"front-matter:{key}",
                value,
                f"머리말 {key}에 실행 가능한 URL이 들어 있습니다",
                f"front matter {key} is a javascript:/data:/vbscript: URL",
            )
    for el in ctx.post.elements:
        for name, value in el.attrs:
            if name in URL_ATTRS and value and unsafe_url(value):
                yield Hit(
                    line_location(el.line),
                    f'{name}="{value}"',
                    f"{name}에 javascript:/data:/vbscript: URL이 있습니다",
                    f"{name} holds a javascript:/data:/vbscript: URL",
                )


def _link_problem(href: str | None, text: str, has_image: bool) -> tuple[str, str] | None:
    """(Korean, English) reason a link is broken, or None; unsafe schemes are SB404's."""
    value = (href or "").strip()
    if not value or value == "#":
        return "링크 주소가 비어 있습니다", "link has an empty href"
    if unsafe_url(value):
        return None
    try:
        parsed = urlsplit(value)
    except ValueError:  # "http://[::1": what a browser cannot resolve either
        return "링크 주소를 해석할 수 없습니다", "link URL cannot be parsed"
    if parsed.scheme and parsed.scheme.lower() not in ("http", "https"):
        return (
            f"링크 주소가 http(s)가 아닙니다 ({parsed.scheme}:)",
            f"link is not http(s) or relative ({parsed.scheme}:)",
        )
    if parsed.scheme and not parsed.netloc:
        return "링크 주소에 호스트가 없습니다", "http(s) link without a host"
    if not text.strip() and not has_image:
        return "링크 글자가 비어 있습니다", "link text is empty"
    return None


@rule("SB405", "broken-link", "error", "a link with an empty, '#' or non-http(s) href, or no text")
def check_links(ctx: Context) -> Iterator[Hit]:
    for el in ctx.post.elements:
        if el.tag != "a":
            continue
        problem = _link_problem(el.attr("href"), el.text, el.has_image)
        if problem:
            yield Hit(
                line_location(el.line),
                f'<a href="{el.attr("href") or ""}">{el.text}</a>',
                problem[0],
                problem[1],
            )


# What opens markup in front matter text: an HTML tag, end tag or comment (as a browser opens
# one), a Markdown link or image to a non-http(s) URL, a kramdown attribute list or extension.
_FRONT_MARKUP = re.compile(
    r"<[A-Za-z/!?]|\]\(\s*<?\s*(?!https?:|/|#)[A-Za-z][A-Za-z0-9+.-]*:|\{:"
)


@rule(
    "SB406",
    "front-matter-markup",
    "error",
    "front matter text holds HTML or Markdown markup a theme would render (title, excerpt, …)",
)
def check_front_matter_markup(ctx: Context) -> Iterator[Hit]:
    for key, _, value in front_strings(ctx.post.front_matter or {}):
        m = _FRONT_MARKUP.search(value)
        if m:
            quote = value[max(0, m.start() - 10):m.start() + 40]
            yield Hit(
                f"front-matter:{key}",
                quote,
                f"머리말 {key}에 마크업이 있습니다: 테마가 HTML·Markdown으로 출력하면 실행될 수 있습니다",
                f"front matter {key} holds markup; themes print it as HTML or Markdown "
                "(e.g. page.excerpt | markdownify), where it renders or runs",
            )


@rule(
    "SB407",
    "markup-too-complex",
    "error",
    "markup nested so deep or so tangled that it cannot be checked as a browser reads it",
)
def check_markup_complexity(ctx: Context) -> Iterator[Hit]:
    if ctx.post.markup_too_complex:
        yield Hit(
            line_location(ctx.post.body_line),
            "\n".join(ctx.post.text.split("\n")[ctx.post.body_offset:])[:40],
            "마크업이 너무 깊게 중첩되었거나 복잡해 브라우저처럼 검사할 수 없습니다",
            "markup is nested too deep or too tangled (thousands of levels or reopened "
            "formatting elements) to check as a browser builds it",
        )
