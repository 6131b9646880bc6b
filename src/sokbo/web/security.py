"""CSRF tokens and response headers for the review page.

CSRF design: each browser gets a random session id in an HttpOnly, SameSite=Strict cookie.
Every form carries ``csrf = HMAC-SHA256(server secret, session id)``; the secret is random per
server process and never leaves it. A POST is accepted only when the cookie is present and the
token matches it (constant-time compare), and when a browser-sent ``Origin`` /
``Sec-Fetch-Site`` does not name another site. Another site can neither read the cookie nor
compute the HMAC, so it cannot forge a form; restarting the server invalidates open forms.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = "sokbo_review"
CSRF_FIELD = "csrf"
_SID = re.compile(r"[A-Za-z0-9_-]{32,64}")

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' https: http: data:; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
# style-src needs 'unsafe-inline' for the post body's own style="color: …" attributes
# (the blog format uses them); scripts stay same-origin files only.


class Csrf:
    """Session ids and the form tokens bound to them."""

    def __init__(self, secret: bytes | None = None) -> None:
        self._secret = secret or secrets.token_bytes(32)

    @staticmethod
    def new_session() -> str:
        return secrets.token_urlsafe(32)

    def token(self, session_id: str) -> str:
        return hmac.new(self._secret, b"csrf:" + session_id.encode("ascii"),
                        hashlib.sha256).hexdigest()

    def session_of(self, request: Request) -> str | None:
        """The request's session id, or None when the cookie is missing or malformed."""
        sid = request.cookies.get(SESSION_COOKIE, "")
        return sid if _SID.fullmatch(sid) else None

    def valid(self, request: Request, submitted: str | None) -> bool:
        sid = self.session_of(request)
        if sid is None or not submitted or not _same_origin(request):
            return False
        # bytes: compare_digest refuses non-ASCII str, and the field is whatever was sent
        return hmac.compare_digest(self.token(sid).encode("ascii"),
                                   submitted.encode("utf-8", "surrogatepass"))

    @staticmethod
    def set_cookie(response: Response, session_id: str) -> None:
        response.set_cookie(SESSION_COOKIE, session_id, httponly=True, samesite="strict",
                            path="/")


def _same_origin(request: Request) -> bool:
    """False when the browser says the request comes from another site.

    ``Origin: null`` (privacy settings, some redirects) proves nothing either way, so it is
    left to the token; the headers only add a second, independent refusal.
    """
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return True
    return urlsplit(origin).netloc == request.headers.get("host", "")


class SecurityHeaders:
    """Adds CSP and the usual hardening headers to every response (pure ASGI middleware)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"same-origin"),  # source links get no referrer
                    (b"cache-control", b"no-store"),
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
