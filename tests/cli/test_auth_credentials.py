"""The shared credentials file as the official tools treat it, through the real CLI.

``auth login`` saves a token with the origin it is for, ``auth logout``
leaves neither behind (the file goes, as with the official CLI; a pending
``claimToken`` is the one thing kept), a file other users can read is used
with a warning, and a config folder that cannot be written is exit 2.
"""

from __future__ import annotations

import json
import os
import shlex
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.cli.served import JOBDRAFT, Served, serve
from tests.conftest import Result, Runner

from jobdraft import config

pytestmark = pytest.mark.timeout(60)

OTHER_TOKEN = "ot_pat_realacct_othersecret"


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    with serve() as server:
        yield server


def saved() -> dict[str, object]:
    path = config.credentials_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def refused(result: Result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    assert "unexpected error" not in result.output
    assert "Traceback" not in result.output


def test_login_logout_login_leaves_no_sandbox_address_behind(run: Runner, served: Served) -> None:
    path = config.credentials_path()
    given = served.origin + "/api/public/v1/"
    login = run("--base-url", given, "auth", "login", input=served.token + "\n")
    assert login.exit_code == 0, login.output
    assert f"for {served.origin} (from --base-url)" in login.stdout
    assert saved() == {"apiToken": served.token, "baseUrl": served.origin}

    status = run("auth", "status")
    assert status.exit_code == 0, status.output
    assert status.stdout.splitlines()[0] == f"Server: {served.origin} (from {path})"

    logout = run("auth", "logout")
    assert logout.exit_code == 0, logout.output
    assert logout.stdout == f"Logged out: removed {path}.\n"
    assert not path.exists()
    assert run("auth", "logout").stdout == "No saved token.\n"

    # A real token, no --base-url: it is saved for the real service, not the sandbox.
    again = run("auth", "login", "--no-verify", input=OTHER_TOKEN + "\n")
    assert again.exit_code == 0, again.output
    assert f"for {config.DEFAULT_BASE_URL} " in again.stdout
    assert saved() == {"apiToken": OTHER_TOKEN, "baseUrl": config.DEFAULT_BASE_URL}
    assert "127.0.0.1" not in path.read_text(encoding="utf-8")


def test_a_second_login_replaces_the_base_url_of_the_first(run: Runner, served: Served) -> None:
    first = run("--base-url", served.origin, "auth", "login", input=served.token)
    assert first.exit_code == 0, first.output
    # The file's old baseUrl is neither checked against nor kept.
    second = run("auth", "login", "--no-verify", input=OTHER_TOKEN)
    assert second.exit_code == 0, second.output
    assert saved() == {"apiToken": OTHER_TOKEN, "baseUrl": config.DEFAULT_BASE_URL}


def test_login_saves_the_origin_from_the_environment_and_says_so(
    run: Runner, served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OT_API_BASE_URL", served.origin.upper().replace("HTTP:", "http:"))
    result = run("auth", "login", input=served.token)
    assert result.exit_code == 0, result.output
    assert f"for {served.origin} (from OT_API_BASE_URL)" in result.stdout
    assert saved() == {"apiToken": served.token, "baseUrl": served.origin}


def test_logout_keeps_only_a_pending_claim_token_and_says_so(run: Runner) -> None:
    path = config.credentials_path()
    path.parent.mkdir(parents=True)
    path.write_text(
        json.dumps(
            {
                "apiToken": "ot_pat_abc_s3cr3t",
                "baseUrl": "http://127.0.0.1:8765",
                "claimToken": "ot_clm_pending",
                "somethingElse": 1,
            }
        )
    )
    path.chmod(0o600)
    result = run("auth", "logout")
    assert result.exit_code == 0, result.output
    assert "kept the pending claimToken" in result.stdout
    assert saved() == {"claimToken": "ot_clm_pending"}
    # Logging in again keeps the claim beside the new login.
    run("auth", "login", "--no-verify", input=OTHER_TOKEN)
    assert saved() == {
        "claimToken": "ot_clm_pending",
        "apiToken": OTHER_TOKEN,
        "baseUrl": config.DEFAULT_BASE_URL,
    }


def test_logout_removes_a_file_that_holds_only_a_base_url(run: Runner) -> None:
    path = config.credentials_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"baseUrl": "http://127.0.0.1:8765"}))
    result = run("auth", "logout")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"No saved token; removed {path}.\n"
    assert not path.exists()


@pytest.mark.parametrize("url", ["http://127.0.0.1:8765/v2", "https://app.opentrain.ai/api"])
def test_login_refuses_a_base_url_with_another_path(run: Runner, url: str) -> None:
    result = run("--base-url", url, "auth", "login", "--no-verify", input=OTHER_TOKEN)
    refused(result, "has a path", "origin only")
    assert not config.credentials_path().exists()


# --- a password in the base URL ------------------------------------------------


@pytest.mark.parametrize("source", ["--base-url", "OT_API_BASE_URL", "file"])
def test_a_base_url_with_a_password_is_refused_without_showing_it(
    run: Runner, served: Served, monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    url = served.origin.replace("http://", "http://admin:hunter2@")
    flags: list[str] = []
    if source == "--base-url":
        flags = ["--base-url", url]
    elif source == "file":
        path = config.credentials_path()
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps({"baseUrl": url}))
        path.chmod(0o600)
    else:
        monkeypatch.setenv(source, url)
    monkeypatch.setenv("OT_API_TOKEN", served.token)
    result = run(*flags, "list")
    refused(result, "must not hold a user name or password", f"'{served.origin}'")
    # --debug adds a traceback of the refusal, and still no password.
    traced = run(*flags, "--debug", "list")
    assert traced.exit_code == 2
    assert "hunter2" not in result.output + traced.output
    if source != "file":  # login never reads the file's baseUrl
        login = run(*flags, "auth", "login", input=served.token)
        refused(login, "must not hold a user name or password")
        assert "hunter2" not in login.output
        assert not config.credentials_path().exists()


# --- a file other users can read ------------------------------------------------


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_a_token_file_open_to_others_is_used_with_a_warning_that_says_how_to_fix_it(
    run: Runner, served: Served, mode: int
) -> None:
    path = config.credentials_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"apiToken": served.token, "baseUrl": served.origin}))
    path.chmod(mode)
    result = run("list", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["jobs"] == []  # stdout stays the JSON answer alone
    fix = f"chmod 600 {shlex.quote(str(path))}"
    assert f"(mode {mode:04o})" in result.stderr
    assert fix in result.stderr
    assert served.token not in result.output
    subprocess.run(["sh", "-c", fix], check=True)  # do what it says
    after = run("list", "--json")
    assert after.exit_code == 0, after.output
    assert after.stderr == ""


def test_a_file_without_a_token_gets_no_warning(run: Runner) -> None:
    path = config.credentials_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"baseUrl": "http://127.0.0.1:9"}))
    path.chmod(0o644)
    result = run("list")
    assert result.exit_code == 4  # no token anywhere
    assert "chmod" not in result.output


# --- a config folder that cannot be used ---------------------------------------


def test_a_config_folder_that_is_a_file_is_exit_2(
    run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the config folder should be")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocker))
    path = blocker / "opentrain" / "cli.json"
    refused(run("auth", "login", "--no-verify", input=OTHER_TOKEN), str(path), "Not a directory")
    refused(run("auth", "logout"), str(path), "Not a directory")
    assert blocker.read_text() == "a file where the config folder should be"


def test_completion_stays_silent_about_an_open_file(tmp_path: Path) -> None:
    # The shell shows whatever completion writes to stderr, in the middle of the line.
    path = config.credentials_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"apiToken": "ot_pat_abc_s3cr3t"}))
    path.chmod(0o644)
    env = {
        **os.environ,
        "_JOBDRAFT_COMPLETE": "complete_bash",
        "_TYPER_COMPLETE_ARGS": "jobdraft show ",
    }
    result = subprocess.run(
        [JOBDRAFT], env=env, capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    warned = subprocess.run(
        [JOBDRAFT, "--base-url", "http://127.0.0.1:9", "--timeout", "1", "list"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert "chmod 600" in warned.stderr  # the same file warns in a real run


def test_logout_of_a_claim_alone_keeps_it_and_says_so(run: Runner) -> None:
    path = config.credentials_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"baseUrl": "http://127.0.0.1:8765", "claimToken": "ot_clm_x"}))
    path.chmod(0o600)
    result = run("auth", "logout")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"No saved token; removed everything else from {path}")
    assert saved() == {"claimToken": "ot_clm_x"}
