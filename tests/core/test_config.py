"""Settings precedence over the whole matrix, and the shared credentials file."""

from __future__ import annotations

import itertools
import json
import os
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
    # Logout leaves no token and no base URL: only the pending claim stays.
    assert config.forget_login(path) == config.Logout(found=True, had_token=True, kept_claim=True)
    assert json.loads(path.read_text()) == {"claimToken": "ot_clm_x"}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert config.forget_login(path) == config.Logout(found=True, had_token=False, kept_claim=True)


def test_logout_without_a_claim_deletes_the_file(isolated_home: Path) -> None:
    path = config.credentials_path()
    config.save_login(path, "ot_pat_abc_secret", "http://127.0.0.1:8765/api/public/v1/")
    assert json.loads(path.read_text())["baseUrl"] == "http://127.0.0.1:8765"
    assert config.forget_login(path) == config.Logout(found=True, had_token=True, kept_claim=False)
    assert not path.exists()
    assert config.forget_login(path) == config.Logout(
        found=False, had_token=False, kept_claim=False
    )


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


# --- surrounding whitespace and bad characters in a token --------------------

TOKEN = "ot_pat_abc123_s3cr3tvalue"


def resolve_token(source: str, value: str) -> config.Settings:
    """Resolve with ``value`` given as the token by ``source`` (a flag, an env var or the file)."""
    return config.resolve(
        flag_token=value if source == "--token" else None,
        flag_base_url=None,
        env={source: value} if source in config.TOKEN_ENV_VARS else {},
        file_data={"apiToken": value} if source == "cli.json" else None,
        file_label="cli.json",
    )


TOKEN_SOURCES = ["--token", *config.TOKEN_ENV_VARS, "cli.json"]


@pytest.mark.parametrize("source", TOKEN_SOURCES)
@pytest.mark.parametrize("padded", [f"{TOKEN} ", f"{TOKEN}\n", f"\t {TOKEN}\r\n", f"\u00a0{TOKEN}"])
def test_token_is_stripped_from_every_source(source: str, padded: str) -> None:
    assert resolve_token(source, padded).token == config.Setting(TOKEN, source)


@pytest.mark.parametrize(
    ("flag", "env", "file_data", "expected"),
    [
        ("  ", {"OT_API_TOKEN": "ot_pat_env_s"}, None, ("ot_pat_env_s", "OT_API_TOKEN")),
        (
            None,
            {"OT_API_TOKEN": "\n", "OPENTRAIN_API_TOKEN": "ot_pat_2_s"},
            None,
            ("ot_pat_2_s", "OPENTRAIN_API_TOKEN"),
        ),
        (
            None,
            {"OPENTRAIN_PERSONAL_API_TOKEN": " \t"},
            {"apiToken": "ot_pat_f_s"},
            ("ot_pat_f_s", "cli.json"),
        ),
        ("", {}, {"apiToken": "  \n"}, (None, "default")),
    ],
)
def test_an_all_whitespace_token_counts_as_unset(
    flag: str | None,
    env: dict[str, str],
    file_data: dict[str, str] | None,
    expected: tuple[str | None, str],
) -> None:
    settings = config.resolve(
        flag_token=flag, flag_base_url=None, env=env, file_data=file_data, file_label="cli.json"
    )
    assert (settings.token.value, settings.token.source) == expected


BAD_TOKENS = [
    "ot_pat_abc123 s3cr3tvalue",  # a space inside
    "ot_pat_abc123_s3cr3t\nvalue",  # a line break inside
    "ot_pat_abc123_s3cr3t\x00value",
    "ot_pat_abc123_s3cr3t\x7fvalue",
    "ot_pat_abc123_s3cr3tvalu\u00e9",  # non-ASCII
    "ot_pat_abc123_s3cr3t\u200bvalue",  # a zero-width space
]


@pytest.mark.parametrize("source", TOKEN_SOURCES)
@pytest.mark.parametrize("bad", BAD_TOKENS)
def test_a_token_with_bad_characters_is_refused_naming_its_source(source: str, bad: str) -> None:
    with pytest.raises(ConfigError) as caught:
        resolve_token(source, f" {bad} ")
    error = caught.value
    assert error.message.startswith(f"the token from {source} contains characters")
    shown = f"{error.message} {error.hint}"
    assert "s3cr3t" not in shown and bad not in shown


def test_a_bad_token_from_the_file_says_how_to_replace_or_remove_it() -> None:
    with pytest.raises(ConfigError) as caught:
        resolve_token("cli.json", "ot_pat_x_s\u00e9cret")
    assert "jobdraft auth login" in str(caught.value.hint)
    assert "jobdraft auth logout" in str(caught.value.hint)
    # 'auth login' checks the new token as a flag: the shadowed ones are not looked at.
    settings = config.resolve(
        flag_token=" ot_pat_flag_s\n",
        flag_base_url=None,
        env={"OT_API_TOKEN": "bad token"},
        file_data={"apiToken": "ot_pat_x_s\u00e9cret"},
        file_label="cli.json",
    )
    assert settings.token == config.Setting("ot_pat_flag_s", "--token")


def test_check_token_is_public_and_reusable() -> None:
    assert config.check_token(f" {TOKEN}\n", "somewhere") == TOKEN
    with pytest.raises(ConfigError, match=r"^the token from somewhere is empty$"):
        config.check_token(" \n", "somewhere")
    with pytest.raises(ConfigError, match=r"^the token from somewhere contains characters"):
        config.check_token("a b", "somewhere")


def test_save_login_strips_the_token_and_refuses_a_broken_one(isolated_home: Path) -> None:
    path = config.credentials_path()
    config.save_login(path, f"  {TOKEN}\n", " https://app.opentrain.ai/ \n")
    assert json.loads(path.read_text()) == {
        "apiToken": TOKEN,
        "baseUrl": "https://app.opentrain.ai",  # an origin, as the official tools write it
    }
    for bad in BAD_TOKENS:
        with pytest.raises(ConfigError, match="contains characters") as caught:
            config.save_login(path, bad, config.DEFAULT_BASE_URL)
        assert "s3cr3t" not in f"{caught.value.message} {caught.value.hint}"
    with pytest.raises(ConfigError, match="base URL from --base-url"):
        config.save_login(path, TOKEN, "http://[::1")
    assert json.loads(path.read_text())["apiToken"] == TOKEN  # nothing was overwritten


# --- loopback means this machine, by address ---------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost",
        "http://LOCALHOST:8765/api/public/v1",
        "http://127.0.0.1:8765",
        "http://127.45.6.7",
        "http://[::1]",
        "http://[::1]:8765/",
        "http://[0:0:0:0:0:0:0:1]",
    ],
)
def test_loopback_hosts(url: str) -> None:
    assert config.is_loopback(url)
    config.check_transport_safety(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.example.invalid",  # a DNS name that only starts like an address
        "http://127.0.0.1.nip.io",
        "http://127.1",  # not a strict address: left to the resolver
        "http://sandbox.localhost",  # *.localhost may go to DNS (see is_loopback)
        "http://localhost.example.com",
        "http://0.0.0.0",
        "http://[::2]",
        "http://10.0.0.1",
        "http://[::1",
    ],
)
def test_hosts_that_are_not_loopback_get_no_token_over_http(url: str) -> None:
    assert not config.is_loopback(url)
    with pytest.raises(ConfigError):
        config.check_transport_safety(url)


# --- the credentials file: not UTF-8, corrupt, and the way out ---------------


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (b"\xff\xfe{\x00", "is not UTF-8 text"),
        (b'{"apiToken": "\xe9"}', "is not UTF-8 text"),  # Latin-1, not UTF-8
        (b"{not json", "is not valid JSON"),
        (b'["a list"]', "does not hold a JSON object"),
    ],
)
def test_an_unreadable_credentials_file_is_a_config_error_with_a_way_out(
    isolated_home: Path, content: bytes, what: str
) -> None:
    path = config.credentials_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    with pytest.raises(ConfigError, match=what) as caught:
        config.read_credentials(path)
    hint = str(caught.value.hint)
    assert f"rm {path}" in hint and "jobdraft auth login" in hint
    # 'auth login' alone meets the same error: the hint's way out is to delete first.
    with pytest.raises(ConfigError, match=what):
        config.save_login(path, TOKEN, config.DEFAULT_BASE_URL)
    path.unlink()
    config.save_login(path, TOKEN, config.DEFAULT_BASE_URL)
    assert config.read_credentials(path) == {"apiToken": TOKEN, "baseUrl": config.DEFAULT_BASE_URL}


def test_the_way_out_quotes_a_path_with_spaces(tmp_path: Path) -> None:
    path = tmp_path / "my config" / "cli.json"
    path.parent.mkdir()
    path.write_text("{")
    with pytest.raises(ConfigError) as caught:
        config.read_credentials(path)
    assert f"rm '{path}'" in str(caught.value.hint)


# --- base URL: stripped, and refused with its source when unusable -----------

BASE_SOURCES = ["--base-url", *config.BASE_URL_ENV_VARS, "cli.json"]


def resolve_base(source: str, value: str) -> config.Settings:
    return config.resolve(
        flag_token=None,
        flag_base_url=value if source == "--base-url" else None,
        env={source: value} if source in config.BASE_URL_ENV_VARS else {},
        file_data={"baseUrl": value} if source == "cli.json" else None,
        file_label="cli.json",
    )


@pytest.mark.parametrize("source", BASE_SOURCES)
@pytest.mark.parametrize(
    "url",
    [
        "https://app.opentrain.ai",
        "https://app.opentrain.ai/",
        "http://127.0.0.1:8765/api/public/v1",
        "http://127.0.0.1:8765/api/public/v1/",
        "https://proxy.example/opentrain",
        "http://[::1]:8765",
    ],
)
def test_accepted_base_urls_stay_accepted(source: str, url: str) -> None:
    assert resolve_base(source, url).base_url == config.Setting(url, source)
    assert resolve_base(source, f"  {url}\n").base_url == config.Setting(url, source)


@pytest.mark.parametrize("source", BASE_SOURCES)
@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://[::1", "is not a valid URL"),
        ("http://127.0.0.1:99999", "is not a valid URL"),
        ("http://127.0.0.1:port", "is not a valid URL"),
        ("http://127.0.0.1:8765?x=1", "must not have a ?query or #fragment"),
        ("http://127.0.0.1:8765/?", "must not have a ?query or #fragment"),
        ("https://app.opentrain.ai#top", "must not have a ?query or #fragment"),
        ("https://app.opentrain .ai", "contains spaces or control characters"),
        ("https://app.opentrain.ai\n/x", "contains spaces or control characters"),
        ("ftp://app.opentrain.ai", "must start with https://"),
        ("app.opentrain.ai", "must start with https://"),
        ("https://", "has no host name"),
    ],
)
def test_unusable_base_urls_are_refused_naming_their_source(
    source: str, url: str, why: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        resolve_base(source, f" {url} ")
    assert caught.value.message.startswith(f"the base URL from {source} {why}")


def test_an_empty_base_url_flag_is_an_error() -> None:
    for value in ("", "  "):
        with pytest.raises(ConfigError, match=r"^the base URL from --base-url is empty$"):
            resolve_base("--base-url", value)


@pytest.mark.parametrize("blank", ["", "  ", "\n"])
def test_an_empty_base_url_variable_or_file_entry_counts_as_unset(blank: str) -> None:
    settings = config.resolve(
        flag_token=None,
        flag_base_url=None,
        env={"OT_API_BASE_URL": blank, "OPENTRAIN_API_BASE_URL": "https://env.example"},
        file_data=None,
        file_label="cli.json",
    )
    assert settings.base_url == config.Setting("https://env.example", "OPENTRAIN_API_BASE_URL")
    settings = config.resolve(
        flag_token=None,
        flag_base_url=None,
        env={"OT_API_BASE_URL": blank},
        file_data={"baseUrl": blank},
        file_label="cli.json",
    )
    assert settings.base_url == config.Setting(config.DEFAULT_BASE_URL, "default")


@pytest.mark.parametrize(
    ("given", "origin"),
    [
        ("https://App.OpenTrain.ai/", "https://app.opentrain.ai"),
        ("http://127.0.0.1:8765/api/public/v1", "http://127.0.0.1:8765"),
        (" http://[::1]:8765/api/public/v1/ \n", "http://[::1]:8765"),
    ],
)
def test_a_login_is_saved_for_an_origin(given: str, origin: str) -> None:
    assert config.login_origin(given, "--base-url") == origin


def test_login_ignores_the_files_old_base_url_and_follows_the_environment() -> None:
    env = {"OT_API_BASE_URL": " ", "OPENTRAIN_BASE_URL": "http://localhost:9/"}
    assert config.origin_for_login(None, env) == config.Setting(
        "http://localhost:9", "OPENTRAIN_BASE_URL"
    )
    assert config.origin_for_login(None, {}) == config.Setting(config.DEFAULT_BASE_URL, "default")


def test_a_password_in_a_base_url_is_refused_and_never_shown() -> None:
    with pytest.raises(ConfigError, match="user name or password") as caught:
        config.check_base_url("https://me:hunter2@app.opentrain.ai", "OT_API_BASE_URL")
    assert "hunter2" not in f"{caught.value.message} {caught.value.hint}"
    assert "'https://app.opentrain.ai'" in caught.value.message


def test_the_home_folder_comes_from_home_or_the_password_database() -> None:
    import pwd

    assert config.home_dir({"HOME": "/somewhere"}) == Path("/somewhere")
    mine = Path(pwd.getpwuid(os.getuid()).pw_dir)
    assert config.home_dir({}) == mine
    assert config.home_dir({"HOME": "relative"}) == mine
    assert config.credentials_path({"HOME": "relative"}).is_relative_to(mine)
