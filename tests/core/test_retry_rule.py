"""The retry rule on its own: what happened to an attempt -> a wait, or give up."""

from __future__ import annotations

import pytest

from jobdraft.retry import MAX_WAIT_SECONDS, Operation, Outcome, retry_after_seconds, retry_delay

READ = Operation("GET")
PATCH = Operation("PATCH")
CREATE_WITH_KEY = Operation("POST", replay_safe=True)
CREATE_WITHOUT_KEY = Operation("POST")
PUBLISH = Operation("POST", replay_safe=True)


def delay(operation: Operation, outcome: Outcome, **kw: object) -> float | None:
    kw.setdefault("attempt", 0)
    kw.setdefault("max_retries", 3)
    return retry_delay(operation, outcome, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("operation", [READ, PATCH, CREATE_WITHOUT_KEY, PUBLISH])
def test_an_attempt_that_never_connected_is_retried_whatever_the_method(
    operation: Operation,
) -> None:
    assert delay(operation, Outcome.NOT_CONNECTED) is not None


@pytest.mark.parametrize("outcome", [Outcome.TIMEOUT, Outcome.DROPPED])
def test_after_a_timeout_or_a_dropped_connection_only_replay_safe_calls_are_retried(
    outcome: Outcome,
) -> None:
    assert delay(READ, outcome) is not None
    # create with an idempotencyKey and publish (alreadyPublished) repeat harmlessly
    assert delay(CREATE_WITH_KEY, outcome) is not None
    assert delay(PUBLISH, outcome) is not None
    # a PATCH or an unkeyed create may have been applied: the user decides
    assert delay(PATCH, outcome) is None
    assert delay(CREATE_WITHOUT_KEY, outcome) is None


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_reads_are_retried_on_the_documented_statuses(status: int) -> None:
    assert delay(READ, Outcome.STATUS, status=status) is not None


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 500])
def test_no_call_is_retried_on_other_statuses(status: int) -> None:
    for operation in (READ, PATCH, PUBLISH):
        assert delay(operation, Outcome.STATUS, status=status) is None


def test_a_plain_write_is_retried_on_503_only_not_502_or_504() -> None:
    assert delay(PATCH, Outcome.STATUS, status=503) is not None
    assert delay(PATCH, Outcome.STATUS, status=502) is None
    assert delay(PATCH, Outcome.STATUS, status=504) is None
    assert delay(PUBLISH, Outcome.STATUS, status=504) is not None


def test_no_write_is_retried_on_a_429_without_retry_after() -> None:
    """That is the daily publish limit: report it at once; reads keep retrying."""
    for write in (PATCH, PUBLISH, CREATE_WITH_KEY):
        assert delay(write, Outcome.STATUS, status=429) is None
        assert delay(write, Outcome.STATUS, status=429, retry_after=2.0) == 2.0
    assert delay(READ, Outcome.STATUS, status=429) is not None


def test_retry_after_is_honoured_and_a_long_one_gives_up_at_once() -> None:
    assert delay(READ, Outcome.STATUS, status=503, retry_after=7.0) == 7.0
    assert delay(READ, Outcome.STATUS, status=503, retry_after=MAX_WAIT_SECONDS + 1) is None


def test_the_backoff_grows_with_jitter_and_is_capped() -> None:
    waits = [
        delay(READ, Outcome.STATUS, status=503, attempt=n, max_retries=99, jitter=1.0)
        for n in range(8)
    ]
    assert waits[:4] == [0.5, 1.0, 2.0, 4.0]
    assert max(w for w in waits if w is not None) == MAX_WAIT_SECONDS
    assert delay(READ, Outcome.STATUS, status=503, attempt=2, jitter=0.5) == 1.0


def test_the_retries_are_bounded() -> None:
    assert delay(READ, Outcome.TIMEOUT, attempt=2, max_retries=3) is not None
    assert delay(READ, Outcome.TIMEOUT, attempt=3, max_retries=3) is None
    assert delay(READ, Outcome.NOT_CONNECTED, attempt=0, max_retries=0) is None


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("3", 3.0), ("-4", 0.0), (None, None), ("", None), ("soon", None), ("nan", None)],
)
def test_retry_after_header_forms(header: str | None, seconds: float | None) -> None:
    assert retry_after_seconds(header) == seconds


def test_retry_after_as_a_past_http_date_is_now() -> None:
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
