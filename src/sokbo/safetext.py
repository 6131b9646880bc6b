"""Text and URLs made safe for output: plain text for titles and front matter, http(s) URLs.

Article text is data. A sentence quoting ``<img src=x onerror=…>`` is shown escaped in a post
body, but front matter is read by blog themes as HTML or Markdown: Liquid prints
``{{ page.title }}`` unescaped, Minimal Mistakes renders ``page.excerpt | markdownify``
(kramdown), Hugo renders ``summary`` with goldmark. So every string that goes there is reduced
to text that no HTML parser and no Markdown dialect reads as markup:

- markup runs (tags, end tags, comments, declarations) are removed, and any ``<`` that could
  still open one becomes a full-width ``＜``: a browser opens markup only at ``<`` followed by
  an ASCII letter, ``/``, ``!`` or ``?`` (WHATWG "tag open state"), so ``<기생충>`` and
  ``3 < 5`` are left alone;
- Markdown constructs that make active elements are broken with one space: inline link and
  image destinations (``](``, where ``javascript:`` would go), kramdown attribute lists and
  extensions (``{:``, which can add ``onmouseover=`` to an element), goldmark attributes
  (``{#``, ``{.``) and Liquid tags (``{{``, ``{%``);
- control, line-separator and bidi-override characters are dropped and whitespace collapsed to
  single spaces, so the text is one line (a Markdown block construct needs a line start).
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = ["plain_text", "safe_src", "safe_url", "strip_markup"]

# A whole tag, end tag, comment, doctype or processing instruction as a browser would open it.
_MARKUP_RUN = re.compile(r"<[A-Za-z/!?][^<>]*>")
# A "<" that would still open markup (an unclosed tag runs on into whatever the theme prints
# after the text, e.g. "</p>"), once the whole runs are gone.
_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])")
# A Markdown link or image destination with a scheme ("[보기](javascript:alert(1))"): the
# destination goes, the bracketed text stays. One level of parentheses inside is allowed.
_MD_DEST = re.compile(r"\]\(\s*<?(?:[A-Za-z][A-Za-z0-9+.-]*:|//)(?:[^()\s]|\([^()\s]*\))*\s*>?\)")
# Nested runs ("<<b>img …>") need more than one pass; past this many the rest is neutralised.
_MAX_PASSES = 32
# C0/C1 controls, line/paragraph separators, bidi embeddings/overrides/isolates, BOM.
# (tab, newlines and the other whitespace controls are kept here and collapsed below)
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u2028\u2029\u202a-\u202e"
                        r"\u2066-\u2069\ufeff]")
# Tags a browser shows as a break: removed with a space, so "a<br>b" reads "a b"; inline tags
# ("<b>반도체</b>수출") go without one.
_BREAKING = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
    "header hr img li main nav ol p pre section table td th tr ul".split()
)
_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)")
_WS = re.compile(r"\s+")
_LINK_DEST = re.compile(r"\](?=\()")
_BRACE = re.compile(r"\{(?=[:{%#.])")


def _replacement(run: re.Match[str]) -> str:
    name = _TAG_NAME.match(run.group())
    return " " if name and name.group(1).lower() in _BREAKING else ""


def strip_markup(text: str) -> str:
    """``text`` without HTML markup runs and Markdown link destinations; a ``<`` that could
    still open markup becomes ``＜``.

    >>> strip_markup("<b>반도체</b>수출<br>표에는<img src=x onerror=alert(1)>라는 표기가")
    '반도체수출 표에는 라는 표기가'
    >>> strip_markup("영화 <기생충> 관객 3<5, 안내문의 [보기](javascript:alert(1))")
    '영화 <기생충> 관객 3<5, 안내문의 [보기]'
    """
    text = _MD_DEST.sub("]", text)
    for _ in range(_MAX_PASSES):
        stripped = _MARKUP_RUN.sub(_replacement, text)
        if stripped == text:
            break
        text = stripped
    return _TAG_OPEN.sub("＜", text)


def plain_text(value: object) -> str:
    """One line of text that renders as itself in HTML, kramdown, goldmark and Liquid output.

    >>> plain_text("[링크](javascript:alert(1))\\n*굵게*{: onmouseover=alert(2)} [x](y)")
    '[링크] *굵게*{ : onmouseover=alert(2)} [x] (y)'
    """
    text = _INVISIBLE.sub("", str(value))
    text = strip_markup(text)
    text = _LINK_DEST.sub("] ", text)
    text = _BRACE.sub("{ ", text)
    return _WS.sub(" ", text).strip()


# Characters a URL never needs raw and that could end an attribute or a Markdown destination
# when a theme prints the URL unescaped: percent-encoded.
_URL_TAB_NEWLINE = re.compile(r"[\t\n\r]")
_URL_UNSAFE = re.compile(r"[\x00-\x20\x7f\"'<>\\^`{|}]")


def safe_url(url: str | None) -> str | None:
    """An absolute http(s) URL, with quote marks, angle brackets, spaces and controls
    percent-encoded; None for anything else (``javascript:``, ``data:``, relative, malformed).

    >>> safe_url('https://news.example/a?q="x"')
    'https://news.example/a?q=%22x%22'
    >>> safe_url("javascript:alert(1)") is None, safe_url("http://[::1") is None
    (True, True)
    """
    if not url or not isinstance(url, str):
        return None
    # as a browser reads a URL: C0 controls and spaces trimmed, tabs and newlines removed
    value = _URL_TAB_NEWLINE.sub("", url).strip("".join(map(chr, range(0x21))))
    try:
        parts = urlsplit(value)
    except ValueError:  # "http://[::1": an unbalanced IPv6 bracket
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return _URL_UNSAFE.sub(lambda m: f"%{ord(m.group()):02X}", value)


# "/assets/cards/x.png": a path from the site root (not "//host", a scheme-relative URL)
_ROOT_PATH = re.compile(r"/(?![/\\])")


def safe_src(url: str | None) -> str | None:
    """``safe_url``, or a path from the site root such as a title card's
    ``/assets/cards/<slug>.png`` (unsafe characters percent-encoded); None for anything else.

    >>> safe_src("/assets/cards/AI-반도체.png"), safe_src("//evil.example/x") is None
    ('/assets/cards/AI-반도체.png', True)
    """
    if isinstance(url, str):
        value = _URL_TAB_NEWLINE.sub("", url).strip("".join(map(chr, range(0x21))))
        if _ROOT_PATH.match(value):
            return _URL_UNSAFE.sub(lambda m: f"%{ord(m.group()):02X}", value)
    return safe_url(url)
