"""The plain display: tables as lines of words, waits said once, server text made inert."""

from __future__ import annotations

import io

from jobdraft.plain_display import PlainDisplay
from jobdraft.ports import Row
from jobdraft.questions import build_question


def shown(action: str) -> tuple[str, str]:
    out, errors = io.StringIO(), io.StringIO()
    display = PlainDisplay(out, errors)
    if action == "table":
        display.table(
            "After this round",
            [
                Row("Payment type", "Pay per hour", "set"),
                Row("Experience level", "What experience level?", "missing"),
                Row("Hourly rate (USD)", "Must be at least 5", "rejected"),
                Row("Title\x1b[2J", "Transcribe\x07"),
            ],
        )
    elif action == "wait":
        with display.waiting("Sending 3 answers..."):
            display.retrying("The server is busy: retrying in 2s.")
    elif action == "intro":
        question = build_question("pricePerHour", problem="Must be at least 5.")
        display.question_intro(question, 2, 3)
    elif action == "warn":
        display.warn("the journal file could not be read")
    return out.getvalue(), errors.getvalue()


def test_a_table_is_a_heading_and_one_line_per_row() -> None:
    out, _ = shown("table")
    assert out == (
        "\nAfter this round:\n"
        "  Payment type: Pay per hour (set)\n"
        "  Experience level: What experience level? (missing)\n"
        "  Hourly rate (USD): Must be at least 5 (refused)\n"
        "  Title\\x1b[2J: Transcribe\\x07\n"
    )


def test_a_wait_is_one_line_said_once() -> None:
    out, _ = shown("wait")
    assert out == "Sending 3 answers...\nThe server is busy: retrying in 2s.\n"


def test_a_question_is_introduced_with_its_position_problem_and_hint() -> None:
    out, _ = shown("intro")
    assert out.splitlines() == ["", "Hourly rate (USD) (2 of 3)", "Problem: Must be at least 5."]


def test_warnings_go_to_stderr_marked_in_words() -> None:
    out, errors = shown("warn")
    assert (out, errors) == ("", "Warning: the journal file could not be read\n")
