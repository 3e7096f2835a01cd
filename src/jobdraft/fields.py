"""How a value is read for a field: typed JSON from ``--set`` strings and wizard answers.

The key's type comes from the server first (a missing-field object's ``type``,
the capabilities' enums) and from the documented key types as a fallback
(docs/api.md §4).  Pure: no I/O, nothing printed.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jobdraft.errors import UsageError
from jobdraft.json_types import Json

if TYPE_CHECKING:
    # Types only: completion imports this module on every TAB, and model's
    # dataclasses cost more to build than the whole lookup they would serve.
    from jobdraft.model import Capabilities, MissingField

# Types the sandbox and the docs use; anything else is asked as text.
KNOWN_TYPES = frozenset({"string", "text", "number", "integer", "enum", "array", "boolean"})

# Documented types (docs/api.md §4).  headcount is "a count of people", so
# it is read as a whole number; the server stays the judge of the rest.
DOCUMENTED_TYPES: dict[str, str] = {
    "jobTitle": "string",
    "jobDescription": "text",
    "paymentType": "enum",
    "pricePerHour": "number",
    "pricePerLabel": "number",
    "fixedPrice": "number",
    "experienceLevel": "enum",
    "dataVolumeUnit": "enum",
    "dataVolume": "number",
    "headcount": "integer",
    "languages": "array",
    "countries": "array",
    "labelTypes": "array",
    "labelingOverview": "text",
    "datasetDescription": "text",
    "dataType": "string",
    "subjectMatter": "string",
    "labelingSoftware": "string",
    "aiInterviewRequirements": "text",
    "budgetRange": "string",
    "workloadDesc": "text",
    "timeRequirement": "string",
    "projectDuration": "string",
    "freelancerType": "string",
    "projectScope": "string",
    "visibility": "string",
}

DOCUMENTED_ENUMS: dict[str, tuple[str, ...]] = {
    "paymentType": ("PAY_PER_LABEL", "PAY_PER_HOUR", "FIXED_PRICE"),
    "experienceLevel": ("EXPERT", "ENTRY_LEVEL", "INTERMEDIATE", "ANY_EXPERIENCE_LEVEL"),
    "dataVolumeUnit": (
        "HOURS_OF_RECORDING_AUDIO_VIDEO",
        "NUMBER_OF_FILES",
        "NUMBER_OF_WORDS",
        "UNKNOWN_NOT_SPECIFIED",
    ),
}

# Amounts and counts that make no sense at zero or below.
POSITIVE_KEYS = frozenset(
    {"pricePerHour", "pricePerLabel", "fixedPrice", "dataVolume", "headcount"}
)

# The server refuses any number above 1e12 ("Number must be less than or
# equal to 1e+12"); an amount or a count above it is refused before sending.
NUMBER_MAXIMUM = 1_000_000_000_000

# Keys a job post always needs (docs/api.md §4's documented keys without
# the rates, which only the chosen payment type needs): ``--set key=`` with
# nothing after ``=`` would empty them.
REQUIRED_KEYS = frozenset(
    {
        "jobTitle",
        "jobDescription",
        "paymentType",
        "experienceLevel",
        "headcount",
        "languages",
        "labelTypes",
        "dataVolume",
        "dataVolumeUnit",
    }
)

# Which rate key goes with which payment type (docs/api.md §3.3).
RATE_KEY_FOR_PAYMENT = {
    "PAY_PER_HOUR": "pricePerHour",
    "PAY_PER_LABEL": "pricePerLabel",
    "FIXED_PRICE": "fixedPrice",
}


@dataclass(frozen=True)
class FieldSpec:
    """What we know about one patchable key: enough to read and check a value."""

    key: str
    type: str = "string"  # one of KNOWN_TYPES; an unknown type is read as a string
    enum_values: tuple[str, ...] | None = None
    label: str | None = None

    @property
    def is_choice(self) -> bool:
        return self.type == "enum" and bool(self.enum_values)

    @property
    def is_multi_choice(self) -> bool:
        return self.type == "array" and bool(self.enum_values)

    @property
    def positive(self) -> bool:
        return self.key in POSITIVE_KEYS


def spec_for(
    key: str,
    missing: MissingField | None = None,
    capabilities: Capabilities | None = None,
) -> FieldSpec:
    """The best knowledge of ``key``: the server's own words first, then the docs.

    In order: the missing-field object's type (when it describes this key),
    the capabilities' type for the key, enum values the server gives (an enum,
    or a multi-choice where the key is a list), then the documented type.
    """
    if missing is not None and not describes(missing, key):
        missing = None  # a gap that sets several keys describes its first one only
    server_type = missing.type if missing is not None else None
    listed_type = capabilities.field_types.get(key) if capabilities is not None else None
    documented = DOCUMENTED_TYPES.get(key)
    server_enums = (missing.enum_values if missing is not None else None) or (
        capabilities.enums.get(key) if capabilities is not None else None
    )
    enum_values = server_enums or DOCUMENTED_ENUMS.get(key)
    if server_type is not None:
        # A type we do not know is still askable: as text, sent as a string.
        kind = server_type if server_type in KNOWN_TYPES else "string"
    elif listed_type is not None:
        kind = listed_type if listed_type in KNOWN_TYPES else "string"
    elif server_enums:
        kind = "array" if documented == "array" else "enum"
    elif documented is not None:
        kind = documented
    else:
        kind = "enum" if enum_values else "string"
    if kind not in ("enum", "array"):
        enum_values = None
    label = missing.label if missing is not None else None
    return FieldSpec(key=key, type=kind, enum_values=enum_values or None, label=label)


def describes(missing: MissingField, key: str) -> bool:
    """Whether a missing-field object's type, values and label are those of ``key``.

    One gap may name several update keys (docs/api.md §3.2); its type is the
    field's own, or, when the field is not itself a key, the first key's.
    """
    keys = missing.keys
    if key == missing.field or len(keys) <= 1:
        return True
    return missing.field not in keys and key == keys[0]


def known_keys(capabilities: Capabilities | None) -> tuple[str, ...]:
    """Patchable keys: the server's list when we have it, else the documented ones."""
    if capabilities is not None and capabilities.update_keys:
        return capabilities.update_keys
    return tuple(DOCUMENTED_TYPES)


def _normal(token: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "_", token.strip().upper()).strip("_")


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    choices = list(choices)
    by_normal = {_normal(choice): choice for choice in choices}
    close = difflib.get_close_matches(_normal(word), list(by_normal), n=1, cutoff=0.6)
    return by_normal[close[0]] if close else None


def resolve_key(key: str, keys: Iterable[str]) -> str:
    """The canonical spelling of a patchable key, or a refusal with a suggestion."""
    keys = list(keys)
    if key in keys:
        return key
    folded = {k.lower(): k for k in keys}
    if key.lower() in folded:
        return folded[key.lower()]
    suggestion = did_you_mean(key, keys)
    hint = f"did you mean '{suggestion}'?" if suggestion else "see 'jobdraft capabilities'"
    raise UsageError(f"'{key}' is not a patchable key", hint=hint)


def _words(text: str) -> list[str]:
    return [word for word in _normal(text).split("_") if word]


def _word_matches(typed: str, word: str) -> bool:
    """``hourly`` matches HOUR, ``file`` FILES: one word starts the other (4 letters or more)."""
    if typed == word:
        return True
    short, long = sorted((typed, word), key=len)
    return len(short) >= 4 and long.startswith(short)


def choices_meaning(raw: str, values: Iterable[str]) -> list[str]:
    """The values whose words hold every word typed: ``files`` -> NUMBER_OF_FILES."""
    typed = _words(raw)
    if not typed:
        return []
    return [
        value
        for value in values
        if all(any(_word_matches(t, w) for w in _words(value)) for t in typed)
    ]


def match_choice(spec: FieldSpec, raw: str) -> str:
    """The canonical enum token for ``raw``, as a person types it.

    The token in any case and spacing (``pay per hour``, ``PAY-PER-HOUR``), or
    the words of one choice only (``hourly``, ``files``, ``entry``).  Refused
    otherwise, with the nearest choices (or all of them) listed.
    """
    values = spec.enum_values or ()
    wanted = _normal(raw)
    for value in values:
        if _normal(value) == wanted:
            return value
    meant = choices_meaning(raw, values)
    if len(meant) == 1:
        return meant[0]
    allowed = ", ".join(values)
    if len(meant) > 1:
        hint = f"it could be {' or '.join(meant)}; allowed: {allowed}"
    else:
        suggestion = did_you_mean(raw, values)
        hint = (
            f"did you mean {suggestion}? allowed: {allowed}"
            if suggestion
            else f"allowed: {allowed}"
        )
    raise UsageError(f"'{raw}' is not an allowed value for {spec.key}", hint=hint)


_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def parse_number(spec: FieldSpec, raw: str) -> int | float:
    """``18``, ``18.5``, ``50,000``, ``$18`` -> a number; integers stay ints."""
    text = raw.strip().replace("_", "").lstrip("$").strip()
    if _GROUPED.match(text):
        text = text.replace(",", "")
    if not _PLAIN.match(text):
        kind = "a whole number" if spec.type == "integer" else "a number"
        raise UsageError(f"{spec.key} must be {kind}, not '{raw}'", hint="for example 18 or 50,000")
    number = float(text)
    if not math.isfinite(number):
        raise UsageError(f"{spec.key} must be a finite number")
    if spec.type == "integer" and not number.is_integer():
        raise UsageError(f"{spec.key} must be a whole number, not '{raw}'")
    if spec.positive and number <= 0:
        raise UsageError(f"{spec.key} must be greater than zero")
    check_limits(spec, number)
    return int(number) if number.is_integer() else number


def check_limits(spec: FieldSpec, number: float) -> None:
    """Refuse a number the server is known to refuse (``NUMBER_MAXIMUM``), in words."""
    if spec.type in ("number", "integer") and abs(number) > NUMBER_MAXIMUM:
        raise UsageError(f"{spec.key} must be at most {NUMBER_MAXIMUM:,}")


_TRUE = {"y", "yes", "true", "1", "on"}
_FALSE = {"n", "no", "false", "0", "off"}


def parse_boolean(spec: FieldSpec, raw: str) -> bool:
    word = raw.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise UsageError(f"{spec.key} must be yes or no, not '{raw}'")


def split_list(raw: str, where: str = "the list") -> list[str]:
    """``a, b,c`` or a JSON list of strings -> items, blanks dropped."""
    text = raw.strip()
    if text.startswith("["):
        try:
            loaded = parse_json(text, where)
        except json.JSONDecodeError as exc:
            raise UsageError(f"not a valid JSON list: {exc.msg}") from None
        if not isinstance(loaded, list):
            raise UsageError("expected a JSON list")
        return [str(item).strip() for item in loaded if str(item).strip()]
    return [item.strip() for item in text.split(",") if item.strip()]


def parse_text(spec: FieldSpec, raw: str) -> Json:
    """Read a typed-in string as the JSON value the server expects for ``spec``."""
    if spec.type in ("number", "integer"):
        return parse_number(spec, raw)
    if spec.type == "boolean":
        return parse_boolean(spec, raw)
    if spec.type == "enum" and spec.enum_values:
        return match_choice(spec, raw)
    if spec.type == "array":
        items = split_list(raw, f"the value of {spec.key}")
        if spec.enum_values:
            return [match_choice(spec, item) for item in items]
        return items
    return raw


def check_text(spec: FieldSpec, raw: str) -> str | None:
    """The reason ``raw`` cannot be read for ``spec``, or None; for ``validate=``."""
    try:
        parse_text(spec, raw)
    except UsageError as exc:
        return exc.message
    return None


def coerce_json(spec: FieldSpec, value: Json) -> Json:
    """Check a value given as JSON (``key:=...``, an answers file) and canonicalise enums."""
    if isinstance(value, str) and spec.type not in ("string", "text"):
        return parse_text(spec, value)
    if spec.type in ("number", "integer"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise UsageError(f"{spec.key} must be a number, not {json.dumps(value)}")
        return parse_number(spec, repr(value))
    if spec.type == "boolean" and not isinstance(value, bool):
        raise UsageError(f"{spec.key} must be true or false, not {json.dumps(value)}")
    if spec.type == "array":
        if not isinstance(value, list):
            raise UsageError(f"{spec.key} must be a list, not {json.dumps(value)}")
        if spec.enum_values:
            return [match_choice(spec, str(item)) for item in value]
    return value


# Far deeper than any value the API takes (a list of strings at most), and far
# below the depth at which Python's own recursion limit would end the run.
MAX_JSON_DEPTH = 32
# Python refuses to turn a longer integer into text (sys.int_info), so such an
# integer could not even be written into the request body.
MAX_INT_DIGITS = 4300
_MAX_INT_BITS = 14284  # the bit length of the largest integer with 4,300 digits


def parse_json(text: str, where: str) -> Json:
    """``text`` read as a JSON value the API can be sent, or a refusal naming ``where``.

    A syntax error stays ``json.JSONDecodeError`` for the caller to word.  What
    Python's ``json`` would accept but no API can take is refused here, before
    anything is sent: ``NaN`` and ``Infinity`` (not JSON), a number too large
    for a double (read as infinity), an integer over 4,300 digits (which
    Python cannot turn back into text), and nesting deeper than
    ``MAX_JSON_DEPTH`` (which could otherwise exhaust the interpreter's stack).
    """

    def constant(name: str) -> Json:
        raise UsageError(
            f"{where}: {name} is not a JSON value",
            hint="JSON numbers are finite, such as 18 or 2.5",
        )

    def whole(digits: str) -> int:
        if len(digits.lstrip("-")) > MAX_INT_DIGITS:
            raise UsageError(f"{where}: an integer has more than {MAX_INT_DIGITS:,} digits")
        return int(digits)

    def real(digits: str) -> float:
        number = float(digits)
        if not math.isfinite(number):
            raise UsageError(f"{where}: the number {digits[:40]} is too large to send")
        return number

    try:
        value = json.loads(text, parse_constant=constant, parse_int=whole, parse_float=real)
    except RecursionError:
        raise _too_deep(where) from None
    check_json_value(value, where)
    return value


def _too_deep(where: str) -> UsageError:
    return UsageError(
        f"{where} is nested too deeply (more than {MAX_JSON_DEPTH} levels)",
        hint="a field's value is a string, a number, true/false or a list",
    )


def check_json_value(value: Json, where: str) -> None:
    """Refuse what cannot travel in a JSON body the API accepts, naming where it is.

    Checked without recursion, so that a value nested thousands of levels deep
    is refused rather than crashing the check itself.  Besides the limits of
    ``parse_json``: a TOML date or time (JSON has none), and text holding a
    lone surrogate (a byte that was not UTF-8, which no server can decode).
    """
    pending: list[tuple[Json, str, int]] = [(value, "", 0)]
    while pending:
        item, at, depth = pending.pop()
        place = f"{where} at {at}" if at else where
        if depth > MAX_JSON_DEPTH:
            raise _too_deep(where)
        if item is None or isinstance(item, bool):
            continue
        if isinstance(item, int):
            if item.bit_length() > _MAX_INT_BITS:
                raise UsageError(f"{place}: an integer has more than {MAX_INT_DIGITS:,} digits")
        elif isinstance(item, float):
            if not math.isfinite(item):
                raise UsageError(
                    f"{place}: {item} is not a JSON number",
                    hint="JSON numbers are finite, such as 18 or 2.5",
                )
        elif isinstance(item, str):
            _check_text(item, place)
        elif isinstance(item, list):
            pending.extend((child, f"{at}[{n}]", depth + 1) for n, child in enumerate(item))
        elif isinstance(item, dict):
            for key, child in item.items():
                if not isinstance(key, str):
                    raise UsageError(f"{place}: a key is not text")
                _check_text(key, place)
                pending.append((child, f"{at}.{key}" if at else key, depth + 1))
        else:
            # tomllib gives datetime.date, .time and .datetime for unquoted dates.
            kind = "a date or time" if hasattr(item, "isoformat") else type(item).__name__
            raise UsageError(
                f"{place}: {kind} is not a JSON value",
                hint='quote it to send it as text, e.g. "2026-05-27"',
            )


def _check_text(text: str, place: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError(f"{place}: the text holds a character that is not valid UTF-8") from None


def parse_assignment(arg: str) -> tuple[str, str, bool]:
    """``key=value`` -> (key, value, False); ``key:=json`` -> (key, json text, True)."""
    raw_json = re.match(r"^([^=:]+):=(.*)$", arg, re.DOTALL)
    if raw_json:
        return raw_json.group(1).strip(), raw_json.group(2), True
    key, sep, value = arg.partition("=")
    if not sep or not key.strip():
        raise UsageError(
            f"'{arg}' is not key=value", hint="for example --set experienceLevel=INTERMEDIATE"
        )
    return key.strip(), value, False


def read_assignments(
    assignments: Iterable[str],
    capabilities: Capabilities | None,
    missing: Mapping[str, MissingField] | None = None,
) -> dict[str, Json]:
    """Every ``--set`` argument typed for its key; refuses before anything is sent."""
    keys = known_keys(capabilities)
    body: dict[str, Json] = {}
    for arg in assignments:
        name, raw, is_json = parse_assignment(arg)
        key = resolve_key(name, keys)
        spec = spec_for(key, (missing or {}).get(key), capabilities)
        if is_json:
            try:
                value = parse_json(raw, f"the value of {key}")
            except json.JSONDecodeError as exc:
                raise UsageError(f"{key}:= needs a JSON value: {exc.msg}") from None
            # Sent exactly as given (headcount:="12" is the string "12"):
            # ``:=`` is how a script says what JSON to send.  Only a number
            # the server is known to refuse is stopped here.
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                check_limits(spec, value)
            body[key] = value
        else:
            if not raw.strip() and (key in REQUIRED_KEYS or key in (missing or {})):
                raise UsageError(
                    f"{key} is required: '{key}=' would leave it empty",
                    hint=f"give a value, e.g. --set {key}=..., or leave {key} out",
                )
            body[key] = parse_text(spec, raw)
        check_json_value(body[key], f"the value of {key}")
    return body


def read_answers(
    answers: Mapping[str, Json],
    capabilities: Capabilities | None,
    missing: Mapping[str, MissingField] | None = None,
) -> dict[str, Json]:
    """An answers object (from ``--file``/``--answers``) checked and typed key by key."""
    keys = known_keys(capabilities)
    body: dict[str, Json] = {}
    for name, value in answers.items():
        key = resolve_key(str(name), keys)
        body[key] = coerce_json(spec_for(key, (missing or {}).get(key), capabilities), value)
        check_json_value(body[key], f"the value of {key}")
    return body
