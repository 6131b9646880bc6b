"""What the review page shows and does: view models built from Store, and the review actions.

No HTTP here: ``app.py`` turns requests into these calls and ``ReviewError``s into error pages.
Every state change goes through ``Store`` inside a transaction.
"""
from __future__ import annotations

import difflib
import itertools
import logging
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nh3

from sokbo.config import Settings
from sokbo.errors import InputError, StoreError
from sokbo.models import Article, Post, PostSentence, Story, content_hash, post_from_dict
from sokbo.render.common import kst, safe_src, safe_url, split_highlight
from sokbo.store import Edit, PostRecord, Store

log = logging.getLogger(__name__)

#: Review states in the order the index lists them.
STATUS_ORDER = ("blocked", "changed", "draft", "approved", "published", "rejected")
STATUS_LABELS = {
    "draft": "검토 대기",
    "changed": "승인 뒤 바뀜",
    "blocked": "차단됨",
    "approved": "승인됨",
    "published": "발행됨",
    "rejected": "반려됨",
}
HTML_FORMATS = ("jekyll",)  # formats whose body is HTML (hugo and markdown bodies are Markdown)
TITLE_MAX_INPUT = 300  # characters accepted from the form before normalising
SENTENCE_MAX_CHARS = 400  # a reviewer's sentence: a long Korean news sentence is ~150
REVIEWABLE = ("draft", "rejected", "blocked", "changed")  # statuses a reviewer can approve


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


class ReadOnly(ReviewError):
    """The output folder or the state database cannot be written: pages only, no actions."""

    status = 503
    title = "읽기 전용 (Read-only)"


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
    edited: bool = False   # the reviewer rewrote it (its source is the sentence it replaced)

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


@dataclass(frozen=True, slots=True)
class Change:
    """How a post changed since it was approved: its sources, and its lines (``-`` as
    approved, ``+`` now)."""

    approved_at: str
    sources: list[tuple[str, str]]     # (what happened, "outlet · title")
    lines: list[tuple[str, str]]       # ("-" | "+", text)


@dataclass(frozen=True, slots=True)
class EditableSentence:
    """One source sentence's text in the post, as the text-edit form offers it."""

    src: str               # "ARTICLEID#INDEX"
    text: str
    edited: bool


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
    change: Change | None = None                       # since approval, when back in review
    sentences: list[EditableSentence] = field(default_factory=list)
    unapplied: list[Edit] = field(default_factory=list)  # reviewer edits that no longer fit
    read_only: str | None = None                       # why actions are unavailable

    @property
    def can_approve(self) -> bool:
        return not self.errors and self.record.status in REVIEWABLE and not self.read_only

    @property
    def can_reject(self) -> bool:
        return self.record.status in ("draft", "blocked", "approved", "changed") \
            and not self.read_only

    @property
    def reviewer_findings(self) -> int:
        return sum(1 for f in self.findings if f.get("reviewer"))

    @property
    def can_publish(self) -> bool:
        return publishable(self.record) and not self.read_only


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


def post_view(store: Store, post_id: int, *, read_only: str | None = None) -> PostView:
    """Everything the post page shows: preview with provenance, sources, findings, the
    change since approval, and the reviewer's edits."""
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
    edits = store.edits(rec.story_id)
    in_post = {f"sentence:{k}" for k in used} | {"title"}
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
        change=change_since_approval(rec, post, articles),
        sentences=_editable(rows),
        unapplied=[e for e in edits if e.target not in in_post],
        read_only=read_only,
    )


def _editable(rows: list[Any]) -> list[EditableSentence]:
    seen: dict[str, EditableSentence] = {}
    for r in rows:
        src = f"{r['source_id']}#{r['sentence_index']}"
        if src not in seen:
            seen[src] = EditableSentence(src, r["text"], r["origin"] == "reviewer")
    return list(seen.values())


def post_lines(post: Post) -> list[str]:
    """The post as a reader meets it, one line per title, heading and sentence."""
    lines = [f"제목: {post.title}"]
    for card in post.cards:
        lines.append(f"소제목: {card.subtitle}")
        lines += [s.text for s in (*card.sentences, card.key_sentence)]
    for sec in post.sections:
        lines.append(f"소제목: {sec.heading}")
        lines += [s.text for p in sec.paragraphs for s in p]
    lines += [s.text for s in post.notices]
    return list(dict.fromkeys(lines))


def change_since_approval(rec: PostRecord, post: Post | None,
                          articles: Sequence[Article]) -> Change | None:
    """What changed since the reviewer approved this post, when it is back in review."""
    snap = rec.approved
    if not snap or rec.status not in ("changed", "blocked") \
            or snap.get("content_hash") == rec.content_hash:
        return None
    before = snap.get("sources", {})
    sources = []
    for a in articles:
        label = f"{a.outlet} · {a.title}"
        if a.id not in before:
            sources.append(("추가된 기사", label))
        elif before[a.id][0] != a.content_hash:
            sources.append(("내용이 바뀐 기사", label))
    now_ids = {a.id for a in articles}
    sources += [("빠진 기사", str(title)) for aid, (_, title) in before.items()
                if aid not in now_ids]
    lines: list[tuple[str, str]] = []
    try:
        old = post_lines(post_from_dict(snap["post"]))
    except (KeyError, TypeError, ValueError):
        old = [f"제목: {snap.get('title', '')}"]
    new = post_lines(post) if post is not None else [f"제목: {rec.title}"]
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new,
                                                      autojunk=False).get_opcodes():
        if op in ("replace", "delete"):
            lines += [("-", t) for t in old[i1:i2]]
        if op in ("replace", "insert"):
            lines += [("+", t) for t in new[j1:j2]]
    return Change(str(snap.get("approved", "")), sources, lines)



def _source_view(a: Article, used: dict[str, list[int]]) -> SourceView:
    return SourceView(
        id=a.id,
        outlet=a.outlet,
        title=a.title,
        url=safe_url(a.url),
        published=kst(a.published) if a.published else "",
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
        edited = (row["origin"] if row else s.origin) == "reviewer"
        return TracedSentence(pos, src, before, hit, after, outlets.get(src_id, ""), src in known,
                              edited)

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
    # a title card's "/assets/cards/<slug>.png" is served by the review app from OUT/assets/cards
    notices = [traced(s) for s in post.notices]
    return {"title": post.title, "image": safe_src(post.image), "image_alt": post.image_alt,
            "excerpt": excerpt, "cards": cards, "sections": sections, "notices": notices,
            "sources": sources}


# --- the rendered file ----------------------------------------------------------------------

_BODY_TAGS = {"p", "b", "strong", "i", "em", "span", "h2", "h3", "h4", "a", "img", "br", "ul",
              "ol", "li", "blockquote"}
_BODY_ATTRS = {"span": {"style"}, "p": {"data-ke-size"}, "a": {"href", "title"},
               "img": {"src", "alt"}}
_PREVIEW_TAGS = _BODY_TAGS | {"h1"}
_PREVIEW_ATTRS = {**_BODY_ATTRS,
                  "span": {"style", "data-src", "data-pos", "tabindex", "title"},
                  "p": {"data-ke-size"}}
_PREVIEW_CLASSES = {"span": {"sent", "missing", "edited"}, "p": {"excerpt"},
                    "h1": {"post-title"}}


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
        """The state, read-write; read-only when it cannot be written (pages still work)."""
        try:
            return Store(self.settings.state)
        except StoreError:
            if not self.settings.has_state:
                raise
            return Store(self.settings.state, read_only=True)

    def read_only(self) -> str | None:
        """Why nothing can be changed here (a read-only output folder or state), or None."""
        try:
            from sokbo.fsutil import ensure_writable_dir

            ensure_writable_dir(self.settings.out_dir)
            Store(self.settings.state).close()
        except (InputError, StoreError) as e:
            return str(e)
        return None


MESSAGES = {
    "approved": "승인했습니다. 이제 발행할 수 있습니다.",
    "rejected": "반려했습니다.",
    "title": "제목을 바꾸고 다시 검사했습니다.",
    "title-unchanged": "제목이 그대로입니다.",
    "title-blocked": "제목을 바꿨지만 검사에서 오류가 나와 글이 차단되었습니다.",
    "title-reviewer": "제목을 바꿨습니다. 검토자가 쓴 문구에 대한 검사 결과는 경고로만 "
                      "보여 줍니다.",
    "text": "문장을 바꾸고 다시 검사했습니다. 이 문장은 검토자가 쓴 문장으로 기록됩니다.",
    "text-unchanged": "문장이 그대로입니다.",
    "text-reverted": "문장을 원래 생성된 문장으로 되돌렸습니다.",
    "text-blocked": "문장을 바꿨지만 검사에서 오류가 나와 글이 차단되었습니다.",
    "regenerated": "원문에서 글을 다시 생성했습니다. 다시 검토해 주세요.",
    "regenerated-same": "원문에서 다시 생성했지만 글이 그대로라 상태를 유지합니다.",
    "regenerated-changed": "다시 생성했더니 승인한 글과 달라졌습니다. 바뀐 곳을 보고 다시 "
                           "승인해 주세요.",
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
        if rec.status not in REVIEWABLE:
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
    return _one_line(raw, max_chars, TITLE_MAX_INPUT, "제목", "title")


def normalize_sentence(raw: str) -> str:
    """A reviewer's sentence: one line of text, collapsed spaces, not empty, not too long."""
    return _one_line(raw, SENTENCE_MAX_CHARS, SENTENCE_MAX_CHARS * 2, "문장", "sentence")


def _one_line(raw: str, max_chars: int, raw_max: int, ko: str, en: str) -> str:
    # ko is 제목 or 문장: both take the particles 이/에/은
    if len(raw) > raw_max:
        raise BadRequest(f"{ko}이 너무 깁니다 ({en} too long).")
    if any(unicodedata.category(c) in ("Cc", "Cs") and c not in " \t\r\n" for c in raw):
        raise BadRequest(f"{ko}에 제어 문자가 있습니다 ({en} has control characters).")
    text = " ".join(raw.split())
    if not text:
        raise BadRequest(f"{ko}이 비어 있습니다 ({en} is empty).")
    if len(text) > max_chars:
        raise BadRequest(f"{ko}은 {max_chars}자 이하여야 합니다; 지금 {len(text)}자입니다 "
                         f"({en} must be at most {max_chars} characters).")
    return text


def _field(form: Mapping[str, str], name: str) -> str:
    if name not in form:
        raise BadRequest(f"양식에 {name} 칸이 없습니다 (the form has no {name} field).")
    return form[name]


def edit_title(ctx: ReviewContext, post_id: int, form: Mapping[str, str]) -> str:
    """Give the post the reviewer's title: kept through later runs, marked as the reviewer's;
    lint findings it alone causes are warnings. The writer's title again removes the edit."""
    from sokbo.edits import TITLE

    title = normalize_title(_field(form, "title"), ctx.settings.title_max_chars)
    with ctx.store() as store:
        rec, written, edits = _editing(store, post_id)
        if title == rec.title:
            return "title-unchanged"
        edits = [e for e in edits if e.target != TITLE]
        if title != written.title:
            edits.append(Edit(rec.story_id, TITLE, written.title, title))
        status, flagged = _save_edited(ctx, store, rec, written, edits)
    if status == "blocked":
        return "title-blocked"
    return "title-reviewer" if flagged else "title"


def edit_text(ctx: ReviewContext, post_id: int, form: Mapping[str, str]) -> str:
    """Replace the text of the post's sentence from one source sentence (wherever the post
    uses it) with the reviewer's; recorded as the reviewer's words, never as the source's."""
    from sokbo.edits import sentence_target

    src = _field(form, "sentence")
    text = normalize_sentence(_field(form, "text"))
    with ctx.store() as store:
        rec, written, edits = _editing(store, post_id)
        current = _sentence_texts(store.load_post(post_id))
        writer = _sentence_texts(written)
        if src not in current:
            raise BadRequest("이 글에 그런 문장이 없습니다 (no such sentence in this post).")
        if text == current[src]:
            return "text-unchanged"
        target = sentence_target(src)
        edits = [e for e in edits if e.target != target]
        if text != writer[src]:
            edits.append(Edit(rec.story_id, target, writer[src], text))
        status, _ = _save_edited(ctx, store, rec, written, edits)
    if status == "blocked":
        return "text-blocked"
    return "text-reverted" if text == writer[src] else "text"


def _sentence_texts(post: Post | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for s in post.all_sentences() if post is not None else ():
        out.setdefault(s.source_sentence_id, s.text)
    return out


def _editing(store: Store, post_id: int) -> tuple[PostRecord, Post, list[Edit]]:
    """(record, the post as the writer wrote it, the reviewer's stored edits)."""
    from sokbo.edits import revert_edits

    rec = get_record(store, post_id)
    post = store.load_post(post_id)
    if post is None:
        raise Conflict("이 글은 구조 정보 없이 저장되어 고칠 수 없습니다; 먼저 다시 "
                       "생성하세요 (no stored post structure: re-generate first).")
    edits = store.edits(rec.story_id)
    return rec, revert_edits(post, edits), edits


def _save_edited(ctx: ReviewContext, store: Store, rec: PostRecord, written: Post,
                 edits: list[Edit]) -> tuple[str, int]:
    """Apply the edits to the writer's post, re-render, re-lint, store and rewrite the file.

    The status is kept (an approved post stays approved: the reviewer made the change),
    unless the new text has blocking lint errors (→ blocked), or a blocked post is now clean
    (→ draft, or ``changed`` when it had been approved).

    Returns:
        (the new status, how many findings the reviewer's words alone raised).
    """
    from sokbo.edits import apply_edits
    from sokbo.fsutil import atomic_write_text
    from sokbo.pipeline import lint_post
    from sokbo.render import RenderOptions, render_post

    settings = ctx.settings
    done = apply_edits(written, edits)
    post = done.post
    options = RenderOptions(cta_text=settings.cta_text, cta_url=settings.cta_url,
                            template_dir=settings.template_dir)
    _, text = render_post(post, rec.format, options)
    story = Story(id=rec.story_id, articles=tuple(store.story_articles(rec.story_id)))
    # lint outside the transaction: it can take a while and must not hold the write lock
    findings, blocked = lint_post(post, text, rec.format, story, options,
                                  written=written if done.applied else None)
    if blocked:
        status = "blocked"
    elif rec.status == "blocked":
        status = "changed" if rec.approved else "draft"
    else:
        status = rec.status
    with store.transaction() as db:
        now = get_record(store, rec.id)
        if now.updated != rec.updated or now.content_hash != rec.content_hash:
            raise Conflict("글이 그 사이에 바뀌었습니다; 새로 고친 뒤 다시 하세요 "
                           "(the post changed meanwhile; reload and retry).")
        kept = {e.target for e in done.applied}
        for e in store.edits(rec.story_id):
            if e.target not in kept:
                store.delete_edit(db, rec.story_id, e.target)
        for e in done.applied:
            store.save_edit(db, e)
        store.save_post(db, post, path=rec.path, fmt=rec.format, input_hash=rec.input_hash,
                        content_hash=content_hash(text), rendered=text, status=status,
                        findings=findings,
                        title_origin="reviewer" if done.title_edited else "writer")
        if status == "approved":
            store.record_approval(db, rec.id)  # the reviewer's own change is approved
    atomic_write_text(settings.out_dir / rec.path, text)
    return status, sum(1 for f in findings if f.get("reviewer"))


def regenerate(ctx: ReviewContext, post_id: int, form: Mapping[str, str]) -> str:
    from sokbo.pipeline import regenerate_story

    with ctx.store() as store:
        rec = get_record(store, post_id)
    result = regenerate_story(ctx.settings, rec.story_id)
    if result.review == "blocked":
        return "regenerated-blocked"
    if result.review == "changed":
        return "regenerated-changed"
    with ctx.store() as store:
        same = get_record(store, post_id).content_hash == rec.content_hash
    return "regenerated-same" if same and result.review == rec.status else "regenerated"


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
    "text": edit_text,
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
