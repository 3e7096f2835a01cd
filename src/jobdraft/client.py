"""The only module that imports httpx: auth, user agent, timeouts, retries, errors.

Every answer that is not a success becomes one of ``errors.ApiError``'s
subclasses, keeping the server's ``code``, ``requestId`` and ``details``.
Retries follow one rule: a read may be repeated; a write is repeated only
when it provably never reached the server (no connection was made) or when
the server said 429/503, which mean "not done, come back later".
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterator, Mapping
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote

import httpx

from jobdraft import __version__
from jobdraft.errors import (
    ApiError,
    AuthError,
    BadRequest,
    NetworkError,
    NotFound,
    NotReady,
    RateLimited,
    ServerError,
)
from jobdraft.inert import register_secret
from jobdraft.model import Capabilities, Draft, JobSummary, PublishResult, Validation

Json = Any

USER_AGENT = f"jobdraft/{__version__}"
DEFAULT_TIMEOUT_SECONDS = 30.0
MAX_CONNECT_SECONDS = 10.0
RETRYABLE_READ_STATUSES = frozenset({429, 502, 503, 504})
RETRYABLE_WRITE_STATUSES = frozenset({429, 503})
MAX_WAIT_SECONDS = 20.0


def retry_after_seconds(value: str | None) -> float | None:
    """``Retry-After`` as seconds: a number of seconds or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def backoff_seconds(attempt: int, retry_after: float | None) -> float:
    """Jittered exponential backoff; the server's own Retry-After wins when given."""
    if retry_after is not None:
        return min(retry_after, MAX_WAIT_SECONDS)
    # Full jitter keeps many clients from retrying in step.
    return float(min(0.5 * 2.0**attempt, MAX_WAIT_SECONDS) * random.uniform(0.5, 1.0))


def issues_from_details(details: Json) -> list[Mapping[str, Json]]:
    """zod issues in either container the contract lists: the array, or ``{"issues": [...]}``."""
    container = details.get("issues") if isinstance(details, Mapping) else details
    if not isinstance(container, list):
        return []
    return [issue for issue in container if isinstance(issue, Mapping)]


def field_errors_from_issues(issues: list[Mapping[str, Json]]) -> dict[str, list[str]]:
    """Map each zod issue to the field it is about: ``path[0]``, or ``keys`` when unrecognised."""
    errors: dict[str, list[str]] = {}
    for issue in issues:
        message = str(issue.get("message") or issue.get("code") or "invalid value")
        path = issue.get("path")
        keys = issue.get("keys")
        if isinstance(path, list) and path:
            targets = [str(path[0])]
        elif isinstance(keys, list) and keys:
            targets = [str(key) for key in keys]
        else:
            targets = [""]
        for target in targets:
            errors.setdefault(target, []).append(message)
    return errors


def segment(job_id: str) -> str:
    """An id as one path segment: ``../auth/me`` must not reach another route."""
    return quote(job_id, safe="")


def redact(text: str, token: str | None) -> str:
    if token:
        text = text.replace(token, "<redacted>")
    return text


def error_from_response(response: httpx.Response, body: Json) -> ApiError:
    """Turn an error answer (envelope or not) into the matching exception."""
    status = response.status_code
    envelope = body if isinstance(body, Mapping) else {}
    message = envelope.get("error")
    if not isinstance(message, str) or not message:
        message = f"the server answered {status} {response.reason_phrase}".strip()
    code = envelope.get("code") if isinstance(envelope.get("code"), str) else None
    request_id = envelope.get("requestId") or response.headers.get("x-request-id")
    details = envelope.get("details")
    common: dict[str, Any] = {
        "status": status,
        "code": code,
        "request_id": str(request_id) if request_id else None,
        "details": details,
    }
    if status == 400:
        issues = issues_from_details(details)
        return BadRequest(message, field_errors=field_errors_from_issues(issues), **common)
    if status in (401, 403):
        hint = None
        if status == 401:
            hint = "check your token: 'jobdraft auth status', or 'jobdraft auth login'"
        return AuthError(message, hint=hint, **common)
    if status in (404, 409):
        return NotFound(message, **common)
    if status == 429:
        limited = RateLimited(message, **common)
        limited.retry_after = retry_after_seconds(response.headers.get("retry-after"))
        when = limited.when()
        if when:
            limited.hint = f"the server says to try again {when}"
        return limited
    if status >= 500:
        return ServerError(message, **common)
    if 300 <= status < 400:
        # The API never redirects: this is a login page, or http sent to https.
        where = response.headers.get("location")
        return ApiError(
            f"the server redirected to {where}" if where else message,
            hint="check --base-url: it should be the API's origin, e.g. https://app.opentrain.ai",
            **common,
        )
    return ApiError(message, **common)


class ApiClient:
    """One HTTP client with explicit defaults for the job-drafts API."""

    def __init__(
        self,
        api_url: str,
        token: str | None,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        max_retries: int = 3,
        on_wait: Callable[[str], None] | None = None,
        debug: Callable[[str], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._token = token
        register_secret(token)  # whatever field a server echoes it in, it is never printed
        self._http = httpx.Client(
            base_url=api_url.rstrip("/"),
            headers=headers,
            # A silent server is given ``timeout`` seconds per read; connecting
            # takes no longer than MAX_CONNECT_SECONDS either way.
            timeout=httpx.Timeout(timeout, connect=min(timeout, MAX_CONNECT_SECONDS)),
            transport=transport,
            follow_redirects=False,
        )
        self._max_retries = max_retries
        # Public: an interactive caller (the wizard) routes retry notes to its own display.
        self.on_wait = on_wait
        self._debug = debug
        self._sleep = sleep

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transport -------------------------------------------------------------------

    def _trace(self, line: str) -> None:
        if self._debug is not None:
            self._debug(redact(line, self._token))

    def _send_once(self, request: httpx.Request) -> httpx.Response:
        self._trace(f"> {request.method} {request.url}")
        if self._debug is not None:
            for name, value in request.headers.items():
                shown = "Bearer <redacted>" if name.lower() == "authorization" else value
                self._trace(f"> {name}: {shown}")
            if request.content:
                self._trace(f"> {request.content.decode('utf-8', 'replace')[:2000]}")
        started = time.monotonic()
        response = self._http.send(request)
        elapsed = (time.monotonic() - started) * 1000
        self._trace(f"< {response.status_code} {response.reason_phrase} ({elapsed:.0f} ms)")
        if self._debug is not None:
            self._trace(f"< {response.text[:2000]}")
        return response

    def request(
        self,
        method: str,
        path: str,
        *,
        body: Json = None,
        params: Mapping[str, Any] | None = None,
    ) -> Json:
        """Send one call with the retry rule above; the decoded JSON on success."""
        try:
            return self._exchange(method, path, body=body, params=params)
        except ApiError as exc:
            # A server (or a library's message) may echo the token back: the
            # error is printed, so it must not carry it.
            self._redact_error(exc)
            raise

    def _redact_error(self, exc: ApiError) -> None:
        exc.message = redact(exc.message, self._token)
        exc.args = (exc.message,)
        if exc.hint:
            exc.hint = redact(exc.hint, self._token)
        if isinstance(exc, BadRequest):
            exc.field_errors = {
                key: [redact(text, self._token) for text in texts]
                for key, texts in exc.field_errors.items()
            }

    def _exchange(
        self,
        method: str,
        path: str,
        *,
        body: Json,
        params: Mapping[str, Any] | None,
    ) -> Json:
        is_read = method == "GET"
        content = None if body is None else json.dumps(body).encode("utf-8")
        headers = {"Content-Type": "application/json"} if content is not None else None
        attempt = 0
        while True:
            request = self._http.build_request(
                method, path, content=content, params=params, headers=headers
            )
            try:
                response = self._send_once(request)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                # No connection was made: even a write never reached the server.
                if attempt < self._max_retries:
                    self._wait(attempt, None, f"cannot reach the server ({exc})")
                    attempt += 1
                    continue
                raise NetworkError(
                    f"cannot reach {self._http.base_url.host}: {exc}",
                    hint="check your connection and --base-url",
                ) from None
            except httpx.TimeoutException:
                if is_read and attempt < self._max_retries:
                    self._wait(attempt, None, "the server did not answer in time")
                    attempt += 1
                    continue
                raise NetworkError("the server did not answer in time") from None
            except httpx.TransportError as exc:
                # Connection dropped mid-exchange: a write may have been applied.
                if is_read and attempt < self._max_retries:
                    self._wait(attempt, None, f"connection lost ({exc})")
                    attempt += 1
                    continue
                raise NetworkError(f"the connection failed: {exc or type(exc).__name__}") from None
            except httpx.DecodingError as exc:
                # A body that its own Content-Encoding cannot undo (a proxy's
                # mangled error page): the server's fault, not ours.
                raise ServerError(f"the server's answer could not be decoded: {exc}") from None
            except httpx.RequestError as exc:
                # Anything else httpx refuses on the way (too many redirects, ...).
                raise NetworkError(f"the request failed: {exc or type(exc).__name__}") from None
            retryable = RETRYABLE_READ_STATUSES if is_read else RETRYABLE_WRITE_STATUSES
            wait_for = retry_after_seconds(response.headers.get("retry-after"))
            # A wait longer than we would sit through (a daily publish limit)
            # is reported at once rather than retried.
            too_long = wait_for is not None and wait_for > MAX_WAIT_SECONDS
            if response.status_code in retryable and attempt < self._max_retries and not too_long:
                self._wait(attempt, wait_for, f"the server answered {response.status_code}")
                attempt += 1
                continue
            return self._decode(response)

    def _wait(self, attempt: int, retry_after: float | None, why: str) -> None:
        seconds = backoff_seconds(attempt, retry_after)
        if self.on_wait is not None:
            self.on_wait(f"{why}; retrying in {seconds:.1f}s ({attempt + 1}/{self._max_retries})")
        self._sleep(seconds)

    def _decode(self, response: httpx.Response) -> Json:
        try:
            body = response.json() if response.content else None
        except (ValueError, RecursionError):
            # Not JSON, not UTF-8, nested past Python's limit, or a number too
            # long to convert (ValueError covers JSONDecodeError and the rest).
            body = None
            if response.is_success:
                raise ServerError(
                    "the server's answer was not JSON (cut short, or not from the API)",
                    status=response.status_code,
                    request_id=response.headers.get("x-request-id"),
                ) from None
        if response.is_success:
            if body is None:
                raise ServerError("the server sent an empty answer", status=response.status_code)
            return body
        raise error_from_response(response, body)

    # -- endpoints -------------------------------------------------------------------

    def capabilities(self) -> Capabilities:
        return Capabilities.from_json(
            self._expect_object(self.request("GET", "/job-drafts/capabilities"))
        )

    def create_draft(self, body: Mapping[str, Json]) -> Draft:
        return self._draft(self.request("POST", "/job-drafts", body=dict(body)))

    def get_draft(self, job_id: str) -> Draft:
        return self._draft(self.request("GET", f"/job-drafts/{segment(job_id)}"))

    def patch_draft(self, job_id: str, body: Mapping[str, Json]) -> Draft:
        return self._draft(self.request("PATCH", f"/job-drafts/{segment(job_id)}", body=dict(body)))

    def publish(self, job_id: str) -> PublishResult:
        try:
            answer = self.request("POST", f"/jobs/{segment(job_id)}/publish")
        except BadRequest as exc:
            details = exc.details if isinstance(exc.details, Mapping) else {}
            if isinstance(details.get("validation"), Mapping):
                raise NotReady(
                    exc.message,
                    status=exc.status,
                    code=exc.code,
                    request_id=exc.request_id,
                    details=exc.details,
                ) from None
            raise
        return PublishResult.from_json(self._expect_object(answer), job_id)

    def close_job(self, job_id: str) -> Json:
        return self.request("POST", f"/jobs/{segment(job_id)}/close")

    def me(self) -> Json:
        return self._expect_object(self.request("GET", "/auth/me"))

    def list_jobs(self, status: str | None = None, page_size: int = 100) -> Iterator[JobSummary]:
        """Every job, following ``nextCursor`` until the server says there are no more."""
        cursor: str | None = None
        seen: set[str] = set()
        while True:
            params: dict[str, Any] = {"limit": page_size}
            if status:
                params["status"] = status
            if cursor:
                params["cursor"] = cursor
            page = self._expect_object(self.request("GET", "/jobs/mine", params=params))
            for raw in page.get("jobs") or []:
                job = JobSummary.from_json(raw)
                if job is not None:
                    yield job
            next_cursor = page.get("nextCursor")
            # A cursor seen before would loop forever: stop instead.
            if not isinstance(next_cursor, str) or not next_cursor or next_cursor in seen:
                return
            seen.add(next_cursor)
            cursor = next_cursor

    @staticmethod
    def _expect_object(answer: Json) -> dict[str, Json]:
        if not isinstance(answer, dict):
            raise ServerError("the server's answer was not a JSON object")
        return answer

    def _draft(self, answer: Json) -> Draft:
        try:
            return Draft.from_json(self._expect_object(answer))
        except ValueError as exc:
            raise ServerError(f"the server's answer was not a draft: {exc}") from None


def validation_from_error(exc: ApiError) -> Validation | None:
    """The validation a refused publish carries in ``details.validation``."""
    details = exc.details if isinstance(exc.details, Mapping) else {}
    raw = details.get("validation")
    return Validation.from_json(raw) if isinstance(raw, Mapping) else None


def embedded_sandbox_transport() -> httpx.BaseTransport:
    """The sandbox app mounted in-process: no port, no network."""
    from jobdraft.sandbox.app import config_from_env, create_app

    return httpx.WSGITransport(app=create_app(config_from_env()))
