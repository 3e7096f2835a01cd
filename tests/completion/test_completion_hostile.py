"""Ids and values from a hostile server, cached by real commands, completed in real bash.

A server chooses the ids ``jobdraft list`` caches and the enum values
``jobdraft capabilities`` caches.  Completed in bash, each must land on the
line quoted (as ``printf %q`` quotes), so that pressing Enter runs nothing
hidden in them; one holding a control character is never offered; and none
is offered for another API than the one it came from.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from tests.completion.completion_helpers import (
    COMPLETIONS,
    JOBDRAFT,
    PROMPTS,
    ShellSession,
    need,
    shell_env,
)
from tests.completion.test_completion_shells import bash_reply
from tests.hostile.server import HostileServer, Reply, hostile

pytestmark = pytest.mark.slow

TOKEN = "ot_pat_hostile01_0123456789abcdef"


@pytest.fixture
def server() -> Iterator[HostileServer]:
    with hostile() as running:
        yield running


@pytest.fixture
def home(tmp_path: Path, server: HostileServer) -> Path:
    """A home whose cache was filled by ``list`` and ``capabilities`` against the server."""
    home = tmp_path / "shellhome"
    for sub in ("config", "cache", "data", "state", "work"):
        (home / sub).mkdir(parents=True)
    target = home / "data" / "bash-completion" / "completions" / "jobdraft"
    target.parent.mkdir(parents=True)
    shutil.copyfile(COMPLETIONS / "bash" / "jobdraft", target)
    marker = tmp_path / "ran"
    jobs = [
        {"id": f"jd_9$(touch {marker})", "title": "Run me", "status": "DRAFT"},
        {"id": "jd_8\x1b]52;c;aGk=\x07", "title": "Clipboard", "status": "DRAFT"},
        {"id": "jd_7\nrm", "title": "Two lines", "status": "DRAFT"},
    ]
    server.on("GET", "/jobs/mine", Reply.json({"jobs": jobs, "nextCursor": None}))
    capabilities = {
        "enabled": True,
        "draft": {
            "updateKeys": ["experienceLevel", "evil\x1b[2J"],
            "enums": {"experienceLevel": [f"X$(touch {marker})", "Y\x1b[2J"]},
        },
    }
    server.on("GET", "/job-drafts/capabilities", Reply.json(capabilities))
    env = dict(shell_env(home), OT_API_TOKEN=TOKEN, OT_API_BASE_URL=server.origin)
    for command in (["list", "--json"], ["capabilities", "--json"]):
        done = subprocess.run(
            [str(JOBDRAFT), *command],
            check=False,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
    return home


def interactive_bash(env: dict[str, str], cwd: Path) -> ShellSession:
    setup = f"source ~/data/bash-completion/completions/jobdraft; {PROMPTS['bash']}"
    return ShellSession([need("bash"), "--norc", "--noprofile", "-i"], env, cwd, setup)


def run_line(session: ShellSession, typed: str) -> str:
    """Type ``typed``, press TAB, read the line, then press Enter and wait for the prompt."""
    session.child.send(typed + "\t" + "\x14")
    session.child.expect(r"<<(.*?)>>")
    line = session.child.match.group(1)
    session.child.send("\r")
    session.child.sendline("echo DONE''-LINE")
    session.child.expect("DONE-LINE")
    return str(line)


def test_a_hostile_id_and_value_are_inserted_quoted_and_run_nothing(
    home: Path, server: HostileServer, tmp_path: Path
) -> None:
    marker = tmp_path / "ran"
    env = dict(shell_env(home), OT_API_TOKEN=TOKEN, OT_API_BASE_URL=server.origin)
    session = interactive_bash(env, home / "work")
    try:
        line = run_line(session, "jobdraft show jd_9")
        assert line == f"jobdraft show jd_9\\$\\(touch\\ {marker}\\) "
        line = run_line(session, "jobdraft patch jd_1 --set experienceLevel=X")
        assert line == f"jobdraft patch jd_1 --set experienceLevel=X\\$\\(touch\\ {marker}\\) "
    finally:
        session.close()
    assert not marker.exists(), "a completed value ran a command"
    # What Enter sent is the id itself, as the server wrote it.
    sent = [unquote(request.path) for request in server.requests]
    assert any(path.endswith(f"/job-drafts/jd_9$(touch {marker})") for path in sent), sent


def test_control_characters_are_never_offered(home: Path, server: HostileServer) -> None:
    env = dict(shell_env(home), OT_API_TOKEN=TOKEN, OT_API_BASE_URL=server.origin)
    offered = bash_reply(env, "jobdraft show jd_")
    assert len(offered) == 1
    assert offered[0].startswith("jd_9\\$\\(touch")
    assert bash_reply(env, "jobdraft show jd_8") == []
    assert bash_reply(env, "jobdraft show jd_7") == []
    assert bash_reply(env, "jobdraft patch x --set ev") == []
    values = bash_reply(env, "jobdraft patch x --set experienceLevel=")
    assert values == [values[0]]
    assert values[0].startswith("X\\$\\(touch")


def test_another_api_gets_none_of_them(home: Path, server: HostileServer) -> None:
    """The same home, talking to the default API: the server's ids and values stay its own."""
    env = shell_env(home)
    assert "OT_API_BASE_URL" not in env
    assert bash_reply(env, "jobdraft show jd_") == []
    values = bash_reply(env, "jobdraft patch x --set experienceLevel=")
    assert "EXPERT" in values
    assert not any("touch" in value for value in values)
    served = dict(env, OT_API_BASE_URL=server.origin + "/")  # another origin as a run names it
    assert bash_reply(served, "jobdraft show jd_") == []
    assert bash_reply(dict(env, JOBDRAFT_SANDBOX="1"), "jobdraft show jd_") == []
