"""Prose folded at words, with each command to paste kept in one piece (``jobdraft.prose``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from jobdraft import hints
from jobdraft.prose import fold, pieces


@pytest.fixture(autouse=True)
def sandbox_hints() -> Iterator[None]:
    hints.set_api_options(sandbox=True)
    yield
    hints.set_api_options(sandbox=False)


def hint_texts() -> list[tuple[str, list[str]]]:
    """Sentences as jobdraft writes them, each with the commands it holds."""
    show = hints.command("show", "jd_0123456789abcdef0123")
    patch = hints.command("patch", "jd_0123456789abcdef0123", "--set", "key=value")
    fill = hints.command("fill", "jd_0123456789abcdef0123", "--answers", "FILE")
    hostile = hints.command("show", "jd_9$(touch /tmp/x) (it)", "--json")
    confirm = hints.command("fill", "jd_1", "--set", "jobTitle=...", "--publish")
    return [
        (
            f"see what is missing ({show}), set it ({patch}), or answer from a file: {fill}",
            [show, patch, fill],
        ),
        (
            "The embedded sandbox serves no web pages: 'jobdraft sandbox serve' "
            "(it uses the same store) shows this one.",
            ["jobdraft sandbox serve"],
        ),
        (
            f"to send them, run again: {hints.command('fill')} (it offers your description again)",
            [hints.command("fill")],
        ),
        (
            f"Not published. When you are ready: {hints.command('publish', 'jd_1')}.",
            [hints.command("publish", "jd_1")],
        ),
        (f"an id a server chose, quoted: {hostile}, then go on", [hostile]),
        (
            f"confirm or correct each with --set ({confirm}), or add --accept-guesses",
            [confirm],
        ),
    ]


@pytest.mark.parametrize(("text", "commands"), hint_texts())
def test_each_command_is_one_piece_and_nothing_is_lost(text: str, commands: list[str]) -> None:
    parts = pieces(text)
    assert " ".join(parts) == text
    for command in commands:
        holding = [part for part in parts if command in part]
        assert len(holding) == 1, (command, parts)
        # The piece is the command and the prose's own punctuation around it, no more.
        assert len(holding[0]) - len(command) <= 3, holding[0]


@pytest.mark.parametrize(("text", "commands"), hint_texts())
@pytest.mark.parametrize("width", [30, 40, 60, 80, 120])
def test_folded_lines_fit_keep_every_word_and_never_cut_a_command(
    text: str, commands: list[str], width: int
) -> None:
    lines = fold(text, width)
    assert " ".join(lines).split() == text.split()  # every word, in order, none cut
    for line in lines:
        alone = line in pieces(text)  # a piece wider than the line stands alone
        assert len(line) <= width or alone, (width, line)
    for command in commands:
        assert sum(command in line for line in lines) == 1, (width, command, lines)


def test_a_command_that_does_not_fit_starts_the_next_line() -> None:
    command = hints.command("publish", "jd_0123456789abcdef0123")
    assert fold(f"Not published. When you are ready: {command}", 50) == [
        "Not published. When you are ready:",
        command,
    ]


def test_prose_without_a_command_folds_like_any_text() -> None:
    assert fold("one two three four five six", 9) == ["one two", "three", "four five", "six"]


def test_lines_of_the_text_stay_lines_and_widths_are_measured_as_told() -> None:
    # A wide character takes two cells: the measure decides, not len().
    assert fold("ab\ncd ef", 10) == ["ab", "cd ef"]
    assert fold("語語 語語", 5, measure=lambda s: 2 * len(s.replace(" ", "")) + s.count(" ")) == [
        "語語",
        "語語",
    ]


def test_the_word_jobdraft_inside_a_path_or_a_quoted_word_is_prose() -> None:
    text = "Remembered in /home/u/.config/jobdraft/defaults.json: the next 'jobdraft' run"
    assert pieces(text) == text.split(" ")
