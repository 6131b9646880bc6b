"""The main job: inputs → articles → stories → posts on disk and in SQLite.

``run_pipeline`` is what `sokbo run` calls; ``post_inputs`` is `sokbo post` (one story).
"""
from __future__ import annotations

import dataclasses
import itertools
import logging
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from sokbo.config import Settings
from sokbo.errors import DraftError, SokboError
from sokbo.fsutil import atomic_write_text, ensure_writable_dir, remove_stale_temp_files
from sokbo.models import Article, Post, Story, content_hash
from sokbo.store import PostRecord, Store, load_kept_morphs, morphs_to_pack

if TYPE_CHECKING:
    from sokbo.cluster.stored import StoredStory
    from sokbo.render import RenderOptions
    from sokbo.workers import Workers

log = logging.getLogger(__name__)

# bump when the writer changes what it produces, so stored posts are regenerated
WRITER_VERSION = "2"

Progress = Callable[[str, int, int], None]
# `sokbo post` clusters its inputs by their words alone: a window no two dates exceed
ANY_TIME_HOURS = 24 * 366 * 100


@dataclass(slots=True)
class PostResult:
    """A story's post as a run left it, with its source articles (in a run of more than
    REPORT_ARTICLES articles, their headlines only: :class:`sokbo.sources.Headline`, no text,
    so that a long run's report does not hold every article read; the store has them whole)."""

    story_id: str
    title: str
    path: Path
    status: str                      # new | updated | unchanged
    post: Post | None
    articles: list[Article]
    review: str = "draft"   # draft | blocked | changed | approved | published | rejected
    findings: list[dict[str, Any]] = field(default_factory=list)
    title_origin: str = "writer"     # writer | reviewer (edited on the review page)

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
            "title_origin": self.title_origin,
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
                {"text": s.text, "role": s.role, "origin": s.origin, "source_id": s.source_id,
                 "sentence_index": s.index, "source_url": urls.get(s.source_id),
                 **({"template": s.template} if s.template else {})}
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
    notes: list[str] = field(default_factory=list)  # said to the user, not errors

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
            "notes": self.notes,
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
        min_sentences_full=settings.min_sentences_full,
        min_sentences_compact=settings.min_sentences_compact,
        max_sources=settings.max_sources,
    )


def topic_tags(story: Story) -> tuple[str, ...]:
    """The story's topic (one of KLUE-YNAT's 7 labels) from its first headline and lead; none
    when the classifier is not sure (sokbo.topic.TAG_MARGIN)."""
    from sokbo.topic import story_topic

    first = story.articles[0]
    try:
        found = story_topic(first.title, [s.text for s in first.sentences])
    except SokboError as e:  # a broken model file or an empty headline: post without a tag
        log.warning("no topic tag for story %s: %s", story.id, e)
        return ()
    return (found,) if found else ()


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
    from sokbo.sources import read_inputs

    ensure_writable_dir(settings.out_dir)
    remove_stale_temp_files(settings.out_dir)
    freeze_startup()
    report = RunReport(out_dir=settings.out_dir)
    inputs = list(inputs) if inputs else default_inputs(settings)

    from sokbo.workers import Workers

    with Store(settings.state) as store, Workers(settings.workers) as workers:
        read = read_inputs(settings, inputs, store, progress=progress, should_stop=should_stop,
                           workers=workers)
        fresh = read.articles
        try:
            report.errors.extend(read.errors)
            report.fetch_stats = read.stats
            if read.stopped:
                report.stopped = True  # unwritten articles are read again next run
                return report
            report.articles_read = len(fresh)
            workers.renew()  # the drafting workers come with the writer imported
            known = store.article_hashes(fresh)  # what is stored of them, not the whole store
            report.articles_new = sum(1 for a in fresh if a not in known)
            report.articles_changed = sum(
                1 for a in fresh.headlines()
                if a.id in known and known[a.id][0] != a.content_hash
            )
            stories = group_fresh(store, settings, fresh, known, progress=progress,
                                  terms=read.terms)
            release_memory()  # clustering's day blocks are gone: the writer gets their room
            write_stories(store, settings, stories, report, progress=progress,
                          should_stop=should_stop, workers=workers,
                          whole_articles=len(fresh) <= REPORT_ARTICLES)
        finally:
            fresh.close()
    if preview:
        report.site_index = build_preview(settings)
    return report


_FROZEN = False


def freeze_startup() -> None:
    """Once per process, before its first run: what it holds by then (modules, the Kiwi
    wrapper, settings) lives as long as it does, so it leaves the collector's generations. A
    full collection during a run then walks the run's objects only (on 200 articles, 4 of them
    took 0.11 s, and 0.02 s once frozen), and forked workers do not write to those pages."""
    global _FROZEN
    if not _FROZEN:
        import gc

        _FROZEN = True
        gc.freeze()


# a run reading more articles than this keeps only their headlines in its report
REPORT_ARTICLES = 1_000


def release_memory() -> None:
    """Give freed memory back to the system (glibc keeps it for the process otherwise): a long
    step's garbage must not stay in the peak RSS of the steps after it."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to give back this way
        pass


# stories drafted ahead in the worker processes (bounds the drafts held in memory), and the
# fewest worth starting the workers for when extraction did not start them (~1 s each)
DRAFT_AHEAD = 16
DRAFT_LEAST = 6


def write_stories(store: Store, settings: Settings,
                  stories: Sequence[tuple[Story, StoredStory]],
                  report: RunReport, *, progress: Progress | None = None,
                  should_stop: Callable[[], bool] | None = None,
                  workers: Workers | None = None, whole_articles: bool = True) -> None:
    """Write each story's post in order (``run`` and ``backfill``); a story that cannot be
    written keeps its articles, and every story leaves the pending list once handled.
    ``whole_articles`` False: the report's posts keep their sources' headlines only.

    With ``workers``, the posts of the next stories are drafted in the worker processes
    while this one places, stores and writes them in order, exactly as without workers
    (written, rendered, linted, title card drawn: :func:`draft_story`).
    """
    from sokbo.cluster.stored import story_done

    from sokbo.korean.kiwi import clear_token_cache

    ahead = _Drafts(store, settings, stories, workers)
    try:
        for n in range(1, len(stories) + 1):
            if should_stop is not None and should_stop():
                report.stopped = True  # the rest stay pending in the store for the next run
                break
            story, stored = stories[n - 1]
            draft = ahead.take(n - 1)
            if progress:
                progress(f"writing {story.articles[0].title[:30]}", n, len(stories))
            try:
                with store.story_lock(story.id):
                    result = write_story(store, settings, story, draft=draft)
            except DraftError as e:
                report.errors.append(str(e))
                with store.transaction() as db:
                    for a in story.articles:
                        store.upsert_article(db, a, None)
                story_done(store, stored)
                continue
            finally:
                # a story's sentences are analysed for it alone: the next story's are others
                clear_token_cache()
            story_done(store, stored)
            if not whole_articles:
                from sokbo.sources import headline

                result.articles = [headline(a) for a in result.articles]
            report.posts.append(result)
    finally:
        ahead.cancel()


class _Drafts:
    """The drafts of the next DRAFT_AHEAD stories, computed by the workers in their order of
    need; with one job (or too few stories to start workers for), none."""

    def __init__(self, store: Store, settings: Settings,
                 stories: Sequence[tuple[Story, StoredStory]], workers: Workers | None) -> None:
        self.store, self.settings, self.stories = store, settings, stories
        self.on = workers is not None and workers.jobs > 1 and (
            workers.started or len(stories) >= DRAFT_LEAST)
        self.workers = workers
        self.futures: dict[int, Any] = {}
        self.next = 0

    def take(self, k: int) -> Draft | None:
        if not self.on:
            return None
        while self.next < min(len(self.stories), k + DRAFT_AHEAD):
            self._submit(self.next)
            self.next += 1
        future = self.futures.pop(k, None)
        return future.result() if future is not None else None

    def _submit(self, k: int) -> None:
        """Story ``k``'s draft, unless its stored post is up to date (nothing to write)."""
        story = self.stories[k][0]
        record = self.store.get_post(story.id)
        if record is None or record.input_hash != input_hash(story.articles,
                                                             self.settings.format):
            assert self.workers is not None
            from sokbo.write.gather import gather_articles

            read = gather_articles(story, self.settings.max_sources).articles
            self.futures[k] = self.workers.submit(draft_story, self.settings, story,
                                                  self.store.story_slug(story.id),
                                                  self.store.kept_morphs(read))

    def cancel(self) -> None:
        for future in self.futures.values():
            future.cancel()
        self.futures.clear()


def group_fresh(
    store: Store,
    settings: Settings,
    fresh: Mapping[str, Article],
    known: dict[str, tuple[str, str | None]],
    *,
    progress: Progress | None = None,
    terms: Mapping[str, Any] | None = None,
) -> Sequence[tuple[Story, StoredStory]]:
    """The stories to write this run: those holding an article read now, and those whose
    articles changed since their post was written (``cluster.stored`` keeps them pending).

    Stories are a pure function of the stored articles (``sokbo.cluster``); only their names
    carry history: a story keeps the id of the posted story most of its articles came from,
    so a post is updated in place, never posted twice. Clustering and naming need only the
    articles' headlines and terms: each story's articles are read whole (from ``fresh`` or
    the store) when it is written (:class:`StoryList`).
    """
    from sokbo.cluster import DEFAULT_IDF_DAYS, article_order
    from sokbo.cluster.stored import assign_stories, story_done
    from sokbo.sources import ArticleSpool, headline

    if isinstance(fresh, ArticleSpool):  # the texts only where terms must be computed
        light = [h if fresh.has_terms(h.id) else fresh[h.id] for h in fresh.headlines()]
    else:
        light = list(fresh.values())
    grouped = assign_stories(
        store, light, threshold=settings.cluster_threshold,
        window_hours=settings.cluster_window_hours, idf_days=DEFAULT_IDF_DAYS,
        progress=progress, terms=terms,
    )
    heads = {a.id: headline(a) for a in light}
    del light
    wanted = [i for s in grouped.stories for i in s.article_ids if i not in heads]
    for start in range(0, len(wanted), 500):
        heads.update((a.id, headline(a)) for a in store.load_articles(wanted[start:start + 500]))
    known.update(store.article_hashes(wanted))  # their stories' names
    taken: set[str] = set()
    out = []
    for group in grouped.stories:
        articles = [heads.get(i) for i in group.article_ids]
        present = sorted((a for a in articles if a is not None), key=article_order)
        if not present:  # analysed once, never stored, not read again: nothing to write
            story_done(store, group)
            continue
        sid = story_name(store, present, known, taken)
        taken.add(sid)
        out.append((Story(id=sid, articles=tuple(present)), group))
    return StoryList(store, fresh, out)


class StoryList(Sequence["tuple[Story, StoredStory]"]):
    """Stories named from their articles' headlines; ``[k]`` gives story k with its articles
    whole, read from the run's articles or the store (the last few are kept: a story is
    drafted ahead, then written)."""

    KEEP = DRAFT_AHEAD + 2

    def __init__(self, store: Store, fresh: Mapping[str, Article],
                 plans: list[tuple[Story, StoredStory]]) -> None:
        from collections import OrderedDict

        self.store, self.fresh, self.plans = store, fresh, plans
        self._kept: OrderedDict[int, tuple[Story, StoredStory]] = OrderedDict()

    def __len__(self) -> int:
        return len(self.plans)

    @overload
    def __getitem__(self, k: int) -> tuple[Story, StoredStory]: ...

    @overload
    def __getitem__(self, k: slice) -> Sequence[tuple[Story, StoredStory]]: ...

    def __getitem__(self, k: int | slice) -> Any:
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        k = range(len(self))[k]
        if k not in self._kept:
            plan, group = self.plans[k]
            ids = [a.id for a in plan.articles]
            stored = {a.id: a for a in self.store.load_articles(
                [i for i in ids if i not in self.fresh])}
            whole = tuple(self.fresh[i] if i in self.fresh else stored[i] for i in ids)
            self._kept[k] = (Story(id=plan.id, articles=whole), group)
            while len(self._kept) > self.KEEP:
                self._kept.popitem(last=False)
        self._kept.move_to_end(k)
        return self._kept[k]


def story_name(store: Store, articles: Sequence[Article],
               known: dict[str, tuple[str, str | None]], taken: set[str]) -> str:
    """The id of the posted story most of these articles belong to (ties: the smaller id),
    unless another story of this run took it; else a new id from the first article."""
    import hashlib

    from sokbo.cluster import story_id_for

    counts = Counter(known[a.id][1] for a in articles if a.id in known and known[a.id][1])
    for sid, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        if sid not in taken:
            return sid
    sid, n = story_id_for(articles), 1
    # a story split off an older one must not take a name some other story still holds
    while sid in taken or (sid not in counts and store.story_slug(sid) is not None):
        n += 1
        sid = "s" + hashlib.sha1(f"{articles[0].id}#{n}".encode()).hexdigest()[:10]
    return sid


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

    with Store(settings.state) as store:
        articles = store.story_articles(story_id)
        if not articles:
            raise StoreError(f"no stored articles for story {story_id}")
        with store.story_lock(story_id):
            return write_story(store, settings, Story(id=story_id, articles=tuple(articles)),
                               force=True)


@dataclass(frozen=True, slots=True)
class Draft:
    """A story's post written ahead in a worker process: the writer's post, its text as
    placed at its own slug, that text's lint findings and its title card (hash, PNG)."""

    story_id: str
    input_hash: str
    written: Post
    text: str
    findings: list[dict[str, Any]]
    card: tuple[str, bytes] | None
    morphs: dict[str, str] = field(default_factory=dict)  # article id → its sentences analysed
    path: str = ""  # where ``text`` goes (at the post's own slug)


def draft_story(settings: Settings, story: Story, slug: str | None,
                kept: dict[str, str] | None = None) -> Draft | None:
    """The pure part of :func:`write_story` (a worker job); None when it fails (the main
    process then writes the story itself and reports why). ``kept``: the stored analyses
    of the story's sentences (``Store.kept_morphs``)."""
    from sokbo.render import RenderOptions, render_post
    from sokbo.render.card import attach_card, card_hash, draw_card, fonts_available, is_card
    from sokbo.write import write_post
    from sokbo.write.gather import gather_articles

    try:
        if kept:
            load_kept_morphs(story.articles, kept)
        written = write_post(story, writer_options(settings), slug=slug, tags=topic_tags(story))
        options = RenderOptions(cta_text=settings.cta_text, cta_url=settings.cta_url,
                                template_dir=settings.template_dir)
        post = attach_card(written, configured_image=settings.image,
                           base_url=settings.card_base_url)
        path, text = render_post(post, settings.format, options)
        findings, _ = lint_post(post, text, settings.format, story, options)
        card = None
        if is_card(post, settings.card_base_url) and fonts_available():
            card = (card_hash(post, settings.card_theme), draw_card(post, settings.card_theme))
        # the analyses to keep, of the articles the writer read (the others are not stored)
        morphs = morphs_to_pack(gather_articles(story, settings.max_sources).articles,
                                kept or {})
        return Draft(story.id, input_hash(story.articles, settings.format), written, text,
                     findings, card, morphs, path)
    except Exception:  # noqa: BLE001 - drafting ahead is an optimisation: write_story reports
        return None
    finally:
        from sokbo.korean.kiwi import clear_token_cache

        clear_token_cache()  # the next draft is another story's: a worker holds one at a time


def write_story(store: Store, settings: Settings, story: Story, *,
                force: bool = False, draft: Draft | None = None) -> PostResult:
    """Write or update the post of one story, unless its inputs did not change.

    The reviewer's edits are put back on the new post (``sokbo.edits``); a post that was
    approved and now reads differently returns to review as ``changed``. ``draft`` is the
    post drafted ahead by a worker (:func:`draft_story`): what it computed is used where it
    is exactly what this function would compute.
    """
    from sokbo.edits import apply_edits
    from sokbo.render import RenderOptions
    from sokbo.render.card import ensure_card, is_card
    from sokbo.write import write_post
    from sokbo.write.gather import gather_articles

    fmt = settings.format
    ihash = input_hash(story.articles, fmt)
    record = store.get_post(story.id)
    if not force and record and record.input_hash == ihash:
        restore_post_file(store, settings, record)
        return PostResult(story.id, record.title, settings.out_dir / record.path, "unchanged",
                          None, list(story.articles), record.status, record.findings,
                          record.title_origin)
    if draft is not None and (draft.story_id, draft.input_hash) != (story.id, ihash):
        draft = None
    read = gather_articles(story, settings.max_sources).articles  # what the writer reads
    kept = None
    if draft is None:  # its stored sentences are not analysed again
        kept = store.kept_morphs(read)
        load_kept_morphs(read, kept)
    written = draft.written if draft is not None else write_post(
        story, writer_options(settings), slug=store.story_slug(story.id), tags=topic_tags(story))
    morphs = store.morphs_to_keep(read, draft.morphs if draft is not None else None, kept=kept)
    options = RenderOptions(cta_text=settings.cta_text, cta_url=settings.cta_url,
                            template_dir=settings.template_dir)
    for attempt in itertools.count(1):
        edits = store.edits(story.id)
        done = apply_edits(written, edits)
        drafted = (draft.path, draft.text) if draft is not None and draft.path and \
            done.post == draft.written else None
        post, rel_path, text = place_post(store, settings, record, done.post, options,
                                          rendered=drafted)
        written = dataclasses.replace(written, slug=post.slug, image=post.image)
        if draft is not None and not done.applied and text == draft.text:
            findings = draft.findings  # the very text the worker linted
            blocked = any(f["severity"] == "error" for f in findings)
        else:
            findings, blocked = lint_post(post, text, fmt, story, options,
                                          written=written if done.applied else None)
        title_origin = "reviewer" if done.title_edited else "writer"
        try:
            with store.transaction() as db:
                if store.edits(story.id) != edits and attempt < 3:
                    raise _EditedMeanwhile  # the reviewer saved an edit while we linted
                # read again under the write lock: an approval given meanwhile is kept
                status = next_status(store.get_post(story.id), content_hash(text), blocked)
                store.upsert_story(db, story.id, post.slug)
                for a in story.articles:
                    store.upsert_article(db, a, story.id)
                store.save_morphs(db, morphs)
                for old, new in zip(done.stored, done.applied, strict=True):
                    if old.target != new.target:
                        store.delete_edit(db, story.id, old.target)
                    if old != new:
                        store.save_edit(db, new)
                store.save_post(db, post, path=rel_path, fmt=fmt, input_hash=ihash,
                                content_hash=content_hash(text), rendered=text, status=status,
                                findings=findings, title_origin=title_origin)
        except _EditedMeanwhile:
            continue
        break
    path = settings.out_dir / rel_path
    # The file comes after the commit: killed in between, the next run finds the post's row
    # and a file that is missing or not what the row says, and writes the row's text. Killed
    # with only the file written, the story could come back under a new id and file name:
    # the same story posted twice.
    atomic_write_text(path, text)
    if is_card(post, settings.card_base_url):  # killed before it: the preview build draws it
        ensure_card(settings.out_dir, post, settings.card_theme,
                    drawn=draft.card if draft is not None else None)
    return PostResult(story.id, post.title, path, "updated" if record else "new", post,
                      list(story.articles), status, findings, title_origin)


def restore_post_file(store: Store, settings: Settings, record: PostRecord) -> None:
    """The file of a post whose inputs did not change, when it is missing or stale: the stored text.

    Missing because another worker sharing the database wrote the post (PostgreSQL), or
    because a run was killed between the commit and the file: either way the stored text is
    the post, and writing it again from its sources would write one story twice.
    """
    from sokbo.render.card import ensure_card, is_card

    path = settings.out_dir / record.path
    if _same_text(path, record.rendered):
        return
    # killed between the commit and the file write (see write_story): the row is the truth;
    # the file is missing, or still the previous version of an updated post
    atomic_write_text(path, record.rendered)
    post = store.load_post(record.id)
    if post is not None and is_card(post, settings.card_base_url):
        ensure_card(settings.out_dir, post, settings.card_theme)


class _EditedMeanwhile(Exception):
    pass


def place_post(store: Store, settings: Settings, record: PostRecord | None, post: Post,
               options: RenderOptions, *, rendered: tuple[str, str] | None = None
               ) -> tuple[Post, str, str]:
    """(post with its final slug, path relative to the output directory, file text).

    A story's post keeps its file once it has one. A new post gets a path no other story
    holds (the store's unique index guarantees it) and that is not a file sokbo did not
    write: its slug, else the slug with ``-2``, ``-3``… (the first free one, so the same
    stories in the same order always get the same names). ``rendered``: the (path, text)
    ``render_post`` gives this post at its own slug, when a worker rendered it already.
    """
    from sokbo.render import render_post
    from sokbo.render.card import attach_card

    def with_image(p: Post) -> Post:  # its title card follows the slug, unless post.image
        return attach_card(p, configured_image=settings.image, base_url=settings.card_base_url)

    if record and record.format == settings.format:
        post = with_image(post)
        text = rendered[1] if rendered else render_post(post, settings.format, options)[1]
        return post, record.path, text
    base = post.slug
    for n in itertools.count(1):
        candidate = with_image(post if n == 1 else dataclasses.replace(post, slug=f"{base}-{n}"))
        rel_path, text = rendered if rendered and n == 1 else \
            render_post(candidate, settings.format, options)
        holder = store.path_holder(rel_path)
        if holder == post.story_id:
            return candidate, rel_path, text
        if holder is not None:
            continue
        target = settings.out_dir / rel_path
        if not target.exists() or _same_text(target, text):
            return candidate, rel_path, text  # free, or this very post written before
    raise AssertionError("unreachable")  # pragma: no cover


def _same_text(path: Path, text: str) -> bool:
    try:
        return path.read_text("utf-8") == text
    except (OSError, UnicodeDecodeError):
        return False


def next_status(record: PostRecord | None, new_hash: str, blocked: bool) -> str:
    """A rewritten post's review status.

    Lint errors block it. A post that reads as before keeps its status (approved stays
    approved). A post that was approved and now reads differently is ``changed``: back in
    review, with the change shown against what was approved; exactly the approved text again
    is approved again. Anything else is a draft.
    """
    if blocked:
        return "blocked"
    if record is None:
        return "draft"
    if new_hash == record.content_hash and record.status in (
            "approved", "published", "rejected", "changed"):
        return record.status
    if record.approved is not None:
        return "approved" if new_hash == record.approved.get("content_hash") else "changed"
    return "draft"


# Findings a reviewer's own wording may raise without blocking: writing style (SB1xx),
# consistency (SB5xx) and grounding (SB6xx): the reviewer vouches for their words. Format
# and safety findings (a broken file, active markup) block whoever caused them.
REVIEWER_MAY_OVERRIDE = ("SB1", "SB5", "SB6")


def lint_post(post: Post, text: str, fmt: str, story: Story, options: RenderOptions, *,
              written: Post | None = None) -> tuple[list[dict[str, Any]], bool]:
    """Lint a rendered post against its sources: (findings, blocked).

    ``written`` is the post as the writer wrote it, when a reviewer edited it: a finding that
    only the edited post has is the reviewer's, and is a warning marked ``reviewer``.
    """
    from sokbo.lint import writer_split
    from sokbo.render import render_post

    # checked against the articles the post was written from (its sources), as it says
    used = {s.article_id for s in post.sources}
    if used and len(used) < len(story.articles):
        story = dataclasses.replace(
            story, articles=tuple(a for a in story.articles if a.id in used))
    # the linter reads the reference (Jekyll) structure, whatever format is written
    lint_text_ = text if fmt == "jekyll" else render_post(post, "jekyll", options)[1]
    # the writer's own sentences: its paragraphs are not split by Kiwi again (a paragraph
    # holding a reviewer's words is: those are not the writer's sentences)
    known = writer_split(written if written is not None else post)
    findings, _ = lint_rendered(lint_text_, story, known=known)
    if written is not None:
        base, _ = lint_rendered(render_post(written, "jekyll", options)[1], story, known=known)
        findings = mark_reviewer_findings(findings, base)
    return findings, any(f["severity"] == "error" for f in findings)


def mark_reviewer_findings(findings: list[dict[str, Any]],
                           written: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings of an edited post that the writer's own post does not have are the
    reviewer's: marked so, and warnings instead of errors where the rule allows it."""
    def key(f: dict[str, Any]) -> tuple[str, str, str]:
        return (f.get("code", ""), f.get("quote", ""), f.get("message_en", ""))

    left = Counter(key(f) for f in written)
    out = []
    for f in findings:
        if left[key(f)] > 0:
            left[key(f)] -= 1
            out.append(f)
            continue
        f = {**f, "reviewer": True}
        if f.get("severity") == "error" and str(f.get("code", "")).startswith(
                REVIEWER_MAY_OVERRIDE):
            f["severity"] = "warning"
        out.append(f)
    return out


def lint_rendered(text: str, story: Story, *,
                  known: Mapping[str, Sequence[str]] | None = None,
                  ) -> tuple[list[dict[str, Any]], str]:
    """Lint a rendered post against its sources: (findings, review status). ``known``: the
    writer's paragraphs and their sentences (``sokbo.lint.writer_split``)."""
    from sokbo.lint import lint_text

    result = lint_text(text, sources=list(story.articles), known=known, rendered=True)
    findings = [f.to_dict() for f in result.findings]
    # "blocked" is a draft that cannot be approved or published until its errors are gone
    blocked = any(f["severity"] == "error" for f in findings)
    return findings, "blocked" if blocked else "draft"


def post_inputs(settings: Settings, inputs: Sequence[str], *,
                one_story: bool = False) -> RunReport:
    """`sokbo post`: write (or update) the post of the story the inputs tell.

    Inputs that are not one story (clustered as `sokbo run` does, whatever their dates) give
    one post per story, and a note saying so; ``one_story`` makes one post of them all.
    """
    from sokbo.cluster import group_stories, story_id_for
    from sokbo.ingest import load_articles

    ensure_writable_dir(settings.out_dir)
    remove_stale_temp_files(settings.out_dir)
    freeze_startup()
    report = RunReport(out_dir=settings.out_dir)
    with url_fetch(settings, inputs) as fetch:
        articles, errors = load_articles(inputs, fetch=fetch)
    report.errors.extend(str(e) for e in errors)
    unique = list({a.id: a for a in articles}.values())
    report.articles_read = len(unique)
    if not unique:
        return report
    unique.sort(key=lambda a: (a.published.timestamp() if a.published else float("inf"), a.id))
    if one_story or len(unique) == 1:
        stories = [Story(id=story_id_for(unique), articles=tuple(unique))]
    else:
        # given together, articles days apart may still be one story: only their words decide
        stories = group_stories(unique, threshold=settings.cluster_threshold,
                                window_hours=ANY_TIME_HOURS)
        if len(stories) > 1:
            report.notes.append(
                f"the {len(unique)} inputs tell {len(stories)} different stories, not one: "
                f"one post per story (--one-story writes a single post)")
    with Store(settings.state) as store:
        for story in stories:
            try:
                with store.story_lock(story.id):
                    report.posts.append(write_story(store, settings, story))
            except DraftError as e:
                report.errors.append(str(e))
    report.site_index = build_preview(settings)
    return report
