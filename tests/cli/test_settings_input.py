"""What a user types or pastes as settings: padded or broken tokens, base URLs
that are not one, a credentials file that cannot be read.  Each is taken
(stripped) or refused with exit 2 and a message that names where it came from,
never with a traceback, and never with the token in the output.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.cli.served import Served, serve
from tests.conftest import Result, Runner

from jobdraft import config


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    with serve() as server:
        yield server


def credentials(content: dict[str, Any] | bytes) -> Path:
    path = config.credentials_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
    return path


def assert_clean_refusal(result: Result, message: str) -> None:
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert "unexpected error" not in result.output


def give(
    run: Runner,
    monkeypatch: pytest.MonkeyPatch,
    setting: tuple[str, str],
    source: str,
    value: str,
    *args: str,
) -> Result:
    """Run ``jobdraft ARGS`` with ``value`` from ``source``: the flag, an env var, or "file".

    ``setting`` is the flag and the credentials file's key, e.g. TOKEN or BASE_URL.
    """
    flag, file_key = setting
    if source == flag:
        return run(flag, value, *args)
    if source == "file":
        credentials({file_key: value})
    else:
        monkeypatch.setenv(source, value)
    return run(*args)


TOKEN = ("--token", "apiToken")
BASE_URL = ("--base-url", "baseUrl")


def give_token(
    run: Runner, monkeypatch: pytest.MonkeyPatch, source: str, token: str, *args: str
) -> Result:
    return give(run, monkeypatch, TOKEN, source, token, *args)


def source_label(source: str) -> str:
    return str(config.credentials_path()) if source == "file" else source


TOKEN_SOURCES = ["--token", "OT_API_TOKEN", "OPENTRAIN_PERSONAL_API_TOKEN", "file"]


# --- tokens ------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("source", TOKEN_SOURCES)
@pytest.mark.parametrize("padding", [" ", "\n", "\r\n"])
def test_a_padded_token_works_from_every_source(
    run: Runner, served: Served, monkeypatch: pytest.MonkeyPatch, source: str, padding: str
) -> None:
    monkeypatch.setenv("OT_API_BASE_URL", served.origin)
    result = give_token(run, monkeypatch, source, served.token + padding, "list", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["jobs"] == []
    assert served.token not in result.stderr


def broken(token: str) -> list[str]:
    """The token with a space, a control character or a non-ASCII letter inside."""
    middle = len(token) // 2
    return [
        f"{token[:middle]} {token[middle:]}",
        f"{token[:middle]}\n{token[middle:]}",
        f"{token[:middle]}\x1b[2J{token[middle:]}",
        f"{token}\u00e9",
    ]


@pytest.mark.slow
@pytest.mark.parametrize("source", TOKEN_SOURCES)
@pytest.mark.parametrize("which", range(4))
def test_a_token_with_bad_characters_is_refused_without_showing_it(
    run: Runner, served: Served, monkeypatch: pytest.MonkeyPatch, source: str, which: int
) -> None:
    monkeypatch.setenv("OT_API_BASE_URL", served.origin)
    bad = broken(served.token)[which]
    result = give_token(run, monkeypatch, source, f" {bad}\n", "list")
    assert_clean_refusal(
        result, f"the token from {source_label(source)} contains characters a token cannot have"
    )
    secret = served.token.split("_", 3)[3]
    for shown in (bad, secret, secret[:7], secret[-7:]):
        assert shown not in result.output


def test_a_bad_token_in_the_file_can_be_removed_as_the_hint_says(run: Runner) -> None:
    path = credentials({"apiToken": "ot_pat_abc_s3cr3t\u00e9", "claimToken": "ot_clm_x"})
    result = run("--base-url", "http://127.0.0.1:9", "list")
    assert_clean_refusal(result, f"the token from {path} contains characters")
    assert "jobdraft auth logout" in result.stderr
    assert "s3cr3t" not in result.output
    assert run("auth", "logout").exit_code == 0
    assert json.loads(path.read_text()) == {"claimToken": "ot_clm_x"}


def test_auth_login_refuses_a_broken_token_and_saves_nothing(run: Runner) -> None:
    result = run("auth", "login", "--no-verify", input="ot_pat_abc_s3cr3t\x00value\n")
    assert_clean_refusal(
        result, "the token from the prompt or stdin contains characters a token cannot have"
    )
    assert "s3cr3t" not in result.output
    assert not config.credentials_path().exists()


def test_auth_login_saves_the_token_and_base_url_stripped(run: Runner) -> None:
    result = run(
        "--base-url",
        " http://127.0.0.1:8765/ \n",
        "auth",
        "login",
        "--no-verify",
        input="\t ot_pat_abc_s3cr3tvalue \r\n",
    )
    assert result.exit_code == 0, result.output
    assert "s3cr3t" not in result.output
    assert json.loads(config.credentials_path().read_text()) == {
        "apiToken": "ot_pat_abc_s3cr3tvalue",
        "baseUrl": "http://127.0.0.1:8765",  # the origin, without the slash
    }


# --- plain http only to this machine -----------------------------------------


@pytest.mark.parametrize(
    "url", ["http://127.example.invalid", "http://127.0.0.1.nip.io:8765", "http://127.1"]
)
def test_plain_http_to_a_name_that_looks_like_loopback_is_refused(
    run: Runner, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setenv("OT_API_TOKEN", "ot_pat_abc_s3cr3tvalue")
    result = run("--base-url", url, "list")
    assert_clean_refusal(result, "refusing to send a token over plain http")
    assert "s3cr3t" not in result.output


def test_sandbox_localhost_is_refused_but_the_embedded_sandbox_never_asks(
    run: Runner, sandbox_run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OT_API_TOKEN", "ot_pat_abc_s3cr3tvalue")
    result = run("--base-url", "http://sandbox.localhost", "list")
    assert_clean_refusal(result, "refusing to send a token over plain http to sandbox.localhost")
    assert sandbox_run("list").exit_code == 0  # served in-process at http://sandbox.localhost


# --- the credentials file ----------------------------------------------------


def test_a_credentials_file_that_is_not_utf8_is_exit_2(
    run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = credentials(b'{"apiToken": "ot_pat_abc_s\xe9cret"}')
    monkeypatch.setenv("OT_API_TOKEN", "ot_pat_abc_s3cr3tvalue")
    result = run("list")
    assert_clean_refusal(result, f"{path} is not UTF-8 text")


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe{\x00}", b"[1, 2]"])
def test_the_way_out_of_a_corrupt_credentials_file_works(run: Runner, content: bytes) -> None:
    path = credentials(content)
    token = "ot_pat_abc_s3cr3tvalue"
    refused = run("auth", "login", "--no-verify", input=token)
    assert_clean_refusal(refused, str(path))
    hint = refused.stderr.split("Hint: ", 1)[1]
    assert "jobdraft auth login" in hint
    found = re.search(r"\((rm [^)]+)\)", hint)
    assert found, hint
    # Do exactly what the hint says: its command, then 'auth login'.
    subprocess.run(["sh", "-c", found.group(1)], check=True)
    assert not path.exists()
    saved = run("auth", "login", "--no-verify", input=token)
    assert saved.exit_code == 0, saved.output
    assert json.loads(path.read_text()) == {"apiToken": token, "baseUrl": config.DEFAULT_BASE_URL}


# --- base URLs ---------------------------------------------------------------

BASE_SOURCES = ["--base-url", "OT_API_BASE_URL", "OPENTRAIN_BASE_URL", "file"]


def give_base_url(
    run: Runner, monkeypatch: pytest.MonkeyPatch, source: str, url: str, *args: str
) -> Result:
    return give(run, monkeypatch, BASE_URL, source, url, *args)


@pytest.mark.parametrize("source", BASE_SOURCES)
@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://[::1", "is not a valid URL"),
        ("http://127.0.0.1:9/?page=2", "must not have a ?query or #fragment"),
        ("http://127.0.0.1:9#top", "must not have a ?query or #fragment"),
        ("http://127.0.0.1 :9", "contains spaces or control characters"),
    ],
)
def test_an_unusable_base_url_is_exit_2_naming_its_source(
    run: Runner, monkeypatch: pytest.MonkeyPatch, source: str, url: str, why: str
) -> None:
    monkeypatch.setenv("OT_API_TOKEN", "ot_pat_abc_s3cr3tvalue")
    result = give_base_url(run, monkeypatch, source, f" {url} ", "list")
    assert_clean_refusal(result, f"the base URL from {source_label(source)} {why}")


@pytest.mark.slow
@pytest.mark.parametrize("source", BASE_SOURCES)
@pytest.mark.parametrize("suffix", ["", "/", "/api/public/v1"])
def test_a_padded_base_url_works_from_every_source(
    run: Runner, served: Served, monkeypatch: pytest.MonkeyPatch, source: str, suffix: str
) -> None:
    monkeypatch.setenv("OT_API_TOKEN", served.token)
    result = give_base_url(
        run, monkeypatch, source, f"  {served.origin}{suffix}\n", "list", "--json"
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["jobs"] == []


def test_an_empty_base_url_flag_is_refused(run: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OT_API_TOKEN", "ot_pat_abc_s3cr3tvalue")
    for value in ("", "  "):
        result = run("--base-url", value, "list")
        assert_clean_refusal(result, "the base URL from --base-url is empty")


@pytest.mark.slow
def test_a_blank_base_url_variable_counts_as_unset(
    run: Runner, served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OT_API_TOKEN", served.token)
    monkeypatch.setenv("OT_API_BASE_URL", "  ")
    monkeypatch.setenv("OPENTRAIN_BASE_URL", served.origin)
    result = run("auth", "status")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Server: {served.origin} (from OPENTRAIN_BASE_URL)\n")


def test_a_broken_sandbox_token_is_refused_without_showing_it(sandbox_run: Runner) -> None:
    result = sandbox_run("--token", "ot_pat_a_sécret", "list")
    assert result.exit_code == 2
    assert "--token" in result.stderr
    assert "sécret" not in result.output


def test_auth_login_names_where_a_broken_token_came_from(run: Runner) -> None:
    result = run("--base-url", "http://127.0.0.1:9", "auth", "login", input="ot_pat_a b_c\n")
    assert result.exit_code == 2
    assert "prompt or stdin" in result.stderr
    assert "ot_pat_a b_c" not in result.output
