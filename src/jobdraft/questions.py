"""Questions are data: what to ask for one key, built from what the server said.

A ``Question`` holds everything a prompter needs (the words, the widget, the
choices, the default, the check that blocks Enter) and nothing that draws on
a terminal, so that the builder is unit-tested and the wizard's loop runs the
same with questionary or with a scripted prompter.  The server's missing-field
object comes first; where it gave only a name (PATCH's small body, the
sandbox's ``--minimal`` mode), the words come from the documented keys below
and the type from ``fields.spec_for``.  Pure: no I/O.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from jobdraft.fields import (
    RATE_KEY_FOR_PAYMENT,
    FieldSpec,
    check_text,
    describes,
    parse_text,
    spec_for,
)
from jobdraft.inert import redact
from jobdraft.model import Capabilities, MissingField

Json = Any

# What a prompter hands back: the chosen value(s), the typed text, yes/no, or
# None when the user skipped the question for now.
RawAnswer = str | list[str] | bool | None

# Above this many choices a list filters as the user types.
SEARCH_THRESHOLD = 7


class Widget(str, Enum):
    SELECT = "select"  # one of a list
    CHECKBOX = "checkbox"  # several of a list
    TEXT = "text"  # one line (numbers, comma-separated lists, short strings)
    MULTILINE = "multiline"  # paragraphs
    CONFIRM = "confirm"  # yes or no


@dataclass(frozen=True)
class Choice:
    value: str
    title: str


@dataclass(frozen=True)
class Question:
    key: str  # the patchable key the answer is sent as ("" for a question about no key)
    label: str
    message: str
    widget: Widget
    spec: FieldSpec | None = None
    choices: tuple[Choice, ...] = ()
    default: RawAnswer = None  # pre-filled text, highlighted choice, checked items
    hint: str | None = None
    example: str | None = None
    problem: str | None = None  # the server's words about this field (an issue, a refusal)
    required: bool = True
    skippable: bool = True
    # The reason a typed text cannot be accepted, or None; blocks Enter (``validate=``).
    validator: Callable[[str], str | None] | None = field(default=None, compare=False)

    @property
    def searchable(self) -> bool:
        return len(self.choices) > SEARCH_THRESHOLD

    def check(self, raw: str) -> str | None:
        """Why ``raw`` cannot be accepted, or None.  An empty answer means "skip"."""
        if not raw.strip() and self.skippable:
            return None
        problem = self.validator(raw) if self.validator is not None else None
        if problem is None and not raw.strip():
            problem = "An answer is needed here."
        # Shown under the answer as a sentence of its own.
        return problem[:1].upper() + problem[1:] if problem else None

    def check_selection(self, selected: Sequence[str]) -> str | None:
        """For a checkbox: at least one item when the field is required."""
        if not selected and self.required:
            return "Pick at least one (Space picks)."
        return None

    def title_of(self, value: str) -> str:
        for choice in self.choices:
            if choice.value == value:
                return choice.title
        return value


@dataclass(frozen=True)
class FieldWords:
    label: str
    question: str
    hint: str | None = None


# The documented keys (contract section 4) in plain words, for when the server
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
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", key).replace("_", " ").split()
    if not words:
        return key
    text = " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words)
    return text[0].upper() + text[1:]


# Documented tokens whose words alone read wrong (contract section 4).
TOKEN_WORDS = {
    "HOURS_OF_RECORDING_AUDIO_VIDEO": "Hours of recording (audio/video)",
    "UNKNOWN_NOT_SPECIFIED": "Unknown / not specified",
}


def humanize_token(token: str) -> str:
    """``PAY_PER_HOUR`` -> ``Pay per hour``; anything not an UPPER_SNAKE token is kept."""
    if token in TOKEN_WORDS:
        return TOKEN_WORDS[token]
    if not re.fullmatch(r"[A-Z0-9_]+", token) or not re.search(r"[A-Z]", token):
        return token
    words = token.lower().split("_")
    # Short all-capital words are acronyms (AI, NDA, URL) and stay so.
    text = " ".join(w.upper() if w in {"ai", "nda", "url", "id", "usd"} else w for w in words)
    return text[:1].upper() + text[1:]


def label_for(key: str, missing: MissingField | None = None) -> str:
    if missing is not None and missing.label and describes(missing, key):
        return missing.label
    words = DOCUMENTED_WORDS.get(key)
    return words.label if words else humanize_key(key)


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def describe_value(spec: FieldSpec | None, value: Json) -> str:
    """A value as a person reads it: enum tokens in words, lists joined, yes/no."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return _number_text(value)
    if isinstance(value, list):
        return ", ".join(describe_value(spec, item) for item in value)
    if isinstance(value, str):
        if spec is not None and spec.enum_values and value in spec.enum_values:
            return humanize_token(value)
        return value
    return json.dumps(value, ensure_ascii=False)


def raw_default(spec: FieldSpec | None, value: Json) -> RawAnswer:
    """A JSON value in the form its widget starts from (the inverse of ``to_value``)."""
    if value is None:
        return None
    widget = widget_for(spec)
    if widget is Widget.CONFIRM:
        return value if isinstance(value, bool) else None
    if widget is Widget.CHECKBOX:
        values = spec.enum_values or () if spec is not None else ()
        items = value if isinstance(value, list) else [value]
        return [str(item) for item in items if str(item) in values]
    if widget is Widget.SELECT:
        values = spec.enum_values or () if spec is not None else ()
        return value if isinstance(value, str) and value in values else None
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return _number_text(value)
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def widget_for(spec: FieldSpec | None) -> Widget:
    if spec is None:
        return Widget.TEXT
    if spec.is_choice:
        return Widget.SELECT
    if spec.is_multi_choice:
        return Widget.CHECKBOX
    if spec.type == "boolean":
        return Widget.CONFIRM
    if spec.type == "text":
        return Widget.MULTILINE
    return Widget.TEXT


def field_text_problem(spec: FieldSpec, raw: str) -> str | None:
    """``check_text``'s reason, worded for a prompt: the field is already on screen."""
    problem = check_text(spec, raw)
    if problem is None:
        return None
    if problem.startswith(spec.key + " "):
        problem = problem[len(spec.key) + 1 :]
        problem = problem[:1].upper() + problem[1:]
    return problem


def example_text(spec: FieldSpec | None, example: Json) -> str | None:
    if example is None or example in ("", []):
        return None
    return describe_value(spec, example)


def build_question(
    key: str,
    *,
    missing: MissingField | None = None,
    capabilities: Capabilities | None = None,
    current: Json = None,
    problem: str | None = None,
    required: bool = True,
) -> Question:
    """The question for ``key``: the server's words, else the documented ones."""
    spec = spec_for(key, missing, capabilities)
    words = DOCUMENTED_WORDS.get(key)
    # One gap may set several keys: its words go with the key it describes.
    own = missing is not None and describes(missing, key)
    label = label_for(key, missing)
    message = (missing.question if own and missing is not None else None) or (
        words.question if words else f"{label}?"
    )
    hint = (missing.hint if own and missing is not None else None) or (
        words.hint if words else None
    )
    example = missing.example if own and missing is not None else None
    widget = widget_for(spec)
    choices = tuple(Choice(v, humanize_token(v)) for v in spec.enum_values or ())
    default = raw_default(spec, current)
    if default is None and widget is Widget.SELECT:
        # Nothing chosen yet: start on the server's example, if it is a choice.
        default = raw_default(spec, example)
    if widget is Widget.TEXT and spec.type == "array" and "comma" not in (hint or ""):
        # The server's hint says what to give, not how to give several.
        hint = f"{hint} Separate several with commas." if hint else "Separate several with commas."
    return Question(
        key=key,
        label=label,
        message=message,
        widget=widget,
        spec=spec,
        choices=choices,
        default=default,
        hint=hint,
        example=example_text(spec, example),
        problem=problem,
        required=required,
        validator=lambda raw: field_text_problem(spec, raw),
    )


def is_skip(raw: RawAnswer) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, list):
        return not raw
    return False


def to_value(question: Question, raw: RawAnswer) -> Json:
    """The JSON value to send for a (not skipped) answer."""
    spec = question.spec
    if isinstance(raw, (bool, list)):
        return raw
    if raw is None:
        return None
    if spec is None or question.widget is Widget.SELECT:
        return raw
    if spec.type in ("string", "text"):
        return raw.strip()
    return parse_text(spec, raw)


# An answer that makes another key required at once (contract section 3.3).
FOLLOW_UPS: dict[str, dict[str, str]] = {"paymentType": RATE_KEY_FOR_PAYMENT}


def has_follow_ups(key: str) -> bool:
    return key in FOLLOW_UPS


def follow_up_key(key: str, value: Json) -> str | None:
    """The key ``value`` makes required: the rate that goes with the payment type chosen."""
    return FOLLOW_UPS.get(key, {}).get(value) if isinstance(value, str) else None
