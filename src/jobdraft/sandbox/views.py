"""Response bodies, in the documented main form or one of its variants.

docs/api.md §5 lists shapes that vary: the documentation shows them in more
than one form and clients must accept each.  A sandbox started with a
variant answers in that form, so a client can be tested against every one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from jobdraft.sandbox import rules
from jobdraft.sandbox.store import Job

JSON = Any

# name -> what it changes (docs/sandbox.md has the same list for users).
VARIANTS: dict[str, str] = {
    "missing-objects": "validation.missingFields holds full objects instead of names",
    "missing-count-only": "validation.missingFields is empty while missingFieldCount > 0",
    "field-codes": "missing-field codes are per field (MISSING_EXPERIENCE_LEVEL)",
    "plain-prompts": "prompts are plain questions, without 'ask: ' and the enum list",
    "job-param-url": "draftUrl and reviewUrl use ?job= instead of ?jobId=",
    "issues-array": "zod issues: details is the issue array itself, not {issues: [...]}",
    "no-hints": "missing fields carry no hint, example or enumValues",
}

PUBLISHED_STATUSES = ("OPEN", "ONGOING", "COMPLETED")
LIST_STATUSES = ("DRAFT", "OPEN", "ONGOING", "COMPLETED", "ARCHIVED", "PENDING_APPROVAL")


def timestamp(epoch: float) -> str:
    moment = datetime.fromtimestamp(epoch, timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def draft_url(origin: str, job_id: str, variants: frozenset[str]) -> str:
    param = "job" if "job-param-url" in variants else "jobId"
    return f"{origin}/job-post?{param}={job_id}"


def job_url(origin: str, job_id: str) -> str:
    return f"{origin}/jobs/{job_id}"


def issues_details(issues: list[JSON], variants: frozenset[str]) -> JSON:
    return issues if "issues-array" in variants else {"issues": issues}


def missing_objects(
    fields: Mapping[str, JSON], missing: tuple[str, ...], variants: frozenset[str]
) -> list[dict[str, JSON]]:
    objects = []
    for key in missing:
        item = rules.missing_field(key, fields)
        if "field-codes" in variants:
            item["code"] = rules.per_field_code(key)
        if "plain-prompts" in variants:
            item["prompt"] = rules.FIELD_BY_KEY[key].question
        if "no-hints" in variants:
            for name in ("hint", "example", "enumValues"):
                del item[name]
        objects.append(item)
    return objects


def validation_body(
    fields: Mapping[str, JSON],
    variants: frozenset[str],
    result: rules.Validation | None = None,
) -> dict[str, JSON]:
    """The validation shape; ``result`` saves validating twice per answer."""
    result = result or rules.validate(fields)
    names: list[JSON] = list(result.missing)
    if "missing-objects" in variants:
        names = list(missing_objects(fields, result.missing, variants))
    if "missing-count-only" in variants:
        names = []
    return {
        "publishReady": result.publish_ready,
        "issueCount": len(result.issues),
        "missingFieldCount": len(result.missing),
        "missingFields": names,
        "issues": [dict(issue) for issue in result.issues],
    }


def draft_body(job: Job, origin: str, variants: frozenset[str], *, minimal: bool) -> JSON:
    """The create / read / full PATCH body (docs/api.md §3.2)."""
    url = draft_url(origin, job.id, variants)
    result = rules.validate(job.fields)
    body: dict[str, JSON] = {
        "ok": True,
        "jobId": job.id,
        "status": job.status,
        "draftUrl": url,
        "reviewUrl": url,
        "validation": validation_body(job.fields, variants, result),
        "missingFields": missing_objects(job.fields, result.missing, variants),
        # In the order of updateKeys, whatever order the store kept.
        "normalizedFields": {k: job.fields[k] for k in rules.UPDATE_KEYS if k in job.fields},
        "lowConfidenceFields": list(job.low_confidence),
        "warnings": list(job.warnings),
        "unmappedFields": list(job.unmapped),
    }
    if not minimal:
        # Ours, not documented: handy for scripts that import from a feed.
        body["externalId"] = job.external_id
    return body


def small_patch_body(job: Job, origin: str, variants: frozenset[str]) -> JSON:
    """The PATCH body exactly as documented (docs/api.md §3.3)."""
    return {
        "ok": True,
        "jobId": job.id,
        "status": job.status,
        "draftUrl": draft_url(origin, job.id, variants),
        "validation": validation_body(job.fields, variants),
    }


def is_published(job: Job) -> bool:
    return job.status in PUBLISHED_STATUSES


def job_summary(job: Job, origin: str) -> JSON:
    """One entry of ``GET /jobs/mine`` (docs/api.md §3.6)."""
    published = job.published_at is not None
    return {
        "id": job.id,
        "title": job.fields.get("jobTitle"),
        "status": job.status,
        "published": published,
        "acceptingApplicants": job.status == "OPEN",
        "createdAt": timestamp(job.created_at),
        "updatedAt": timestamp(job.updated_at),
        "jobUrl": job_url(origin, job.id) if published else None,
        "proposalCounts": {"total": 0, "unreviewed": 0},
    }


def publish_body(job: Job, origin: str, *, already: bool) -> JSON:
    return {
        "ok": True,
        "jobId": job.id,
        "status": job.status,
        "alreadyPublished": already,
        "jobUrl": job_url(origin, job.id),
        "publishAttemptId": job.publish_attempt_id,
        "warnings": [],
        "sideEffects": (
            {"dispatched": False, "status": "skipped"}
            if already
            else {"dispatched": True, "status": "queued"}
        ),
    }


def capabilities_body(*, publishing: bool, minimal: bool) -> JSON:
    """Capabilities of an account with drafting on: with it off, the route is
    a 403 (the docs: ``enabled`` is always true on a 200)."""
    draft: dict[str, JSON] = {
        "importFormats": [
            "text",
            "opentrain_canonical",
            "schema_org_job_posting",
            "indeed_xml",
            "hr_xml",
        ],
        "updateKeys": list(rules.UPDATE_KEYS),
        "enums": rules.enums(),
    }
    if not minimal:
        # Ours: the type of every key, so clients need not guess for the
        # undocumented ones (docs/api.md §4 says "strings unless the server says").
        draft["fieldTypes"] = {spec.key: spec.type for spec in rules.FIELDS}
    return {
        "featureKey": "public_api_job_drafting",
        "namespace": "job-drafts",
        "rolloutMode": "ALL",
        "actorIsAdmin": False,
        "capabilities": {
            "draftImport": True,
            "draftCreate": True,
            "draftUpdate": True,
            "draftUrlRead": True,
            "publish": publishing,
            "hiring": False,
            "messagingWrites": False,
            "team": True,
            "paymentsWrite": False,
            "credits": True,
            "webhooks": True,
        },
        "draft": draft,
        "authBootstrap": "token",
        "enabled": True,
    }


def me_body(account_id: str, public_id: str, scopes: tuple[str, ...]) -> JSON:
    """``GET /auth/me`` in the documented shape.  The values are made up from
    the token (the sandbox has no users): each token is a personal account
    of its own user, in no organization."""
    user_id = f"usr_{account_id[:16]}"
    first, last = "Sandbox", public_id[:64]
    return {
        "actor": {
            "userId": user_id,
            "email": f"{public_id.lower()}@sandbox.invalid",
            "firstName": first,
            "lastName": last,
            "fullName": f"{first} {last}",
            "userType": "AGENT",
        },
        "token": {
            "id": public_id,
            "label": f"sandbox token {public_id}",
            "scopes": list(scopes),
            "ownerOrganizationId": None,
        },
        "account": {
            "kind": "PERSONAL",
            "organizationId": None,
            "ownerUserId": user_id,
            "memberRole": None,
        },
    }
