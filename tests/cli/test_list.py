"""``jobdraft list`` end to end against the embedded sandbox: a page a person can read.

The sandbox's store is filled directly (a create through the API takes a
description and its parsing; a few hundred rows here take milliseconds), in
the account of the sandbox token, which the first create through the CLI makes.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time

import pytest
from tests.conftest import Runner

from jobdraft.sandbox.app import default_db_path
from jobdraft.sandbox.store import Job, Store

DESCRIPTION = "Label 2,000 images of street signs; 5 annotators, $20/hour, English."


def seed_jobs(sandbox_run: Runner, count: int, status: str = "DRAFT") -> list[str]:
    """``count`` more jobs of the sandbox account; their ids, newest first."""
    first = sandbox_run("create", "--description", DESCRIPTION, "--json")
    assert first.exit_code == 0, first.output
    first_id = json.loads(first.stdout)["jobId"]
    account = account_of(first_id)
    store = Store(default_db_path())
    try:
        ids = []
        now = time.time()
        with store.write() as tx:
            for index in range(count):
                job_id = f"seeded{index:05d}"
                tx.insert(
                    Job(
                        id=job_id,
                        account=account,
                        status=status,
                        fields={"jobTitle": f"Seeded job {index}"},
                        created_at=now,
                        updated_at=now,
                    )
                )
                ids.append(job_id)
    finally:
        store.close()
    return [*reversed(ids), first_id]


def account_of(job_id: str) -> str:
    """The sandbox account that owns ``job_id`` (the store's own column)."""
    with contextlib.closing(sqlite3.connect(default_db_path())) as conn:
        row = conn.execute("SELECT account FROM jobs WHERE id = ?", (job_id,)).fetchone()
    assert row is not None
    return str(row[0])


def listed_ids(sandbox_run: Runner, *args: str) -> tuple[list[str], str]:
    result = sandbox_run("list", "--json", *args)
    assert result.exit_code == 0, result.output
    return [job["id"] for job in json.loads(result.stdout)["jobs"]], result.stderr


def test_the_newest_30_by_default_and_a_line_that_says_how_to_see_more(
    sandbox_run: Runner,
) -> None:
    newest_first = seed_jobs(sandbox_run, 44)
    result = sandbox_run("list")
    assert result.exit_code == 0, result.output
    shown = [job_id for job_id in newest_first if job_id in result.stdout]
    assert shown == newest_first[:30]
    assert "Showing the newest 30; there are more." in result.stderr
    assert "jobdraft --sandbox list --all" in result.stderr
    # The note is on stderr: a pipe gets the table only.
    assert "there are more" not in result.stdout


def test_json_gives_the_same_page_and_every_page_with_all(sandbox_run: Runner) -> None:
    newest_first = seed_jobs(sandbox_run, 230)  # three API pages of 100
    ids, note = listed_ids(sandbox_run)
    assert ids == newest_first[:30]
    assert "list --all" in note
    ids, note = listed_ids(sandbox_run, "--all")
    assert ids == newest_first
    assert note == ""


@pytest.mark.parametrize("limit", [1, 99, 100, 101, 231])
def test_limit_gives_that_many(sandbox_run: Runner, limit: int) -> None:
    newest_first = seed_jobs(sandbox_run, 230)
    ids, note = listed_ids(sandbox_run, "--limit", str(limit))
    assert ids == newest_first[:limit]
    # 231 is every job: nothing more to see.
    assert ("there are more" in note) == (limit < len(newest_first))


def test_the_hint_keeps_the_status_asked_for(sandbox_run: Runner) -> None:
    seed_jobs(sandbox_run, 5, status="OPEN")
    result = sandbox_run("list", "--status", "open", "-L", "2")
    assert result.exit_code == 0, result.output
    assert "jobdraft --sandbox list --status OPEN --all" in result.stderr
    assert result.stdout.count("Seeded job") == 2


def test_no_note_when_everything_is_shown(sandbox_run: Runner) -> None:
    newest_first = seed_jobs(sandbox_run, 29)  # 30 with the one created
    result = sandbox_run("list")
    assert result.exit_code == 0, result.output
    assert all(job_id in result.stdout for job_id in newest_first)
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--limit", "0"), "0 is not in the range x>=1"),
        (("--limit", "ten"), "Invalid value for '--limit'"),
        (("--limit", "5", "--all"), "--limit and --all"),
    ],
)
def test_bad_limits_are_usage_errors(
    sandbox_run: Runner, args: tuple[str, ...], message: str
) -> None:
    result = sandbox_run("list", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def requested_pages(trace: str) -> list[str]:
    """The query of each ``GET /jobs/mine`` in a ``--debug`` trace."""
    return [
        line.split("?", 1)[1] if "?" in line else ""
        for line in trace.splitlines()
        if line.startswith("> GET ") and "/jobs/mine" in line
    ]


@pytest.mark.parametrize(
    ("args", "pages"),
    [
        ((), ["limit=31"]),
        (("--limit", "5"), ["limit=6"]),
        (("--limit", "150"), ["limit=100", "limit=51&cursor="]),
        (("--all",), ["limit=100", "limit=100&cursor=", "limit=100&cursor="]),
    ],
)
def test_the_listing_asks_only_for_the_rows_it_shows(
    sandbox_run: Runner, args: tuple[str, ...], pages: list[str]
) -> None:
    """One job past the limit tells whether there are more; no page past that."""
    seed_jobs(sandbox_run, 230)
    result = sandbox_run("--debug", "list", *args)
    assert result.exit_code == 0, result.output
    asked = requested_pages(result.stderr)
    assert len(asked) == len(pages), asked
    for query, expected in zip(asked, pages, strict=True):
        assert query.startswith(expected), (query, expected)
