"""The draft commands' work: one options object and one ``run_*`` function each.

``cli`` declares the commands: each Typer function only fills the options
and calls ``run_x(options, io)``.  The work is here, over a ``CommandIO``
(the session, where output goes, how to confirm), so it is tested without
Typer.  The flows shared with the wizard are in ``operations``.
Imported only inside the command that runs, never at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from jobdraft import hints, operations
from jobdraft.drafting import new_idempotency_key, read_description
from jobdraft.errors import NetworkError, NoPromptError, NotReady, ServerError, UsageError
from jobdraft.render import (
    print_capabilities,
    print_draft,
    print_jobs,
    print_json,
    print_validation,
)

if TYPE_CHECKING:
    from rich.console import Console

    from jobdraft.session import Session

Json = Any


@dataclass
class CommandIO:
    """What a command talks to: the session (built on first use), stdout, stderr, the user."""

    session: Callable[[], Session]
    out: Console
    err: Console
    can_prompt: Callable[[], bool]
    confirm: Callable[[str], bool]  # a yes/no question, default no
    say: Callable[[str], None]  # a plain line on stdout
    say_err: Callable[[str], None]  # a plain line on stderr
    write_json: Callable[[Json], None] = print_json


def emit(io: CommandIO, as_json: bool, raw: Json, show: Callable[[Console], None]) -> None:
    """``--json`` prints the raw API answer and nothing else; otherwise ``show`` renders it."""
    if as_json:
        io.write_json(raw)
    else:
        show(io.out)


# -- create --------------------------------------------------------------------------


@dataclass
class CreateOptions:
    description: str | None = None
    description_file: str | None = None
    external_id: str | None = None
    idempotency_key: str | None = None
    as_json: bool = False


def run_create(opts: CreateOptions, io: CommandIO) -> None:
    text = read_description(opts.description, opts.description_file)
    if text is None:
        raise UsageError(
            "no description given",
            hint="use --description TEXT or --description-file PATH ('-' reads stdin)",
        )
    session = io.session()
    key = opts.idempotency_key or new_idempotency_key()
    try:
        draft = operations.create_draft(session, text, key, opts.external_id)
    except (NetworkError, ServerError) as exc:
        # The request may have reached the server: the same key gets that
        # draft back instead of making a second one.
        again = f"the draft may have been made: repeat the command with --idempotency-key {key}"
        exc.hint = f"{exc.hint}; {again}" if exc.hint else again
        raise
    emit(io, opts.as_json, draft.raw, lambda out: print_draft(out, draft, heading="Draft created."))
    if not opts.as_json and not draft.ready:
        io.say(f"Fill the gaps: jobdraft fill {draft.job_id}")


# -- show ----------------------------------------------------------------------------


@dataclass
class ShowOptions:
    job_id: str
    as_json: bool = False


def run_show(opts: ShowOptions, io: CommandIO) -> None:
    session = io.session()
    draft = session.load(opts.job_id)
    emit(io, opts.as_json, session.last_raw, lambda out: print_draft(out, draft))
    if not opts.as_json and draft.status == "DRAFT":
        step = "publish" if draft.ready else "fill"
        io.say(f"Next: jobdraft {step} {opts.job_id}")


# -- patch ---------------------------------------------------------------------------


@dataclass
class PatchOptions:
    job_id: str
    assignments: list[str] = field(default_factory=list)  # raw --set key=value
    answers: dict[str, Json] | None = None  # from --file, None when not given
    answers_label: str = ""  # the file's name, for messages
    dry_run: bool = False
    as_json: bool = False


def run_patch(opts: PatchOptions, io: CommandIO) -> None:
    if not opts.assignments and opts.answers is None:
        raise UsageError("nothing to set", hint="use --set key=value or --file answers.json")
    session = io.session()
    typed = operations.type_answers(session, opts.answers or {}, opts.assignments, opts.job_id)
    body = typed.body
    if not body:
        raise UsageError(
            f"nothing to set: {opts.answers_label} holds no key",
            hint='it must hold an object of key to value, e.g. {"headcount": 10}',
        )
    if opts.dry_run:
        io.write_json(body)
        return
    draft = operations.patch_draft(session, opts.job_id, body)
    emit(io, opts.as_json, draft.raw, lambda out: print_validation(out, draft, just_set=body))


# -- publish -------------------------------------------------------------------------


@dataclass
class PublishOptions:
    job_id: str
    yes: bool = False
    as_json: bool = False


def run_publish(opts: PublishOptions, io: CommandIO) -> None:
    job_id = opts.job_id
    if not opts.yes:
        if not io.can_prompt():
            raise NoPromptError(
                "publishing needs confirmation, and this is not a terminal",
                hint=f"add --yes: jobdraft publish {job_id} --yes",
            )
        if not io.confirm(f"Publish {job_id} now?"):
            io.say_err("Not published.")
            return
    session = io.session()
    try:
        result = operations.publish_draft(session, job_id)
    except NotReady as exc:
        show_what_is_missing(io, exc, job_id)
        raise
    if opts.as_json:
        io.write_json(result.raw)
        return
    outcome = operations.publish_outcome(result, job_id)
    io.say(outcome.headline)
    if outcome.url:
        io.say(outcome.url)
    for warning in outcome.warnings:
        io.say_err(f"warning: {warning}")


def show_what_is_missing(io: CommandIO, exc: NotReady, job_id: str) -> None:
    from jobdraft.client import validation_from_error
    from jobdraft.model import Draft

    validation = validation_from_error(exc)
    if validation is not None:
        io.err.print("The draft is not ready; still needed:")
        print_validation(io.err, Draft(job_id=job_id, validation=validation))


# -- list and capabilities -----------------------------------------------------------


# As gh does: a page a person can read unless asked for more.
DEFAULT_LIST_LIMIT = 30


@dataclass
class ListOptions:
    status: str | None = None
    as_json: bool = False
    limit: int | None = None  # None: DEFAULT_LIST_LIMIT, unless every_job
    every_job: bool = False  # --all


def run_list(opts: ListOptions, io: CommandIO) -> None:
    if opts.every_job and opts.limit is not None:
        raise UsageError("--limit and --all ask for different things: give one of them")
    limit = None if opts.every_job else (opts.limit or DEFAULT_LIST_LIMIT)
    # One job past the limit says whether there are more, without a page
    # more than the table needs.
    jobs = list(io.session().jobs(opts.status, limit=None if limit is None else limit + 1))
    more = limit is not None and len(jobs) > limit
    jobs = jobs[:limit]
    raw = {"jobs": [job.raw for job in jobs], "nextCursor": None}
    emit(io, opts.as_json, raw, lambda out: print_jobs(out, jobs))
    if more:
        # On stderr: it is about the listing, not part of it (a pipe gets the rows only).
        status = ("--status", opts.status) if opts.status else ()
        io.say_err(
            f"Showing the newest {len(jobs)}; there are more. "
            f"Every one: {hints.command('list', *status, '--all')} (or --limit N)"
        )


@dataclass
class CapabilitiesOptions:
    as_json: bool = False


def run_capabilities(opts: CapabilitiesOptions, io: CommandIO) -> None:
    caps = io.session().capabilities(refresh=True)
    emit(io, opts.as_json, caps.raw, lambda out: print_capabilities(out, caps))
