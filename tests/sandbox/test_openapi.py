"""/openapi.json describes exactly the routes, bodies and errors served."""

from __future__ import annotations

import re

import pytest
from tests.sandbox.sandbox_helpers import Api

from jobdraft.sandbox import API_PREFIX
from jobdraft.sandbox.app import SandboxApp, SandboxConfig
from jobdraft.sandbox.openapi import document

jsonschema_rs = pytest.importorskip("jsonschema_rs")  # comes with schemathesis (dev extra)

CONFIGS = {
    "default": SandboxConfig(),
    "minimal": SandboxConfig(minimal=True),
    "chaos": SandboxConfig(chaos=0.5),
    "variants": SandboxConfig(
        variants=frozenset({"missing-objects", "field-codes", "no-hints", "plain-prompts"})
    ),
    "count-only": SandboxConfig(minimal=True, variants=frozenset({"missing-count-only"})),
}


def served_routes(app: SandboxApp) -> set[tuple[str, str]]:
    """(method, templated path) of every API route the app dispatches."""
    routes = set()
    for route in app.routes:
        path = route.pattern.pattern.replace("\\", "")
        if path.endswith("openapi.json"):
            continue
        path = re.sub(r"\(\?P<job_id>[^)]*\)", "{jobId}", path)
        routes.add((route.method, path.removeprefix(API_PREFIX)))
    return routes


@pytest.mark.parametrize("name", list(CONFIGS))
def test_documented_operations_are_the_served_routes(name):
    config = CONFIGS[name]
    app = SandboxApp(config)
    try:
        doc = document(config)
        documented = {
            (method.upper(), path) for path, item in doc["paths"].items() for method in item
        }
        assert documented == served_routes(app)
    finally:
        app.close()
    for path_item in doc["paths"].values():
        for operation in path_item.values():
            assert ("503" in operation["responses"]) == (config.chaos > 0)
            assert "500" in operation["responses"]


def test_minimal_documents_no_read_route_and_the_small_patch():
    doc = document(SandboxConfig(minimal=True))
    item = doc["paths"]["/job-drafts/{jobId}"]
    assert set(item) == {"patch"}
    ok = item["patch"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/DraftUpdated"}


def _validator(doc: dict, name: str):
    schema = {"$ref": f"#/components/schemas/{name}", "components": doc["components"]}
    return jsonschema_rs.Draft202012Validator(schema)


@pytest.mark.parametrize("name", list(CONFIGS))
def test_real_answers_match_their_documented_schemas(name):
    config = CONFIGS[name]
    if config.chaos:
        config = SandboxConfig()  # the bodies; 503s are checked by schemathesis
    doc = document(config)
    app = SandboxApp(config)
    client = Api(app)
    try:
        created = client.create()
        job_id = created["jobId"]
        patched = client.patch(f"/job-drafts/{job_id}", json={"experienceLevel": "EXPERT"})
        answers = [
            ("Draft", created),
            ("DraftUpdated" if config.minimal else "Draft", patched.json()),
            ("Published", client.post(f"/jobs/{job_id}/publish").json()),
            ("Closed", client.post(f"/jobs/{job_id}/close").json()),
            ("JobList", client.get("/jobs/mine").json()),
            ("Capabilities", client.get("/job-drafts/capabilities").json()),
            ("Me", client.get("/auth/me").json()),
            ("Error", client.patch(f"/job-drafts/{job_id}", json={"x": 1}).json()),
            ("Draft", client.create("Help wanted, details to follow soon. Thanks!")),
        ]
        for schema, body in answers:
            errors = [str(e) for e in _validator(doc, schema).iter_errors(body)]
            assert errors == [], (schema, body)
    finally:
        client.close()
        app.close()


def test_create_request_schema_accepts_every_documented_input_shape():
    validator = _validator(document(SandboxConfig()), "CreateRequest")
    good = [
        {"rawJobDescription": "text", "idempotencyKey": "k"},
        {"source": {"type": "text", "text": "t", "externalId": "e", "idempotencyKey": "k"}},
        {"format": "opentrain_canonical", "job": {}},
        {"format": "schema_org_job_posting", "jsonLd": {}},
        {"format": "indeed_xml", "xml": "<a/>"},
        {"format": "hr_xml", "xml": "<a/>"},
    ]
    for body in good:
        assert validator.is_valid(body), body
    assert not validator.is_valid({"rawJobDescription": "t", "source": {"type": "text"}})
    assert not validator.is_valid({"rawJobDescription": "t" * 60001})
