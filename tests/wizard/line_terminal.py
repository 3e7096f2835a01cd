"""A program in a pseudo-terminal read as lines: what a screen reader or an editor's shell gets.

For plain mode, where nothing is drawn twice: a test waits for words in the
output, sends whole lines (the terminal echoes and edits them, as for a
person), and can check every byte written (``raw``) for escape sequences.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pexpect

JOBDRAFT = str(Path(sys.executable).with_name("jobdraft"))


class LineTerminal:
    def __init__(self, program: str, *args: str, **env: str) -> None:
        environment = {
            k: v for k, v in os.environ.items() if k not in ("VISUAL", "EDITOR", "COLUMNS")
        }
        environment.update(TERM="dumb")
        environment.update(env)
        self.child = pexpect.spawn(
            program,
            list(args),
            env=environment,
            encoding="utf-8",
            codec_errors="replace",
            timeout=30,
            dimensions=(40, 100),
        )
        self.parts: list[str] = []
        self.child.logfile_read = self

    # pexpect's log file: every byte read from the terminal lands here.
    def write(self, data: str) -> None:
        self.parts.append(data)

    def flush(self) -> None:
        pass

    @property
    def raw(self) -> str:
        return "".join(self.parts)

    def expect(self, text: str) -> None:
        self.child.expect_exact(text)

    def line(self, text: str) -> None:
        self.child.sendline(text)

    def answer_to(self, prompt: str, text: str) -> None:
        self.expect(prompt)
        self.line(text)

    def json_line(self, tag: str) -> object:
        """The JSON after ``tag`` on a line of its own (what a test driver prints)."""
        self.child.expect(tag + r" ([^\r\n]*)\r\n")
        return json.loads(self.child.match.group(1))

    def exit_code(self) -> int:
        self.child.expect(pexpect.EOF)
        self.child.close()
        status = self.child.exitstatus
        return status if status is not None else 128 + int(self.child.signalstatus or 0)

    def close(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)
