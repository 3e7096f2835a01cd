"""The served OpenAPI spec as one more source of field types and enums.

Read from the sandbox's own spec, then through the real CLI against the
embedded sandbox (``--minimal`` has no ``fieldTypes`` in its capabilities, so
only the spec can type a key the docs do not list) and against the hostile
server, with the spec served, absent, broken and failing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from tests.conftest import Runner
from tests.hostile.server import HostileServer, Reply, hostile

from jobdraft.model import SpecFields
from jobdraft.sandbox import openapi, rules
from jobdraft.sandbox.app import SandboxConfig

TOKEN = "ot_pat_hostile_s3cretpart"
SPEC_PATH = "/openapi.json"
# Capabilities as the docs show them: keys and enums, no field types.
CAPABILITIES = {
    "enabled": True,
    "draft": {
        "updateKeys": ["jobTitle", "headcount", "requiresNda", "visibility"],
        "enums": {},
    },
}
DRAFT = {
    "ok": True,
    "jobId": "jd_1",
    "status": "DRAFT",
    "validation": {"publishReady": False, "missingFields": []},
}


def spec(properties: dict[str, Any]) -> dict[str, Any]:
    """A small spec whose PATCH body is a $ref, as a generated spec has it."""
    return {
        "openapi": "3.1.0",
        "paths": {
            "/api/public/v1/job-drafts/{id}": {
                "patch": {
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Body"}}
                        }
                    }
                }
            }
        },
        "components": {"schemas": {"Body": {"type": "object", "properties": properties}}},
    }


NDA_AND_VISIBILITY = spec(
    {
        "requiresNda": {"anyOf": [{"type": "boolean"}, {"type": "null"}]},
        "visibility": {"type": ["string", "null"], "enum": ["PUBLIC", "INVITE_ONLY"]},
    }
)


@pytest.fixture
def server() -> Iterator[HostileServer]:
    with hostile() as started:
        started.on("GET", "/job-drafts/capabilities", Reply.json(CAPABILITIES))
        started.on("PATCH", "/job-drafts/jd_1", Reply.json(DRAFT))
        yield started


@pytest.fixture
def cli(run: Runner, server: HostileServer) -> Runner:
    def invoke(*args: str) -> object:
        return run("--base-url", server.origin, "--token", TOKEN, *args)

    return invoke  # type: ignore[return-value]


def sent_patches(server: HostileServer) -> list[Any]:
    return [json.loads(r.body) for r in server.requests if r.method == "PATCH"]


def spec_requests(server: HostileServer) -> int:
    return sum(1 for r in server.requests if r.path.endswith(SPEC_PATH))


# -- reading a spec -----------------------------------------------------------------


@pytest.mark.parametrize("minimal", [False, True])
def test_the_sandboxs_spec_gives_every_patchable_key_its_type_and_values(minimal: bool) -> None:
    document = openapi.document(SandboxConfig(db_path=None, minimal=minimal))
    read = SpecFields.from_openapi(document)
    assert read.field_types == {field.key: field.type for field in rules.FIELDS}
    assert {key: list(values) for key, values in read.enums.items()} == rules.enums()


@pytest.mark.parametrize(
    "document",
    [
        None,
        [],
        {"paths": "nope"},
        {"paths": {"/job-drafts/{id}": {"patch": {"requestBody": 7}}}},
        # A $ref that points at itself, and one that leaves the document.
        {
            "paths": {
                "/job-drafts/{id}": {
                    "patch": {
                        "requestBody": {
                            "content": {"application/json": {"schema": {"$ref": "#/components/x"}}}
                        }
                    }
                }
            },
            "components": {"x": {"$ref": "#/components/x"}},
        },
        spec({"a": {"$ref": "https://example.com/other.json"}}),
    ],
)
def test_a_spec_that_does_not_describe_the_patch_body_gives_nothing(document: Any) -> None:
    assert SpecFields.from_openapi(document) == SpecFields()


def test_a_spec_is_bounded_in_what_is_kept() -> None:
    many = spec(
        {f"key{n}": {"type": "string", "enum": [f"V{i}" for i in range(900)]} for n in range(800)}
    )
    read = SpecFields.from_openapi(many)
    assert len(read.field_types) == 500
    assert all(len(values) == 500 for values in read.enums.values())


# -- through the CLI ----------------------------------------------------------------


def test_the_spec_types_a_key_the_docs_do_not_list(cli: Runner, server: HostileServer) -> None:
    server.on("GET", SPEC_PATH, Reply.json(NDA_AND_VISIBILITY))
    result = cli("patch", "jd_1", "--set", "requiresNda=yes", "--set", "visibility=invite_only")
    assert result.exit_code == 0, result.output
    assert sent_patches(server) == [{"requiresNda": True, "visibility": "INVITE_ONLY"}]
    refused = cli("patch", "jd_1", "--set", "visibility=SECRET")
    assert refused.exit_code == 2, refused.output
    assert "PUBLIC" in refused.stderr
    assert len(sent_patches(server)) == 1


def test_without_a_spec_the_docs_fallback_types_and_one_request_a_day(
    cli: Runner, server: HostileServer
) -> None:
    for _ in range(3):
        result = cli("patch", "jd_1", "--set", "requiresNda=yes")
        assert result.exit_code == 0, result.output
    # Not a key the docs list: sent as text, as before there was a spec.
    assert sent_patches(server) == [{"requiresNda": "yes"}] * 3
    assert spec_requests(server) == 1


def test_the_capabilities_own_types_win_over_the_spec(cli: Runner, server: HostileServer) -> None:
    typed = {
        **CAPABILITIES,
        "draft": {**CAPABILITIES["draft"], "fieldTypes": {"requiresNda": "string"}},
    }
    server.on("GET", "/job-drafts/capabilities", Reply.json(typed))
    server.on("GET", SPEC_PATH, Reply.json(NDA_AND_VISIBILITY))
    result = cli("patch", "jd_1", "--set", "requiresNda=yes")
    assert result.exit_code == 0, result.output
    assert sent_patches(server) == [{"requiresNda": "yes"}]


def test_a_failing_spec_is_asked_once_a_run_and_never_fails_the_command(
    cli: Runner, server: HostileServer
) -> None:
    server.on("GET", SPEC_PATH, Reply.error(503, "UNAVAILABLE", "Later."))
    for _ in range(2):
        result = cli("patch", "jd_1", "--set", "headcount=3")
        assert result.exit_code == 0, result.output
        assert "retrying" not in result.stderr
    # Not retried, and not remembered as absent: it may be back next time.
    assert spec_requests(server) == 2


def test_a_page_in_place_of_the_spec_counts_as_no_spec(cli: Runner, server: HostileServer) -> None:
    server.on("GET", SPEC_PATH, Reply(200, b"<html>app</html>", {"Content-Type": "text/html"}))
    for _ in range(2):
        assert cli("patch", "jd_1", "--set", "requiresNda=yes").exit_code == 0
    assert sent_patches(server) == [{"requiresNda": "yes"}] * 2
    assert spec_requests(server) == 1


def test_the_minimal_sandbox_types_through_its_spec(
    sandbox_run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOBDRAFT_SANDBOX_MINIMAL", "1")
    capabilities = json.loads(sandbox_run("capabilities", "--json").stdout)
    assert "fieldTypes" not in capabilities["draft"]
    created = sandbox_run("create", "-d", "Label 500 images with bounding boxes.", "--json")
    job_id = json.loads(created.stdout)["jobId"]
    # Sent as the text "yes", the sandbox would refuse it (exit 3).
    result = sandbox_run("patch", job_id, "--set", "requiresNda=yes", "--json")
    assert result.exit_code == 0, result.output
    monkeypatch.delenv("JOBDRAFT_SANDBOX_MINIMAL")  # for the read route
    shown = json.loads(sandbox_run("show", job_id, "--json").stdout)
    assert shown["normalizedFields"]["requiresNda"] is True
