"""The only module that imports httpx: auth, user agent, timeouts, retries, errors.

Every answer that is not a success becomes one of ``errors.ApiError``'s
subclasses, keeping the server's ``code``, ``requestId`` and ``details``.
Retries follow one rule: a read may be repeated; a write is repeated only
when it provably never reached the server (no connection was made) or when
the server said 429/503, which mean "not done, come back later".
"""

from __future__ import annotations

import contextlib
import json
import random
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any
from urllib.parse import quote

import httpx

from jobdraft import __version__, alarms, hints
from jobdraft.alarms import Alarm
from jobdraft.errors import (
    ApiError,
    AuthError,
    BadRequest,
    ConfigError,
    NetworkError,
    NotFound,
    NotReady,
    RateLimited,
    ServerError,
    UsageError,
    UserGone,
)
from jobdraft.inert import has_control, inert, register_secret
from jobdraft.inert import redact as redact_secrets
from jobdraft.json_types import Json
from jobdraft.model import Capabilities, Draft, JobSummary, PublishResult, Validation
from jobdraft.retry import Operation, Outcome, retry_after_seconds, retry_delay

USER_AGENT = f"jobdraft/{__version__}"
DEFAULT_TIMEOUT_SECONDS = 30.0
MAX_CONNECT_SECONDS = 10.0
# The API's largest answer (a draft with its validation, a page of 100 jobs)
# is a few tens of kilobytes: 8 MiB decoded is far above it, and bounds what a
# broken or hostile server (a gzip bomb, an endless body) can make us hold.
MAX_ANSWER_BYTES = 8 * 1024 * 1024
# Decoding a compressed answer yields at most this much per step, so a bomb
# never inflates more than one step past the cap.
DECODE_STEP_BYTES = 64 * 1024
# 200 pages of 100 jobs: more than any account holds; a server that keeps
# sending new cursors past it is not ending its list.
MAX_PAGES = 200
ENDLESS_HINT = "check --base-url: the API ends its list with an empty nextCursor"


class AnswerTooLarge(ServerError):
    """The answer grew past MAX_ANSWER_BYTES once decoded."""


class EndlessListing(ServerError):
    """``GET /jobs/mine`` kept paging: a repeated cursor, or past MAX_PAGES."""


def issues_from_details(details: Json) -> list[Mapping[str, Json]]:
    """zod issues in either container docs/api.md §2 names: the array, or ``{"issues": [...]}``."""
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
    """An id as one path segment: ``../auth/me`` must not reach another route.

    Ids that no server gives are refused before sending: an empty one, ``.``
    and ``..`` (a URL resolver would climb to another route), control
    characters, and characters that are not valid UTF-8 (bytes from argv that
    Python kept as lone surrogates).
    """
    if job_id.strip() in ("", ".", ".."):
        raise UsageError(f"{inert(job_id)!r} is not a job id", hint="give a draft id, e.g. jd_...")
    if has_control(job_id):
        raise UsageError(f"the job id {inert(job_id)!r} holds control characters")
    try:
        job_id.encode("utf-8")
    except UnicodeEncodeError:
        shown = job_id.encode("utf-8", "backslashreplace").decode("ascii", "replace")
        raise UsageError(f"the job id {shown!r} is not valid UTF-8") from None
    return quote(job_id, safe="")


def redact(text: str, token: str | None) -> str:
    """``text`` without the token (any length) nor any registered secret."""
    if token:
        text = text.replace(token, "<redacted>")
    return redact_secrets(text)


def redact_json(value: Json, token: str | None) -> Json:
    """Every string in ``value``, keys included, with the token redacted."""
    if isinstance(value, str):
        return redact(value, token)
    if isinstance(value, Mapping):
        return {redact(str(key), token): redact_json(item, token) for key, item in value.items()}
    if isinstance(value, list):
        return [redact_json(item, token) for item in value]
    return value


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
            # Retry-After is the server's word; windowHours only bounds the wait.
            said = "the server says to " if limited.retry_after is not None else ""
            limited.hint = f"{said}try again {when}"
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


def ssl_context_for(api_url: str) -> ssl.SSLContext | bool:
    """What to verify TLS with: httpx's default context for https only.

    Building the default context (loading the CA bundle) costs tens of
    milliseconds; a plain-http or embedded API never uses it.  Such a client
    gets a bare context that trusts no certificate, so that if TLS were ever
    reached through it, it would fail closed rather than skip verification.
    """
    if httpx.URL(api_url).scheme == "https":
        return True
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


class _Deadline:
    """Cuts the connections of one attempt when its deadline passes.

    httpx's timeouts bound each socket read, so a server dripping a byte every
    few seconds never trips them.  The sockets this client opens are noted
    (through httpcore's trace hook) and shut down by an alarm at the deadline,
    which wakes a read blocked on any of them.
    """

    def __init__(self) -> None:
        self._sockets: list[Any] = []
        self._lock = threading.Lock()
        self.passed = False

    def note(self, event: str, info: Mapping[str, Any]) -> None:
        if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            stream = info.get("return_value")
            sock = stream.get_extra_info("socket") if stream is not None else None
            if sock is not None:
                with self._lock:
                    self._sockets = [s for s in self._sockets if s.fileno() != -1]
                    self._sockets.append(sock)

    def _cut(self) -> None:
        self.passed = True
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def arm(self, seconds: float) -> Alarm:
        self.passed = False
        return alarms.after(seconds, self._cut)


class _TooLate(Exception):
    """The deadline of the attempt passed while reading the answer."""


def decoded_chunks(response: httpx.Response) -> Iterator[bytes]:
    """The body, decoded step by step so that no step inflates past DECODE_STEP_BYTES.

    httpx would decode a whole network chunk at once (64 KiB of a gzip bomb is
    64 MiB); zlib's ``max_length`` keeps each step small.
    """
    try:
        # A response built in memory (httpx.MockTransport) is already read.
        yield response.content
        return
    except httpx.ResponseNotRead:
        pass
    encoding = response.headers.get("content-encoding", "").strip().lower()
    if encoding in ("", "identity"):
        yield from response.iter_raw()
        return
    if encoding in ("gzip", "x-gzip"):
        decoder = zlib.decompressobj(zlib.MAX_WBITS | 16)
    elif encoding == "deflate":
        decoder = zlib.decompressobj()
    else:
        raise httpx.DecodingError(f"unsupported content encoding {encoding!r}")
    first = True
    for raw in response.iter_raw():
        data = raw
        while data:
            try:
                out = decoder.decompress(data, DECODE_STEP_BYTES)
            except zlib.error as exc:
                if not (first and encoding == "deflate"):
                    raise httpx.DecodingError(str(exc)) from None
                # Some servers send deflate without its zlib header.
                decoder = zlib.decompressobj(-zlib.MAX_WBITS)
                first = False
                continue
            first = False
            data = decoder.unconsumed_tail
            if out:
                yield out
    try:
        rest = decoder.flush()
    except zlib.error as exc:
        raise httpx.DecodingError(str(exc)) from None
    if rest:
        yield rest


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
        max_answer_bytes: int = MAX_ANSWER_BYTES,
    ) -> None:
        # config refuses such a URL first; this is a defence for any other
        # caller: httpx would send the password as Basic auth, and the debug
        # trace would print it.
        if httpx.URL(api_url).userinfo:
            raise ConfigError(
                "the API address must not hold a user name or password",
                hint="give the origin only, e.g. https://app.opentrain.ai",
            )
        register_secret(token)
        headers = {
            "User-Agent": USER_AGENT,
            "Accept": "application/json",
            # Only what decoded_chunks can undo step by step.
            "Accept-Encoding": "gzip, deflate",
        }
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._token = token
        if transport is None:
            transport = httpx.HTTPTransport(verify=ssl_context_for(api_url))
        self._http = httpx.Client(
            base_url=api_url.rstrip("/"),
            headers=headers,
            # Each read is also bounded by ``timeout``; the whole attempt is
            # bounded by the same figure through _Deadline.
            timeout=httpx.Timeout(timeout, connect=min(timeout, MAX_CONNECT_SECONDS)),
            transport=transport,
            follow_redirects=False,
        )
        self._timeout = timeout
        self._max_retries = max_retries
        self._max_answer_bytes = max_answer_bytes
        # Public: an interactive caller (the wizard) routes retry notes to its own display.
        self.on_wait = on_wait
        self._debug = debug
        self._sleep = sleep
        self._deadline = _Deadline()

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transport -------------------------------------------------------------------

    def _trace(self, line: str) -> None:
        if self._debug is not None:
            # Bodies and headers are the server's text: controls made visible.
            self._debug(inert(redact(line, self._token)))

    def _send_once(self, request: httpx.Request) -> tuple[httpx.Response, bytes]:
        """One attempt within one deadline: the response and its decoded body."""
        self._trace(f"> {request.method} {request.url}")
        if self._debug is not None:
            for name, value in request.headers.items():
                shown = "Bearer <redacted>" if name.lower() == "authorization" else value
                self._trace(f"> {name}: {shown}")
            if request.content:
                self._trace(f"> {request.content.decode('utf-8', 'replace')[:2000]}")
        started = time.monotonic()
        deadline = started + self._timeout
        request.extensions["trace"] = self._deadline.note
        alarm = self._deadline.arm(self._timeout)
        try:
            response = self._http.send(request, stream=True)
            try:
                body = self._read_body(response, deadline)
            finally:
                response.close()
        finally:
            alarm.cancel()
        elapsed = (time.monotonic() - started) * 1000
        self._trace(f"< {response.status_code} {response.reason_phrase} ({elapsed:.0f} ms)")
        if self._debug is not None:
            self._trace(f"< {body[:2000].decode('utf-8', 'replace')}")
        return response, body

    def _read_body(self, response: httpx.Response, deadline: float) -> bytes:
        chunks: list[bytes] = []
        size = 0
        for chunk in decoded_chunks(response):
            size += len(chunk)
            if size > self._max_answer_bytes:
                raise AnswerTooLarge(
                    f"the server's answer is larger than {self._max_answer_bytes // 2**20} MB "
                    "once decoded; stopped reading it",
                    status=response.status_code,
                    hint="check --base-url: the API never sends that much",
                )
            chunks.append(chunk)
            if time.monotonic() > deadline:
                raise _TooLate
        return b"".join(chunks)

    def request(
        self,
        method: str,
        path: str,
        *,
        body: Json = None,
        params: Mapping[str, Any] | None = None,
        replay_safe: bool = False,
        max_retries: int | None = None,
    ) -> Json:
        """Send one call with the retry rule (``jobdraft.retry``); the decoded JSON on success.

        ``max_retries`` lowers the client's own for a call that is only an aid.
        """
        retries = self._max_retries if max_retries is None else min(max_retries, self._max_retries)
        try:
            return self._exchange(
                Operation(method, replay_safe=replay_safe),
                path,
                body=body,
                params=params,
                max_retries=retries,
            )
        except ApiError as exc:
            # A server (or a library's message) may echo the token back, in any
            # field: the error is printed, so it must not carry it.
            self._redact_error(exc)
            raise

    def _redact_error(self, exc: ApiError) -> None:
        token = self._token
        exc.message = redact(exc.message, token)
        exc.args = (exc.message,)
        if exc.hint:
            exc.hint = redact(exc.hint, token)
        if exc.code:
            exc.code = redact(exc.code, token)
        if exc.request_id:
            exc.request_id = redact(exc.request_id, token)
        exc.details = redact_json(exc.details, token)
        if isinstance(exc, BadRequest):
            exc.field_errors = {
                redact(key, token): [redact(text, token) for text in texts]
                for key, texts in exc.field_errors.items()
            }

    def _exchange(
        self,
        operation: Operation,
        path: str,
        *,
        body: Json,
        params: Mapping[str, Any] | None,
        max_retries: int,
    ) -> Json:
        try:
            content = None if body is None else json.dumps(body, allow_nan=False).encode("utf-8")
        except ValueError:
            raise UsageError(
                "a value is not valid JSON (NaN or infinity); nothing was sent"
            ) from None
        headers = {"Content-Type": "application/json"} if content is not None else None
        attempt = 0
        while True:
            request = self._http.build_request(
                operation.method, path, content=content, params=params, headers=headers
            )
            status: int | None = None
            retry_after: float | None = None
            try:
                response, raw = self._send_once(request)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                outcome, why = Outcome.NOT_CONNECTED, "cannot reach the server"
                failure: ApiError = NetworkError(
                    f"cannot reach {self._http.base_url.host}: {exc}",
                    hint="check your connection and --base-url",
                )
            except (httpx.TimeoutException, _TooLate):
                outcome, why = Outcome.TIMEOUT, "the server did not answer in time"
                failure = self._timed_out()
            except httpx.DecodingError as exc:
                # A body that its own Content-Encoding cannot undo (a proxy's
                # mangled error page): the server's fault, not ours.
                raise ServerError(f"the server's answer could not be decoded: {exc}") from None
            except httpx.TransportError as exc:
                if self._deadline.passed:
                    # Our own deadline cut the connection.
                    outcome, why = Outcome.TIMEOUT, "the server did not answer in time"
                    failure = self._timed_out()
                else:
                    # Connection dropped mid-exchange: a write may have been applied.
                    outcome, why = Outcome.DROPPED, "the connection was lost"
                    failure = NetworkError(f"the connection failed: {exc or type(exc).__name__}")
            except httpx.RequestError as exc:
                # Anything else httpx refuses on the way (too many redirects, ...).
                raise NetworkError(f"the request failed: {exc or type(exc).__name__}") from None
            else:
                outcome, status = Outcome.STATUS, response.status_code
                retry_after = retry_after_seconds(response.headers.get("retry-after"))
                why = f"the server answered {status}"
            delay = retry_delay(
                operation,
                outcome,
                attempt=attempt,
                max_retries=max_retries,
                status=status,
                retry_after=retry_after,
                jitter=random.uniform(0.5, 1.0),
            )
            if delay is None:
                if outcome is Outcome.STATUS:
                    return self._decode(response, raw)
                raise failure from None
            if self.on_wait is not None:
                self.on_wait(f"{why}; retrying in {delay:.1f}s ({attempt + 1}/{max_retries})")
            self._sleep(delay)
            attempt += 1

    def _timed_out(self) -> NetworkError:
        return NetworkError(
            f"the server did not answer within {self._timeout:g} seconds",
            hint="a slow network may need a longer --timeout",
        )

    def _decode(self, response: httpx.Response, raw: bytes) -> Json:
        try:
            body = json.loads(raw) if raw else None
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
            # A success can echo the token too (in a title, say), and --json
            # prints answers as they are: no string leaves the client with it.
            return redact_json(body, self._token)
        raise error_from_response(response, body)

    # -- endpoints -------------------------------------------------------------------

    def capabilities(self, *, max_retries: int | None = None) -> Capabilities:
        return Capabilities.from_json(
            self._expect_object(
                self.request("GET", "/job-drafts/capabilities", max_retries=max_retries)
            )
        )

    def openapi(self) -> Json:
        """The spec the server serves at ``openapi.json``, the docs' authority.

        Tried once, without retries: it only helps to type answers, and the
        caller falls back to the docs' types without it.
        """
        return self.request("GET", "/openapi.json", max_retries=0)

    def create_draft(self, body: Mapping[str, Json]) -> Draft:
        # With a key, the API answers a repeat with the draft the first call
        # made: a create that timed out is retried, never duplicated.
        keyed = bool(body.get("idempotencyKey"))
        return self._draft(self.request("POST", "/job-drafts", body=dict(body), replay_safe=keyed))

    def get_draft(self, job_id: str) -> Draft:
        return self._draft(self.request("GET", f"/job-drafts/{segment(job_id)}"))

    def patch_draft(self, job_id: str, body: Mapping[str, Json]) -> Draft:
        return self._draft(self.request("PATCH", f"/job-drafts/{segment(job_id)}", body=dict(body)))

    def publish(self, job_id: str) -> PublishResult:
        try:
            # A repeated publish answers alreadyPublished: safe to retry.
            answer = self.request("POST", f"/jobs/{segment(job_id)}/publish", replay_safe=True)
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
        try:
            return self._expect_object(self.request("GET", "/auth/me"))
        except NotFound as exc:
            # The docs give /auth/me one 404: the token is valid but its user
            # was deleted.  A 404 without the API's envelope is a wrong
            # address instead, and stays a NotFound.
            if exc.status != 404 or exc.code is None:
                raise
            raise UserGone(
                "the token's user no longer exists",
                status=exc.status,
                code=exc.code,
                request_id=exc.request_id,
                details=exc.details,
                hint="create a token for an existing user, then "
                f"'{hints.command('auth', 'login')}'",
            ) from None

    def list_jobs(
        self, status: str | None = None, page_size: int = 100, *, limit: int | None = None
    ) -> Iterator[JobSummary]:
        """Every job (or the newest ``limit``), following ``nextCursor`` page by page.

        With ``limit``, no page asks for more jobs than are still wanted and no
        page is fetched once that many are yielded: a short listing costs a
        short listing, however many jobs the account has.  A server that
        repeats a cursor, or keeps sending new ones past MAX_PAGES pages, would
        page forever: EndlessListing ends it, after the jobs already yielded.
        """
        remaining = limit
        if remaining is not None and remaining < 1:
            return
        cursor: str | None = None
        seen: set[str] = set()
        for _page in range(MAX_PAGES):
            wanted = page_size if remaining is None else min(page_size, remaining)
            params: dict[str, Any] = {"limit": wanted}
            if status:
                params["status"] = status
            if cursor:
                params["cursor"] = cursor
            page = self._expect_object(self.request("GET", "/jobs/mine", params=params))
            jobs = page.get("jobs")
            for raw in jobs if isinstance(jobs, list) else []:
                job = JobSummary.from_json(raw)
                if job is None:
                    continue
                yield job
                if remaining is not None:
                    remaining -= 1
                    if remaining == 0:
                        return  # a server that sends more than asked is cut here
            next_cursor = page.get("nextCursor")
            if not isinstance(next_cursor, str) or not next_cursor:
                return
            if next_cursor in seen:
                raise EndlessListing(
                    "the server's job list does not end: it sent the same page cursor twice",
                    hint=ENDLESS_HINT,
                )
            seen.add(next_cursor)
            cursor = next_cursor
        raise EndlessListing(
            f"the server's job list does not end: stopped after {MAX_PAGES} pages",
            hint=ENDLESS_HINT,
        )

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
