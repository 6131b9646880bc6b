"""Which posts a publishing run takes, and `sokbo approve`: shared by every destination.

A post with error-level lint findings is never approved nor published; asked for by id, a post
may be approved, a clean draft, or already published (published again: unchanged ones are left
as they are).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sokbo.config import Settings
from sokbo.errors import PublishError
from sokbo.models import Post
from sokbo.store import PostRecord, Store

__all__ = ["ApproveReport", "PostOutcome", "approve_posts", "open_store", "posts_to_publish",
           "select_posts"]

# statuses a post may have when asked for by id (approved, or a clean draft, or one changed
# since its approval); a published post may be published again: unchanged files are left as
# they are, edited ones are conflicts
PUBLISHABLE_BY_ID = ("approved", "draft", "changed", "published")
# what `sokbo approve --all` approves: drafts, and posts changed since their approval
APPROVABLE = ("draft", "changed")


@dataclass(frozen=True, slots=True)
class PostOutcome:
    post_id: int
    title: str
    path: str | None   # relative to the site root
    action: str        # new | updated | unchanged | conflict | skipped
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.post_id, "title": self.title, "path": self.path,
                "action": self.action, "reason": self.reason}


@dataclass(slots=True)
class ApproveReport:
    approved: list[PostOutcome] = field(default_factory=list)
    skipped: list[PostOutcome] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"approved": [p.to_dict() for p in self.approved],
                "skipped": [p.to_dict() for p in self.skipped]}


# --- selection ------------------------------------------------------------------------------

def error_findings(record: PostRecord) -> list[dict[str, Any]]:
    return [f for f in record.findings if f.get("severity") == "error"]


def _blocked_reason(record: PostRecord) -> str | None:
    errors = error_findings(record)
    if not errors:
        return None
    first = errors[0]
    what = first.get("message_en") or first.get("message") or first.get("code") or "lint error"
    return f"{len(errors)} error-level lint finding(s), e.g. {first.get('code', '')} {what}".strip()


def open_store(settings: Settings) -> Store:
    if not settings.has_state:
        raise PublishError("no sokbo state here; run `sokbo run` first",
                           source=str(settings.db_path))
    return Store(settings.state)


def select_posts(store: Store, post_ids: Sequence[int] | None,
            skipped: list[PostOutcome]) -> list[PostRecord]:
    if post_ids is None:
        candidates = store.list_posts("approved")
    else:
        candidates = _records_by_id(
            store, post_ids, skipped, allowed=PUBLISHABLE_BY_ID,
            refuse=lambda r: PostOutcome(
                r.id, r.title, None, "skipped",
                f"status is {r.status}; only approved or draft posts are published"))
    chosen = []
    for record in candidates:
        reason = _blocked_reason(record)
        if reason:
            skipped.append(PostOutcome(record.id, record.title, None, "skipped", reason))
        else:
            chosen.append(record)
    return chosen


def _records_by_id(store: Store, post_ids: Sequence[int], skipped: list[PostOutcome], *,
                   allowed: Sequence[str],
                   refuse: Callable[[PostRecord], PostOutcome]) -> list[PostRecord]:
    """The posts with these ids whose status is allowed; an outcome for each one that is not."""
    records = []
    for pid in dict.fromkeys(post_ids):
        record = store.get_post_by_id(pid)
        if record is None:
            skipped.append(PostOutcome(pid, "", None, "skipped", f"no post with id {pid}"))
        elif record.status not in allowed:
            skipped.append(refuse(record))
        else:
            records.append(record)
    return records


def approve_posts(settings: Settings, post_ids: Sequence[int] | None = None) -> ApproveReport:
    """Mark posts ``approved``: the given ids, or every draft. Posts with lint errors are not."""
    report = ApproveReport()
    with open_store(settings) as store:
        if post_ids is None:
            records = [r for status in APPROVABLE for r in store.list_posts(status)]
        else:
            records = _records_by_id(
                store, post_ids, report.skipped, allowed=(*APPROVABLE, "approved"),
                refuse=lambda r: PostOutcome(
                    r.id, r.title, r.path, "skipped",
                    f"status is {r.status}; only drafts can be approved"))
        with store.transaction() as db:
            for record in records:
                reason = _blocked_reason(record)
                if reason:
                    report.skipped.append(
                        PostOutcome(record.id, record.title, record.path, "skipped", reason))
                    continue
                store.set_post_status(record.id, "approved", db=db)
                report.approved.append(
                    PostOutcome(record.id, record.title, record.path, "approved"))
    return report


def posts_to_publish(store: Store, post_ids: Sequence[int] | None,
                     skipped: list[PostOutcome]) -> Iterator[tuple[PostRecord, Post]]:
    """The selected posts with their stored content; one stored without it is skipped."""
    for record in select_posts(store, post_ids, skipped):
        post = store.load_post(record.id)
        if post is None:
            skipped.append(PostOutcome(record.id, record.title, None, "skipped",
                                       "no stored post to publish; run `sokbo run` again"))
            continue
        yield record, post
