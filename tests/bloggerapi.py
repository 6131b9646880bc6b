"""A local stand-in for the Blogger v3 API and Google's token endpoint, for tests.

It follows the documented shapes (developers.google.com/blogger/docs/3.0/reference/posts):
``POST blogs/{blogId}/posts?isDraft=`` (posts.insert), ``GET …/posts/{postId}?view=`` (get),
``PUT …/posts/{postId}`` (update), ``POST …/posts/{postId}/publish``; a Posts resource is
``{"kind": "blogger#post", "id", "blog": {"id"}, "published", "updated", "url", "selfLink",
"title", "content", "labels", "status"}``; errors are ``{"error": {"code", "message",
"errors": […]}}``; the token endpoint answers a ``refresh_token`` grant with
``{"access_token", "expires_in", "token_type": "Bearer"}``. Every API call needs
``Authorization: Bearer <a token it issued>``.
"""
from __future__ import annotations

import itertools
import json
import secrets
from datetime import datetime, timedelta, timezone
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


def _error(code: int, message: str, reason: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, "errors": [
        {"domain": "global", "reason": reason, "message": message}]}}, status_code=code)


class FakeBlogger:
    """State of one Google account with blogs; ``app`` serves it."""

    def __init__(self, blog_id: str = "4242424242424242") -> None:
        self.blog_id = blog_id
        self.posts: dict[str, dict[str, Any]] = {}
        self.tokens: set[str] = set()
        self.refresh_token = "1//refresh-" + secrets.token_hex(8)
        self.client = ("sokbo-test.apps.example", "client-secret")
        self.calls: list[str] = []
        self._ids = itertools.count(7_000_000_000_000_000_001)
        self._clock = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
        self.base = ""
        self.app = Starlette(routes=[
            Route("/token", self.token, methods=["POST"]),
            Route("/blogger/v3/blogs/{blog}/posts", self.insert, methods=["POST"]),
            Route("/blogger/v3/blogs/{blog}/posts/{post}", self.get, methods=["GET"]),
            Route("/blogger/v3/blogs/{blog}/posts/{post}", self.update, methods=["PUT"]),
            Route("/blogger/v3/blogs/{blog}/posts/{post}/publish", self.publish,
                  methods=["POST"]),
        ])

    def issue(self) -> str:
        token = "ya29." + secrets.token_urlsafe(24)
        self.tokens.add(token)
        return token

    def _now(self) -> str:
        self._clock += timedelta(seconds=1)  # every write is a new "updated" time
        return self._clock.isoformat().replace("+00:00", "Z")

    def _check(self, request: Request) -> JSONResponse | None:
        self.calls.append(f"{request.method} {request.url.path}")
        auth = request.headers.get("authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in self.tokens:
            return _error(401, "Request had invalid authentication credentials.", "authError")
        if request.path_params["blog"] != self.blog_id:
            return _error(404, "Blog not found", "notFound")
        return None

    async def token(self, request: Request) -> JSONResponse:
        form = await request.form()
        if (form.get("grant_type") != "refresh_token"
                or form.get("refresh_token") != self.refresh_token
                or (form.get("client_id"), form.get("client_secret")) != self.client):
            return JSONResponse({"error": "invalid_grant", "error_description": "Bad Request"},
                                status_code=400)
        return JSONResponse({"access_token": self.issue(), "expires_in": 3599,
                             "token_type": "Bearer",
                             "scope": "https://www.googleapis.com/auth/blogger"})

    def _resource(self, post: dict[str, Any]) -> dict[str, Any]:
        return {"kind": "blogger#post", "blog": {"id": self.blog_id},
                "selfLink": f"{self.base}/blogger/v3/blogs/{self.blog_id}/posts/{post['id']}",
                "author": {"id": "1", "displayName": "편집자"}, **post}

    async def insert(self, request: Request) -> JSONResponse:
        if (refused := self._check(request)) is not None:
            return refused
        body = json.loads(await request.body())
        if body.get("kind", "blogger#post") != "blogger#post" or not body.get("content"):
            return _error(400, "Invalid post", "invalid")
        pid = str(next(self._ids))
        draft = request.query_params.get("isDraft") == "true"
        now = self._now()
        self.posts[pid] = {
            "id": pid, "title": body.get("title", ""), "content": body["content"],
            "labels": body.get("labels", []), "published": now, "updated": now,
            "status": "DRAFT" if draft else "LIVE",
            "url": f"https://sokbo-test.blogspot.example/2026/11/{pid}.html"}
        return JSONResponse(self._resource(self.posts[pid]))

    async def get(self, request: Request) -> JSONResponse:
        if (refused := self._check(request)) is not None:
            return refused
        post = self.posts.get(request.path_params["post"])
        if post is None:
            return _error(404, "Not Found", "notFound")
        return JSONResponse(self._resource(post))

    async def update(self, request: Request) -> JSONResponse:
        if (refused := self._check(request)) is not None:
            return refused
        post = self.posts.get(request.path_params["post"])
        if post is None:
            return _error(404, "Not Found", "notFound")
        body = json.loads(await request.body())
        for key in ("title", "content", "labels"):
            if key in body:
                post[key] = body[key]
        post["updated"] = self._now()
        return JSONResponse(self._resource(post))

    async def publish(self, request: Request) -> JSONResponse:
        if (refused := self._check(request)) is not None:
            return refused
        post = self.posts.get(request.path_params["post"])
        if post is None:
            return _error(404, "Not Found", "notFound")
        post["status"] = "LIVE"
        post["published"] = post["updated"] = self._now()
        return JSONResponse(self._resource(post))

    def edit_by_hand(self, post_id: str, content: str) -> None:
        """What the blog owner does in Blogger's own editor."""
        self.posts[post_id]["content"] = content
        self.posts[post_id]["updated"] = self._now()
