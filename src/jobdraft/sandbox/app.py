"""The sandbox WSGI app: config, routes, the error envelope, request ids.

Tokens are checked in ``auth``, create bodies in ``inputs``, field rules in
``rules``, answers shaped in ``views``, data kept in ``store``.

``create_app(SandboxConfig(...))`` returns a plain WSGI callable.  The CLI
mounts it in-process with ``httpx.WSGITransport``; ``server.serve`` puts it
behind waitress.  Handlers check, in this order: auth (401), feature (403),
scope (403), the body (400), then the stored job (404, 409) - so a request
that fails early never touches the database.
"""

from __future__ import annotations

import base64
import binascii
import os
import random
import re
import secrets
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from jobdraft.sandbox import API_PREFIX, inputs, rules, views
from jobdraft.sandbox.auth import USER_GONE, Account, authenticate, require_scope
from jobdraft.sandbox.store import DamagedRow, Job, Store
from jobdraft.sandbox.web import (
    ApiError,
    Environ,
    Request,
    Response,
    StartResponse,
    WSGIApp,
    envelope,
    send,
)

if TYPE_CHECKING:
    from jobdraft.sandbox.parse import Extraction

JSON = Any

FEATURES = {"drafting": "public_api_job_drafting", "publishing": "public_api_job_publishing"}
DAILY_LIMIT = 3  # unclaimed agent accounts (docs/api.md §3.5)
DAILY_LIMIT_CLAIMED = 20
# Set to 1 (or true/yes), the embedded sandbox is a claimed account.
CLAIMED_ENV = "JOBDRAFT_SANDBOX_CLAIMED"
WINDOW_HOURS = 24
# Where 'jobdraft sandbox serve' listens by default: the embedded sandbox has no
# web server, so its draft and job URLs name the served one's pages (it uses
# the same store by default).
SERVE_ORIGIN = "http://127.0.0.1:8765"
# An hour: far past any client timeout, and far below what time.sleep refuses.
MAX_LATENCY_MS = 3_600_000

__all__ = [
    "SandboxConfig",
    "WSGIApp",
    "config_from_env",
    "create_app",
    "default_db_path",
    "env_db_path",
]


@dataclass(frozen=True)
class SandboxConfig:
    """How a sandbox behaves.  ``db_path=None`` keeps the data in memory,
    private to the app instance."""

    db_path: Path | None = None
    minimal: bool = False
    chaos: float = 0.0
    seed: int | None = None
    latency_ms: int = 0
    disabled_features: frozenset[str] = frozenset()
    block_words: tuple[str, ...] = ()
    claimed: bool = False
    variants: frozenset[str] = field(default_factory=frozenset)
    # The origin of the draft and job URLs it answers with; None: the origin
    # each request was sent to (a served sandbox answers with its own pages).
    page_origin: str | None = None

    def __post_init__(self) -> None:
        # NaN compares false with everything, so it fails this test too.
        if not 0.0 <= self.chaos <= 1.0:
            raise ValueError(f"chaos must be between 0 and 1, not {self.chaos}")
        if not 0 <= self.latency_ms <= MAX_LATENCY_MS:
            raise ValueError(
                f"latency must be between 0 and {MAX_LATENCY_MS} ms, not {self.latency_ms}"
            )
        unknown = set(self.disabled_features) - set(FEATURES)
        if unknown:
            raise ValueError(
                f"unknown feature(s) {', '.join(sorted(unknown))}; "
                f"choose from {', '.join(sorted(FEATURES))}"
            )
        unknown = set(self.variants) - set(views.VARIANTS)
        if unknown:
            raise ValueError(
                f"unknown variant(s) {', '.join(sorted(unknown))}; "
                f"choose from {', '.join(views.VARIANTS)}"
            )


def default_db_path() -> Path:
    """``$XDG_STATE_HOME/jobdraft/sandbox.sqlite3`` (XDG_STATE_HOME defaults to
    ~/.local/state, the home being ``$HOME``, else the passwd entry's, as the
    client's own folders have it).

    Raises ValueError when no absolute folder is found: ``Path.home()`` would
    raise a bare RuntimeError, and a relative one would put the store
    wherever the process happens to run.
    """
    state = os.environ.get("XDG_STATE_HOME") or ""
    if Path(state).is_absolute():
        return Path(state) / "jobdraft" / "sandbox.sqlite3"
    home = _home()
    if home is None:
        raise ValueError(
            "no place for the sandbox store: XDG_STATE_HOME is not set, HOME is not "
            f"an absolute folder and user id {os.getuid()} has no home in the password "
            "database; set JOBDRAFT_SANDBOX_DB to a file (or XDG_STATE_HOME to a folder)"
        )
    return home / ".local" / "state" / "jobdraft" / "sandbox.sqlite3"


def _home() -> Path | None:
    home = os.environ.get("HOME") or ""
    if Path(home).is_absolute():
        return Path(home)
    try:
        import pwd

        entry = pwd.getpwuid(os.getuid()).pw_dir
    except (ImportError, KeyError):
        return None
    return Path(entry) if entry and Path(entry).is_absolute() else None


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def env_db_path() -> Path | None:
    """``JOBDRAFT_SANDBOX_DB`` when set: the embedded sandbox's other store."""
    db = os.environ.get("JOBDRAFT_SANDBOX_DB")
    return Path(db) if db else None


def config_from_env() -> SandboxConfig:
    """The embedded sandbox's config, from ``JOBDRAFT_SANDBOX_*`` variables so
    that client tests can switch modes without flags.

    Raises ValueError, naming the variable, for a value it cannot use.
    """
    env = os.environ
    variants = _split(env.get("JOBDRAFT_SANDBOX_VARIANTS", ""))
    unknown = [name for name in variants if name not in views.VARIANTS]
    if unknown:
        raise ValueError(
            f"JOBDRAFT_SANDBOX_VARIANTS: unknown variant {unknown[0]!r}; "
            f"choose from {', '.join(views.VARIANTS)}"
        )
    chaos = _number(env, "JOBDRAFT_SANDBOX_CHAOS", float)
    if chaos is not None and not 0.0 <= chaos <= 1.0:
        raise ValueError(
            f"JOBDRAFT_SANDBOX_CHAOS: chaos must be between 0 and 1, "
            f"not {env['JOBDRAFT_SANDBOX_CHAOS'].strip()!r}"
        )
    return SandboxConfig(
        db_path=env_db_path() or default_db_path(),
        minimal=_flag(env, "JOBDRAFT_SANDBOX_MINIMAL"),
        claimed=_flag(env, CLAIMED_ENV),
        variants=frozenset(variants),
        chaos=chaos or 0.0,
        seed=_number(env, "JOBDRAFT_SANDBOX_SEED", int),
        page_origin=SERVE_ORIGIN,
    )


def _flag(env: Mapping[str, str], name: str) -> bool:
    return env.get(name, "").strip().lower() not in ("", "0", "false", "no")


def env_flag(name: str) -> bool:
    """Whether the variable ``name`` is set to something other than 0/false/no."""
    return _flag(os.environ, name)


Number = TypeVar("Number", int, float)


def _number(env: Mapping[str, str], name: str, kind: type[Number]) -> Number | None:
    text = env.get(name, "").strip()
    if not text:
        return None
    try:
        return kind(text)
    except ValueError:
        raise ValueError(f"{name} must be a number, not {text!r}") from None


def create_app(config: SandboxConfig, on_error: ErrorLog | None = None) -> WSGIApp:
    """The app; see SandboxApp for ``on_error``."""
    return SandboxApp(config, on_error=on_error)


# --- the app -------------------------------------------------------------------

Handler = Callable[[Request, dict[str, str]], Response]
# Told one line per unexpected error: "error <request id>: <type>: <message> (<file>:<line>)".
ErrorLog = Callable[[str], None]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler


class SandboxApp:
    """The WSGI callable.  Thread-safe: state lives in the store, and the
    chaos generator has its own lock.

    An unexpected error answers 500 in the envelope, never with a traceback,
    and is told to ``on_error`` in one line with the request id (``sandbox
    serve`` logs it beside the request's own line).  Without ``on_error``, as
    when ``jobdraft --sandbox`` mounts the app in-process, nothing is printed:
    the client reports the 500 itself, and a traceback on the user's terminal
    would only bury that report.
    """

    def __init__(self, config: SandboxConfig, *, on_error: ErrorLog | None = None) -> None:
        self.config = config
        self.on_error = on_error
        self.store = Store(config.db_path)
        self._rng = random.Random(config.seed)
        self._rng_lock = threading.Lock()
        self._serial = threading.Lock()
        # Request ids need to be unique, not secret: a generator seeded from
        # the OS once, instead of a getrandom() system call per request.
        self._ids = random.Random(os.urandom(32))
        self._block_words = [
            (word, re.compile(rf"\b{re.escape(word)}\b", re.I))
            for word in (w.strip() for w in config.block_words)
            if word
        ]
        self.routes = self._routes()
        self.pages = self._page_routes()

    def close(self) -> None:
        self.store.close()

    # The route table, first match wins (capabilities before {jobId}); a path
    # that matches only with other methods is a 405.
    def _routes(self) -> list[Route]:
        segment = r"(?P<job_id>[^/]+)"
        table: list[tuple[str, str, Handler]] = [
            ("GET", r"/openapi\.json", self.get_openapi),
            ("GET", rf"{API_PREFIX}/openapi\.json", self.get_openapi),
            ("GET", rf"{API_PREFIX}/job-drafts/capabilities", self.get_capabilities),
            ("POST", rf"{API_PREFIX}/job-drafts", self.create_draft),
            ("PATCH", rf"{API_PREFIX}/job-drafts/{segment}", self.patch_draft),
            ("POST", rf"{API_PREFIX}/jobs/{segment}/publish", self.publish),
            ("POST", rf"{API_PREFIX}/jobs/{segment}/close", self.close_job),
            ("GET", rf"{API_PREFIX}/jobs/mine", self.list_jobs),
            ("GET", rf"{API_PREFIX}/auth/me", self.get_me),
        ]
        if not self.config.minimal:
            # Ours, undocumented: --minimal serves without it (docs/api.md §3.4).
            table.append(("GET", rf"{API_PREFIX}/job-drafts/{segment}", self.read_draft))
        return [Route(m, re.compile(p), h) for m, p, h in table]

    # The web pages draftUrl and jobUrl name (views.draft_url, views.job_url):
    # for a browser, outside the API and its spec.
    def _page_routes(self) -> list[Route]:
        return [
            Route("GET", re.compile(r"/job-post"), self.get_job_page),
            Route("GET", re.compile(r"/jobs/(?P<job_id>[^/]+)"), self.get_job_page),
        ]

    # --- WSGI entry point -----------------------------------------------------

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        request_id = f"{self._ids.getrandbits(128):032x}"  # see __init__
        environ["jobdraft.request_id"] = request_id
        if self.config.latency_ms:
            time.sleep(self.config.latency_ms / 1000)  # outside the lock: delays overlap
        # One request at a time through the app: it is pure Python and CPU
        # bound, so under the GIL parallel requests gain nothing and cost
        # thread switches (the throughput benchmark measured 0.30 -> 0.41 of a
        # bare app).  Waitress still reads and writes sockets concurrently.
        with self._serial:
            try:
                response = self._dispatch(Request.from_environ(environ))
            except ApiError as error:
                headers = dict(error.headers)
                response = Response(error.status, envelope(error, request_id), headers)
            except DamagedRow as error:
                # Not a bug: a row edited by hand, say.  The message says which.
                self._log_error(request_id, error)
                damaged = ApiError(
                    500,
                    f"The sandbox store is damaged ({error}). "
                    "Emptying it ('jobdraft sandbox reset') repairs it.",
                )
                response = Response(500, envelope(damaged, request_id))
            except Exception as error:
                self._log_error(request_id, error)
                internal = ApiError(500, "Internal error in the sandbox.")
                response = Response(500, envelope(internal, request_id))
            return send(start_response, response, request_id)

    def _log_error(self, request_id: str, error: Exception) -> None:
        """One line: the request id, the exception and where it was raised."""
        if self.on_error is None:
            return
        frames = traceback.extract_tb(error.__traceback__)
        where = f" ({Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
        text = " ".join(str(error).split())
        if len(text) > 200:
            text = text[:199] + "…"
        self.on_error(f"error {request_id}: {type(error).__name__}: {text}{where}")

    def _dispatch(self, request: Request) -> Response:
        is_api = request.path.startswith(API_PREFIX + "/") and not request.path.endswith(
            "/openapi.json"
        )
        if is_api and self._chaos_strikes():
            # Decided before any work, so a 503 never hides a done write.
            raise ApiError(
                503, "The service is temporarily unavailable (sandbox chaos).",
                headers={"Retry-After": "1"},
            )  # fmt: skip
        allowed = []
        for route in (*self.routes, *self.pages):
            match = route.pattern.fullmatch(request.path)
            if match is None:
                continue
            if route.method == request.method:
                return route.handler(request, match.groupdict())
            allowed.append(route.method)
        if allowed:
            raise ApiError(
                405,
                f"Method {request.method} is not allowed here.",
                {"allowed": allowed},
                headers={"Allow": ", ".join(allowed)},
            )
        raise ApiError(404, f"No route for {request.method} {request.path}.")

    def _chaos_strikes(self) -> bool:
        if self.config.chaos <= 0:
            return False
        with self._rng_lock:
            return self._rng.random() < self.config.chaos

    # --- helpers ---------------------------------------------------------------

    def _variants(self) -> frozenset[str]:
        return self.config.variants

    def _issues(self, issues: list[JSON]) -> JSON:
        return views.issues_details(issues, self.config.variants)

    def _bad_body(self, issues: list[JSON]) -> ApiError:
        return ApiError(400, "Invalid request body.", self._issues(issues))

    def _feature(self, name: str) -> None:
        if name in self.config.disabled_features:
            raise ApiError(
                403,
                f"The {FEATURES[name]} feature is not enabled for this account.",
                {"featureKey": FEATURES[name], "mode": "OFF"},
            )

    def _body(self, job: Job, request: Request) -> JSON:
        return views.draft_body(
            job, self._origin(request), self.config.variants, minimal=self.config.minimal
        )

    def _origin(self, request: Request) -> str:
        """The origin of the URLs in answers: see SandboxConfig.page_origin."""
        return self.config.page_origin or request.origin

    @staticmethod
    def _not_found(job_id: str) -> ApiError:
        return ApiError(404, f"Job {job_id} not found.")

    # --- routes -------------------------------------------------------------------

    def get_openapi(self, request: Request, params: dict[str, str]) -> Response:
        from jobdraft.sandbox import openapi  # only this route needs it

        return Response(200, openapi.document(self.config))

    def get_job_page(self, request: Request, params: dict[str, str]) -> Response:
        """The web page of a job post, for a browser: no token, as a link
        shared is opened; the id, 80 random bits, is what gives access."""
        from jobdraft.sandbox import page  # only this route needs it

        job_id = params.get("job_id") or _first(request.query, "jobId")
        job_id = job_id or _first(request.query, "job") or ""
        with self.store.read() as tx:
            job = tx.find(job_id) if job_id else None
        if job is None:
            return Response(404, None, page=page.not_found_page(job_id))
        return Response(200, None, page=page.job_page(job))

    def get_capabilities(self, request: Request, params: dict[str, str]) -> Response:
        authenticate(request)
        # As the docs: with drafting off, capabilities itself is a 403 with
        # details.featureKey/mode, so a 200 always says enabled: true.
        self._feature("drafting")
        body = views.capabilities_body(
            publishing="publishing" not in self.config.disabled_features,
            minimal=self.config.minimal,
        )
        return Response(200, body)

    def get_me(self, request: Request, params: dict[str, str]) -> Response:
        account = authenticate(request, allow_deleted_user=True)
        if account.user_deleted:
            raise ApiError(404, USER_GONE)
        return Response(200, views.me_body(account.id, account.public_id, account.scopes))

    def create_draft(self, request: Request, params: dict[str, str]) -> Response:
        account = authenticate(request)
        self._feature("drafting")
        require_scope(account, "jobs:write")
        body = request.json_body(self._issues)
        found, key = self._read_create_body(body)
        now = time.time()
        with self.store.write() as tx:
            if key is not None:
                existing = tx.find_by_idempotency_key(account.id, key)
                if existing is not None:
                    # A repeat returns the draft as it is now, not a copy.
                    return Response(200, self._body(existing, request))
            job = Job(
                id=new_job_id(),
                account=account.id,
                status="DRAFT",
                fields=rules.apply_changes({}, found.fields),
                created_at=now,
                updated_at=now,
                low_confidence=[k for k in found.low_confidence if k in found.fields],
                warnings=found.warnings,
                unmapped=found.unmapped,
                external_id=found.external_id,
                idempotency_key=key,
            )
            tx.insert(job)
        return Response(200, self._body(job, request))

    def _read_create_body(self, body: JSON) -> tuple[Extraction, str | None]:
        """Check a create body; the extracted fields and the idempotency key."""
        if not isinstance(body, dict):
            raise self._bad_body([rules.invalid_type([], "object", body)])
        issues = inputs.check_create_body(body)
        if issues:
            raise self._bad_body(issues)
        source = body.get("source") or {}
        external_id = source.get("externalId") or body.get("externalId")
        key = source.get("idempotencyKey") or body.get("idempotencyKey")
        from jobdraft.sandbox.imports import ImportProblem

        try:
            found = inputs.extract(body)
        except ImportProblem as problem:
            raise self._bad_body([rules.custom(problem.path, problem.message)]) from None
        if external_id:
            found.external_id = external_id
        return found, key

    def read_draft(self, request: Request, params: dict[str, str]) -> Response:
        account = authenticate(request)
        self._feature("drafting")
        require_scope(account, "jobs:read")
        with self.store.read() as tx:
            job = tx.get(account.id, params["job_id"])
        if job is None:
            raise self._not_found(params["job_id"])
        return Response(200, self._body(job, request))

    def patch_draft(self, request: Request, params: dict[str, str]) -> Response:
        account = authenticate(request)
        self._feature("drafting")
        require_scope(account, "jobs:write")
        changes, issues = rules.check_update(request.json_body(self._issues))
        if issues:
            raise self._bad_body(issues)
        job = self._patch(account, params["job_id"], changes)
        if self.config.minimal:
            body = views.small_patch_body(job, self._origin(request), self._variants())
            return Response(200, body)
        return Response(200, self._body(job, request))

    def _patch(self, account: Account, job_id: str, changes: dict[str, JSON]) -> Job:
        with self.store.write_statement() as tx:
            fast = tx.merge_fields_if_plain(account.id, job_id, changes, time.time())
        if fast is not None:
            return fast
        # The general path: not found, not a draft, or a guess to confirm.
        with self.store.write() as tx:
            job = tx.get(account.id, job_id)
            if job is None:
                # The Update page documents a 403 for a job of another
                # account; publish and close keep their 404 (docs again).
                if tx.exists(job_id):
                    raise ApiError(403, "The job belongs to another account.", {"jobId": job_id})
                raise self._not_found(job_id)
            if job.status != "DRAFT":
                raise ApiError(
                    409,
                    f"Job {job.id} is {job.status}; only a draft can be updated.",
                    {"status": job.status},
                )
            job.fields = rules.apply_changes(job.fields, changes)
            # A value the user set is no longer a guess.
            confirmed = [k for k in job.low_confidence if k in changes]
            if confirmed:
                job.low_confidence = [k for k in job.low_confidence if k not in changes]
            job.updated_at = time.time()
            tx.save(job, extra=bool(confirmed))
        return job

    def publish(self, request: Request, params: dict[str, str]) -> Response:
        account = authenticate(request)
        self._feature("publishing")
        require_scope(account, "jobs:write")
        limit = DAILY_LIMIT_CLAIMED if self.config.claimed else DAILY_LIMIT
        with self.store.write() as tx:
            job = tx.get(account.id, params["job_id"])
            if job is None:
                raise self._not_found(params["job_id"])
            if views.is_published(job):
                return Response(200, views.publish_body(job, self._origin(request), already=True))
            if job.status != "DRAFT":
                raise ApiError(
                    409, f"Job {job.id} is {job.status}; it cannot be published.",
                    {"status": job.status},
                )  # fmt: skip
            validation = views.validation_body(job.fields, self._variants())
            if not validation["publishReady"]:
                raise ApiError(
                    400, "The draft is not ready to publish.", {"validation": validation}
                )
            reasons = self._moderation_reasons(job.fields)
            if reasons:
                raise ApiError(
                    403, "The job post was blocked by moderation.",
                    {"reason": "moderation_blocked", "reasons": reasons},
                )  # fmt: skip
            now = time.time()
            recent = tx.publishes_since(account.id, now - WINDOW_HOURS * 3600)
            if len(recent) >= limit:
                # No Retry-After: the docs show none on this 429, and a
                # client must not take a day-long wait for a retry hint.
                raise self._daily_limit(limit)
            job.status = "OPEN"
            job.published_at = now
            job.updated_at = now
            job.publish_attempt_id = f"pa_{secrets.token_hex(8)}"
            tx.save(job)
            tx.record_publish(account.id, now)
        return Response(200, views.publish_body(job, self._origin(request), already=False))

    def _daily_limit(self, limit: int) -> ApiError:
        """The documented 429, with words (and, beyond --minimal, details) on
        how to lift it in the sandbox, so nobody trying it out is stuck."""
        details: dict[str, JSON] = {"limit": limit, "windowHours": WINDOW_HOURS}
        ways = ["run 'jobdraft sandbox reset --publish-count' to clear the count (drafts are kept)"]
        if not self.config.claimed:
            ways.insert(
                0,
                f"use a claimed sandbox account ({DAILY_LIMIT_CLAIMED} a day): "
                f"set {CLAIMED_ENV}=1, or serve with 'jobdraft sandbox serve --claimed'",
            )
        if not self.config.minimal:
            details["sandbox"] = {"claimed": self.config.claimed, "toLift": ways}
        return ApiError(
            429,
            f"Daily publish limit reached ({limit} in {WINDOW_HOURS} hours). "
            f"In the sandbox: {'; or '.join(ways)}.",
            details,
        )

    def _moderation_reasons(self, fields: dict[str, JSON]) -> list[str]:
        reasons = []
        for word, pattern in self._block_words:
            for key, value in fields.items():
                texts = value if isinstance(value, list) else [value]
                if any(isinstance(t, str) and pattern.search(t) for t in texts):
                    reasons.append(f"Blocked term '{word}' in {key}.")
        return reasons

    def close_job(self, request: Request, params: dict[str, str]) -> Response:
        account = authenticate(request)
        require_scope(account, "jobs:write")
        with self.store.write() as tx:
            job = tx.get(account.id, params["job_id"])
            if job is None:
                raise self._not_found(params["job_id"])
            already = job.status == "ARCHIVED"
            if not already:
                job.status = "ARCHIVED"
                job.updated_at = time.time()
                tx.save(job)
        body = {"ok": True, "jobId": job.id, "status": job.status, "alreadyClosed": already}
        return Response(200, body)

    def list_jobs(self, request: Request, params: dict[str, str]) -> Response:
        account = authenticate(request)
        require_scope(account, "jobs:read")
        status = _first(request.query, "status")
        if status is not None and status not in views.LIST_STATUSES:
            raise ApiError(
                400,
                f"Unsupported status {status!r}.",
                {"supportedStatuses": list(views.LIST_STATUSES)},
            )
        limit = self._limit(_first(request.query, "limit"))
        before = self._cursor(_first(request.query, "cursor"))
        with self.store.read() as tx:
            jobs = tx.list_jobs(account.id, status=status, limit=limit + 1, before_seq=before)
        next_cursor = encode_cursor(jobs[limit - 1].seq) if len(jobs) > limit else None
        body = {
            "jobs": [views.job_summary(job, self._origin(request)) for job in jobs[:limit]],
            "nextCursor": next_cursor,
        }
        return Response(200, body)

    def _limit(self, text: str | None) -> int:
        if text is None:
            return 25
        try:
            value = int(text)
        except ValueError:
            issue = rules.invalid_type(["limit"], "number", text)
            raise ApiError(400, "Invalid query.", self._issues([issue])) from None
        if value < 1:
            raise ApiError(
                400, "Invalid query.", self._issues([rules.too_small(["limit"], "number", 1)])
            )
        if value > 100:
            raise ApiError(
                400, "Invalid query.", self._issues([rules.too_big(["limit"], "number", 100)])
            )
        return value

    def _cursor(self, text: str | None) -> int | None:
        if text is None:
            return None
        seq = decode_cursor(text)
        if seq is None:
            issue = rules.custom(["cursor"], "Invalid cursor.")
            raise ApiError(400, "Invalid query.", self._issues([issue]))
        return seq


def _first(query: dict[str, list[str]], name: str) -> str | None:
    values = query.get(name)
    return values[0] if values else None


def new_job_id() -> str:
    return f"jd_{secrets.token_hex(10)}"


# Cursors are opaque to clients; inside, the creation sequence of the last
# job of the page (jobs are listed newest first).
def encode_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(f"seq:{seq}".encode()).decode().rstrip("=")


def decode_cursor(text: str) -> int | None:
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    prefix, _, number = raw.partition(":")
    if prefix != "seq" or not number.isdigit() or len(number) > 18:
        return None
    return int(number)
