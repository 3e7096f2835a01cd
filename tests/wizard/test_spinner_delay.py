"""The wizard's spinner shows only for a wait long enough to read it.

A PATCH to a nearby server answers in milliseconds; a spinner drawn and
erased in that time is a flash, and costs the step its start and stop.
"""

from __future__ import annotations

import io
import time

from rich.console import Console
from rich.text import Text

from jobdraft.wizard_view import SPINNER_DELAY, DelayedStatus, RichDisplay


def terminal() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=True, width=80), out


def test_a_quick_wait_draws_nothing() -> None:
    console, out = terminal()
    with RichDisplay(console).waiting("Sending 3 answers..."):
        pass
    assert "Sending" not in out.getvalue()
    assert SPINNER_DELAY <= 0.3  # a wait a person notices still gets its spinner


def still_drawing(out: io.StringIO) -> bool:
    """Whether anything is still written after the wait ended (a spinner left running)."""
    before = len(out.getvalue())
    time.sleep(0.3)  # several of the spinner's frames (12.5 a second)
    return len(out.getvalue()) != before


def test_a_long_wait_shows_the_spinner_and_takes_it_away() -> None:
    console, out = terminal()
    with DelayedStatus(console, Text("Sending 3 answers..."), delay=0.0):
        deadline = time.monotonic() + 10
        while "Sending 3 answers" not in out.getvalue() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert "Sending 3 answers" in out.getvalue()
    assert not still_drawing(out)


def test_a_wait_that_ends_as_the_timer_fires_never_leaves_a_spinner() -> None:
    # The timer may fire while the wait ends: either the spinner shows and is
    # stopped, or it never shows; one left running would draw over the next prompt.
    outs = []
    for _ in range(30):
        console, out = terminal()
        with DelayedStatus(console, Text("..."), delay=0.0):
            pass
        outs.append(out)
    time.sleep(0.05)  # a timer that fired late has run by now
    written = [len(out.getvalue()) for out in outs]
    time.sleep(0.3)  # several of the spinner's frames
    assert [len(out.getvalue()) for out in outs] == written
