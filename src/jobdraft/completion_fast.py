"""Answer a TAB before Typer is imported: draft ids and ``--set`` values, from the caches.

A TAB in bash, zsh or fish starts ``jobdraft`` with ``_JOBDRAFT_COMPLETE``
set (``completion_install`` holds the scripts).  Importing Typer, click and
the app costs several times the interpreter's own start-up, and the answers
a person waits for most (ids, keys, values) need none of it: they come from
the cache's small indexes.  So :func:`answer` reads the line with the plain
data of ``completion_table`` (generated from the app) and answers those
cases itself, with the standard library only; for anything else (command and
option names, file names, a line it does not read the way click would) it
returns None and the entry point runs the full app, which answers as always.
A test compares the two paths over a table of lines, in every shell.
"""

from __future__ import annotations

import os

from jobdraft.completion import (
    DEFAULT_WORDBREAKS,
    DRAFT_ONLY_COMMANDS,
    Schema,
    Unsure,
    assignment_candidates,
    bash_word,
    cache_directory,
    draft_candidates,
    one_line,
    resolve_origin,
    sandbox_from_env,
)
from jobdraft.completion_table import COMMANDS, GLOBAL_FLAGS, GLOBAL_VALUED

TYPE_CHECKING = False
if TYPE_CHECKING:  # collections.abc costs a TAB milliseconds
    from collections.abc import Mapping

SHELLS = ("bash", "zsh", "fish")
WORDS, NOSPACE = "words", "nospace"
# Characters that make shell words differ from a split at spaces: quotes,
# escapes, and what Python's str.split() takes for a space but a shell does not.
_NOT_PLAIN = frozenset("'\"\\\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0")


class NotMine(Exception):
    """A line the fast path leaves to the full app."""


def split_words(line: str) -> tuple[list[str], str]:
    """As ``completion_install.split_line``, for lines without quotes or escapes."""
    if any(char in _NOT_PLAIN for char in line) or not line.isprintable():
        raise NotMine("quotes, escapes or unusual spaces")
    words = line.split()
    if len(words) > 1 and not line[-1].isspace():
        return words[1:-1], words[-1]
    return words[1:], ""


class Line:
    """What the words before the cursor say: the command, its flags, what the cursor is on."""

    def __init__(self, words: list[str]) -> None:
        self.path = ""
        self.sandbox: bool | None = None
        self.base_url: str | None = None
        self.positionals = 0
        self.pending: str | None = None  # an option whose value the cursor is on
        self.assignments: list[str] = []
        for word in words:
            self._take(word)

    def _options(self) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        values, flags, assignments, _, _ = COMMANDS[self.path]
        return values, flags, assignments

    def _take(self, word: str) -> None:
        values, flags, _ = self._options()
        if self.pending is not None:
            self._value(self.pending, word)
            self.pending = None
            return
        if word.startswith("-") and word != "-":
            name, equals, value = word.partition("=")
            if name in values:
                if equals:
                    self._value(name, value)
                else:
                    self.pending = name
                return
            if word in flags and not equals:
                if word == "--sandbox" and not self.path:
                    self.sandbox = True
                if word in ("--version", "--install-completion", "--show-completion"):
                    raise NotMine(word)  # eager: click acts on them first
                return
            if self.path and name in GLOBAL_VALUED:  # after the command, as the app reads it
                if equals:
                    self._value(name, value)
                else:
                    self.pending = name
                return
            if self.path and word in GLOBAL_FLAGS:
                if word == "--sandbox":
                    self.sandbox = True
                return
            raise NotMine(word)  # --help, --, a typo: the app knows what it does
        subcommands = COMMANDS[self.path][4]
        if subcommands:
            if word not in subcommands:
                raise NotMine(word)
            self.path = f"{self.path} {word}".strip()
            return
        self.positionals += 1

    def _value(self, option: str, value: str) -> None:
        # The root's --base-url, before the command or after it: no command has its own.
        if option == "--base-url" and (not self.path or option not in self._options()[0]):
            self.base_url = value
        elif option in self._options()[2]:
            self.assignments.append(value)

    def origin(self, env: Mapping[str, str]) -> str | None:
        try:
            sandbox = self.sandbox if self.sandbox is not None else sandbox_from_env(env)
        except Unsure:
            raise NotMine("JOBDRAFT_SANDBOX") from None  # click refuses the whole line
        try:
            return resolve_origin(sandbox, self.base_url, env)
        except Unsure:
            return None


def candidates(
    line: Line, incomplete: str, env: Mapping[str, str], describe: bool = True
) -> tuple[str, list[tuple[str, str]]]:
    """What to do and ``(value, help)`` pairs, as the full app's ``LineComplete.collect``."""
    from jobdraft.cache import Cache

    _, _, assignments, arguments, subcommands = COMMANDS[line.path]
    if incomplete.startswith("-"):
        raise NotMine("option names")  # even after --set: click lists options then
    if line.pending is not None:
        if line.pending not in assignments:
            raise NotMine("the value of " + line.pending)
        origin = line.origin(env)
        index = Cache(cache_directory(env)).schema(origin) if origin is not None else None
        done = [
            item.partition("=")[0].rstrip(":").strip() for item in line.assignments if "=" in item
        ]
        offered = assignment_candidates(incomplete, Schema.from_index(index), done)
        pairs = [(value, "") for value in offered]
        if pairs and all(value.endswith("=") for value, _ in pairs):
            return NOSPACE, pairs
        return WORDS, pairs
    if subcommands:
        raise NotMine("command names")
    if line.positionals >= len(arguments) or arguments[line.positionals] != "ids":
        raise NotMine("an argument without ids")
    origin = line.origin(env)
    if origin is None:
        return WORDS, []
    drafts_only = line.path in DRAFT_ONLY_COMMANDS
    drafts = Cache(cache_directory(env)).drafts()
    found = draft_candidates(incomplete, drafts, None, drafts_only, origin, describe)
    return WORDS, found


def answer(shell: str, env: Mapping[str, str] | None = None) -> str | None:
    """The text the full app would print for this TAB, or None to let it answer."""
    env = os.environ if env is None else env
    if shell not in SHELLS:
        return None
    typed = env.get("_TYPER_COMPLETE_ARGS", "")
    try:
        words, incomplete = split_words(typed)
        # bash shows no descriptions: none is made for it.
        kind, pairs = candidates(Line(words), incomplete, env, describe=shell != "bash")
    except (NotMine, KeyError):
        return None
    lines = [kind]
    if shell == "bash":
        wordbreaks = env.get("_JOBDRAFT_WORDBREAKS") or DEFAULT_WORDBREAKS
        lines.extend(bash_word(value, incomplete, typed, wordbreaks) for value, _ in pairs)
    else:
        lines.extend(
            f"{one_line(value)}\t{one_line(help)}" if help else one_line(value)
            for value, help in pairs
        )
    return "\n".join(lines)
