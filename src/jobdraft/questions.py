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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum

from jobdraft.fields import (
    RATE_KEY_FOR_PAYMENT,
    FieldSpec,
    check_text,
    describes,
    parse_text,
    spec_for,
)
from jobdraft.json_types import Json
from jobdraft.model import Capabilities, MissingField
from jobdraft.wording import (
    DOCUMENTED_WORDS,
    FieldWords,
    describe_value,
    humanize_key,
    humanize_token,
    label_for,
)

# The words live in ``wording``; these names stay importable from here.
__all__ = [
    "DOCUMENTED_WORDS",
    "FieldWords",
    "describe_value",
    "humanize_key",
    "humanize_token",
    "label_for",
]

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


def _number_text(value: float) -> str:
    # The text a prompt starts from: ungrouped, so it reads back as typed.
    return str(int(value)) if float(value).is_integer() else repr(value)


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
    # Only a value the user or the draft gave is a default; the server's example
    # is shown as an example, never pre-selected (Enter would send a guess).
    default = raw_default(spec, current)
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


# An answer that makes another key required at once (docs/api.md §3.3).
FOLLOW_UPS: dict[str, dict[str, str]] = {"paymentType": RATE_KEY_FOR_PAYMENT}


def has_follow_ups(key: str) -> bool:
    return key in FOLLOW_UPS


def follow_up_key(key: str, value: Json) -> str | None:
    """The key ``value`` makes required: the rate that goes with the payment type chosen."""
    return FOLLOW_UPS.get(key, {}).get(value) if isinstance(value, str) else None
