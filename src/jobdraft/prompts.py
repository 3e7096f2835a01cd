"""The real Prompter: questionary at a terminal.  The only module importing questionary.

Rules learnt the hard way: ``unsafe_ask`` (through ``asked``) so that Ctrl-C
raises instead of returning None; checks in ``validate=`` only, never in a
``filter`` (an exception there ends the whole prompt session); ``select`` has
no ``validate``, so a skip is an ordinary choice; type-to-filter needs the
j/k keys off.  The caller decides whether prompting is allowed at all
(``terminal.can_prompt``) before this class is ever built.
"""

from __future__ import annotations

import functools
import shutil
import sys
import textwrap
from collections.abc import Callable, Sequence
from typing import Any, ParamSpec, TypeVar

import questionary
from prompt_toolkit.application import run_in_terminal
from prompt_toolkit.document import Document
from prompt_toolkit.enums import DEFAULT_BUFFER
from prompt_toolkit.filters import Always
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from prompt_toolkit.layout.controls import BufferControl

from jobdraft.editor import edit_text
from jobdraft.errors import UsageError
from jobdraft.idle_gc import collect_when_idle
from jobdraft.inert import inert
from jobdraft.ports import InterruptedWhilePicking, InterruptedWhileTyping
from jobdraft.questions import Choice, Question, RawAnswer, Widget
from jobdraft.terminal import discard_typeahead

P = ParamSpec("P")
R = TypeVar("R")

# A value no server enum can hold, for the "Skip for now" entry of a list.
SKIP = "\x00skip"
SKIP_TITLE = "Skip for now"
EDITOR_KEY = "Ctrl-E"  # named in the instruction of every text of several lines


def _questionary_choices(question: Question, checked: Sequence[str] = ()) -> list[Any]:
    choices: list[Any] = [
        questionary.Choice(title=inert(c.title), value=c.value, checked=c.value in checked)
        for c in question.choices
    ]
    if question.skippable:
        choices.append(questionary.Separator(" "))
        choices.append(questionary.Choice(title=SKIP_TITLE, value=SKIP))
    return choices


def fit(message: str, instruction: str, width: int | None = None) -> str:
    """The message wrapped at word boundaries under its ``? `` mark.

    prompt_toolkit cuts a multi-line prompt at the edge and breaks other
    prompts in mid-word; at 60 columns most questions need two lines.  The
    instruction moves to a line of its own when it would not fit after the text.
    """
    columns = width or shutil.get_terminal_size().columns
    # The words are the server's (a label, a question): made inert here, the
    # one door every prompt's message goes through.
    message = inert(message)
    lines = textwrap.wrap(message, max(20, columns - 3)) or [message]
    text = "\n  ".join(lines)
    first_instruction_line = instruction.split("\n", maxsplit=1)[0]
    if instruction and len(lines[-1]) + len(first_instruction_line) + 5 > columns:
        text += "\n "
    return text


def input_windows(prompt: Any) -> list[Any]:
    """The windows showing the text typed as the answer (the prompt's default buffer)."""
    return [
        window
        for window in prompt.application.layout.find_all_windows()
        if isinstance(window.content, BufferControl)
        and window.content.buffer.name == DEFAULT_BUFFER
    ]


def keep_input_window_small(prompt: Any) -> None:
    """Show a validation error right under the input, not at the bottom of the screen.

    prompt_toolkit lets the input window grow to every free row below it, and
    its validation toolbar sits under that; a window only as tall as its text
    keeps the reason beside the answer it is about.
    """
    for window in input_windows(prompt):
        window.dont_extend_height = Always()


def on_ctrl_c(prompt: Any, interruption: Callable[[], KeyboardInterrupt]) -> None:
    """Ctrl-C at ``prompt`` ends it with ``interruption()``: a KeyboardInterrupt
    that carries what the user had entered, for the journal.

    Eager and added last, so it wins over the prompt's own Ctrl-C binding (the
    checklist's is eager), which raises a bare KeyboardInterrupt and forgets.
    """
    extra = KeyBindings()

    @extra.add("c-c", eager=True)
    @extra.add("<sigint>", eager=True)
    def _interrupt(event: Any) -> None:
        event.app.exit(exception=interruption(), style="class:aborting")

    app = prompt.application
    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), extra])


def interrupt_with_typed_text(prompt: Any) -> None:
    """Ctrl-C at a text prompt hands over what is typed so far."""
    windows = input_windows(prompt)
    if windows:
        buffer = windows[0].content.buffer
        on_ctrl_c(prompt, lambda: InterruptedWhileTyping(buffer.text))


def interrupt_with_picks(prompt: Any) -> None:
    """Ctrl-C at a checklist hands over the items ticked so far."""
    controls = [
        window.content
        for window in prompt.application.layout.find_all_windows()
        if hasattr(window.content, "get_selected_values")
    ]
    if not controls:
        return
    control = controls[0]

    def picked() -> KeyboardInterrupt:
        # Choice objects, in the list's order (not the order ticked).
        values = [choice.value for choice in control.get_selected_values()]
        return InterruptedWhilePicking([str(value) for value in values if value != SKIP])

    on_ctrl_c(prompt, picked)


def offer_editor(prompt: Any, what: str) -> None:
    """Ctrl-E (or readline's Ctrl-X Ctrl-E) writes the answer in the user's editor.

    The text typed so far opens in the editor; what is saved there replaces
    it and is entered at once, through the prompt's own check, as Enter
    would.  An editor that cannot run, or a buffer left empty or unchanged,
    is reported above the prompt, which stays as it was.
    """
    windows = input_windows(prompt)
    if not windows:
        return
    buffer = windows[0].content.buffer
    extra = KeyBindings()

    def edit() -> str | None:
        try:
            return edit_text(buffer.text, what=what)
        except UsageError as exc:
            hint = f" ({exc.hint})" if exc.hint else ""
            sys.stderr.write(f"Not used: {exc.message}{hint}\n")
            sys.stderr.flush()
            return None

    @extra.add("c-e")
    @extra.add("c-x", "c-e")
    async def _edit(event: Any) -> None:
        # Not in an executor: the editor ignores Ctrl-C in the main thread only.
        text = await run_in_terminal(edit)
        if text is not None:
            buffer.document = Document(text, cursor_position=len(text))
            buffer.validate_and_handle()

    app = prompt.application
    # Added last, so Ctrl-E wins over "end of line" in this box (End still does that).
    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), extra])


def asked(prompt: Any) -> Any:
    """The answer to a questionary prompt, garbage collected while the person reads it."""
    with collect_when_idle(prompt.application):
        return prompt.unsafe_ask()


def eof_is_interrupt(method: Callable[P, R]) -> Callable[P, R]:
    """Ctrl-D at a prompt means "stop", like Ctrl-C: the wizard saves and says how to resume.

    prompt_toolkit raises EOFError for it, which would otherwise end the
    program as click's bare "Aborted!".
    """

    @functools.wraps(method)
    def asking(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except EOFError:
            raise KeyboardInterrupt from None

    return asking


class QuestionaryPrompter:
    """Asks each question with the widget its type calls for."""

    @eof_is_interrupt
    def ask(self, question: Question) -> RawAnswer:
        if question.widget is Widget.SELECT:
            return self._select(question)
        if question.widget is Widget.CHECKBOX:
            return self._checkbox(question)
        if question.widget is Widget.CONFIRM:
            return self._confirm(question)
        return self._text(question)

    @eof_is_interrupt
    def menu(self, message: str, choices: Sequence[Choice], default: str | None = None) -> str:
        values = [c.value for c in choices]
        instruction = "(arrows, Enter)"
        prompt = questionary.select(
            fit(message, instruction),
            choices=[questionary.Choice(title=inert(c.title), value=c.value) for c in choices],
            default=default if default in values else None,
            use_jk_keys=False,
            use_shortcuts=False,
            instruction=instruction,
        )
        return str(asked(prompt))

    @eof_is_interrupt
    def confirm(self, message: str, *, default: bool) -> bool:
        discard_typeahead()  # a yes/no (publish!) is answered by a key pressed now, not before
        return bool(asked(questionary.confirm(fit(message, "(y/N)"), default=default)))

    # -- widgets ---------------------------------------------------------------------

    def _select(self, question: Question) -> RawAnswer:
        values = [c.value for c in question.choices]
        default = question.default if question.default in values else None
        search = question.searchable
        instruction = "(arrows, type to filter, Enter)" if search else "(arrows, Enter)"
        prompt = questionary.select(
            fit(question.message, instruction),
            choices=_questionary_choices(question),
            default=default,
            use_jk_keys=False,
            use_shortcuts=False,
            use_search_filter=search,
            instruction=instruction,
        )
        answer = asked(prompt)
        return None if answer in (SKIP, None) else str(answer)

    def _checkbox(self, question: Question) -> RawAnswer:
        checked = question.default if isinstance(question.default, list) else []

        def validate(selected: list[str]) -> bool | str:
            if SKIP in selected:
                if len(selected) == 1:
                    return True
                return f"'{SKIP_TITLE}' cannot go with other picks: untick one or the other"
            problem = question.check_selection(selected)
            if problem and question.skippable:
                problem = f"{problem[:-1]}, or pick '{SKIP_TITLE}'."
            return inert(problem) if problem else True

        instruction = "(Space picks, Enter when done" + (
            ", type to filter)" if question.searchable else ")"
        )
        prompt = questionary.checkbox(
            fit(question.message, instruction),
            choices=_questionary_choices(question, checked),
            validate=validate,
            use_jk_keys=False,
            use_search_filter=question.searchable,
            instruction=instruction,
        )
        interrupt_with_picks(prompt)
        answer = asked(prompt)
        if not answer or SKIP in answer:
            return None
        return [str(item) for item in answer]

    def _text(self, question: Question) -> RawAnswer:
        multiline = question.widget is Widget.MULTILINE
        # A pre-filled answer is often the server's current value: shown (and
        # sent back if accepted) inert, never with a raw escape or the token.
        default = (
            inert(question.default, multiline=multiline)
            if isinstance(question.default, str)
            else ""
        )
        skip = ", empty to skip" if question.skippable else ""
        if multiline:
            # On a line of its own: after a long question it would be cut at the edge.
            instruction = f"\n  (Esc then Enter to finish, {EDITOR_KEY} for your editor{skip})\n>"
        else:
            instruction = "(empty to skip)" if question.skippable else ""

        def validate(text: str) -> bool | str:
            problem = question.check(text)
            return inert(problem) if problem else True

        prompt = questionary.text(
            fit(question.message, instruction),
            default=default,
            validate=validate,
            multiline=multiline,
            instruction=instruction,
        )
        keep_input_window_small(prompt)
        interrupt_with_typed_text(prompt)
        if multiline:
            offer_editor(prompt, what=f"the {question.label.lower()}")
        answer = asked(prompt)
        return str(answer) if answer is not None else None

    def _confirm(self, question: Question) -> RawAnswer:
        default = question.default if isinstance(question.default, bool) else False
        skipped = {"value": False}
        instruction = ("(Y/n" if default else "(y/N") + (
            ", s to skip) " if question.skippable else ") "
        )
        prompt = questionary.confirm(
            fit(question.message, instruction), default=default, instruction=instruction
        )
        if question.skippable:
            extra = KeyBindings()

            @extra.add("s")
            @extra.add("S")
            def _skip(event: Any) -> None:
                skipped["value"] = True
                event.app.exit(result=None)

            app = prompt.application
            # Added last, so "s" wins over confirm's catch-all key binding.
            app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), extra])
        answer = asked(prompt)
        if skipped["value"] or answer is None:
            return None
        return bool(answer)
