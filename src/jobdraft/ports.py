"""The interfaces the wizard's terminal code plugs into, and nothing else.

``prompts.QuestionaryPrompter`` and ``wizard_view.RichDisplay`` implement
them; the wizard loop and ``fill`` use them; tests script them.  Keeping
them here lets the terminal code depend on these few names instead of on
the loop that drives it.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from jobdraft.questions import Choice, Question, RawAnswer


class InterruptedWhileTyping(KeyboardInterrupt):
    """Ctrl-C at a text question, with what was typed there and not yet submitted."""

    def __init__(self, typed: str) -> None:
        super().__init__()
        self.typed = typed


class InterruptedWhilePicking(KeyboardInterrupt):
    """Ctrl-C at a checklist, with the items ticked so far."""

    def __init__(self, picked: list[str]) -> None:
        super().__init__()
        self.picked = picked


def typed_before_interrupt(exc: KeyboardInterrupt) -> str:
    """The text a Ctrl-C cut short ("" when none, or when it was not at a text question)."""
    return exc.typed if isinstance(exc, InterruptedWhileTyping) else ""


class Prompter(Protocol):
    """Asks one thing at a time; Ctrl-C raises KeyboardInterrupt.

    At a text question it may raise ``InterruptedWhileTyping`` instead (a
    KeyboardInterrupt too), so that a half-typed answer can be kept.
    """

    def ask(self, question: Question) -> RawAnswer:
        """The answer in its widget's form; None (or blank) when skipped for now."""

    def menu(self, message: str, choices: Sequence[Choice], default: str | None = None) -> str:
        """One of ``choices``' values."""

    def confirm(self, message: str, *, default: bool) -> bool: ...


@dataclass(frozen=True)
class Row:
    """One line of a table the wizard shows; ``state`` is a word, never only a colour."""

    label: str
    detail: str = ""
    state: str | None = None  # set, missing, skipped, blocked, rejected; None in a review


class Display(Protocol):
    def note(self, text: str) -> None: ...
    def warn(self, text: str) -> None: ...
    def success(self, text: str) -> None: ...
    def link(self, label: str, url: str) -> None: ...
    def question_intro(self, question: Question, index: int, total: int) -> None: ...
    def table(self, title: str, rows: Sequence[Row], *, detail: str | None = None) -> None: ...
    def progress(self, text: str, *, ready: bool) -> None: ...
    def waiting(self, text: str) -> AbstractContextManager[None]: ...
    def retrying(self, note: str) -> None: ...
