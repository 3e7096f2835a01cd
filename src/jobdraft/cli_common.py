"""What every command module shares: the global options' state, the session
built from it, consoles, Ctrl-C handling, and the option types used twice.

Imported at every start-up (``--help``, each TAB), so everything heavy is
imported inside the functions that need it.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from jobdraft.completion import complete_draft_id
from jobdraft.errors import ConfigError, InterruptedByUser, NotLoggedIn, UsageError
from jobdraft.inert import inert
from jobdraft.json_types import Json

if TYPE_CHECKING:
    from rich.console import Console

    from jobdraft.commands import CommandIO
    from jobdraft.config import Settings
    from jobdraft.session import Session


# The root's options that every command takes, before or after its name (as
# gh and kubectl take theirs): flags, and options that take one value.
GLOBAL_FLAGS = ("--sandbox", "--debug")
GLOBAL_VALUED = ("--base-url", "--token", "--timeout")
FIRST_COMMANDS = ("fill",)  # listed first in --help: where a newcomer starts


class Group(TyperGroup):
    """Ctrl-C anywhere becomes our InterruptedByUser, reported by ``main`` like any error.

    At the root it also takes the global options anywhere on the line, lists
    ``fill`` first, and shows its help (exit 0) when run with no arguments.
    """

    # Any: typer's Group.invoke takes its vendored click Context and returns what the command does.
    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise InterruptedByUser("interrupted") from None

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if ctx.parent is None:
            if not args and not ctx.resilient_parsing:
                # Bare ``jobdraft`` is a request for help, not a mistake (click says exit 2).
                typer.echo(ctx.get_help())
                ctx.exit(0)
            args = hoist_global_options(self, ctx, args)
        result: list[str] = super().parse_args(ctx, args)
        return result

    def list_commands(self, ctx: Any) -> list[str]:
        names: list[str] = super().list_commands(ctx)
        return sorted(names, key=lambda name: name not in FIRST_COMMANDS)  # stable


def hoist_global_options(root: Any, ctx: Any, args: list[str]) -> list[str]:
    """``args`` with the global options (and their values) moved in front of the command.

    Click takes a group's options only before the subcommand's name; a pasted
    ``jobdraft fill ID --sandbox`` must work too.  The line is walked as click
    would: an option of the command reached so far keeps its value in place
    (``--set --sandbox`` sets a value; it is not the flag), a command's own
    option of the same name stays its own, and nothing after ``--`` moves.
    """
    front: list[str] = []
    rest: list[str] = []
    command = root
    index = 0
    while index < len(args):
        word = args[index]
        name, has_value, _ = word.partition("=")
        index += 1
        if word == "--":
            rest.extend(args[index - 1 :])
            break
        if not word.startswith("-") or word == "-":
            rest.append(word)
            if hasattr(command, "get_command"):
                command = command.get_command(ctx, word) or command
            continue
        own = takes_value(command, name) if command is not root else None
        if own is None and name in GLOBAL_FLAGS and not has_value:
            front.append(word)
        elif own is None and name in GLOBAL_VALUED:
            if not has_value and index == len(args):
                if ctx.resilient_parsing:
                    rest.append(word)  # completing its value: leave the line as typed
                    continue
                ctx.fail(f"Option '{name}' requires an argument.")
            front.append(word)
            if not has_value:
                front.append(args[index])
                index += 1
        else:
            rest.append(word)
            if own and not has_value and not _joined_short_value(word) and index < len(args):
                rest.append(args[index])  # the option's value, whatever it looks like
                index += 1
    return front + rest


def show_global_options_in_help(root: Any) -> None:
    """Every command's ``--help`` ends with the global options, where a user looks for them.

    They are the root's own options (one definition, one help text); each
    command's help formats them at its own width, after its options.
    """
    names = set(GLOBAL_FLAGS + GLOBAL_VALUED)
    for command in _subcommands(root):
        original = command.format_epilog

        def format_epilog(ctx: Any, formatter: Any, original: Any = original) -> None:
            top = ctx.find_root()
            rows = [
                param.get_help_record(top)
                for param in top.command.params
                if names & set(getattr(param, "opts", ()))
            ]
            with formatter.section("Global options (before or after the command)"):
                formatter.write_dl([row for row in rows if row is not None])
            original(ctx, formatter)

        # An instance attribute: the commands are click's objects, built by typer.
        setattr(command, "format_epilog", format_epilog)  # noqa: B010


def _subcommands(group: Any) -> Iterator[Any]:
    for command in getattr(group, "commands", {}).values():
        yield command
        yield from _subcommands(command)


def takes_value(command: Any, name: str) -> bool | None:
    """Whether ``command``'s option ``name`` takes a value; None when it has no such option."""
    for param in getattr(command, "params", ()):
        if name in (*getattr(param, "opts", ()), *getattr(param, "secondary_opts", ())):
            if param.param_type_name != "option":
                return None
            return not (param.is_flag or param.count)
    return None


def _joined_short_value(word: str) -> bool:
    """``-dTEXT``: a short option with its value in the same word."""
    return not word.startswith("--") and len(word) > 2


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


def remember_api_options(state: AppState) -> None:
    """Next-step lines printed by this run reach the same API when pasted (``hints``)."""
    from jobdraft import hints
    from jobdraft.config import BASE_URL_ENV_VARS

    base_url = state.base_url
    if base_url is None:
        # An address from the environment is carried too: the pasted line may
        # run where the variable is not set.  One from the login file is not.
        base_url = next(
            (os.environ[n].strip() for n in BASE_URL_ENV_VARS if os.environ.get(n, "").strip()),
            None,
        )
    hints.set_api_options(sandbox=state.sandbox, base_url=base_url)


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
    from jobdraft.render import print_debug, print_note
    from jobdraft.session import Session

    err = stderr_console()

    def on_wait(note: str) -> None:
        print_note(err, note)  # the note quotes the server's status line: never markup

    debug = (lambda line: print_debug(err, line)) if state.debug else None
    timeout = state.timeout
    if state.sandbox:
        from jobdraft.client import embedded_sandbox_transport
        from jobdraft.sandbox import SANDBOX_TOKEN
        from jobdraft.sandbox.store import NotSandboxStore

        try:
            transport = embedded_sandbox_transport()
        except NotSandboxStore as exc:
            # Another program's file: a reset would refuse it too, and must.
            if os.environ.get("JOBDRAFT_SANDBOX_DB"):
                hint = (
                    "point JOBDRAFT_SANDBOX_DB at another file (a new one is created), "
                    "or unset it to use the default store"
                )
            else:
                hint = (
                    "that file is not the sandbox's: move it away, "
                    "or set JOBDRAFT_SANDBOX_DB to another file"
                )
            raise ConfigError(f"cannot open the embedded sandbox: {exc}", hint=hint) from None
        except (ValueError, OSError) as exc:
            # A bad JOBDRAFT_SANDBOX_* value, or a damaged store file.
            raise ConfigError(
                f"cannot open the embedded sandbox: {exc}",
                hint="check the JOBDRAFT_SANDBOX_* variables, or 'jobdraft sandbox reset'",
            ) from None

        # --token still applies, so that two "accounts" can be tried side by side.
        token = config.check_token(state.token, "--token") if state.token else SANDBOX_TOKEN
        client = ApiClient(
            "http://sandbox.localhost" + config.API_PATH,
            token,
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


def resolve_settings(state: AppState) -> Settings:
    from jobdraft import config

    path = config.credentials_path()
    return config.resolve(
        flag_token=state.token,
        flag_base_url=state.base_url,
        env=os.environ,
        file_data=config.read_credentials(path),
        file_label=str(path),
    )


def command_io(ctx: typer.Context) -> CommandIO:
    """The real terminal and the session of the global options, for a ``run_*`` function."""
    from jobdraft.commands import CommandIO
    from jobdraft.terminal import can_prompt

    def confirm(question: str) -> bool:
        with interruptible():
            return typer.confirm(question, default=False, err=True)

    return CommandIO(
        session=get_state(ctx).session,
        out=stdout_console(),
        err=stderr_console(),
        can_prompt=can_prompt,
        confirm=confirm,
        say=echo_line,
        say_err=lambda text: echo_line(text, err=True),
    )


def echo_line(text: str, *, err: bool = False) -> None:
    """A plain line of a command, on stdout or stderr.

    It carries ids, URLs and warnings from the server: made inert here, once.
    At a terminal it is folded at words (``prose.fold``), so the terminal's
    edge cuts neither a word nor a command to paste; into a pipe it stays one
    line, for grep and scripts.
    """
    from jobdraft.prose import fold

    line = inert(text)
    stream = sys.stderr if err else sys.stdout
    if stream.isatty():
        line = "\n".join(fold(line, shutil.get_terminal_size().columns))
    typer.echo(line, err=err)


def get_state(ctx: typer.Context) -> AppState:
    state = ctx.find_root().obj
    if not isinstance(state, AppState):
        state = AppState()
        ctx.find_root().obj = state
    return state


def read_answers_file(path: Path) -> dict[str, Json]:
    """An object of key to value, from JSON or TOML (by extension, else sniffed).

    Read through ``read_limited`` (a device or an endless file is refused, not
    read into memory), then every value is checked as JSON the API can take
    (``fields.check_json_value``): no TOML date, NaN, infinity, huge integer
    or deep nesting ever reaches a request or a traceback.
    """
    from jobdraft.drafting import read_limited
    from jobdraft.fields import check_json_value, parse_json

    try:
        text = read_limited(path, hint="an answers file holds a few keys and values").decode(
            "utf-8"
        )
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not UTF-8 text", hint="give a JSON or TOML file") from None
    if path.suffix.lower() == ".toml":
        data = _load_toml(text, path)
    else:
        try:
            data = parse_json(text, str(path))
        except json.JSONDecodeError as exc:
            if path.suffix.lower() == ".json":
                raise UsageError(
                    f"{path} is not valid JSON: {exc.msg} (line {exc.lineno})"
                ) from None
            data = _load_toml(text, path)
    if not isinstance(data, dict):
        raise UsageError(f"{path} must hold an object of key to value")
    check_json_value(data, str(path))
    return data


def _load_toml(text: str, path: Path) -> Json:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]
    import math

    from jobdraft.fields import MAX_INT_DIGITS, MAX_JSON_DEPTH

    def finite(digits: str) -> float:
        number = float(digits)
        if not math.isfinite(number):
            raise UsageError(
                f"{path}: {digits} is not a number JSON can carry",
                hint="JSON numbers are finite, such as 18 or 2.5",
            )
        return number

    try:
        return tomllib.loads(text, parse_float=finite)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path} is not valid JSON or TOML: {exc}") from None
    except RecursionError:
        raise UsageError(
            f"{path} is nested too deeply (more than {MAX_JSON_DEPTH} levels)"
        ) from None
    except ValueError:
        # tomllib lets int()'s own refusal of a decimal over 4,300 digits through.
        raise UsageError(f"{path}: an integer has more than {MAX_INT_DIGITS:,} digits") from None


@contextmanager
def interruptible() -> Iterator[None]:
    """Ctrl-C at a click prompt is an interruption (exit 130), not click's "Aborted!" (1)."""
    try:
        yield
    except typer.Abort:
        raise InterruptedByUser("interrupted") from None


JsonFlag = Annotated[bool, typer.Option("--json", help="Print the raw API answer as JSON.")]
DraftId = Annotated[
    str,
    typer.Argument(metavar="ID", help="The draft's id.", autocompletion=complete_draft_id),
]
