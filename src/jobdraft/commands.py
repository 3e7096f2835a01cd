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
from typing import TYPE_CHECKING

from jobdraft import hints, operations
from jobdraft.drafting import new_idempotency_key, read_description
from jobdraft.errors import (
    ApiError,
    JobdraftError,
    NetworkError,
    NoPromptError,
    NotFound,
    NotReady,
    ServerError,
    UsageError,
)
from jobdraft.json_types import Json
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
    editor: bool = False  # --editor: the description is written in $VISUAL/$EDITOR


def run_create(opts: CreateOptions, io: CommandIO) -> None:
    if opts.editor and (opts.description is not None or opts.description_file is not None):
        raise UsageError("give one of --editor, --description and --description-file")
    text = read_description(opts.description, opts.description_file)
    if text is None and not opts.editor:
        raise UsageError(
            "no description given",
            hint="use --description TEXT, --description-file PATH ('-' reads stdin) or --editor",
        )
    session = io.session()
    key = opts.idempotency_key or new_idempotency_key()
    journal = None
    if text is None:
        from jobdraft.fill import write_description_for_create

        text, journal = write_description_for_create(session)
        # Written in the editor, the text is kept until the server has it, as fill keeps it.
        journal.record_all({"rawJobDescription": text, "idempotencyKey": key})
    try:
        draft = operations.create_draft(session, text, key, opts.external_id)
    except (NetworkError, ServerError) as exc:
        # The request may have reached the server: the same key gets that
        # draft back instead of making a second one.
        again = f"the draft may have been made: repeat the command with --idempotency-key {key}"
        if journal is not None:
            again += f", or run again: {hints.command('fill')} (it offers your description again)"
        exc.hint = f"{exc.hint}; {again}" if exc.hint else again
        raise
    except JobdraftError as exc:
        if journal is not None:
            kept = f"your description is saved; to send it, run again: {hints.command('fill')}"
            exc.hint = f"{exc.hint}; {kept}" if exc.hint else kept
        raise
    if journal is not None:
        journal.clear()
    emit(
        io,
        opts.as_json,
        draft.raw,
        lambda out: print_draft(
            out, draft, heading="Draft created.", capabilities=session.capabilities_for_words()
        ),
    )
    if not opts.as_json and not draft.ready:
        io.say(f"Fill the gaps: {hints.command('fill', draft.job_id)}")


# -- show ----------------------------------------------------------------------------


@dataclass
class ShowOptions:
    job_id: str
    as_json: bool = False


def run_show(opts: ShowOptions, io: CommandIO) -> None:
    session = io.session()
    draft = session.load(opts.job_id)
    emit(
        io,
        opts.as_json,
        session.last_raw,
        lambda out: print_draft(out, draft, capabilities=session.capabilities_for_words()),
    )
    if not opts.as_json and draft.status == "DRAFT":
        io.say(f"Next: {next_step(draft.ready, opts.job_id)}")


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
    emit(
        io,
        opts.as_json,
        draft.raw,
        lambda out: print_validation(
            out, draft, just_set=body, capabilities=session.capabilities_for_words()
        ),
    )
    if not opts.as_json:
        io.say(f"Next: {next_step(draft.ready, opts.job_id)}")


def next_step(ready: bool, job_id: str) -> str:
    """The command that takes a draft further: publish it when ready, else fill its gaps."""
    return hints.command("publish" if ready else "fill", job_id)


# -- publish -------------------------------------------------------------------------


@dataclass
class PublishOptions:
    job_id: str
    yes: bool = False
    as_json: bool = False


def run_publish(opts: PublishOptions, io: CommandIO) -> None:
    job_id = opts.job_id
    if not opts.yes and not io.can_prompt():
        raise NoPromptError(
            "publishing needs confirmation, and this is not a terminal",
            hint=f"add --yes: {hints.command('publish', job_id, '--yes')}",
        )
    session = io.session()
    warn_about_guesses(io, session, job_id)
    if not opts.yes and not io.confirm(f"Publish {job_id} now?"):
        io.say_err("Not published.")
        return
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


def warn_about_guesses(io: CommandIO, session: Session, job_id: str) -> None:
    """Name the values still only the server's guess, as far as this machine last saw.

    ``publish ID`` is an explicit request for one draft (``--yes`` included),
    so it publishes, as gh does after its own ``--yes``; but nobody should
    publish a guessed title unknowingly.  The last full answer cached for the
    draft says which values were guesses then; no request is spent on it.
    """
    guessed = operations.cached_guesses(session, job_id)
    if guessed:
        io.say_err(
            f"warning: the server only guessed {operations.listed(guessed)} from the description; "
            f"check before publishing: {hints.command('show', job_id)}"
        )


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


# -- open ----------------------------------------------------------------------------


@dataclass
class OpenOptions:
    job_id: str
    print_only: bool = False  # --print: the address on stdout, no browser


def run_open(opts: OpenOptions, io: CommandIO) -> None:
    from jobdraft.browser import EMBEDDED_SANDBOX, UnsafeUrl, check_url, has_browser, open_url

    session = io.session()
    url = post_url(session, opts.job_id)
    try:
        check_url(url)
    except UnsafeUrl as exc:
        raise ApiError(
            f"the server's address for {opts.job_id} is not one to open: {exc}: {url}",
            hint="report it to the server's operators",
        ) from None
    if opts.print_only:
        io.say(url)
        return
    if session.origin == EMBEDDED_SANDBOX:
        io.say_err(
            "The embedded sandbox serves no web pages: run 'jobdraft sandbox serve' "
            "(it uses the same store), then open:"
        )
        io.say(url)
        return
    if not io.can_prompt():
        io.say(url)  # a script, or output captured: the address is what it wants
        return
    if not has_browser():
        io.say_err("No browser to open it with (set BROWSER to choose one); its address:")
    elif open_url(url):
        io.say_err(f"Opened in your browser: {url}")
        return
    else:
        io.say_err("The browser did not start; its address:")
    io.say(url)


def post_url(session: Session, job_id: str) -> str:
    """The page of the post: a published job's ``jobUrl``, else the draft's ``draftUrl``.

    ``GET /jobs/mine`` (documented everywhere) says whether the job exists,
    its status and, once published, its ``jobUrl``.  A draft's ``draftUrl``
    comes with every create and PATCH answer, so the cached last answer
    usually has it; otherwise the draft is read (``Session.load``, which
    also works where the server has no read route).  The embedded sandbox
    is read afresh: it costs nothing, and an older cache may hold its
    former addresses.
    """
    from jobdraft.browser import EMBEDDED_SANDBOX
    from jobdraft.model import Draft

    job = next((j for j in session.jobs() if j.id == job_id), None)
    if job is None:
        raise NotFound(f"no job {job_id} among yours", status=404, code="NOT_FOUND",
                       hint="'jobdraft list' shows them")  # fmt: skip
    if job.job_url and job.status != "DRAFT":
        return job.job_url  # a draft's page is its draftUrl, whatever else is listed
    url = None
    if session.origin != EMBEDDED_SANDBOX:
        answer = (session.cache.draft(session.origin, job_id) or {}).get("answer")
        url = Draft.from_json(answer).draft_url if isinstance(answer, dict) else None
    url = url or session.load(job_id).draft_url
    if not url:
        raise ApiError(f"the server gave no address for {job_id}")
    return url
