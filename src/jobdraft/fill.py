"""``jobdraft fill``: create the draft if needed, then run the wizard over it.

``run_fill`` decides once, up front, whether it may prompt (``terminal.can_prompt``)
and builds the real prompter and display; ``fill`` does the work over any
prompter and display, which is what the tests drive.  Nothing here imports
jobdraft.cli: the CLI's state object only has to offer ``session()``.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from jobdraft import hints
from jobdraft.drafting import description_problem, new_idempotency_key
from jobdraft.drafting import read_description as read_description_option
from jobdraft.errors import InterruptedByUser, JobdraftError, NoPromptError, NotFound, UsageError
from jobdraft.fields import spec_for
from jobdraft.journal import Journal
from jobdraft.json_types import Json
from jobdraft.model import Capabilities, Draft
from jobdraft.operations import create_draft as create_from_description
from jobdraft.operations import type_answers
from jobdraft.ports import Display, Prompter, Row, typed_before_interrupt
from jobdraft.questions import Question, Widget, describe_value, label_for
from jobdraft.wizard import Wizard, join_hints
from jobdraft.wording import shorten

# The collector's first threshold while the wizard prompts (the default is 700).
GC_YOUNG_THRESHOLD = 20_000

if TYPE_CHECKING:
    from jobdraft.session import Session


class SessionSource(Protocol):
    def session(self) -> Session: ...


@dataclass
class FillOptions:
    job_id: str | None
    description: str | None
    description_file: str | None
    publish: bool | None  # True: --publish, False: --no-publish, None: ask
    answers: dict[str, Json] = field(default_factory=dict)  # from --answers FILE
    assignments: list[str] = field(default_factory=list)  # raw --set key=value
    accept_guesses: bool = False  # --accept-guesses: an unattended publish may publish them
    editor: bool = False  # --editor: the new draft's description is written in $EDITOR
    # Remembered answers as defaults, and the offer to remember new ones. The
    # command turns it on unless --no-defaults; off, a run leaves them alone.
    use_remembered: bool = False


PROMPTS_VARIABLE = "JOBDRAFT_PROMPTS"


def plain_prompts_wanted(env: Mapping[str, str] | None = None) -> bool:
    """``JOBDRAFT_PROMPTS=plain``, or a dumb terminal, which cannot draw a picker."""
    env = os.environ if env is None else env
    wanted = env.get(PROMPTS_VARIABLE, "").strip().lower()
    if wanted not in ("", "plain"):
        # A typo must not leave a screen reader user with arrow-key pickers.
        raise UsageError(
            f"{PROMPTS_VARIABLE}={env[PROMPTS_VARIABLE]!r} is not a prompt style",
            hint=f"use {PROMPTS_VARIABLE}=plain for line-by-line questions, or unset it",
        )
    return wanted == "plain" or env.get("TERM", "") == "dumb"


def run_fill(state: SessionSource, options: FillOptions) -> int:
    """The command: a real prompter at a terminal (plain or not), none anywhere else."""
    from jobdraft.terminal import can_prompt

    prompter: Prompter | None = None
    display: Display
    if plain_prompts_wanted():
        from jobdraft.editor import edit_text
        from jobdraft.plain_display import PlainDisplay
        from jobdraft.plain_prompts import PlainPrompter

        if can_prompt():
            prompter = PlainPrompter(edit=lambda text, what: edit_text(text, what=what))
        display = PlainDisplay()
    else:
        from jobdraft.render import make_console
        from jobdraft.wizard_view import RichDisplay

        if can_prompt():
            # What start-up allocates from here (questionary, the client, the
            # session) lives as long as the run: collecting during it is wasted
            # work.  PromptingSessionSource turns the collector back on, frozen.
            gc.disable()
            from jobdraft.prompts import QuestionaryPrompter

            prompter = QuestionaryPrompter()
        display = RichDisplay(make_console(), warnings=make_console(stderr=True))
    if prompter is None:
        return fill(state, options, prompter=None, display=display)
    try:
        return fill(PromptingSessionSource(state), options, prompter=prompter, display=display)
    finally:
        gc.enable()  # when fill stopped before building the session


class PromptingSessionSource:
    """The session of a wizard at a terminal, set up so that no prompt waits on housekeeping."""

    def __init__(self, state: SessionSource) -> None:
        self.state = state
        self._ready = False

    def session(self) -> Session:
        session = self.state.session()
        if not self._ready:
            self._ready = True
            # Cache files are rewritten once, when the command ends, not
            # between a send and the next question (see cache_deferred).
            session.defer_draft_writes()
            # Start-up is done (questionary, httpx, the session are loaded): the
            # hundreds of thousands of objects it made live as long as the run.
            # Frozen, the garbage collector stops walking them, which a full
            # collection inside a prompt did for ~110 ms (issue 11).
            gc.freeze()
            # Each prompt then makes tens of thousands of short-lived objects:
            # at the default threshold (700) the collector ran several times
            # per step, now and then a 2 ms pass over older objects, between
            # Enter and the next question.  A wizard's garbage is small and its
            # run short; collections 30 times rarer cost a few MB at most.
            gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])
            gc.enable()
        return session


def fill(
    state: SessionSource,
    options: FillOptions,
    *,
    prompter: Prompter | None,
    display: Display,
) -> int:
    description = read_description_option(options.description, options.description_file)
    if options.job_id is not None and description is not None:
        raise UsageError("give a draft id or a description, not both")
    if options.editor and (options.job_id is not None or description is not None):
        raise UsageError(
            "--editor writes the description of a new draft: give no id, -d or -f with it"
        )
    prefilled = bool(options.answers or options.assignments)
    if prompter is None and not prefilled:
        raise refuse_without_terminal(options.job_id)
    session = state.session()
    show_retries_above_the_spinner(session, display)
    # Typed and checked now, so a bad --set fails before anything is created.
    with display.waiting("Connecting..."):
        typed = type_answers(session, options.answers, options.assignments, options.job_id)
    capabilities = typed.capabilities
    if options.job_id is not None:
        draft = load_draft(session, options.job_id, display)
    else:
        draft = create_draft(session, description, prompter, display, editor=options.editor)
    journal = Journal.for_draft(session.origin, draft.job_id)
    wizard = Wizard(
        session,
        prompter,
        display,
        journal,
        capabilities=capabilities,
        prefill=typed.body,
        publish=options.publish,
        # create_draft showed what the server understood, when it said.
        values_shown=options.job_id is None and bool(draft.fields),
        accept_guesses=options.accept_guesses,
        remembered=remembered_answers(options, prompter, display),
    )
    return wizard.run(draft)


def remembered_answers(
    options: FillOptions, prompter: Prompter | None, display: Display
) -> dict[str, Json] | None:
    """The answers remembered from earlier jobs; None with --no-defaults or off a terminal."""
    if not options.use_remembered or prompter is None:
        return None
    from jobdraft.remembered import load_remembered

    remembered = load_remembered()
    if remembered.notice:
        display.warn(remembered.notice)
    return remembered.answers


def show_retries_above_the_spinner(session: Session, display: Display) -> None:
    """Route the client's "retrying in 2s" notes through the wizard's display.

    The CLI's own notes go to another console, which draws across a running
    spinner.
    """
    session.client.on_wait = display.retrying


def refuse_without_terminal(job_id: str | None) -> NoPromptError:
    target = job_id or "ID"
    set_fields = hints.command("patch", target, "--set", "key=value")
    if job_id is None:
        return NoPromptError(
            "jobdraft fill asks questions, and this is not a terminal",
            hint="create the draft "
            f"({hints.command('create', '--description-file', 'PATH')}), then set fields "
            f"({set_fields}), or give every answer (JSON or TOML): "
            + hints.command("fill", "--description-file", "PATH", "--answers", "FILE"),
        )
    return NoPromptError(
        "jobdraft fill asks questions, and this is not a terminal",
        hint=f"see what is missing ({hints.command('show', target)}), set it ({set_fields}), "
        "or give every answer (JSON or TOML): "
        + hints.command("fill", target, "--answers", "FILE"),
    )


def load_draft(session: Session, job_id: str, display: Display) -> Draft:
    with display.waiting("Loading the draft..."):
        draft = session.load(job_id)
    if draft.status != "DRAFT":
        raise NotFound(
            f"job {job_id} is {draft.status}: only a draft can be filled",
            status=409,
            hint=f"see it with: {hints.command('show', job_id)}",
        )
    known = draft.title or (session.cache.draft(session.origin, job_id) or {}).get("title")
    title = f": {known}" if isinstance(known, str) and known else ""
    display.note(f"Draft {draft.job_id}{title}")
    return draft


# -- creating from a description ------------------------------------------------------


def create_draft(
    session: Session,
    description: str | None,
    prompter: Prompter | None,
    display: Display,
    *,
    editor: bool = False,
) -> Draft:
    """The draft made from ``description``, written in the editor or asked for when not given."""
    journal = Journal.for_new_draft(session.origin)
    saved = journal.answers()
    for notice in journal.take_notices():
        display.warn(notice)
    typed = description is None
    if description is None and editor:
        description = description_in_editor(journal, display, can_ask=prompter is not None)
    if description is None:
        if prompter is None:
            raise refuse_without_terminal(None)
        description = ask_description(prompter, display, journal)
    key = saved.get("idempotencyKey")
    # The same text keeps its key: a create that timed out but did happen is not repeated.
    if not isinstance(key, str) or saved.get("rawJobDescription") != description:
        key = new_idempotency_key()
    if typed:
        journal.record_all({"rawJobDescription": description, "idempotencyKey": key})
    try:
        with display.waiting("Creating the draft..."):
            draft = create_from_description(session, description, key)
    except KeyboardInterrupt:
        raise InterruptedByUser("interrupted", hint=resume_create_hint(journal)) from None
    except JobdraftError as exc:
        resume = resume_create_hint(journal)
        if resume:
            exc.hint = join_hints(exc.hint, resume)
        raise
    journal.clear()
    show_created(display, draft, session.capabilities_if_available())
    return draft


def resume_create_hint(journal: Journal) -> str | None:
    if not journal:
        return None
    return f"your description is saved; to send it, run again: {hints.command('fill')}"


def description_in_editor(journal: Journal, display: Display, *, can_ask: bool) -> str | None:
    """The description written in the editor, starting from the one saved by an earlier run.

    A refusal (empty, unchanged, no editor) ends the command where nothing
    can be asked; at a terminal it is said, and the prompt asks instead
    (Enter there keeps a saved text, which the editor calls unchanged).
    """
    from jobdraft.editor import edit_text

    saved = journal.answers().get("rawJobDescription")
    try:
        text = edit_text(saved if isinstance(saved, str) else "", what="the description")
    except UsageError as exc:
        if not can_ask:
            raise
        display.warn(f"{exc.message}; type the description instead")
        return None
    problem = description_problem(text)
    if problem is not None:
        if not can_ask:
            raise UsageError(problem)
        keep_typed_description(journal, text)  # offered in the prompt, to be cut down there
        display.warn(f"{problem}; correct the description below")
        return None
    return text.strip()


def write_description_for_create(session: Session) -> tuple[str, Journal]:
    """``create --editor``: the description written in the editor, and the journal to keep it in.

    It starts from a description an earlier run saved, as ``fill`` does; a
    refusal (empty, unchanged, no editor) ends the command with exit 2.
    """
    from jobdraft.editor import edit_text

    journal = Journal.for_new_draft(session.origin)
    saved = journal.answers().get("rawJobDescription")
    text = edit_text(saved if isinstance(saved, str) else "", what="the description")
    problem = description_problem(text)
    if problem is not None:
        keep_typed_description(journal, text)
        raise UsageError(problem, hint="run it again: the editor opens with your text")
    return text.strip(), journal


def ask_description(prompter: Prompter, display: Display, journal: Journal) -> str:
    """The description typed at the terminal; Ctrl-C keeps what is typed so far in ``journal``."""
    saved = journal.answers().get("rawJobDescription")
    question = Question(
        key="",
        label="Job description",
        message="Describe the job in your own words:",
        widget=Widget.MULTILINE,
        hint="The task, the data, how you pay and how many people you need. "
        "Paste it or type it; several lines are fine.",
        default=saved if isinstance(saved, str) else None,
        skippable=False,
        validator=description_problem,
    )
    if isinstance(saved, str):
        display.note("Your description from an earlier run is filled in below.")
    display.question_intro(question, 1, 1)
    try:
        raw = prompter.ask(question)
    except KeyboardInterrupt as exc:
        keep_typed_description(journal, typed_before_interrupt(exc))
        if journal.problem:
            display.warn(journal.problem)
        if not journal:
            raise InterruptedByUser("interrupted before the draft was created") from None
        raise InterruptedByUser(
            "interrupted before the draft was created; your description is saved",
            hint=f"to continue it, run again: {hints.command('fill')}",
        ) from None
    problem = description_problem(raw) if isinstance(raw, str) else "no description given"
    if problem is not None:
        raise UsageError(problem)
    assert isinstance(raw, str)
    return raw.strip()


def keep_typed_description(journal: Journal, typed: str) -> None:
    """Save a description cut short by Ctrl-C, to be offered again by the next run.

    The idempotency key saved with an earlier text goes with that text only:
    a create that may have reached the server is never replayed for other words.
    """
    if not typed.strip():
        return  # nothing typed: whatever was saved before stays as it is
    saved = journal.answers().get("rawJobDescription")
    if isinstance(saved, str) and saved.strip() == typed.strip():
        return  # the saved text, unchanged: keep it with its key
    journal.replace({"rawJobDescription": typed})


def show_created(display: Display, draft: Draft, capabilities: Capabilities | None) -> None:
    display.success(f"Draft {draft.job_id} created.")
    fields = draft.fields or {}
    unsure = set(draft.low_confidence)
    rows = []
    for key, value in fields.items():
        if value is None or value in ("", []):
            continue
        text = shorten(describe_value(spec_for(key, None, capabilities), value))
        if key in unsure:
            text += " (a guess: check it)"
        rows.append(Row(label_for(key), text))
    display.table("Understood from your description", rows, detail="Value")
