"""Create bodies (docs/api.md §3.2): which input shape, checked zod-style, and
the fields each shape yields.

Exactly one input: ``rawJobDescription``, ``source`` (type ``text``), or
``format`` with its payload (``job``, ``jsonLd`` or ``xml``); ``externalId``
and ``idempotencyKey`` may stand at the top level or in ``source``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jobdraft.sandbox import rules

if TYPE_CHECKING:
    from jobdraft.sandbox.parse import Extraction

JSON = Any
MAX_ID_CHARS = 200  # externalId, idempotencyKey

_INPUTS = ("rawJobDescription", "source", "format")
_IMPORT_FORMATS = {
    "opentrain_canonical": "job",
    "schema_org_job_posting": "jsonLd",
    "indeed_xml": "xml",
    "hr_xml": "xml",
}
_TOP_KEYS = {*_INPUTS, "job", "jsonLd", "xml", "externalId", "idempotencyKey"}
_SOURCE_KEYS = ("type", "text", "externalId", "idempotencyKey")


def _check_text(value: JSON, path: list[str | int]) -> list[JSON]:
    if not isinstance(value, str):
        return [rules.invalid_type(path, "string", value)]
    if not value.strip():
        return [rules.too_small(path, "string", 1)]
    if len(value) > rules.MAX_DESCRIPTION_CHARS:
        return [rules.too_big(path, "string", rules.MAX_DESCRIPTION_CHARS)]
    return []


def _check_id(value: JSON, path: list[str | int]) -> list[JSON]:
    if value is None:
        return []
    if not isinstance(value, str):
        return [rules.invalid_type(path, "string", value)]
    if not value:
        return [rules.too_small(path, "string", 1)]
    if len(value) > MAX_ID_CHARS:
        return [rules.too_big(path, "string", MAX_ID_CHARS)]
    return []


def check_create_body(body: dict[str, JSON]) -> list[JSON]:
    """Zod-style issues of a create body (docs/api.md §3.2: exactly one input)."""
    unknown = [k for k in body if k not in _TOP_KEYS]
    if unknown:
        return [rules.unrecognized_keys([], unknown)]
    given = [k for k in _INPUTS if k in body]
    if len(given) != 1:
        return [rules.custom([], "Provide exactly one of rawJobDescription, source or format.")]
    issues = _check_id(body.get("externalId"), ["externalId"])
    issues += _check_id(body.get("idempotencyKey"), ["idempotencyKey"])
    payload_keys = [k for k in ("job", "jsonLd", "xml") if k in body]
    kind = given[0]
    if kind == "rawJobDescription":
        if payload_keys:
            return [rules.unrecognized_keys([], payload_keys)]
        return issues + _check_text(body["rawJobDescription"], ["rawJobDescription"])
    if kind == "source":
        if payload_keys:
            return [rules.unrecognized_keys([], payload_keys)]
        return issues + _check_source(body["source"])
    fmt = body["format"]
    if not isinstance(fmt, str) or fmt not in _IMPORT_FORMATS:
        return [rules.invalid_enum(["format"], list(_IMPORT_FORMATS), str(fmt))]
    wanted = _IMPORT_FORMATS[fmt]
    extra = [k for k in payload_keys if k != wanted]
    if extra:
        return [rules.unrecognized_keys([], extra)]
    if wanted not in body:
        expected = "string" if wanted == "xml" else "object"
        return [rules.required_issue([wanted], expected)]
    value = body[wanted]
    if wanted == "xml":
        return issues + _check_text(value, ["xml"])
    if wanted == "job" and not isinstance(value, dict):
        return [rules.invalid_type(["job"], "object", value)]
    if wanted == "jsonLd" and not isinstance(value, (dict, list)):
        return [rules.invalid_type(["jsonLd"], "object", value)]
    return issues


def _check_source(source: JSON) -> list[JSON]:
    if not isinstance(source, dict):
        return [rules.invalid_type(["source"], "object", source)]
    unknown = [k for k in source if k not in _SOURCE_KEYS]
    if unknown:
        return [rules.unrecognized_keys(["source"], unknown)]
    issues: list[JSON] = []
    kind = source.get("type")
    if kind != "text":
        if "type" not in source:
            issues.append(rules.required_issue(["source", "type"], "string"))
        else:
            issues.append(rules.invalid_enum(["source", "type"], ["text"], str(kind)))
    if "text" not in source:
        issues.append(rules.required_issue(["source", "text"], "string"))
    else:
        issues += _check_text(source["text"], ["source", "text"])
    issues += _check_id(source.get("externalId"), ["source", "externalId"])
    issues += _check_id(source.get("idempotencyKey"), ["source", "idempotencyKey"])
    return issues


def extract(body: dict[str, JSON]) -> Extraction:
    """The fields of a checked create body."""
    # Imported here: the parser's regular expressions and the XML parser cost
    # tens of milliseconds, and only creating a draft needs them (the
    # embedded sandbox starts once per jobdraft command).
    from jobdraft.sandbox import imports, parse

    if "rawJobDescription" in body:
        return parse.parse_description(body["rawJobDescription"])
    if "source" in body:
        return parse.parse_description(body["source"]["text"])
    fmt = body["format"]
    if fmt == "opentrain_canonical":
        return imports.import_canonical(body["job"])
    if fmt == "schema_org_job_posting":
        return imports.import_json_ld(body["jsonLd"])
    if fmt == "indeed_xml":
        return imports.import_indeed_xml(body["xml"])
    return imports.import_hr_xml(body["xml"])
