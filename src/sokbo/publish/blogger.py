"""Blogger through its v3 API (``blogger/v3/blogs/{blogId}/posts``), with an OAuth 2 token file.

The token file is the JSON an OAuth client writes (``token``/``access_token``, and for
refreshing ``refresh_token``, ``client_id``, ``client_secret``, ``token_uri``, ``expiry``): an
expired token is refreshed and the file rewritten in place, keeping its mode. Posts go up as
drafts (``isDraft=true``) unless asked to publish; an update never takes a live post back to
draft. Labels are the post's categories and tags. The API has no image upload: the title card
appears in the body only when ``card.base_url`` is an http(s) URL where the cards are served.
Tested against a local server that follows the documented request and response shapes.
"""
from __future__ import annotations

import json
import logging
import os
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx

from sokbo import __version__
from sokbo.errors import PublishError
from sokbo.fsutil import atomic_write_text
from sokbo.models import content_hash
from sokbo.publish.remote import Outgoing, PostRefused, RemotePost
from sokbo.store import RemotePostRecord

log = logging.getLogger(__name__)

__all__ = ["Blogger", "BloggerToken"]

API = "https://www.googleapis.com/blogger/v3/"
TOKEN_URI = "https://oauth2.googleapis.com/token"
API_ENV = "SOKBO_BLOGGER_API"  # another API root (a test server)
STATUSES = ("draft", "publish")


class BloggerToken:
    """An OAuth 2 access token read from a file, refreshed when it has expired."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.data: dict[str, Any] = json.loads(path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as e:
            why = e.strerror if isinstance(e, OSError) else "not a JSON token file"
            raise PublishError(f"cannot read the Blogger token file: {why}",
                               source=str(path)) from e
        if not isinstance(self.data, dict):
            raise PublishError("the Blogger token file is not a JSON object", source=str(path))
        if not (self.access or self.data.get("refresh_token")):
            raise PublishError("the Blogger token file has neither an access token nor a "
                               "refresh token", source=str(path))

    @property
    def access(self) -> str:
        return str(self.data.get("token") or self.data.get("access_token") or "")

    def expired(self) -> bool:
        expiry = self.data.get("expiry")
        if not expiry:
            return not self.access
        try:
            when = datetime.fromisoformat(str(expiry).replace("Z", "+00:00"))
        except ValueError:
            return True
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return when <= datetime.now(timezone.utc) + timedelta(seconds=60)

    def refresh(self, http: httpx.Client) -> None:
        """A new access token from the refresh token; the file is rewritten with it."""
        need = ("refresh_token", "client_id", "client_secret")
        if not all(self.data.get(k) for k in need):
            raise PublishError("the Blogger access token has expired and the token file "
                               "cannot refresh it (needs refresh_token, client_id and "
                               "client_secret)", source=str(self.path))
        try:
            r = http.post(str(self.data.get("token_uri") or TOKEN_URI), data={
                "grant_type": "refresh_token", "refresh_token": self.data["refresh_token"],
                "client_id": self.data["client_id"],
                "client_secret": self.data["client_secret"]})
        except httpx.HTTPError as e:
            raise PublishError(f"cannot refresh the Blogger token: {type(e).__name__}") from e
        answer = _json(r)
        if r.status_code != 200 or not answer.get("access_token"):
            why = answer.get("error_description") or answer.get("error") or r.status_code
            raise PublishError(f"Google refused to refresh the Blogger token: {why}",
                               source=str(self.path))
        self.data["token"] = answer["access_token"]
        self.data.pop("access_token", None)
        if answer.get("expires_in"):
            expiry = datetime.now(timezone.utc) + timedelta(seconds=int(answer["expires_in"]))
            self.data["expiry"] = expiry.replace(microsecond=0).isoformat()
        mode = stat.S_IMODE(self.path.stat().st_mode)
        atomic_write_text(self.path, json.dumps(self.data, indent=2) + "\n")
        os.chmod(self.path, mode)


class Blogger:
    """One Blogger blog; ``send`` creates or updates one post."""

    def __init__(self, blog_id: str, token_file: Path, *, timeout: float = 30.0,
                 user_agent: str = f"sokbo/{__version__}", api: str | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        if not blog_id.strip().isdigit():
            raise PublishError(f"a Blogger blog id is a number (Blogger → Settings), not "
                               f"{blog_id[:40]!r}")
        self.blog_id = blog_id.strip()
        self.api = (api or os.environ.get(API_ENV) or API).rstrip("/") + "/"
        self.label = f"Blogger blog {self.blog_id}"
        self.target = f"blogger {self.blog_id}"
        self.token = BloggerToken(token_file)
        self.http = httpx.Client(timeout=timeout, headers={"User-Agent": user_agent},
                                 transport=transport)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Blogger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def call(self, method: str, path: str, **kw: Any) -> Any:
        if self.token.expired():
            self.token.refresh(self.http)
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {self.token.access}"}
            try:
                r = self.http.request(method, self.api + path, headers=headers, **kw)
            except httpx.HTTPError as e:
                raise PublishError(f"cannot reach the Blogger API: {type(e).__name__}") from e
            if r.status_code == 401 and attempt == 1 and self.token.data.get("refresh_token"):
                self.token.refresh(self.http)  # revoked or expired early: one fresh try
                continue
            break
        if r.status_code in (200, 201):
            return _json(r)
        message = _message(r)
        if r.status_code in (401, 403):
            raise PublishError(f"{self.label} refused the token: {message}")
        if r.status_code >= 500:
            raise PublishError(f"{self.label} failed on {method} {path}: HTTP "
                               f"{r.status_code} {message}".rstrip())
        raise PostRefused(f"{self.label} refused {method} {path}: HTTP {r.status_code} "
                          f"{message}".rstrip())

    def _remote(self, data: dict[str, Any]) -> RemotePost:
        return RemotePost(
            id=str(data["id"]), url=str(data.get("url") or ""),
            modified=str(data.get("updated") or ""), status=str(data.get("status") or ""),
            fingerprint=content_hash(str(data.get("title", "")), str(data.get("content", ""))),
            trashed=str(data.get("status", "")).upper() == "SOFT_TRASHED")

    def fetch(self, remote_id: str) -> RemotePost | None:
        try:
            data = self.call("GET", f"blogs/{self.blog_id}/posts/{remote_id}",
                             params={"view": "AUTHOR"})
        except PostRefused as e:
            if "HTTP 404" in str(e):
                return None
            raise
        return self._remote(data)

    def find(self, out: Outgoing) -> RemotePost | None:
        return None  # Blogger keeps no field of ours to recognise a post by

    def send(self, out: Outgoing, status: str, previous: RemotePostRecord | None,
             current: RemotePost | None) -> RemotePost:
        if status not in STATUSES:
            raise PublishError(f"Blogger status must be one of {', '.join(STATUSES)}")
        from sokbo.publish.remote import with_card_url

        body = {"kind": "blogger#post", "blog": {"id": self.blog_id}, "title": out.title,
                "content": with_card_url(out.body, out.image),
                "labels": list(dict.fromkeys((*out.categories, *out.tags)))}
        if current is None:
            data = self.call("POST", f"blogs/{self.blog_id}/posts",
                             params={"isDraft": "true" if status == "draft" else "false"},
                             json=body)
        else:
            body["id"] = current.id
            data = self.call("PUT", f"blogs/{self.blog_id}/posts/{current.id}", json=body)
            if status == "publish" and str(data.get("status", "")).upper() == "DRAFT":
                data = self.call("POST", f"blogs/{self.blog_id}/posts/{current.id}/publish")
        return self._remote(data)


def _json(r: httpx.Response) -> dict[str, Any]:
    try:
        data = r.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _message(r: httpx.Response) -> str:
    """Google's error message: ``{"error": {"code": …, "message": …}}``."""
    error = _json(r).get("error")
    if isinstance(error, dict):
        return " ".join(str(error.get("message", "")).split())[:300]
    return ""
