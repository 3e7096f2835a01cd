"""Typer wiring: the app, its global options, the draft commands, and the one
place that maps errors to exit codes.  Nothing imports this module.

``auth`` and ``sandbox`` live in ``cli_auth`` and ``cli_sandbox``; what the
command modules share is in ``cli_common``.  Start-up cost matters here
(``--help`` and every TAB import this file), so the heavy modules (httpx
through ``session``/``client``, rich through ``render``, questionary through
the wizard, the sandbox) are imported inside the commands that need them,
never at module level.
"""

from __future__ import annotations

import math
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from jobdraft import __version__
from jobdraft.cli_auth import auth_app
from jobdraft.cli_common import (
    AppState,
    DraftId,
    Group,
    JsonFlag,
    command_io,
    get_state,
    read_answers_file,
    remember_api_options,
    show_global_options_in_help,
    stderr_console,
)
from jobdraft.cli_sandbox import sandbox_app
from jobdraft.completion import complete_assignment, complete_draft_id
from jobdraft.errors import InterruptedByUser, JobdraftError


class JobStatus(str, Enum):
    DRAFT = "DRAFT"
    OPEN = "OPEN"
    ONGOING = "ONGOING"
    COMPLETED = "COMPLETED"
    ARCHIVED = "ARCHIVED"
    PENDING_APPROVAL = "PENDING_APPROVAL"


app = typer.Typer(
    name="jobdraft",
    cls=Group,
    help="From a rough job description to a published OpenTrain job post.\n\n"
    "The options below work before or after the command's name.",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(auth_app, name="auth")
app.add_typer(sandbox_app, name="sandbox")


def finite_seconds(value: float) -> float:
    # min= lets nan and inf through; httpx would then fail with a Python error.
    if not math.isfinite(value):
        raise typer.BadParameter("must be a number of seconds, such as 30")
    return value


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"jobdraft {__version__}")
        raise typer.Exit()


@app.callback(epilog="Try it offline: jobdraft --sandbox fill")
def root(
    ctx: typer.Context,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url", help="API origin, e.g. https://app.opentrain.ai.", metavar="URL"
        ),
    ] = None,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            help="API token (prefer 'auth login' or OT_API_TOKEN: flags show in process lists).",
            metavar="TOKEN",
        ),
    ] = None,
    sandbox: Annotated[
        bool,
        typer.Option(
            "--sandbox",
            envvar="JOBDRAFT_SANDBOX",
            help="Use the embedded sandbox: no server, no account. [env: JOBDRAFT_SANDBOX]",
            show_envvar=False,
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Trace HTTP on stderr (the token is redacted).")
    ] = False,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            envvar="JOBDRAFT_TIMEOUT",
            min=0.1,
            metavar="SECONDS",
            callback=finite_seconds,
            help="Deadline of each request, whole answer included."
            " [default: 30; env: JOBDRAFT_TIMEOUT]",
            show_default=False,
            show_envvar=False,
        ),
    ] = 30.0,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help="Show the version."
        ),
    ] = False,
) -> None:
    """From a rough job description to a published OpenTrain job post.

    The options below work before or after the command's name.
    """
    state = AppState(base_url=base_url, token=token, sandbox=sandbox, debug=debug, timeout=timeout)
    remember_api_options(state)
    ctx.obj = state
    ctx.call_on_close(state.close)


# -- the draft commands --------------------------------------------------------------

# create and fill both make a draft from a description, with the same two options.
DescriptionOption = Annotated[
    str | None,
    typer.Option(
        "--description", "-d", metavar="TEXT", help="The job description text (makes a new draft)."
    ),
]
DescriptionFileOption = Annotated[
    str | None,
    typer.Option(
        "--description-file",
        "-f",
        metavar="PATH",
        help="Read the description from a file ('-' for stdin).",
    ),
]
EditorFlag = Annotated[
    bool,
    typer.Option(
        "--editor",
        "-e",
        help="Write the description in $VISUAL or $EDITOR (makes a new draft).",
    ),
]
SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        "-s",
        metavar="KEY=VALUE",
        help="Set a field (repeatable). KEY:=JSON sends a raw JSON value.",
        autocompletion=complete_assignment,
    ),
]


@app.command()
def create(
    ctx: typer.Context,
    description: DescriptionOption = None,
    description_file: DescriptionFileOption = None,
    external_id: Annotated[
        str | None, typer.Option("--external-id", metavar="ID", help="Your own id for this job.")
    ] = None,
    idempotency_key: Annotated[
        str | None,
        typer.Option(
            "--idempotency-key",
            metavar="KEY",
            help="Repeat a create safely (generated when omitted).",
        ),
    ] = None,
    editor: EditorFlag = False,
    as_json: JsonFlag = False,
) -> None:
    """Create a draft from a plain job description."""
    from jobdraft.commands import CreateOptions, run_create

    options = CreateOptions(
        description, description_file, external_id, idempotency_key, as_json, editor=editor
    )
    run_create(options, command_io(ctx))


@app.command(short_help="Show what a draft misses, what blocks it, what it holds.")
def show(ctx: typer.Context, job_id: DraftId, as_json: JsonFlag = False) -> None:
    """Show a draft: what is missing, what blocks it, and the fields known so far."""
    from jobdraft.commands import ShowOptions, run_show

    run_show(ShowOptions(job_id, as_json), command_io(ctx))


@app.command()
def patch(
    ctx: typer.Context,
    job_id: DraftId,
    assignments: SetOption = None,
    answers_file: Annotated[
        Path | None,
        typer.Option("--file", metavar="PATH", help="A JSON or TOML object of key to value."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the JSON body and send nothing.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Set fields of a draft, typed and checked before sending."""
    from jobdraft.commands import PatchOptions, run_patch

    options = PatchOptions(
        job_id,
        assignments=list(assignments or []),
        answers=read_answers_file(answers_file) if answers_file is not None else None,
        answers_label=str(answers_file),
        dry_run=dry_run,
        as_json=as_json,
    )
    run_patch(options, command_io(ctx))


@app.command()
def publish(
    ctx: typer.Context,
    job_id: DraftId,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Publish a draft that is ready."""
    from jobdraft.commands import PublishOptions, run_publish

    run_publish(PublishOptions(job_id, yes, as_json), command_io(ctx))


@app.command("list")
def list_jobs(
    ctx: typer.Context,
    status: Annotated[
        JobStatus | None,
        typer.Option(
            "--status",
            help="Only jobs with this status.",
            case_sensitive=False,
            metavar="|".join(status.value for status in JobStatus),  # as the API spells them
        ),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit", "-L", min=1, metavar="N", help="Show the newest N jobs (default 30)."
        ),
    ] = None,
    every_job: Annotated[
        bool, typer.Option("--all", help="Show every job, however many pages it takes.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """List your jobs and drafts, newest first.

    The newest 30 unless --limit N or --all says otherwise.
    """
    from jobdraft.commands import ListOptions, run_list

    options = ListOptions(status.value if status else None, as_json, limit, every_job)
    run_list(options, command_io(ctx))


@app.command(short_help="What your account may do: features, keys, allowed values.")
def capabilities(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """What your account may do: features, patchable keys and allowed values."""
    from jobdraft.commands import CapabilitiesOptions, run_capabilities

    run_capabilities(CapabilitiesOptions(as_json), command_io(ctx))


@app.command(short_help="The wizard: fill a draft's gaps, then offer to publish.")
def fill(
    ctx: typer.Context,
    job_id: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID]",
            help="The draft to fill; without it, a new draft is created first.",
            autocompletion=complete_draft_id,
        ),
    ] = None,
    description: DescriptionOption = None,
    description_file: DescriptionFileOption = None,
    publish_when_ready: Annotated[
        bool | None,
        typer.Option(
            "--publish/--no-publish",
            help="Publish without asking once ready, or stop at ready. [default: ask]",
            show_default=False,
        ),
    ] = None,
    answers_file: Annotated[
        Path | None,
        typer.Option(
            "--answers", metavar="PATH", help="Pre-fill answers from a JSON or TOML file."
        ),
    ] = None,
    assignments: SetOption = None,
    accept_guesses: Annotated[
        bool,
        typer.Option(
            "--accept-guesses",
            help="With --publish and no terminal: publish values the server only guessed.",
        ),
    ] = False,
    editor: EditorFlag = False,
    no_defaults: Annotated[
        bool,
        typer.Option("--no-defaults", help="Ignore the answers remembered from earlier jobs."),
    ] = False,
) -> None:
    """Fill a draft's gaps interactively, round by round, then offer to publish."""
    from jobdraft.fill import FillOptions, run_fill

    options = FillOptions(
        job_id=job_id,
        description=description,
        description_file=description_file,
        publish=publish_when_ready,
        answers=read_answers_file(answers_file) if answers_file is not None else {},
        assignments=list(assignments or []),
        accept_guesses=accept_guesses,
        editor=editor,
        use_remembered=not no_defaults,
    )
    code = run_fill(get_state(ctx), options)
    if code:
        raise typer.Exit(code)


@app.command("open")
def open_in_browser(
    ctx: typer.Context,
    job_id: DraftId,
    print_only: Annotated[
        bool, typer.Option("--print", help="Print the address; start no browser.")
    ] = False,
) -> None:
    """Open a draft or a published job in your browser.

    $BROWSER is honoured; without a browser the address is printed.
    """
    from jobdraft.commands import OpenOptions, run_open

    run_open(OpenOptions(job_id, print_only), command_io(ctx))


# -- the one place that maps errors to exit codes ------------------------------------


def report(exc: JobdraftError, debug: bool) -> int:
    from jobdraft.render import print_error

    print_error(stderr_console(), exc)
    if debug:
        import traceback

        traceback.print_exception(exc, file=sys.stderr)
    return int(exc.exit_code)


def make_ctrl_c_work_at_a_terminal() -> None:
    """Someone at a terminal can always stop us with Ctrl-C.

    A program started by a non-interactive shell can inherit SIGINT ignored,
    and Python then installs no KeyboardInterrupt handler: a prompt would
    swallow Ctrl-C.  At a terminal, put the normal handler back.
    """
    import signal

    if sys.stdin.isatty() and signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def main(argv: list[str] | None = None) -> NoReturn:
    from typer.main import get_command

    from jobdraft.completion_install import register

    command = get_command(app)
    show_global_options_in_help(command)
    register()  # our completion scripts and answers (after get_command: it sets Typer's)
    make_ctrl_c_work_at_a_terminal()
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        command.main(args=argv, prog_name="jobdraft", complete_var="_JOBDRAFT_COMPLETE")
    except JobdraftError as exc:
        sys.exit(report(exc, debug))
    except KeyboardInterrupt:
        sys.exit(report(InterruptedByUser("interrupted"), debug))
    except Exception as exc:
        # A bug of ours: say so plainly; the traceback is for --debug.
        error = JobdraftError(
            f"unexpected error: {type(exc).__name__}: {exc}",
            hint="run again with --debug for details, and report it",
        )
        code = report(error, False)
        if debug:
            import traceback

            traceback.print_exception(exc, file=sys.stderr)
        sys.exit(code)
    sys.exit(0)
