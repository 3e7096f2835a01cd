"""Completion callbacks: they read the local cache only, never the network.

Every TAB and every ``--help`` imports ``jobdraft.cli``, which imports this
module: so it imports our cache and the pure ``fields`` only inside the
callbacks, where a TAB needs them, and reads the cached capabilities JSON
itself rather than through ``model`` (whose dataclasses cost a TAB several
milliseconds to create).  Every callback swallows its own failures: a broken
cache means no suggestions, never a traceback.

The callbacks return candidates as whole words (``experienceLevel=EXPERT``,
not ``EXPERT``): each shell script then shows or inserts them its own way
(``completion_install`` holds the scripts).  Enum values and keys match the
typed prefix case-insensitively; Typer's own wrapper would drop those
candidates (it filters with a case-sensitive ``startswith``), so the
callbacks also leave their answer in ``ctx.meta[OFFERED]``, where our shell
classes take it unfiltered.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from typing import Any

Json = Any

# ctx.meta key under which a callback leaves its candidates, unfiltered.
OFFERED = "jobdraft.completion.offered"

SANDBOX_ORIGIN = "sandbox"
MAX_TITLE = 60

_RAW_JSON = re.compile(r"^[^=:]+:")


class Schema:
    """The patchable keys and allowed values, from cached capabilities JSON."""

    __slots__ = ("enums", "keys", "types")

    def __init__(
        self,
        keys: tuple[str, ...] = (),
        enums: dict[str, tuple[str, ...]] | None = None,
        types: dict[str, str] | None = None,
    ) -> None:
        self.keys = keys
        self.enums = enums or {}
        self.types = types or {}

    @classmethod
    def from_capabilities(cls, raw: Json) -> Schema:
        """Read as ``model.Capabilities`` reads it, tolerant of anything (a test holds
        the two in step); parsed here so that a TAB does not import ``model``."""
        draft = raw.get("draft") if isinstance(raw, dict) else None
        if not isinstance(draft, dict):
            return cls()
        keys = tuple(k for k in _strings(draft.get("updateKeys")) if k and k != "...")
        given = draft.get("enums")
        enums = (
            {str(k): values for k, v in given.items() if (values := _strings(v))}
            if isinstance(given, dict)
            else {}
        )
        given_types = draft.get("fieldTypes")
        types = (
            {str(k): v for k, v in given_types.items() if isinstance(v, str) and v}
            if isinstance(given_types, dict)
            else {}
        )
        return cls(keys, enums, types)

    def patchable(self) -> tuple[str, ...]:
        """The server's keys when cached, else the documented ones (as ``fields.known_keys``)."""
        from jobdraft.fields import DOCUMENTED_TYPES

        return self.keys or tuple(DOCUMENTED_TYPES)

    def choices(self, key: str) -> tuple[str, tuple[str, ...]]:
        """The key's type and allowed values, as ``fields.spec_for`` gives them."""
        from jobdraft.fields import DOCUMENTED_ENUMS, DOCUMENTED_TYPES, KNOWN_TYPES

        server_enums = self.enums.get(key)
        values = server_enums or DOCUMENTED_ENUMS.get(key) or ()
        documented = DOCUMENTED_TYPES.get(key)
        if key in self.types:
            kind = self.types[key] if self.types[key] in KNOWN_TYPES else "string"
        elif server_enums:
            kind = "array" if documented == "array" else "enum"
        else:
            kind = documented or ("enum" if values else "string")
        return kind, values if kind in ("enum", "array") else ()


def _strings(value: Json) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(str(item) for item in value if isinstance(item, (str, int, float)))


def assignment_candidates(
    incomplete: str, schema: Schema, already_set: Iterable[str] = ()
) -> list[str]:
    """What ``--set INCOMPLETE<TAB>`` offers, as whole words.

    Before the ``=``: the patchable keys not set yet, as ``key=`` (the value
    follows).  After it: the allowed values of an enum key, or of the item
    after the last comma for an array of enum values.  Nothing for free text,
    numbers and ``key:=JSON``: the shell must not fall back to file names.
    """
    keys = schema.patchable()
    if "=" not in incomplete:
        if ":" in incomplete:
            return []
        folded = incomplete.lower()
        done = {key.lower() for key in already_set}
        return [
            f"{key}=" for key in keys if key.lower().startswith(folded) and key.lower() not in done
        ]
    name, _, value = incomplete.partition("=")
    if _RAW_JSON.match(incomplete):
        return []  # key:=JSON is typed by hand
    key = _canonical_key(name, keys)
    if key is None:
        return []
    kind, choices = schema.choices(key)
    if kind == "boolean":
        choices = ("true", "false")  # what --set reads as yes/no
    if not choices:
        return []
    head = ""
    if kind == "array":
        head, comma, value = value.rpartition(",")
        head += comma
        chosen = {item.strip().lower() for item in head.split(",")}
        choices = tuple(c for c in choices if c.lower() not in chosen)
    folded = value.lower()
    return [f"{key}={head}{choice}" for choice in choices if choice.lower().startswith(folded)]


def _canonical_key(name: str, keys: Iterable[str]) -> str | None:
    from jobdraft.fields import DOCUMENTED_TYPES

    folded = name.strip().lower()
    for key in (*keys, *DOCUMENTED_TYPES):
        if key.lower() == folded:
            return key
    return None


# Commands that work on drafts only: a published job is no answer there.
DRAFT_ONLY_COMMANDS = frozenset({"patch", "publish", "fill"})


def draft_candidates(
    incomplete: str,
    drafts: Iterable[dict[str, Json]],
    sandbox: bool | None = None,
    drafts_only: bool = False,
    origin: str | None = None,
) -> list[tuple[str, str]]:
    """``(id, description)`` for the cached drafts whose id starts with ``incomplete``.

    Newest first, as the cache gives them.  With ``sandbox`` known, only the
    drafts of that world: a sandbox id means nothing to the real API; with
    ``origin`` known too (the API the command would talk to), only its drafts.
    With ``drafts_only``, jobs known to be past the draft stage are left out.
    """
    out: list[tuple[str, str]] = []
    for entry in drafts:
        job_id = entry.get("id")
        if not isinstance(job_id, str) or not job_id.startswith(incomplete):
            continue
        if sandbox is not None and (entry.get("origin") == SANDBOX_ORIGIN) != sandbox:
            continue
        if origin is not None and not sandbox and entry.get("origin") != origin:
            continue
        if drafts_only and entry.get("status") not in (None, "DRAFT"):
            continue
        out.append((job_id, describe_draft(entry)))
    return out


def describe_draft(entry: dict[str, Json]) -> str:
    """One line for a completion menu: the title, and the status when known."""
    title = entry.get("title")
    text = " ".join(str(title).split()) if title else "(untitled)"
    if len(text) > MAX_TITLE:
        text = text[: MAX_TITLE - 1].rstrip() + "…"
    status = entry.get("status")
    return f"{text} [{status}]" if isinstance(status, str) and status else text


def _sandbox_flag(ctx: Any) -> bool | None:
    try:
        value = ctx.find_root().params.get("sandbox")
    except Exception:
        return None
    return value if isinstance(value, bool) else None


def _api_origin(ctx: Any) -> str | None:
    """The API origin the command would use (as the session names it), or None if unsure.

    Reads the same settings as a real run (--base-url, the environment, the
    credentials file), never the network; a setting that would be refused
    means no filtering rather than no ids.
    """
    try:
        from jobdraft import config

        path = config.credentials_path()
        settings = config.resolve(
            flag_token=None,
            flag_base_url=ctx.find_root().params.get("base_url"),
            env=os.environ,
            file_data=config.read_credentials(path),
            file_label=str(path),
        )
        return settings.base_url.value or config.DEFAULT_BASE_URL
    except Exception:
        return None


def _keys_already_set(ctx: Any) -> set[str]:
    """Keys of the ``--set`` values parsed so far on this command line."""
    found: set[str] = set()
    params = getattr(ctx, "params", None)
    if not isinstance(params, dict):
        return found
    for value in params.values():
        if isinstance(value, (list, tuple)):
            for item in value:
                if isinstance(item, str) and "=" in item:
                    found.add(item.partition("=")[0].rstrip(":").strip())
    return found


def _offer(ctx: Any, candidates: list[Any]) -> None:
    meta = getattr(ctx, "meta", None)
    if isinstance(meta, dict):
        meta[OFFERED] = candidates


# -- the callbacks cli.py wires with autocompletion= ----------------------------------


def complete_draft_id(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    try:
        from jobdraft.cache import Cache

        drafts_only = getattr(getattr(ctx, "command", None), "name", None) in DRAFT_ONLY_COMMANDS
        sandbox = _sandbox_flag(ctx)
        origin = None if sandbox else _api_origin(ctx)
        return draft_candidates(incomplete, Cache().drafts(), sandbox, drafts_only, origin)
    except Exception:
        return []


def complete_assignment(ctx: Any, incomplete: str) -> list[str]:
    try:
        from jobdraft.cache import Cache

        schema = Schema.from_capabilities(Cache().any_capabilities())
        offered = assignment_candidates(incomplete, schema, _keys_already_set(ctx))
        _offer(ctx, offered)
        return offered
    except Exception:
        return []
