"""One vocabulary for people: field labels and values in words.

Every table or question a person reads names a field by its label
("Hourly rate (USD)") and a value in words ("Pay per hour", "yes", "12"),
whatever printed it (the wizard, ``patch``, ``publish``, ``show``); the keys
and tokens a script needs stay in ``--json``, ``--dry-run`` bodies and
``--set`` hints, which do not come here.  The server's own words win over the
documented ones below.  Pure: no I/O, nothing printed; text from a server
keeps its characters, and whoever prints it passes it through ``inert``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jobdraft.fields import describes, spec_for
from jobdraft.inert import redact
from jobdraft.json_types import Json

if TYPE_CHECKING:
    from jobdraft.fields import FieldSpec
    from jobdraft.model import Capabilities, MissingField


@dataclass(frozen=True)
class FieldWords:
    label: str
    question: str
    hint: str | None = None


# The documented keys (docs/api.md §4) in plain words, for when the server
# names a field without describing it.  The server's own words always win.
DOCUMENTED_WORDS: dict[str, FieldWords] = {
    "jobTitle": FieldWords("Job title", "What is the title of the job post?"),
    "jobDescription": FieldWords(
        "Job description", "Describe the work: the task, the data, what a good result is."
    ),
    "paymentType": FieldWords("Payment type", "How will AI trainers be paid?"),
    "pricePerHour": FieldWords(
        "Hourly rate (USD)", "How much will you pay per hour, in US dollars?"
    ),
    "pricePerLabel": FieldWords(
        "Price per label (USD)", "How much will you pay per label, in US dollars?"
    ),
    "fixedPrice": FieldWords(
        "Fixed price (USD)", "What fixed price will you pay for the whole job, in US dollars?"
    ),
    "experienceLevel": FieldWords(
        "Experience level", "What experience level should AI trainers have?"
    ),
    "dataVolumeUnit": FieldWords("Data volume unit", "In what unit is the data volume counted?"),
    "dataVolume": FieldWords(
        "Data volume", "How much data is there to label, in the data volume unit?"
    ),
    "headcount": FieldWords("Number of AI trainers", "How many AI trainers do you need?"),
    "languages": FieldWords(
        "Languages",
        "Which languages must AI trainers know?",
        "Separate several with commas, e.g. English, Spanish.",
    ),
    "countries": FieldWords(
        "Countries",
        "Which countries may AI trainers live in?",
        "Separate several with commas.",
    ),
    "labelTypes": FieldWords("Label types", "What kinds of labels will AI trainers produce?"),
}


def humanize_key(key: str) -> str:
    """``labelingOverview`` -> ``Labeling overview``."""
    # A key is the server's: a token echoed in it would no longer be
    # recognised (and so redacted) once split into words.
    key = redact(key)
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", key):
        # Not an identifier: shown as the server wrote it (inert when printed),
        # since splitting it into words would garble what it holds.
        return key
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", key).replace("_", " ").split()
    if not words:
        return key
    text = " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words)
    return text[0].upper() + text[1:]


# Documented tokens whose words alone read wrong (docs/api.md §4).
TOKEN_WORDS = {
    "HOURS_OF_RECORDING_AUDIO_VIDEO": "Hours of recording (audio/video)",
    "UNKNOWN_NOT_SPECIFIED": "Unknown / not specified",
}

# Short words that are acronyms (AI, NDA, URL) and stay in capitals.
ACRONYMS = frozenset({"ai", "nda", "url", "id", "usd"})


def is_token(text: str) -> bool:
    """An UPPER_SNAKE enum token such as ``PAY_PER_HOUR``."""
    return bool(re.fullmatch(r"[A-Z0-9_]+", text)) and bool(re.search(r"[A-Z]", text))


def humanize_token(token: str) -> str:
    """``PAY_PER_HOUR`` -> ``Pay per hour``; anything not an UPPER_SNAKE token is kept."""
    if token in TOKEN_WORDS:
        return TOKEN_WORDS[token]
    if not is_token(token):
        return token
    words = token.lower().split("_")
    text = " ".join(w.upper() if w in ACRONYMS else w for w in words)
    return text[:1].upper() + text[1:]


def label_for(key: str, missing: MissingField | None = None) -> str:
    """A field's name for people: the server's label, the documented one, or the key in words."""
    if missing is not None and missing.label and describes(missing, key):
        return missing.label
    words = DOCUMENTED_WORDS.get(key)
    return words.label if words else humanize_key(key)


def question_for(key: str, missing: MissingField | None = None) -> str:
    """What a person is asked for ``key``: the server's prompt, else the documented one."""
    if missing is not None and missing.question and describes(missing, key):
        return missing.question
    words = DOCUMENTED_WORDS.get(key)
    return words.question if words else f"{label_for(key, missing)}?"


def number_text(value: float) -> str:
    """``18.0`` -> ``18``; a large amount grouped (``1,000,000``) so its zeros can be counted."""
    if isinstance(value, float) and not value.is_integer():
        return repr(value)
    whole = int(value)
    return f"{whole:,}" if abs(whole) >= 10_000 else str(whole)


def describe_value(spec: FieldSpec | None, value: Json) -> str:
    """A value as a person reads it: enum tokens in words, lists joined, yes/no."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return number_text(value)
    if isinstance(value, list):
        return ", ".join(describe_value(spec, item) for item in value)
    if isinstance(value, str):
        if spec is not None and spec.enum_values and value in spec.enum_values:
            return humanize_token(value)
        return value
    return json.dumps(value, ensure_ascii=False)


def value_for_key(
    key: str,
    value: Json,
    missing: MissingField | None = None,
    capabilities: Capabilities | None = None,
) -> str:
    """``describe_value`` for a key without a spec at hand: its enum tokens in words, those
    the server lists (the gap, the capabilities) or else the documented ones."""
    return describe_value(spec_for(key, missing, capabilities), value)


def shorten(text: str, limit: int = 160) -> str:
    """Long text cut for a table cell, on one line; the draft keeps all of it.

    Secrets are redacted before the cut: a cut token is no longer recognisable.
    """
    flat = " ".join(redact(text).split())
    return flat if len(flat) <= limit else flat[: limit - 3].rstrip() + "..."


def allowed_text(values: Iterable[str]) -> str:
    """The allowed values of a choice, in words: ``Pay per hour, Fixed price``."""
    return ", ".join(humanize_token(value) for value in values)


def need_text(item: MissingField, key: str | None = None) -> str:
    """What a missing field needs, for the "What is needed" cell: never empty.

    The server's question or message first, the documented question else; the
    allowed values in words when it is a choice, the example as one.
    """
    key = key or item.field
    need = item.question or item.message or question_for(key, item)
    spec = spec_for(key, item)
    if spec.enum_values:
        need += f"\nOne of: {allowed_text(spec.enum_values)}"
    elif item.example not in (None, "", []):
        need += f"\nFor example: {describe_value(spec, item.example)}"
    return need


_NUMBER_LIMIT = re.compile(
    r"\b(Number must be (?:less|greater) than(?: or equal to)?) "
    r"(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)",
    re.IGNORECASE,
)
_LIMIT_WORDS = {
    "number must be less than or equal to": "at most",
    "number must be greater than or equal to": "at least",
    "number must be less than": "less than",
    "number must be greater than": "more than",
}


def server_message_text(message: str) -> str:
    """A server's validation message in words: ``... less than or equal to 1e+12`` -> at most
    1,000,000,000,000.  Anything else is kept as the server wrote it."""

    def reword(match: re.Match[str]) -> str:
        number = float(match.group(2))
        words = _LIMIT_WORDS.get(match.group(1).lower(), match.group(1))
        return f"Must be {words} {number_text(number if not number.is_integer() else int(number))}"

    return _NUMBER_LIMIT.sub(reword, message)
