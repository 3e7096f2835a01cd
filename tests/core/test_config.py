"""Settings precedence over the whole matrix, and the shared credentials file."""

from __future__ import annotations

import itertools
import json
import stat
from pathlib import Path

import pytest

from jobdraft import config
from jobdraft.errors import ConfigError

FILE = {"apiToken": "ot_pat_file_secret", "baseUrl": "https://file.example"}


@pytest.mark.parametrize(
    ("flag", "env_name", "in_file"),
    list(itertools.product([None, "ot_pat_flag_s"], [None, *config.TOKEN_ENV_VARS], [False, True])),
)
def test_token_precedence_matrix(flag: str | None, env_name: str | None, in_file: bool) -> None:
    env = {env_name: f"ot_pat_{env_name}_s"} if env_name else {}
    settings = config.resolve(
        flag_token=flag,
        flag_base_url=None,
        env=env,
        file_data=FILE if in_file else None,
        file_label="cli.json",
    )
    if flag:
        assert settings.token == config.Setting(flag, "--token")
    elif env_name:
        assert settings.token == config.Setting(env[env_name], env_name)
    elif in_file:
        assert settings.token == config.Setting("ot_pat_file_secret", "cli.json")
    else:
        assert settings.token == config.Setting(None, "default")


def test_env_vars_are_tried_in_documented_order() -> None:
    env = {name: f"ot_pat_{i}_s" for i, name in enumerate(config.TOKEN_ENV_VARS)}
    for name in config.TOKEN_ENV_VARS:
        settings = config.resolve(
            flag_token=None, flag_base_url=None, env=env, file_data=None, file_label="f"
        )
        assert settings.token.source == name
        del env[name]


@pytest.mark.parametrize(
    ("flag", "env_name", "in_file", "expected"),
    [
        ("https://flag.example", "OT_API_BASE_URL", True, ("https://flag.example", "--base-url")),
        (None, "OPENTRAIN_BASE_URL", True, ("https://env.example", "OPENTRAIN_BASE_URL")),
        (None, None, True, ("https://file.example", "cli.json")),
        (None, None, False, (config.DEFAULT_BASE_URL, "default")),
    ],
)
def test_base_url_precedence(
    flag: str | None, env_name: str | None, in_file: bool, expected: tuple[str, str]
) -> None:
    env = {env_name: "https://env.example"} if env_name else {}
    settings = config.resolve(
        flag_token=None,
        flag_base_url=flag,
        env=env,
        file_data=FILE if in_file else None,
        file_label="cli.json",
    )
    assert (settings.base_url.value, settings.base_url.source) == expected


def test_api_url_appends_the_path_once() -> None:
    assert config.api_url("https://app.opentrain.ai/") == "https://app.opentrain.ai/api/public/v1"
    assert (
        config.api_url("http://127.0.0.1:8765/api/public/v1")
        == "http://127.0.0.1:8765/api/public/v1"
    )


def test_login_file_is_0600_and_keeps_other_keys(isolated_home: Path) -> None:
    path = config.credentials_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"claimToken": "ot_clm_x", "apiToken": "old"}))
    config.save_login(path, "ot_pat_abc_secret", "https://app.opentrain.ai")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = json.loads(path.read_text())
    assert data == {
        "claimToken": "ot_clm_x",
        "apiToken": "ot_pat_abc_secret",
        "baseUrl": "https://app.opentrain.ai",
    }
    assert config.forget_login(path) is True
    assert "apiToken" not in json.loads(path.read_text())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert config.forget_login(path) is False


def test_credentials_path_honours_xdg(isolated_home: Path) -> None:
    assert config.credentials_path() == isolated_home / "config" / "opentrain" / "cli.json"
    assert config.credentials_path({"XDG_CONFIG_HOME": "relative"}).is_absolute()


def test_a_broken_credentials_file_is_a_clear_error(isolated_home: Path) -> None:
    path = config.credentials_path()
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    with pytest.raises(ConfigError, match="not valid JSON"):
        config.read_credentials(path)


def test_mask_never_shows_the_secret() -> None:
    assert config.mask_token("ot_pat_abc123_s3cr3tvalue") == "ot_pat_abc123_****"
    assert "s3cr3t" not in config.mask_token("s3cr3tvalue-long")
    assert config.mask_token(None) == "(none)"


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8765", "http://localhost", "https://x.example", "http://[::1]:80"]
)
def test_safe_urls(url: str) -> None:
    config.check_transport_safety(url)


@pytest.mark.parametrize("url", ["http://app.opentrain.ai", "ftp://x", "nonsense"])
def test_unsafe_urls(url: str) -> None:
    with pytest.raises(ConfigError):
        config.check_transport_safety(url)
