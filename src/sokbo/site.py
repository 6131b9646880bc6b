"""A static preview of every stored post (draft or published): OUT/site/index.html, a page
per post showing each body as the blog would, sanitised, with its sources, and an RSS 2.0
feed (OUT/site/feed.xml) of the posts a reader may see (blocked and rejected ones left out).

The body is the ``jekyll`` renderer's HTML (FORMAT.md's structure, what Jekyll and Tistory
readers see), whatever the configured format, so a preview always looks like the real blog.
A post whose image is its title card shows the card file in OUT/assets/cards/ (drawn here when
missing or out of date), also as the page's ``og:image``. Times are shown in KST.
"""
from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, replace
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import quote, urljoin

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


# review states a feed reader never sees
NOT_IN_FEED = ("blocked", "rejected")


@dataclass(frozen=True, slots=True)
class _Entry:
    record: PostRecord
    post: Post
    page: str           # file name under site/posts/
    card: str = ""      # the title card, relative to site/posts/ ("" when the image is not one)

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


# the body's image, rendered as this placeholder and then pointed at the local card file
_CARD_PLACEHOLDER = "/sokbo-preview-card.png"


def _body_html(entry: _Entry, settings: Settings, template_dir: Path | None) -> str:
    from sokbo.render import RenderOptions
    from sokbo.render.jekyll import render_body

    post = replace(entry.post, image=_CARD_PLACEHOLDER) if entry.card else entry.post
    # the body as the jekyll renderer writes it after the front matter (not dumped here)
    text = "\n" + render_body(
        post, RenderOptions(cta_text=settings.cta_text, cta_url=settings.cta_url,
                            template_dir=template_dir))
    html = sanitize_body(text)
    return html.replace(f'src="{_CARD_PLACEHOLDER}"', f'src="{entry.card}"') if entry.card \
        else html


def _card(settings: Settings, post: Post) -> str:
    """The post's title card as a path from site/posts/, drawn if needed; "" when its image is
    a configured URL (or no Korean font can draw the card)."""
    from sokbo.render.card import ensure_card, is_card

    if not is_card(post, settings.card_base_url):
        return ""
    path = ensure_card(settings.out_dir, post, settings.card_theme)
    if path is None:
        return ""
    return "../../" + quote(path.relative_to(settings.out_dir).as_posix())


def _entries(settings: Settings) -> list[_Entry]:
    if not settings.has_state:
        return []
    entries = []
    with Store(settings.state) as store:
        for record in store.list_posts():
            post = store.load_post(record.id)
            if post is None:
                log.warning("post %s has no stored content; left out of the preview", record.id)
                continue
            entries.append(_Entry(record, post, f"{record.id}.html", _card(settings, post)))
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
    # A post's page is written again only when what it shows changed (the page's fingerprint
    # in site/.pages.json): a run that wrote 20 posts renders 20 pages, not every post.
    built = _read_manifest(site)
    common = _page_inputs(settings, template_dir)
    pages: dict[str, str] = {}
    for e in entries:
        fingerprint = _fingerprint(common, e)
        target = site / "posts" / e.page
        if built.get(e.page) != fingerprint or not target.is_file():
            html = render_template(
                "site/post.html.j2", template_dir, entry=e, post=e.post, record=e.record,
                body=Markup(_body_html(e, settings, template_dir)),
                og_image=_og_image(settings, e),
            )
            atomic_write_text(target, html)
        pages[e.page] = fingerprint
    for old in (site / "posts").glob("*.html") if (site / "posts").is_dir() else ():
        if old.name not in pages:
            old.unlink()  # a post that is gone from the state
    index = site / "index.html"
    atomic_write_text(index, render_template("site/index.html.j2", template_dir, entries=entries))
    atomic_write_text(site / "feed.xml", build_feed(settings, entries))
    atomic_write_text(site / MANIFEST, json.dumps(pages, sort_keys=True))
    return index


MANIFEST = ".pages.json"


def _read_manifest(site: Path) -> dict[str, str]:
    try:
        data = json.loads((site / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _page_inputs(settings: Settings, template_dir: Path | None) -> str:
    """Everything besides the post that a post page depends on: sokbo's version and shipped
    templates, the user's template folder (names, sizes, times), the settings it shows."""
    import hashlib
    from importlib import resources

    from sokbo import __version__

    h = hashlib.sha256(__version__.encode())
    shipped = resources.files("sokbo").joinpath("templates")
    for folder in ("site", "jekyll"):
        for f in sorted(shipped.joinpath(folder).iterdir(), key=lambda f: f.name):
            if f.is_file():
                h.update(f.name.encode() + b"\0" + f.read_bytes())
    if template_dir is not None and template_dir.is_dir():
        # the folders the template loader reads from (site/, jekyll/) and the files beside
        # them, never the whole tree: `--template /` must not walk the disk
        for f in _template_files(template_dir):
            try:
                st = f.stat()
            except OSError:
                continue  # gone meanwhile: the loader will not read it either
            h.update(f"{f}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    h.update(repr((settings.cta_text, settings.cta_url, settings.card_base_url,
                   settings.card_theme, settings.site_url, str(settings.out_dir.resolve())))
             .encode())
    return h.hexdigest()


def _template_files(template_dir: Path) -> list[Path]:
    """A user's template folder as the loader sees it: its files, and those of its site/ and
    jekyll/ folders (where sokbo's template names are looked up), recursively."""
    found: list[Path] = []
    for folder, recursive in ((template_dir, False), (template_dir / "site", True),
                              (template_dir / "jekyll", True)):
        try:
            paths = folder.rglob("*") if recursive else folder.iterdir()
            found.extend(p for p in paths if p.is_file())
        except OSError:
            continue
    return sorted(found)


def _fingerprint(common: str, e: _Entry) -> str:
    import hashlib

    r = e.record
    return hashlib.sha256(repr((common, r.id, r.updated, r.content_hash, r.status, r.title,
                                r.findings, e.card, e.post)).encode()).hexdigest()


def _site_base(settings: Settings) -> str:
    """Where OUT/site/ is read from: ``output.site_url``, else its file:// URL."""
    if settings.site_url:
        return settings.site_url if settings.site_url.endswith("/") else settings.site_url + "/"
    return (settings.out_dir / "site").resolve().as_uri() + "/"


def _og_image(settings: Settings, entry: _Entry) -> str:
    """An absolute image URL for og:image: the post's own http(s) image, or its card file
    resolved against the site's address."""
    from sokbo.safetext import safe_url

    if entry.card:
        return urljoin(_site_base(settings) + "posts/", entry.card)
    return safe_url(entry.post.image) or ""


def build_feed(settings: Settings, entries: list[_Entry]) -> str:
    """RSS 2.0 of the posts a reader may see, newest first: title, link, KST pubDate, excerpt,
    categories and tags, the image as an enclosure."""
    import xml.etree.ElementTree as ET

    from sokbo.dates import to_kst
    from sokbo.render.card import card_file

    base = _site_base(settings)
    shown = [e for e in entries if e.record.status not in NOT_IN_FEED]
    rss = ET.Element("rss", {"version": "2.0", "xmlns:atom": "http://www.w3.org/2005/Atom"})
    channel = ET.SubElement(rss, "channel")
    for tag, text in (("title", "sokbo 미리보기"), ("link", base + "index.html"),
                      ("description", "sokbo가 쓴 글: 문장마다 출처 기사가 있습니다"),
                      ("language", "ko"), ("generator", "sokbo")):
        ET.SubElement(channel, tag).text = text
    ET.SubElement(channel, "atom:link", {"href": base + "feed.xml", "rel": "self",
                                         "type": "application/rss+xml"})
    if shown:
        newest = max(to_kst(e.post.date) for e in shown)
        ET.SubElement(channel, "lastBuildDate").text = format_datetime(newest)
    for e in shown:
        item = ET.SubElement(channel, "item")
        link = base + "posts/" + e.page
        ET.SubElement(item, "title").text = e.post.title
        ET.SubElement(item, "link").text = link
        ET.SubElement(item, "guid", {"isPermaLink": "false"}).text = f"sokbo:{e.post.story_id}"
        ET.SubElement(item, "pubDate").text = format_datetime(to_kst(e.post.date))
        ET.SubElement(item, "description").text = e.post.excerpt_text
        for name in (*e.post.categories, *e.post.tags):
            ET.SubElement(item, "category").text = name
        image = _og_image(settings, e)
        card_path = card_file(settings.out_dir, e.post)
        if image and e.card and card_path.is_file():
            ET.SubElement(item, "enclosure", {"url": image, "type": "image/png",
                                              "length": str(card_path.stat().st_size)})
    ET.indent(rss)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(rss, "unicode") + "\n"
