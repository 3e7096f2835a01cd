"""Whether we may prompt: decided once, up front, before any question is asked."""

from __future__ import annotations

import os
import sys


def can_prompt() -> bool:
    """Prompt only when stdin and stdout are terminals and JOBDRAFT_NO_PROMPT is unset.

    Piped input is never read as keystrokes: a script gets a clear refusal instead.
    """
    if os.environ.get("JOBDRAFT_NO_PROMPT"):
        return False
    return sys.stdin.isatty() and sys.stdout.isatty()
