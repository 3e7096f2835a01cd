"""The plain prompter in a real pseudo-terminal: lines in, lines out, never an escape.

Each test runs ``plain_driver.py`` (the real ``PlainPrompter`` over real
questions) under pexpect with ``TERM=dumb``, types what a person would, and
reads the answers the driver prints.  The terminal's own echo and line
editing are in play, as for a user.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from tests.wizard.line_terminal import LineTerminal

from jobdraft.plain_prompts import Picked, pick_one, pick_several
from jobdraft.questions import Choice

pytestmark = [pytest.mark.slow, pytest.mark.timeout(60)]

DRIVER = Path(__file__).with_name("plain_driver.py")
PAY = [
    Choice("PAY_PER_LABEL", "Pay per label"),
    Choice("PAY_PER_HOUR", "Pay per hour"),
    Choice("FIXED_PRICE", "Fixed price"),
]


class Plain(LineTerminal):
    """The driver in a pseudo-terminal; ``answer()`` is what the prompter returned."""

    def __init__(self, scenario: str, **env: str) -> None:
        super().__init__(sys.executable, str(DRIVER), scenario, **env)

    def answer(self) -> object:
        return self.json_line("ANSWER")

    def interrupted(self) -> object:
        carried = self.json_line("INTERRUPTED")
        assert self.exit_code() == 130
        return carried

    def finish(self) -> str:
        assert self.exit_code() == 0, self.raw
        return self.raw


def test_choices_by_number_name_or_word_and_a_comma_list() -> None:
    term = Plain("choices")
    term.expect("  2. Pay per hour")
    term.expect("Type a number or a name, Enter to skip: ")
    term.line("hourly")  # a word of "Pay per hour"
    assert term.answer() == "PAY_PER_HOUR"
    term.expect("What experience level")
    term.line("9")
    term.expect("Not accepted: 9 is not a number from 1 to 5.")
    term.line("level")  # two titles hold it: refused, both named by number
    term.expect("could be 2 (Entry level), 4 (Any experience level): type its number.")
    term.line("ENTRY LEVEL")
    assert term.answer() == "ENTRY_LEVEL"
    term.expect("In what unit")
    term.line("")  # Enter skips a skippable choice
    assert term.answer() is None
    term.expect("Type numbers or names, separated by commas")
    term.line("2, bounding, 4")
    term.expect("Not accepted: 'Skip for now' cannot go with other picks")
    term.line("?")
    term.expect("  3. Classification")
    term.line("transcription,1")
    assert term.answer() == ["BOUNDING_BOX", "TRANSCRIPTION"]  # in the list's order
    term.expect("Enter for 1 (Send 2 answers): ")
    term.line("")
    assert term.answer() == "send"
    shown = term.finish()
    assert "\x1b" not in shown  # no colour, no cursor movement, no redraw


def test_text_checks_yes_no_and_a_text_of_several_lines() -> None:
    term = Plain("text")
    term.expect("How much will you pay per hour, in US dollars? (Enter to skip): ")
    term.line("abc")
    term.expect("Not accepted: Must be a number, not 'abc'")
    term.line("18.50")
    assert term.answer() == "18.50"
    term.expect("(Enter keeps '12', - to skip): ")
    term.line("")
    assert term.answer() == "12"
    term.expect("Publish it now? (y/N): ")
    term.line("maybe")
    term.expect("Not accepted: Type y for yes or n for no.")
    term.line("")  # the default: no
    assert term.answer() is False
    term.expect("End with a line holding only '.'")
    term.line("")  # not skippable: the check says why
    term.expect("Not accepted: Too short: say more")
    term.line("Label 500 street photos:")
    term.line("  boxes around every car.")
    term.line(".")
    assert term.answer() == "Label 500 street photos:\n  boxes around every car."
    assert "\x1b" not in term.finish()


def test_server_text_is_shown_inert() -> None:
    term = Plain("hostile")
    term.expect("Unit?\\x1b[2J")
    term.expect("  1. Files\\x1b]52;c;aGk=\\x07")
    term.line("1")
    assert term.answer() == "FILES"
    assert "\x1b" not in term.finish()


def test_ctrl_d_stops_like_ctrl_c() -> None:
    term = Plain("choices")
    term.expect("Type a number or a name, Enter to skip: ")
    term.child.sendeof()
    assert term.interrupted() == {}


def test_ctrl_c_keeps_the_lines_of_a_text_already_entered() -> None:
    term = Plain("description")
    term.expect("> ")
    term.line("Transcribe 200 hours")
    term.expect("> ")
    term.child.sendintr()
    assert term.interrupted() == {"typed": "Transcribe 200 hours"}


def test_bang_e_opens_the_editor_with_the_lines_so_far(tmp_path: Path) -> None:
    seen = tmp_path / "seen.txt"
    editor = tmp_path / "fake-editor"
    editor.write_text(
        f'#!/bin/sh\ncat "$1" > {seen}\nprintf "Transcribe 200 hours of podcasts.\\n" > "$1"\n'
    )
    editor.chmod(0o755)
    term = Plain("description", EDITOR=str(editor))
    term.expect("'!e' alone opens your editor.")
    term.line("Transcribe")
    term.line("!e")
    assert term.answer() == "Transcribe 200 hours of podcasts."
    term.finish()
    assert seen.read_text() == "Transcribe\n"


def test_an_editor_that_changes_nothing_is_refused_and_typing_goes_on(tmp_path: Path) -> None:
    term = Plain("description", EDITOR="true")
    term.line("Label cats")
    term.line("!e")
    term.expect("Not accepted: The job description is unchanged: nothing was edited")
    term.expect("Go on typing")
    term.line("in 300 photos.")
    term.line(".")
    assert term.answer() == "Label cats\nin 300 photos."
    term.finish()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2", Picked(("PAY_PER_HOUR",))),
        ("pay_per_hour", Picked(("PAY_PER_HOUR",))),
        ("fixed", Picked(("FIXED_PRICE",))),
        ("per label", Picked(("PAY_PER_LABEL",))),
        ("hourly", Picked(("PAY_PER_HOUR",))),
    ],
)
def test_a_choice_is_named_by_number_token_title_or_words(typed: str, expected: Picked) -> None:
    assert pick_one(typed, PAY) == expected


def test_a_name_two_choices_share_is_refused_with_both_numbers() -> None:
    problem = pick_one("per", PAY).problem
    assert problem == "'per' could be 1 (Pay per label), 2 (Pay per hour): type its number."


def test_a_comma_list_is_picked_in_the_lists_order_once_each() -> None:
    assert pick_several("3, hour, 2,", PAY) == Picked(("PAY_PER_HOUR", "FIXED_PRICE"))
    assert pick_several("1, bonus", PAY).problem is not None
