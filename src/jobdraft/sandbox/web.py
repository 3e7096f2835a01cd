"""WSGI plumbing: the request, the JSON response, the error envelope.

Kept apart from the routes so that app.py reads as the API and nothing else.
Every failure becomes an ``ApiError`` and every ``ApiError`` becomes the
envelope of docs/api.md §2 with a fresh request id.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import parse_qs

JSON = Any
Environ = dict[str, Any]


class StartResponse(Protocol):
    def __call__(
        self, status: str, headers: list[tuple[str, str]], exc_info: Any = None, /
    ) -> Callable[[bytes], object]: ...


WSGIApp = Callable[[Environ, StartResponse], Iterable[bytes]]

# Big enough for a 60,000-character description even with every character
# escaped as \uXXXX, small enough that no body can hurt the process.
MAX_BODY_BYTES = 1024 * 1024

_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}

# The envelope code of each status (docs/api.md §2).
CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    429: "RATE_LIMITED",
    500: "INTERNAL_ERROR",
    503: "SERVICE_UNAVAILABLE",
}


class ApiError(Exception):
    """An answer in the error envelope."""

    def __init__(
        self,
        status: int,
        message: str,
        details: JSON = None,
        *,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = {} if details is None else details
        self.headers = headers or {}


@dataclass
class Response:
    """A JSON answer; or, with ``page``, an HTML page (the web page of a job post)."""

    status: int
    body: JSON
    headers: dict[str, str] = field(default_factory=dict)
    page: str | None = None


class Request:
    """What a handler needs from the WSGI environ, read lazily: most
    requests use two headers and no query string."""

    def __init__(self, environ: Environ) -> None:
        self.environ = environ
        self.method = str(environ.get("REQUEST_METHOD", "GET")).upper()
        self.path = str(environ.get("PATH_INFO", "") or "/")

    @classmethod
    def from_environ(cls, environ: Environ) -> Request:
        return cls(environ)

    def header(self, name: str) -> str:
        """A request header by its lower-case name (``authorization``)."""
        return str(self.environ.get("HTTP_" + name.upper().replace("-", "_"), ""))

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(str(self.environ.get("QUERY_STRING", "")), keep_blank_values=True)

    @property
    def origin(self) -> str:
        """scheme://host[:port] as the client addressed us."""
        scheme = str(self.environ.get("wsgi.url_scheme", "http"))
        host = self.header("host")
        if not host:
            host = str(self.environ.get("SERVER_NAME", "localhost"))
            port = str(self.environ.get("SERVER_PORT", ""))
            if port and port != {"http": "80", "https": "443"}.get(scheme):
                host = f"{host}:{port}"
        return f"{scheme}://{host}"

    def raw_body(self) -> bytes:
        length_text = str(self.environ.get("CONTENT_LENGTH", "") or "").strip()
        stream = self.environ.get("wsgi.input")
        if stream is None:
            return b""
        if length_text:
            try:
                length = int(length_text)
            except ValueError:
                raise ApiError(400, "Invalid Content-Length header.") from None
            if length > MAX_BODY_BYTES:
                raise ApiError(400, "Request body too large.", {"maxBytes": MAX_BODY_BYTES})
            return bytes(stream.read(length)) if length > 0 else b""
        data = bytes(stream.read(MAX_BODY_BYTES + 1))
        if len(data) > MAX_BODY_BYTES:
            raise ApiError(400, "Request body too large.", {"maxBytes": MAX_BODY_BYTES})
        return data

    def json_body(self, issues_container: Callable[[list[JSON]], JSON]) -> JSON:
        """The decoded JSON body; a 400 with a zod-style issue otherwise."""
        raw = self.raw_body()

        def bad(message: str) -> ApiError:
            issue = {"code": "custom", "path": [], "message": message}
            return ApiError(400, "Invalid JSON body.", issues_container([issue]))

        if not raw.strip():
            raise bad("The request body is empty; send a JSON object.")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise bad("The request body is not UTF-8.") from None
        try:
            value = json.loads(text, parse_constant=_reject_constant)
        except (ValueError, RecursionError) as error:
            raise bad(f"The request body is not valid JSON: {error}") from None
        if _SURROGATE_ESCAPE.search(text) and not _encodable(value):
            # "\ud800" alone decodes to a string that UTF-8 cannot hold.
            raise bad("The request body holds an unpaired UTF-16 surrogate.")
        return value


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _encodable(value: JSON) -> bool:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, RecursionError):
        return False
    return True


def _reject_constant(name: str) -> JSON:
    # json.loads accepts NaN and Infinity by default; JSON does not.
    raise ValueError(f"{name} is not valid JSON")


def envelope(error: ApiError, request_id: str) -> JSON:
    return {
        "error": error.message,
        "code": CODES.get(error.status, "ERROR"),
        "requestId": request_id,
        "details": error.details,
    }


# Built once: json.dumps with options would build an encoder per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def send(start_response: StartResponse, response: Response, request_id: str) -> Iterable[bytes]:
    if response.page is not None:
        return send_page(start_response, response, request_id)
    body = _ENCODER.encode(response.body).encode()
    headers = [
        ("Content-Type", "application/json; charset=utf-8"),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "no-store"),
        ("X-Request-Id", request_id),
        *response.headers.items(),
    ]
    reason = _REASONS.get(response.status, "Unknown")
    start_response(f"{response.status} {reason}", headers)
    return [body]


def send_page(
    start_response: StartResponse, response: Response, request_id: str
) -> Iterable[bytes]:
    """An HTML page of user text: no script may run, nothing is loaded from elsewhere."""
    from jobdraft.sandbox.page import CSP

    body = (response.page or "").encode()
    headers = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Length", str(len(body))),
        ("Content-Security-Policy", CSP),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("Cache-Control", "no-store"),
        ("X-Request-Id", request_id),
        *response.headers.items(),
    ]
    reason = _REASONS.get(response.status, "Unknown")
    start_response(f"{response.status} {reason}", headers)
    return [body]
