"""Settings with their source, the shared credentials file, and our folders.

Precedence (contract section 1, as the official CLI does it): an explicit
flag, then the environment, then the credentials file, then the default.
``resolve`` is pure so that the whole matrix can be tested without touching
the real environment or disk.
"""

from __future__ import annotations

import contextlib
import json
import os
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


def resolve(
    *,
    flag_token: str | None,
    flag_base_url: str | None,
    env: Mapping[str, str],
    file_data: Mapping[str, Any] | None,
    file_label: str,
) -> Settings:
    """Apply the precedence to every setting and say where each value came from."""

    def pick(
        flag: str | None, flag_name: str, env_names: tuple[str, ...], file_key: str
    ) -> Setting:
        if flag:
            return Setting(flag, flag_name)
        for name in env_names:
            if env.get(name):
                return Setting(env[name], name)
        value = (file_data or {}).get(file_key)
        if isinstance(value, str) and value:
            return Setting(value, file_label)
        return Setting(None, "default")

    token = pick(flag_token, "--token", TOKEN_ENV_VARS, "apiToken")
    base = pick(flag_base_url, "--base-url", BASE_URL_ENV_VARS, "baseUrl")
    if base.value is None:
        base = Setting(DEFAULT_BASE_URL, "default")
    return Settings(token=token, base_url=base)


def read_credentials(path: Path) -> dict[str, Any] | None:
    """The credentials file's object, None when absent; unreadable JSON is an error."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise ConfigError(
            f"{path} is not valid JSON", hint="fix it or run 'jobdraft auth login' again"
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path} does not hold a JSON object")
    return data


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


def save_login(path: Path, token: str, base_url: str | None) -> None:
    """Store the token in the shared file, keeping every key we do not own."""
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
    host = (urlsplit(url).hostname or "").lower()
    return host in ("localhost", "::1") or host.startswith("127.")


def check_transport_safety(url: str) -> None:
    """A token never travels over plain http to a host that is not this machine."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"'{url}' is not an http(s) URL", hint="for example https://app.opentrain.ai"
        )
    if parts.scheme == "http" and not is_loopback(url):
        raise ConfigError(
            f"refusing to send a token over plain http to {parts.hostname}",
            hint="use https://, or http:// only for a server on this machine",
        )
