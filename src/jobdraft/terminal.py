"""Whether we may prompt: decided once, up front, before any question is asked."""

from __future__ import annotations

import contextlib
import os
import sys


def can_prompt() -> bool:
    """Prompt only when stdin and stdout are terminals and JOBDRAFT_NO_PROMPT is unset.

    Piped input is never read as keystrokes: a script gets a clear refusal instead.
    """
    if os.environ.get("JOBDRAFT_NO_PROMPT"):
        return False
    return sys.stdin.isatty() and sys.stdout.isatty()


def discard_typeahead() -> None:
    """Drop keys typed while we were busy, so they cannot answer the next question.

    Keys pressed during a spinner (a PATCH, a create) wait in the terminal's
    input queue; the next prompt would read them as its answer, and a stray
    "y" must never publish a job.  Called after each wait and before a yes/no.
    """
    if not sys.stdin.isatty():
        return
    try:
        import termios
    except ImportError:  # pragma: no cover - not POSIX
        return
    # A terminal that cannot be flushed has nothing to drop.
    with contextlib.suppress(OSError, termios.error, ValueError):
        termios.tcflush(sys.stdin.fileno(), termios.TCIFLUSH)
