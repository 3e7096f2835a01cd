"""What every command module shares: the global options' state, the session
built from it, consoles, Ctrl-C handling, and the option types used twice.

Imported at every start-up (``--help``, each TAB), so everything heavy is
imported inside the functions that need it.
"""

from __future__ import annotations

import json
import os
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

if TYPE_CHECKING:
    from rich.console import Console

    from jobdraft.commands import CommandIO
    from jobdraft.config import Settings
    from jobdraft.session import Session

Json = Any


class Group(TyperGroup):
    """Ctrl-C anywhere becomes our InterruptedByUser, reported by ``main`` like any error."""

    # Any: typer's Group.invoke takes its vendored click Context and returns what the command does.
    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise InterruptedByUser("interrupted") from None


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
        # Plain lines carry ids, URLs and warnings from the server: made inert here, once.
        say=lambda text: typer.echo(inert(text)),
        say_err=lambda text: typer.echo(inert(text), err=True),
    )


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


def _load_toml(text: str, path: Path) -> Any:
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
