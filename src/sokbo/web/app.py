"""The review web app: list posts, show each beside its sources, approve/reject/edit/publish.

``create_app`` builds a Starlette app; ``sokbo serve`` runs it with uvicorn on 127.0.0.1.
Pages are GET; every state change is a POST form with a CSRF token (see ``security``).
One exception handler turns every error into an HTML page with its status, never a traceback.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from sokbo import __version__
from sokbo.config import Settings
from sokbo.errors import SokboError, StoreError
from sokbo.render.common import kst
from sokbo.web import review
from sokbo.web.security import CSRF_FIELD, Csrf, SecurityHeaders

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")  # Host header forms (IPv6 bracketed)
MAX_FORM_BYTES = 64 * 1024

_HTTP_TITLES = {
    400: "잘못된 요청 (Bad request)",
    403: "거부됨 (Forbidden)",
    404: "찾을 수 없음 (Not found)",
    405: "허용되지 않는 방법 (Method not allowed)",
    409: "지금은 할 수 없음 (Conflict)",
    413: "요청이 너무 큼 (Payload too large)",
    500: "서버 오류 (Server error)",
    503: "지금은 쓸 수 없음 (Unavailable)",
}
_HTTP_MESSAGES = {
    403: "보안 토큰이 없거나 맞지 않습니다. 페이지를 새로 고친 뒤 다시 하세요 "
         "(missing or invalid CSRF token: reload the page and retry).",
    404: "그런 페이지가 없습니다 (no such page).",
    405: "이 주소는 양식 제출(POST)로만 쓸 수 있습니다 (this URL only accepts POST).",
}


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("sokbo.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["kst"] = kst  # every time a person reads is shown in KST
    env.globals.update(status_labels=review.STATUS_LABELS, version=__version__,
                       csrf_field=CSRF_FIELD)
    return env


class ReviewApp:
    """Request handlers sharing the settings, the site repository and the CSRF secret."""

    def __init__(self, settings: Settings, site_repo: Path | None) -> None:
        self.ctx = review.ReviewContext(settings=settings, site_repo=site_repo)
        self.csrf = Csrf()
        self.env = _environment()

    # --- rendering ------------------------------------------------------------------------

    def page(self, request: Request, template: str, status_code: int = 200,
             headers: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
        """Render a page; give the browser a session cookie when it has none."""
        sid = self.csrf.session_of(request)
        new = sid is None
        if sid is None:
            sid = self.csrf.new_session()
        context.setdefault("read_only", None)
        html = self.env.get_template(template).render(
            request=request, csrf_token=self.csrf.token(sid), site_repo=self.ctx.site_repo,
            **context,
        )
        response = HTMLResponse(html, status_code=status_code, headers=headers)
        if new:
            self.csrf.set_cookie(response, sid)
        return response

    def error_page(self, request: Request, status: int, message: str, *, title: str | None = None,
                   reasons: Sequence[str] = (), headers: dict[str, str] | None = None
                   ) -> HTMLResponse:
        return self.page(request, "error.html", status_code=status, headers=headers,
                         title=title or _HTTP_TITLES.get(status, f"오류 {status}"),
                         status=status, message=message, reasons=list(reasons))

    # --- pages ----------------------------------------------------------------------------

    async def index(self, request: Request) -> Response:
        status = request.query_params.get("status") or None
        if status is not None and status not in review.STATUS_LABELS:
            raise review.BadRequest(f"알 수 없는 상태입니다: {status} (unknown status).")
        rows = await run_in_threadpool(self._stories)
        read_only = await run_in_threadpool(self.ctx.read_only)
        counts: dict[str, int] = {}
        for r in rows:
            counts[r.record.status] = counts.get(r.record.status, 0) + 1
        shown = [r for r in rows if status is None or r.record.status == status]
        return self.page(request, "index.html", rows=shown, counts=counts, total=len(rows),
                         current=status, status_order=review.STATUS_ORDER,
                         out_dir=self.ctx.settings.out_dir, read_only=read_only)

    def _stories(self) -> list[review.StoryRow]:
        with self.ctx.store() as store:
            return review.list_stories(store)

    async def post(self, request: Request) -> Response:
        post_id = request.path_params["post_id"]
        view = await run_in_threadpool(self._post_view, post_id)
        msg = review.MESSAGES.get(request.query_params.get("msg", ""))
        preview_html = ""
        if view.preview is not None:
            preview_html = review.sanitize_preview(
                self.env.get_template("_preview.html").render(p=view.preview))
        return self.page(request, "post.html", view=view, message=msg,
                         preview_html=preview_html, title_max=self.ctx.settings.title_max_chars,
                         sentence_max=review.SENTENCE_MAX_CHARS, read_only=view.read_only)

    def _post_view(self, post_id: int) -> review.PostView:
        read_only = self.ctx.read_only()
        with self.ctx.store() as store:
            return review.post_view(store, post_id, read_only=read_only)

    async def health(self, request: Request) -> Response:
        return PlainTextResponse("ok")

    # --- actions --------------------------------------------------------------------------

    async def action(self, request: Request, name: str) -> Response:
        form = await self._form(request)
        if not self.csrf.valid(request, form.get(CSRF_FIELD)):
            raise HTTPException(403)
        post_id = request.path_params["post_id"]
        why = await run_in_threadpool(self.ctx.read_only)
        if why:
            raise review.ReadOnly("출력 폴더나 상태 데이터베이스에 쓸 수 없어 글을 볼 수만 "
                                  "있습니다 (read-only: actions are unavailable).",
                                  reasons=[why])
        key = await run_in_threadpool(review.ACTIONS[name], self.ctx, post_id, form)
        log.info("review: %s post %s → %s", name, post_id, key)
        return RedirectResponse(f"/posts/{post_id}?msg={key}", status_code=303)

    async def _form(self, request: Request) -> dict[str, str]:
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype not in ("application/x-www-form-urlencoded", "multipart/form-data"):
            raise review.BadRequest("양식 제출이 아닙니다 (expected an HTML form submission).")
        try:
            length = int(request.headers.get("content-length", "0"))
        except ValueError as e:
            raise review.BadRequest("잘못된 Content-Length입니다 (bad Content-Length).") from e
        if length > MAX_FORM_BYTES:
            raise HTTPException(413, "양식이 너무 큽니다 (form too large).")
        # a chunked body has no Content-Length: read it here, within the same limit
        size, chunks = 0, []
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_FORM_BYTES:
                raise HTTPException(413, "양식이 너무 큽니다 (form too large).")
            chunks.append(chunk)
        request._body = b"".join(chunks)  # Request.form() reads the cached body
        try:
            form = await request.form(max_files=0, max_fields=20, max_part_size=MAX_FORM_BYTES)
        except HTTPException:
            raise
        except Exception as e:  # multipart parser errors: malformed body
            raise review.BadRequest("양식을 읽을 수 없습니다 (malformed form).") from e
        out: dict[str, str] = {}
        for k, v in form.multi_items():
            if not isinstance(v, str):
                raise review.BadRequest("파일은 받지 않습니다 (no file uploads).")
            out.setdefault(k, v)
        return out

    # --- errors ---------------------------------------------------------------------------

    async def handle_error(self, request: Request, exc: Exception) -> Response:
        """The one error handler: every failure becomes a page with a status, no traceback."""
        if isinstance(exc, review.ReviewError):
            return self.error_page(request, exc.status, str(exc), title=exc.title,
                                   reasons=exc.reasons)
        if isinstance(exc, HTTPException):
            detail = exc.detail if exc.detail and exc.status_code in (400, 413) else None
            return self.error_page(
                request, exc.status_code,
                detail or _HTTP_MESSAGES.get(exc.status_code, str(exc.detail)),
                headers=dict(exc.headers) if exc.headers else None,
            )
        if isinstance(exc, SokboError):
            log.warning("review: %s", exc)
            status = 503 if isinstance(exc, StoreError) else 500
            return self.error_page(request, status, str(exc))
        log.exception("review page failed: %s %s", request.method, request.url.path)
        return self.error_page(request, 500, "예기치 못한 오류가 났습니다; 서버 로그를 "
                               "보세요 (unexpected error: see the server log).")


def create_app(settings: Settings, *, site_repo: Path | None = None,
               allowed_hosts: Sequence[str] | None = None) -> Starlette:
    """The review app for the state database in ``settings.out_dir``.

    Args:
        site_repo: the Jekyll/Hugo site checkout the publish action commits to; without it
            the page can review but not publish.
        allowed_hosts: Host header values to answer (default: loopback names only, which
            also stops DNS-rebinding pages from driving the review page). ``["*"]`` for any.
    """
    app_ = ReviewApp(settings, site_repo)
    routes = [
        Route("/", app_.index, methods=["GET"], name="index"),
        Route("/posts/{post_id:int}", app_.post, methods=["GET"], name="post"),
        Route("/healthz", app_.health, methods=["GET"], name="health"),
        Mount("/static", app=StaticFiles(directory=STATIC_DIR), name="static"),
        # title cards, as the blog serves them at card.base_url's default path
        Mount("/assets/cards", app=StaticFiles(directory=settings.out_dir / "assets" / "cards",
                                               check_dir=False), name="cards"),
    ]
    for name in review.ACTIONS:
        routes.append(Route(f"/posts/{{post_id:int}}/{name}", partial(app_.action, name=name),
                            methods=["POST"], name=f"post-{name}"))
    hosts = list(allowed_hosts) if allowed_hosts is not None else list(LOOPBACK_HOSTS)
    return Starlette(
        routes=routes,
        middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=hosts),
                    Middleware(SecurityHeaders)],
        exception_handlers={Exception: app_.handle_error, HTTPException: app_.handle_error,
                            review.ReviewError: app_.handle_error,
                            SokboError: app_.handle_error},
    )
