"""The exception tree and the exit-code table.

Every failure a user or a server can cause is one of these exceptions; the CLI
maps them to an exit code in exactly one place (``cli.main``).  This module
imports nothing of ours so that every layer can raise from it.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any


class ExitCode(IntEnum):
    """Documented exit codes (README, "Exit codes")."""

    OK = 0
    UNEXPECTED = 1
    USAGE = 2  # bad usage, or a value refused before sending
    REJECTED = 3  # the server rejected the request (400)
    AUTH = 4  # not authenticated or not allowed (401/403)
    NOT_FOUND = 5  # not found or not a draft (404/409)
    NETWORK = 6  # network failure, timeout, 5xx, a reply that is not JSON
    RATE_LIMITED = 7  # 429
    NOT_READY = 8  # publish refused because fields are missing
    INTERRUPTED = 130  # Ctrl-C


class JobdraftError(Exception):
    """Base of every error we expect; carries its exit code."""

    exit_code: ExitCode = ExitCode.UNEXPECTED

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(JobdraftError):
    """Bad flags or a value refused before anything was sent."""

    exit_code = ExitCode.USAGE


class NoPromptError(UsageError):
    """An interactive command was run where it may not prompt."""


class ConfigError(UsageError):
    """Settings or credentials are missing or unusable."""


class NotLoggedIn(JobdraftError):
    """No token anywhere: not authenticated, before any request."""

    exit_code = ExitCode.AUTH


class InterruptedByUser(JobdraftError):
    """Ctrl-C; what was typed is already saved."""

    exit_code = ExitCode.INTERRUPTED


class ApiError(JobdraftError):
    """The server answered with an error envelope (or something in its place)."""

    exit_code = ExitCode.UNEXPECTED

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        request_id: str | None = None,
        details: Any = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.status = status
        self.code = code
        self.request_id = request_id
        self.details = details


class BadRequest(ApiError):
    """400: the server refused the body; ``field_errors`` maps a key to its messages."""

    exit_code = ExitCode.REJECTED

    def __init__(self, message: str, **kwargs: Any) -> None:
        field_errors: dict[str, list[str]] = kwargs.pop("field_errors", None) or {}
        super().__init__(message, **kwargs)
        self.field_errors = field_errors


class NotReady(BadRequest):
    """400 from publish: the draft still misses fields; ``details.validation`` says which."""

    exit_code = ExitCode.NOT_READY


class AuthError(ApiError):
    """401 or 403: missing, bad or under-scoped token, disabled feature, moderation."""

    exit_code = ExitCode.AUTH


class FeatureDisabled(AuthError):
    """403 with ``details.featureKey``/``mode``: the account may not use that feature."""


class OtherAccountsDraft(AuthError):
    """403 on PATCH: the draft exists but belongs to another account."""


class UserGone(AuthError):
    """404 from ``GET /auth/me``: the token's user no longer exists."""


class NotFound(ApiError):
    """404 or 409: no such draft for this account, or it is no longer a draft."""

    exit_code = ExitCode.NOT_FOUND


class RateLimited(ApiError):
    """429, after the retries allowed were spent."""

    exit_code = ExitCode.RATE_LIMITED
    retry_after: float | None = None  # seconds, from the Retry-After header

    def when(self) -> str | None:
        """ "in about 5 hours": when the server says to try again, in words.

        ``Retry-After`` first; without it (the daily publish limit has none),
        ``details.windowHours``: the count is over a rolling window, so a
        publish is allowed again at the latest when the window has passed.
        """
        seconds = self.retry_after
        if seconds is None:
            seconds = self._window_seconds()
        if seconds is None or seconds <= 0:
            return None
        if seconds < 90:
            return f"in about {max(1, round(seconds))} seconds"
        if seconds < 90 * 60:
            return f"in about {round(seconds / 60)} minutes"
        hours = round(seconds / 3600)
        return f"in about {hours} hour{'s' if hours != 1 else ''}"

    def _window_seconds(self) -> float | None:
        details = self.details if isinstance(self.details, dict) else {}
        hours = details.get("windowHours")
        # bool is an int; a window past a year is no promise worth repeating.
        if isinstance(hours, bool) or not isinstance(hours, (int, float)):
            return None
        if not 0 < hours <= 24 * 366:
            return None
        return float(hours) * 3600


class ServerError(ApiError):
    """5xx, a reply that is not JSON, or a cut body."""

    exit_code = ExitCode.NETWORK


class NetworkError(ApiError):
    """The server could not be reached, or did not answer in time."""

    exit_code = ExitCode.NETWORK
