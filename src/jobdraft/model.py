"""Typed views of the API's JSON, tolerant of every variant in docs/api.md.

Parsing never raises on a missing or oddly shaped optional part: the server's
documentation shows several forms of the same answer (docs/api.md §5 lists
them) and the client must accept all of them.  Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from jobdraft.json_types import Json


def _str_or_none(value: Json) -> str | None:
    return value if isinstance(value, str) and value != "" else None


def _list(value: Json) -> list[Json]:
    """A JSON list, or nothing: a string or object where a list belongs is not iterated."""
    return value if isinstance(value, list) else []


def _str_tuple(value: Json) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(str(item) for item in value if isinstance(item, (str, int, float)))


_ASK_PREFIX = re.compile(r"^\s*ask:\s*", re.IGNORECASE)
_TRAILING_BRACKET = re.compile(r"\s*[\(\[]([^\(\)\[\]]*)[\)\]]\s*$")


def clean_question(prompt: str | None, enum_values: tuple[str, ...] | None) -> str | None:
    """The question without the ``ask: `` prefix and without a repeated enum list.

    The docs show both ``ask: What level? (EXPERT, ENTRY_LEVEL)`` and a plain
    question; the wizard shows the choices itself, so listing them twice is noise.
    """
    if not prompt:
        return None
    text = _ASK_PREFIX.sub("", prompt).strip()
    match = _TRAILING_BRACKET.search(text)
    if match:
        items = [item.strip() for item in match.group(1).split(",") if item.strip()]
        known = {value.upper() for value in enum_values or ()}
        if known:
            # The choices are known: only a bracket that lists them is a repeat.
            repeated = bool(items) and all(item.upper() in known for item in items)
        else:
            # Unknown choices: a list of several TOKENS is one; "(USD)" is not.
            repeated = len(items) > 1 and all(re.fullmatch(r"[A-Z0-9_]+", i) for i in items)
        if repeated:
            text = text[: match.start()].rstrip()
    return text or None


@dataclass(frozen=True)
class MissingField:
    """One gap the server wants filled before publishing."""

    field: str
    label: str | None = None
    question: str | None = None
    type: str | None = None
    enum_values: tuple[str, ...] | None = None
    update_keys: tuple[str, ...] = ()
    example: Json = None
    hint: str | None = None
    message: str | None = None
    code: str | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        """The keys a PATCH sets to fill this gap (usually just the field)."""
        return self.update_keys or (self.field,)

    @classmethod
    def from_json(cls, data: Json) -> MissingField | None:
        if isinstance(data, str):
            return cls(field=data) if data else None
        if not isinstance(data, Mapping):
            return None
        name = _str_or_none(data.get("field")) or _str_or_none(data.get("key"))
        if name is None:
            keys = _str_tuple(data.get("updateKeys"))
            if not keys:
                return None
            name = keys[0]
        enum_values = _str_tuple(data.get("enumValues")) or None
        raw_type = data.get("type")
        return cls(
            field=name,
            label=_str_or_none(data.get("label")),
            question=clean_question(_str_or_none(data.get("prompt")), enum_values),
            type=raw_type.lower() if isinstance(raw_type, str) and raw_type else None,
            enum_values=enum_values,
            update_keys=_str_tuple(data.get("updateKeys")),
            example=data.get("example"),
            hint=_str_or_none(data.get("hint")),
            message=_str_or_none(data.get("message")),
            code=_str_or_none(data.get("code")),
        )

    def merged_with(self, other: MissingField) -> MissingField:
        """Fill what this one lacks from ``other`` (a richer object for the same field)."""
        return MissingField(
            field=self.field,
            label=self.label or other.label,
            question=self.question or other.question,
            type=self.type or other.type,
            enum_values=self.enum_values or other.enum_values,
            update_keys=self.update_keys or other.update_keys,
            example=self.example if self.example is not None else other.example,
            hint=self.hint or other.hint,
            message=self.message or other.message,
            code=self.code or other.code,
        )


@dataclass(frozen=True)
class Issue:
    """A blocking problem that is not a missing field (a rate below a floor...)."""

    message: str
    field: str | None = None
    code: str | None = None

    @classmethod
    def from_json(cls, data: Json) -> Issue | None:
        if isinstance(data, str):
            return cls(message=data)
        if not isinstance(data, Mapping):
            return None
        path = data.get("path")
        name = _str_or_none(data.get("field"))
        if name is None and isinstance(path, list) and path:
            name = str(path[0])
        message = _str_or_none(data.get("message")) or _str_or_none(data.get("code")) or "invalid"
        return cls(message=message, field=name, code=_str_or_none(data.get("code")))


@dataclass(frozen=True)
class Validation:
    publish_ready: bool = False
    missing: tuple[MissingField, ...] = ()
    missing_count: int = 0
    issues: tuple[Issue, ...] = ()

    @property
    def missing_names(self) -> tuple[str, ...]:
        return tuple(item.field for item in self.missing)

    @property
    def names_unknown(self) -> bool:
        """The server said fields are missing but not which (a documented variant)."""
        return self.missing_count > len(self.missing)

    @classmethod
    def from_json(cls, data: Json) -> Validation:
        if not isinstance(data, Mapping):
            return cls()
        missing = tuple(
            item
            for item in (MissingField.from_json(raw) for raw in _list(data.get("missingFields")))
            if item is not None
        )
        issues = tuple(
            item
            for item in (Issue.from_json(raw) for raw in _list(data.get("issues")))
            if item is not None
        )
        count = data.get("missingFieldCount")
        missing_count = count if isinstance(count, int) and count >= 0 else len(missing)
        return cls(
            publish_ready=data.get("publishReady") is True,
            missing=missing,
            missing_count=max(missing_count, len(missing)),
            issues=issues,
        )

    def to_json(self) -> dict[str, Json]:
        """Enough to rebuild this view from a cache."""
        return {
            "publishReady": self.publish_ready,
            "missingFieldCount": self.missing_count,
            "missingFields": [missing_field_to_json(item) for item in self.missing],
            "issues": [
                {"field": i.field, "code": i.code, "message": i.message} for i in self.issues
            ],
        }


def missing_field_to_json(item: MissingField) -> dict[str, Json]:
    return {
        "field": item.field,
        "label": item.label,
        "prompt": item.question,
        "type": item.type,
        "enumValues": list(item.enum_values) if item.enum_values is not None else None,
        "updateKeys": list(item.update_keys),
        "example": item.example,
        "hint": item.hint,
        "message": item.message,
        "code": item.code,
    }


@dataclass(frozen=True)
class Draft:
    """A draft as one create/read/patch answer showed it."""

    job_id: str
    status: str = "DRAFT"
    draft_url: str | None = None
    validation: Validation = field(default_factory=Validation)
    # None means "the answer did not say" (PATCH's small body), not "no fields".
    fields: dict[str, Json] | None = None
    low_confidence: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    unmapped: tuple[Json, ...] = ()
    raw: dict[str, Json] = field(default_factory=dict, compare=False, repr=False)

    @property
    def missing(self) -> tuple[MissingField, ...]:
        return self.validation.missing

    @property
    def ready(self) -> bool:
        return self.validation.publish_ready

    @property
    def title(self) -> str | None:
        value = (self.fields or {}).get("jobTitle")
        return value if isinstance(value, str) else None

    @classmethod
    def from_json(cls, data: Json) -> Draft:
        if not isinstance(data, Mapping):
            raise ValueError("expected a JSON object")
        job_id = data.get("jobId") or data.get("id")
        if not isinstance(job_id, (str, int)) or job_id == "":
            raise ValueError("the answer names no jobId")
        validation = Validation.from_json(data.get("validation"))
        # The top-level missingFields carry the full objects; validation's may be
        # names only.  Merge by field so that each gap has the richest view.
        rich = {
            item.field: item
            for item in (MissingField.from_json(raw) for raw in _list(data.get("missingFields")))
            if item is not None
        }
        missing = [
            rich.pop(item.field).merged_with(item) if item.field in rich else item
            for item in validation.missing
        ]
        if not validation.missing:
            missing.extend(rich.values())
        validation = Validation(
            publish_ready=validation.publish_ready,
            missing=tuple(missing),
            missing_count=max(validation.missing_count, len(missing)),
            issues=validation.issues,
        )
        normalized = data.get("normalizedFields")
        fields = dict(normalized) if isinstance(normalized, Mapping) else None
        unmapped = data.get("unmappedFields")
        return cls(
            job_id=str(job_id),
            status=_str_or_none(data.get("status")) or "DRAFT",
            draft_url=_str_or_none(data.get("draftUrl")) or _str_or_none(data.get("reviewUrl")),
            validation=validation,
            fields=fields,
            low_confidence=_str_tuple(data.get("lowConfidenceFields")),
            warnings=_str_tuple(data.get("warnings")),
            unmapped=tuple(unmapped) if isinstance(unmapped, list) else (),
            raw=dict(data),
        )


@dataclass(frozen=True)
class Capabilities:
    update_keys: tuple[str, ...] = ()
    enums: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Key -> type, where the server gives them (the sandbox does; the docs do not).
    field_types: dict[str, str] = field(default_factory=dict)
    features: dict[str, bool] = field(default_factory=dict)
    import_formats: tuple[str, ...] = ()
    enabled: bool = True
    raw: dict[str, Json] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_json(cls, data: Json) -> Capabilities:
        if not isinstance(data, Mapping):
            raise ValueError("expected a JSON object")
        draft_raw = data.get("draft")
        draft: Mapping[str, Json] = draft_raw if isinstance(draft_raw, Mapping) else {}
        enums_given = draft.get("enums")
        enums_raw: Mapping[str, Json] = enums_given if isinstance(enums_given, Mapping) else {}
        enums = {str(key): values for key, raw in enums_raw.items() if (values := _str_tuple(raw))}
        types_given = draft.get("fieldTypes")
        field_types = (
            {str(k): v for k, v in types_given.items() if isinstance(v, str) and v}
            if isinstance(types_given, Mapping)
            else {}
        )
        flags = data.get("capabilities")
        features = (
            {str(k): bool(v) for k, v in flags.items() if isinstance(v, bool)}
            if isinstance(flags, Mapping)
            else {}
        )
        # "..." appears in the docs' truncated example; it is never a real key.
        keys = tuple(k for k in _str_tuple(draft.get("updateKeys")) if k and k != "...")
        return cls(
            update_keys=keys,
            enums=enums,
            field_types=field_types,
            features=features,
            import_formats=_str_tuple(draft.get("importFormats")),
            enabled=data.get("enabled") is not False,
            raw=dict(data),
        )

    def with_spec(self, spec: SpecFields) -> Capabilities:
        """These capabilities, with the served spec's types and enums where they say nothing.

        The capabilities are this account's own answer, so they win; a key
        whose values they list keeps no type from the spec, which would
        otherwise hide those values (a plain ``string`` is not a choice).
        """
        types = {
            key: kind
            for key, kind in spec.field_types.items()
            if key not in self.enums or kind in ("enum", "array")
        }
        return replace(
            self,
            field_types={**types, **self.field_types},
            enums={**spec.enums, **self.enums},
        )


# Bounds on what is kept of a served spec: far above the API's few dozen
# keys, and small enough that a hostile spec cannot fill the cache.
SPEC_MAX_KEYS = 500
SPEC_MAX_ENUM_VALUES = 500
SPEC_MAX_NAME_CHARS = 200
SPEC_MAX_REF_DEPTH = 8
# A string the spec lets run past this many characters is free text (the
# docs' descriptions allow 60,000; their one-line strings 500).
SPEC_TEXT_FROM_CHARS = 1000
_SCHEMA_TYPES = {"integer": "integer", "number": "number", "boolean": "boolean"}


@dataclass(frozen=True)
class SpecFields:
    """What a served OpenAPI spec says of the PATCH body: each key's type and enum values.

    Empty when the server offers no spec, or one that does not describe the
    PATCH body.
    """

    field_types: dict[str, str] = field(default_factory=dict)
    enums: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_openapi(cls, document: Json) -> SpecFields:
        if not isinstance(document, Mapping):
            return cls()
        body = _resolve(document, _patch_body_schema(document))
        properties = body.get("properties") if body is not None else None
        if not isinstance(properties, Mapping):
            return cls()
        types: dict[str, str] = {}
        enums: dict[str, tuple[str, ...]] = {}
        for key, raw in list(properties.items())[:SPEC_MAX_KEYS]:
            if not isinstance(key, str) or not key or len(key) > SPEC_MAX_NAME_CHARS:
                continue
            kind, values = _field_of(document, raw)
            if kind is not None:
                types[key] = kind
            if values:
                enums[key] = values
        return cls(types, enums)

    @classmethod
    def from_json(cls, data: Json) -> SpecFields:
        """From our own cache entry (``to_json``); anything malformed is dropped."""
        if not isinstance(data, Mapping):
            return cls()
        types_raw = data.get("fieldTypes")
        enums_raw = data.get("enums")
        types = (
            {str(k): v for k, v in types_raw.items() if isinstance(v, str) and v}
            if isinstance(types_raw, Mapping)
            else {}
        )
        enums = (
            {str(k): values for k, raw in enums_raw.items() if (values := _str_tuple(raw))}
            if isinstance(enums_raw, Mapping)
            else {}
        )
        return cls(types, enums)

    def to_json(self) -> dict[str, Json]:
        return {
            "fieldTypes": dict(self.field_types),
            "enums": {key: list(values) for key, values in self.enums.items()},
        }


def _patch_body_schema(document: Mapping[str, Json]) -> Json:
    """The JSON schema of ``PATCH /job-drafts/{id}``'s body, wherever the paths are rooted."""
    paths = document.get("paths")
    if not isinstance(paths, Mapping):
        return None
    for path, item in paths.items():
        if not (isinstance(path, str) and re.search(r"/job-drafts/\{[^/{}]+\}$", path)):
            continue
        operation = item.get("patch") if isinstance(item, Mapping) else None
        body = operation.get("requestBody") if isinstance(operation, Mapping) else None
        content = body.get("content") if isinstance(body, Mapping) else None
        media = content.get("application/json") if isinstance(content, Mapping) else None
        if isinstance(media, Mapping):
            return media.get("schema")
    return None


def _resolve(document: Mapping[str, Json], schema: Json) -> Mapping[str, Json] | None:
    """``schema`` with local ``$ref``s followed (a bounded number, so a loop ends)."""
    for _ in range(SPEC_MAX_REF_DEPTH):
        if not isinstance(schema, Mapping):
            return None
        ref = schema.get("$ref")
        if not isinstance(ref, str):
            return schema
        if not ref.startswith("#/"):
            return None  # another document: not fetched
        target: Json = document
        for escaped in ref[2:].split("/"):
            name = escaped.replace("~1", "/").replace("~0", "~")  # JSON Pointer
            target = target.get(name) if isinstance(target, Mapping) else None
        schema = target
    return None


def _without_null(document: Mapping[str, Json], schema: Json) -> Mapping[str, Json] | None:
    """The one non-null branch of a nullable schema (``anyOf [X, null]``), resolved."""
    resolved = _resolve(document, schema)
    if resolved is None:
        return None
    for combinator in ("anyOf", "oneOf"):
        branches = resolved.get(combinator)
        if isinstance(branches, list):
            kept = [
                branch
                for branch in (_resolve(document, b) for b in branches[:SPEC_MAX_KEYS])
                if branch is not None and branch.get("type") != "null"
            ]
            return kept[0] if len(kept) == 1 else None
    return resolved


def _schema_type(schema: Mapping[str, Json]) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):  # OpenAPI 3.1: ["string", "null"]
        named = [k for k in kind if isinstance(k, str) and k != "null"]
        kind = named[0] if len(named) == 1 else None
    return kind if isinstance(kind, str) else None


def _enum_of(schema: Mapping[str, Json] | None) -> tuple[str, ...]:
    values = schema.get("enum") if schema is not None else None
    if not isinstance(values, list):
        return ()
    return tuple(
        value
        for value in values[:SPEC_MAX_ENUM_VALUES]
        if isinstance(value, str) and value and len(value) <= SPEC_MAX_NAME_CHARS
    )


def _field_of(document: Mapping[str, Json], raw: Json) -> tuple[str | None, tuple[str, ...]]:
    """One property's type in our words (``fields.KNOWN_TYPES``) and its enum values."""
    schema = _without_null(document, raw)
    if schema is None:
        return None, ()
    kind = _schema_type(schema)
    if kind == "array":
        return "array", _enum_of(_without_null(document, schema.get("items")))
    if kind == "string":
        values = _enum_of(schema)
        if values:
            return "enum", values
        longest = schema.get("maxLength")
        if isinstance(longest, int) and not isinstance(longest, bool):
            return ("text" if longest > SPEC_TEXT_FROM_CHARS else "string"), ()
        return "string", ()
    return _SCHEMA_TYPES.get(kind or ""), ()


@dataclass(frozen=True)
class PublishResult:
    job_id: str
    status: str
    already_published: bool
    job_url: str | None
    warnings: tuple[str, ...] = ()
    raw: dict[str, Json] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_json(cls, data: Json, job_id: str) -> PublishResult:
        if not isinstance(data, Mapping):
            raise ValueError("expected a JSON object")
        return cls(
            job_id=str(data.get("jobId") or job_id),
            status=_str_or_none(data.get("status")) or "OPEN",
            already_published=data.get("alreadyPublished") is True,
            job_url=_str_or_none(data.get("jobUrl")),
            warnings=_str_tuple(data.get("warnings")),
            raw=dict(data),
        )


@dataclass(frozen=True)
class JobSummary:
    id: str
    title: str | None
    status: str | None
    created_at: str | None = None
    updated_at: str | None = None
    job_url: str | None = None
    raw: dict[str, Json] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_json(cls, data: Json) -> JobSummary | None:
        if not isinstance(data, Mapping):
            return None
        job_id = data.get("id") or data.get("jobId")
        if not isinstance(job_id, (str, int)) or job_id == "":
            return None
        return cls(
            id=str(job_id),
            title=_str_or_none(data.get("title")),
            status=_str_or_none(data.get("status")),
            created_at=_str_or_none(data.get("createdAt")),
            updated_at=_str_or_none(data.get("updatedAt")),
            job_url=_str_or_none(data.get("jobUrl")),
            raw=dict(data),
        )
