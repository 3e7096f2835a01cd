"""A value the sandbox cannot use, from a flag or a JOBDRAFT_SANDBOX_* variable,
is a usage error (exit 2) that says which and why, never "unexpected error"."""

from __future__ import annotations

import subprocess
import sys

import pytest

from jobdraft import cli_sandbox
from jobdraft.sandbox import app
from jobdraft.sandbox.app import SandboxConfig
from jobdraft.sandbox.views import VARIANTS

# Not loopback and no --allow-remote: a flag that is wrongly accepted still ends
# the run before anything is served, instead of a server the test waits on.
NOWHERE = ("--memory", "--host", "192.0.2.1")


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--chaos", "nan"], "--chaos must be a number from 0 to 1, not nan"),
        (["--chaos", "inf"], "'--chaos': inf is not in the range"),
        (["--chaos", "1.5"], "'--chaos': 1.5 is not in the range"),
        (["--variant", "bogus"], "unknown --variant 'bogus'"),
        (
            ["--variant", "field-codes", "--variant", "Field-Codes"],
            "unknown --variant 'Field-Codes'",
        ),
        (["--latency", "99999999999999"], "'--latency': 99999999999999 is not in the range"),
        (["--latency", "-1"], "'--latency': -1 is not in the range"),
        (["--seed", "1.5"], "'--seed': '1.5' is not a valid int"),
        (["--port", "70000"], "'--port': 70000 is not in the range"),
        (["--port", "-1"], "'--port': -1 is not in the range"),
    ],
)
def test_serve_refuses_a_bad_number_or_name_with_exit_2(run, flags, message):
    result = run("sandbox", "serve", *NOWHERE, *flags)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "unexpected error" not in result.output
    assert "Traceback" not in result.output


def test_an_unknown_variant_lists_the_valid_names(run):
    result = run("sandbox", "serve", *NOWHERE, "--variant", "bogus")
    assert result.exit_code == 2
    assert ", ".join(VARIANTS) in result.stderr


def test_the_cli_and_the_app_agree_on_the_latency_limit():
    assert cli_sandbox.MAX_LATENCY_MS == app.MAX_LATENCY_MS


@pytest.mark.parametrize("latency", [-1, app.MAX_LATENCY_MS + 1, 10**400])
def test_the_config_refuses_a_latency_no_request_could_sleep(latency):
    with pytest.raises(ValueError, match="latency must be between 0 and"):
        SandboxConfig(latency_ms=latency)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--port", "70000"], "port must be between 0 and 65535, not 70000"),
        (["--port", "-1"], "port must be between 0 and 65535, not -1"),
        (["--latency", "99999999999999"], "latency must be between 0 and 3600000 ms"),
        (["--chaos", "nan"], "chaos must be between 0 and 1, not nan"),
    ],
)
def test_python_m_refuses_a_bad_number_with_exit_2(flags, message):
    result = subprocess.run(
        [sys.executable, "-m", "jobdraft.sandbox", *NOWHERE, *flags],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("JOBDRAFT_SANDBOX_CHAOS", "nan", "JOBDRAFT_SANDBOX_CHAOS: chaos must be between 0 and 1"),
        ("JOBDRAFT_SANDBOX_CHAOS", "inf", "JOBDRAFT_SANDBOX_CHAOS: chaos must be between 0 and 1"),
        ("JOBDRAFT_SANDBOX_CHAOS", "-0.5", "JOBDRAFT_SANDBOX_CHAOS: chaos must be between 0 and"),
        ("JOBDRAFT_SANDBOX_CHAOS", "lots", "JOBDRAFT_SANDBOX_CHAOS must be a number, not 'lots'"),
        ("JOBDRAFT_SANDBOX_SEED", "x", "JOBDRAFT_SANDBOX_SEED must be a number, not 'x'"),
        (
            "JOBDRAFT_SANDBOX_VARIANTS",
            "bogus",
            "JOBDRAFT_SANDBOX_VARIANTS: unknown variant 'bogus'",
        ),
    ],
)
def test_a_bad_sandbox_variable_is_exit_2_naming_it(sandbox_run, monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    result = sandbox_run("list")
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_a_bad_variant_variable_lists_the_valid_names(sandbox_run, monkeypatch):
    monkeypatch.setenv("JOBDRAFT_SANDBOX_VARIANTS", "field-codes,bogus")
    result = sandbox_run("list")
    assert result.exit_code == 2
    assert f"choose from {', '.join(VARIANTS)}" in " ".join(result.stderr.split())
