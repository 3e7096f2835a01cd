"""Long text written in the user's own editor, as git and gh do for a commit or a PR body.

The editor is ``$VISUAL``, then ``$EDITOR``, then the system's ``editor``
(Debian's alternative), ``nano`` or ``vi``, whichever is on PATH first.  As
git does, ``$VISUAL`` is passed over on a dumb terminal (it names a
full-screen editor), and a dumb terminal with no ``$EDITOR`` is refused
rather than handed to nano.  The setting may hold arguments
(``EDITOR="code --wait"``): it is split as a shell would split it.  The text
goes through a private temporary file (``.md``, mode 0600, removed after).

Whatever comes back empty or unchanged is refused with the reason
(``EditRefused``, a ``UsageError``), so that a prompt can ask again and a
command can exit 2.  Standard library only: no questionary, no terminal
drawing of ours while the editor runs.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from jobdraft.errors import UsageError

# Tried in order when neither $VISUAL nor $EDITOR is set; ``editor`` is the
# Debian/Ubuntu alternative that points at the system's chosen editor.
FALLBACK_EDITORS = ("editor", "nano", "vi")
# Far above the API's 60,000 characters, low enough never to read a runaway file.
MAX_TEXT_BYTES = 1_000_000
SET_EDITOR_HINT = "set EDITOR to one that is installed, e.g. 'export EDITOR=nano'"


class EditorMissing(UsageError):
    """No editor can be run: none configured and none found, or the one named is not there."""


class EditRefused(UsageError):
    """The editor ran but gave nothing usable: empty, unchanged, or it reported a failure."""


@dataclass(frozen=True)
class EditorCommand:
    argv: list[str]
    source: str  # "$VISUAL", "$EDITOR" or "the default editor", for messages

    @property
    def name(self) -> str:
        return self.argv[0]


def is_dumb(env: Mapping[str, str]) -> bool:
    return env.get("TERM", "") == "dumb"


def editor_command(env: Mapping[str, str] | None = None) -> EditorCommand:
    """The editor to run, resolved like git: $VISUAL, $EDITOR, then a default."""
    env = os.environ if env is None else env
    names = ("EDITOR",) if is_dumb(env) else ("VISUAL", "EDITOR")
    for name in names:
        value = env.get(name, "").strip()
        if not value:
            continue
        try:
            argv = shlex.split(value)
        except ValueError as exc:
            raise EditorMissing(
                f"${name} cannot be read as a command ({exc}): {value!r}",
                hint="quote it as you would in a shell, e.g. EDITOR='code --wait'",
            ) from None
        if argv:
            return EditorCommand(argv, f"${name}")
    if is_dumb(env):
        raise EditorMissing(
            "the terminal is dumb (TERM=dumb) and $EDITOR is not set",
            hint="set EDITOR to an editor that works on this terminal, or type the text instead",
        )
    for fallback in FALLBACK_EDITORS:
        if shutil.which(fallback, path=env.get("PATH")):
            return EditorCommand([fallback], "the default editor")
    raise EditorMissing(
        "no editor found: $VISUAL and $EDITOR are not set, and none of "
        + ", ".join(FALLBACK_EDITORS)
        + " is installed",
        hint=SET_EDITOR_HINT,
    )


def edit_text(
    initial: str = "", *, what: str = "the text", env: Mapping[str, str] | None = None
) -> str:
    """``initial`` opened in the editor; the text saved there, trailing blanks trimmed.

    Raises ``EditorMissing`` when no editor can be run and ``EditRefused``
    when the result is empty, unchanged, or the editor exited with a failure
    (vim's ``:cq`` is the usual way to say "never mind").
    """
    env = os.environ if env is None else env
    command = editor_command(env)
    if shutil.which(command.name, path=env.get("PATH")) is None:
        raise EditorMissing(
            f"the editor {command.name!r} (from {command.source}) is not installed or not on PATH",
            hint=SET_EDITOR_HINT,
        )
    # mkstemp makes the file 0600: the text may be private until it is sent.
    fd, name = tempfile.mkstemp(prefix="jobdraft-", suffix=".md")
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(initial)
            if initial and not initial.endswith("\n"):
                handle.write("\n")
        status = run_editor(command, path, env)
        if status != 0:
            raise EditRefused(
                f"the editor {command.name!r} exited with status {status}: {what} was not changed"
            )
        text = read_back(path, what)
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
    if not text.strip():
        raise EditRefused(f"{what} is empty: nothing was written in the editor")
    if initial.strip() and text.strip() == initial.strip():
        raise EditRefused(f"{what} is unchanged: nothing was edited")
    return text


def run_editor(command: EditorCommand, path: Path, env: Mapping[str, str]) -> int:
    """Run the editor on ``path`` at the terminal; its exit status.

    As git does, Ctrl-C is left to the editor while it runs (it shares our
    terminal, so it reaches us too), and its screen goes to stderr when
    stdout is redirected (``create --editor --json > out``) so that stdout
    keeps only what the command prints.
    """
    stdout = sys.stderr if not _isatty(sys.stdout) and _isatty(sys.stderr) else None
    ignoring = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if ignoring else None
    try:
        completed = subprocess.run(
            [*command.argv, str(path)], env=dict(env), stdout=stdout, check=False
        )
    except OSError as exc:
        raise EditorMissing(
            f"the editor {command.name!r} (from {command.source}) could not be run: "
            f"{exc.strerror or exc}",
            hint=SET_EDITOR_HINT,
        ) from None
    finally:
        if ignoring:
            signal.signal(signal.SIGINT, previous)
    return completed.returncode


def _isatty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if callable(isatty) else False
    except ValueError:  # a closed stream
        return False


def read_back(path: Path, what: str) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise EditRefused(f"{what} is too long ({size:,} bytes) to use")
        data = path.read_bytes()
    except FileNotFoundError:
        # Some editors save by renaming a new file over ours, and some delete it.
        raise EditRefused(f"{what} is empty: the editor removed the file") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise EditRefused(f"{what} is not UTF-8 text: save it as UTF-8 in the editor") from None
    return text.replace("\r\n", "\n").replace("\r", "\n").rstrip()
