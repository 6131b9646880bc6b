"""Page → Article: trafilatura for text and metadata, then Korean boilerplate cleanup."""
from __future__ import annotations

import json
import logging
import re
from datetime import datetime
from html import unescape
from urllib.parse import urlparse

from sokbo.dates import parse_datetime
from sokbo.errors import ExtractError
from sokbo.korean.clean import clean_text, hangul_ratio
from sokbo.korean.sentences import split_sentences
from sokbo.models import Article, article_id_for

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
SENTENCE_END = re.compile(r"(?:다|요|죠|음|함)\s*[.!?]")
MIN_ARTICLE_SENTENCES = 3
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


def _json_ld_dates(html: str) -> str | None:
    for block in JSON_LD.findall(html):
        try:
            data = json.loads(block.strip())
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and item.get("datePublished"):
                return str(item["datePublished"])
    return None


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
    if url and urlparse(url).scheme in ("http", "https"):
        return url
    return None


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
    import trafilatura

    doc = trafilatura.bare_extraction(
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
    meta = _meta(html)
    source = url or "page"
    if doc is None or not (doc.text or "").strip():
        raise ExtractError("no article text found in the page", source=source)
    site = outlet or meta.get("og:site_name") or doc.sitename
    if not site and url:
        site = urlparse(url).hostname
    site = (site or "알 수 없는 매체").strip()
    raw_title = title or meta.get("og:title") or doc.title or ""
    clean_title = _strip_outlet_suffix(raw_title, site)
    text = clean_text(doc.text, title=clean_title)
    _check_article_text(text, source, "no article text found in the page")
    if not clean_title:
        raise ExtractError("the page has no title", source=source)
    canonical = (
        _safe_url(_canonical(html)) or _safe_url(meta.get("og:url")) or _safe_url(url) or url or ""
    )
    page_date = None
    for candidate in (
        meta.get("article:published_time"),
        _json_ld_dates(html),
        meta.get("og:regdate"),
        meta.get("datepublished"),
    ):
        page_date = parse_datetime(candidate)
        if page_date:
            break
    if page_date is None:
        m = VISIBLE_DATE.search(doc.text or "") or VISIBLE_DATE.search(_visible_text(html))
        if m:
            page_date = parse_datetime(m.group(1))
    if page_date is None:
        page_date = published or parse_datetime(doc.date)
    return make_article(
        url=canonical,
        title=clean_title,
        outlet=site,
        published=page_date,
        text=text,
        image=_safe_url(meta.get("og:image") or doc.image),
        category=category,
    )


def _check_article_text(text: str, source: str, no_text: str) -> None:
    if len(text) < MIN_TEXT_CHARS and hangul_ratio(text) >= MIN_HANGUL_RATIO:
        raise ExtractError(no_text, source=source)
    if hangul_ratio(text) < MIN_HANGUL_RATIO:
        raise ExtractError("the article is not in Korean", source=source)
    if len(SENTENCE_END.findall(text)) < MIN_ARTICLE_SENTENCES:
        raise ExtractError(no_text, source=source)


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
) -> Article:
    """Build an Article from already-clean text, splitting its sentences."""
    aid = article_id_for(url or f"{outlet}:{title}")
    return Article(
        id=aid,
        url=url,
        title=title,
        outlet=outlet,
        published=published,
        text=text,
        sentences=tuple(split_sentences(text, aid)),
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
    return make_article(
        url=url, title=title.strip(), outlet=outlet or "직접 입력", published=published, text=body
    )
