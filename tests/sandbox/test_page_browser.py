"""The web page of a job post, rendered by a real browser (headless Chromium).

``jobdraft sandbox serve`` runs on a free loopback port, the CLI makes a
draft there, and Debian's ``chromium`` loads the draftUrl the API answered:
what a person sees is what its DOM holds after the page has loaded (and
after any script, had one been let in, had run).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from tests.cli.served import Served, run_jobdraft, serve

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium")
if CHROMIUM is None and not os.environ.get("JOBDRAFT_TESTS_NEED_BROWSER"):
    pytest.skip(
        "chromium is not installed (sudo bash .ci/install-browser.sh installs it; "
        "set JOBDRAFT_TESTS_NEED_BROWSER=1 to make its absence a failure)",
        allow_module_level=True,
    )

# Had the page let either of these run, it would mark the body; the DOM is
# read after loading, so a mark would show.
PAYLOAD = (
    "<script>document.body.setAttribute('data-ran','script')</script>"
    "<img src=x onerror=\"document.body.setAttribute('data-ran','img')\">"
)
TITLE = f"Street scenes {PAYLOAD}"
DESCRIPTION = (
    f"{TITLE}\n"
    "We need 10 annotators to label 5,000 images with bounding boxes at $15/hour, "
    "English and Spanish. Say hello & <b>welcome</b>."
)


class Dom(HTMLParser):
    """The rendered DOM: the text of each element with an id, and every tag and attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: dict[str, str] = {}
        self.open: list[str | None] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in ("meta", "br", "img", "link"):
            self.open.append(dict(attrs).get("id"))

    def handle_endtag(self, tag: str) -> None:
        if self.open:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        for name in self.open:
            if name:
                self.texts[name] = self.texts.get(name, "") + data


def chromium(url: str, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None, "JOBDRAFT_TESTS_NEED_BROWSER is set, but chromium is absent"
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            *extra,
            url,
        ],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def rendered(url: str, tmp_path: Path) -> Dom:
    result = chromium(url, tmp_path / "profile", "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    dom = Dom()
    dom.feed(result.stdout)
    return dom


def make_draft(server: Served) -> dict[str, object]:
    """A draft whose title is the payload, set as a user would set it."""
    created = run_jobdraft(server, "create", "-d", DESCRIPTION, "--json")
    assert created.returncode == 0, created.stderr
    job_id = json.loads(created.stdout)["jobId"]
    titled = run_jobdraft(server, "patch", job_id, "--set", f"jobTitle={TITLE}", "--json")
    assert titled.returncode == 0, titled.stderr
    body: dict[str, object] = json.loads(titled.stdout)
    return body


def test_the_draft_page_in_a_browser_shows_the_post_and_runs_nothing(tmp_path: Path) -> None:
    with serve() as server:
        draft = make_draft(server)
        url = str(draft["draftUrl"])
        assert url.startswith(server.origin + "/job-post?")  # the served sandbox's own page
        dom = rendered(url, tmp_path)
    assert dom.texts["title"] == TITLE  # the markup is shown as the text it is
    assert dom.texts["state"] == "Draft"
    assert "Say hello & <b>welcome</b>." in dom.texts["description"]
    fields = dom.texts["fields"]
    for label, value in [
        ("Payment type", "Pay per hour"),
        ("Hourly rate (USD)", "$15.00"),
        ("Number of AI trainers", "10"),
        ("Languages", "English, Spanish"),
        ("Label types", "Bounding box"),
    ]:
        assert f"{label}{value}" in fields
    assert dom.texts["missing"] == "Experience level"
    body = next(attrs for tag, attrs in dom.tags if tag == "body")
    assert "data-ran" not in body  # neither the script nor the onerror ran
    assert not [tag for tag, _ in dom.tags if tag in ("script", "img", "b")]


def test_a_published_job_page_in_a_browser_is_open(tmp_path: Path) -> None:
    with serve() as server:
        job_id = str(make_draft(server)["jobId"])
        ready = run_jobdraft(server, "patch", job_id, "--set", "experienceLevel=entry_level")
        assert ready.returncode == 0, ready.stderr
        published = run_jobdraft(server, "publish", job_id, "--yes", "--json")
        assert published.returncode == 0, published.stderr
        job_url = json.loads(published.stdout)["jobUrl"]
        assert job_url == f"{server.origin}/jobs/{job_id}"
        dom = rendered(job_url, tmp_path)
        shot = tmp_path / "page.png"
        taken = chromium(
            job_url, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1000,900"
        )
    assert dom.texts["state"] == "Open"
    assert "Experience levelEntry level" in dom.texts["fields"]
    assert "missing" not in dom.texts  # nothing left to ask of an open job
    assert taken.returncode == 0, taken.stderr[-2000:]
    assert shot.read_bytes().startswith(b"\x89PNG")
