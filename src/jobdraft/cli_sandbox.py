"""``jobdraft sandbox``: serve the local copy of the API, or empty its store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jobdraft.cli_common import Group
from jobdraft.errors import ConfigError, UsageError

sandbox_app = typer.Typer(
    cls=Group, help="The local copy of the OpenTrain API (no account needed).", no_args_is_help=True
)


@sandbox_app.command("serve")
def sandbox_serve(
    host: Annotated[str, typer.Option(metavar="HOST", help="Address to bind.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option(metavar="PORT", help="Port (0 picks a free one).", min=0, max=65535)
    ] = 8765,
    db: Annotated[
        Path | None, typer.Option(metavar="PATH", help="SQLite file (default: the embedded store).")
    ] = None,
    memory: Annotated[
        bool, typer.Option("--memory", help="Keep nothing: an in-memory store.")
    ] = False,
    minimal: Annotated[
        bool, typer.Option("--minimal", help="Answer exactly as the public docs show, no extras.")
    ] = False,
    chaos: Annotated[
        float,
        typer.Option(
            metavar="RATE", help="Share of requests that answer 503 (0 to 1).", min=0.0, max=1.0
        ),
    ] = 0.0,
    seed: Annotated[int | None, typer.Option(metavar="N", help="Seed for --chaos.")] = None,
    latency: Annotated[
        int, typer.Option(metavar="MS", help="Added delay per request, in ms.", min=0)
    ] = 0,
    disable_feature: Annotated[
        list[str] | None,
        typer.Option(
            "--disable-feature", metavar="FEATURE", help="drafting or publishing (repeatable)."
        ),
    ] = None,
    block_words: Annotated[
        str | None,
        typer.Option(
            "--block-words", metavar="WORDS", help="Comma-separated words moderation blocks."
        ),
    ] = None,
    claimed: Annotated[
        bool, typer.Option("--claimed", help="Claimed account: 20 publishes a day, not 3.")
    ] = False,
    variant: Annotated[
        list[str] | None,
        typer.Option(
            "--variant", metavar="NAME", help="Answer in a documented variant form (repeatable)."
        ),
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
