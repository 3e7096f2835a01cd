"""The raw bytes the real binary writes to a pseudo-terminal hold nothing a server sent
that a terminal would act on: no OSC 52, screen clear, title change, OSC 8 link,
C1 CSI, BEL, and never the token.

The strings looked at are the bytes (``pexpect`` without decoding), not text
after a decoder has had its say.  With NO_COLOR and TERM=dumb rich writes no
escape of its own, so any ESC would be the server's; at a colour terminal,
and under prompt_toolkit (which draws with escapes of its own), the hostile
sequences themselves are looked for.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pexpect
import pytest
from tests.hostile import hostile_text as h
from tests.hostile.server import HostileServer, Reply, hostile

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]

# What the server's text would have written; none of our own output holds these.
HOSTILE_SEQUENCES = [
    b"\x1b]52",  # clipboard write
    b"\x1b[2J",  # screen clear
    b"\x1b]0;",  # window title
    b"\x1b]8;",  # hyperlink
    b"\xc2\x9b",  # C1 CSI, as UTF-8
    b"\x9b31m",
    b"\x07",
    "\u202e".encode(),
    h.TOKEN.encode(),
    h.SECRET.encode(),
]


@pytest.fixture
def server() -> Iterator[HostileServer]:
    with hostile() as running:
        yield running


def spawn(server: HostileServer, *args: str, **env: str) -> pexpect.spawn:
    full_env = {
        **os.environ,
        "OT_API_BASE_URL": server.origin,
        "OT_API_TOKEN": h.TOKEN,
        "PROMPT_TOOLKIT_NO_CPR": "1",  # nobody answers a cursor-position query here
        **env,
    }
    return pexpect.spawn(h.JOBDRAFT, list(args), env=full_env, dimensions=(50, 200), timeout=30)


def finish(child: pexpect.spawn) -> tuple[int, bytes]:
    """Every byte until the program ends, and its exit code."""
    written = child.before or b""
    child.expect(pexpect.EOF)
    written += child.before or b""
    child.close()
    assert child.exitstatus is not None
    return child.exitstatus, written


def test_show_at_a_plain_terminal_writes_no_escape_at_all(server: HostileServer) -> None:
    server.on("GET", "/job-drafts/jd_hostile", Reply.json(h.draft()))
    child = spawn(server, "show", "jd_hostile", NO_COLOR="1", TERM="dumb")
    code, written = finish(child)
    assert code == 0, written
    h.assert_inert(written)
    assert b"TITLE\\x1b]52;c;" in written  # shown, made visible


@pytest.mark.parametrize(
    ("args", "route", "answer"),
    [
        (("show", "jd_hostile"), ("GET", "/job-drafts/jd_hostile"), h.draft()),
        (("list",), ("GET", "/jobs/mine"), h.jobs()),
        (("capabilities",), ("GET", "/job-drafts/capabilities"), h.capabilities()),
    ],
)
def test_at_a_colour_terminal_no_hostile_sequence_is_written(
    server: HostileServer, args: tuple[str, ...], route: tuple[str, str], answer: object
) -> None:
    server.on(*route, Reply.json(answer))
    child = spawn(server, *args, TERM="xterm-256color")
    code, written = finish(child)
    assert code == 0, written
    assert b"\x1b[" in written  # rich does colour here: the check below means something
    found = [seq for seq in HOSTILE_SEQUENCES if seq in written]
    assert not found, written


def test_a_429_whose_limit_is_markup_at_a_terminal_is_exit_7(server: HostileServer) -> None:
    details = {"limit": "[/]", "windowHours": h.EVIL}
    reply = h.hostile_error(429, "RATE_LIMITED", details, **{"Retry-After": "86400"})
    server.on("POST", "/jobs/jd_hostile/publish", reply)
    child = spawn(server, "publish", "jd_hostile", "--yes", TERM="xterm-256color")
    code, written = finish(child)
    assert code == 7, written
    assert b"Traceback" not in written
    assert b"limit: [/] publishes per" in written
    found = [seq for seq in HOSTILE_SEQUENCES if seq in written]
    assert not found, written


def fill_at_a_terminal(server: HostileServer) -> tuple[int, bytes]:
    """``fill`` of a hostile draft: pick the highlighted choice, skip, send, stop at ready,
    and decline to remember the answers."""
    server.on("GET", "/job-drafts/capabilities", Reply.json(h.capabilities()))
    server.on("GET", "/job-drafts/jd_hostile", Reply.json(h.draft()))
    server.on("PATCH", "/job-drafts/jd_hostile", Reply.json(h.draft(ready=True)))
    child = spawn(server, "fill", "jd_hostile", "--no-publish", TERM="xterm-256color")
    written = b""
    for prompt in (b"Skip for now", b"empty to skip", b"What next", b"Remember them"):
        child.expect(prompt)
        written += (child.before or b"") + (child.after or b"")
        child.send("\r")
    code, rest = finish(child)
    return code, written + rest


def test_fill_headers_tables_and_choices_write_no_hostile_sequence(
    server: HostileServer,
) -> None:
    """The wizard at a real terminal: question headers, hints, choice titles, tables."""
    code, written = fill_at_a_terminal(server)
    assert code == 0, written
    found = [seq for seq in HOSTILE_SEQUENCES if seq in written]
    assert not found, written
    assert b"\x1b[" in written  # prompt_toolkit and rich draw: the check above means something
    # Each hostile string is there, made visible: header, hint, choice, table.
    for tag in (b"LABEL", b"HINT", b"PROMPT", b"ENUM", b"TITLE", b"FIELDVALUE"):
        assert tag + b"\\x1b]52;c;" in written, tag
    assert server.requests[-1].method == "PATCH"


def test_fill_never_shows_the_start_of_a_cut_token(server: HostileServer) -> None:
    code, written = fill_at_a_terminal(server)
    assert code == 0, written
    assert b"ot_pat_hostile1_s3c" not in written  # 19 characters of the token
