"""The draft operations the commands and the wizard share: one home for each flow.

Creating a draft from a description, typing prefilled answers
(``--set``/``--file``/``--answers``), patching, and publishing with the
words that explain its outcome or its refusal.  ``commands`` (``create``,
``patch``, ``publish``...) and ``fill``/``wizard`` call these, so a flow
behaves the same whichever way the user takes.  Returns data and raises
``JobdraftError``; never prints or prompts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jobdraft import hints
from jobdraft.drafting import create_body
from jobdraft.errors import ApiError, AuthError, NotReady, RateLimited
from jobdraft.fields import parse_assignment, read_answers, read_assignments
from jobdraft.json_types import Json

if TYPE_CHECKING:
    from jobdraft.model import Capabilities, Draft, PublishResult
    from jobdraft.session import Session


# -- create --------------------------------------------------------------------------


def create_draft(
    session: Session, description: str, idempotency_key: str, external_id: str | None = None
) -> Draft:
    """A new draft from ``description``; the same key sent again gets the same draft back."""
    return session.create(create_body(description, external_id, idempotency_key))


# -- typed answers -------------------------------------------------------------------


@dataclass(frozen=True)
class TypedAnswers:
    """Prefilled answers typed for their fields, and the capabilities that typed them."""

    body: dict[str, Json]
    capabilities: Capabilities | None


def type_answers(
    session: Session,
    answers: Mapping[str, Json],
    assignments: Sequence[str],
    job_id: str | None,
) -> TypedAnswers:
    """``--file``/``--answers`` then ``--set``, typed and checked before anything is sent.

    A key a cached copy of the capabilities does not list makes them be
    fetched again first (``Session.capabilities_for``): the key may be new on
    the server, and the user's key must not be refused for a stale cache.
    """
    names = [*answers, *(parse_assignment(arg)[0] for arg in assignments)]
    capabilities = session.capabilities_for(names)
    known = session.known_missing(job_id) if job_id else {}
    body = read_answers(answers, capabilities, known)
    body.update(read_assignments(assignments, capabilities, known))
    return TypedAnswers(body, capabilities)


# -- patch ---------------------------------------------------------------------------


def patch_draft(session: Session, job_id: str, body: Mapping[str, Json]) -> Draft:
    """One PATCH; a key the server does not know makes the cached capabilities stale."""
    return session.patch(job_id, body)


# -- publish -------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishOutcome:
    """What to tell the user after a publish the server accepted."""

    headline: str
    url: str | None
    warnings: tuple[str, ...]


def publish_draft(session: Session, job_id: str) -> PublishResult:
    """Publish, or raise the refusal in words about publishing (same class, same exit code)."""
    try:
        return session.publish(job_id)
    except NotReady as exc:
        exc.hint = exc.hint or fill_the_gaps_hint(job_id)
        raise
    except (RateLimited, AuthError) as exc:
        if exc.status == 401:
            raise
        message, hint = refusal(exc, job_id)
        # Same class (same exit code) and details (print_error shows the
        # reasons, the limit or the feature), in words about publishing.
        raise type(exc)(
            message,
            status=exc.status,
            code=exc.code,
            request_id=exc.request_id,
            details=exc.details,
            hint=hint,
        ) from None


def cached_guesses(session: Session, job_id: str) -> list[str]:
    """The labels of the values the last full answer seen for ``job_id`` marked as guesses."""
    from jobdraft.model import Draft
    from jobdraft.planning import is_blank
    from jobdraft.questions import label_for

    entry = session.cache.draft(session.origin, job_id) or {}
    answer = entry.get("answer")
    if entry.get("status") not in (None, "DRAFT"):
        return []  # published since: nothing left to check before publishing
    if not isinstance(answer, dict) or "lowConfidenceFields" not in answer:
        return []
    try:
        draft = Draft.from_json(answer)
    except ValueError:
        return []
    fields = draft.fields or {}
    return [label_for(key) for key in draft.low_confidence if not is_blank(fields.get(key))]


def listed(words: Sequence[str]) -> str:
    """Field labels in a sentence: "A", "A and B", "A, B and C"."""
    return " and ".join(filter(None, [", ".join(words[:-1]), words[-1]])) if words else ""


def fill_the_gaps_hint(job_id: str) -> str:
    return f"fill the gaps first: {hints.command('fill', job_id)}"


def refusal(exc: ApiError, job_id: str) -> tuple[str, str]:
    """Why publishing was refused, and what to do; the draft is never touched."""
    details = exc.details if isinstance(exc.details, dict) else {}
    publish = hints.command("publish", job_id)
    later = f"publish it later: {publish}"
    # Our words say what it means; the server's own words follow, since they
    # may say more than the documentation does.
    said = f" (the server said: {exc.message})" if exc.message else ""
    if details.get("reason") == "moderation_blocked":
        return (
            f"moderation blocked this job post{said}",
            "the draft is kept as it is: change the text named above "
            f"({hints.command('patch', job_id, '--set', 'key=value')}), then publish it: {publish}",
        )
    if isinstance(exc, RateLimited):
        when = exc.when()
        if when:
            later = f"try again {when}: {publish}"
        return (f"the daily publish limit is reached{said}", f"the draft is kept as it is; {later}")
    if "featureKey" in details:
        return (
            f"publishing is not enabled for this account{said}",
            f"the draft is kept as it is; once it is enabled, publish it: {publish}",
        )
    return (f"publishing was refused: {exc.message}", f"the draft is kept as it is; {later}")


def publish_outcome(result: PublishResult, job_id: str) -> PublishOutcome:
    headline = (
        f"{job_id} was already published." if result.already_published else f"Published {job_id}."
    )
    return PublishOutcome(headline, result.job_url, tuple(result.warnings))
