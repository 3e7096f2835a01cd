"""Fixtures of the sandbox tests: ``api(**config)`` for an in-process sandbox,
``served(*flags)`` for a real server on a free loopback port (``cli=True``:
started as ``jobdraft sandbox serve``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from tests.sandbox.sandbox_helpers import Api, Served, opened_clients, start_served

from jobdraft.sandbox import SANDBOX_TOKEN
from jobdraft.sandbox.app import SandboxApp, SandboxConfig


@pytest.fixture
def api() -> Iterator[Callable[..., Api]]:
    """``api(minimal=True, ...)``: a client on a fresh in-memory sandbox."""
    apps: list[SandboxApp] = []

    def make(token: str | None = SANDBOX_TOKEN, **config: Any) -> Api:
        app = SandboxApp(SandboxConfig(**config))
        apps.append(app)
        client = Api(app, token)
        opened_clients.append(client)
        return client

    yield make
    while opened_clients:
        opened_clients.pop().close()
    for app in apps:
        app.close()


@pytest.fixture
def served() -> Iterator[Callable[..., Served]]:
    started: list[Served] = []

    def start(*flags: str, cli: bool = False, env: dict[str, str] | None = None) -> Served:
        instance = start_served(*flags, cli=cli, env=env)
        started.append(instance)
        return instance

    yield start
    for instance in started:
        instance.stop()
