"""What the wizard prints, with rich: question headers, review and round tables, progress.

Every state is written as a word ("set", "missing", "skipped", "blocked",
"refused") and every warning starts with a mark, so nothing is lost under
NO_COLOR; long text folds inside its cell so a 60-column terminal still
shows a readable table.  Much of what is shown (labels, hints, values,
warnings, URLs) comes from the server: every string goes through ``shown``
(``inert`` into a rich ``Text``), so no escape sequence reaches the terminal,
no secret is printed and no rich markup in it is ever parsed.  No prompt is
ever drawn while the spinner of ``waiting`` runs: the wizard only calls the
session inside it.  The spinner shows only once a wait has lasted
``SPINNER_DELAY``: most answers come sooner, and a spinner drawn and erased
within a few milliseconds is a flash the eye cannot read that costs the
step the time of starting and stopping it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING

from rich.console import Console, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from jobdraft import alarms
from jobdraft.alarms import Alarm
from jobdraft.ports import Row
from jobdraft.questions import Question
from jobdraft.render import print_prose, prose_text, shown, soft_wrap_for
from jobdraft.table_widths import print_table
from jobdraft.terminal import discard_typeahead

if TYPE_CHECKING:  # rich imports it (and rich.live) when a spinner first shows
    from rich.status import Status

STATE_STYLES = {
    "set": "green",
    "just set": "bold green",
    "missing": "yellow",
    "skipped": "yellow",
    "blocked": "red",
    "rejected": "red",
}
STATE_WORDS = {"rejected": "refused"}
SPINNER_DELAY = 0.15  # seconds of waiting before the spinner shows


class DelayedStatus:
    """rich's status spinner, started by an alarm once ``delay`` has passed, if still waiting."""

    def __init__(self, console: Console, text: Text, delay: float = SPINNER_DELAY) -> None:
        self._console = console
        self._text = text
        self._lock = threading.Lock()  # the alarm's start and the end of the wait never cross
        self._ended = False
        self.status: Status | None = None
        self._delay = delay
        self._alarm: Alarm | None = None

    def _show(self) -> None:
        with self._lock:
            if not self._ended:
                self.status = self._console.status(self._text)
                self.status.start()

    def __enter__(self) -> DelayedStatus:
        self._alarm = alarms.after(self._delay, self._show)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._alarm is not None:
            self._alarm.cancel()
        with self._lock:
            self._ended = True
            if self.status is not None:
                self.status.stop()


class RichDisplay:
    """The wizard's ``Display`` on a rich console (stdout, at a terminal).

    Warnings go to ``warnings`` when given (stderr, for the command), else to
    the same console.  None is printed while a spinner of ``waiting`` runs.
    """

    def __init__(self, console: Console, warnings: Console | None = None) -> None:
        self.console = console
        self.warnings = warnings or console

    def note(self, text: str) -> None:
        print_prose(self.console, text)

    def warn(self, text: str) -> None:
        # A command in the warning is never cut by a newline (see prose_text).
        mark = Text("Warning: ", style="bold yellow")
        self.warnings.print(
            prose_text(self.warnings, text, "default", prefix=mark),
            soft_wrap=soft_wrap_for(text),
        )

    def success(self, text: str) -> None:
        self.console.print(shown(text, "bold green"))

    def link(self, label: str, url: str) -> None:
        # Never folded by rich: a URL cut by a newline cannot be copied or clicked.
        self.console.print(shown(label))
        self.console.print(shown(url, "underline"), soft_wrap=True)

    def heading(self, text: str) -> None:
        self.console.print()
        self.console.print(shown(text, "bold"))

    def question_intro(self, question: Question, index: int, total: int) -> None:
        self.console.print()
        header = shown(question.label, "bold")
        if total > 1:
            header.append(f"  ({index} of {total})", style="dim")
        self.console.print(header)
        if question.problem:
            self.indented(Text("! ", style="bold red").append(shown(question.problem, "red")))
        if question.hint:
            self.indented(shown(question.hint, "dim", multiline=True))
        # Shown as words under the question, never pre-selected in a list: an
        # example is the server's illustration, not the user's answer.
        if question.example and question.example != question.hint:
            self.indented(shown(f"For example: {question.example}", "dim"))

    def indented(self, renderable: RenderableType) -> None:
        # Padding keeps every wrapped line under the first one, at any width.
        self.console.print(Padding(renderable, (0, 0, 0, 2)))

    def table(self, title: str, rows: Sequence[Row], *, detail: str | None = None) -> None:
        if not rows:
            return
        with_state = any(row.state for row in rows)
        table = Table(title=shown(title), title_justify="left", title_style="bold", expand=False)
        table.add_column("Field", overflow="fold", max_width=24)
        if with_state:
            table.add_column("State", no_wrap=True)
        header = detail or ("Details" if with_state else "Answer")
        table.add_column(shown(header), overflow="fold", ratio=1)
        for row in rows:
            cells: list[Text] = [shown(row.label)]
            if with_state:
                state = row.state or ""
                word = STATE_WORDS.get(state, state)
                cells.append(shown(word, STATE_STYLES.get(state, "")))
            cells.append(shown(row.detail, multiline=True))
            table.add_row(*cells)
        self.console.print()
        print_table(self.console, table)

    def progress(self, text: str, *, ready: bool) -> None:
        self.console.print(shown(text, "bold green" if ready else "bold"))

    @contextmanager
    def waiting(self, text: str) -> Iterator[None]:
        if not self.console.is_terminal:
            yield
            return
        try:
            with DelayedStatus(self.console, shown(text)):
                yield
        finally:
            discard_typeahead()  # what was typed meanwhile was not meant for the next prompt

    def retrying(self, note: str) -> None:
        # Printed through the spinner's own console, the note goes above the
        # spinner; another console would write across it.
        self.console.print(shown(note, "dim"))
