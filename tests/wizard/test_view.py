"""What the wizard prints stays readable at 60 columns and without colour."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from jobdraft.ports import Row
from jobdraft.questions import build_question
from jobdraft.wizard_view import RichDisplay

pytestmark = pytest.mark.timeout(10)

ROWS = [
    Row("Number of AI trainers", "12", "set"),
    Row("Hours of recording audio video", "HOURS_OF_RECORDING_AUDIO_VIDEO", "set"),
    Row("Experience level", "What experience level should AI trainers have?", "missing"),
    Row("Hourly rate (USD)", "Hourly rate (USD) must be at least 5.", "blocked"),
    Row("Languages", "Expected array, received string", "rejected"),
]


def render(width: int, **console: object) -> str:
    out = io.StringIO()
    display = RichDisplay(Console(file=out, width=width, **console))  # type: ignore[arg-type]
    display.table("After this round", ROWS)
    display.progress("9 of the 11 missing fields set, 2 still missing.", ready=False)
    question = build_question("pricePerHour", problem="Hourly rate (USD) must be at least 5.")
    display.question_intro(question, 2, 5)
    return out.getvalue()


def test_sixty_columns_fold_inside_the_cells() -> None:
    text = render(60, color_system=None)
    assert all(len(line) <= 60 for line in text.splitlines())
    for word in ("set", "missing", "blocked", "refused", "9 of the 11 missing fields set"):
        assert word in text
    assert "HOURS_OF_RECORDING" in text


def test_no_color_keeps_every_state_in_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    text = render(80, force_terminal=True)
    assert "\x1b[3" not in text  # no foreground colour codes
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)  # bold may stay: it is not colour
    assert "! Hourly rate (USD) must be at least 5." in text
    assert "missing" in text


def test_a_next_step_command_is_never_cut_by_a_newline_at_a_narrow_terminal() -> None:
    """rich wraps prose at words; a command cut that way pastes as two commands."""
    import io

    from rich.console import Console

    from jobdraft.errors import NotReady
    from jobdraft.render import print_error
    from jobdraft.wizard_view import RichDisplay

    command = "jobdraft --sandbox publish jd_0123456789abcdef0123"
    out = io.StringIO()
    console = Console(file=out, width=40, force_terminal=True, color_system=None)
    display = RichDisplay(console)
    display.note(f"Not published. When you are ready: {command}")
    display.warn(f"2 answers are saved; to send them: {command}")
    print_error(console, NotReady("the draft is not ready", hint=f"fill the gaps: {command}"))
    written = out.getvalue()
    assert written.count(command) == 3, written
    # Prose without a command still wraps at words, as before.
    out.truncate(0)
    out.seek(0)
    display.note("A sentence long enough to need more than one line at forty columns.")
    assert "\n" in out.getvalue().rstrip("\n")


def test_prose_with_a_command_folds_at_words_and_keeps_the_command_whole() -> None:
    """A line holding a command is folded by jobdraft at words, not cut by the terminal's edge."""
    from jobdraft.errors import NotReady
    from jobdraft.render import print_error

    command = "jobdraft --sandbox fill jd_0123456789abcdef0123"
    note = (
        "The embedded sandbox serves no web pages: 'jobdraft sandbox serve' "
        "(it uses the same store) shows this one."
    )
    warning = f"2 answers are saved and not sent yet; to send them, run again: {command}"
    hint = f"see what is missing ({command}), or answer them from a file"
    out = io.StringIO()
    console = Console(file=out, width=60, force_terminal=True, color_system=None)
    display = RichDisplay(console)
    display.note(note)
    display.warn(warning)
    print_error(console, NotReady("the draft is not ready", hint=hint))
    lines = out.getvalue().splitlines()
    assert all(len(line) <= 60 for line in lines), lines
    written = " ".join(lines).split()
    for said in (note, f"Warning: {warning}", f"Hint: {hint}"):
        assert " ".join(said.split()) in " ".join(written), lines  # every word whole, in order
    assert sum(command in line for line in lines) == 2, lines
    assert any("'jobdraft sandbox serve'" in line for line in lines), lines


def test_into_a_pipe_prose_with_a_command_stays_one_line() -> None:
    command = "jobdraft --sandbox publish jd_0123456789abcdef0123"
    out = io.StringIO()
    display = RichDisplay(Console(file=out, width=40, color_system=None))  # not a terminal
    display.note(f"Not published. When you are ready: {command}")
    assert out.getvalue() == f"Not published. When you are ready: {command}\n"
