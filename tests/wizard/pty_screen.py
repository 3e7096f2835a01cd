"""The real ``jobdraft`` in a pseudo-terminal, its screen rendered by pyte.

A test reads what a person would see (``screen``), types keys (``send``) and
waits for words to appear; every wait has a deadline, so a stuck prompt fails
the test instead of hanging it.  prompt_toolkit is told not to ask the
terminal for the cursor position (pyte does not answer, and the prompt would
wait for the reply).
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import pexpect
import pyte

JOBDRAFT = str(Path(sys.executable).with_name("jobdraft"))

DOWN, UP, ENTER, SPACE, BACKSPACE, CTRL_C = "\x1b[B", "\x1b[A", "\r", " ", "\x7f", "\x03"
ESC_ENTER = "\x1b\r"  # ends a multi-line answer
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]")


def pty_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(TERM="xterm-256color", PROMPT_TOOLKIT_NO_CPR="1")
    env.update(extra)
    return env


class Pty:
    def __init__(self, *args: str, env: dict[str, str], columns: int = 100, rows: int = 40) -> None:
        self.child = pexpect.spawn(
            JOBDRAFT,
            list(args),
            env=env,
            dimensions=(rows, columns),
            encoding="utf-8",
            codec_errors="replace",
        )
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.Stream(self.screen)
        self.raw: list[str] = []
        self.ended = False
        self.mark = 0  # where the output after the last keys sent starts

    def pump(self, timeout: float = 0.1) -> None:
        try:
            data = self.child.read_nonblocking(65536, timeout=timeout)
        except pexpect.TIMEOUT:
            return
        except pexpect.EOF:
            self.ended = True
            return
        self.raw.append(data)
        self.stream.feed(data)

    @property
    def text(self) -> str:
        """The screen as a person sees it now."""
        return "\n".join(line.rstrip() for line in self.screen.display)

    @property
    def transcript(self) -> str:
        """Everything printed so far, escapes removed (text scrolled off the screen too)."""
        return ANSI.sub("", "".join(self.raw))

    def drawn_since_keys(self, words: str) -> bool:
        """Whether ``words`` were drawn after the last keys sent (not left over from before).

        Spaces are ignored: the renderer may move the cursor over a blank
        instead of printing it.
        """
        fresh = ANSI.sub("", "".join(self.raw)[self.mark :])
        return "".join(words.split()) in "".join(fresh.split())

    def wait_for(self, words: str, timeout: float = 20) -> None:
        """Until ``words`` are on screen, drawn in answer to the last keys sent."""
        deadline = time.monotonic() + timeout
        while words not in self.text or not self.drawn_since_keys(words):
            if self.ended or time.monotonic() > deadline:
                raise AssertionError(f"{words!r} never appeared. Screen:\n{self.text}")
            self.pump()

    def _keys(self, keys: str) -> None:
        self.pump(0.01)
        self.mark = len("".join(self.raw))
        self.child.send(keys)

    def send(self, *keys: str) -> None:
        """Each key alone, with a pause, as a person types (so the screen redraws)."""
        for key in keys:
            self._keys(key)
            time.sleep(0.08)

    def type(self, text: str) -> None:
        self._keys(text)
        time.sleep(0.1)

    def wait_exit(self, timeout: float = 20) -> int:
        deadline = time.monotonic() + timeout
        while not self.ended:
            if time.monotonic() > deadline:
                self.child.terminate(force=True)
                raise AssertionError(f"jobdraft did not end. Screen:\n{self.text}")
            self.pump()
        self.child.wait()
        self.child.close()
        status = self.child.exitstatus
        return status if status is not None else 128 + int(self.child.signalstatus or 0)

    def close(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)
