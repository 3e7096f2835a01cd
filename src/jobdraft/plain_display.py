"""The wizard's Display in plain mode: lines of words, no table borders, no spinner, no escape.

The companion of ``plain_prompts.PlainPrompter``.  A screen reader reads a
boxed table cell by cell, border characters and all, and a dumb terminal
cannot move the cursor back to animate a spinner; here a table is a heading
and one ``label: value (state)`` line per row, a wait is one line said once,
and nothing is styled.  Every text passes through ``inert``: labels, values
and messages may come from the server.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TextIO

from jobdraft.inert import inert
from jobdraft.ports import Row
from jobdraft.questions import Question, Widget
from jobdraft.terminal import discard_typeahead

STATE_WORDS = {"rejected": "refused"}


class PlainDisplay:
    """Everything the wizard prints, as plain lines on ``out`` (warnings on ``errors``)."""

    def __init__(self, out: TextIO | None = None, errors: TextIO | None = None) -> None:
        self.out = out if out is not None else sys.stdout
        self.errors = errors if errors is not None else sys.stderr

    def _say(self, text: str, stream: TextIO | None = None) -> None:
        stream = stream or self.out
        stream.write(text + "\n")
        stream.flush()

    def note(self, text: str) -> None:
        self._say(inert(text, multiline=True))

    def warn(self, text: str) -> None:
        self._say("Warning: " + inert(text, multiline=True), self.errors)

    def success(self, text: str) -> None:
        self._say(inert(text))

    def link(self, label: str, url: str) -> None:
        # The URL alone on its line, whole: a reader or a copy takes it as it is.
        self._say(inert(label))
        self._say(inert(url))

    def question_intro(self, question: Question, index: int, total: int) -> None:
        self._say("")
        self._say(inert(question.label) + (f" ({index} of {total})" if total > 1 else ""))
        if question.problem:
            self._say("Problem: " + inert(question.problem))
        if question.hint:
            self._say(inert(question.hint))
        listed = question.widget in (Widget.SELECT, Widget.CHECKBOX)
        if question.example and not listed and question.example != question.hint:
            self._say("For example: " + inert(question.example))

    def table(self, title: str, rows: Sequence[Row], *, detail: str | None = None) -> None:
        if not rows:
            return
        self._say("")
        self._say(inert(title) + ":")
        for row in rows:
            line = "  " + inert(row.label)
            if row.detail:
                line += ": " + inert(row.detail)
            if row.state:
                line += f" ({STATE_WORDS.get(row.state, row.state)})"
            self._say(line)

    def progress(self, text: str, *, ready: bool) -> None:
        self._say(inert(text))

    @contextmanager
    def waiting(self, text: str) -> Iterator[None]:
        # Said once, before the wait: no spinner to redraw, and a reader hears it.
        self._say(inert(text))
        try:
            yield
        finally:
            discard_typeahead()  # what was typed meanwhile was not meant for the next prompt

    def retrying(self, note: str) -> None:
        self._say(inert(note))
