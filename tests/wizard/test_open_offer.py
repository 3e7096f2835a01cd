"""At the end of ``fill``, beside "Publish it now?": open the draft in the browser first.

Offered only where a browser can show it (here ``BROWSER``, a script that
records its arguments); without one the question stays a plain yes/no, as
every other wizard test scripts it.
"""

from __future__ import annotations

import json
import sys
import webbrowser
from pathlib import Path

import pytest
from tests.wizard.conftest import Confirm, Harness, Menu, Script

pytestmark = pytest.mark.timeout(60)

COMPLETE = (
    "Spanish call-center transcription\nWe need 8 native Spanish speakers to transcribe "
    "120 hours of call-center audio. Pay is $22 per hour. Intermediate level is fine."
)


@pytest.fixture
def browser_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """BROWSER names a script that writes its arguments to the returned file."""
    record = tmp_path / "argv.json"
    script = tmp_path / "browser"
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, sys\n"
        f"open({str(record)!r}, 'w').write(json.dumps(sys.argv[1:]))\n"
    )
    script.chmod(0o755)
    monkeypatch.setenv("BROWSER", str(script))
    # webbrowser reads BROWSER once per process: let it read this test's.
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    monkeypatch.setattr(webbrowser, "_browsers", {})
    return record


def test_open_first_then_decide(normal: Harness, browser_record: Path) -> None:
    script = Script([Menu("Publish it now?", "open"), Confirm("Publish it now?", False)])
    assert normal.fill(script, description=COMPLETE) == 0
    [(_message, choices)] = script.menus
    assert [c.title for c in choices] == [
        "Publish now",
        "Open it in the browser first",
        "Not now",
    ]
    [url] = json.loads(browser_record.read_text())
    assert url.startswith("http://sandbox.test/job-post?jobId=")
    printed = normal.printed
    assert f"Review it online: {url}" in " ".join(printed.split())  # the link stays
    assert "Opened in your browser." in printed
    assert "Not published" in printed


def test_publish_now_from_the_same_menu(normal: Harness, browser_record: Path) -> None:
    assert normal.fill(Script([Menu("Publish it now?", "publish")]), description=COMPLETE) == 0
    assert "Published" in normal.printed
    assert not browser_record.exists()


def test_the_embedded_sandbox_says_how_to_see_the_page(sandbox_run) -> None:
    result = sandbox_run(
        "fill",
        "-d",
        COMPLETE,
        "--set",
        "jobTitle=Spanish call-center transcription",
        "--set",
        "experienceLevel=intermediate",
        "--no-publish",
    )
    assert result.exit_code == 0, result.output
    shown = " ".join(result.output.split())
    assert "Review it online: http://127.0.0.1:8765/job-post?jobId=jd_" in shown
    assert "'jobdraft sandbox serve' (it uses the same store) shows this one" in shown
