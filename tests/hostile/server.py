"""A small HTTP server that answers whatever a test scripts: the hostile server.

The sandbox is our own, well-behaved copy of the API; this one is not.  A test
scripts replies per route (status, headers, body bytes, or a function that
writes to the socket itself for a drip, an endless body or a bomb) and points
jobdraft at ``server.origin``, in-process or as a real process.  It listens on
loopback only and stops with the test.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, BinaryIO

API = "/api/public/v1"

Stream = Callable[[BinaryIO], None]


@dataclass
class Reply:
    """One scripted answer.  ``stream`` (if given) writes everything after the
    status line and headers itself, and may never return until the client hangs up."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/json"})
    stream: Stream | None = None
    reason: str | None = None  # the status line's words (a hostile one, say)
    # Writes the whole answer itself, status line and headers included (a
    # server dripping its headers); everything else above is then unused.
    raw: Stream | None = None

    @classmethod
    def json(cls, data: Any, status: int = 200, **headers: str) -> Reply:
        return cls(
            status=status,
            body=json.dumps(data).encode(),
            headers={"Content-Type": "application/json", **headers},
        )

    @classmethod
    def error(
        cls, status: int, code: str, message: str, details: Any = None, **headers: str
    ) -> Reply:
        body: dict[str, Any] = {"error": message, "code": code, "requestId": "req-hostile"}
        if details is not None:
            body["details"] = details
        return cls.json(body, status, **headers)


Route = Reply | Callable[["Request"], Reply]


@dataclass
class Request:
    method: str
    path: str  # with its query string
    headers: dict[str, str]
    body: bytes


class HostileServer:
    """Scripted replies by (method, path); a path ending in ``*`` matches a prefix.

    Paths are given without the ``/api/public/v1`` prefix (``"/jobs/mine"``);
    anything unscripted answers the documented 404 envelope.  ``requests``
    records what arrived, for assertions on what the client sent.
    """

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Route] = {}
        self.requests: list[Request] = []
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def on(self, method: str, path: str, reply: Route) -> HostileServer:
        self.routes[(method.upper(), path)] = reply
        return self

    @property
    def origin(self) -> str:
        assert self._httpd is not None
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def _find(self, method: str, path: str) -> Route | None:
        bare = path.split("?", 1)[0]
        if bare.startswith(API):
            bare = bare[len(API) :] or "/"
        if (method, bare) in self.routes:
            return self.routes[(method, bare)]
        for (m, pattern), reply in self.routes.items():
            if m == method and pattern.endswith("*") and bare.startswith(pattern[:-1]):
                return reply
        return None

    def start(self) -> HostileServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet: tests read what the client printed, not us

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = Request(self.command, self.path, dict(self.headers.items()), body)
                server.requests.append(request)
                route = server._find(self.command, self.path)
                if route is None:
                    reply = Reply.error(404, "NOT_FOUND", "No such route")
                else:
                    reply = route(request) if callable(route) else route
                # The client may hang up mid-answer, as it should on a bomb or a drip.
                with contextlib.suppress(OSError):
                    self._write(reply)
                self.close_connection = True

            def _write(self, reply: Reply) -> None:
                if reply.raw is not None:
                    reply.raw(self.wfile)
                    self.wfile.flush()
                    return
                reason = reply.reason if reply.reason is not None else ""
                line = f"HTTP/1.1 {reply.status} {reason}\r\n".encode("latin-1", "replace")
                self.wfile.write(line)
                headers = dict(reply.headers)
                if reply.stream is None:
                    headers.setdefault("Content-Length", str(len(reply.body)))
                headers.setdefault("Connection", "close")
                for name, value in headers.items():
                    self.wfile.write(f"{name}: {value}\r\n".encode("latin-1", "replace"))
                self.wfile.write(b"\r\n")
                if reply.stream is not None:
                    reply.stream(self.wfile)
                else:
                    self.wfile.write(reply.body)
                self.wfile.flush()

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _handle

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()


@contextmanager
def hostile() -> Iterator[HostileServer]:
    server = HostileServer().start()
    try:
        yield server
    finally:
        server.stop()
