"""Every printed next step works when pasted, and reaches the API of the run that printed it.

Each test runs a command that prints a hint through the real CLI, against
the embedded sandbox (chosen by ``--sandbox`` or by ``JOBDRAFT_SANDBOX=1``)
or a served one (``--base-url`` or ``OT_API_BASE_URL``), takes the printed
command, splits it as a shell would, and runs it where the variable is not
set.  Placeholders a person fills in (ID, PATH, FILE, key=value) are filled
in the same way.  The pasted command must then act on the same draft: its
title changes, it is published, or it is shown.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.cli.served import Served, run_jobdraft, serve
from tests.conftest import Result, Runner

PODCASTS = (
    "Expert annotators wanted: we need 10 people to transcribe 300 hours of audio in "
    "English. Pay is $25/hour. Transcription of call-center recordings."
)
SHORT = "We need people to label images of street signs for a vision model."
PASTED_TITLE = "Pasted title"

# A command after "(" or ": ", word by word as shlex.join writes them, up to ")" or the end.
COMMAND = re.compile(r"(?:\(|: )(jobdraft(?: (?:'[^']*'|[^\s()']+))+)")


@dataclass
class Api:
    """How the run that prints the hint reaches its API, and a fresh shell to paste into."""

    original: Callable[..., Result]  # jobdraft ARGS... with this API
    pasted: Callable[..., Result]  # jobdraft ARGS... with no API variable set


SERVED_MODES = ["base-url-flag", "base-url-env"]
MODES = [
    "sandbox-flag",
    "sandbox-env",
    *(pytest.param(mode, marks=pytest.mark.slow) for mode in SERVED_MODES),
]


def completed(process: subprocess.CompletedProcess[str]) -> Result:
    return Result(process.returncode, process.stdout, process.stderr)


@pytest.fixture(params=MODES)
def api(
    request: pytest.FixtureRequest, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Api]:
    mode = request.param
    if mode == "sandbox-flag":
        yield Api(lambda *a, **k: run("--sandbox", *a, **k), run)
        return
    if mode == "sandbox-env":

        def with_env(*args: str, **kwargs: str) -> Result:
            monkeypatch.setenv("JOBDRAFT_SANDBOX", "1")
            try:
                return run(*args, **kwargs)
            finally:
                monkeypatch.delenv("JOBDRAFT_SANDBOX")

        yield Api(with_env, run)
        return
    with serve() as served:
        yield served_api(served, by_flag=mode == "base-url-flag")


def served_api(served: Served, *, by_flag: bool) -> Api:
    token = {"OT_API_TOKEN": served.token}

    def original(*args: str, input: str | None = None) -> Result:
        if by_flag:
            return completed(
                run_jobdraft(None, "--base-url", served.origin, *args, env=token, input=input)
            )
        env = {**token, "OT_API_BASE_URL": served.origin}
        return completed(run_jobdraft(None, *args, env=env, input=input))

    def pasted(*args: str, input: str | None = None) -> Result:
        # The token stays (a hint never carries it); the address must come from the line.
        return completed(run_jobdraft(None, *args, env=token, input=input))

    return Api(original, pasted)


# -- helpers ---------------------------------------------------------------------------


def create(api: Api, text: str = PODCASTS) -> str:
    result = api.original("create", "-d", text, "--json")
    assert result.exit_code == 0, result.output
    job_id = json.loads(result.stdout)["jobId"]
    assert isinstance(job_id, str)
    return job_id


def make_ready(api: Api, job_id: str) -> None:
    result = api.original(
        "patch", job_id, "--set", "experienceLevel=expert", "--set", "headcount=10", "--json"
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["validation"]["publishReady"] is True


def draft(api: Api, job_id: str) -> dict[str, object]:
    result = api.original("show", job_id, "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert isinstance(answer, dict)
    return answer


def status(api: Api, job_id: str) -> str:
    listed = json.loads(api.original("list", "--json").stdout)["jobs"]
    return next(str(job["status"]) for job in listed if job["id"] == job_id)


def commands_in(text: str, marker: str) -> list[list[str]]:
    """The commands printed on the line holding ``marker``, each split as a shell would."""
    lines = [line for line in text.splitlines() if marker in line]
    assert lines, f"no line with {marker!r} in:\n{text}"
    found = [shlex.split(match) for match in COMMAND.findall(lines[0])]
    assert found, f"no command in {lines[0]!r}"
    for words in found:
        assert words[0] == "jobdraft"
    return found


def fill_in(words: list[str], job_id: str, tmp_path: Path) -> list[str]:
    """The placeholders a person replaces before running the line."""
    description = tmp_path / "description.txt"
    description.write_text(SHORT, encoding="utf-8")
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"jobTitle": PASTED_TITLE}), encoding="utf-8")
    placeholders = {"ID": job_id, "PATH": str(description), "FILE": str(answers)}
    title = f"jobTitle={PASTED_TITLE}"
    return [
        title if word == "key=value" or word.endswith("=...") else placeholders.get(word, word)
        for word in words[1:]
    ]


def paste(api: Api, words: list[str], job_id: str, tmp_path: Path) -> None:
    """Run the pasted command and check that it acted on the same draft of the same API."""
    args = fill_in(words, job_id, tmp_path)
    verb = next(word for word in args if not word.startswith("-") and "://" not in word)
    if verb == "fill" and "--set" not in args and "--answers" not in args:
        args += ["--set", f"jobTitle={PASTED_TITLE}"]  # a person would answer at the prompt
    if verb == "publish" and "--yes" not in args:
        args.append("--yes")  # a person would confirm at the prompt
    result = api.pasted(*args)
    created = re.search(r"Draft (jd_\w+) created", result.stdout)
    target = created.group(1) if created else job_id
    if verb == "show":
        assert result.exit_code == 0, result.output
        assert target in result.stdout
    elif verb == "publish":
        assert result.exit_code == 0, result.output
        assert status(api, target) == "OPEN"
    elif verb in ("fill", "patch", "create"):
        # fill may then stop for what it cannot ask (exit 2): the title was sent first.
        assert result.exit_code in (0, 2), result.output
        if verb == "create":
            assert re.search(r"jd_\w+", result.stdout), result.output
            return
        assert draft(api, target)["normalizedFields"]["jobTitle"] == PASTED_TITLE  # type: ignore[index]
    else:  # pragma: no cover - a new hint verb needs its check here
        raise AssertionError(f"no check for {verb!r}")


def check_each(api: Api, text: str, marker: str, job_id: str, tmp_path: Path) -> None:
    for words in commands_in(text, marker):
        paste(api, words, job_id, tmp_path)


# -- one test per hint ---------------------------------------------------------------


def test_create_fill_the_gaps(api: Api, tmp_path: Path) -> None:
    result = api.original("create", "-d", SHORT)
    job_id = re.search(r"Draft (jd_\w+)", result.stdout).group(1)  # type: ignore[union-attr]
    check_each(api, result.stdout, "Fill the gaps:", job_id, tmp_path)


@pytest.mark.parametrize("ready", [False, True], ids=["fill", "publish"])
def test_show_next(api: Api, tmp_path: Path, ready: bool) -> None:
    job_id = create(api)
    if ready:
        make_ready(api, job_id)
    result = api.original("show", job_id)
    check_each(api, result.stdout, "Next:", job_id, tmp_path)


def test_patch_next(api: Api, tmp_path: Path) -> None:
    job_id = create(api)
    result = api.original("patch", job_id, "--set", "headcount=4")
    assert result.exit_code == 0, result.output
    check_each(api, result.stdout, "Next:", job_id, tmp_path)


def test_publish_without_a_terminal_asks_for_yes(api: Api, tmp_path: Path) -> None:
    job_id = create(api)
    make_ready(api, job_id)
    result = api.original("publish", job_id)
    assert result.exit_code == 2
    check_each(api, result.stderr, "add --yes:", job_id, tmp_path)


def test_publish_not_ready_fill_the_gaps(api: Api, tmp_path: Path) -> None:
    job_id = create(api, SHORT)
    result = api.original("publish", job_id, "--yes")
    assert result.exit_code == 8, result.output
    check_each(api, result.stderr, "fill the gaps first:", job_id, tmp_path)


def test_publish_warns_of_guesses(api: Api, tmp_path: Path) -> None:
    job_id = create(api)
    make_ready(api, job_id)
    result = api.original("publish", job_id, "--yes")
    assert result.exit_code == 0, result.output
    check_each(api, result.stderr, "check before publishing:", job_id, tmp_path)


def test_fill_without_a_terminal_and_no_id(api: Api, tmp_path: Path) -> None:
    result = api.original("fill")
    assert result.exit_code == 2
    job_id = create(api)  # what the hint's first step makes: its ID for the next one
    check_each(api, result.stderr, "Hint:", job_id, tmp_path)


def test_fill_without_a_terminal_with_an_id(api: Api, tmp_path: Path) -> None:
    job_id = create(api)
    result = api.original("fill", job_id)
    assert result.exit_code == 2
    check_each(api, result.stderr, "Hint:", job_id, tmp_path)


def test_fill_cannot_ask(api: Api, tmp_path: Path) -> None:
    job_id = create(api, SHORT)
    result = api.original("fill", job_id, "--set", "headcount=3")
    assert result.exit_code == 2, result.output
    check_each(api, result.stderr, "Hint:", job_id, tmp_path)


def test_fill_publish_with_guesses_refused(api: Api, tmp_path: Path) -> None:
    job_id = create(api)
    result = api.original("fill", job_id, "--set", "experienceLevel=expert", "--publish")
    assert result.exit_code == 8, result.output
    assert status(api, job_id) == "DRAFT"
    check_each(api, result.stderr, "Hint:", job_id, tmp_path)
    assert status(api, job_id) == "OPEN"  # the pasted fill --set jobTitle=... --publish


def test_fill_publish_it_with(api: Api, tmp_path: Path) -> None:
    job_id = create(api)
    result = api.original("fill", job_id, "--set", "experienceLevel=expert", "--set", "headcount=2")
    assert result.exit_code == 0, result.output
    check_each(api, result.stdout, "Publish it with:", job_id, tmp_path)


def test_fill_not_published_when_you_are_ready(api: Api, tmp_path: Path) -> None:
    job_id = create(api)
    result = api.original("fill", job_id, "--set", "headcount=2", "--no-publish")
    assert result.exit_code == 0, result.output
    check_each(api, result.stdout, "When you are ready:", job_id, tmp_path)


def test_fill_answers_saved(api: Api, tmp_path: Path) -> None:
    job_id = create(api)
    # A headcount the server refuses (its ceiling): the answer stays saved.
    result = api.original("fill", job_id, "--set", "headcount:=100000000", "--no-publish")
    assert result.exit_code == 3, result.output
    check_each(api, result.stderr, "1 answer is saved; to send it:", job_id, tmp_path)


def test_fill_a_published_job_see_it_with(api: Api, tmp_path: Path) -> None:
    job_id = create(api)
    make_ready(api, job_id)
    assert api.original("publish", job_id, "--yes").exit_code == 0
    result = api.original("fill", job_id, "--set", "headcount=3")
    assert result.exit_code == 5, result.output
    check_each(api, result.stderr, "see it with:", job_id, tmp_path)


def test_daily_limit_publish_it_later(api: Api, tmp_path: Path) -> None:
    for number in range(3):
        job_id = create(api, f"{PODCASTS} Batch {number}.")
        make_ready(api, job_id)
        assert api.original("publish", job_id, "--yes").exit_code == 0
    job_id = create(api, f"{PODCASTS} Batch four.")
    make_ready(api, job_id)
    result = api.original("publish", job_id, "--yes")
    assert result.exit_code == 7, result.output
    [words] = commands_in(result.stderr, "Hint:")
    again = api.pasted(*fill_in(words, job_id, tmp_path), "--yes")
    assert again.exit_code == 7, again.output  # the same account's limit: the same API
    assert "daily publish limit" in again.stderr


@pytest.mark.parametrize("mode", SERVED_MODES)
@pytest.mark.parametrize(
    ("flags", "marker"),
    [(("--block-words", "audio"), "moderation"), (("--disable-feature", "publishing"), "enabled")],
    ids=["moderation", "feature-off"],
)
@pytest.mark.slow
def test_publish_refused_by_the_server(
    mode: str, flags: tuple[str, ...], marker: str, tmp_path: Path
) -> None:
    with serve(*flags) as served:
        api = served_api(served, by_flag=mode == "base-url-flag")
        job_id = create(api)
        make_ready(api, job_id)
        result = api.original("publish", job_id, "--yes")
        assert result.exit_code == 4, result.output
        assert marker in result.stderr
        for words in commands_in(result.stderr, "Hint:"):
            args = fill_in(words, job_id, tmp_path)
            again = api.pasted(*args, *(["--yes"] if "publish" in args else []))
            # The patch is taken; the publish is refused again, by the same server.
            assert again.exit_code == (4 if "publish" in args else 0), again.output
