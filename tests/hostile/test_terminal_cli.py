"""Hostile text from a server never acts on the terminal: the real binary, every command.

Each command runs against the hostile server with answers whose every shown
string carries escape sequences, rich markup and the user's own token; the
bytes written (stdout and stderr) must hold none of them, while the text is
still there with its escapes made visible.  ``--json`` stays the server's JSON.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from tests.hostile import hostile_text as h
from tests.hostile.server import HostileServer, Reply, hostile


@pytest.fixture
def server() -> Iterator[HostileServer]:
    with hostile() as running:
        yield running


def test_show_draws_no_escape_and_no_token(server: HostileServer) -> None:
    server.on("GET", "/job-drafts/jd_hostile", Reply.json(h.draft()))
    code, output = h.run(server, "show", "jd_hostile")
    assert code == 0, output
    h.assert_inert(output)
    for tag in ("TITLE", "WARNING", "URL", "LABEL", "ISSUE", "FIELDKEY", "UNMAPPED", "ENUM"):
        h.assert_shown_visibly(output, tag)


def test_create_draws_no_escape_and_no_token(server: HostileServer) -> None:
    server.on("POST", "/job-drafts", Reply.json(h.draft(), 201))
    code, output = h.run(server, "create", "-d", "Rate chatbot answers in Spanish")
    assert code == 0, output
    h.assert_inert(output)
    h.assert_shown_visibly(output, "WARNING")


def test_create_with_a_hostile_id_draws_no_escape(server: HostileServer) -> None:
    server.on("POST", "/job-drafts", Reply.json(h.draft(h.evil("jd_")), 201))
    code, output = h.run(server, "create", "-d", "Rate chatbot answers in Spanish")
    assert code == 0, output
    h.assert_inert(output)


def test_list_draws_no_escape_and_no_token(server: HostileServer) -> None:
    server.on("GET", "/jobs/mine", Reply.json(h.jobs()))
    code, output = h.run(server, "list")
    assert code == 0, output
    h.assert_inert(output)
    h.assert_shown_visibly(output, "JOBTITLE")


def test_capabilities_draws_no_escape_and_no_token(server: HostileServer) -> None:
    server.on("GET", "/job-drafts/capabilities", Reply.json(h.capabilities()))
    code, output = h.run(server, "capabilities")
    assert code == 0, output
    h.assert_inert(output)
    for tag in ("FEATURE", "UPDATEKEY", "ENUM"):
        h.assert_shown_visibly(output, tag)


def test_patch_draws_no_escape_and_no_token(server: HostileServer) -> None:
    server.on("GET", "/job-drafts/capabilities", Reply.json(h.capabilities()))
    server.on("PATCH", "/job-drafts/jd_hostile", Reply.json(h.draft()))
    code, output = h.run(server, "patch", "jd_hostile", "--set", "jobTitle=Spanish raters")
    assert code == 0, output
    h.assert_inert(output)
    h.assert_shown_visibly(output, "LABEL")


def test_auth_status_draws_no_escape_and_no_token(server: HostileServer) -> None:
    server.on("GET", "/auth/me", Reply.json(h.me()))
    code, output = h.run(server, "auth", "status")
    assert code == 0, output
    h.assert_inert(output)


def test_publish_draws_no_escape_and_no_token(server: HostileServer) -> None:
    server.on("POST", "/jobs/jd_hostile/publish", Reply.json(h.published()))
    code, output = h.run(server, "publish", "jd_hostile", "--yes")
    assert code == 0, output
    h.assert_inert(output)


# -- error paths ---------------------------------------------------------------------

COMMANDS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "show": ("GET", "/job-drafts/jd_hostile", ("show", "jd_hostile")),
    "patch": ("PATCH", "/job-drafts/jd_hostile", ("patch", "jd_hostile", "--set", "jobTitle=x")),
    "publish": ("POST", "/jobs/jd_hostile/publish", ("publish", "jd_hostile", "--yes")),
    "list": ("GET", "/jobs/mine", ("list",)),
    "auth status": ("GET", "/auth/me", ("auth", "status")),
    "capabilities": ("GET", "/job-drafts/capabilities", ("capabilities",)),
}

FORBIDDEN_DETAILS: dict[str, Any] = {
    "reasons": [h.evil("REASON1"), h.evil("REASON2")],
    "featureKey": h.evil("FEATUREKEY"),
    "mode": h.evil("MODE"),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_hostile_403_is_exit_4_and_inert(server: HostileServer, command: str) -> None:
    method, path, args = COMMANDS[command]
    server.on("GET", "/job-drafts/capabilities", Reply.json(h.capabilities()))
    server.on(method, path, h.hostile_error(403, "FORBIDDEN", FORBIDDEN_DETAILS))
    code, output = h.run(server, *args)
    assert code == 4, output
    h.assert_inert(output)
    for tag in ("ERROR", "REQID", "REASON1", "REASON2", "FEATUREKEY", "MODE"):
        h.assert_shown_visibly(output, tag)


def test_a_400_with_hostile_field_keys_is_exit_3_and_inert(server: HostileServer) -> None:
    issues = [
        {"path": [h.evil("KEY")], "message": h.evil("WHY")},
        {"keys": [h.evil("UNRECOGNISED")], "message": h.evil("WHY2")},
    ]
    server.on("GET", "/job-drafts/capabilities", Reply.json(h.capabilities()))
    server.on("PATCH", "/job-drafts/jd_hostile", h.hostile_error(400, "BAD", {"issues": issues}))
    code, output = h.run(server, "patch", "jd_hostile", "--set", "jobTitle=x")
    assert code == 3, output
    h.assert_inert(output)
    for tag in ("KEY", "WHY", "UNRECOGNISED", "WHY2"):
        h.assert_shown_visibly(output, tag)


def test_a_429_whose_limit_is_markup_is_exit_7_with_a_plain_message(
    server: HostileServer,
) -> None:
    details = {"limit": "[/]", "windowHours": "[link=https://evil.example/login]3[/link]"}
    wait = {"Retry-After": "86400"}
    reply = Reply.error(429, "RATE_LIMITED", "Too many publishes", details, **wait)
    server.on("POST", "/jobs/jd_hostile/publish", reply)
    code, output = h.run(server, "publish", "jd_hostile", "--yes")
    assert code == 7, output
    text = output.decode()
    assert "Traceback" not in text and "MarkupError" not in text
    assert "limit: [/] publishes per [link=https://evil.example/login]3[/link]" in text
    h.assert_inert(output)


def test_a_429_hostile_everywhere_is_exit_7_and_inert(server: HostileServer) -> None:
    details = {**FORBIDDEN_DETAILS, "limit": h.evil("LIMIT"), "windowHours": h.evil("WINDOW")}
    server.on("GET", "/jobs/mine", h.hostile_error(429, "RATE", details, **{"Retry-After": "9999"}))
    code, output = h.run(server, "list")
    assert code == 7, output
    h.assert_inert(output)
    for tag in ("ERROR", "LIMIT", "WINDOW", "REQID"):
        h.assert_shown_visibly(output, tag)


def test_a_status_line_holding_markup_is_exit_6(server: HostileServer) -> None:
    # Retried (a 503 on a read), so the status line is quoted in the retry note too.
    reply = Reply(status=503, body=b"", reason="[/] " + h.EVIL, headers={"Retry-After": "0"})
    server.on("GET", "/job-drafts/jd_hostile", reply)
    code, output = h.run(server, "show", "jd_hostile")
    assert code == 6, output
    text = output.decode("utf-8", "replace")
    assert "Traceback" not in text and "unexpected error" not in text
    assert "503 [/]" in text
    h.assert_inert(output)


def test_debug_trace_is_inert(server: HostileServer) -> None:
    server.on("GET", "/job-drafts/jd_hostile", Reply.json(h.draft()))
    code, output = h.run(server, "--debug", "show", "jd_hostile")
    assert code == 0, output
    h.assert_inert(output)


# -- --json stays the server's JSON (less an echoed token) ------------------------

CONTROL_BYTES = [b"\x1b", b"\x07", b"\x7f", b"\x9b", *(bytes([0xC2, c]) for c in range(0x80, 0xA0))]


@pytest.mark.parametrize(
    ("args", "route", "answer"),
    [
        (("show", "jd_hostile", "--json"), ("GET", "/job-drafts/jd_hostile"), h.draft()),
        (("capabilities", "--json"), ("GET", "/job-drafts/capabilities"), h.capabilities()),
        (("list", "--json"), ("GET", "/jobs/mine"), h.jobs()),
    ],
)
def test_json_output_parses_back_to_the_servers_data_and_is_inert(
    server: HostileServer, args: tuple[str, ...], route: tuple[str, str], answer: Any
) -> None:
    answer = json.loads(json.dumps(answer).replace("owned", "owned\x7f\x85\u2066"))
    server.on(*route, Reply.json(answer))
    code, output = h.run(server, *args)
    assert code == 0, output
    found = [seq for seq in CONTROL_BYTES if seq in output]
    assert not found, output
    # The server's data exactly, but for the token it echoed: never printed, even here.
    assert h.TOKEN.encode() not in output
    shown = json.dumps(answer).replace(h.TOKEN, "<redacted>").replace(h.SECRET, "<redacted>")
    expected = json.loads(shown)
    assert json.loads(output) == expected
