"""``jobdraft open ID``: the post's page in the user's browser, or its address printed.

The real binary against ``jobdraft sandbox serve`` (or the hostile server,
for addresses no server should send), in a pseudo-terminal where a browser
may be started, with ``BROWSER`` naming a small script that records the
arguments it was started with.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest
from tests.cli.served import JOBDRAFT, Served, run_jobdraft, serve
from tests.hostile.server import HostileServer, Reply, hostile

DESCRIPTION = (
    "Street scene labeling\n"
    "Need 10 annotators to draw bounding boxes on 50,000 images, $18/hour, English."
)


@pytest.fixture(scope="module")
def server() -> Iterator[Served]:
    with serve() as running:
        yield running


def recording_browser(tmp_path: Path) -> tuple[str, Path]:
    """A BROWSER that writes its arguments, as a JSON list, to a file."""
    record = tmp_path / "argv.json"
    script = tmp_path / "browser"
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, sys\n"
        f"open({str(record)!r}, 'w').write(json.dumps(sys.argv[1:]))\n"
    )
    script.chmod(0o755)
    return str(script), record


def at_terminal(origin: str, token: str, *args: str, **env: str) -> tuple[int, str]:
    """``jobdraft ARGS`` in a pseudo-terminal: everything it wrote, and its exit code."""
    child = pexpect.spawn(
        JOBDRAFT,
        list(args),
        env={
            **os.environ,
            "OT_API_BASE_URL": origin,
            "OT_API_TOKEN": token,
            "TERM": "xterm-256color",
            **env,
        },
        dimensions=(40, 200),
        timeout=60,
        encoding="utf-8",
    )
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus is not None, child.signalstatus
    return child.exitstatus, child.before or ""


def new_draft(server: Served) -> dict[str, str]:
    created = run_jobdraft(server, "create", "-d", DESCRIPTION, "--json")
    assert created.returncode == 0, created.stderr
    body: dict[str, str] = json.loads(created.stdout)
    return body


@pytest.mark.slow
def test_open_starts_the_browser_on_the_draft_url(server: Served, tmp_path: Path) -> None:
    draft = new_draft(server)
    browser, record = recording_browser(tmp_path)
    code, shown = at_terminal(server.origin, server.token, "open", draft["jobId"], BROWSER=browser)
    assert code == 0, shown
    assert json.loads(record.read_text()) == [draft["draftUrl"]]  # one argument: the URL
    assert draft["draftUrl"].startswith(f"{server.origin}/job-post?")
    assert f"Opened in your browser: {draft['draftUrl']}" in shown


@pytest.mark.slow
def test_open_a_published_job_starts_the_browser_on_its_job_url(
    server: Served, tmp_path: Path
) -> None:
    job_id = new_draft(server)["jobId"]
    run_jobdraft(server, "patch", job_id, "--set", "experienceLevel=EXPERT")
    published = run_jobdraft(server, "publish", job_id, "--yes", "--json")
    assert published.returncode == 0, published.stderr
    browser, record = recording_browser(tmp_path)
    code, shown = at_terminal(server.origin, server.token, "open", job_id, BROWSER=browser)
    assert code == 0, shown
    assert json.loads(record.read_text()) == [f"{server.origin}/jobs/{job_id}"]


@pytest.mark.slow
def test_without_a_browser_open_prints_the_address(server: Served, tmp_path: Path) -> None:
    """No BROWSER and no display (the conftest removes them): nothing is started."""
    draft = new_draft(server)
    code, shown = at_terminal(server.origin, server.token, "open", draft["jobId"])
    assert code == 0, shown
    assert "No browser to open it with (set BROWSER to choose one)" in shown
    assert draft["draftUrl"] in shown


@pytest.mark.slow
def test_a_browser_that_fails_to_start_leaves_the_address_printed(
    server: Served, tmp_path: Path
) -> None:
    draft = new_draft(server)
    failing = tmp_path / "failing-browser"
    failing.write_text("#!/bin/sh\nexit 1\n")
    failing.chmod(0o755)
    code, shown = at_terminal(
        server.origin, server.token, "open", draft["jobId"], BROWSER=str(failing)
    )
    assert code == 0, shown
    assert "The browser did not start; its address:" in shown
    assert draft["draftUrl"] in shown


@pytest.mark.slow
def test_not_at_a_terminal_or_with_print_only_the_address_is_printed(
    server: Served, tmp_path: Path
) -> None:
    draft = new_draft(server)
    browser, record = recording_browser(tmp_path)
    piped = run_jobdraft(server, "open", draft["jobId"], env={"BROWSER": browser})
    assert (piped.returncode, piped.stdout, piped.stderr) == (0, draft["draftUrl"] + "\n", "")
    code, shown = at_terminal(
        server.origin, server.token, "open", draft["jobId"], "--print", BROWSER=browser
    )
    assert (code, shown.strip()) == (0, draft["draftUrl"])
    assert not record.exists()  # the browser was never started


@pytest.mark.slow
def test_the_address_is_found_without_the_read_route_or_a_cache(tmp_path: Path) -> None:
    """--minimal has no read route; another cache folder holds no answer of the draft."""
    with serve("--minimal") as minimal:
        draft = new_draft(minimal)
        printed = run_jobdraft(
            minimal,
            "open",
            draft["jobId"],
            "--print",
            env={"XDG_CACHE_HOME": str(tmp_path / "empty-cache")},
        )
    assert (printed.returncode, printed.stdout) == (0, draft["draftUrl"] + "\n")


@pytest.mark.slow
def test_an_unknown_id_is_not_found(server: Served) -> None:
    result = run_jobdraft(server, "open", "jd_nosuchjob", "--print")
    assert result.returncode == 5
    assert "no job jd_nosuchjob among yours" in result.stderr
    assert "Traceback" not in result.stderr


def hostile_job(server: HostileServer, job_url: str) -> None:
    job = {"id": "j1", "title": "Hostile", "status": "OPEN", "published": True, "jobUrl": job_url}
    server.on("GET", "/jobs/mine", Reply.json({"jobs": [job], "nextCursor": None}))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("job_url", "why"),
    [
        ("javascript:alert(1)", "not an http or https address"),
        ("file:///etc/passwd", "not an http or https address"),
        ("http://x.test/a b", "characters a web address does not (' ')"),
        ("http://x.test/'$(touch pwned)'", "characters a web address does not"),
        ("-http://x.test/", "not an http or https address"),
        ("http://user:pw@x.test/", "a user name or password"),
        ("http://x.test/\x1b]52;c;aGk=\x07", "characters a web address does not"),
    ],
)
def test_an_address_a_browser_should_not_get_is_refused(
    tmp_path: Path, job_url: str, why: str
) -> None:
    browser, record = recording_browser(tmp_path)
    with hostile() as server:
        hostile_job(server, job_url)
        code, shown = at_terminal(
            server.origin, "ot_pat_test_hostilesecret", "open", "j1", BROWSER=browser
        )
    assert code == 1, shown
    assert why in shown
    assert "\x1b]52" not in shown and "\x07" not in shown  # shown inert
    assert not record.exists()


@pytest.mark.slow
def test_shell_characters_in_an_address_reach_the_browser_as_one_argument(
    tmp_path: Path,
) -> None:
    """Nothing runs the URL through a shell: $(...), ; and & stay text."""
    url = "http://x.test/jobs/j1?a=$(touch%20pwned);touch&b=1"
    browser, record = recording_browser(tmp_path)
    with hostile() as server:
        hostile_job(server, url)
        code, shown = at_terminal(
            server.origin, "ot_pat_test_hostilesecret", "open", "j1", BROWSER=browser
        )
    assert code == 0, shown
    assert json.loads(record.read_text()) == [url]
    assert not (Path.cwd() / "pwned").exists() and not (tmp_path / "pwned").exists()


def test_the_embedded_sandbox_says_how_to_see_the_page(sandbox_run) -> None:
    created = sandbox_run("create", "-d", DESCRIPTION, "--json")
    draft = json.loads(created.stdout)
    result = sandbox_run("open", draft["jobId"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"http://127.0.0.1:8765/job-post?jobId={draft['jobId']}\n"
    assert "run 'jobdraft sandbox serve' (it uses the same store), then open:" in result.stderr
    printed = sandbox_run("open", draft["jobId"], "--print")
    assert (printed.stdout, printed.stderr) == (result.stdout, "")


@pytest.mark.slow
def test_at_a_narrow_terminal_the_embedded_sandbox_note_folds_at_words(sandbox_run) -> None:
    """Read from a pty: the note is folded by jobdraft, its command whole, the URL alone."""
    job_id = json.loads(sandbox_run("create", "-d", DESCRIPTION, "--json").stdout)["jobId"]
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    child = pexpect.spawn(
        JOBDRAFT,
        ["--sandbox", "open", job_id],
        env={**env, "TERM": "xterm-256color"},
        dimensions=(40, 60),
        timeout=60,
        encoding="utf-8",
    )
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    lines = (child.before or "").replace("\r\n", "\n").strip("\n").split("\n")
    url = f"http://127.0.0.1:8765/job-post?jobId={job_id}"
    assert lines[-1] == url  # longer than the terminal: alone on its line, never folded
    note = lines[:-1]
    assert all(len(line) <= 60 for line in note), note
    assert " ".join(note) == (
        "The embedded sandbox serves no web pages: run 'jobdraft sandbox serve' "
        "(it uses the same store), then open:"
    )
    assert any("'jobdraft sandbox serve'" in line for line in note), note


@pytest.mark.slow
def test_a_draft_opens_at_its_draft_url_even_if_the_list_names_a_job_url() -> None:
    draft = {
        "ok": True,
        "jobId": "j1",
        "status": "DRAFT",
        "draftUrl": "http://x.test/job-post?jobId=j1",
        "validation": {"publishReady": True, "issueCount": 0, "missingFieldCount": 0,
                       "missingFields": [], "issues": []},
    }  # fmt: skip
    with hostile() as server:
        job = {"id": "j1", "title": "A draft", "status": "DRAFT", "jobUrl": "http://x.test/jobs/j1"}
        server.on("GET", "/jobs/mine", Reply.json({"jobs": [job], "nextCursor": None}))
        server.on("GET", "/job-drafts/j1", Reply.json(draft))
        env = {"OT_API_BASE_URL": server.origin, "OT_API_TOKEN": "ot_pat_test_hostilesecret"}
        printed = run_jobdraft(None, "open", "j1", "--print", env=env)
    assert (printed.returncode, printed.stdout) == (0, "http://x.test/job-post?jobId=j1\n")
