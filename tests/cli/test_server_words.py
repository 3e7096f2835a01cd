"""Values the server chooses from its own lists are shown in words in every table.

``labelTypes`` and ``visibility`` are enums the public docs do not list
(docs/api.md): only the server's capabilities say their values, so the
tables of ``create``, ``show`` and ``patch`` read them to write
``BOUNDING_BOX`` as "Bounding box", as the wizard does.  ``--json`` keeps
the tokens; a server that cannot give its capabilities still gets its
draft shown.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from tests.conftest import Runner
from tests.hostile import hostile_text as h
from tests.hostile.server import HostileServer, Reply, hostile

IMAGES = "Label 5,000 images with bounding boxes at $15/hour, English, 10 people"
TOKEN = "ot_pat_hostile_s3cretpart"


def label_types_row(text: str) -> str:
    return next(line for line in text.splitlines() if "Label types" in line)


def test_create_and_show_write_the_servers_own_choices_in_words(sandbox_run: Runner) -> None:
    created = sandbox_run("create", "-d", IMAGES)
    assert created.exit_code == 0, created.output
    assert "Bounding box" in label_types_row(created.stdout)
    assert "BOUNDING_BOX" not in created.stdout
    job_id = created.stdout.split("Draft ", 2)[2].split()[0]

    shown = sandbox_run("show", job_id)
    assert shown.exit_code == 0, shown.output
    assert "Bounding box" in label_types_row(shown.stdout)
    assert "BOUNDING_BOX" not in shown.stdout
    # Scripts keep the server's tokens.
    raw = json.loads(sandbox_run("show", job_id, "--json").stdout)
    assert raw["normalizedFields"]["labelTypes"] == ["BOUNDING_BOX"]


def test_a_patch_table_writes_the_values_it_set_in_words(sandbox_run: Runner) -> None:
    made = sandbox_run("create", "-d", IMAGES, "--json")
    job_id = json.loads(made.stdout)["jobId"]
    result = sandbox_run(
        "patch", job_id, "--set", "labelTypes=NAMED_ENTITY_RECOGNITION,TRANSCRIPTION"
    )
    assert result.exit_code == 0, result.output
    row = label_types_row(result.stdout)
    assert "Named entity recognition, Transcription" in row, result.stdout
    assert "NAMED_ENTITY" not in result.stdout


@pytest.fixture
def server() -> Iterator[HostileServer]:
    with hostile() as started:
        yield started


def test_a_server_without_capabilities_still_gets_its_draft_shown_after_one_try(
    run: Runner, server: HostileServer
) -> None:
    draft = h.draft()
    draft["normalizedFields"] = {"jobTitle": "Boxes", "labelTypes": ["BOUNDING_BOX"]}
    server.on("GET", "/job-drafts/jd_hostile", Reply.json(draft))
    server.on("GET", "/job-drafts/capabilities", Reply.error(503, "UNAVAILABLE", "Busy."))
    result = run("--base-url", server.origin, "--token", TOKEN, "show", "jd_hostile")
    assert result.exit_code == 0, result.output
    # Unknown to the docs and unexplained by the server: the token as sent.
    assert "BOUNDING_BOX" in label_types_row(result.stdout)
    asked = [r for r in server.requests if r.path.endswith("/job-drafts/capabilities")]
    assert len(asked) == 1  # an aid to the words, not worth a retry
