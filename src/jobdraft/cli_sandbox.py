"""``jobdraft sandbox``: serve the local copy of the API, or empty its store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jobdraft.cli_common import Group
from jobdraft.errors import ConfigError, UsageError

# sandbox.app.MAX_LATENCY_MS (a test holds them equal): importing the sandbox
# here would slow down every --help and TAB.
MAX_LATENCY_MS = 3_600_000

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
        bool,
        typer.Option(
            "--minimal",
            help="Serve only what the public docs show: no read route, the small PATCH "
            "answer (validation with field names), no externalId, fieldTypes or "
            "sandbox hints in errors.",
        ),
    ] = False,
    chaos: Annotated[
        float,
        typer.Option(
            metavar="RATE", help="Share of requests that answer 503 (0 to 1).", min=0.0, max=1.0
        ),
    ] = 0.0,
    seed: Annotated[int | None, typer.Option(metavar="N", help="Seed for --chaos.")] = None,
    latency: Annotated[
        int,
        typer.Option(
            metavar="MS", help="Added delay per request, in ms.", min=0, max=MAX_LATENCY_MS
        ),
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
        bool,
        typer.Option(
            "--claimed",
            envvar="JOBDRAFT_SANDBOX_CLAIMED",
            help="Claimed accounts: 20 publishes a day, not 3.",
        ),
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
    from jobdraft.sandbox.store import StoreError
    from jobdraft.sandbox.views import VARIANTS

    features = set(disable_feature or [])
    unknown = features - {"drafting", "publishing"}
    if unknown:
        raise UsageError(
            f"unknown feature {sorted(unknown)[0]!r}", hint="use drafting or publishing"
        )
    for name in variant or []:
        if name not in VARIANTS:
            raise UsageError(f"unknown --variant {name!r}", hint=f"use {', '.join(VARIANTS)}")
    # click's range check lets NaN through: it compares false with both ends.
    if not 0.0 <= chaos <= 1.0:
        raise UsageError(f"--chaos must be a number from 0 to 1, not {chaos}")
    if memory and db is not None:
        raise UsageError("give --db or --memory, not both")
    try:
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
        serve(config, host, port, allow_remote=allow_remote, echo=typer.echo)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    except StoreError as exc:
        hint = "'jobdraft sandbox reset' empties the default store" if db is None else None
        raise ConfigError(f"cannot open the sandbox store: {exc}", hint=hint) from None
    except OSError as exc:
        raise UsageError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None


@sandbox_app.command("reset")
def sandbox_reset(
    publish_count: Annotated[
        bool,
        typer.Option(
            "--publish-count", help="Clear only the publish count (the daily limit); keep drafts."
        ),
    ] = False,
) -> None:
    """Empty the embedded sandbox's store (a damaged one is moved aside)."""
    from jobdraft.sandbox.app import default_db_path, env_db_path
    from jobdraft.sandbox.store import NotSandboxStore, reset

    # The store --sandbox uses: JOBDRAFT_SANDBOX_DB when set.  Only that
    # variable matters here: a bad JOBDRAFT_SANDBOX_CHAOS must not stop a reset.
    try:
        named = env_db_path()
        path = named or default_db_path()
    except ValueError as exc:  # no home folder to put the default store in
        raise ConfigError(str(exc)) from None
    try:
        # Only the default path is ours by place: a file the user named may
        # be anything, and is moved aside only when it carries our mark.
        moved = reset(path, ours_by_place=named is None, count_only=publish_count)
    except NotSandboxStore as exc:
        raise ConfigError(
            f"refusing to reset: {exc}",
            hint="point JOBDRAFT_SANDBOX_DB at a sandbox store, or at a path that does not exist",
        ) from None
    except OSError as exc:
        raise ConfigError(f"cannot empty the sandbox store: {exc}") from None
    if moved is not None:
        typer.echo(
            f"{path} was not a usable sandbox database; moved it aside to {moved}.", err=True
        )
    if publish_count and moved is None:
        typer.echo(f"Cleared the publish count of {path}; drafts are kept.")
    else:
        typer.echo(f"Emptied {path}.")
