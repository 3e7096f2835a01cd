"""Local input that no API can take, through the real CLI against the embedded sandbox.

An answers file or a ``key:=`` value holding what JSON cannot carry (a TOML
date, NaN, an infinite number, an integer Python cannot print, nesting deep
enough to exhaust the stack), and a file that never ends: each is refused with
exit 2 and a message saying what is wrong, before anything is sent, never
with "unexpected error" (exit 1) or a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cli.test_scripting import DESCRIPTION, create
from tests.conftest import Result, Runner

pytestmark = pytest.mark.timeout(60)

HUGE_INT = "9" * 5000


def refused(result: Result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    assert "unexpected error" not in result.output
    assert "Traceback" not in result.output


@pytest.fixture
def job_id(sandbox_run: Runner) -> str:
    return str(create(sandbox_run)["jobId"])


def title_of(sandbox_run: Runner, job_id: str) -> str:
    shown = sandbox_run("show", job_id, "--json")
    assert shown.exit_code == 0, shown.output
    return str(json.loads(shown.stdout)["normalizedFields"]["jobTitle"])


ANSWER_FILES = {
    "a TOML date": ("answers.toml", "jobTitle = 1979-05-27\n", "a date or time"),
    "a TOML date-time": ("answers.toml", "jobTitle = 1979-05-27T07:32:00Z\n", "a date or time"),
    "a TOML time": ("answers.toml", "headcount = 3\n[x]\nat = 07:32:00\n", "a date or time"),
    "a date in a TOML list": ("a.toml", "languages = [1979-05-27]\n", "languages[0]"),
    "TOML nan": ("answers.toml", "jobTitle = nan\n", "nan is not a number JSON can carry"),
    "TOML -inf": ("answers.toml", "headcount = -inf\n", "-inf is not a number JSON can carry"),
    "a TOML integer of 5,000 digits": (
        "answers.toml",
        f"headcount = {HUGE_INT}\n",
        "more than 4,300 digits",
    ),
    "a TOML hex integer past 4,300 digits": (
        "answers.toml",
        "jobTitle = 0x" + "f" * 4000 + "\n",
        "more than 4,300 digits",
    ),
    "TOML nested 5,000 deep": (
        "answers.toml",
        "jobTitle = " + "[" * 5000 + "]" * 5000 + "\n",
        "nested too deeply",
    ),
    "JSON nested 100,000 deep": (
        "answers.json",
        '{"jobTitle": ' + "[" * 100_000 + "]" * 100_000 + "}",
        "nested too deeply",
    ),
    "JSON nested 100 deep": (
        "answers.json",
        '{"jobTitle": ' + "[" * 100 + "]" * 100 + "}",
        "nested too deeply",
    ),
    "JSON NaN": ("answers.json", '{"jobTitle": NaN}', "NaN is not a JSON value"),
    "JSON -Infinity": ("answers.json", '{"headcount": -Infinity}', "-Infinity is not a JSON"),
    "JSON 1e999": ("answers.json", '{"jobTitle": 1e999}', "1e999 is too large to send"),
    "a JSON integer of 5,000 digits": (
        "answers.json",
        f'{{"jobTitle": {HUGE_INT}}}',
        "more than 4,300 digits",
    ),
    "sniffed JSON with NaN": ("answers", '{"jobTitle": [NaN]}', "NaN is not a JSON value"),
}


@pytest.mark.parametrize("case", list(ANSWER_FILES), ids=list(ANSWER_FILES))
def test_an_answers_file_json_cannot_carry_is_refused_before_sending(
    sandbox_run: Runner, job_id: str, tmp_path: Path, case: str
) -> None:
    name, content, message = ANSWER_FILES[case]
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    before = title_of(sandbox_run, job_id)
    refused(sandbox_run("patch", job_id, "--file", str(path)), str(path), message)
    refused(sandbox_run("fill", job_id, "--answers", str(path), "--no-publish"), message)
    assert title_of(sandbox_run, job_id) == before  # nothing was sent


def test_a_quoted_toml_date_is_text_and_goes_through(
    sandbox_run: Runner, job_id: str, tmp_path: Path
) -> None:
    path = tmp_path / "answers.toml"
    path.write_text('jobTitle = "Release 1979-05-27"\n', encoding="utf-8")
    result = sandbox_run("patch", job_id, "--file", str(path), "--json")
    assert result.exit_code == 0, result.output
    assert title_of(sandbox_run, job_id) == "Release 1979-05-27"


SET_VALUES = {
    "NaN": ("jobTitle:=NaN", "NaN is not a JSON value"),
    "Infinity": ("headcount:=Infinity", "Infinity is not a JSON value"),
    "-Infinity in a list": ("labelTypes:=[-Infinity]", "-Infinity is not a JSON value"),
    "1e999": ("jobTitle:=1e999", "too large to send"),
    "5,000 digits": (f"jobTitle:={HUGE_INT}", "more than 4,300 digits"),
    "5,000 digits as a number": (f"headcount:={HUGE_INT}", "more than 4,300 digits"),
    "nested 5,000 deep": ("labelTypes:=" + "[" * 5000 + "]" * 5000, "nested too deeply"),
    "a list nested 5,000 deep": ("languages=" + "[" * 5000 + "]" * 5000, "nested too deeply"),
    "nested in an object": ("jobTitle:=" + '{"a":' * 50 + "1" + "}" * 50, "nested too deeply"),
}


@pytest.mark.parametrize("case", list(SET_VALUES), ids=list(SET_VALUES))
def test_a_set_value_json_cannot_carry_is_refused_before_sending(
    sandbox_run: Runner, job_id: str, case: str
) -> None:
    assignment, message = SET_VALUES[case]
    key = assignment.split(":=")[0].split("=")[0]
    before = title_of(sandbox_run, job_id)
    refused(sandbox_run("patch", job_id, "--set", assignment), f"the value of {key}", message)
    assert title_of(sandbox_run, job_id) == before


def test_an_endless_answers_file_is_refused_after_a_bounded_read(
    sandbox_run: Runner, job_id: str
) -> None:
    refused(sandbox_run("patch", job_id, "--file", "/dev/zero"), "/dev/zero is larger than 1 MiB")
    refused(sandbox_run("fill", job_id, "--answers", "/dev/zero"), "larger than 1 MiB")


def test_an_endless_or_huge_description_is_refused(sandbox_run: Runner, tmp_path: Path) -> None:
    refused(sandbox_run("create", "-f", "/dev/zero"), "/dev/zero is larger than 1 MiB")
    refused(sandbox_run("fill", "-f", "/dev/zero", "--no-publish"), "larger than 1 MiB")
    huge = tmp_path / "huge.txt"
    huge.write_text(DESCRIPTION * (2 * 1024 * 1024 // len(DESCRIPTION)), encoding="utf-8")
    refused(sandbox_run("create", "-f", str(huge)), f"{huge} is larger than 1 MiB", "60,000")
    piped = sandbox_run("create", "-f", "-", input="x" * (1024 * 1024 + 1))
    refused(piped, "standard input holds more than 1 MiB")
    listed = sandbox_run("list", "--json")
    assert json.loads(listed.stdout)["jobs"] == []  # no draft was made


def test_a_description_under_the_read_limit_but_over_the_api_limit_says_so(
    sandbox_run: Runner, tmp_path: Path
) -> None:
    long = tmp_path / "long.txt"
    long.write_text("word " * 20_000, encoding="utf-8")
    refused(sandbox_run("create", "-f", str(long)), "the API takes at most 60,000")
