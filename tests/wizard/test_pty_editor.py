"""The description written in $EDITOR: ``fill --editor``, Ctrl-E at the prompt, ``!e`` in plain
mode and ``create --editor``, through the real ``jobdraft --sandbox`` with fake editors.

A fake editor is a shell script this test writes: it records the file it
was given and writes the text a person would, or leaves the file as it was.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from tests.wizard.conftest import PODCASTS
from tests.wizard.line_terminal import JOBDRAFT, LineTerminal
from tests.wizard.pty_screen import CTRL_C, ENTER, Pty, pty_env

from jobdraft.journal import Journal

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]

CTRL_E = "\x05"
DEAD_SERVER = "http://127.0.0.1:9"  # the discard port: nothing listens, the create fails


def fake_editor(folder: Path, writes: str | None) -> Path:
    """An editor that writes ``writes`` into the file, or (None) changes nothing."""
    script = folder / "fake-editor"
    body = f'cp "$1" {folder / "given.txt"}\n'
    if writes is not None:
        body += f"printf '%s\\n' {json.dumps(writes)} > \"$1\"\n"
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(0o755)
    return script


def jobdraft(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [JOBDRAFT, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, **env},
    )


def only_job(*global_options: str) -> dict[str, object]:
    (job,) = json.loads(jobdraft(*global_options, "list", "--json").stdout)["jobs"]
    shown = json.loads(jobdraft(*global_options, "show", job["id"], "--json").stdout)
    return dict(shown["normalizedFields"])


def saved_description(origin: str) -> object:
    """The description the journal keeps for the next ``jobdraft fill`` against ``origin``."""
    return Journal.for_new_draft(origin).answers().get("rawJobDescription")


def test_fill_editor_writes_the_description_in_the_editor(tmp_path: Path) -> None:
    editor = fake_editor(tmp_path, PODCASTS)
    term = Pty("--sandbox", "fill", "--editor", env=pty_env(EDITOR=str(editor)))
    try:
        term.wait_for("created")
        term.wait_for("Guessed from your description")
        term.send(CTRL_C)
        assert term.wait_exit() == 130
    finally:
        term.close()
    assert "Describe the job" not in term.transcript  # the editor took the prompt's place
    assert (tmp_path / "given.txt").read_text() == ""
    assert only_job("--sandbox")["jobDescription"] == PODCASTS


def test_ctrl_e_at_the_description_prompt_opens_the_editor_with_the_text_so_far(
    tmp_path: Path,
) -> None:
    editor = fake_editor(tmp_path, PODCASTS)
    term = Pty("--sandbox", "fill", env=pty_env(EDITOR=str(editor)))
    try:
        term.wait_for("Ctrl-E for your editor")
        term.type("Podcasts")
        term.send(CTRL_E)
        term.wait_for("created")
        term.send(CTRL_C)
        assert term.wait_exit() == 130
    finally:
        term.close()
    assert (tmp_path / "given.txt").read_text() == "Podcasts\n"
    assert only_job("--sandbox")["jobDescription"] == PODCASTS


def test_an_unchanged_buffer_is_refused_and_the_prompt_asks_instead(tmp_path: Path) -> None:
    editor = fake_editor(tmp_path, None)
    term = Pty("--sandbox", "fill", "--editor", env=pty_env(EDITOR=str(editor)))
    try:
        term.wait_for("Describe the job")
        assert "the description is empty: nothing was written in the editor" in term.transcript
        term.type(PODCASTS)
        term.send(CTRL_E)  # the editor again, from the prompt: still nothing written
        term.wait_for("Not used: the job description is unchanged")
        term.send("\x1b", ENTER)
        term.wait_for("created")
        term.send(CTRL_C)
        assert term.wait_exit() == 130
    finally:
        term.close()
    assert only_job("--sandbox")["jobDescription"] == PODCASTS


def test_bang_e_in_plain_mode_opens_the_editor(tmp_path: Path) -> None:
    editor = fake_editor(tmp_path, PODCASTS)
    term = LineTerminal(JOBDRAFT, "--sandbox", "fill", EDITOR=str(editor))
    try:
        term.answer_to("'!e' alone opens your editor.", "!e")
        term.expect("Draft jd_")
        term.child.sendintr()
        assert term.exit_code() == 130
    finally:
        term.close()
    assert "\x1b" not in term.raw
    assert only_job("--sandbox")["jobDescription"] == PODCASTS


def test_create_editor_makes_the_draft_from_the_editor(tmp_path: Path) -> None:
    editor = fake_editor(tmp_path, PODCASTS)
    result = jobdraft("--sandbox", "create", "--editor", "--json", EDITOR=str(editor))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["jobId"].startswith("jd_")
    assert only_job("--sandbox")["jobDescription"] == PODCASTS


def test_create_editor_refuses_an_empty_buffer_with_exit_2(tmp_path: Path) -> None:
    result = jobdraft("--sandbox", "create", "--editor", EDITOR=str(fake_editor(tmp_path, None)))
    assert result.returncode == 2
    assert "the description is empty: nothing was written in the editor" in result.stderr
    assert "Traceback" not in result.stderr
    assert json.loads(jobdraft("--sandbox", "list", "--json").stdout)["jobs"] == []


def test_a_missing_editor_is_a_clear_error(tmp_path: Path) -> None:
    result = jobdraft("--sandbox", "create", "--editor", EDITOR=str(tmp_path / "no-editor"))
    assert result.returncode == 2
    assert "(from $EDITOR) is not installed or not on PATH" in result.stderr
    assert "export EDITOR=nano" in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["create", "--editor"],
        # Without a terminal, fill needs an answer given up front to run at all.
        ["fill", "--editor", "--set", "headcount=3"],
    ],
)
def test_the_text_written_is_kept_when_the_create_fails(command: list[str], tmp_path: Path) -> None:
    editor = fake_editor(tmp_path, PODCASTS)
    token = "ot_pat_test_secret1234"
    result = jobdraft("--base-url", DEAD_SERVER, "--token", token, *command, EDITOR=str(editor))
    assert result.returncode == 6, result.stderr
    assert f"run again: jobdraft --base-url {DEAD_SERVER} fill" in result.stderr  # offers it again
    assert saved_description(DEAD_SERVER) == PODCASTS
