"""The hostile server itself answers what it is told (so a passing test means something)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from tests.hostile.server import Reply, hostile


def test_scripted_reply_and_default_404() -> None:
    with hostile() as server:
        server.on("GET", "/jobs/mine", Reply.json({"jobs": [], "nextCursor": None}))
        with urllib.request.urlopen(server.origin + "/api/public/v1/jobs/mine?limit=2") as answer:
            assert json.loads(answer.read()) == {"jobs": [], "nextCursor": None}
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(server.origin + "/api/public/v1/auth/me")
        assert caught.value.code == 404
        caught.value.close()
        assert server.requests[0].path == "/api/public/v1/jobs/mine?limit=2"
