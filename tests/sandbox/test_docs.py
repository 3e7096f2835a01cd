"""docs/sandbox.md keeps up with the code: flags, variants, keys, rules."""

from __future__ import annotations

import re
from pathlib import Path

from jobdraft.sandbox import rules
from jobdraft.sandbox.__main__ import build_parser
from jobdraft.sandbox.views import VARIANTS

DOC = (Path(__file__).parents[2] / "docs" / "sandbox.md").read_text()


def test_every_flag_is_documented():
    flags = {
        option
        for action in build_parser()._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    }
    assert flags, "no flags found"
    for flag in flags:
        assert f"`{flag}" in DOC, flag


def test_every_variant_is_documented():
    for name in VARIANTS:
        assert f"| `{name}` |" in DOC, name


def test_every_patchable_key_and_required_rule_is_documented():
    for key in rules.UPDATE_KEYS:
        assert f"`{key}`" in DOC, key
    rows = re.findall(r"^\| `(\w+)` \| (always|`paymentType` is `(\w+)`)", DOC, re.M)
    documented = [(key, (("paymentType", value) if value else None)) for key, _, value in rows]
    assert documented == list(rules.REQUIRED)


def test_blocking_issue_codes_and_floors_are_documented():
    for code in ("rate_below_minimum", "description_too_short", "title_too_short"):
        assert f"`{code}`" in DOC
    assert f"under {rules.MIN_DESCRIPTION_CHARS} characters" in DOC
    assert f"under {rules.MIN_TITLE_CHARS} characters" in DOC
    assert "$5/hour, $0.01/label or $20 fixed" in DOC
    assert rules.RATE_FLOORS == {"pricePerHour": 5.0, "pricePerLabel": 0.01, "fixedPrice": 20.0}


def test_the_connection_figures_are_the_servers():
    from jobdraft.sandbox import server

    assert server.CONNECTION_LIMIT == 1000 and "up to 1,000 connections" in DOC
    assert (
        server.CHANNEL_TIMEOUT == 10 and "idle, with no request in\nprogress, for 10 seconds" in DOC
    )
    assert server.CLEANUP_INTERVAL == 2 and "checked every 2 seconds" in DOC
    assert f"file limit minus {server._SPARE_FDS}" in DOC
