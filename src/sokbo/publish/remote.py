"""Approved posts → a blog behind an HTTP API (WordPress, Blogger): the part both share.

Each post goes up once and is then updated in place: the blog's id for it is stored with the
story (``remote_posts``), with what the blog said its last-modified time and text were right
after sokbo wrote it. A post changed on the blog since then (someone edited it there) is never
overwritten: it is reported as a conflict. A post whose content did not change is left alone.
One post the blog refuses is reported and costs its neighbours nothing; a refused login or an
unreachable blog stops the run with one line.
"""
from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from sokbo.config import Settings
from sokbo.errors import PublishError
from sokbo.models import Post, content_hash
from sokbo.publish.select import PostOutcome, open_store, posts_to_publish
from sokbo.store import PostRecord, RemotePostRecord

log = logging.getLogger(__name__)

__all__ = ["Outgoing", "RemoteBlog", "RemotePost", "RemoteReport", "publish_remote"]

# FORMAT.md nests <h2> in <p> for theme compatibility; a blog's editor splits it anyway
_NESTED_H2 = re.compile(r"<p>(<h2>.*?</h2>)", re.S)
_CARD_PLACEHOLDER = "/sokbo-card.png"


class PostRefused(PublishError):
    """The blog refused this one post (a validation error): the others still go up."""


@dataclass(frozen=True, slots=True)
class RemotePost:
    """A post as the blog has it now."""

    id: str
    url: str
    modified: str        # the blog's last-modified stamp
    status: str          # the blog's own status word (draft, publish, LIVE, …)
    fingerprint: str     # hash of its title and text as the blog returns them
    trashed: bool = False
    meta_kept: bool = True   # the blog stored sokbo's post meta (WordPress: needs the plugin)
    media_id: str | None = None


@dataclass(frozen=True, slots=True)
class Outgoing:
    """What sokbo sends for one post."""

    story_id: str
    title: str
    slug: str
    body: str                       # HTML, the card <img> (if any) as _CARD_PLACEHOLDER
    excerpt: str
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    sources: list[dict[str, str]]
    findings: list[dict[str, Any]]
    card: bytes | None              # the title card PNG
    image: str                      # the image's absolute URL ("" for a card at a site path)
    image_alt: str

    @property
    def card_hash(self) -> str:
        return content_hash(self.card.hex()) if self.card else ""

    def digest(self, status: str) -> str:
        """Everything the blog would show: sending the same digest again changes nothing."""
        return content_hash(
            self.title, self.body, self.excerpt, json.dumps(
                [self.categories, self.tags, self.sources, self.findings, self.image,
                 self.image_alt], ensure_ascii=False, sort_keys=True),
            self.card_hash, status)

    def meta(self) -> dict[str, str]:
        lint = [{"code": f.get("code", ""), "severity": f.get("severity", ""),
                 "message": f.get("message_ko") or f.get("message_en") or ""}
                for f in self.findings]
        return {"sokbo_story": self.story_id,
                "sokbo_sources": json.dumps(self.sources, ensure_ascii=False),
                "sokbo_lint": json.dumps(lint, ensure_ascii=False)}


class RemoteBlog(Protocol):
    """One blog behind an API. ``target`` names it in the store ("wordpress https://…")."""

    target: str
    label: str

    def fetch(self, remote_id: str) -> RemotePost | None:
        """The post as the blog has it now; None when it was deleted."""

    def find(self, out: Outgoing) -> RemotePost | None:
        """A post sokbo made for this story whose id was never stored (a run killed right
        after the blog answered), so it is updated instead of posted twice."""

    def send(self, out: Outgoing, status: str, previous: RemotePostRecord | None,
             current: RemotePost | None) -> RemotePost:
        """Create the post (``current`` None) or update it; the post as the blog now has it."""


@dataclass(slots=True)
class RemoteReport:
    target: str
    label: str
    status: str
    published: list[PostOutcome] = field(default_factory=list)
    conflicts: list[PostOutcome] = field(default_factory=list)
    skipped: list[PostOutcome] = field(default_factory=list)
    failed: list[PostOutcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def written(self) -> list[PostOutcome]:
        return [p for p in self.published if p.action in ("new", "updated")]

    def to_dict(self) -> dict[str, Any]:
        return {
            "blog": self.label,
            "status": self.status,
            "published": [p.to_dict() for p in self.published],
            "conflicts": [p.to_dict() for p in self.conflicts],
            "skipped": [p.to_dict() for p in self.skipped],
            "failed": [p.to_dict() for p in self.failed],
            "warnings": self.warnings,
        }


def render_body(settings: Settings, post: Post, *, image: str) -> str:
    """The post's HTML body in FORMAT.md's structure (the Jekyll renderer's, front matter
    off, ``<h2>`` out of its ``<p>``), its image ``image`` ("" for none)."""
    from sokbo.render import RenderOptions, get_renderer

    text = get_renderer("jekyll").render(
        replace(post, image=image),
        RenderOptions(cta_text=settings.cta_text, cta_url=settings.cta_url,
                      template_dir=settings.template_dir))
    if text.startswith("---\n"):
        text = text[text.index("\n---\n", 4) + 5:]
    return _NESTED_H2.sub(r"\1\n<p>", text).strip() + "\n"


def outgoing(settings: Settings, record: PostRecord, post: Post, *,
             body_image: bool = True) -> Outgoing:
    """What to send for a post: its title card when its image is one, else its image URL."""
    from sokbo.render.card import ensure_card, is_card
    from sokbo.render.common import source_list
    from sokbo.safetext import safe_url

    card = None
    image = safe_url(post.image) or ""  # an absolute URL of the image, card or not
    shown = image
    if is_card(post, settings.card_base_url):
        path = ensure_card(settings.out_dir, post, settings.card_theme)
        card = path.read_bytes() if path is not None else None
        shown = _CARD_PLACEHOLDER if card is not None else ""
    return Outgoing(
        story_id=post.story_id, title=post.title, slug=post.slug,
        body=render_body(settings, post, image=shown if body_image else ""),
        excerpt=post.excerpt_text, categories=tuple(post.categories), tags=tuple(post.tags),
        sources=[dict(s) for s in source_list(post)], findings=list(record.findings),
        card=card, image=image, image_alt=post.image_alt)


def with_card_url(body: str, url: str) -> str:
    """The body with its card placeholder pointing at ``url`` (or without the image)."""
    import html

    if url:
        return body.replace(f'src="{_CARD_PLACEHOLDER}"', f'src="{html.escape(url)}"')
    return re.sub(r'<p><img src="' + re.escape(_CARD_PLACEHOLDER) + r'"[^>]*/></p>\n*', "",
                  body)


def publish_remote(settings: Settings, blog: RemoteBlog, *,
                   post_ids: Sequence[int] | None = None, status: str = "draft",
                   body_image: bool = True) -> RemoteReport:
    """Send approved posts (or the given ids) to ``blog``; see the module docstring."""
    report = RemoteReport(target=blog.target, label=blog.label, status=status)
    meta_missing = False
    with open_store(settings) as store:
        for record, post in posts_to_publish(store, post_ids, report.skipped):
            out = outgoing(settings, record, post, body_image=body_image)
            digest = out.digest(status)
            previous = store.remote_post(record.story_id, blog.target)
            try:
                current = _current(blog, previous, out, record, report)
                if current is False:
                    continue
                if previous is not None and previous.content_hash == digest:
                    report.published.append(PostOutcome(
                        record.id, post.title, previous.url, "unchanged"))
                    continue
                sent = blog.send(out, status, previous, current or None)
            except PostRefused as e:
                report.failed.append(PostOutcome(record.id, post.title, None, "failed", str(e)))
                continue
            meta_missing = meta_missing or not sent.meta_kept
            action = "updated" if previous is not None or current else "new"
            with store.transaction() as db:
                store.save_remote_post(db, RemotePostRecord(
                    story_id=record.story_id, target=blog.target, remote_id=sent.id,
                    url=sent.url, modified=sent.modified, fingerprint=sent.fingerprint,
                    content_hash=digest, media_id=sent.media_id,
                    media_hash=out.card_hash or None, remote_status=sent.status))
                store.set_post_status(record.id, "published", db=db)
            report.published.append(PostOutcome(record.id, post.title, sent.url, action))
    if meta_missing:
        report.warnings.append(
            f"{blog.label} did not keep sokbo's post meta (sources, lint result): copy "
            f"{Path(__file__).with_name('sokbo-meta.php')} into wp-content/mu-plugins/")
    log.info("sent %d posts to %s (%d conflicts, %d failed)", len(report.written), blog.label,
             len(report.conflicts), len(report.failed))
    return report


def _current(blog: RemoteBlog, previous: RemotePostRecord | None, out: Outgoing,
             record: PostRecord, report: RemoteReport) -> RemotePost | None | bool:
    """The post as the blog has it (None: not there yet), or False after reporting why it
    must be left alone (deleted, trashed, or edited on the blog since sokbo wrote it)."""
    if previous is None:
        return blog.find(out)
    now = blog.fetch(previous.remote_id)
    where = previous.url or f"{blog.label} post {previous.remote_id}"
    if now is None or now.trashed:
        gone = "deleted" if now is None else "moved to the trash"
        report.conflicts.append(PostOutcome(
            record.id, record.title, where, "conflict",
            f"{gone} on {blog.label}; left alone (sokbo does not post it again)"))
        return False
    if now.modified != previous.modified or now.fingerprint != previous.fingerprint:
        report.conflicts.append(PostOutcome(
            record.id, record.title, now.url or where, "conflict",
            f"edited on {blog.label} (modified {now.modified}, sokbo wrote it at "
            f"{previous.modified}); left untouched"))
        return False
    return now
