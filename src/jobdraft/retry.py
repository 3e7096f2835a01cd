"""The one retry rule: what happened to an attempt -> wait this long, or give up.

Pure and standard-library only, so that it is tested directly, without a
server; ``client`` holds the one loop that applies it.

Whether a call may be repeated depends on what a repeat would do on the server:

- A read (GET) changes nothing: repeated on a connection error, a timeout, a
  connection dropped mid-answer, and on 429, 502, 503 and 504.
- A write that provably never reached the server (no connection was made) is
  repeated, whatever it is.
- A *replay-safe* write is repeated like a read: a create that carries an
  ``idempotencyKey`` (the API answers a repeat with the draft the first one
  made, never a second draft) and a publish (a repeat answers
  ``alreadyPublished: true``).  So a create or publish that timed out is retried
  for the user instead of asking them to repeat it.
- Any other write (a PATCH, a close, a create without a key) is repeated only on
  503, and on a 429 that says when to come back: after a timeout or a dropped
  connection it may have been applied, and the user decides.
- No write is repeated on a 429 without ``Retry-After``: that is how the API
  reports the daily publish limit, which no retry within a minute can lift.
- A wait longer than ``MAX_WAIT_SECONDS`` (a ``Retry-After`` of hours) is
  reported at once rather than sat through.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from enum import Enum

MAX_WAIT_SECONDS = 20.0
READ_STATUSES = frozenset({429, 502, 503, 504})
WRITE_STATUSES = frozenset({429, 503})


class Outcome(Enum):
    """What became of one attempt, as far as a retry is concerned."""

    NOT_CONNECTED = "not connected"  # no connection was made: the server saw nothing
    TIMEOUT = "timeout"  # the deadline passed: the server may have acted
    DROPPED = "dropped"  # the connection broke mid-exchange: the server may have acted
    STATUS = "status"  # the server answered with a status code


@dataclass(frozen=True)
class Operation:
    method: str
    replay_safe: bool = False  # a repeat has the same effect as one call

    @property
    def is_read(self) -> bool:
        return self.method.upper() == "GET"


def retry_delay(
    operation: Operation,
    outcome: Outcome,
    *,
    attempt: int,
    max_retries: int,
    status: int | None = None,
    retry_after: float | None = None,
    jitter: float = 1.0,
) -> float | None:
    """Seconds to wait before attempt ``attempt + 1``, or None to give up.

    ``attempt`` counts from 0 (the first try); ``jitter`` is a factor in
    [0.5, 1] drawn by the caller, so that this function stays deterministic.
    """
    if attempt >= max_retries:
        return None
    if retry_after is not None and retry_after > MAX_WAIT_SECONDS:
        return None
    repeatable = operation.is_read or operation.replay_safe
    if outcome is Outcome.NOT_CONNECTED:
        allowed = True
    elif outcome in (Outcome.TIMEOUT, Outcome.DROPPED):
        allowed = repeatable
    elif status == 429 and retry_after is None and not operation.is_read:
        allowed = False  # the daily publish limit: report it at once
    else:
        allowed = status in (READ_STATUSES if repeatable else WRITE_STATUSES)
    if not allowed:
        return None
    if retry_after is not None:
        return retry_after
    # Full jitter keeps many clients from retrying in step.
    return min(0.5 * 2.0**attempt, MAX_WAIT_SECONDS) * jitter


def retry_after_seconds(value: str | None) -> float | None:
    """``Retry-After`` as seconds: a number of seconds or an HTTP date."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        # "nan" and "inf" parse as floats; neither is a wait.
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return max(0.0, when.timestamp() - time.time())
