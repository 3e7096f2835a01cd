"""Garbage collection while a person reads a question, not between their key and the next one.

Each prompt_toolkit prompt makes tens of thousands of objects, many in
reference cycles only the collector frees.  Left to its thresholds, the
collector runs whenever enough have piled up: in the middle of a step, as
3 to 12 ms between the Enter a person pressed and the next question
(bench/wizard.py found one on the Enter that sends, every run).  A person
then reads the new question for far longer than a collection takes, so
that is when it runs: ``IDLE_SECONDS`` after the prompt was last drawn,
once per prompt.  Emacs users know the pattern as gcmh ("collect when
idle").  The collector's own thresholds stay on behind it, for prompts
answered faster than that (keys typed ahead, a script at a pty).
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# Under a person's reaction time, well over a prompt's drawing time.
IDLE_SECONDS = 0.2


@contextmanager
def collect_when_idle(app: Any) -> Iterator[None]:
    """Collect once, when ``app`` (a prompt_toolkit Application) first stands idle.

    Each drawing of the prompt (a key, a resize) postpones the collection:
    it runs only when the screen has stood still for ``IDLE_SECONDS``.
    Nothing runs while the collector is off: start-up (fill.py) turns it
    off until its objects are frozen, which a full collection would walk.
    """
    pending: asyncio.TimerHandle | None = None
    collected = False

    def collect() -> None:
        nonlocal collected
        collected = True
        # Every generation: the previous prompts' objects have moved to the
        # older ones by now, and they are the ones that became garbage.
        gc.collect()

    def drawn(_app: object) -> None:
        nonlocal pending
        if pending is not None:
            pending.cancel()
        if not collected and gc.isenabled():
            pending = asyncio.get_running_loop().call_later(IDLE_SECONDS, collect)

    app.after_render += drawn
    try:
        yield
    finally:
        app.after_render -= drawn
        if pending is not None:
            pending.cancel()
