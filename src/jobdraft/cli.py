"""Typer wiring: resolve settings, call the core, render.  Nothing imports this module.

Start-up cost matters here (``--help`` and every TAB import this file), so
the heavy modules (httpx through ``session``/``client``, rich through
``render``, questionary through the wizard, the sandbox) are imported inside
the commands that need them, never at module level.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from jobdraft import __version__
from jobdraft.completion import complete_assignment, complete_draft_id
from jobdraft.errors import (
    ConfigError,
    InterruptedByUser,
    JobdraftError,
    NoPromptError,
    NotLoggedIn,
    UsageError,
)
from jobdraft.terminal import can_prompt

if TYPE_CHECKING:
    from rich.console import Console

    from jobdraft.session import Session

Json = Any


class JobStatus(str, Enum):
    DRAFT = "DRAFT"
    OPEN = "OPEN"
    ONGOING = "ONGOING"
    COMPLETED = "COMPLETED"
    ARCHIVED = "ARCHIVED"
    PENDING_APPROVAL = "PENDING_APPROVAL"


class Group(TyperGroup):
    """Ctrl-C anywhere becomes our InterruptedByUser, reported by ``main`` like any error."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise InterruptedByUser("interrupted") from None


app = typer.Typer(
    name="jobdraft",
    cls=Group,
    help="From a rough job description to a published OpenTrain job post.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
auth_app = typer.Typer(cls=Group, help="Log in, show who you are, log out.", no_args_is_help=True)
sandbox_app = typer.Typer(
    cls=Group, help="The local copy of the OpenTrain API (no account needed).", no_args_is_help=True
)
app.add_typer(auth_app, name="auth")
app.add_typer(sandbox_app, name="sandbox")


# -- shared state --------------------------------------------------------------------


@dataclass
class AppState:
    """The global options, and the session built from them on first use."""

    base_url: str | None = None
    token: str | None = None
    sandbox: bool = False
    debug: bool = False
    timeout: float = 30.0
    _session: Session | None = field(default=None, repr=False)

    def session(self) -> Session:
        if self._session is None:
            self._session = build_session(self)
        return self._session

    def close(self) -> None:
        if self._session is not None:
            self._session.close()


def stderr_console() -> Console:
    from jobdraft.render import make_console

    return make_console(stderr=True)


def stdout_console() -> Console:
    from jobdraft.render import make_console

    return make_console()


def build_session(state: AppState) -> Session:
    from jobdraft import config
    from jobdraft.cache import Cache
    from jobdraft.client import ApiClient
    from jobdraft.session import Session

    err = stderr_console()

    def on_wait(note: str) -> None:
        err.print(f"[dim]{note}[/dim]")

    debug = (lambda line: err.print(line, markup=False, highlight=False)) if state.debug else None
    timeout = state.timeout
    if state.sandbox:
        from jobdraft.client import embedded_sandbox_transport
        from jobdraft.sandbox import SANDBOX_TOKEN

        try:
            transport = embedded_sandbox_transport()
        except (ValueError, OSError) as exc:
            # A bad JOBDRAFT_SANDBOX_* value, or a store file that is not a database.
            raise ConfigError(
                f"cannot open the embedded sandbox: {exc}",
                hint="check the JOBDRAFT_SANDBOX_* variables, or 'jobdraft sandbox reset'",
            ) from None

        # --token still applies, so that two "accounts" can be tried side by side.
        client = ApiClient(
            "http://sandbox.localhost" + config.API_PATH,
            state.token or SANDBOX_TOKEN,
            transport=transport,
            on_wait=on_wait,
            debug=debug,
            timeout=timeout,
        )
        return Session(client, Cache(), "sandbox")
    settings = resolve_settings(state)
    if not settings.token.value:
        raise NotLoggedIn(
            "no OpenTrain API token found",
            hint="run 'jobdraft auth login', set OT_API_TOKEN, "
            "or add --sandbox to try everything offline",
        )
    config.check_transport_safety(settings.base_url.value or config.DEFAULT_BASE_URL)
    client = ApiClient(
        settings.api_url, settings.token.value, on_wait=on_wait, debug=debug, timeout=timeout
    )
    return Session(client, Cache(), settings.base_url.value or config.DEFAULT_BASE_URL)


def resolve_settings(state: AppState) -> Any:
    from jobdraft import config

    path = config.credentials_path()
    return config.resolve(
        flag_token=state.token,
        flag_base_url=state.base_url,
        env=os.environ,
        file_data=config.read_credentials(path),
        file_label=str(path),
    )


def get_state(ctx: typer.Context) -> AppState:
    state = ctx.find_root().obj
    if not isinstance(state, AppState):
        state = AppState()
        ctx.find_root().obj = state
    return state


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"jobdraft {__version__}")
        raise typer.Exit()


@app.callback()
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
            help="Give up on a silent server after this long. [default: 30; env: JOBDRAFT_TIMEOUT]",
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

    Try it offline: jobdraft --sandbox fill
    """
    state = AppState(base_url=base_url, token=token, sandbox=sandbox, debug=debug, timeout=timeout)
    ctx.obj = state
    ctx.call_on_close(state.close)


# -- helpers for commands ------------------------------------------------------------


def read_answers_file(path: Path) -> dict[str, Json]:
    """An object of key to value, from JSON or TOML (by extension, else sniffed)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    if path.suffix.lower() == ".toml":
        data = _load_toml(text, path)
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            if path.suffix.lower() == ".json":
                raise UsageError(
                    f"{path} is not valid JSON: {exc.msg} (line {exc.lineno})"
                ) from None
            data = _load_toml(text, path)
    if not isinstance(data, dict):
        raise UsageError(f"{path} must hold an object of key to value")
    return data


def _load_toml(text: str, path: Path) -> Any:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path} is not valid JSON or TOML: {exc}") from None


@contextmanager
def interruptible() -> Iterator[None]:
    """Ctrl-C at a click prompt is an interruption (exit 130), not click's "Aborted!" (1)."""
    try:
        yield
    except typer.Abort:
        raise InterruptedByUser("interrupted") from None


# -- commands ------------------------------------------------------------------------

JsonFlag = Annotated[bool, typer.Option("--json", help="Print the raw API answer as JSON.")]
DraftId = Annotated[
    str,
    typer.Argument(metavar="ID", help="The draft's id.", autocompletion=complete_draft_id),
]
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
        str | None, typer.Option("--external-id", help="Your own id for this job.")
    ] = None,
    idempotency_key: Annotated[
        str | None,
        typer.Option("--idempotency-key", help="Repeat a create safely (generated when omitted)."),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Create a draft from a plain job description."""
    from jobdraft.drafting import create_body, read_description

    text = read_description(description, description_file)
    if text is None:
        raise UsageError(
            "no description given",
            hint="use --description TEXT or --description-file PATH ('-' reads stdin)",
        )
    session = get_state(ctx).session()
    draft = session.create(create_body(text, external_id, idempotency_key))
    if as_json:
        from jobdraft.render import print_json

        print_json(draft.raw)
        return
    from jobdraft.render import print_draft

    print_draft(stdout_console(), draft, heading="Draft created.")
    if not draft.ready:
        typer.echo(f"Fill the gaps: jobdraft fill {draft.job_id}")


@app.command()
def show(ctx: typer.Context, job_id: DraftId, as_json: JsonFlag = False) -> None:
    """Show a draft: what is missing, what blocks it, and the fields known so far."""
    session = get_state(ctx).session()
    draft = session.load(job_id)
    if as_json:
        from jobdraft.render import print_json

        print_json(session.last_raw)
        return
    from jobdraft.render import print_draft

    print_draft(stdout_console(), draft)
    if draft.status == "DRAFT":
        step = "publish" if draft.ready else "fill"
        typer.echo(f"Next: jobdraft {step} {job_id}")


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
    from jobdraft.fields import read_answers, read_assignments

    if not assignments and answers_file is None:
        raise UsageError("nothing to set", hint="use --set key=value or --file answers.json")
    session = get_state(ctx).session()
    capabilities = session.capabilities_if_available()
    known = session.known_missing(job_id)
    body: dict[str, Json] = {}
    if answers_file is not None:
        body.update(read_answers(read_answers_file(answers_file), capabilities, known))
    body.update(read_assignments(assignments or [], capabilities, known))
    if dry_run:
        from jobdraft.render import print_json

        print_json(body)
        return
    draft = session.patch(job_id, body)
    if as_json:
        from jobdraft.render import print_json

        print_json(draft.raw)
        return
    from jobdraft.render import print_validation

    print_validation(stdout_console(), draft, just_set=body.keys())


@app.command()
def publish(
    ctx: typer.Context,
    job_id: DraftId,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Publish a draft that is ready."""
    if not yes:
        if not can_prompt():
            raise NoPromptError(
                "publishing needs confirmation, and this is not a terminal",
                hint=f"add --yes: jobdraft publish {job_id} --yes",
            )
        with interruptible():
            go = typer.confirm(f"Publish {job_id} now?", default=False, err=True)
        if not go:
            typer.echo("Not published.", err=True)
            return
    from jobdraft.errors import NotReady

    session = get_state(ctx).session()
    try:
        result = session.publish(job_id)
    except NotReady as exc:
        from jobdraft.client import validation_from_error
        from jobdraft.model import Draft
        from jobdraft.render import print_validation

        validation = validation_from_error(exc)
        if validation is not None:
            console = stderr_console()
            console.print("The draft is not ready; still needed:")
            print_validation(console, Draft(job_id=job_id, validation=validation))
        exc.hint = exc.hint or f"fill the gaps: jobdraft fill {job_id}"
        raise
    if as_json:
        from jobdraft.render import print_json

        print_json(result.raw)
        return
    if result.already_published:
        typer.echo(f"{job_id} was already published.")
    else:
        typer.echo(f"Published {job_id}.")
    if result.job_url:
        typer.echo(result.job_url)
    for warning in result.warnings:
        typer.echo(f"warning: {warning}", err=True)


@app.command("list")
def list_jobs(
    ctx: typer.Context,
    status: Annotated[
        JobStatus | None,
        typer.Option("--status", help="Only jobs with this status.", case_sensitive=False),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """List your jobs, drafts included, newest first."""
    session = get_state(ctx).session()
    jobs = list(session.jobs(status.value if status else None))
    if as_json:
        from jobdraft.render import print_json

        print_json({"jobs": [job.raw for job in jobs], "nextCursor": None})
        return
    from jobdraft.render import print_jobs

    print_jobs(stdout_console(), jobs)


@app.command()
def capabilities(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """What your account may do: features, patchable keys and allowed values."""
    session = get_state(ctx).session()
    caps = session.capabilities(refresh=True)
    if as_json:
        from jobdraft.render import print_json

        print_json(caps.raw)
        return
    from jobdraft.render import print_capabilities

    print_capabilities(stdout_console(), caps)


@app.command()
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
    )
    code = run_fill(get_state(ctx), options)
    if code:
        raise typer.Exit(code)


# -- auth ----------------------------------------------------------------------------


@auth_app.command("login")
def auth_login(
    ctx: typer.Context,
    no_verify: Annotated[
        bool, typer.Option("--no-verify", help="Save the token without checking it.")
    ] = False,
) -> None:
    """Save an API token (read hidden at a terminal, or from stdin)."""
    from jobdraft import config

    state = get_state(ctx)
    if sys.stdin.isatty():
        with interruptible():
            token = typer.prompt("OpenTrain API token", hide_input=True, err=True).strip()
    else:
        token = sys.stdin.readline().strip()
    if not token:
        raise UsageError("no token given", hint="paste it at the prompt, or pipe it on stdin")
    if not token.startswith("ot_pat_"):
        typer.echo("warning: personal tokens usually start with ot_pat_", err=True)
    if not no_verify and not state.sandbox:
        state.token = token
        who = state.session().client.me()
        typer.echo(f"Token works: {describe_actor(who)}", err=True)
    path = config.credentials_path()
    config.save_login(path, token, state.base_url)
    typer.echo(f"Saved to {path} (mode 600; shared with the official OpenTrain CLI).")


def describe_actor(who: Json) -> str:
    if not isinstance(who, dict):
        return "unknown account"
    for part in ("actor", "account"):
        source = who.get(part)
        if not isinstance(source, dict):
            continue
        for key in ("email", "name", "displayName", "id"):
            if source.get(key):
                return str(source[key])
    return "unknown account"


@auth_app.command("status")
def auth_status(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Who the token belongs to, its scopes, and where it came from (masked)."""
    from jobdraft import config

    state = get_state(ctx)
    if state.sandbox:
        from jobdraft.sandbox import SANDBOX_TOKEN

        token_value, token_source, base = SANDBOX_TOKEN, "--sandbox", "embedded sandbox"
    else:
        settings = resolve_settings(state)
        token_value, token_source = settings.token.value, settings.token.source
        base = f"{settings.base_url.value} (from {settings.base_url.source})"
    if not token_value:
        raise NotLoggedIn(
            "not logged in",
            hint="run 'jobdraft auth login', set OT_API_TOKEN, or use --sandbox",
        )
    who = state.session().client.me()
    if as_json:
        from jobdraft.render import print_json

        print_json({**who, "tokenSource": token_source, "baseUrl": base})
        return
    token_info = who.get("token") if isinstance(who.get("token"), dict) else {}
    scopes = token_info.get("scopes") or []
    typer.echo(f"Logged in as: {describe_actor(who)}")
    typer.echo(f"Token: {config.mask_token(token_value)} (from {token_source})")
    typer.echo(f"Scopes: {', '.join(str(s) for s in scopes) or '(none)'}")
    typer.echo(f"API: {base}")


@auth_app.command("logout")
def auth_logout() -> None:
    """Remove the saved token from the credentials file."""
    from jobdraft import config

    path = config.credentials_path()
    if config.forget_login(path):
        typer.echo(f"Removed the token from {path}.")
    else:
        typer.echo("No saved token.")
    still = [name for name in config.TOKEN_ENV_VARS if os.environ.get(name)]
    if still:
        typer.echo(f"Note: {still[0]} still sets a token in this shell.", err=True)


# -- sandbox -------------------------------------------------------------------------


@sandbox_app.command("serve")
def sandbox_serve(
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (0 picks a free one).", min=0, max=65535)] = 8765,
    db: Annotated[
        Path | None, typer.Option(help="SQLite file (default: the embedded store).")
    ] = None,
    memory: Annotated[
        bool, typer.Option("--memory", help="Keep nothing: an in-memory store.")
    ] = False,
    minimal: Annotated[
        bool, typer.Option("--minimal", help="Answer exactly as the public docs show, no extras.")
    ] = False,
    chaos: Annotated[
        float, typer.Option(help="Share of requests that answer 503 (0 to 1).", min=0.0, max=1.0)
    ] = 0.0,
    seed: Annotated[int | None, typer.Option(help="Seed for --chaos.")] = None,
    latency: Annotated[int, typer.Option(help="Added delay per request, in ms.", min=0)] = 0,
    disable_feature: Annotated[
        list[str] | None,
        typer.Option("--disable-feature", help="drafting or publishing (repeatable)."),
    ] = None,
    block_words: Annotated[
        str | None, typer.Option("--block-words", help="Comma-separated words moderation blocks.")
    ] = None,
    claimed: Annotated[
        bool, typer.Option("--claimed", help="Claimed account: 20 publishes a day, not 3.")
    ] = False,
    variant: Annotated[
        list[str] | None,
        typer.Option("--variant", help="Answer in a documented variant form (repeatable)."),
    ] = None,
    allow_remote: Annotated[
        bool, typer.Option("--allow-remote", help="Allow a --host that is not loopback.")
    ] = False,
) -> None:
    """Serve the sandbox over HTTP with waitress (Ctrl-C stops it)."""
    from jobdraft.sandbox.app import SandboxConfig, default_db_path
    from jobdraft.sandbox.server import serve

    features = set(disable_feature or [])
    unknown = features - {"drafting", "publishing"}
    if unknown:
        raise UsageError(
            f"unknown feature {sorted(unknown)[0]!r}", hint="use drafting or publishing"
        )
    if memory and db is not None:
        raise UsageError("give --db or --memory, not both")
    config = SandboxConfig(
        db_path=None if memory else (db or default_db_path()),
        minimal=minimal,
        chaos=chaos,
        seed=seed,
        latency_ms=latency,
        disabled_features=frozenset(features),
        block_words=tuple(w.strip() for w in (block_words or "").split(",") if w.strip()),
        claimed=claimed,
        variants=frozenset(variant or []),
    )
    try:
        serve(config, host, port, allow_remote=allow_remote, echo=typer.echo)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None


@sandbox_app.command("reset")
def sandbox_reset() -> None:
    """Empty the embedded sandbox's store."""
    from jobdraft.sandbox.app import config_from_env, default_db_path
    from jobdraft.sandbox.store import reset

    try:
        # The store --sandbox uses: JOBDRAFT_SANDBOX_DB when set.
        path = config_from_env().db_path or default_db_path()
        reset(path)
    except (ValueError, OSError) as exc:
        raise ConfigError(f"cannot empty the sandbox store: {exc}") from None
    typer.echo(f"Emptied {path}.")


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
