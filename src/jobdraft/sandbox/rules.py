"""The sandbox's schema: patchable keys, their types and enums, what a draft
needs before it can be published, and zod-style issues for bad input.

Everything the API says about fields (capabilities, missing-field objects,
PATCH validation, the OpenAPI document) is derived from the tables here, so
the answers cannot drift apart.  Pure: no I/O, no state.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

JSON = Any  # a value decoded by json.loads

# --- enums (docs/api.md §4; LABEL_TYPES and VISIBILITY are ours) ---------------

PAYMENT_TYPES = ("PAY_PER_LABEL", "PAY_PER_HOUR", "FIXED_PRICE")
EXPERIENCE_LEVELS = ("EXPERT", "ENTRY_LEVEL", "INTERMEDIATE", "ANY_EXPERIENCE_LEVEL")
DATA_VOLUME_UNITS = (
    "HOURS_OF_RECORDING_AUDIO_VIDEO",
    "NUMBER_OF_FILES",
    "NUMBER_OF_WORDS",
    "UNKNOWN_NOT_SPECIFIED",
)
LABEL_TYPES = (
    "BOUNDING_BOX",
    "POLYGON",
    "SEGMENTATION",
    "KEYPOINT",
    "CLASSIFICATION",
    "TRANSCRIPTION",
    "TRANSLATION",
    "NAMED_ENTITY_RECOGNITION",
    "SENTIMENT",
    "RANKING",
    "RATING",
    "TEXT_GENERATION",
)
VISIBILITIES = ("PUBLIC", "INVITE_ONLY")

# The types a missing field can declare (docs/api.md §3.2, the sandbox's own choice).
FIELD_TYPES = ("string", "text", "number", "integer", "enum", "array", "boolean")

# paymentType decides which rate key is required (docs/api.md §3.3, documented).
RATE_KEY_FOR_PAYMENT = {
    "PAY_PER_HOUR": "pricePerHour",
    "PAY_PER_LABEL": "pricePerLabel",
    "FIXED_PRICE": "fixedPrice",
}

MAX_DESCRIPTION_CHARS = 60_000  # docs/api.md §3.2, documented


@dataclass(frozen=True)
class FieldSpec:
    """One patchable key: its type, its limits and how to ask for it."""

    key: str
    type: str  # one of FIELD_TYPES
    label: str
    question: str
    enum: tuple[str, ...] | None = None  # enum values; for "array", allowed items
    example: JSON = None
    hint: str | None = None
    minimum: float | None = None  # numbers: inclusive bounds
    maximum: float | None = None
    min_length: int | None = None  # strings; for arrays, each item
    max_length: int | None = None
    max_items: int | None = None  # arrays


def _s(key: str, label: str, question: str, example: str, max_length: int = 500) -> FieldSpec:
    return FieldSpec(key, "string", label, question, example=example, min_length=1,
                     max_length=max_length)  # fmt: skip


def _t(key: str, label: str, question: str, example: str) -> FieldSpec:
    return FieldSpec(key, "text", label, question, example=example, min_length=1,
                     max_length=MAX_DESCRIPTION_CHARS)  # fmt: skip


# Every patchable key, in the order capabilities lists them.  The first
# thirteen are documented (docs/api.md §4); the rest are "also patchable".
FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "jobTitle", "string", "Job title", "What is the title of the job post?",
        example="Bounding-box annotation of street scenes",
        hint="Short and specific: the task and the kind of data.",
        min_length=1, max_length=200,
    ),
    FieldSpec(
        "jobDescription", "text", "Job description",
        "Describe the work: the task, the data and what a good result looks like.",
        example="Draw bounding boxes around cars and pedestrians in 50,000 street images.",
        hint="At least a couple of sentences.",
        min_length=1, max_length=MAX_DESCRIPTION_CHARS,
    ),
    FieldSpec(
        "paymentType", "enum", "Payment type", "How will AI trainers be paid?",
        enum=PAYMENT_TYPES, example="PAY_PER_HOUR",
        # Words for the person answering: the keys are in updateKeys already.
        hint="Each way of paying asks its own rate next: an hourly rate, a price per "
        "label, or a fixed price.",
    ),
    FieldSpec(
        "pricePerHour", "number", "Hourly rate (USD)",
        "How much will you pay per hour, in US dollars?",
        example=18, hint="At least $5 an hour.", minimum=0, maximum=1000,
    ),
    FieldSpec(
        "pricePerLabel", "number", "Price per label (USD)",
        "How much will you pay per label, in US dollars?",
        example=0.05, hint="At least $0.01 a label.", minimum=0, maximum=1000,
    ),
    FieldSpec(
        "fixedPrice", "number", "Fixed price (USD)",
        "What fixed price will you pay for the whole job, in US dollars?",
        example=2000, hint="At least $20.", minimum=0, maximum=10_000_000,
    ),
    FieldSpec(
        "experienceLevel", "enum", "Experience level",
        "What experience level should AI trainers have?",
        enum=EXPERIENCE_LEVELS, example="INTERMEDIATE",
    ),
    FieldSpec(
        "dataVolumeUnit", "enum", "Data volume unit", "In what unit is the data volume counted?",
        enum=DATA_VOLUME_UNITS, example="NUMBER_OF_FILES",
    ),
    FieldSpec(
        "dataVolume", "integer", "Data volume",
        "How much data is there to label, counted in the data volume unit?",
        example=50000, hint="A whole number: files, words or hours.",
        minimum=1, maximum=1_000_000_000_000,
    ),
    FieldSpec(
        "headcount", "integer", "Number of AI trainers", "How many AI trainers do you need?",
        example=10, minimum=1, maximum=10_000,
    ),
    FieldSpec(
        "languages", "array", "Languages", "Which languages must AI trainers know?",
        example=["English"], hint="Language names, such as English or Spanish.",
        min_length=1, max_length=100, max_items=50,
    ),
    FieldSpec(
        "countries", "array", "Countries", "Which countries may AI trainers live in?",
        example=["United States"], hint="Leave empty to accept every country.",
        min_length=1, max_length=100, max_items=250,
    ),
    FieldSpec(
        "labelTypes", "array", "Label types", "What kinds of labels will AI trainers produce?",
        enum=LABEL_TYPES, example=["BOUNDING_BOX"], max_items=len(LABEL_TYPES),
    ),
    _t("labelingOverview", "Labeling overview", "What will be labeled, in a few words?",
       "Boxes around vehicles and people."),
    _t("datasetDescription", "Dataset description", "What does the dataset contain?",
       "Dash-cam images from European cities, 1920x1080."),
    _s("dataType", "Data type", "What type of data is it (images, audio, text...)?", "images"),
    _s("subjectMatter", "Subject matter", "What subject-matter expertise helps?", "driving"),
    _s("labelingSoftware", "Labeling software", "Which labeling tool will be used?", "CVAT"),
    _t("aiInterviewRequirements", "AI interview requirements",
       "What should the AI interview check?", "Can tell a van from a truck."),
    _s("budgetRange", "Budget range", "What is the overall budget range?", "$1,000-$2,000"),
    _t("workloadDesc", "Workload", "How much work is expected per week?", "About 20 hours a week."),
    _s("timeRequirement", "Time requirement", "How much time per week is needed?", "20h/week"),
    _s("projectDuration", "Project duration", "How long will the project run?", "3 months"),
    _s("freelancerType", "Freelancer type", "What kind of freelancer do you want?", "individual"),
    _s("projectScope", "Project scope", "Is this a one-off or an ongoing project?", "ongoing"),
    FieldSpec(
        "visibility", "enum", "Visibility", "Who can see the job post?",
        enum=VISIBILITIES, example="PUBLIC",
    ),
    FieldSpec(
        "requiresNda", "boolean", "NDA required", "Must AI trainers sign an NDA?",
        example=False,
    ),
)  # fmt: skip

FIELD_BY_KEY: dict[str, FieldSpec] = {f.key: f for f in FIELDS}
UPDATE_KEYS: tuple[str, ...] = tuple(f.key for f in FIELDS)

# THE table of what a draft needs before it can be published, in the order
# missing fields are reported.  A key with a condition ``(key, value)`` is
# required only while that key holds that value: choosing PAY_PER_HOUR makes
# pricePerHour missing in the next round.
REQUIRED: tuple[tuple[str, tuple[str, str] | None], ...] = (
    ("jobTitle", None),
    ("jobDescription", None),
    ("paymentType", None),
    ("pricePerHour", ("paymentType", "PAY_PER_HOUR")),
    ("pricePerLabel", ("paymentType", "PAY_PER_LABEL")),
    ("fixedPrice", ("paymentType", "FIXED_PRICE")),
    ("experienceLevel", None),
    ("headcount", None),
    ("languages", None),
    ("labelTypes", None),
    ("dataVolume", None),
    ("dataVolumeUnit", None),
)

# Blocking issues that are not missing fields: a value is present but cannot
# be published as it is.  Floors apply to the rate of the chosen payment type.
RATE_FLOORS = {"pricePerHour": 5.0, "pricePerLabel": 0.01, "fixedPrice": 20.0}
MIN_DESCRIPTION_CHARS = 30
MIN_TITLE_CHARS = 5

MISSING_CODE = "missing_required_field"


def enums() -> dict[str, list[str]]:
    """The canonical enum values per key, as capabilities lists them."""
    return {f.key: list(f.enum) for f in FIELDS if f.enum is not None}


def is_blank(value: JSON) -> bool:
    """Whether a stored value counts as "not given" for the required check."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return len(value) == 0
    return False


# --- validation of a whole draft -------------------------------------------


@dataclass(frozen=True)
class Validation:
    missing: tuple[str, ...]
    issues: tuple[dict[str, str], ...]  # {"field", "code", "message"}

    @property
    def publish_ready(self) -> bool:
        return not self.missing and not self.issues


def validate(fields: Mapping[str, JSON]) -> Validation:
    missing = []
    for key, condition in REQUIRED:
        if condition is not None and fields.get(condition[0]) != condition[1]:
            continue
        if is_blank(fields.get(key)):
            missing.append(key)
    return Validation(tuple(missing), tuple(_blocking_issues(fields)))


def _blocking_issues(fields: Mapping[str, JSON]) -> list[dict[str, str]]:
    issues = []
    title = fields.get("jobTitle")
    if isinstance(title, str) and title.strip() and len(title.strip()) < MIN_TITLE_CHARS:
        issues.append(
            _issue("jobTitle", "title_too_short",
                   f"The title must be at least {MIN_TITLE_CHARS} characters long.")
        )  # fmt: skip
    text = fields.get("jobDescription")
    if isinstance(text, str) and text.strip() and len(text.strip()) < MIN_DESCRIPTION_CHARS:
        issues.append(
            _issue("jobDescription", "description_too_short",
                   f"The description must be at least {MIN_DESCRIPTION_CHARS} characters long.")
        )  # fmt: skip
    rate_key = RATE_KEY_FOR_PAYMENT.get(str(fields.get("paymentType")))
    if rate_key is not None:
        rate = fields.get(rate_key)
        floor = RATE_FLOORS[rate_key]
        if isinstance(rate, (int, float)) and rate < floor:
            issues.append(
                _issue(rate_key, "rate_below_minimum",
                       f"{FIELD_BY_KEY[rate_key].label} must be at least {floor:g}.")
            )  # fmt: skip
    return issues


def _issue(field: str, code: str, message: str) -> dict[str, str]:
    return {"field": field, "code": code, "message": message}


def missing_field(key: str, fields: Mapping[str, JSON]) -> dict[str, JSON]:
    """The full missing-field object of docs/api.md §3.2 for ``key``."""
    spec = FIELD_BY_KEY[key]
    prompt = f"ask: {spec.question}"
    if spec.enum is not None:
        prompt += f" ({', '.join(spec.enum)})"
    message = f"{spec.label} is required before publishing."
    if key in RATE_FLOORS:
        message = f"{spec.label} is required when paymentType is {fields.get('paymentType')}."
    return {
        "field": key,
        "label": spec.label,
        "message": message,
        "code": MISSING_CODE,
        "prompt": prompt,
        "type": spec.type,
        "enumValues": list(spec.enum) if spec.enum is not None else None,
        "updateKeys": [key],
        "example": spec.example,
        "hint": spec.hint,
    }


def per_field_code(key: str) -> str:
    """``experienceLevel`` -> ``MISSING_EXPERIENCE_LEVEL`` (the field-codes form)."""
    snake = "".join(f"_{c}" if c.isupper() else c.upper() for c in key)
    return f"MISSING_{snake}"


# --- zod-style issues for request bodies -----------------------------------
#
# The real service validates bodies with zod; clients map each issue to a
# field by ``path[0]`` (or ``keys``), so the sandbox speaks the same dialect:
# the code, the path and the code's own keys, with zod's wording.


def zod_type_name(value: JSON) -> str:
    """The name zod gives a received value's type."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float" if not value.is_integer() else "integer"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def invalid_type(path: Sequence[str | int], expected: str, value: JSON) -> dict[str, JSON]:
    received = zod_type_name(value)
    if expected != "integer" and received in ("integer", "float"):
        received = "number"  # zod only tells numbers apart when an integer is expected
    return {
        "code": "invalid_type",
        "expected": expected,
        "received": received,
        "path": list(path),
        "message": f"Expected {expected}, received {received}",
    }


def required_issue(path: Sequence[str | int], expected: str) -> dict[str, JSON]:
    return {
        "code": "invalid_type",
        "expected": expected,
        "received": "undefined",
        "path": list(path),
        "message": "Required",
    }


def invalid_enum(path: Sequence[str | int], options: Sequence[str], value: str) -> dict[str, JSON]:
    expected = " | ".join(f"'{o}'" for o in options)
    return {
        "code": "invalid_enum_value",
        "options": list(options),
        "received": value,
        "path": list(path),
        "message": f"Invalid enum value. Expected {expected}, received '{value}'",
    }


def unrecognized_keys(path: Sequence[str | int], keys: Sequence[str]) -> dict[str, JSON]:
    quoted = ", ".join(f"'{k}'" for k in keys)
    return {
        "code": "unrecognized_keys",
        "keys": list(keys),
        "path": list(path),
        "message": f"Unrecognized key(s) in object: {quoted}",
    }


_SIZE_WORDS = {"string": "character(s)", "array": "element(s)"}


def too_small(path: Sequence[str | int], kind: str, minimum: float) -> dict[str, JSON]:
    if kind == "number":
        message = f"Number must be greater than or equal to {minimum:g}"
    else:
        message = f"{kind.capitalize()} must contain at least {minimum:g} {_SIZE_WORDS[kind]}"
    return {
        "code": "too_small",
        "minimum": minimum,
        "type": kind,
        "inclusive": True,
        "exact": False,
        "path": list(path),
        "message": message,
    }


def too_big(path: Sequence[str | int], kind: str, maximum: float) -> dict[str, JSON]:
    if kind == "number":
        message = f"Number must be less than or equal to {maximum:g}"
    else:
        message = f"{kind.capitalize()} must contain at most {maximum:g} {_SIZE_WORDS[kind]}"
    return {
        "code": "too_big",
        "maximum": maximum,
        "type": kind,
        "inclusive": True,
        "exact": False,
        "path": list(path),
        "message": message,
    }


def custom(path: Sequence[str | int], message: str) -> dict[str, JSON]:
    return {"code": "custom", "path": list(path), "message": message}


def _is_number(value: JSON) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_value(spec: FieldSpec, value: JSON, path: Sequence[str | int]) -> list[dict[str, JSON]]:
    """Issues for one value of ``spec`` (``None`` is handled by the caller)."""
    kind = spec.type
    if kind in ("string", "text"):
        return _check_string(spec, value, path)
    if kind == "enum":
        if not isinstance(value, str):
            return [invalid_type(path, "string", value)]
        assert spec.enum is not None
        return [] if value in spec.enum else [invalid_enum(path, spec.enum, value)]
    if kind == "boolean":
        return [] if isinstance(value, bool) else [invalid_type(path, "boolean", value)]
    if kind in ("number", "integer"):
        return _check_number(spec, value, path)
    return _check_array(spec, value, path)


def _check_string(spec: FieldSpec, value: JSON, path: Sequence[str | int]) -> list[dict[str, JSON]]:
    if not isinstance(value, str):
        return [invalid_type(path, "string", value)]
    if spec.min_length is not None and len(value.strip()) < spec.min_length:
        return [too_small(path, "string", spec.min_length)]
    if spec.max_length is not None and len(value) > spec.max_length:
        return [too_big(path, "string", spec.max_length)]
    return []


def _check_number(spec: FieldSpec, value: JSON, path: Sequence[str | int]) -> list[dict[str, JSON]]:
    if not _is_number(value):
        return [invalid_type(path, "number", value)]
    if not math.isfinite(value):
        return [invalid_type(path, "number", value)]
    if spec.type == "integer" and isinstance(value, float) and not value.is_integer():
        return [invalid_type(path, "integer", value)]
    if spec.minimum is not None and value < spec.minimum:
        return [too_small(path, "number", spec.minimum)]
    if spec.maximum is not None and value > spec.maximum:
        return [too_big(path, "number", spec.maximum)]
    return []


def _check_array(spec: FieldSpec, value: JSON, path: Sequence[str | int]) -> list[dict[str, JSON]]:
    if not isinstance(value, list):
        return [invalid_type(path, "array", value)]
    if spec.max_items is not None and len(value) > spec.max_items:
        return [too_big(path, "array", spec.max_items)]
    issues: list[dict[str, JSON]] = []
    for i, item in enumerate(value):
        item_path = [*path, i]
        if not isinstance(item, str):
            issues.append(invalid_type(item_path, "string", item))
        elif spec.enum is not None:
            if item not in spec.enum:
                issues.append(invalid_enum(item_path, spec.enum, item))
        elif spec.min_length is not None and len(item.strip()) < spec.min_length:
            issues.append(too_small(item_path, "string", spec.min_length))
        elif spec.max_length is not None and len(item) > spec.max_length:
            issues.append(too_big(item_path, "string", spec.max_length))
    return issues


def normalize(spec: FieldSpec, value: JSON) -> JSON:
    """The stored form of a valid value: integers as int, strings trimmed,
    array items trimmed and deduplicated in order."""
    if value is None:
        return None
    if spec.type == "integer":
        return int(value)
    if spec.type in ("string", "text"):
        return str(value).strip()
    if spec.type == "array":
        seen: list[str] = []
        for item in value:
            text = item.strip()
            if text not in seen:
                seen.append(text)
        return seen
    return value


def check_update(body: JSON) -> tuple[dict[str, JSON], list[dict[str, JSON]]]:
    """Validate a PATCH body strictly: the normalized changes, or the issues.

    ``null`` clears a key (the contract leaves this open; the sandbox allows it).
    """
    if not isinstance(body, dict):
        return {}, [invalid_type([], "object", body)]
    if not body:
        return {}, [custom([], "Provide at least one field to update.")]
    issues: list[dict[str, JSON]] = []
    unknown = [k for k in body if k not in FIELD_BY_KEY]
    if unknown:
        issues.append(unrecognized_keys([], unknown))
    changes: dict[str, JSON] = {}
    for key, value in body.items():
        spec = FIELD_BY_KEY.get(key)
        if spec is None:
            continue
        if value is None:
            changes[key] = None
            continue
        found = check_value(spec, value, [key])
        if found:
            issues.extend(found)
        else:
            changes[key] = normalize(spec, value)
    return changes, issues


def apply_changes(fields: Mapping[str, JSON], changes: Mapping[str, JSON]) -> dict[str, JSON]:
    merged = dict(fields)
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return {k: merged[k] for k in UPDATE_KEYS if k in merged}
