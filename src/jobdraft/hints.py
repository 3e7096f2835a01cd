"""Command lines printed as next steps ("Continue with: jobdraft fill ID"), built once.

A printed command must work when pasted.  So it carries what made this run
reach its API: ``--sandbox`` when the run used the embedded sandbox (by flag
or ``JOBDRAFT_SANDBOX``), ``--base-url URL`` when the address came from a
flag or an environment variable (a pasted line may run in another shell, or
after the variable is gone); never the token.  Every word is quoted for a
POSIX shell, so an id or URL a server chose cannot run anything.

Standard library only: every layer may import it.
"""

from __future__ import annotations

import shlex

# One run, one API: a list holding the current options (mutated, not rebound).
_api_options: list[str] = []


def set_api_options(*, sandbox: bool, base_url: str | None = None) -> None:
    """Record how this run reaches its API (called once, where the session is built).

    ``base_url`` is given only when it came from a flag or the environment;
    one read from the credentials file is found again by the pasted command.
    """
    if sandbox:
        _api_options[:] = ["--sandbox"]
    elif base_url:
        _api_options[:] = ["--base-url", base_url]
    else:
        _api_options.clear()


def api_options() -> tuple[str, ...]:
    return tuple(_api_options)


def command(*words: str) -> str:
    """``jobdraft`` with this run's API options and ``words``, each quoted for a shell."""
    return shlex.join(("jobdraft", *_api_options, *words))
