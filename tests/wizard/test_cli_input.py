"""What comes in through the CLI is refused or kept, never sent half-read or lost.

A description on stdin is read like a file: bytes that are not UTF-8 are
refused with exit 2 before anything is sent, whatever the locale says.  A
journal file that cannot be read is moved aside, with one warning on stderr.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess

import pytest
from tests.cli.served import JOBDRAFT
from tests.conftest import Runner
from tests.wizard.conftest import PODCASTS

from jobdraft.journal import Journal

pytestmark = pytest.mark.timeout(60)

LATIN1 = "café needs 3 annotators to label 500 images, paying $20 per hour.".encode("latin-1")


def jobdraft(*args: str, stdin: bytes, **env: str) -> subprocess.CompletedProcess[bytes]:
    """The real binary with ``stdin`` as raw bytes (the test's own home is in os.environ)."""
    return subprocess.run(
        [JOBDRAFT, *args],
        input=stdin,
        capture_output=True,
        env={**os.environ, **env},
        timeout=60,
        check=False,
    )


def job_count(sandbox_run: Runner) -> int:
    listed = sandbox_run("list", "--json")
    assert listed.exit_code == 0, listed.output
    return len(json.loads(listed.stdout)["jobs"])


@pytest.mark.slow
@pytest.mark.parametrize(
    "env",
    [{}, {"PYTHONIOENCODING": "utf-8"}, {"LC_ALL": "C", "LANG": "C"}],
    ids=["default", "PYTHONIOENCODING=utf-8", "C locale"],
)
def test_stdin_that_is_not_utf8_is_refused_like_a_file(
    sandbox_run: Runner, env: dict[str, str]
) -> None:
    result = jobdraft("--sandbox", "create", "-f", "-", stdin=LATIN1, **env)
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 2, stderr
    assert "standard input is not UTF-8 text" in stderr
    assert "iconv" in stderr
    assert "Traceback" not in stderr
    assert result.stdout == b""
    assert job_count(sandbox_run) == 0  # refused before anything was sent


@pytest.mark.slow
def test_utf8_on_stdin_is_sent_with_its_line_endings_read_as_a_files(
    sandbox_run: Runner,
) -> None:
    text = "Our café needs 3 annotators\r\nto transcribe 200 hours of Spanish podcasts.\r\n"
    result = jobdraft("--sandbox", "create", "-f", "-", "--json", stdin=text.encode("utf-8"))
    assert result.returncode == 0, result.stderr
    job_id = json.loads(result.stdout)["jobId"]
    shown = json.loads(sandbox_run("show", job_id, "--json").stdout)
    assert shown["normalizedFields"]["jobDescription"] == (
        "Our café needs 3 annotators\nto transcribe 200 hours of Spanish podcasts."
    )


def test_stdin_decoded_with_surrogates_is_refused_in_process(sandbox_run: Runner) -> None:
    """A text stream that let a bad byte through (surrogateescape) is refused too."""
    result = sandbox_run("create", "-f", "-", input="caf\udce9 needs 3 annotators, $20/hour")
    assert result.exit_code == 2, result.output
    assert "standard input is not UTF-8 text" in result.stderr
    assert job_count(sandbox_run) == 0


def test_a_corrupt_journal_is_kept_aside_with_one_warning(sandbox_run: Runner) -> None:
    created = sandbox_run("create", "-d", PODCASTS, "--json")
    job_id = json.loads(created.stdout)["jobId"]
    journal = Journal.for_draft("sandbox", job_id)
    journal.path.parent.mkdir(parents=True)
    journal.path.write_text('{"answers": {"headcount": 3', encoding="utf-8")

    result = sandbox_run("fill", job_id, "--set", "experienceLevel=EXPERT", "--no-publish")
    aside = journal.path.with_name(journal.path.name + ".corrupt")
    assert result.stderr.count("could not be read") == 1, result.output
    assert str(aside) in " ".join(result.stderr.split())  # named, even when wrapped
    assert "could not be read" not in result.stdout
    assert aside.read_text(encoding="utf-8") == '{"answers": {"headcount": 3'
    assert stat.S_IMODE(aside.stat().st_mode) == 0o600
    assert result.exit_code == 2  # the rest is still missing: named, as without a journal
    assert "Traceback" not in result.output

    again = sandbox_run("fill", job_id, "--set", "headcount=3", "--no-publish")
    assert "could not be read" not in again.output  # said once, not on every run
