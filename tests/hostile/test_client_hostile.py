"""What a hostile server can make the client do, through the real CLI in-process.

Each test scripts tests/hostile/server.py and runs ``jobdraft`` against it; the
answers are the ones issue 8 found (bombs, endless bodies, drips, endless
paging, a token echoed back, markup in a status line, ids that are not ids).
"""

from __future__ import annotations

import itertools
import time
import zlib
from collections.abc import Iterator
from typing import BinaryIO

import pytest
from tests.conftest import Runner
from tests.hostile.server import HostileServer, Reply, Request, hostile

from jobdraft.client import MAX_ANSWER_BYTES, MAX_PAGES

TOKEN = "ot_pat_hostile_s3cretpart"
SECRET_PART = "s3cretpart"


@pytest.fixture
def server() -> Iterator[HostileServer]:
    with hostile() as started:
        yield started


@pytest.fixture
def cli(run: Runner, server: HostileServer) -> Runner:
    """``jobdraft`` pointed at the hostile server with a token."""

    def invoke(*args: str, input: str | None = None) -> object:
        return run("--base-url", server.origin, "--token", TOKEN, *args, input=input)

    return invoke  # type: ignore[return-value]


def gzip_bomb(decoded_mib: int) -> bytes:
    """One gzip member of ``decoded_mib`` MiB of zeros (about 1 KiB per MiB)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    zeros = bytes(2**20)
    parts = [packer.compress(zeros) for _ in range(decoded_mib)]
    return b"".join(parts) + packer.flush()


BOMB = gzip_bomb(256)


def endless_chunks(out: BinaryIO) -> None:
    """A chunked JSON string that never ends."""
    out.write(b'a\r\n{"jobId":"\r\n')
    chunk = b"a" * 65536
    while True:
        out.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))


def huge_json(out: BinaryIO) -> None:
    """100 MB of valid JSON, announced with its length."""
    step = b'"' + b"x" * (2**20 - 3) + b'",'
    out.write(b"[")
    for _ in range(100):
        out.write(step)
    out.write(b"0]")


HOSTILE_BODIES = {
    "gzip-bomb": Reply(
        body=BOMB, headers={"Content-Type": "application/json", "Content-Encoding": "gzip"}
    ),
    "100MB-json": Reply(
        stream=huge_json,
        headers={"Content-Type": "application/json", "Content-Length": str(100 * 2**20 + 3)},
    ),
    "endless-chunked": Reply(
        stream=endless_chunks,
        headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
    ),
}


@pytest.mark.parametrize("name", HOSTILE_BODIES)
def test_an_answer_past_the_size_cap_ends_in_exit_6(
    cli: Runner, server: HostileServer, name: str
) -> None:
    server.on("GET", "/job-drafts/*", HOSTILE_BODIES[name])
    result = cli("show", "j1")
    assert result.exit_code == 6, result.output
    assert f"larger than {MAX_ANSWER_BYTES // 2**20} MB" in result.stderr
    assert "unexpected" not in result.output
    # A read, but an answer that large is not retried: one request only.
    assert len(server.requests) == 1


def drip_body(out: BinaryIO) -> None:
    """A valid answer's length announced, then one byte every half second."""
    for byte in itertools.repeat(b" ", 10_000):
        out.write(byte)
        out.flush()
        time.sleep(0.5)


def drip_headers(out: BinaryIO) -> None:
    """A status line, then headers that never end, a line every half second."""
    out.write(b"HTTP/1.1 200 OK\r\n")
    for n in itertools.count():
        out.write(b"X-Drip-%d: a\r\n" % n)
        out.flush()
        time.sleep(0.5)


DRIPS = {
    "body": Reply(stream=drip_body, headers={"Content-Length": "10000"}),
    "headers": Reply(raw=drip_headers),
}


@pytest.mark.parametrize("part", DRIPS)
def test_a_drip_is_cut_at_the_deadline_of_the_whole_request(
    cli: Runner, server: HostileServer, part: str
) -> None:
    """Each byte comes well within --timeout; only a whole-request deadline ends it.

    A write (PATCH) is not retried after a timeout, so this is one attempt.
    """
    server.on("PATCH", "/job-drafts/*", DRIPS[part])
    result = cli("--timeout", "1.5", "patch", "j1", "--set", "jobTitle=Drip")
    assert result.exit_code == 6, result.output
    assert "did not answer within 1.5 seconds" in result.stderr
    assert [r.method for r in server.requests if r.method == "PATCH"] == ["PATCH"]


def test_a_read_that_times_out_is_retried_a_bounded_number_of_times(
    cli: Runner, server: HostileServer
) -> None:
    server.on("GET", "/job-drafts/*", Reply(raw=drip_headers))
    result = cli("--timeout", "0.5", "show", "j1")
    assert result.exit_code == 6, result.output
    assert "did not answer within 0.5 seconds" in result.stderr
    assert len(server.requests) == 4  # one try and three retries
    assert result.stderr.count("retrying in") == 3


def test_a_timed_out_publish_is_retried_and_its_repeat_is_harmless(
    cli: Runner, server: HostileServer
) -> None:
    """publish is replay-safe: a second publish answers alreadyPublished."""
    answers = iter([Reply(raw=drip_headers)])

    def publish(request: Request) -> Reply:
        return next(
            answers,
            Reply.json({"ok": True, "jobId": "j1", "status": "OPEN", "alreadyPublished": True}),
        )

    server.on("POST", "/jobs/j1/publish", publish)
    result = cli("--timeout", "0.5", "publish", "j1", "--yes")
    assert result.exit_code == 0, result.output
    assert "already published" in result.stdout
    assert len([r for r in server.requests if r.path.endswith("/publish")]) == 2


def new_cursor_every_time(request: Request) -> Reply:
    page = len(request.path)  # any value; only the cursor matters
    return Reply.json(
        {
            "jobs": [{"id": f"jd_{page}", "title": "t", "status": "DRAFT"}],
            "nextCursor": f"c{time.monotonic_ns()}",
        }
    )


def test_paging_stops_at_the_page_ceiling(cli: Runner, server: HostileServer) -> None:
    server.on("GET", "/jobs/mine", new_cursor_every_time)
    result = cli("list", "--all")
    assert result.exit_code == 6, result.output
    assert f"stopped after {MAX_PAGES} pages" in result.stderr
    assert len(server.requests) == MAX_PAGES


def test_paging_stops_at_a_repeated_cursor(cli: Runner, server: HostileServer) -> None:
    page = {"jobs": [{"id": "jd_1", "title": "t", "status": "DRAFT"}], "nextCursor": "same"}
    server.on("GET", "/jobs/mine", Reply.json(page))
    result = cli("list")
    assert result.exit_code == 6, result.output
    assert "same page cursor twice" in result.stderr
    assert len(server.requests) == 2


def echo_token(status: int) -> object:
    """An error whose every string field holds the token the client sent."""

    def reply(request: Request) -> Reply:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        details = {
            "reasons": [f"reason {token}"],
            "featureKey": f"feature-{token}",
            "mode": token,
            "issues": [{"path": [f"key_{token}"], "message": f"bad {token}", "code": "custom"}],
            token: f"as a key {SECRET_PART}",
        }
        return Reply.json(
            {
                "error": f"echo {token}",
                "code": f"C_{token}",
                "requestId": token,
                "details": details,
            },
            status,
        )

    return reply


@pytest.mark.parametrize("status", [400, 403, 404, 500])
def test_the_token_is_redacted_whatever_field_echoes_it(
    cli: Runner, server: HostileServer, status: int
) -> None:
    server.on("PATCH", "/job-drafts/*", echo_token(status))  # type: ignore[arg-type]
    result = cli("patch", "j1", "--set", "jobTitle=Echo")
    assert result.exit_code in (3, 4, 5, 6), result.output
    assert "echo" in result.stderr  # the message was shown, redacted
    assert SECRET_PART not in result.output
    assert TOKEN not in result.output


def test_the_token_is_redacted_from_a_successful_answer_too(
    cli: Runner, server: HostileServer
) -> None:
    def draft(request: Request) -> Reply:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        return Reply.json(
            {
                "ok": True,
                "jobId": "j1",
                "status": "DRAFT",
                "title": f"title {token}",
                token: SECRET_PART,
                "validation": {
                    "publishReady": False,
                    "missingFieldCount": 1,
                    "missingFields": [f"field_{token}"],
                    "issues": [],
                },
            }
        )

    server.on("GET", "/job-drafts/j1", draft)
    as_json = cli("show", "j1", "--json")
    assert as_json.exit_code == 0, as_json.output
    assert "title <redacted>" in as_json.stdout
    shown = cli("show", "j1")
    assert shown.exit_code == 0, shown.output
    assert SECRET_PART not in as_json.output + shown.output


@pytest.mark.parametrize(
    "reply",
    [
        Reply(status=502, reason="[/]", body=b"[/] [bold]x", headers={"Content-Type": "text/html"}),
        Reply(status=200, reason="[/]", body=b"[/]"),
        Reply(status=500, reason="[link=https://evil.example]x[/link]", body=b"[/]"),
    ],
    ids=["502", "200-not-json", "500-link"],
)
def test_markup_in_the_status_line_or_body_is_a_server_error(
    cli: Runner, server: HostileServer, reply: Reply
) -> None:
    server.on("GET", "/job-drafts/*", reply)
    result = cli("show", "j1")
    assert result.exit_code == 6, result.output
    assert "unexpected" not in result.output


@pytest.mark.parametrize(
    "job_id", ["", ".", "..", " .. ", "jd_\x1b]52;c;aGk=\x07", "jd_\udcff"], ids=repr
)
def test_ids_that_are_not_ids_are_refused_before_sending(
    cli: Runner, server: HostileServer, job_id: str
) -> None:
    result = cli("patch", job_id, "--set", "jobTitle=x")
    assert result.exit_code == 2, result.output
    assert "\x1b" not in result.output
    assert [r for r in server.requests if r.method == "PATCH"] == []


def test_the_debug_trace_shows_controls_and_hides_the_token(
    cli: Runner, server: HostileServer
) -> None:
    body = b'{"error": "\\u001b]52;c;aGk=\\u0007 bad", "code": "X"}'
    server.on(
        "GET",
        "/job-drafts/*",
        Reply(status=404, body=b"\x1b[2J" + body),
    )
    result = cli("--debug", "show", "j1")
    assert "\x1b" not in result.stderr
    assert "\\x1b[2J" in result.stderr
    assert SECRET_PART not in result.output
