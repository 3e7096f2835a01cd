"""The OpenAPI 3.1 document of a sandbox, built from the same tables as the
app (rules, variants, config), so it describes exactly what this instance
serves: ``--minimal`` drops the read route and shrinks the PATCH answer,
variants change the validation shapes, ``--chaos`` adds the 503.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jobdraft.sandbox import API_PREFIX, rules, views

if TYPE_CHECKING:
    from jobdraft.sandbox.app import SandboxConfig

JSON = Any

_REF = "#/components/schemas/"


def _ref(name: str) -> JSON:
    return {"$ref": _REF + name}


def _nullable(schema: JSON) -> JSON:
    return {"anyOf": [schema, {"type": "null"}]}


_STR = {"type": "string"}
_INT = {"type": "integer"}
_BOOL = {"type": "boolean"}
_STRINGS = {"type": "array", "items": _STR}


def _obj(properties: dict[str, JSON], required: list[str] | None = None) -> JSON:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": False,
    }


def field_schema(spec: rules.FieldSpec) -> JSON:
    """The JSON schema of one patchable key's value."""
    if spec.type in ("string", "text"):
        schema: JSON = {"type": "string", "pattern": r"\S"}
        if spec.max_length is not None:
            schema["maxLength"] = spec.max_length
        return schema
    if spec.type == "enum":
        return {"type": "string", "enum": list(spec.enum or ())}
    if spec.type == "boolean":
        return dict(_BOOL)
    if spec.type in ("number", "integer"):
        schema = {"type": spec.type}
        if spec.minimum is not None:
            schema["minimum"] = spec.minimum
        if spec.maximum is not None:
            schema["maximum"] = spec.maximum
        return schema
    item: JSON = (
        {"type": "string", "enum": list(spec.enum)}
        if spec.enum is not None
        else {"type": "string", "pattern": r"\S", "maxLength": spec.max_length}
    )
    array: JSON = {"type": "array", "items": item}
    if spec.max_items is not None:
        array["maxItems"] = spec.max_items
    return array


def _schemas(config: SandboxConfig) -> dict[str, JSON]:
    variants = config.variants
    key_enum = {"type": "string", "enum": list(rules.UPDATE_KEYS)}
    missing_props: dict[str, JSON] = {
        "field": key_enum,
        "label": _STR,
        "message": _STR,
        "code": _STR,
        "prompt": _STR,
        "type": {"type": "string", "enum": list(rules.FIELD_TYPES)},
        "enumValues": _nullable(_STRINGS),
        "updateKeys": {"type": "array", "items": key_enum, "minItems": 1},
        "example": {},
        "hint": _nullable(_STR),
    }
    if "no-hints" in variants:
        for name in ("enumValues", "example", "hint"):
            del missing_props[name]
    if "missing-count-only" in variants:
        names: JSON = {"type": "array", "maxItems": 0}
    elif "missing-objects" in variants:
        names = {"type": "array", "items": _ref("MissingField")}
    else:
        names = {"type": "array", "items": key_enum}
    field_values = {spec.key: field_schema(spec) for spec in rules.FIELDS}
    draft_props: dict[str, JSON] = {
        "ok": {"const": True},
        "jobId": _STR,
        "status": {"type": "string", "enum": list(views.LIST_STATUSES)},
        "draftUrl": _STR,
        "reviewUrl": _STR,
        "validation": _ref("Validation"),
        "missingFields": {"type": "array", "items": _ref("MissingField")},
        "normalizedFields": _ref("FieldValues"),
        "lowConfidenceFields": {"type": "array", "items": key_enum},
        "warnings": _STRINGS,
        "unmappedFields": {"type": "array", "items": _ref("UnmappedField")},
    }
    if not config.minimal:
        draft_props["externalId"] = _nullable(_STR)
    capabilities_draft: dict[str, JSON] = {
        "importFormats": _STRINGS,
        "updateKeys": {"type": "array", "items": key_enum},
        "enums": {"type": "object", "additionalProperties": _STRINGS},
    }
    if not config.minimal:
        capabilities_draft["fieldTypes"] = {
            "type": "object",
            "additionalProperties": {"type": "string", "enum": list(rules.FIELD_TYPES)},
        }
    text = {"type": "string", "pattern": r"\S", "maxLength": rules.MAX_DESCRIPTION_CHARS}
    ident = {"type": "string", "minLength": 1, "maxLength": 200}
    ids = {"externalId": ident, "idempotencyKey": ident}
    return {
        "Error": {
            "type": "object",
            "properties": {"error": _STR, "code": _STR, "requestId": _STR, "details": {}},
            "required": ["error", "code", "requestId"],
        },
        "MissingField": _obj(missing_props),
        "BlockingIssue": _obj({"field": key_enum, "code": _STR, "message": _STR}),
        "Validation": _obj(
            {
                "publishReady": _BOOL,
                "issueCount": {"type": "integer", "minimum": 0},
                "missingFieldCount": {"type": "integer", "minimum": 0},
                "missingFields": names,
                "issues": {"type": "array", "items": _ref("BlockingIssue")},
            }
        ),
        "FieldValues": {"type": "object", "properties": field_values,
                        "additionalProperties": False},
        "FieldUpdate": {
            "type": "object",
            "properties": {k: _nullable(v) for k, v in field_values.items()},
            "additionalProperties": False,
            "minProperties": 1,
        },
        "UnmappedField": _obj({"path": _STR, "reason": _STR, "valuePreview": _STR}),
        "Draft": _obj(draft_props),
        "DraftUpdated": _obj(
            {"ok": {"const": True}, "jobId": _STR, "status": draft_props["status"],
             "draftUrl": _STR, "validation": _ref("Validation")}
        ),
        "CreateRequest": {
            "oneOf": [
                _obj({"rawJobDescription": text, **ids}, ["rawJobDescription"]),
                _obj(
                    {"source": _obj({"type": {"const": "text"}, "text": text, **ids},
                                    ["type", "text"]), **ids},
                    ["source"],
                ),
                _obj({"format": {"const": "opentrain_canonical"}, "job": _canonical_job(),
                      **ids}, ["format", "job"]),
                _obj({"format": {"const": "schema_org_job_posting"},
                      "jsonLd": {"type": "object"}, **ids}, ["format", "jsonLd"]),
                _obj({"format": {"enum": ["indeed_xml", "hr_xml"]},
                      "xml": {"type": "string", "minLength": 1}, **ids}, ["format", "xml"]),
            ]
        },
        "Capabilities": _obj(
            {
                "featureKey": _STR,
                "namespace": _STR,
                "rolloutMode": _STR,
                "actorIsAdmin": _BOOL,
                "capabilities": {"type": "object", "additionalProperties": _BOOL},
                "draft": _obj(capabilities_draft),
                "authBootstrap": _STR,
                "enabled": {"const": True},  # drafting off is a 403 instead
            }
        ),
        "Published": _obj(
            {
                "ok": {"const": True},
                "jobId": _STR,
                "status": _STR,
                "alreadyPublished": _BOOL,
                "jobUrl": _STR,
                "publishAttemptId": _nullable(_STR),
                "warnings": _STRINGS,
                "sideEffects": _obj({"dispatched": _BOOL, "status": _STR}),
            }
        ),
        "Closed": _obj(
            {"ok": {"const": True}, "jobId": _STR, "status": _STR, "alreadyClosed": _BOOL}
        ),
        "JobList": _obj(
            {
                "jobs": {
                    "type": "array",
                    "items": _obj(
                        {
                            "id": _STR,
                            "title": _nullable(_STR),
                            "status": draft_props["status"],
                            "published": _BOOL,
                            "acceptingApplicants": _BOOL,
                            "createdAt": {"type": "string", "format": "date-time"},
                            "updatedAt": {"type": "string", "format": "date-time"},
                            "jobUrl": _nullable(_STR),
                            "proposalCounts": _obj({"total": _INT, "unreviewed": _INT}),
                        }
                    ),
                },
                "nextCursor": _nullable(_STR),
            }
        ),
        "Me": _obj(
            {
                "actor": _obj({"userId": _STR, "email": _STR, "firstName": _nullable(_STR),
                               "lastName": _nullable(_STR), "fullName": _nullable(_STR),
                               "userType": _STR}),
                "token": _obj({"id": _STR, "label": _nullable(_STR), "scopes": _STRINGS,
                               "ownerOrganizationId": _nullable(_STR)}),
                "account": _obj({"kind": _STR, "organizationId": _nullable(_STR),
                                 "ownerUserId": _nullable(_STR),
                                 "memberRole": _nullable(_STR)}),
            }
        ),
    }  # fmt: skip


def _canonical_job() -> JSON:
    """The documented keys of a canonical job, typed by the rules of the draft
    key each fills (imports.CANONICAL_KEYS).  Other keys are not refused: the
    patchable keys are accepted too and anything else is reported unmapped."""
    from jobdraft.sandbox.imports import CANONICAL_KEYS  # only this schema needs it

    props = {
        name: field_schema(rules.FIELD_BY_KEY[key])
        for name, key in CANONICAL_KEYS.items()
        if name != "tools"
    }
    props["tools"] = {"type": "array", "items": {"type": "string", "pattern": r"\S"}}
    props["rateAmount"] = {"type": "number", "minimum": 0}
    return {"type": "object", "properties": props}


_MESSAGES = {
    400: "Invalid request (zod issues in details) or draft not ready",
    401: "Missing, malformed, expired or revoked token",
    403: "Missing scope, disabled feature, moderation, or another account's draft",
    404: "No such job for this token (or, on /auth/me, the token's user is gone)",
    409: "The job is not in a state that allows this",
    429: "Daily publish limit reached",
    500: "Internal error",
    503: "Sandbox chaos: try again after Retry-After",
}


def _operation(
    config: SandboxConfig,
    op_id: str,
    summary: str,
    ok: str,
    errors: list[int],
    *,
    body: str | None = None,
    params: list[JSON] | None = None,
) -> JSON:
    request_id = {"X-Request-Id": {"schema": _STR, "required": True}}
    responses: dict[str, JSON] = {
        "200": {
            "description": "OK",
            "headers": request_id,
            "content": {"application/json": {"schema": _ref(ok)}},
        }
    }
    codes = [*errors, 500]
    if config.chaos > 0:
        codes.append(503)
    for code in sorted(set(codes)):
        headers = dict(request_id)
        if code == 503:  # the docs' daily-limit 429 carries no Retry-After
            headers["Retry-After"] = {"schema": _STR, "required": True}
        responses[str(code)] = {
            "description": _MESSAGES[code],
            "headers": headers,
            "content": {"application/json": {"schema": _ref("Error")}},
        }
    operation: JSON = {"operationId": op_id, "summary": summary, "responses": responses}
    if params:
        operation["parameters"] = params
    if body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _ref(body)}},
        }
    return operation


_JOB_ID = {"name": "jobId", "in": "path", "required": True, "schema": _STR}


def document(config: SandboxConfig) -> JSON:
    op = _operation
    draft_patch_ok = "DraftUpdated" if config.minimal else "Draft"
    job_path = {
        "patch": op(config, "updateDraft", "Set fields; get refreshed validation", draft_patch_ok,
                    [400, 401, 403, 404, 409], body="FieldUpdate", params=[_JOB_ID]),
    }  # fmt: skip
    if not config.minimal:
        job_path["get"] = op(
            config, "readDraft", "Read one draft (sandbox only)", "Draft",
            [401, 403, 404], params=[_JOB_ID],
        )  # fmt: skip
    list_params = [
        {"name": "status", "in": "query", "required": False,
         "schema": {"type": "string", "enum": list(views.LIST_STATUSES)}},
        {"name": "limit", "in": "query", "required": False,
         "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 25}},
        {"name": "cursor", "in": "query", "required": False, "schema": _STR},
    ]  # fmt: skip
    paths = {
        "/job-drafts/capabilities": {
            "get": op(config, "getCapabilities", "Features, patchable keys, enums",
                      "Capabilities", [401, 403]),
        },
        "/job-drafts": {
            "post": op(config, "createDraft", "Create a draft from text or an import", "Draft",
                       [400, 401, 403], body="CreateRequest"),
        },
        "/job-drafts/{jobId}": job_path,
        "/jobs/{jobId}/publish": {
            "post": op(config, "publishJob", "Publish a ready draft", "Published",
                       [400, 401, 403, 404, 409, 429], params=[_JOB_ID]),
        },
        "/jobs/{jobId}/close": {
            "post": op(config, "closeJob", "Close a job", "Closed", [401, 403, 404],
                       params=[_JOB_ID]),
        },
        "/jobs/mine": {
            "get": op(config, "listMyJobs", "List own jobs, newest first", "JobList",
                      [400, 401, 403], params=list_params),
        },
        "/auth/me": {"get": op(config, "getMe", "Who the token belongs to", "Me", [401, 404])},
    }  # fmt: skip
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "OpenTrain job-drafts API (jobdraft sandbox)",
            "version": "1",
            "description": "A local copy of OpenTrain's Public API v1 job drafts. "
            "Any token of the form ot_pat_<id>_<secret> is accepted and is its own account.",
        },
        "servers": [{"url": API_PREFIX}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": _schemas(config),
        },
        "paths": paths,
    }
