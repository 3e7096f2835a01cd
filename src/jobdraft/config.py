"""Settings with their source, the shared credentials file, and our folders.

Precedence (contract section 1, as the official CLI does it): an explicit
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
    return Path.home() / fallback


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
    return url


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


def read_credentials(path: Path) -> dict[str, Any] | None:
    """The credentials file's object, None when absent; anything else unreadable is an error.

    ``auth login`` and ``auth logout`` read the file too (to keep the keys we
    do not own), so the way out of a corrupt file is to fix or delete it.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text", hint=_corrupt_hint(path)) from None
    except json.JSONDecodeError:
        raise ConfigError(f"{path} is not valid JSON", hint=_corrupt_hint(path)) from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path} does not hold a JSON object", hint=_corrupt_hint(path))
    return data


def _corrupt_hint(path: Path) -> str:
    import shlex  # only on this error path

    return (
        "fix it by hand, or delete it (rm "
        f"{shlex.quote(str(path))}) and run 'jobdraft auth login' again"
    )


def write_private_json(path: Path, data: Mapping[str, Any]) -> None:
    """Write ``data`` atomically with mode 0600 from the first byte (it holds a secret)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    import tempfile  # only writers pay for it; every TAB reads

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".cli.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(dict(data), handle, indent=2)
            handle.write("\n")
        Path(tmp).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise


def save_login(
    path: Path,
    token: str,
    base_url: str | None,
    *,
    token_source: str = "the prompt or stdin",
    base_url_source: str = "--base-url",
) -> None:
    """Store the token in the shared file, keeping every key we do not own.

    Both values are stripped and checked as ``resolve`` does, so that a padded
    or broken token is never saved for every later run to trip on.
    """
    token = check_token(token, token_source)
    if base_url is not None:
        base_url = check_base_url(base_url, base_url_source)
    data = read_credentials(path) or {}
    data["apiToken"] = token
    if base_url:
        data["baseUrl"] = base_url
    write_private_json(path, data)


def forget_login(path: Path) -> bool:
    """Remove our token from the shared file; True when there was one."""
    data = read_credentials(path)
    if not data or "apiToken" not in data:
        return False
    del data["apiToken"]
    write_private_json(path, data)
    return True


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
