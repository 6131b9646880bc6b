"""Approved posts → a Jekyll or Hugo site repository, committed (and pushed).

A post file a human edited after sokbo wrote it is never overwritten: sokbo records the hash of
what it wrote (``posts.published_hash``) and skips, as a conflict, any target whose content
differs from that hash. A post's title card goes with it, where the site serves it
(``assets/cards/`` in Jekyll, ``static/assets/cards/`` in Hugo).
"""
from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sokbo.config import Settings
from sokbo.errors import PublishError, RenderError
from sokbo.fsutil import atomic_write_bytes, atomic_write_text, remove_stale_temp_files
from sokbo.models import Post, content_hash
from sokbo.publish.select import PostOutcome, open_store, posts_to_publish
from sokbo.store import PostRecord

log = logging.getLogger(__name__)

__all__ = ["PublishReport", "SiteLayout", "detect_site", "publish_posts"]

# (site kind, files any one of which marks it, renderer, posts folder); checked in this order
SITE_KINDS: tuple[tuple[str, tuple[str, ...], str, str], ...] = (
    ("jekyll", ("_config.yml", "_config.yaml", "_config.toml"), "jekyll", "_posts"),
    ("hugo", ("hugo.toml", "hugo.yaml", "hugo.json", "config.toml", "config.yaml", "config.json",
              "config/_default"), "hugo", "content/posts"),
)
# where a site kind serves files from (a URL path /x is the file <static>/x)
STATIC_DIRS = {"jekyll": "", "hugo": "static", "custom": ""}
GIT_TIMEOUT = 120
# another git (or one still finishing for a publish that was killed) holds the index lock
GIT_LOCK_WAIT = 10.0


@dataclass(frozen=True, slots=True)
class SiteLayout:
    """Where and how posts go in a site repository."""

    kind: str          # jekyll | hugo | custom
    format: str        # renderer name
    posts_dir: str     # relative to the repository root given by the user


@dataclass(slots=True)
class PublishReport:
    repo: Path
    site: SiteLayout
    published: list[PostOutcome] = field(default_factory=list)
    conflicts: list[PostOutcome] = field(default_factory=list)
    skipped: list[PostOutcome] = field(default_factory=list)
    commit: str | None = None
    pushed: bool = False

    @property
    def written(self) -> list[PostOutcome]:
        return [p for p in self.published if p.action in ("new", "updated")]

    def to_dict(self) -> dict[str, Any]:
        return {
            "repo": str(self.repo),
            "site": self.site.kind,
            "format": self.site.format,
            "posts_dir": self.site.posts_dir,
            "published": [p.to_dict() for p in self.published],
            "conflicts": [p.to_dict() for p in self.conflicts],
            "skipped": [p.to_dict() for p in self.skipped],
            "commit": self.commit,
            "pushed": self.pushed,
        }


# --- the site ---------------------------------------------------------------------------------

def detect_site(repo: Path, *, posts_dir: str | None = None,
                default_format: str = "jekyll") -> SiteLayout:
    """Jekyll (``_config.yml``) or Hugo (``hugo.toml``, ``config.toml``…), or ``posts_dir``."""
    for kind, markers, fmt, folder in SITE_KINDS:
        if any((repo / m).exists() for m in markers):
            return SiteLayout(kind, fmt, _clean_posts_dir(repo, posts_dir) if posts_dir else folder)
    if posts_dir:
        return SiteLayout("custom", default_format, _clean_posts_dir(repo, posts_dir))
    raise PublishError(
        "not a Jekyll or Hugo site (no _config.yml, hugo.toml or config.toml); "
        "pass --posts-dir to publish elsewhere", source=str(repo))


def _clean_posts_dir(repo: Path, posts_dir: str) -> str:
    target = (repo / posts_dir).resolve()
    if not target.is_relative_to(repo.resolve()):
        raise PublishError(f"posts dir {posts_dir!r} is outside the repository", source=str(repo))
    return target.relative_to(repo.resolve()).as_posix() or "."


def _git(repo: Path, *args: str, identity: Sequence[str] = (),
         timeout: float = GIT_TIMEOUT) -> subprocess.CompletedProcess[str]:
    """Run git in ``repo``; a failure becomes a one-line PublishError.

    While another git holds the repository's index lock (say, the commit of a publish that
    was killed, still finishing), waits up to ``GIT_LOCK_WAIT`` seconds for it.
    """
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", GIT_ASKPASS="echo")
    deadline = time.monotonic() + GIT_LOCK_WAIT
    while True:
        try:
            done = subprocess.run(
                ["git", *identity, *args], cwd=repo, env=env, capture_output=True, text=True,
                timeout=timeout, check=False,
            )
        except subprocess.TimeoutExpired as e:
            raise PublishError(f"git {args[0]} timed out after {timeout:.0f} s",
                               source=str(repo)) from e
        locked = done.returncode != 0 and "index.lock" in done.stderr
        if not locked or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    if locked:
        raise PublishError(
            "another git process holds .git/index.lock; if none is running (one was killed), "
            "delete that file and publish again", source=str(repo))
    if done.returncode != 0:
        lines = [ln.strip() for ln in (done.stderr or done.stdout).splitlines() if ln.strip()]
        why = next((ln for ln in lines if ln.lower().startswith(("fatal", "error"))),
                   lines[-1] if lines else f"exit {done.returncode}")
        raise PublishError(f"git {args[0]} failed: {why}", source=str(repo))
    return done


def _check_repo(repo: Path) -> None:
    if shutil.which("git") is None:
        raise PublishError("git is not installed (apt-get install git)")
    if not repo.is_dir():
        raise PublishError("no such directory", source=str(repo))
    try:
        _git(repo, "rev-parse", "--is-inside-work-tree")
    except PublishError as e:
        raise PublishError("not a git repository (run `git init` there first)",
                           source=str(repo)) from e


def _identity(repo: Path) -> list[str]:
    """``-c user.name=… -c user.email=…`` for whatever the repository's config leaves unset."""
    out: list[str] = []
    for key, fallback in (("user.name", "sokbo"), ("user.email", "sokbo@localhost")):
        try:
            _git(repo, "config", "--get", key)
        except PublishError:  # unset (exit 1)
            out += ["-c", f"{key}={fallback}"]
    return out


def commit_message(titles: Sequence[str]) -> tuple[str, str]:
    """(subject, body) listing every post title, one per line."""
    clean = [re.sub(r"\s+", " ", t).strip() for t in titles]
    subject = f"sokbo: publish {clean[0]}" if len(clean) == 1 else \
        f"sokbo: publish {len(clean)} posts"
    return subject, "\n".join(f"- {t}" for t in clean)


def _push(repo: Path) -> None:
    try:
        _git(repo, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}")
    except PublishError:
        pass  # no upstream yet
    else:
        _git(repo, "push")
        return
    remotes = _git(repo, "remote").stdout.split()
    if not remotes:
        raise PublishError("cannot push: the repository has no remote "
                           "(git remote add origin URL)", source=str(repo))
    remote = "origin" if "origin" in remotes else remotes[0]
    _git(repo, "push", "--set-upstream", remote, "HEAD")


# --- publishing -------------------------------------------------------------------------------

def file_hash(path: Path) -> str | None:
    """content_hash of a file's text, exactly as on disk; None when it is not UTF-8 text."""
    try:
        return content_hash(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        return None


def publish_posts(
    settings: Settings,
    repo: Path,
    *,
    post_ids: list[int] | None = None,
    push: bool = False,
    posts_dir: str | None = None,
    template_dir: Path | None = None,
) -> PublishReport:
    """Write approved posts (or the given ids) into a site repository and commit them.

    Args:
        repo: the site's folder, inside a git work tree.
        post_ids: publish these posts (approved, or drafts without lint errors) instead of all
            approved ones.
        push: ``git push`` after committing (to the upstream, else ``origin``).
        posts_dir: folder for post files relative to ``repo``, instead of the site's own.
        template_dir: folder whose templates override the shipped ones by name.

    Raises:
        PublishError: ``repo`` is not a git work tree or not a site, or git fails.
    """
    from jinja2 import TemplateError

    from sokbo.render import RenderOptions, get_renderer

    repo = Path(repo)
    _check_repo(repo)
    site = detect_site(repo, posts_dir=posts_dir, default_format=settings.format)
    renderer = get_renderer(site.format)
    options = RenderOptions(cta_text=settings.cta_text, cta_url=settings.cta_url,
                            template_dir=template_dir)
    report = PublishReport(repo=repo, site=site)
    folder = repo / site.posts_dir
    # left by a publish that was killed: beside the posts, the site's cards and our own
    remove_stale_temp_files(folder, recursive=False)
    if settings.card_base_url.startswith("/"):
        cards_dir = _static_dir(repo, site) / settings.card_base_url.strip("/")
        remove_stale_temp_files(cards_dir, recursive=False)
    remove_stale_temp_files(settings.out_dir / "assets" / "cards", recursive=False)

    with open_store(settings) as store:
        writes: list[tuple[PostRecord, Path, str]] = []
        cards: list[tuple[Path, bytes]] = []
        for record, post in posts_to_publish(store, post_ids, report.skipped):
            try:
                text = renderer.render(post, options)
            except TemplateError as e:
                raise RenderError(f"template error: {e}", source=str(template_dir)) from e
            # a story's file keeps the name the pipeline gave it, whatever the format
            name = Path(record.path).stem + Path(renderer.path_for(post)).suffix
            target = folder / name
            rel = target.relative_to(repo).as_posix()
            current = file_hash(target) if target.exists() else None
            if current == content_hash(text):
                # already there (published before, or by a publish killed before its commit):
                # its title card still goes with it
                action = "unchanged"
            elif target.exists():
                if record.published_hash is None or current != record.published_hash:
                    why = ("exists and was not written by sokbo" if record.published_hash is None
                           else "was edited after sokbo published it")
                    report.conflicts.append(PostOutcome(
                        record.id, post.title, rel, "conflict",
                        f"{rel} {why}; left untouched (restore or delete it to publish again)"))
                    continue
                action = "updated"
            else:
                action = "new"
            report.published.append(PostOutcome(record.id, post.title, rel, action))
            writes.append((record, target, text))
            card = _site_card(settings, repo, site, post)
            if card is not None:
                cards.append(card)

        for _, target, text in writes:
            if not target.exists() or file_hash(target) != content_hash(text):
                atomic_write_text(target, text)
        for target, data in cards:
            if not target.is_file() or target.read_bytes() != data:
                atomic_write_bytes(target, data)

        # the SQLite transaction commits only once git has: a failed commit leaves the posts
        # unpublished in the state, and the files (identical next time) are committed then
        with store.transaction() as db:
            for record, _, text in writes:
                store.set_post_status(record.id, "published", published_hash=content_hash(text),
                                      db=db)
            if writes:
                card_paths = [(None, t.relative_to(repo).as_posix()) for t, _ in cards]
                report.commit = _commit(repo, [(o.title, o.path) for o in report.published],
                                        extra=card_paths)
    if push:
        _push(repo)
        report.pushed = True
    log.info("published %d posts to %s (%d conflicts)", len(report.published), repo,
             len(report.conflicts))
    return report


def _site_card(settings: Settings, repo: Path, site: SiteLayout,
               post: Post) -> tuple[Path, bytes] | None:
    """(where in the repository, PNG bytes) of the post's title card, when its image is one
    served from a path of this site (``card.base_url`` "/assets/cards/" → assets/cards/)."""
    from sokbo.render.card import ensure_card, is_card

    if not is_card(post, settings.card_base_url) or not post.image.startswith("/"):
        return None
    path = ensure_card(settings.out_dir, post, settings.card_theme)
    if path is None:
        return None
    return _static_dir(repo, site) / post.image.lstrip("/"), path.read_bytes()


def _static_dir(repo: Path, site: SiteLayout) -> Path:
    """Where the site serves files from its root ("/assets/…"): static/ in Hugo."""
    return repo / STATIC_DIRS.get(site.kind, "")


def _commit(repo: Path, posts: Sequence[tuple[str, str | None]],
            extra: Sequence[tuple[None, str]] = ()) -> str | None:
    """Stage and commit exactly these post files, and the title cards in ``extra`` (other
    staged changes stay as they are)."""
    paths = [p for _, p in posts if p]
    _git(repo, "add", "--", *paths, *[p for _, p in extra])
    staged = set(_git(repo, "diff", "--cached", "--name-only", "-z", "--relative", "--",
                      *paths, *[p for _, p in extra]).stdout.split("\0"))
    changed = [(title, p) for title, p in posts if p in staged]
    cards = [p for _, p in extra if p in staged]
    if not changed and not cards:
        return None
    subject, body = commit_message([t for t, _ in changed] or ["title cards"])
    _git(repo, "commit", "-q", "-m", subject, "-m", body, "--", *[p for _, p in changed],
         *cards, identity=_identity(repo))
    return _git(repo, "rev-parse", "HEAD").stdout.strip()
