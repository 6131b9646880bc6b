"""Page → Article: trafilatura for text and metadata, then Korean boilerplate cleanup."""
from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from html import unescape
from typing import Any

from sokbo.dates import parse_datetime
from sokbo.errors import ExtractError
from sokbo.korean.clean import clean_text, hangul_ratio, sentence_core
from sokbo.korean.sentences import article_sentences
from sokbo.markup import normalize_html
from sokbo.models import Article, article_id_for
from sokbo.outlets import resolve_outlet
from sokbo.urls import http_url, url_host

log = logging.getLogger(__name__)

MIN_TEXT_CHARS = 80
MIN_HANGUL_RATIO = 0.5
META_TAG = re.compile(r"<meta\s[^>]*>", re.I)
ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
CANONICAL = re.compile(r"""<link\s[^>]*rel\s*=\s*["']?canonical["']?[^>]*>""", re.I)
JSON_LD = re.compile(
    r"""<script[^>]*type\s*=\s*["']application/ld\+json["'][^>]*>(.*?)</script>""", re.I | re.S
)
VISIBLE_DATE = re.compile(
    r"(?:입력|등록|송고시간|기사입력|게재)\s*[:：]?\s*"
    r"(\d{4}[.\-/년]\s*\d{1,2}[.\-/월]\s*\d{1,2}일?\.?\s*(?:오전|오후)?\s*\d{1,2}[:시]\s*\d{1,2}분?)"
)
# menus and link lists have no sentences; an article has several "…다." sentences
SENTENCE_END = re.compile(r"(?:다|요|죠|음|함)\s*(?:[.!?]|$)", re.M)  # pre-split corpora drop the period
MIN_ARTICLE_SENTENCES = 3
# a body the page itself marks as the article may be a two-line video teaser (SBS 자막뉴스)
MIN_DECLARED_SENTENCES = 2
MIN_DECLARED_CHARS = 40
TITLE_SUFFIX = re.compile(r"\s*(?:[|｜–—-]|::|<)\s*[^|｜–—<>-]{1,25}$")


def _meta(html: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for tag in META_TAG.findall(html[:200_000]):
        attrs = {m[0].lower(): unescape(m[1] or m[2] or m[3]) for m in ATTR.findall(tag)}
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        if key and "content" in attrs and key.lower() not in out:
            out[key.lower()] = attrs["content"].strip()
    return out


def _canonical(html: str) -> str | None:
    m = CANONICAL.search(html[:200_000])
    if not m:
        return None
    attrs = {a[0].lower(): unescape(a[1] or a[2] or a[3]) for a in ATTR.findall(m.group(0))}
    return attrs.get("href") or None


def _json_ld_items(html: str) -> Iterator[dict[str, Any]]:
    for block in JSON_LD.findall(html):
        try:
            data = json.loads(block.strip())
        except (ValueError, RecursionError):  # RecursionError: "[[[[…" thousands deep
            continue
        yield from (item for item in (data if isinstance(data, list) else [data])
                    if isinstance(item, dict))


def _json_ld_dates(html: str) -> str | None:
    for item in _json_ld_items(html):
        if item.get("datePublished"):
            return str(item["datePublished"])
    return None


def _json_ld_publisher(html: str) -> str | None:
    """The publisher's name a page's JSON-LD gives ("SBS 뉴스", "비디오머그")."""
    for item in _json_ld_items(html):
        publisher = item.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            return publisher["name"]
    return None


# -- the article body the page declares ------------------------------------------------------

# Containers that pages mark as the article body, tried in order. schema.org microdata covers
# most Korean outlets (SBS, MBC, MBN, YTN, TV조선, 연합뉴스TV and the ND소프트 CMS of many
# regional papers); the ids are CMSs that do not use it.
BODY_XPATHS = (
    '//*[@itemprop="articleBody"]',
    '//*[@id="cont_newstext"]',  # KBS
    '//*[@id="dic_area"]',  # Naver News
    '//*[@id="article-view-content-div"]',  # ND소프트 without microdata
)
# Elements inside a body that are never article text.
DROP_TAGS = (
    "script", "style", "noscript", "iframe", "video", "audio", "source", "object", "embed",
    "button", "form", "input", "select", "textarea", "figure", "figcaption", "img", "svg",
    "picture", "aside", "nav", "template", "map",
)
# class/id words of boxes inside a body that carry no article text (ads, photo captions,
# related-article lists, reporter boxes, share bars, hidden print copies)
NOISE_WORDS = frozenset(
    "ad ads adv advert advertisement banner promotion promo caption photo img image thumb "
    "figure vod video player related relation more recommend share sns social copyright "
    "reporter byline journalist writer tag tags hashtag keyword subscribe comment comments "
    "hide hidden blind sr-only screen_out print popup layer".split()
)
CLASS_SPLIT = re.compile(r"[\s_\-]+")
BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 section article blockquote tr table dd dt dl pre "
    "header footer".split()
)
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def _parse_html(html: str):  # -> lxml.html.HtmlElement | None
    import lxml.html
    from lxml.etree import ParserError

    try:
        return lxml.html.fromstring(html)
    except (ParserError, ValueError):
        return None


def _is_noise(el) -> bool:
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    if HIDDEN_STYLE.search(el.get("style") or ""):
        return True
    words = CLASS_SPLIT.split(f"{el.get('class') or ''} {el.get('id') or ''}".lower())
    return any(w in NOISE_WORDS for w in words)


def _link_heavy(el) -> bool:
    """A list of links (related articles, tags, "more" boxes) rather than prose."""
    text = " ".join(el.text_content().split())
    if not text:
        return False
    linked = sum(len(" ".join(a.text_content().split())) for a in el.iter("a"))
    return linked > 0.5 * len(text)


def _declared_body(tree) -> str | None:
    """Text of the page's declared article body, one paragraph per line; None when none."""
    for xpath in BODY_XPATHS:
        # a body declared on <noscript>, <template>, <script>… is not what readers see
        found = [el for el in tree.xpath(xpath)
                 if el.tag not in DROP_TAGS and not _is_noise(el)]
        # nested declarations: the outermost holds everything
        found = [el for el in found if not any(o is not el and el in o.iterdescendants()
                                               for o in found)]
        if not found:
            continue
        texts = [_block_text(el) for el in found]
        text = "\n".join(t for t in texts if t.strip())
        if text.strip():
            return text
    return None


def _block_text(root) -> str:
    """Visible text of an element with block boundaries as newlines; noise boxes dropped."""
    import copy

    root = copy.deepcopy(root)
    for el in list(root.iter(*DROP_TAGS)):
        if el is not root and el.getparent() is not None:
            el.drop_tree()  # keeps the tail text, which often is the body itself
    for el in list(root.iter()):
        if el is root or not isinstance(el.tag, str) or el.getparent() is None:
            continue
        if _is_noise(el) or (el.tag in ("ul", "ol", "div", "p", "dl", "table") and
                             _link_heavy(el)):
            el.drop_tree()
    parts: list[str] = []

    def walk(el) -> None:
        block = el.tag in BLOCK_TAGS
        if block:
            parts.append("\n")
        parts.append(el.text or "")
        for child in el:
            if isinstance(child.tag, str):
                walk(child)
            else:
                parts.append(child.tail or "")  # comments
        if block:
            parts.append("\n")
        if el is not root:
            parts.append(el.tail or "")

    walk(root)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


# -- Arc XP pages (조선일보): the article lives in a JSON document, not in the HTML -----------

ARC_CONTENT = re.compile(r"Fusion\.globalContent\s*=\s*")
TAG = re.compile(r"<[^>]+>")


def _arc_content(html: str) -> dict[str, Any] | None:
    m = ARC_CONTENT.search(html)
    if not m:
        return None
    try:
        data, _ = json.JSONDecoder().raw_decode(html, m.end())
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("content_elements"), list):
        return None
    headlines = data.get("headlines") if isinstance(data.get("headlines"), dict) else {}
    return {
        "title": str(headlines.get("basic") or ""),
        "published": str(data.get("first_publish_date") or data.get("display_date") or ""),
        "elements": data["content_elements"],
    }


def _arc_body(arc: dict[str, Any]) -> str:
    paras = []
    for el in arc["elements"]:
        if isinstance(el, dict) and el.get("type") in ("text", "header"):
            content = re.sub(r"<br\s*/?>", "\n", str(el.get("content") or ""), flags=re.I)
            paras.append(unescape(TAG.sub("", content)).strip())
    return "\n".join(p for p in paras if p)


# -- title ---------------------------------------------------------------------------------

MIN_HEADLINE_CHARS = 8  # shorter <h1>s are logos and section names
QUOTE_FOLD = str.maketrans({"″": '"', "“": '"', "”": '"', "‘": "'", "’": "'", "＂": '"'})


def _visible_headline(title: str, tree, site: str) -> str:
    """The page's own <h1>-<h3> text when it is the same headline as ``title``, or the first
    headline-sized one when ``title`` is only the outlet's name (연합뉴스TV's <title>).

    Meta titles are sometimes re-encoded (MBN writes ″ for " in og:title); the visible
    headline is what readers see.
    """
    if tree is None:
        return title
    key = _title_key(title)
    for el in tree.iter("h1", "h2", "h3"):
        text = " ".join(el.text_content().split())
        if not title or title == site:
            if len(text) >= MIN_HEADLINE_CHARS and site not in text:
                return text
        elif text != title and _title_key(text) == key:
            return text
    return title


def _title_key(title: str) -> str:
    return re.sub(r"\s+", "", unescape(title).translate(QUOTE_FOLD))


def _strip_outlet_suffix(title: str, outlet: str | None) -> str:
    title = re.sub(r"\s+", " ", title).strip()
    if outlet and title.endswith(outlet):
        trimmed = title[: -len(outlet)].rstrip(" |｜-–—:<")
        if trimmed:
            return trimmed
    m = TITLE_SUFFIX.search(title)
    if m and len(title) - len(m.group(0)) >= 8 and not re.search(r"[…\"'”]", m.group(0)):
        return title[: m.start()].strip()
    return title


def _safe_url(url: str | None) -> str | None:
    return http_url(url)


def extract_article(
    html: str,
    *,
    url: str | None = None,
    outlet: str | None = None,
    published: datetime | None = None,
    title: str | None = None,
    category: str | None = None,
) -> Article:
    """Extract one article from a page's HTML.

    ``outlet``/``published``/``title`` come from the feed item when there is one; the page's own
    metadata wins for the canonical URL, the page's date wins over the feed's.
    """
    page = extract_page(html, url=url, outlet=outlet, published=published, title=title)
    return make_article(
        url=page.url,
        title=page.title,
        outlet=page.outlet,
        published=page.published,
        text=page.text,
        image=page.image,
        category=category,
        id_key=f"{page.label}:{page.title}" if page.label else None,
    )


@dataclass(frozen=True, slots=True)
class Page:
    """What :func:`extract_page` reads off a page, before sentence splitting."""

    url: str
    title: str
    outlet: str
    published: datetime | None
    text: str
    image: str | None
    body_source: str  # "declared", "arc" or "trafilatura": where the text came from
    label: str = ""  # the page's own outlet label (og:site_name, the feed's); ids of URL-less pages


def extract_page(
    html: str,
    *,
    url: str | None = None,
    outlet: str | None = None,
    published: datetime | None = None,
    title: str | None = None,
) -> Page:
    """Title, outlet, date, canonical URL and cleaned body text of an article page.

    The body is the container the page declares (schema.org ``articleBody`` and a few CMS ids)
    or an Arc XP ``Fusion.globalContent`` document; only pages with neither go to trafilatura,
    whose guess on Korean broadcaster pages is sometimes the most-read list or the body twice.
    """
    source = url or "page"
    html = normalize_html(html)  # lxml's limits: no control characters, bounded nesting
    tree = _parse_html(html)
    meta = _meta(html)
    arc = _arc_content(html)
    doc = None  # trafilatura's result, computed only when something is missing
    raw_title = title or meta.get("og:title") or (arc or {}).get("title") or ""
    if not raw_title:
        doc = _trafilatura(html, url)
        raw_title = (doc.title if doc is not None else None) or ""
    site = outlet or _site_name(meta.get("og:site_name"))
    if not site:
        doc = doc or _trafilatura(html, url)
        site = _site_name(doc.sitename if doc is not None else None)
    if not site and url:
        site = url_host(url)
    site = (site or "알 수 없는 매체").strip()  # the page's own label: titles end with it
    clean_title = _visible_headline(_strip_outlet_suffix(raw_title, site), tree, site)

    # the page's own declaration first; trafilatura's guess only when that gives no article
    text, body_source, first_error = "", "", None
    for body_source in ("declared", "arc", "trafilatura"):
        if body_source == "declared":
            raw_text = _declared_body(tree) if tree is not None else None
        elif body_source == "arc":
            raw_text = _arc_body(arc) if arc is not None else None
        else:
            doc = doc or _trafilatura(html, url)
            raw_text = doc.text if doc is not None else None
        if not raw_text or not raw_text.strip():
            continue
        text = clean_text(raw_text, title=clean_title)
        try:
            _check_article_text(
                text, source, "no article text found in the page",
                MIN_ARTICLE_SENTENCES if body_source == "trafilatura" else MIN_DECLARED_SENTENCES,
                MIN_TEXT_CHARS if body_source == "trafilatura" else MIN_DECLARED_CHARS,
            )
            break
        except ExtractError as e:
            first_error = first_error or e
    else:
        raise first_error or ExtractError("no article text found in the page", source=source)
    if not clean_title:
        raise ExtractError("the page has no title", source=source)
    canonical = (
        _safe_url(_canonical(html)) or _safe_url(meta.get("og:url")) or _safe_url(url) or url or ""
    )
    credited = resolve_outlet(
        (url, canonical, meta.get("og:url")), outlet,
        (meta.get("og:site_name"), _json_ld_publisher(html)),
    ) or site
    page_date = _page_date(html, meta, arc) or published
    if page_date is None:
        doc = doc or _trafilatura(html, url)
        page_date = parse_datetime(doc.date) if doc is not None else None
    image = _safe_url(meta.get("og:image") or (doc.image if doc is not None else None))
    return Page(
        url=canonical, title=clean_title, outlet=credited, published=page_date, text=text,
        image=image, body_source=body_source, label=site,
    )


def _trafilatura(html: str, url: str | None):  # -> trafilatura Document | None
    import trafilatura

    return trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params={
            "original_date": True,
            "outputformat": "%Y-%m-%dT%H:%M:%S%z",
            "extensive_search": False,
        },
    )


def _page_date(html: str, meta: dict[str, str], arc: dict[str, str] | None) -> datetime | None:
    """The publication time the page states: meta tags, JSON-LD, Arc XP, then visible text."""
    for candidate in (
        meta.get("article:published_time"),
        _json_ld_dates(html),
        (arc or {}).get("published"),
        meta.get("og:regdate"),
        meta.get("datepublished"),
    ):
        found = parse_datetime(candidate)
        if found:
            return found
    m = VISIBLE_DATE.search(_visible_text(html))
    return parse_datetime(m.group(1)) if m else None


def _site_name(value: str | None) -> str | None:
    """An outlet name, not a URL (some pages put their Facebook page in the site name)."""
    value = (value or "").strip()
    if not value or re.match(r"(?i)^(?:https?:)?//|^www\.", value):
        return None
    return value


def _check_article_text(
    text: str,
    source: str,
    no_text: str,
    min_sentences: int = MIN_ARTICLE_SENTENCES,
    min_chars: int = MIN_TEXT_CHARS,
) -> None:
    if len(text) < min_chars and hangul_ratio(text) >= MIN_HANGUL_RATIO:
        raise ExtractError(no_text, source=source)
    if hangul_ratio(text) < MIN_HANGUL_RATIO:
        raise ExtractError("the article is not in Korean", source=source)
    if len(SENTENCE_END.findall(text)) < min_sentences:
        raise ExtractError(no_text, source=source)
    if not any(sentence_core(line) for line in text.splitlines()):
        raise ExtractError(no_text, source=source)  # only sign-offs, credits, markers


def _visible_text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html[:300_000])


def make_article(
    *,
    url: str,
    title: str,
    outlet: str,
    published: datetime | None,
    text: str,
    image: str | None = None,
    category: str | None = None,
    id_key: str | None = None,
) -> Article:
    """Build an Article from already-clean text, splitting its sentences.

    The id comes from the URL; without one, from ``id_key`` (the outlet as the input named it,
    so that crediting a registered name instead does not make a stored article new) or
    outlet and title.
    """
    aid = article_id_for(url or id_key or f"{outlet}:{title}")
    return Article(
        id=aid,
        url=url,
        title=title,
        outlet=outlet,
        published=published,
        text=text,
        sentences=tuple(article_sentences(text, aid)),
        image=image,
        category=category,
    )


def article_from_text(
    text: str,
    *,
    title: str | None = None,
    url: str = "",
    outlet: str | None = None,
    published: datetime | None = None,
    source: str = "text",
) -> Article:
    """Plain text (or a JSONL record's text) → Article; the first line is the title if none given."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if title is None:
        if not lines:
            raise ExtractError("no article text found", source=source)
        title, lines = lines[0].strip(), lines[1:]
    body = clean_text("\n".join(lines), title=title)
    _check_article_text(body, source, "no article text found")
    label = (outlet or "").strip() or "직접 입력"
    return make_article(
        url=url, title=title.strip(), outlet=resolve_outlet((url,), outlet) or label,
        published=published, text=body, id_key=f"{label}:{title.strip()}",
    )
