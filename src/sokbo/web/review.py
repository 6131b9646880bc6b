"""What the review page shows and does: view models built from Store, and the review actions.

No HTTP here: ``app.py`` turns requests into these calls and ``ReviewError``s into error pages.
Every state change goes through ``Store`` inside a transaction.
"""
from __future__ import annotations

import dataclasses
import itertools
import logging
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nh3

from sokbo.config import Settings
from sokbo.models import Article, Post, PostSentence, Story, content_hash
from sokbo.render.common import safe_url, split_highlight
from sokbo.store import PostRecord, Store

log = logging.getLogger(__name__)

#: Review states in the order the index lists them.
STATUS_ORDER = ("blocked", "draft", "approved", "published", "rejected")
STATUS_LABELS = {
    "draft": "검토 대기",
    "blocked": "차단됨",
    "approved": "승인됨",
    "published": "발행됨",
    "rejected": "반려됨",
}
HTML_FORMATS = ("jekyll",)  # formats whose body is HTML (hugo and markdown bodies are Markdown)
TITLE_MAX_INPUT = 300  # characters accepted from the form before normalising


class ReviewError(Exception):
    """A review request that cannot be honoured; ``status`` is the HTTP status to answer with.

    ``reasons`` are extra lines shown under the message (e.g. the blocking lint findings).
    """

    status = 400
    title = "잘못된 요청 (Bad request)"

    def __init__(self, message: str, *, reasons: list[str] | None = None) -> None:
        super().__init__(message)
        self.reasons = reasons or []


class BadRequest(ReviewError):
    pass


class NotFound(ReviewError):
    status = 404
    title = "찾을 수 없음 (Not found)"


class Conflict(ReviewError):
    status = 409
    title = "지금은 할 수 없음 (Conflict)"


class Unavailable(ReviewError):
    status = 501
    title = "지원하지 않음 (Not available)"


# --- view models ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TracedSentence:
    """A post sentence as the review page shows it: its text and the source sentence id."""

    position: int          # post_sentences.position
    src: str               # "ARTICLEID#INDEX"
    before: str            # text, split around the card's highlight phrase (if any)
    phrase: str
    after: str
    outlet: str            # outlet of the source article, "" when it is not stored
    known: bool            # the source sentence exists among the story's stored articles

    @property
    def anchor(self) -> str:
        return "src-" + self.src.replace("#", "-")


@dataclass(frozen=True, slots=True)
class SourceSentence:
    id: str                # "ARTICLEID#INDEX"
    index: int
    text: str
    used_by: tuple[int, ...]   # positions of post sentences citing it

    @property
    def anchor(self) -> str:
        return "src-" + self.id.replace("#", "-")


@dataclass(frozen=True, slots=True)
class SourceView:
    id: str
    outlet: str
    title: str
    url: str | None
    published: str
    sentences: tuple[SourceSentence, ...]


@dataclass(slots=True)
class PostView:
    record: PostRecord
    outlets: list[str]
    sources: list[SourceView]
    findings: list[dict[str, Any]]
    errors: list[dict[str, Any]]
    preview: dict[str, Any] | None        # excerpt / cards / sections of traced sentences
    body_html: str                        # the rendered file's body, sanitised (HTML formats)
    body_text: str                        # the body as text (Markdown formats)
    front_matter: str
    missing: list[str] = field(default_factory=list)   # cited source ids not stored

    @property
    def can_approve(self) -> bool:
        return not self.errors and self.record.status in ("draft", "rejected", "blocked")

    @property
    def can_reject(self) -> bool:
        return self.record.status in ("draft", "blocked", "approved")

    @property
    def can_publish(self) -> bool:
        return publishable(self.record)


@dataclass(frozen=True, slots=True)
class StoryRow:
    record: PostRecord
    outlets: list[str]
    articles: int
    errors: int
    warnings: int


def error_findings(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f for f in findings if f.get("severity") == "error"]


def _finding_line(f: dict[str, Any]) -> str:
    return f"{f.get('code', '?')} ({f.get('location', '')}): {f.get('message_ko', '')}"


def _sorted_findings(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rank = {"error": 0, "warning": 1, "info": 2}
    return sorted(findings, key=lambda f: rank.get(str(f.get("severity")), 3))


def list_stories(store: Store) -> list[StoryRow]:
    """One row per story (a story has one post), most actionable states first."""
    rows = []
    for rec in store.list_posts():
        articles = store.story_articles(rec.story_id)
        rows.append(StoryRow(
            record=rec,
            outlets=list(dict.fromkeys(a.outlet for a in articles)),
            articles=len(articles),
            errors=len(error_findings(rec.findings)),
            warnings=sum(1 for f in rec.findings if f.get("severity") == "warning"),
        ))
    order = {s: i for i, s in enumerate(STATUS_ORDER)}
    rows.sort(key=lambda r: order.get(r.record.status, len(order)))
    return rows


def get_record(store: Store, post_id: int) -> PostRecord:
    rec = store.get_post_by_id(post_id)
    if rec is None:
        raise NotFound(f"글 {post_id}번이 없습니다 (no post with id {post_id}).")
    return rec


def post_view(store: Store, post_id: int) -> PostView:
    """Everything the post page shows: preview with provenance, sources, findings."""
    rec = get_record(store, post_id)
    articles = store.story_articles(rec.story_id)
    rows = store.post_sentences(post_id)
    used: dict[str, list[int]] = {}
    for r in rows:
        used.setdefault(f"{r['source_id']}#{r['sentence_index']}", []).append(r["position"])
    known = {s.id for a in articles for s in a.sentences}
    outlets = {a.id: a.outlet for a in articles}
    front, body = split_front_matter(rec.rendered)
    post = store.load_post(post_id)
    preview = _preview(post, rows, known, outlets) if post is not None else None
    missing = sorted(k for k in used if k not in known)
    return PostView(
        record=rec,
        outlets=list(dict.fromkeys(a.outlet for a in articles)),
        sources=[_source_view(a, used) for a in articles],
        findings=_sorted_findings(rec.findings),
        errors=error_findings(rec.findings),
        preview=preview,
        body_html=sanitize_body(body) if rec.format in HTML_FORMATS else "",
        body_text="" if rec.format in HTML_FORMATS else body,
        front_matter=front,
        missing=missing,
    )


def _source_view(a: Article, used: dict[str, list[int]]) -> SourceView:
    return SourceView(
        id=a.id,
        outlet=a.outlet,
        title=a.title,
        url=safe_url(a.url),
        published=a.published.strftime("%Y-%m-%d %H:%M") if a.published else "",
        sentences=tuple(
            SourceSentence(id=s.id, index=s.index, text=s.text, used_by=tuple(used.get(s.id, ())))
            for s in a.sentences
        ),
    )


def _preview(post: Post, rows: list[Any], known: set[str],
             outlets: dict[str, str]) -> dict[str, Any]:
    """The post's parts in blog order, each sentence carrying the id of its source sentence.

    Positions follow ``Post.all_sentences()``, the order ``post_sentences`` was stored in; the
    stored row wins for provenance so the page shows exactly what the database records.
    """
    by_pos = {r["position"]: r for r in rows}
    counter = itertools.count()

    def traced(s: PostSentence, phrase: str = "") -> TracedSentence:
        pos = next(counter)
        row = by_pos.get(pos)
        src_id, index = (row["source_id"], row["sentence_index"]) if row else (s.source_id, s.index)
        src = f"{src_id}#{index}"
        before, hit, after = split_highlight(s.text, phrase) if phrase else (s.text, "", "")
        return TracedSentence(pos, src, before, hit, after, outlets.get(src_id, ""), src in known)

    excerpt = [traced(s) for s in post.excerpt]
    cards = []
    for card in post.cards:
        # the highlight goes on its first occurrence, as the Jekyll renderer does
        holder = next((i for i, s in enumerate(card.sentences) if card.highlight
                       and card.highlight in s.text), None)
        sentences = [traced(s, card.highlight if i == holder else "")
                     for i, s in enumerate(card.sentences)]
        cards.append({"subtitle": card.subtitle, "sentences": sentences,
                      "key": traced(card.key_sentence)})
    sections = [
        {"heading": sec.heading, "paragraphs": [[traced(s) for s in p] for p in sec.paragraphs]}
        for sec in post.sections
    ]
    sources = [{"outlet": s.outlet, "title": s.title, "url": safe_url(s.url)} for s in post.sources]
    return {"title": post.title, "image": safe_url(post.image), "image_alt": post.image_alt,
            "excerpt": excerpt, "cards": cards, "sections": sections, "sources": sources}


# --- the rendered file ----------------------------------------------------------------------

_BODY_TAGS = {"p", "b", "strong", "i", "em", "span", "h2", "h3", "h4", "a", "img", "br", "ul",
              "ol", "li", "blockquote"}
_BODY_ATTRS = {"span": {"style"}, "p": {"data-ke-size"}, "a": {"href", "title"},
               "img": {"src", "alt"}}
_PREVIEW_TAGS = _BODY_TAGS | {"h1"}
_PREVIEW_ATTRS = {**_BODY_ATTRS,
                  "span": {"style", "data-src", "data-pos", "tabindex", "title"},
                  "p": {"data-ke-size"}}
_PREVIEW_CLASSES = {"span": {"sent", "missing"}, "p": {"excerpt"}, "h1": {"post-title"}}


def split_front_matter(text: str) -> tuple[str, str]:
    """(front matter without fences, body) of a rendered post; no fence → ("", text)."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 3)
        if end != -1:
            return text[4:end + 1], text[end + 5:]
    return "", text


def sanitize_body(html: str) -> str:
    """The post body as the blog shows it, with anything beyond the format's markup removed."""
    return nh3.clean(
        html,
        tags=_BODY_TAGS,
        attributes=_BODY_ATTRS,
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow",
        filter_style_properties={"color", "background-color"},
    )


def sanitize_preview(html: str) -> str:
    """The traced preview, held to the body's markup plus the sentence spans' attributes."""
    return nh3.clean(
        html,
        tags=_PREVIEW_TAGS,
        attributes=_PREVIEW_ATTRS,
        allowed_classes=_PREVIEW_CLASSES,
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow",
        filter_style_properties={"color", "background-color"},
    )


# --- actions ----------------------------------------------------------------------------------
# Each action takes the review context, the post id and the submitted form, changes state
# through Store and returns a message key for the page it redirects to (see MESSAGES).


@dataclass(frozen=True, slots=True)
class ReviewContext:
    settings: Settings
    site_repo: Path | None = None

    def store(self) -> Store:
        return Store(self.settings.db_path)


MESSAGES = {
    "approved": "승인했습니다. 이제 발행할 수 있습니다.",
    "rejected": "반려했습니다.",
    "title": "제목을 바꾸고 다시 검사했습니다.",
    "title-unchanged": "제목이 그대로입니다.",
    "title-blocked": "제목을 바꿨지만 검사에서 오류가 나와 글이 차단되었습니다.",
    "regenerated": "원문에서 글을 다시 생성했습니다. 다시 검토해 주세요.",
    "regenerated-blocked": "다시 생성했지만 검사에서 오류가 나와 글이 차단되었습니다.",
    "published": "사이트 저장소에 발행(커밋)했습니다.",
    "published-unchanged": "사이트 저장소의 파일이 이미 같아서 새로 커밋하지 않았습니다.",
}


def approve(ctx: ReviewContext, post_id: int, form: Mapping[str, str]) -> str:
    with ctx.store() as store, store.transaction() as db:
        rec = get_record(store, post_id)
        _refuse_errors(rec, "승인할")
        if rec.status == "approved":
            return "approved"
        if rec.status not in ("draft", "rejected", "blocked"):
            raise Conflict(f"'{STATUS_LABELS.get(rec.status, rec.status)}' 상태의 글은 승인할 수 "
                           f"없습니다 (a {rec.status} post cannot be approved).")
        store.set_post_status(post_id, "approved", db=db)
    return "approved"


def reject(ctx: ReviewContext, post_id: int, form: Mapping[str, str]) -> str:
    with ctx.store() as store, store.transaction() as db:
        rec = get_record(store, post_id)
        if rec.status == "rejected":
            return "rejected"
        if rec.status == "published":
            raise Conflict("이미 발행된 글은 여기서 반려할 수 없습니다; 사이트 저장소에서 "
                           "내리세요 (a published post cannot be rejected here).")
        store.set_post_status(post_id, "rejected", db=db)
    return "rejected"


def normalize_title(raw: str, max_chars: int) -> str:
    """One line of text, collapsed spaces, within the configured length; else BadRequest."""
    if len(raw) > TITLE_MAX_INPUT:
        raise BadRequest("제목이 너무 깁니다 (title too long).")
    if any(unicodedata.category(c) == "Cc" and c not in " \t\r\n" for c in raw):
        raise BadRequest("제목에 제어 문자가 있습니다 (title has control characters).")
    title = " ".join(raw.split())
    if not title:
        raise BadRequest("제목이 비어 있습니다 (title is empty).")
    if len(title) > max_chars:
        raise BadRequest(f"제목은 {max_chars}자 이하여야 합니다; 지금 {len(title)}자입니다 "
                         f"(title must be at most {max_chars} characters).")
    return title


def edit_title(ctx: ReviewContext, post_id: int, form: Mapping[str, str]) -> str:
    """Re-render the post with a new title, lint it again, store it and rewrite its file.

    The status is kept unless the new text has lint errors (→ blocked), or a blocked post is
    now clean (→ draft).
    """
    from sokbo.fsutil import atomic_write_text
    from sokbo.pipeline import lint_rendered
    from sokbo.render import RenderOptions, render_post

    settings = ctx.settings
    if "title" not in form:
        raise BadRequest("양식에 제목(title)이 없습니다 (the form has no title field).")
    title = normalize_title(form["title"], settings.title_max_chars)
    with ctx.store() as store:
        rec = get_record(store, post_id)
        post = store.load_post(post_id)
        if post is None:
            raise Conflict("이 글은 구조 정보 없이 저장되어 제목을 바꿀 수 없습니다; 먼저 다시 "
                           "생성하세요 (no stored post structure: re-generate first).")
        if title == rec.title:
            return "title-unchanged"
        post = dataclasses.replace(post, title=title)
        _, text = render_post(post, rec.format,
                              RenderOptions(cta_text=settings.cta_text, cta_url=settings.cta_url))
        articles = store.story_articles(rec.story_id)
        # lint outside the transaction: it can take a while and must not hold the write lock
        findings, review = lint_rendered(text, Story(id=rec.story_id, articles=tuple(articles)))
        if review == "blocked":
            status = "blocked"
        else:
            status = "draft" if rec.status == "blocked" else rec.status
        with store.transaction() as db:
            now = get_record(store, post_id)
            if now.updated != rec.updated or now.content_hash != rec.content_hash:
                raise Conflict("글이 그 사이에 바뀌었습니다; 새로 고친 뒤 다시 하세요 "
                               "(the post changed meanwhile; reload and retry).")
            store.save_post(db, post, path=rec.path, fmt=rec.format, input_hash=rec.input_hash,
                            content_hash=content_hash(text), rendered=text, status=status,
                            findings=findings)
    atomic_write_text(settings.out_dir / rec.path, text)
    return "title-blocked" if status == "blocked" else "title"


def regenerate(ctx: ReviewContext, post_id: int, form: Mapping[str, str]) -> str:
    from sokbo.pipeline import regenerate_story

    with ctx.store() as store:
        rec = get_record(store, post_id)
    result = regenerate_story(ctx.settings, rec.story_id)
    return "regenerated-blocked" if result.review == "blocked" else "regenerated"


def publishable(rec: PostRecord) -> bool:
    """Approved, or published and changed since (a title edit): and no lint errors."""
    if error_findings(rec.findings):
        return False
    return rec.status == "approved" or (
        rec.status == "published" and rec.published_hash not in (None, rec.content_hash))


def publish(ctx: ReviewContext, post_id: int, form: Mapping[str, str]) -> str:
    """Write the post into the site repository and commit it (``sokbo.publish``)."""
    with ctx.store() as store:
        rec = get_record(store, post_id)
    _refuse_errors(rec, "발행할")
    if ctx.site_repo is None:
        raise Conflict("발행할 사이트 저장소가 없습니다; `sokbo serve --repo SITE_PATH`로 "
                       "시작하세요 (no site repository: start the server with --repo).")
    if not publishable(rec):
        raise Conflict("승인된 글만 발행할 수 있습니다; 이 글은 "
                       f"'{STATUS_LABELS.get(rec.status, rec.status)}' 상태입니다 "
                       f"(only approved posts can be published; this one is {rec.status}).")
    try:
        from sokbo.publish import publish_posts
    except ImportError as e:  # pragma: no cover - shipped with the package
        raise Unavailable("이 설치본에는 발행 기능이 없습니다 "
                          f"(publishing is not available: {e}).") from e
    report = publish_posts(ctx.settings, ctx.site_repo, post_ids=[post_id], push=False)
    refused = [o for o in (*report.conflicts, *report.skipped) if o.post_id == post_id]
    if refused:
        raise Conflict("사이트 저장소에 쓰지 못했습니다 (the post was not published).",
                       reasons=[o.reason for o in refused])
    log.info("published post %s to %s (commit %s)", post_id, ctx.site_repo, report.commit)
    done = [o for o in report.published if o.post_id == post_id]
    return "published-unchanged" if done and done[0].action == "unchanged" else "published"


Action = Callable[[ReviewContext, int, Mapping[str, str]], str]

#: action name (the last URL segment of POST /posts/{id}/{name}) → action
ACTIONS: dict[str, Action] = {
    "approve": approve,
    "reject": reject,
    "title": edit_title,
    "regenerate": regenerate,
    "publish": publish,
}


def _refuse_errors(rec: PostRecord, verb: str) -> None:
    errors = error_findings(rec.findings)
    if errors:
        raise Conflict(
            f"오류 등급 검사 결과가 {len(errors)}건 있어 {verb} 수 없습니다; 고치거나 다시 "
            "생성하세요 (error-level lint findings block this post).",
            reasons=[_finding_line(f) for f in errors],
        )
