"""``jobdraft auth``: log in, say who the token belongs to, log out."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from jobdraft.cli_common import Group, JsonFlag, get_state, interruptible, resolve_settings
from jobdraft.errors import NotLoggedIn, UsageError
from jobdraft.inert import inert
from jobdraft.json_types import Json

auth_app = typer.Typer(cls=Group, help="Log in, show who you are, log out.", no_args_is_help=True)


@auth_app.command("login")
def auth_login(
    ctx: typer.Context,
    no_verify: Annotated[
        bool, typer.Option("--no-verify", help="Save the token without checking it.")
    ] = False,
) -> None:
    """Save an API token (read hidden at a terminal, or from stdin).

    The token is saved with the server it is for: --base-url, else
    OT_API_BASE_URL (or the other base URL variables), else app.opentrain.ai.
    """
    from jobdraft import config

    state = get_state(ctx)
    # Checked before the token is read, so that a bad URL costs no typing; the
    # file's own baseUrl is never used: it belongs to the login being replaced.
    server = config.origin_for_login(state.base_url, os.environ)
    if sys.stdin.isatty():
        with interruptible():
            token = typer.prompt("OpenTrain API token", hide_input=True, err=True).strip()
    else:
        token = sys.stdin.readline().strip()
    if not token:
        raise UsageError("no token given", hint="paste it at the prompt, or pipe it on stdin")
    token = config.check_token(token, "the prompt or stdin")
    if not token.startswith("ot_pat_"):
        typer.echo("warning: personal tokens usually start with ot_pat_", err=True)
    if not no_verify and not state.sandbox:
        state.token = token
        state.base_url = server.value  # the server the token is checked against and saved for
        who = state.session().client.me()
        typer.echo(f"Token works: {inert(describe_actor(who))}", err=True)
    path = config.credentials_path()
    config.save_login(path, token, server.value or config.DEFAULT_BASE_URL)
    where = "" if server.source == "default" else f" (from {server.source})"
    typer.echo(
        f"Saved to {path} for {server.value}{where} "
        "(mode 600; shared with the official OpenTrain CLI)."
    )


def _text(source: Json, key: str) -> str | None:
    value = source.get(key) if isinstance(source, dict) else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def actor_name(who: Json) -> str | None:
    """The user's name as ``GET /auth/me`` documents it: ``actor.fullName``,
    else ``firstName lastName``."""
    actor = who.get("actor") if isinstance(who, dict) else None
    full = _text(actor, "fullName")
    if full:
        return full
    parts = [part for part in (_text(actor, "firstName"), _text(actor, "lastName")) if part]
    return " ".join(parts) or None


def actor_email(who: Json) -> str | None:
    return _text(who.get("actor") if isinstance(who, dict) else None, "email")


def describe_actor(who: Json) -> str:
    """ "Ada Lovelace <ada@example.com>", or what there is of it."""
    name, email = actor_name(who), actor_email(who)
    if name and email:
        return f"{name} <{email}>"
    if name or email:
        return str(name or email)
    # Not the documented shape: any id the answer gives is better than nothing.
    for part in ("actor", "account"):
        source = who.get(part) if isinstance(who, dict) else None
        for key in ("name", "displayName", "userId", "id"):
            found = _text(source, key)
            if found:
                return found
    return "unknown account"


@auth_app.command("status")
def auth_status(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Who the token belongs to, its scopes, and where it came from (masked)."""
    from jobdraft import config

    state = get_state(ctx)
    token_value: str | None
    if state.sandbox:
        from jobdraft.sandbox import SANDBOX_TOKEN

        token_value, token_source, base = SANDBOX_TOKEN, "--sandbox", "embedded sandbox"
    else:
        settings = resolve_settings(state)
        token_value, token_source = settings.token.value, settings.token.source
        base = f"{settings.base_url.value} (from {settings.base_url.source})"
    if not as_json:
        # First, and before the request: which server is asked is what matters
        # most when the answer is a surprise (or never comes).
        typer.echo(f"Server: {base}")
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
    name, email = actor_name(who), actor_email(who)
    typer.echo(f"Logged in as: {inert(name or describe_actor(who))}")
    if email:
        typer.echo(f"Email: {inert(email)}")
    typer.echo(f"Token: {config.mask_token(token_value)} (from {token_source})")
    typer.echo(f"Scopes: {inert(', '.join(str(s) for s in scopes)) or '(none)'}")


@auth_app.command("logout")
def auth_logout() -> None:
    """Remove the saved token and base URL (the credentials file goes, as with the official CLI)."""
    from jobdraft import config

    path = config.credentials_path()
    done = config.forget_login(path)
    if not done.found:
        typer.echo("No saved token.")
    elif done.kept_claim:
        removed = (
            "Removed the token and base URL"
            if done.had_token
            else "No saved token; removed everything else"
        )
        typer.echo(
            f"{removed} from {path}; kept the pending claimToken, which is all the file holds now."
        )
    elif done.had_token:
        typer.echo(f"Logged out: removed {path}.")
    else:
        typer.echo(f"No saved token; removed {path}.")
    still = [name for name in config.TOKEN_ENV_VARS if os.environ.get(name)]
    if still:
        typer.echo(f"Note: {still[0]} still sets a token in this shell.", err=True)
