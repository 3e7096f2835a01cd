"""The plain Prompter: one question per line, for screen readers, ``TERM=dumb`` and editor shells.

Arrow-key pickers redraw the screen, which a screen reader reads as noise and
a dumb terminal (Emacs' shell buffer, a serial console) cannot show.  This
prompter writes lines and reads lines, nothing else: no cursor movement, no
escape sequence, no spinner.  A choice is numbered and answered by its
number or its name (or a word of it); several choices by a comma list;
yes/no as ``(y/N)``.  The terminal's own line editing (backspace, Ctrl-U)
is all there is, so the text of a line cut short by Ctrl-C is not known:
the interruption is a bare KeyboardInterrupt, except in a text of several
lines, where the lines already entered are handed over.

The checks are the question's own (``Question.check``, ``check_selection``):
a refused answer is followed by its reason on one line and the question
again.  End of input (Ctrl-D, a closed pipe) stops like Ctrl-C.  Prompts go
to stderr, so stdout keeps only what the command prints.  Every string that
may come from a server passes through ``inert``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TextIO

from jobdraft.errors import UsageError
from jobdraft.inert import inert
from jobdraft.ports import InterruptedWhileTyping
from jobdraft.questions import Choice, Question, RawAnswer, Widget
from jobdraft.terminal import discard_typeahead

SKIP_TITLE = "Skip for now"
END_OF_TEXT = "."  # a line holding only this ends a text of several lines
EDITOR_COMMAND = "!e"  # a line holding only this opens the editor
SKIP_WITH_DEFAULT = "-"  # Enter keeps a shown value, so skipping one needs a word of its own
YES = frozenset({"y", "yes"})
NO = frozenset({"n", "no"})
SKIP_WORDS = frozenset({"s", "skip"})
LIST_AGAIN = "?"  # shows a question's choices again (they may have scrolled away)

# Opens a text (and what it is, for messages) in the user's editor and returns
# what was saved there, or raises UsageError with the reason.
EditText = Callable[[str, str], str]


@dataclass(frozen=True)
class Picked:
    """The value(s) an answer names, or why it names none."""

    values: tuple[str, ...] = ()
    problem: str | None = None


def words_of(text: str) -> list[str]:
    """Lower-case words, with the token spelling (``PAY_PER_HOUR``) split like a title."""
    return [w for w in re.split(r"[^0-9a-z]+", text.lower()) if w]


def word_matches(typed: str, word: str) -> bool:
    """``hour`` names ``hour`` and ``hourly``; a short word only starts a longer one."""
    return word.startswith(typed) or (len(word) >= 4 and typed.startswith(word))


def pick_one(text: str, choices: Sequence[Choice]) -> Picked:
    """The choice ``text`` names: its number, its value or title, or words of its title."""
    typed = text.strip()
    if typed.isdigit():
        number = int(typed)
        if 1 <= number <= len(choices):
            return Picked((choices[number - 1].value,))
        return Picked(problem=f"{typed} is not a number from 1 to {len(choices)}.")
    folded = typed.casefold()
    exact = [c for c in choices if folded in (c.value.casefold(), c.title.casefold())]
    if exact:
        return Picked((exact[0].value,))
    typed_words = words_of(typed)
    found = [
        c
        for c in choices
        if typed_words
        and all(
            any(word_matches(t, w) for w in words_of(c.title) + words_of(c.value))
            for t in typed_words
        )
    ]
    if len(found) == 1:
        return Picked((found[0].value,))
    if found:
        numbered = ", ".join(f"{choices.index(c) + 1} ({c.title})" for c in found)
        return Picked(problem=f"{typed!r} could be {numbered}: type its number.")
    return Picked(
        problem=f"{typed!r} is not one of the choices: type a number from 1 to "
        f"{len(choices)} ({LIST_AGAIN} lists them again)."
    )


def pick_several(text: str, choices: Sequence[Choice]) -> Picked:
    """The choices a comma list names, in the list's order, each once."""
    chosen: set[str] = set()
    for part in text.split(","):
        if not part.strip():
            continue
        one = pick_one(part, choices)
        if one.problem is not None:
            return one
        chosen.update(one.values)
    return Picked(tuple(c.value for c in choices if c.value in chosen))


def first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


class PlainPrompter:
    """Asks each question as plain lines: the same questions and checks, another terminal."""

    def __init__(
        self,
        *,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        edit: EditText | None = None,
    ) -> None:
        self.stdin = stdin if stdin is not None else sys.stdin
        self.out = stdout if stdout is not None else sys.stderr
        self.edit = edit

    # -- the Prompter protocol -------------------------------------------------------

    def ask(self, question: Question) -> RawAnswer:
        if question.widget is Widget.SELECT:
            return self._select(question)
        if question.widget is Widget.CHECKBOX:
            return self._checkbox(question)
        if question.widget is Widget.CONFIRM:
            return self._yes_no(question.message, question.default, question.skippable)
        if question.widget is Widget.MULTILINE:
            return self._multiline(question)
        return self._text(question)

    def menu(self, message: str, choices: Sequence[Choice], default: str | None = None) -> str:
        values = [c.value for c in choices]
        start = values.index(default) + 1 if default in values else None
        self._list(message, choices)
        while True:
            line = self._read(self._choice_prompt(choices, start, skippable=False))
            if line.strip() == LIST_AGAIN:
                self._list(message, choices)
                continue
            if not line.strip():
                if start is not None:
                    return values[start - 1]
                self._refuse(f"Type a number from 1 to {len(choices)}.")
                continue
            picked = pick_one(line, choices)
            if picked.problem is None:
                return picked.values[0]
            self._refuse(picked.problem)

    def confirm(self, message: str, *, default: bool) -> bool:
        # A yes/no (publish!) is answered by a key pressed now, not one typed before.
        discard_typeahead()
        answer = self._yes_no(message, default, skippable=False)
        return bool(answer)

    # -- widgets ---------------------------------------------------------------------

    def _select(self, question: Question) -> RawAnswer:
        choices = list(question.choices)
        if question.skippable:
            choices.append(Choice("", SKIP_TITLE))
        values = [c.value for c in choices]
        default = question.default if isinstance(question.default, str) else None
        start = values.index(default) + 1 if default and default in values else None
        self._list(question.message, choices)
        while True:
            line = self._read(self._choice_prompt(choices, start, question.skippable))
            if line.strip() == LIST_AGAIN:
                self._list(question.message, choices)
                continue
            if not line.strip():
                if start is not None:
                    return values[start - 1]
                if question.skippable:
                    return None
                self._refuse(f"Type a number from 1 to {len(choices)}.")
                continue
            picked = pick_one(line, choices)
            if picked.problem is not None:
                self._refuse(picked.problem)
                continue
            return picked.values[0] or None  # "" is the Skip entry

    def _checkbox(self, question: Question) -> RawAnswer:
        choices = list(question.choices)
        if question.skippable:
            choices.append(Choice("", SKIP_TITLE))
        ticked = [str(v) for v in question.default] if isinstance(question.default, list) else []
        self._list(question.message, choices, ticked=ticked)
        if ticked:
            empty = "Enter keeps the ones marked picked"
        elif question.skippable:
            empty = "Enter to skip"
        else:
            empty = ""
        how = f"Type numbers or names, separated by commas{', ' + empty if empty else ''}: "
        while True:
            line = self._read(how)
            if line.strip() == LIST_AGAIN:
                self._list(question.message, choices, ticked=ticked)
                continue
            if not line.strip():
                if ticked:
                    return list(ticked)
                if question.skippable:
                    return None
                picked = Picked()
            else:
                picked = pick_several(line, choices)
            if picked.problem is not None:
                self._refuse(picked.problem)
                continue
            if "" in picked.values:
                if len(picked.values) == 1:
                    return None
                self._refuse(f"{SKIP_TITLE!r} cannot go with other picks: give one or the other.")
                continue
            problem = question.check_selection(list(picked.values))
            if problem is not None:
                # check_selection words it for the checklist, whose Space key is not here.
                self._refuse(problem.replace(" (Space picks)", ""))
                continue
            return list(picked.values)

    def _text(self, question: Question) -> RawAnswer:
        default = question.default if isinstance(question.default, str) else ""
        if default:
            skip = f", {SKIP_WITH_DEFAULT} to skip" if question.skippable else ""
            how = f"(Enter keeps '{inert(default)}'{skip})"
        else:
            how = "(Enter to skip)" if question.skippable else ""
        prompt = f"{inert(question.message)} {how}".rstrip() + ": "
        while True:
            line = self._read(prompt)
            if default and not line.strip():
                line = default
            elif default and question.skippable and line.strip() == SKIP_WITH_DEFAULT:
                return None
            problem = question.check(line)
            if problem is None:
                return line
            self._refuse(problem)

    def _multiline(self, question: Question) -> RawAnswer:
        default = question.default if isinstance(question.default, str) else ""
        self._say(inert(question.message))
        if default:
            self._say("The text so far:")
            for line in inert(default, multiline=True).splitlines() or [""]:
                self._say(f"  | {line}")
        self._say(self._multiline_help(question, bool(default)))
        while True:
            text = self._read_lines(default, question.skippable, f"the {question.label.lower()}")
            if text is None:
                return None
            problem = question.check(text)
            if problem is None:
                return text
            self._refuse(problem)

    def _multiline_help(self, question: Question, has_default: bool) -> str:
        parts = [f"End with a line holding only {END_OF_TEXT!r}."]
        if has_default:
            parts.append("An empty first line keeps the text so far.")
            if question.skippable:
                parts.append(f"{SKIP_WITH_DEFAULT!r} alone skips.")
        elif question.skippable:
            parts.append("An empty first line skips.")
        if self.edit is not None:
            parts.append(f"{EDITOR_COMMAND!r} alone opens your editor.")
        return " ".join(parts)

    def _read_lines(self, default: str, skippable: bool, what: str) -> str | None:
        """The lines typed up to the end mark; None when skipped.

        An empty first line ends at once: it keeps the default, skips, or
        (neither being possible) hands "" to the question's check to refuse.
        The editor command opens what is typed so far, or the default.
        """
        lines: list[str] = []
        while True:
            try:
                line = self._read("> ")
            except KeyboardInterrupt:
                if lines:
                    raise InterruptedWhileTyping("\n".join(lines)) from None
                raise
            if not lines and not line.strip():
                if default:
                    return default
                return None if skippable else ""
            if not lines and default and skippable and line.strip() == SKIP_WITH_DEFAULT:
                return None
            if line.strip() == END_OF_TEXT:
                return "\n".join(lines)
            if line.strip() == EDITOR_COMMAND and self.edit is not None:
                edited = self._edit("\n".join(lines) or default, what)
                if edited is not None:
                    return edited
                self._say(f"Go on typing, or end with a line holding only {END_OF_TEXT!r}.")
                continue
            lines.append(line)

    def _edit(self, text: str, what: str) -> str | None:
        assert self.edit is not None
        try:
            return self.edit(text, what)
        except UsageError as exc:
            self._refuse(first_upper(exc.message) + (f" ({exc.hint})" if exc.hint else ""))
            return None

    def _yes_no(self, message: str, default: RawAnswer, skippable: bool) -> RawAnswer:
        yes = default is True
        how = "(Y/n" if yes else "(y/N"
        how += ", s to skip)" if skippable else ")"
        prompt = f"{inert(message)} {how}: "
        while True:
            word = self._read(prompt).strip().lower()
            if not word:
                return yes
            if word in YES:
                return True
            if word in NO:
                return False
            if skippable and word in SKIP_WORDS:
                return None
            self._refuse("Type y for yes or n for no" + (", s to skip." if skippable else "."))

    # -- lines -----------------------------------------------------------------------

    def _list(self, message: str, choices: Sequence[Choice], ticked: Sequence[str] = ()) -> None:
        self._say(inert(message))
        for number, choice in enumerate(choices, start=1):
            mark = " (picked)" if choice.value in ticked and choice.value else ""
            self._say(f"  {number}. {inert(choice.title)}{mark}")

    @staticmethod
    def _choice_prompt(choices: Sequence[Choice], start: int | None, skippable: bool) -> str:
        how = "Type a number or a name"
        if start is not None:
            how += f", Enter for {start} ({inert(choices[start - 1].title)})"
        elif skippable:
            how += ", Enter to skip"
        return how + ": "

    def _say(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def _refuse(self, reason: str) -> None:
        self._say(f"Not accepted: {inert(reason)}")

    def _read(self, prompt: str) -> str:
        """One line, without its line break; end of input stops like Ctrl-C.

        Bytes are decoded here, strictly: a line that is not UTF-8 is refused
        and asked again, where the text layer would end in a traceback.
        """
        while True:
            self.out.write(prompt)
            self.out.flush()
            raw = getattr(self.stdin, "buffer", None)
            data: str | bytes = raw.readline() if raw is not None else self.stdin.readline()
            if not data:
                self.out.write("\n")
                self.out.flush()
                raise KeyboardInterrupt
            if isinstance(data, bytes):
                try:
                    data = data.decode("utf-8")
                except UnicodeDecodeError:
                    self._refuse("That line is not UTF-8 text: type it again.")
                    continue
            return data.rstrip("\r\n")
