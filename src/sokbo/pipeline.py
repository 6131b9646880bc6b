"""The main job: inputs → articles → stories → posts on disk and in SQLite.

``run_pipeline`` is what `sokbo run` calls; ``post_inputs`` is `sokbo post` (one story).
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sokbo.config import Settings
from sokbo.errors import DraftError, SokboError
from sokbo.fsutil import atomic_write_text, ensure_writable_dir
from sokbo.models import Article, Post, Story, content_hash
from sokbo.store import Store

log = logging.getLogger(__name__)

# bump when the writer changes what it produces, so stored posts are regenerated
WRITER_VERSION = "1"

Progress = Callable[[str, int, int], None]


@dataclass(slots=True)
class PostResult:
    story_id: str
    title: str
    path: Path
    status: str                      # new | updated | unchanged
    post: Post | None
    articles: list[Article]
    review: str = "draft"            # draft | blocked | approved | published | rejected
    findings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        """A post with an error-level lint finding stays a draft and is never published."""
        return any(f.get("severity") == "error" for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        urls = {a.id: a.url for a in self.articles}
        d: dict[str, Any] = {
            "story_id": self.story_id,
            "title": self.title,
            "path": str(self.path),
            "status": self.status,
            "review": self.review,
            "publishable": not self.blocked,
            "sources": [
                {"id": a.id, "outlet": a.outlet, "title": a.title, "url": a.url,
                 "published": a.published.isoformat() if a.published else None}
                for a in self.articles
            ],
            "findings": self.findings,
        }
        if self.post is not None:
            d["sentences"] = [
                {"text": s.text, "role": s.role, "source_id": s.source_id,
                 "sentence_index": s.index, "source_url": urls.get(s.source_id)}
                for s in self.post.all_sentences()
            ]
        return d


@dataclass(slots=True)
class RunReport:
    out_dir: Path
    posts: list[PostResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    articles_read: int = 0
    articles_new: int = 0
    articles_changed: int = 0
    fetch_stats: dict[str, int] = field(default_factory=dict)
    stopped: bool = False  # should_stop() ended the run early (watch: Ctrl-C / SIGTERM)
    site_index: Path | None = None

    def count(self, status: str) -> int:
        return sum(1 for p in self.posts if p.status == status)

    def to_dict(self) -> dict[str, Any]:
        return {
            "out_dir": str(self.out_dir),
            "new_posts": self.count("new"),
            "updated_posts": self.count("updated"),
            "unchanged_posts": self.count("unchanged"),
            "articles_read": self.articles_read,
            "articles_new": self.articles_new,
            "articles_changed": self.articles_changed,
            "fetch": self.fetch_stats,
            "site_index": str(self.site_index) if self.site_index else None,
            "stopped": self.stopped,
            "posts": [p.to_dict() for p in self.posts],
            "errors": self.errors,
        }


def input_hash(articles: Sequence[Article], fmt: str) -> str:
    parts = sorted(f"{a.id}:{a.content_hash}" for a in articles)
    return content_hash(WRITER_VERSION, fmt, *parts)


def default_inputs(settings: Settings) -> list[str]:
    from sokbo.ingest import demo_feed

    if settings.feeds:
        return [f.url for f in settings.feeds]
    return [str(demo_feed())]


FetchFn = Callable[[str], tuple[bytes, str, "str | None"]]


@contextmanager
def url_fetch(settings: Settings, inputs: Sequence[str]) -> Iterator[FetchFn | None]:
    """A fetch function for the http(s) inputs, closed afterwards; None when there are none."""
    from sokbo.ingest import is_url
    from sokbo.sources import make_fetcher

    if not any(is_url(i) for i in inputs):
        yield None
        return
    with make_fetcher(settings) as fetcher:

        def fetch(url: str) -> tuple[bytes, str, str | None]:
            page = fetcher.get(url)
            return page.body, page.final_url, page.content_type

        yield fetch


def writer_options(settings: Settings):  # -> WriterOptions
    from sokbo.write import WriterOptions

    return WriterOptions(
        title_max_chars=settings.title_max_chars,
        excerpt_sentences=settings.excerpt_sentences,
        categories=settings.categories,
        image=settings.image,
        image_alt=settings.image_alt,
    )


def topic_tags(story: Story) -> tuple[str, ...]:
    """The story's topic (one of KLUE-YNAT's 7 labels) from its first headline."""
    from sokbo.topic import classify_topic

    try:
        return (classify_topic(story.articles[0].title),)
    except SokboError as e:  # a broken model file or an empty headline: post without a tag
        log.warning("no topic tag for story %s: %s", story.id, e)
        return ()


def run_pipeline(
    settings: Settings,
    inputs: Sequence[str] | None = None,
    *,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
    preview: bool = True,
) -> RunReport:
    """Read inputs, group stories, write one post per story; unchanged stories are left alone.

    ``should_stop`` is asked between inputs and between stories: when it answers True the run
    ends after the current article or post is fully written (``RunReport.stopped``).
    """
    from sokbo.cluster import group_stories, story_id_for
    from sokbo.sources import read_inputs

    ensure_writable_dir(settings.out_dir)
    report = RunReport(out_dir=settings.out_dir)
    inputs = list(inputs) if inputs else default_inputs(settings)

    with Store(settings.db_path) as store:
        read = read_inputs(settings, inputs, store, progress=progress, should_stop=should_stop)
        fresh = read.articles
        report.errors.extend(read.errors)
        report.fetch_stats = read.stats
        if read.stopped:
            report.stopped = True  # unwritten articles are read again next run
            return report
        report.articles_read = len(fresh)
        known = store.article_hashes()
        report.articles_new = sum(1 for a in fresh if a not in known)
        report.articles_changed = sum(
            1 for a in fresh.values() if a.id in known and known[a.id][0] != a.content_hash
        )
        stored = [a for a in store.load_articles()
                  if a.id not in fresh and _near_in_time(a, fresh.values(), settings)]
        everything = stored + list(fresh.values())
        stories = group_stories(
            everything,
            threshold=settings.cluster_threshold,
            window_hours=settings.cluster_window_hours,
        )
        for n, story in enumerate(stories, 1):
            if should_stop is not None and should_stop():
                report.stopped = True
                break
            if progress:
                progress(f"writing {story.articles[0].title[:30]}", n, len(stories))
            existing = sorted(
                (known[a.id][1] for a in story.articles if a.id in known and known[a.id][1]),
            )
            sid = existing[0] if existing else story_id_for(story.articles)
            story = Story(id=sid, articles=story.articles)
            if not any(a.id in fresh for a in story.articles):
                continue  # nothing read this run belongs to it: not this run's business
            try:
                result = write_story(store, settings, story)
            except DraftError as e:
                report.errors.append(str(e))
                with store.transaction() as db:
                    for a in story.articles:
                        store.upsert_article(db, a, None)
                continue
            report.posts.append(result)
    if preview:
        report.site_index = build_preview(settings)
    return report


def _near_in_time(article: Article, fresh: Iterable[Article], settings: Settings) -> bool:
    """Only stored articles within the clustering window of something read now can join its
    story; the rest need not be clustered again (a store grows for weeks under `watch`)."""
    if article.published is None:
        return True
    window = settings.cluster_window_hours * 3600
    return any(
        a.published is None or abs((a.published - article.published).total_seconds()) <= window
        for a in fresh
    )


def build_preview(settings: Settings) -> Path | None:
    """Refresh OUT/site/ so a user can open what was written; a failure here is not fatal."""
    from sokbo.site import build_site

    try:
        return build_site(settings, template_dir=settings.template_dir)
    except SokboError as e:
        log.warning("preview site not built: %s", e)
        return None


def regenerate_story(settings: Settings, story_id: str) -> PostResult:
    """Write the post of a stored story again from its stored articles (review page action)."""
    from sokbo.errors import StoreError

    with Store(settings.db_path) as store:
        articles = store.story_articles(story_id)
        if not articles:
            raise StoreError(f"no stored articles for story {story_id}")
        return write_story(store, settings, Story(id=story_id, articles=tuple(articles)),
                           force=True)


def write_story(store: Store, settings: Settings, story: Story, *,
                force: bool = False) -> PostResult:
    """Write or update the post of one story, unless its inputs did not change."""
    from sokbo.render import RenderOptions, render_post
    from sokbo.write import write_post

    fmt = settings.format
    ihash = input_hash(story.articles, fmt)
    record = store.get_post(story.id)
    if (not force and record and record.input_hash == ihash
            and (settings.out_dir / record.path).exists()):
        return PostResult(story.id, record.title, settings.out_dir / record.path, "unchanged",
                          None, list(story.articles), record.status, record.findings)
    slug = store.story_slug(story.id)
    post = write_post(story, writer_options(settings), slug=slug, tags=topic_tags(story))
    options = RenderOptions(cta_text=settings.cta_text, cta_url=settings.cta_url,
                            template_dir=settings.template_dir)
    rel_path, text = render_post(post, fmt, options)
    if record and record.format == fmt:
        rel_path = record.path  # a story's post is updated in place, never moved
    # the linter reads the reference (Jekyll) structure, whatever format is written
    lint_text_ = text if fmt == "jekyll" else render_post(post, "jekyll", options)[1]
    findings, review = lint_rendered(lint_text_, story)
    path = settings.out_dir / rel_path
    with store.transaction() as db:
        store.upsert_story(db, story.id, post.slug)
        for a in story.articles:
            store.upsert_article(db, a, story.id)
        store.save_post(db, post, path=rel_path, fmt=fmt, input_hash=ihash,
                        content_hash=content_hash(text), rendered=text, status=review,
                        findings=findings)
    # The file comes after the commit: killed in between, the next run finds the post's row
    # without its file and rewrites it in place. Killed with only the file written, the
    # story could come back under a new id and file name: the same story posted twice.
    atomic_write_text(path, text)
    return PostResult(story.id, post.title, path, "updated" if record else "new", post,
                      list(story.articles), review, findings)


def lint_rendered(text: str, story: Story) -> tuple[list[dict[str, Any]], str]:
    """Lint a rendered post against its sources: (findings, review status)."""
    from sokbo.lint import lint_text

    result = lint_text(text, sources=list(story.articles))
    findings = [f.to_dict() for f in result.findings]
    # "blocked" is a draft that cannot be approved or published until its errors are gone
    blocked = any(f["severity"] == "error" for f in findings)
    return findings, "blocked" if blocked else "draft"


def post_inputs(settings: Settings, inputs: Sequence[str]) -> RunReport:
    """`sokbo post`: the given inputs are one story; write (or update) its post."""
    from sokbo.cluster import story_id_for
    from sokbo.ingest import load_articles

    ensure_writable_dir(settings.out_dir)
    report = RunReport(out_dir=settings.out_dir)
    with url_fetch(settings, inputs) as fetch:
        articles, errors = load_articles(inputs, fetch=fetch)
    report.errors.extend(str(e) for e in errors)
    unique = list({a.id: a for a in articles}.values())
    report.articles_read = len(unique)
    if not unique:
        return report
    unique.sort(key=lambda a: (a.published.timestamp() if a.published else float("inf"), a.id))
    story = Story(id=story_id_for(unique), articles=tuple(unique))
    with Store(settings.db_path) as store:
        try:
            report.posts.append(write_story(store, settings, story))
        except DraftError as e:
            report.errors.append(str(e))
    report.site_index = build_preview(settings)
    return report
