"""Prose folded at words for a terminal, never inside a command to paste.

rich folds a line at spaces by inserting newlines, and a command cut that way
pastes as two commands, the first without its id.  A line left whole for the
terminal to wrap copies back as one line, but the terminal cuts its prose
mid-word at the edge.  So prose that holds a command is folded here: its
words fill each line, and each command, from ``jobdraft`` to the end of its
shell words, is one piece that is never cut.  A command that does not fit
the rest of a line starts the next one; only a command wider than the whole
terminal is left for the terminal to wrap, alone on its line.

Where a command ends, in prose such as "see it (jobdraft show ID), then ...",
"run 'jobdraft sandbox serve' (it uses ...)" or "... again: jobdraft fill":
a command quoted in the prose ends at its closing quote; otherwise at a word
that ends, outside the shell's quotes, with ``)``, ``,``, ``;`` or ``.`` (a
``key=...`` placeholder is not a full stop), before a word that opens a
parenthesis, or at the end of the text.  Quotes that ``shlex`` puts around
an argument (``'a b'``) keep their spaces inside the piece.

Pure and standard-library only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

COMMAND = "jobdraft"
ENDS_A_COMMAND = "),;."


def _opens_command(word: str) -> str | None:
    """The prose quote before ``jobdraft`` (``'`` or ``"``), ``""`` for none; None if no command."""
    if word in (COMMAND, f"({COMMAND}"):
        return ""
    if len(word) == len(COMMAND) + 1 and word[1:] == COMMAND and word[0] in "'\"":
        return word[0]
    return None


def _quoting_after(word: str, state: str) -> str:
    """The shell quoting state ("", "'" or '"') after ``word``, from ``state`` before it."""
    for char in word:
        if state == "":
            if char in "'\"":
                state = char
        elif char == state:
            state = ""
    return state


def _ends_a_sentence_part(word: str) -> bool:
    """A word the prose ends with ``)``, ``,``, ``;`` or ``.`` (not a ``...`` placeholder)."""
    return word.endswith(tuple(ENDS_A_COMMAND)) and not word.endswith("..")


def _command_end(words: list[str], start: int, prose_quote: str) -> int:
    """The index of the last word of the command that starts at ``words[start]``."""
    if prose_quote:
        # 'jobdraft sandbox serve' (it uses ...): up to the word that closes the quote.
        for index in range(start + 1, len(words)):
            if words[index].rstrip(ENDS_A_COMMAND).endswith(prose_quote):
                return index
        return len(words) - 1
    state = ""
    for index in range(start, len(words)):
        word = words[index]
        if index > start and state == "" and word.startswith("("):
            return index - 1
        state = _quoting_after(word, state)
        if state == "" and _ends_a_sentence_part(word):
            return index
    return len(words) - 1


def pieces(line: str) -> list[str]:
    """The words of one line (split at single spaces), each command joined into one piece.

    ``" ".join(pieces(line)) == line`` always holds: nothing is lost or added.
    """
    words = line.split(" ")
    out: list[str] = []
    index = 0
    while index < len(words):
        quote = _opens_command(words[index])
        if quote is None:
            out.append(words[index])
            index += 1
            continue
        end = _command_end(words, index, quote)
        out.append(" ".join(words[index : end + 1]))
        index = end + 1
    return out


def fold(text: str, width: int, measure: Callable[[str], int] = len) -> list[str]:
    """``text`` as lines of at most ``width`` cells where its pieces allow.

    Lines of the text stay lines; within each, pieces fill a line while they
    fit, and the space where a line breaks is dropped (as rich drops it).
    ``measure`` gives a string's width in cells (rich's ``cell_len`` for
    wide characters).
    """
    lines: list[str] = []
    for line in text.split("\n"):
        lines.extend(_fold_line(pieces(line), max(width, 1), measure))
    return lines


def _fold_line(parts: Iterable[str], width: int, measure: Callable[[str], int]) -> list[str]:
    lines: list[str] = []
    current: str | None = None
    for part in parts:
        if current is None:
            current = part
        elif measure(current) + 1 + measure(part) <= width:
            current = f"{current} {part}"
        elif part:
            lines.append(current)
            current = part
        else:  # a second space where the line breaks: dropped with the first
            continue
    lines.append(current or "")
    return lines
