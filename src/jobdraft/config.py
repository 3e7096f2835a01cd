"""Settings with their source, the shared credentials file, and our folders.

Precedence (docs/api.md §1, as the official CLI does it): an explicit
flag, then the environment, then the credentials file, then the default.
``resolve`` is pure so that the whole matrix can be tested without touching
the real environment or disk.

Every value is stripped of surrounding whitespace (a token read with
``$(cat file)`` ends in a newline).  A token or an environment variable or
file entry that is empty once stripped counts as unset and the next source is
tried; an explicitly empty ``--base-url`` is an error, since the user asked
for a URL and gave none.  What remains is checked before anything is sent, and
a refusal names where the value came from (never the token itself).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jobdraft.errors import ConfigError

DEFAULT_BASE_URL = "https://app.opentrain.ai"
API_PATH = "/api/public/v1"

TOKEN_ENV_VARS = ("OT_API_TOKEN", "OPENTRAIN_API_TOKEN", "OPENTRAIN_PERSONAL_API_TOKEN")
BASE_URL_ENV_VARS = ("OT_API_BASE_URL", "OPENTRAIN_API_BASE_URL", "OPENTRAIN_BASE_URL")


def _xdg(env: Mapping[str, str], name: str, fallback: str) -> Path:
    value = env.get(name)
    # The XDG spec says relative paths are invalid and must be ignored.
    if value and Path(value).is_absolute():
        return Path(value)
    return home_dir(env, needed_for=name) / fallback


def home_dir(env: Mapping[str, str], *, needed_for: str = "XDG_CONFIG_HOME") -> Path:
    """``$HOME`` when it is an absolute path, else the home of the passwd entry.

    ``Path.home()`` raises a bare RuntimeError when both are missing (a
    container started with ``--user 12345`` and no HOME), and a relative HOME
    would put the token under whatever folder the command runs in.  Neither
    is guessed around: the refusal says which variables to set.
    """
    home = env.get("HOME")
    if home and Path(home).is_absolute():
        return Path(home)
    try:
        import pwd

        entry = pwd.getpwuid(os.getuid()).pw_dir
    except (ImportError, KeyError):
        entry = ""
    if entry and Path(entry).is_absolute():
        return Path(entry)
    why = "is not set" if not home else f"is not an absolute path ({home!r})"
    raise ConfigError(
        f"cannot tell where your home folder is: HOME {why} and user id {os.getuid()} "
        "has no home in the password database",
        hint=f"set HOME to an absolute folder, or set {needed_for} (and the other XDG_*_HOME "
        "variables) to absolute folders",
    )


def credentials_path(env: Mapping[str, str] | None = None) -> Path:
    """Shared with the official OpenTrain CLI and MCP server."""
    env = os.environ if env is None else env
    return _xdg(env, "XDG_CONFIG_HOME", ".config") / "opentrain" / "cli.json"


def cache_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    return _xdg(env, "XDG_CACHE_HOME", ".cache") / "jobdraft"


def state_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    return _xdg(env, "XDG_STATE_HOME", ".local/state") / "jobdraft"


@dataclass(frozen=True)
class Setting:
    value: str | None
    source: str  # "--token", "OT_API_TOKEN", "~/.config/opentrain/cli.json", "default"...


@dataclass(frozen=True)
class Settings:
    token: Setting
    base_url: Setting

    @property
    def api_url(self) -> str:
        return api_url(self.base_url.value or DEFAULT_BASE_URL)


def api_url(origin: str) -> str:
    """The API root from a configured origin; a value that already ends in the path is kept."""
    origin = origin.rstrip("/")
    return origin if origin.endswith(API_PATH) else origin + API_PATH


TOKEN_HINT = "copy the token again exactly as OpenTrain shows it (ot_pat_<id>_<secret>)"
URL_HINT = "for example https://app.opentrain.ai, or http://127.0.0.1:8765 for a local sandbox"


def check_token(value: str, source: str, *, hint: str | None = None) -> str:
    """``value`` without surrounding whitespace, or a ConfigError naming ``source``.

    A token travels in an HTTP header: whitespace, control characters or
    non-ASCII characters inside it cannot, so they are refused here rather than
    by the HTTP library (whose message would print the token).  The message
    says where the token came from and never holds the token.
    """
    token = value.strip()
    if not token:
        raise ConfigError(f"the token from {source} is empty", hint=hint or TOKEN_HINT)
    if not all("!" <= char <= "~" for char in token):
        raise ConfigError(
            f"the token from {source} contains characters a token cannot have "
            "(spaces, control characters or non-ASCII characters)",
            hint=hint or TOKEN_HINT,
        )
    return token


def check_base_url(value: str, source: str) -> str:
    """``value`` without surrounding whitespace, or a ConfigError naming ``source``.

    Accepted: an http(s) origin, with or without a trailing slash or a path
    (``.../api/public/v1`` is kept as is by ``api_url``).  Refused: anything
    ``urlsplit`` cannot read, another scheme, no host, a bad port, a ``?query``
    or ``#fragment`` (the API path is appended after them), and spaces or
    control characters inside.
    """
    url = value.strip()

    def bad(why: str) -> ConfigError:
        # A user:password@ part is a secret too: show the URL without it.
        shown = re.sub(r"//[^/@]*@", "//", url)
        return ConfigError(f"the base URL from {source} {why}: {shown!r}", hint=URL_HINT)

    if not url:
        raise ConfigError(
            f"the base URL from {source} is empty",
            hint=f"leave {source} out to use {DEFAULT_BASE_URL}, or give a URL such as "
            "http://127.0.0.1:8765 for a local sandbox",
        )
    if any(char.isspace() or not char.isprintable() for char in url):
        raise bad("contains spaces or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port  # reading it checks it
    except ValueError:
        raise bad("is not a valid URL") from None
    if parts.scheme not in ("http", "https"):
        raise bad("must start with https:// (or http:// for this machine)")
    if not parts.hostname:
        raise bad("has no host name")
    if port == 0:
        raise bad("has an invalid port")
    if "?" in url or "#" in url:
        raise bad("must not have a ?query or #fragment")
    if "@" in parts.netloc:
        # httpx would send it as Basic auth beside the token, and a trace
        # would print it; the message shows the URL without it.
        raise bad("must not hold a user name or password (user:password@)")
    return url


def login_origin(url: str, source: str) -> str:
    """The origin (``scheme://host[:port]``) a login is saved for, from a checked base URL.

    The shared file's ``baseUrl`` holds an origin, as the official tools write
    it.  A given API path (``/api/public/v1``) is dropped, since every client
    adds it; any other path is refused rather than silently lost.
    """
    url = check_base_url(url, source)
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    if path not in ("", API_PATH):
        raise ConfigError(
            f"the base URL from {source} has a path ({parts.path}); "
            "a login is saved for a server's origin only",
            hint=f"give scheme://host[:port], for example {DEFAULT_BASE_URL}",
        )
    return f"{parts.scheme}://{parts.netloc.lower()}"


def origin_for_login(flag_base_url: str | None, env: Mapping[str, str]) -> Setting:
    """Which server ``auth login`` checks and saves the token for, and where that came from.

    ``--base-url``, then the environment, then the default: never the file's
    own ``baseUrl``, which belongs to the login being replaced (a token saved
    for a local sandbox must not send the next token there).
    """
    if flag_base_url is not None:
        return Setting(login_origin(flag_base_url, "--base-url"), "--base-url")
    for name in BASE_URL_ENV_VARS:
        raw = env.get(name)
        if raw and raw.strip():
            return Setting(login_origin(raw, name), name)
    return Setting(DEFAULT_BASE_URL, "default")


def resolve(
    *,
    flag_token: str | None,
    flag_base_url: str | None,
    env: Mapping[str, str],
    file_data: Mapping[str, Any] | None,
    file_label: str,
) -> Settings:
    """Apply the precedence to every setting and say where each value came from.

    Raises ConfigError when the value that wins is unusable (see the module's
    docstring); the values it shadows are not looked at.
    """
    stored = file_data or {}

    def first(candidates: list[tuple[str, object]]) -> tuple[str, str] | None:
        for source, raw in candidates:
            if isinstance(raw, str) and raw.strip():
                return source, raw
        return None

    token = Setting(None, "default")
    found = first(
        [("--token", flag_token)]
        + [(name, env.get(name)) for name in TOKEN_ENV_VARS]
        + [(file_label, stored.get("apiToken"))]
    )
    if found is not None:
        source, raw = found
        hint = (
            "replace it with 'jobdraft auth login', or remove it with 'jobdraft auth logout'"
            if source == file_label
            else None
        )
        token = Setting(check_token(raw, source, hint=hint), source)

    base = Setting(DEFAULT_BASE_URL, "default")
    if flag_base_url is not None:
        base = Setting(check_base_url(flag_base_url, "--base-url"), "--base-url")
    else:
        found = first(
            [(name, env.get(name)) for name in BASE_URL_ENV_VARS]
            + [(file_label, stored.get("baseUrl"))]
        )
        if found is not None:
            source, raw = found
            base = Setting(check_base_url(raw, source), source)
    return Settings(token=token, base_url=base)


# The file holds two tokens and a URL; anything far larger is not that file.
MAX_CREDENTIALS_BYTES = 64 * 1024
SECRET_KEYS = ("apiToken", "claimToken")

_warned_exposed: set[Path] = set()


def read_credentials(path: Path, *, warn: bool = True) -> dict[str, Any] | None:
    """The credentials file's object, None when absent; anything else unreadable is an error.

    ``auth login`` and ``auth logout`` read the file too (to keep the keys we
    do not own), so the way out of a corrupt file is to fix or delete it.
    A file holding a token that other users can read is still used, but
    ``warn`` says so on stderr once per run, with the command that fixes it,
    as ssh does for a private key (see ``exposure_warning``).
    """
    try:
        with path.open("rb") as handle:
            mode = os.fstat(handle.fileno()).st_mode
            raw = handle.read(MAX_CREDENTIALS_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(raw) > MAX_CREDENTIALS_BYTES:
        raise ConfigError(
            f"{path} is larger than {MAX_CREDENTIALS_BYTES // 1024} kB: not a credentials file",
            hint=_corrupt_hint(path),
        )
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text", hint=_corrupt_hint(path)) from None
    except (ValueError, RecursionError):  # not JSON, an integer over 4,300 digits, deep nesting
        raise ConfigError(f"{path} is not valid JSON", hint=_corrupt_hint(path)) from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path} does not hold a JSON object", hint=_corrupt_hint(path))
    if warn and path not in _warned_exposed:
        warning = exposure_warning(path, mode, data)
        if warning:
            _warned_exposed.add(path)
            # Completion must write nothing but candidates: the shell shows stderr.
            if "_JOBDRAFT_COMPLETE" not in os.environ:
                sys.stderr.write(warning + "\n")
    return data


def exposure_warning(path: Path, mode: int, data: Mapping[str, Any]) -> str | None:
    """The warning for a file holding a token that its group or other users may read."""
    if not mode & 0o077 or not any(data.get(key) for key in SECRET_KEYS):
        return None
    import shlex  # only on this warning's path

    return (
        f"warning: {path} holds a token and is open to other users "
        f"(mode {stat.S_IMODE(mode):04o}); it is used anyway. "
        f"Fix it with: chmod 600 {shlex.quote(str(path))}"
    )


def _corrupt_hint(path: Path) -> str:
    import shlex  # only on this error path

    return (
        "fix it by hand, or delete it (rm "
        f"{shlex.quote(str(path))}) and run 'jobdraft auth login' again"
    )


def write_private_json(
    path: Path, data: Mapping[str, Any], *, doing: str = "save the login in"
) -> None:
    """Write ``data`` atomically with mode 0600 from the first byte (it holds a secret).

    A folder that cannot be made or written, or a full disk, is a ConfigError
    naming the file; the file as it was is left untouched, and so is no
    temporary file.
    """
    import tempfile  # only writers pay for it; every TAB reads

    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".cli.", suffix=".tmp")
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(dict(data), handle, indent=2)
            handle.write("\n")
        Path(tmp).replace(path)
    except OSError as exc:
        _discard(tmp)
        raise _cannot_write(path, exc, doing) from None
    except BaseException:
        _discard(tmp)
        raise


def _discard(tmp: str | None) -> None:
    if tmp is not None:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()


def _cannot_write(path: Path, exc: OSError, doing: str) -> ConfigError:
    return ConfigError(
        f"cannot {doing} {path}: {exc.strerror or exc}",
        hint=f"check that {path.parent} is a folder you can write to and that its disk "
        "has room, or set XDG_CONFIG_HOME to another folder",
    )


def save_login(
    path: Path,
    token: str,
    origin: str,
    *,
    token_source: str = "the prompt or stdin",
    origin_source: str = "--base-url",
) -> None:
    """Store the token and the origin it is for in the shared file.

    Both values are stripped and checked as ``resolve`` does, so that a padded
    or broken token is never saved for every later run to trip on; the
    origin is written even when it is the default, so that no ``baseUrl`` of
    an earlier login outlives it.  Keys we do not own (``claimToken``) stay.
    """
    token = check_token(token, token_source)
    origin = login_origin(origin, origin_source)
    data = read_credentials(path, warn=False) or {}
    data["apiToken"] = token
    data["baseUrl"] = origin
    write_private_json(path, data)


@dataclass(frozen=True)
class Logout:
    """What ``forget_login`` did, for ``auth logout`` to say."""

    found: bool  # there was a file
    had_token: bool  # it held an apiToken
    kept_claim: bool  # a pending claimToken was kept; the file now holds only that


def forget_login(path: Path) -> Logout:
    """Leave no token and no base URL behind, as the official CLI's logout does.

    The official CLI deletes the file.  A pending ``claimToken`` (an account
    registered but not claimed yet) is the one thing kept: the file is then
    rewritten to hold only it.
    """
    data = read_credentials(path, warn=False)
    if data is None:
        return Logout(found=False, had_token=False, kept_claim=False)
    had_token = bool(data.get("apiToken"))
    claim = data.get("claimToken")
    if isinstance(claim, str) and claim.strip():
        write_private_json(path, {"claimToken": claim}, doing="rewrite")
        return Logout(found=True, had_token=had_token, kept_claim=True)
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise _cannot_write(path, exc, "remove") from None
    return Logout(found=True, had_token=had_token, kept_claim=False)


def mask_token(token: str | None) -> str:
    """``ot_pat_abc123_s3cr3t`` -> ``ot_pat_abc123_****``: the public id stays, the secret never."""
    if not token:
        return "(none)"
    parts = token.split("_")
    if len(parts) >= 4 and parts[0] == "ot" and parts[1] == "pat":
        return "_".join(parts[:3]) + "_****"
    return token[:4] + "****" if len(token) > 8 else "****"


def is_loopback(url: str) -> bool:
    """True when the URL's host is this machine: ``localhost`` or a loopback IP address.

    Only the exact name ``localhost``: names under ``.localhost`` are loopback
    by RFC 6761, but the system resolver may still ask DNS for them, so they do
    not get a token over plain http.  (The embedded sandbox's
    ``http://sandbox.localhost`` never reaches this check: it is served
    in-process, without a network.)  A name that merely starts with ``127.``
    is a DNS name like any other.
    """
    import ipaddress  # only when a token is about to be sent

    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return False
    if host == "localhost":  # hostname is already lower-case, without brackets
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name, which might resolve anywhere


def check_transport_safety(url: str) -> None:
    """A token never travels over plain http to a host that is not this machine."""
    try:
        parts = urlsplit(url)
    except ValueError:
        raise ConfigError(f"'{url}' is not a valid URL", hint=URL_HINT) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"'{url}' is not an http(s) URL", hint="for example https://app.opentrain.ai"
        )
    if parts.scheme == "http" and not is_loopback(url):
        raise ConfigError(
            f"refusing to send a token over plain http to {parts.hostname}",
            hint="use https://, or http:// only for a server on this machine",
        )
