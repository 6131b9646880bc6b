"""A real HTTP server on 127.0.0.1 for tests: configurable routes, fault injection, request log.

Usage::

    from loopback import LoopbackServer, Reply

    with LoopbackServer() as srv:
        srv.route("/feed.xml", body=xml_bytes, content_type="application/rss+xml")
        srv.route_replies("/flaky", Reply(status=500), Reply(body=b"ok"))   # last one repeats
        srv.route_reply("/slow", Reply(body=b"late", delay=2.0))
        srv.route_handler("/echo", lambda req: Reply(body=req.path.encode()))
        fetch(srv.url("/feed.xml"))
        assert srv.requests_for("/feed.xml")[0].header("User-Agent")

Fault modes are fields of ``Reply`` (``delay``, ``drip_interval``, ``declared_length``,
``send_length``) plus helpers ``redirect()``, ``drip_forever()``, ``truncated()``,
``endless()``. Routes with an ``ETag``/``Last-Modified`` header answer conditional
requests with 304, like a real server.
"""
from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

__all__ = [
    "LoopbackServer",
    "Reply",
    "Request",
    "drip_forever",
    "endless",
    "redirect",
    "truncated",
]


@dataclass(frozen=True)
class Request:
    """One request as the server saw it; ``headers`` keys are lower-case."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    time: float  # time.monotonic() when the request line was read

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass(frozen=True)
class Reply:
    """What to send back. Defaults: 200, empty body, correct Content-Length."""

    status: int = 200
    body: bytes | str = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before sending anything (timeouts)
    drip_interval: float | None = None  # send the body one byte at a time with this pause
    drip_forever: bool = False  # with drip_interval: keep sending the body's bytes in a cycle
    declared_length: int | None = None  # Content-Length to announce if not len(body)
    send_length: bool = True  # False: no Content-Length, the connection close ends the body
    chunks: Callable[[], Iterable[bytes]] | None = None  # a body made on the fly (huge/endless)

    def body_bytes(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


def redirect(location: str, status: int = 302) -> Reply:
    return Reply(status=status, headers={"Location": location})


def drip_forever(interval: float = 0.2, byte: bytes = b"x") -> Reply:
    """A 200 whose body never ends: one byte every ``interval`` seconds."""
    return Reply(body=byte, drip_interval=interval, drip_forever=True, send_length=False)


def truncated(body: bytes, declared_length: int) -> Reply:
    """Announce ``declared_length`` bytes, send ``body``, then close the connection."""
    return Reply(body=body, declared_length=declared_length)


def endless(chunk: bytes = b"x" * 65536) -> Reply:
    """A 200 that streams ``chunk`` as fast as the client reads, forever, with no length."""

    def forever() -> Iterator[bytes]:
        while True:
            yield chunk

    return Reply(chunks=forever, send_length=False)


_Handler = Callable[[Request], Reply]


class LoopbackServer:
    """A threaded HTTP/1.1 server on a random free port of 127.0.0.1.

    Unknown paths get 404. Handlers run in server threads; keep them simple and fast.
    """

    def __init__(self, host: str = "127.0.0.1") -> None:
        self._routes: dict[str, _Handler] = {}
        self._log: list[Request] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._server = _Server((host, 0), _make_handler_class(self))
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> LoopbackServer:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wake sleeping handlers and close open connections."""
        self._stopping.set()
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        with self._lock:
            conns = list(self._connections)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._server.server_close()

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- addresses ----------------------------------------------------------------------------

    @property
    def host(self) -> str:
        return str(self._server.server_address[0])

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + (path if path.startswith("/") else "/" + path)

    # -- routes -------------------------------------------------------------------------------

    def route(
        self,
        path: str,
        body: bytes | str = b"",
        *,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        content_type: str | None = None,
        delay: float = 0.0,
    ) -> None:
        """Serve a static body (str bodies are sent as UTF-8)."""
        all_headers = dict(headers or {})
        if content_type is not None:
            all_headers["Content-Type"] = content_type
        self.route_reply(path, Reply(status=status, body=body, headers=all_headers, delay=delay))

    def route_reply(self, path: str, reply: Reply) -> None:
        """Serve the same ``Reply`` for every request to ``path``."""
        self.route_handler(path, lambda _req: reply)

    def route_replies(self, path: str, *replies: Reply) -> None:
        """Serve ``replies`` in order, one per request; the last one repeats."""
        if not replies:
            raise ValueError("route_replies needs at least one Reply")
        queue = list(replies)
        lock = threading.Lock()

        def next_reply(_req: Request) -> Reply:
            with lock:
                return queue.pop(0) if len(queue) > 1 else queue[0]

        self.route_handler(path, next_reply)

    def route_handler(self, path: str, handler: _Handler) -> None:
        """Answer requests to ``path`` (query string included or not) with ``handler(req)``."""
        with self._lock:
            self._routes[path] = handler

    # -- request log --------------------------------------------------------------------------

    @property
    def requests(self) -> list[Request]:
        with self._lock:
            return list(self._log)

    def requests_for(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path or r.path.split("?")[0] == path]

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()

    # -- used by the handler ------------------------------------------------------------------

    def _record(self, request: Request) -> None:
        with self._lock:
            self._log.append(request)

    def _lookup(self, path: str) -> _Handler | None:
        with self._lock:
            return self._routes.get(path) or self._routes.get(path.split("?")[0])

    def _track(self, conn: socket.socket, add: bool) -> None:
        with self._lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: object, client_address: object) -> None:
        # Clients hanging up mid-body is what fault tests do; don't print tracebacks for it.
        pass


def _make_handler_class(owner: LoopbackServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = 10  # idle keep-alive connections give up eventually

        def setup(self) -> None:
            super().setup()
            owner._track(self.connection, add=True)

        def finish(self) -> None:
            owner._track(self.connection, add=False)
            try:
                super().finish()
            except OSError:
                pass

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep pytest output clean

        def do_GET(self) -> None:
            self._serve(send_body=True)

        def do_HEAD(self) -> None:
            self._serve(send_body=False)

        def do_POST(self) -> None:
            self._serve(send_body=True)

        def _serve(self, *, send_body: bool) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            request = Request(
                method=self.command,
                path=self.path,
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
                time=time.monotonic(),
            )
            owner._record(request)
            handler = owner._lookup(self.path)
            try:
                reply = handler(request) if handler else Reply(status=404, body=b"not found")
            except Exception as exc:  # a broken test handler should show up as a 500, not a hang
                reply = Reply(status=500, body=f"handler failed: {exc!r}")
            try:
                self._send(request, reply, send_body=send_body)
            except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, OSError):
                self.close_connection = True

        def _send(self, request: Request, reply: Reply, *, send_body: bool) -> None:
            if reply.delay and owner._stopping.wait(reply.delay):
                self.close_connection = True
                return
            status = reply.status
            body = reply.body_bytes()
            headers = dict(reply.headers)
            if status == 200 and _not_modified(request, headers):
                status, body = 304, b""
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            no_body_status = status == 304 or status == 204 or 100 <= status < 200
            if reply.send_length and reply.chunks is None and not reply.drip_forever:
                declared = len(body) if reply.declared_length is None else reply.declared_length
                if not no_body_status:
                    self.send_header("Content-Length", str(declared))
            else:
                self.send_header("Connection", "close")
                self.close_connection = True
            if reply.declared_length is not None and reply.declared_length != len(body):
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            if not send_body or no_body_status:
                return
            if reply.chunks is not None:
                for chunk in reply.chunks():
                    if owner._stopping.is_set():
                        return
                    self.wfile.write(chunk)
            elif reply.drip_interval is not None:
                self._drip(body, reply.drip_interval, forever=reply.drip_forever)
            else:
                self.wfile.write(body)
            self.wfile.flush()

        def _drip(self, body: bytes, interval: float, *, forever: bool) -> None:
            while True:
                for i in range(len(body)):
                    self.wfile.write(body[i : i + 1])
                    self.wfile.flush()
                    if owner._stopping.wait(interval):
                        return
                if not forever or not body:
                    return

    return Handler


def _not_modified(request: Request, headers: Mapping[str, str]) -> bool:
    """Whether a conditional GET matches this route's ETag / Last-Modified."""
    lower = {k.lower(): v for k, v in headers.items()}
    etag = lower.get("etag")
    if_none_match = request.header("If-None-Match")
    if etag and if_none_match:
        return etag in [t.strip() for t in if_none_match.split(",")] or if_none_match == "*"
    last_modified = lower.get("last-modified")
    if_modified_since = request.header("If-Modified-Since")
    return bool(last_modified and if_modified_since and if_modified_since == last_modified)
