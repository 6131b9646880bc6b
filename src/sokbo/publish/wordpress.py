"""WordPress through its REST API (``/wp-json/wp/v2``), logged in with an application password.

The password comes from ``SOKBO_WP_APP_PASSWORD`` or a file (``user:password`` or just the
password); it is sent only as HTTP Basic auth, never stored, logged or printed. Posts go up as
drafts unless asked otherwise; an update never lowers a post's status (a post published in
WordPress stays published). Categories and tags are created when missing; the title card is
uploaded as the featured image (again only when it changed); the sources and the lint result
go into post meta (``sokbo_sources``, ``sokbo_lint``, ``sokbo_story``), which WordPress keeps
only for keys a plugin registers: ``sokbo-meta.php`` beside this file, as a must-use plugin.
"""
from __future__ import annotations

import html
import logging
import os
import stat
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from sokbo import __version__
from sokbo.errors import PublishError
from sokbo.models import content_hash
from sokbo.publish.remote import Outgoing, PostRefused, RemotePost, with_card_url
from sokbo.store import RemotePostRecord

log = logging.getLogger(__name__)

__all__ = ["WordPress", "wordpress_credentials"]

PASSWORD_ENV = "SOKBO_WP_APP_PASSWORD"
USER_ENV = "SOKBO_WP_USER"
STATUSES = ("draft", "pending", "private", "publish")
# a post's status only ever goes up this ladder on an update
_RANK = {"draft": 0, "pending": 1, "private": 2, "future": 3, "publish": 3}
API_LINK_REL = "https://api.w.org/"


def wordpress_credentials(user: str | None, password_file: Path | None) -> tuple[str, str]:
    """(user, application password) from ``--wp-user``/``SOKBO_WP_USER`` and the password
    file or ``SOKBO_WP_APP_PASSWORD``; a PublishError saying what is missing otherwise."""
    password = None
    if password_file is not None:
        try:
            raw = password_file.read_text("utf-8")
            mode = password_file.stat().st_mode
        except (OSError, UnicodeDecodeError) as e:
            why = e.strerror if isinstance(e, OSError) else "not UTF-8 text"
            raise PublishError(f"cannot read the password file: {why}",
                               source=str(password_file)) from e
        if mode & (stat.S_IRGRP | stat.S_IROTH):
            log.warning("%s is readable by other users; chmod 600 it", password_file)
        line = next((ln.strip() for ln in raw.splitlines() if ln.strip()), "")
        if ":" in line and not user:
            user, line = line.split(":", 1)
        elif ":" in line:
            line = line.split(":", 1)[1]
        password = line.strip()
    else:
        password = os.environ.get(PASSWORD_ENV, "").strip() or None
    user = (user or os.environ.get(USER_ENV, "")).strip()
    if not password:
        raise PublishError(f"no WordPress application password: set {PASSWORD_ENV} or pass "
                           "--wp-password-file FILE (WordPress: Users → Profile → Application "
                           "Passwords)")
    if not user:
        raise PublishError(f"no WordPress user: pass --wp-user NAME, set {USER_ENV}, or write "
                           "user:password in the password file")
    return user, password


class WordPress:
    """A WordPress site's REST API; ``send`` creates or updates one post."""

    def __init__(self, url: str, user: str, password: str, *, timeout: float = 30.0,
                 user_agent: str = f"sokbo/{__version__}",
                 transport: httpx.BaseTransport | None = None) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise PublishError(f"not a WordPress address: {url!r} (https://blog.example/)")
        self.url = url.rstrip("/")
        self.user = user
        self.label = f"WordPress {parts.netloc}"
        self.target = f"wordpress {parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"
        # the password lives only inside the client's auth; no attribute holds it
        self.http = httpx.Client(auth=(user, password), timeout=timeout, follow_redirects=True,
                                 headers={"User-Agent": user_agent}, transport=transport)
        self._terms: dict[tuple[str, str], int] = {}
        self._root: str | None = None

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> WordPress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- requests -------------------------------------------------------------------------

    def root(self) -> str:
        """The REST API root, found the way WordPress advertises it (the ``Link`` header of
        the site, rel ``https://api.w.org/``); ``/wp-json/`` when the site says nothing."""
        if self._root is None:
            if "/wp-json" in self.url or "rest_route=" in self.url:
                self._root = self.url if self.url.endswith("/") else self.url + "/"
            else:
                try:
                    head = self.http.head(self.url + "/", auth=None)
                except httpx.HTTPError as e:
                    raise PublishError(f"cannot reach {self.url}: {_why(e)}") from e
                link = head.links.get(API_LINK_REL, {}).get("url")
                self._root = link or self.url + "/wp-json/"
        return self._root

    def _url(self, route: str) -> str:
        root = self.root()
        return root + route if "rest_route=" not in root else root.rstrip("/") + "/" + route

    def call(self, method: str, route: str, *, ok: tuple[int, ...] = (200, 201),
             **kw: Any) -> Any:
        """One API call; its JSON. Login and network failures stop the run (PublishError);
        a refused request is PostRefused, with WordPress's own message."""
        try:
            r = self.http.request(method, self._url(route), **kw)
        except httpx.HTTPError as e:
            raise PublishError(f"cannot reach {self.label}: {_why(e)}") from e
        if r.status_code in ok:
            try:
                return r.json()
            except ValueError as e:
                raise PublishError(f"{self.label} answered {route} with something other "
                                   "than JSON; is this the WordPress address?") from e
        code, message = _error(r)
        if r.status_code in (401, 403) and code in (
                "rest_not_logged_in", "invalid_username", "incorrect_password",
                "application_passwords_disabled", "rest_forbidden", "rest_cannot_create",
                "invalid_email", ""):
            hint = (" (application passwords need https, or a local site)"
                    if self.url.startswith("http://") else "")
            raise PublishError(f"{self.label} refused user {self.user!r}: {message or code}"
                               f"{hint}")
        if r.status_code == 404 and code == "rest_no_route":
            raise PublishError(f"{self.label} has no REST route {route} (is the REST API "
                               "turned off, or is this not WordPress?)")
        if r.status_code >= 500:
            raise PublishError(f"{self.label} failed on {method} {route}: HTTP {r.status_code}"
                               f" {message}".rstrip())
        raise PostRefused(f"{self.label} refused {method} {route}: HTTP {r.status_code} "
                          f"{code} {message}".strip())

    def check_login(self) -> dict[str, Any]:
        """The logged-in user (proves the password before anything is sent)."""
        return self.call("GET", "wp/v2/users/me", params={"context": "edit"})

    # --- terms and media ------------------------------------------------------------------

    def term_id(self, taxonomy: str, name: str) -> int:
        """The id of the category or tag ``name``, created when the site has none."""
        key = (taxonomy, name)
        if key not in self._terms:
            found = self.call("GET", f"wp/v2/{taxonomy}",
                              params={"search": name, "per_page": 100, "context": "edit"})
            match = next((t for t in found if html.unescape(t.get("name", "")) == name), None)
            if match is None:
                try:
                    match = self.call("POST", f"wp/v2/{taxonomy}", json={"name": name})
                except PostRefused as e:  # created meanwhile: WordPress names the term
                    raise PublishError(f"cannot create {taxonomy[:-1]} {name!r}: {e}") from e
            self._terms[key] = int(match["id"])
        return self._terms[key]

    def upload_card(self, out: Outgoing) -> tuple[str, str]:
        """Upload the title card PNG; (media id, its URL)."""
        media = self.call(
            "POST", "wp/v2/media", content=out.card,
            params={"alt_text": out.image_alt or out.title, "title": out.title},
            headers={"Content-Type": "image/png",
                     "Content-Disposition": f'attachment; filename="sokbo-{out.story_id}.png"'})
        return str(media["id"]), str(media.get("source_url") or "")

    def delete_media(self, media_id: str) -> None:
        try:
            self.call("DELETE", f"wp/v2/media/{media_id}", params={"force": "true"},
                      ok=(200, 404, 410))
        except PublishError as e:  # an old card left behind is harmless
            log.info("old title card %s not deleted: %s", media_id, e)

    # --- posts ----------------------------------------------------------------------------

    def _remote(self, data: dict[str, Any], meta_sent: bool = False) -> RemotePost:
        meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
        return RemotePost(
            id=str(data["id"]), url=str(data.get("link") or ""),
            modified=str(data.get("modified_gmt") or data.get("modified") or ""),
            status=str(data.get("status") or ""), fingerprint=_fingerprint(data),
            trashed=data.get("status") == "trash",
            meta_kept=not meta_sent or "sokbo_story" in meta,
            media_id=str(data["featured_media"]) if data.get("featured_media") else None)

    def fetch(self, remote_id: str) -> RemotePost | None:
        try:
            data = self.call("GET", f"wp/v2/posts/{remote_id}", params={"context": "edit"})
        except PostRefused as e:
            if "rest_post_invalid_id" in str(e) or " 404 " in str(e) or " 410 " in str(e):
                return None
            raise
        return self._remote(data)

    def find(self, out: Outgoing) -> RemotePost | None:
        """A post with this story's slug and ``sokbo_story`` meta (needs the meta plugin)."""
        found = self.call("GET", "wp/v2/posts", params={
            "slug": out.slug, "status": "any", "context": "edit", "per_page": 10})
        for data in found:
            if (data.get("meta") or {}).get("sokbo_story") == out.story_id:
                return self._remote(data)
        return None

    def send(self, out: Outgoing, status: str, previous: RemotePostRecord | None,
             current: RemotePost | None) -> RemotePost:
        if status not in STATUSES:
            raise PublishError(f"WordPress status must be one of {', '.join(STATUSES)}")
        body: dict[str, Any] = {
            "title": out.title,
            # the card is the featured image, which themes show above the post: the body
            # does not show it a second time
            "content": with_card_url(out.body, ""),
            "excerpt": out.excerpt,
            "categories": [self.term_id("categories", c) for c in out.categories],
            "tags": [self.term_id("tags", t) for t in out.tags],
            "meta": out.meta(),
        }
        media_id = previous.media_id if previous else (current.media_id if current else None)
        old_media = None
        if out.card is not None and (previous is None or previous.media_hash != out.card_hash
                                     or not media_id):
            old_media = media_id
            media_id, _ = self.upload_card(out)
        if media_id and out.card is not None:
            body["featured_media"] = int(media_id)
        if current is None:
            body["status"] = status
            body["slug"] = out.slug
            data = self.call("POST", "wp/v2/posts", json=body)
        else:
            if _RANK.get(status, 0) > _RANK.get(current.status, 0):
                body["status"] = status  # up (draft → publish), never down
            data = self.call("POST", f"wp/v2/posts/{current.id}", json=body)
        if old_media and old_media != media_id:
            self.delete_media(old_media)
        sent = self._remote(data, meta_sent=True)
        return RemotePost(sent.id, sent.url, sent.modified, sent.status, sent.fingerprint,
                          sent.trashed, sent.meta_kept,
                          media_id if out.card is not None else sent.media_id)


def _fingerprint(data: dict[str, Any]) -> str:
    """Hash of a post's title and content as stored (``raw``, with ``context=edit``)."""
    def raw(key: str) -> str:
        value = data.get(key)
        if isinstance(value, dict):
            return str(value.get("raw", value.get("rendered", "")))
        return str(value or "")

    return content_hash(raw("title"), raw("content"))


def _error(r: httpx.Response) -> tuple[str, str]:
    """(code, message) of a WordPress error answer."""
    try:
        data = r.json()
    except ValueError:
        return "", ""
    if not isinstance(data, dict):
        return "", ""
    message = html.unescape(str(data.get("message", "")))
    return str(data.get("code", "")), " ".join(message.split())[:300]


def _why(e: httpx.HTTPError) -> str:
    return type(e).__name__ if not str(e) else " ".join(str(e).split())[:200]
