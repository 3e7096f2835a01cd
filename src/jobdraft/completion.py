"""What a TAB offers: read from the local cache only, never the network.

Two paths use this module: the Typer callbacks below (the full app), and
``completion_fast``, which answers most TABs before Typer is imported.  So it
imports the standard library only (no ``re``, not even ``json``: it reads
JSON with ``json_read``), and the generated ``completion_table`` for the
documented keys.  Every callback swallows its own failures: a broken cache
means no suggestions, never a traceback.

Ids and values come from servers: one holding a control character is never
offered (the bash script quotes the rest, as ``printf %q`` does), and ids
and capabilities are offered only for the API origin they were cached from,
derived from the command line, the environment and the credentials file as
a run derives it (:func:`resolve_origin`).

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

from jobdraft.completion_table import DOCUMENTED_ENUMS, DOCUMENTED_TYPES, KNOWN_TYPES
from jobdraft.inert import has_control, inert
from jobdraft.json_read import loads

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing and collections.abc cost a TAB milliseconds
    from collections.abc import Iterable, Mapping
    from typing import Any

    from jobdraft.json_types import Json
else:  # Typer reads the callbacks' annotations at run time
    Any = Json = object

# ctx.meta key under which a callback leaves its candidates, unfiltered.
OFFERED = "jobdraft.completion.offered"

SANDBOX_ORIGIN = "sandbox"
MAX_TITLE = 60


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

    @classmethod
    def from_index(cls, index: Json) -> Schema:
        """Read the cache's schema index (``Cache.schema``): the same three parts."""
        if not isinstance(index, dict):
            return cls()
        return cls.from_capabilities(
            {
                "draft": {
                    "updateKeys": index.get("keys"),
                    "enums": index.get("enums"),
                    "fieldTypes": index.get("types"),
                }
            }
        )

    def patchable(self) -> tuple[str, ...]:
        """The server's keys when cached, else the documented ones (as ``fields.known_keys``)."""
        return self.keys or tuple(DOCUMENTED_TYPES)

    def choices(self, key: str) -> tuple[str, tuple[str, ...]]:
        """The key's type and allowed values, as ``fields.spec_for`` gives them."""
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
            f"{key}="
            for key in keys
            if key.lower().startswith(folded) and key.lower() not in done and not _has_control(key)
        ]
    name, _, value = incomplete.partition("=")
    if ":" in name and not name.startswith(":"):
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
    return [
        f"{key}={head}{choice}"
        for choice in choices
        if choice.lower().startswith(folded) and not _has_control(choice)
    ]


def _canonical_key(name: str, keys: Iterable[str]) -> str | None:
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
    describe: bool = True,
) -> list[tuple[str, str]]:
    """``(id, description)`` for the cached drafts whose id starts with ``incomplete``.

    Newest first, as the cache gives them.  With ``sandbox`` known, only the
    drafts of that world; with ``origin`` known (the API the command would
    talk to), only the drafts cached from it.  With ``drafts_only``, jobs known
    to be past the draft stage are left out.  An id holding a control
    character is never offered.
    """
    out: list[tuple[str, str]] = []
    for entry in drafts:
        job_id = entry.get("id")
        if not isinstance(job_id, str) or not job_id.startswith(incomplete):
            continue
        if not job_id or _has_control(job_id):
            continue
        if sandbox is not None and (entry.get("origin") == SANDBOX_ORIGIN) != sandbox:
            continue
        if origin is not None and entry.get("origin") != origin:
            continue
        if drafts_only and entry.get("status") not in (None, "DRAFT"):
            continue
        out.append((job_id, describe_draft(entry) if describe else ""))
    return out


def _has_control(text: str) -> bool:
    # isprintable() runs in C and is False for every control character: the
    # character-by-character check runs only on text that may hold one.
    return not text.isprintable() and has_control(text)


def describe_draft(entry: dict[str, Json]) -> str:
    """One line for a completion menu: the title, and the status when known."""
    title = entry.get("title")
    text = " ".join(str(title).split()) if title else "(untitled)"
    if len(text) > MAX_TITLE:
        text = text[: MAX_TITLE - 1].rstrip() + "…"
    status = entry.get("status")
    described = f"{text} [{status}]" if isinstance(status, str) and status else text
    return described if described.isprintable() else inert(described)


# -- which API a command line talks to ---------------------------------------------------

DEFAULT_BASE_URL = "https://app.opentrain.ai"  # config.DEFAULT_BASE_URL (a test holds them equal)
BASE_URL_ENV_VARS = ("OT_API_BASE_URL", "OPENTRAIN_API_BASE_URL", "OPENTRAIN_BASE_URL")
# How click reads a boolean from JOBDRAFT_SANDBOX.
_TRUE = frozenset({"1", "true", "t", "yes", "y", "on"})
_FALSE = frozenset({"0", "false", "f", "no", "n", "off", ""})


class Unsure(Exception):
    """The line or the settings say something completion does not read the way a run would."""


def sandbox_from_env(env: Mapping[str, str]) -> bool:
    value = env.get("JOBDRAFT_SANDBOX")
    if value is None:
        return False
    folded = value.strip().lower()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise Unsure("JOBDRAFT_SANDBOX")


def _xdg(env: Mapping[str, str], name: str, fallback: str) -> str:
    # As config._xdg, with os.path (pathlib costs a TAB milliseconds): a
    # relative value is ignored.  A test holds the two equal.
    value = env.get(name)
    if value and os.path.isabs(value):  # noqa: PTH117
        return value
    return os.path.join(os.path.expanduser("~"), fallback)  # noqa: PTH111, PTH118


def credentials_path(env: Mapping[str, str]) -> str:
    return os.path.join(_xdg(env, "XDG_CONFIG_HOME", ".config"), "opentrain", "cli.json")  # noqa: PTH118


def cache_directory(env: Mapping[str, str]) -> str:
    return os.path.join(_xdg(env, "XDG_CACHE_HOME", ".cache"), "jobdraft")  # noqa: PTH118


def _usable_base_url(value: str) -> str:
    """``value`` stripped, if a run would accept it, else Unsure: then nothing is offered.

    Looser than ``config.check_base_url``: a URL it refuses never had a cache entry.
    """
    url = value.strip()
    rest = url.partition("://")[2]
    if not url.startswith(("https://", "http://")) or not rest or rest[0] in "/?#":
        raise Unsure("base URL")
    if any(char.isspace() or not char.isprintable() or char in "?#@" for char in url):
        raise Unsure("base URL")
    return url


def resolve_origin(sandbox: bool, flag_base_url: str | None, env: Mapping[str, str]) -> str:
    """The origin a run of this command line would use and cache under: ``"sandbox"``,
    or the base URL from ``--base-url``, the environment or the credentials file.

    Raises Unsure when a run would stop on the settings (a bad URL, a file
    that is not JSON): completion then offers no id at all.
    """
    if sandbox:
        return SANDBOX_ORIGIN
    if flag_base_url is not None:
        return _usable_base_url(flag_base_url)
    for name in BASE_URL_ENV_VARS:
        value = env.get(name)
        if value and value.strip():
            return _usable_base_url(value)
    try:
        with open(credentials_path(env), "rb") as handle:  # noqa: PTH123
            raw = handle.read()
    except FileNotFoundError:
        return DEFAULT_BASE_URL
    except OSError:
        raise Unsure("credentials file") from None
    try:
        stored = loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        raise Unsure("credentials file") from None
    if not isinstance(stored, dict):
        raise Unsure("credentials file")
    value = stored.get("baseUrl")
    if isinstance(value, str) and value.strip():
        return _usable_base_url(value)
    return DEFAULT_BASE_URL


def _origin(ctx: Any) -> str | None:
    """The origin of the command being completed (see :func:`resolve_origin`), or None."""
    try:
        params = ctx.find_root().params if ctx is not None else {}
        sandbox = params.get("sandbox")
        if not isinstance(sandbox, bool):
            sandbox = sandbox_from_env(os.environ)
        return resolve_origin(sandbox, params.get("base_url"), os.environ)
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

        origin = _origin(ctx)
        if origin is None:
            return []
        drafts_only = getattr(getattr(ctx, "command", None), "name", None) in DRAFT_ONLY_COMMANDS
        return draft_candidates(incomplete, Cache().drafts(), None, drafts_only, origin)
    except Exception:
        return []


def complete_assignment(ctx: Any, incomplete: str) -> list[str]:
    try:
        from jobdraft.cache import Cache

        origin = _origin(ctx)
        index = Cache().schema(origin) if origin is not None else None
        offered = assignment_candidates(
            incomplete, Schema.from_index(index), _keys_already_set(ctx)
        )
        _offer(ctx, offered)
        return offered
    except Exception:
        return []


# -- bash's view of the line -----------------------------------------------------------

# bash's default COMP_WORDBREAKS.
DEFAULT_WORDBREAKS = "\"'><=;|&(:"


def readline_text(line: str, wordbreaks: str) -> str:
    """The text bash's readline replaces: after the last word break outside quotes."""
    start = 0
    quote = ""
    index = 0
    while index < len(line):
        char = line[index]
        if quote:
            if char == quote:
                quote = ""
            elif char == "\\" and quote == '"':
                index += 1
        elif char == "\\":
            index += 1
        elif char in "'\"":
            quote = char
            start = index + 1
        elif char in wordbreaks or char.isspace():
            start = index + 1
        index += 1
    return line[start:]


def one_line(text: str) -> str:
    return " ".join(text.split())


def bash_word(value: str, incomplete: str, line: str, wordbreaks: str) -> str:
    """What bash should put in place of the text after the last word break."""
    text = readline_text(line, wordbreaks)
    value = one_line(value)
    cut = len(incomplete) - len(text)
    if cut > 0 and incomplete.lower().endswith(text.lower()):
        return value[cut:]
    return value
