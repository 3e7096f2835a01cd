"""Hostile strings, scripted answers that carry them, and checks on the bytes jobdraft wrote.

One string holds every trick a server could play on a terminal: an OSC 52
clipboard write, a screen clear, a window-title change, an OSC 8 ``file:``
hyperlink, a one-byte C1 CSI, a bidi override, rich markup that would crash
(``[/]``) or hide a link, and the user's own token echoed back.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.hostile.server import HostileServer, Reply

JOBDRAFT = str(Path(sys.executable).with_name("jobdraft"))

SECRET = "s3cretTokenPart42xyz"
TOKEN = f"ot_pat_hostile1_{SECRET}"

OSC52 = "\x1b]52;c;cGF5bG9hZA==\x07"
CLEAR = "\x1b[2J\x1b[H"
TITLE = "\x1b]0;owned\x07"
FILE_LINK = "\x1b]8;;file:///etc/passwd\x1b\\click\x1b]8;;\x1b\\"
C1_CSI = "\x9b31m"
BIDI = "\u202e"
MARKUP = "[/] [link=https://evil.example/login]3[/link] [bold]x"
EVIL = f"{OSC52}{CLEAR}{TITLE}{FILE_LINK}{C1_CSI}{BIDI}{MARKUP} {TOKEN} {SECRET}"


def evil(tag: str) -> str:
    """A hostile string with a plain word up front, to find where it was printed."""
    return f"{tag}{EVIL}"


# Byte sequences that must never reach the terminal from the server.  With
# NO_COLOR and TERM=dumb rich writes no escape of its own, so ESC is forbidden
# outright; C1 controls are checked as UTF-8 (0xc2 0x80-0x9f) and raw.
FORBIDDEN = [b"\x1b", b"\x07", b"\x9b", TOKEN.encode(), SECRET.encode()]
FORBIDDEN += [bytes([0xC2, c]) for c in range(0x80, 0xA0)]
FORBIDDEN += ["\u202e".encode()]


def assert_inert(output: bytes) -> None:
    found = [seq for seq in FORBIDDEN if seq in output]
    assert not found, f"{found!r} reached the terminal:\n{output!r}"


def assert_shown_visibly(output: bytes, tag: str) -> None:
    """The hostile text is not dropped silently: it is there, escapes made visible."""
    text = output.decode("utf-8", "replace")
    assert tag in text
    assert "\\x1b]52;c;" in text
    assert "[link=https://evil.example/login]3[/link]" in text
    assert "<redacted>" in text


def run(server: HostileServer, *args: str, env: dict[str, str] | None = None) -> tuple[int, bytes]:
    """The real binary against ``server``; its exit code and stdout+stderr as bytes."""
    full_env = {
        **os.environ,
        "OT_API_BASE_URL": server.origin,
        "OT_API_TOKEN": TOKEN,
        "NO_COLOR": "1",
        "TERM": "dumb",
        # Wide: a table cell folded across lines would hide the words looked for.
        "COLUMNS": "1000",
        **(env or {}),
    }
    done = subprocess.run(
        [JOBDRAFT, *args], capture_output=True, env=full_env, timeout=60, check=False
    )
    return done.returncode, done.stdout + done.stderr


# -- answers shaped like the API's, hostile wherever a string is shown ------------


def missing_field(key: str) -> dict[str, Any]:
    return {
        "field": key,
        "label": evil("LABEL"),
        "message": evil("MESSAGE"),
        "code": "missing_required_field",
        "prompt": evil("PROMPT"),
        "type": "enum",
        "enumValues": ["ONE", evil("ENUM")],
        "updateKeys": [key],
        "example": "ONE",
        "hint": evil("HINT"),
    }


def draft(job_id: str = "jd_hostile", *, ready: bool = False) -> dict[str, Any]:
    missing = [] if ready else [missing_field("experienceLevel")]
    return {
        "ok": True,
        "jobId": job_id,
        "status": "DRAFT",
        "draftUrl": "https://app.example/job-post?jobId=" + evil("URL"),
        "validation": {
            "publishReady": ready,
            "issueCount": 0 if ready else 1,
            "missingFieldCount": len(missing),
            "missingFields": [m["field"] for m in missing],
            "issues": [] if ready else [{"field": evil("ISSUEFIELD"), "message": evil("ISSUE")}],
        },
        "missingFields": missing,
        "normalizedFields": {"jobTitle": evil("TITLE"), evil("FIELDKEY"): evil("FIELDVALUE")},
        "lowConfidenceFields": [],
        "warnings": [evil("WARNING")],
        "unmappedFields": [{"path": evil("UNMAPPED"), "reason": evil("REASON")}],
    }


def capabilities() -> dict[str, Any]:
    return {
        "featureKey": "public_api_job_drafting",
        "capabilities": {"draftCreate": True, "publish": True, evil("FEATURE"): True},
        "draft": {
            "importFormats": ["text"],
            "updateKeys": ["jobTitle", "experienceLevel", evil("UPDATEKEY")],
            "enums": {"experienceLevel": ["ONE", evil("ENUM")]},
            "fieldTypes": {"jobTitle": "string", "experienceLevel": "enum"},
        },
    }


def jobs() -> dict[str, Any]:
    job = {
        "id": "jd_hostile",
        "title": evil("JOBTITLE"),
        "status": evil("STATUS"),
        "updatedAt": evil("UPDATED"),
        "jobUrl": evil("JOBURL"),
    }
    return {"jobs": [job], "nextCursor": None}


def me() -> dict[str, Any]:
    return {
        "actor": {"id": "usr_1", "displayName": evil("ACTOR")},
        "token": {"id": "t1", "label": evil("TOKENLABEL"), "scopes": [evil("SCOPE")]},
        "account": {"id": "acct_1"},
    }


def published() -> dict[str, Any]:
    return {
        "ok": True,
        "jobId": "jd_hostile",
        "status": "OPEN",
        "jobUrl": "https://app.example/jobs/" + evil("JOBURL"),
        "warnings": [evil("PUBWARNING")],
    }


def hostile_error(status: int, code: str, details: Any = None, **headers: str) -> Reply:
    """An error envelope hostile in every field, the request id included."""
    body: dict[str, Any] = {
        "error": evil("ERROR"),
        "code": evil("CODE"),
        "requestId": evil("REQID"),
    }
    if details is not None:
        body["details"] = details
    return Reply.json(body, status, **headers)
