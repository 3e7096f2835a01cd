"""The local caches tolerate damage at every level: a malformed file or entry
is absent to every reader (the commands and completion alike), never an error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from jobdraft.cache import (
    ANSWERS_FILE,
    CAPABILITIES_FILE,
    DRAFTS_FILE,
    MAX_DRAFTS_KEPT,
    SCHEMA_FILE,
    Cache,
    schema_index,
)
from jobdraft.completion import complete_assignment, complete_draft_id

NOW = time.time()
GOOD = {"origin": "sandbox", "seenAt": NOW - 60, "title": "Good draft", "status": "DRAFT"}


def drafts_file(**entries: Any) -> str:
    return json.dumps({"drafts": {"jd_good": GOOD, **entries}})


def entry(**changes: Any) -> dict[str, Any]:
    return {"origin": "sandbox", "seenAt": NOW, **changes}


# Each: the file's text, and the ids a reader sees (newest first).
BROKEN_DRAFTS = {
    "a list": ("[]", []),
    "a string": ('"drafts"', []),
    "drafts a list": ('{"drafts": [1, 2]}', []),
    "deep nesting": ("[" * 100_000 + "]" * 100_000, []),
    "an entry a string": (drafts_file(jd_bad="x"), ["jd_good"]),
    "an entry a list": (drafts_file(jd_bad=[1]), ["jd_good"]),
    "seenAt text": (drafts_file(jd_bad=entry(seenAt="x")), ["jd_good"]),
    "seenAt null": (drafts_file(jd_bad=entry(seenAt=None)), ["jd_good"]),
    "seenAt missing": (drafts_file(jd_bad={"origin": "sandbox"}), ["jd_good"]),
    "seenAt a boolean": (drafts_file(jd_bad=entry(seenAt=True)), ["jd_good"]),
    "seenAt huge": (drafts_file(jd_bad=entry(seenAt=10**400)), ["jd_good"]),
    "seenAt NaN": (drafts_file(jd_bad=entry(seenAt=float("nan"))), ["jd_good"]),
    "seenAt infinite": (drafts_file(jd_bad=entry(seenAt=float("inf"))), ["jd_good"]),
    "origin a number": (drafts_file(jd_bad=entry(origin=5)), ["jd_good"]),
    "origin missing": (drafts_file(jd_bad={"seenAt": NOW}), ["jd_good"]),
}


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("case", list(BROKEN_DRAFTS))
def test_malformed_draft_entries_are_absent_to_every_reader(tmp_path: Path, case: str) -> None:
    text, seen = BROKEN_DRAFTS[case]
    cache = Cache(tmp_path)
    write(tmp_path / DRAFTS_FILE, text)
    assert [e["id"] for e in cache.drafts()] == seen
    assert cache.draft("sandbox", "jd_bad") is None
    assert cache.draft("sandbox", "jd_good") == (dict(GOOD, id="jd_good") if seen else None)

    # A write keeps the good entries and drops the rest.
    cache.remember_draft("sandbox", "jd_new", title="New")
    assert [e["id"] for e in cache.drafts()] == ["jd_new", *seen]
    stored = json.loads((tmp_path / DRAFTS_FILE).read_text())["drafts"]
    assert sorted(stored) == sorted(["jd_new", *seen])


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("title", ["a", "list"]),
        ("title", {"an": "object"}),
        ("status", 5),
        ("answer", "text"),
        ("answer", {"jobId": "jd_someone_else", "status": "DRAFT"}),
        ("answer", {"status": "DRAFT"}),
        ("missingDetails", {"field": "headcount"}),
    ],
)
def test_a_value_of_the_wrong_type_is_dropped_alone(tmp_path: Path, name: str, value: Any) -> None:
    cache = Cache(tmp_path)
    write(tmp_path / DRAFTS_FILE, drafts_file(jd_bad=entry(**{name: value}, headcount=3)))
    found = cache.draft("sandbox", "jd_bad")
    assert found is not None
    assert name not in found
    assert found["headcount"] == 3  # what it does not know, it keeps
    # Recording the draft again does not bring the bad value back.
    cache.remember_draft("sandbox", "jd_bad", status="OPEN")
    again = cache.draft("sandbox", "jd_bad")
    assert again is not None
    assert again["status"] == "OPEN"
    assert name == "status" or name not in again


def test_an_answer_about_the_same_job_is_kept_apart_from_the_index(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    answer = {"jobId": "jd_one", "status": "DRAFT"}
    cache.remember_draft("sandbox", "jd_one", title="One", answer=answer, missing_details=[])
    found = cache.draft("sandbox", "jd_one")
    assert found is not None
    assert found["answer"] == answer
    assert found["missingDetails"] == []
    # What completion reads holds no answer; the answers are in their own file.
    index = json.loads((tmp_path / DRAFTS_FILE).read_text())["drafts"]["jd_one"]
    assert set(index) == {"origin", "seenAt", "title"}
    assert "jd_one" in (tmp_path / ANSWERS_FILE).read_text()
    # Another origin's draft of the same id is not this one.
    assert cache.draft("https://elsewhere.example", "jd_one") is None


def test_an_answer_about_another_job_is_not_given_back(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.remember_draft("sandbox", "jd_one", answer={"jobId": "jd_two"})
    found = cache.draft("sandbox", "jd_one")
    assert found is not None
    assert "answer" not in found


def test_an_index_written_by_an_older_version_loses_its_answers(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    answer = {"jobId": "jd_bad", "status": "DRAFT"}
    write(tmp_path / DRAFTS_FILE, drafts_file(jd_bad=entry(answer=answer, missingDetails=[])))
    assert cache.draft("sandbox", "jd_bad") == dict(entry(), id="jd_bad")
    cache.remember_draft("sandbox", "jd_new")
    assert "answer" not in (tmp_path / DRAFTS_FILE).read_text()


def test_pruning_old_drafts_survives_malformed_entries(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    drafts: dict[str, Any] = {f"jd_{i:04}": entry(seenAt=NOW - i) for i in range(MAX_DRAFTS_KEPT)}
    drafts.update(jd_text=entry(seenAt="x"), jd_string="x", jd_none=None)
    write(tmp_path / DRAFTS_FILE, json.dumps({"drafts": drafts}))
    cache.remember_draft("sandbox", "jd_new")
    ids = [e["id"] for e in cache.drafts()]
    assert len(ids) == MAX_DRAFTS_KEPT
    assert ids[0] == "jd_new"
    assert f"jd_{MAX_DRAFTS_KEPT - 1:04}" not in ids  # the oldest good one went


@pytest.mark.parametrize("case", list(BROKEN_DRAFTS))
def test_completion_offers_the_good_draft_ids(
    isolated_home: Path, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOBDRAFT_SANDBOX", "1")  # the drafts are the sandbox's
    text, seen = BROKEN_DRAFTS[case]
    write(Cache().directory / DRAFTS_FILE, text)
    assert [job_id for job_id, _ in complete_draft_id(None, "jd_")] == seen


# -- capabilities ------------------------------------------------------------------------

CAPS = {"draft": {"updateKeys": ["experienceLevel"], "enums": {"experienceLevel": ["GURU"]}}}
OTHER = {"draft": {"updateKeys": ["experienceLevel"], "enums": {"experienceLevel": ["SAGE"]}}}


def caps_entry(fetched: Any = NOW, data: Any = CAPS) -> dict[str, Any]:
    return {"fetchedAt": fetched, "data": data}


BROKEN_CAPABILITIES: dict[str, Any] = {
    "fetchedAt text": caps_entry(fetched="x"),
    "fetchedAt null": caps_entry(fetched=None),
    "fetchedAt a boolean": caps_entry(fetched=True),
    "fetchedAt huge": caps_entry(fetched=10**400),
    "fetchedAt NaN": caps_entry(fetched=float("nan")),
    "fetchedAt infinite": caps_entry(fetched=float("inf")),
    "fetchedAt minus infinity": caps_entry(fetched=float("-inf")),
    "data text": caps_entry(data="x"),
    "data a list": caps_entry(data=[1]),
    "data missing": {"fetchedAt": NOW},
    "an entry a string": "x",
    "an entry a list": [NOW, CAPS],
}


@pytest.mark.parametrize("case", list(BROKEN_CAPABILITIES))
def test_malformed_capabilities_are_absent(tmp_path: Path, case: str) -> None:
    cache = Cache(tmp_path)
    # An older, good entry of another origin beside the broken one.
    entries = {"bad": BROKEN_CAPABILITIES[case], "good": caps_entry(fetched=NOW - 60, data=OTHER)}
    write(tmp_path / CAPABILITIES_FILE, json.dumps(entries))
    assert cache.capabilities("bad") is None
    assert cache.capabilities("good") == OTHER
    assert cache.any_capabilities() == OTHER
    cache.store_capabilities("new", CAPS)
    assert json.loads((tmp_path / CAPABILITIES_FILE).read_text()).keys() == {"good", "new"}


@pytest.mark.parametrize("text", ["[]", '"x"', "{" * 100_000, "\x00\x01"])
def test_a_capabilities_file_that_is_not_an_object_is_empty(tmp_path: Path, text: str) -> None:
    cache = Cache(tmp_path)
    write(tmp_path / CAPABILITIES_FILE, text)
    assert cache.capabilities("o") is None
    assert cache.any_capabilities() is None
    cache.forget_capabilities("o")
    cache.store_capabilities("o", CAPS)
    assert cache.capabilities("o") == CAPS


def test_capabilities_stamped_in_the_future_are_stale(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    write(tmp_path / CAPABILITIES_FILE, json.dumps({"o": caps_entry(fetched=NOW + 3600)}))
    assert cache.capabilities("o") is None
    write(tmp_path / CAPABILITIES_FILE, json.dumps({"o": caps_entry(fetched=NOW - 3600)}))
    assert cache.capabilities("o") == CAPS
    assert cache.capabilities("o", max_age=60) is None


def test_any_capabilities_ranks_a_future_stamp_last(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    entries = {
        "future": caps_entry(fetched=NOW + 10**6, data=OTHER),
        "recent": caps_entry(fetched=NOW - 60, data=CAPS),
    }
    write(tmp_path / CAPABILITIES_FILE, json.dumps(entries))
    assert cache.any_capabilities() == CAPS


BROKEN_SCHEMAS: dict[str, Any] = {
    "storedAt text": {"storedAt": "x", "keys": ["experienceLevel"]},
    "storedAt null": {"storedAt": None},
    "storedAt a boolean": {"storedAt": True},
    "storedAt huge": {"storedAt": 10**400},
    "storedAt NaN": {"storedAt": float("nan")},
    "keys text": {"storedAt": NOW, "keys": "experienceLevel", "enums": {"experienceLevel": 3}},
    "enums a list": {"storedAt": NOW, "enums": ["GURU"]},
    "an entry a string": "x",
    "an entry a list": [NOW, CAPS],
}


@pytest.mark.parametrize("case", list(BROKEN_SCHEMAS))
def test_completion_reads_the_schema_of_its_origin_only(isolated_home: Path, case: str) -> None:
    """Completion's values come from the schema index of the API the line talks to."""
    good = dict(schema_index(OTHER), storedAt=NOW - 60)
    path = Cache().directory / SCHEMA_FILE
    write(path, json.dumps({"https://app.opentrain.ai": good, "other": BROKEN_SCHEMAS[case]}))
    assert complete_assignment(None, "experienceLevel=") == ["experienceLevel=SAGE"]
    # A broken entry for the line's origin: the documented values, no error.
    write(path, json.dumps({"https://app.opentrain.ai": BROKEN_SCHEMAS[case], "other": good}))
    documented = complete_assignment(None, "experienceLevel=")
    assert "experienceLevel=EXPERT" in documented
    assert "experienceLevel=SAGE" not in documented


# -- the commands, and a real TAB, over a broken cache ------------------------------------


def test_show_and_patch_survive_a_seen_at_that_is_not_a_number(sandbox_run: Any) -> None:
    created = [
        json.loads(sandbox_run("create", "-d", text, "--json").stdout)["jobId"]
        for text in ("Label 500 street photos with boxes, $18/hour", "Transcribe 30 hours")
    ]
    path = Cache().directory / DRAFTS_FILE
    data = json.loads(path.read_text())
    data["drafts"][created[0]]["seenAt"] = "x"
    path.write_text(json.dumps(data))
    for args in (
        ["show", created[0]],
        ["show", created[1]],
        ["patch", created[0], "--set", "headcount=3"],
        ["list"],
    ):
        result = sandbox_run(*args)
        assert result.exit_code == 0, (args, result.output)


def test_commands_survive_capabilities_with_a_huge_stamp(sandbox_run: Any) -> None:
    job_id = json.loads(sandbox_run("create", "-d", "Label 500 photos", "--json").stdout)["jobId"]
    write(Cache().directory / CAPABILITIES_FILE, json.dumps({"sandbox": caps_entry(10**400)}))
    result = sandbox_run("patch", job_id, "--set", "headcount=3")
    assert result.exit_code == 0, result.output


@pytest.mark.slow
def test_a_real_tab_offers_the_good_ids_of_a_broken_cache(isolated_home: Path) -> None:
    write(
        Cache().directory / DRAFTS_FILE,
        drafts_file(jd_bad=entry(seenAt="x"), jd_worse="x", jd_newer=entry(origin=7)),
    )
    env = {
        **os.environ,
        "_JOBDRAFT_COMPLETE": "complete_bash",
        "_TYPER_COMPLETE_ARGS": "jobdraft --sandbox show jd_",
        "_JOBDRAFT_WORDBREAKS": " =:",
    }
    result = subprocess.run(
        [str(Path(sys.executable).parent / "jobdraft")],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["words", "jd_good"]
    assert result.stderr == ""


# -- bounds: what a server sends cannot make a large cache ------------------------------


def test_a_listing_of_thousands_is_one_small_index(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    listed = [(f"jd_{n:05}", "T" * 10_000, "S" * 1000) for n in range(5000)]
    cache.remember_drafts("https://api.example", listed)
    drafts = cache.drafts()
    assert [d["id"] for d in drafts] == [f"jd_{n:05}" for n in range(MAX_DRAFTS_KEPT)]
    assert all(len(d["title"]) <= 120 and len(d["status"]) <= 40 for d in drafts)
    assert (tmp_path / DRAFTS_FILE).stat().st_size < 64 * 1024


def test_an_id_too_long_to_be_real_is_not_remembered(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.remember_draft("o", "jd_" + "x" * 10_000, answer={"jobId": "x"})
    assert cache.drafts() == []
    assert not (tmp_path / ANSWERS_FILE).exists()


def test_huge_answers_are_not_kept_and_few_are(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    huge = {"jobId": "jd_huge", "description": "x" * 1_000_000}
    cache.remember_draft("o", "jd_huge", answer=huge)
    found = cache.draft("o", "jd_huge")
    assert found is not None
    assert "answer" not in found
    for n in range(40):
        cache.remember_draft("o", f"jd_{n}", answer={"jobId": f"jd_{n}", "text": "y" * 100_000})
    assert (tmp_path / ANSWERS_FILE).stat().st_size < 5 * 1024 * 1024
    assert (cache.draft("o", "jd_39") or {}).get("answer") is not None
    assert "answer" not in (cache.draft("o", "jd_0") or {})


def test_capabilities_are_bounded_in_size_and_origins(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    huge = {
        "draft": {
            "updateKeys": [f"k{n}" for n in range(100_000)],
            "enums": {"k0": ["V" * 1000, *(f"v{n}" for n in range(100_000))]},
        }
    }
    cache.store_capabilities("huge", huge)
    assert cache.capabilities("huge") is None  # too large to keep: fetched again next run
    schema = cache.schema("huge")
    assert schema is not None
    assert len(schema["keys"]) == 500
    assert len(schema["enums"]["k0"]) == 200
    assert "V" * 1000 not in schema["enums"]["k0"]
    for n in range(20):
        cache.store_capabilities(f"o{n}", CAPS)
    assert len(json.loads((tmp_path / CAPABILITIES_FILE).read_text())) == 8
    assert len(json.loads((tmp_path / SCHEMA_FILE).read_text())) == 8
    assert cache.schema("o19") == dict(
        {"keys": ["experienceLevel"], "enums": {"experienceLevel": ["GURU"]}},
        storedAt=cache.schema("o19")["storedAt"],  # type: ignore[index]
    )


def test_an_oversized_cache_file_reads_as_empty(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    good = json.loads(drafts_file())
    good["pad"] = "x" * (9 * 1024 * 1024)
    write(tmp_path / DRAFTS_FILE, json.dumps(good))
    assert cache.drafts() == []
    cache.remember_draft("sandbox", "jd_new")
    assert (tmp_path / DRAFTS_FILE).stat().st_size < 1024


KILLED_WRITER = """
import json, os, sys, time
from pathlib import Path
from jobdraft.cache import Cache

def stall(*args, **kwargs):
    print("writing", flush=True)
    time.sleep(600)

json.dump = stall  # the writer stops inside its atomic write, temporary file open
Cache(Path(sys.argv[1])).remember_draft("o", "jd_1")
"""


@pytest.mark.slow
def test_a_temporary_file_left_by_kill_9_is_removed_by_a_later_write(tmp_path: Path) -> None:
    with subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(tmp_path)], stdout=subprocess.PIPE, text=True
    ) as writer:
        assert writer.stdout is not None
        assert writer.stdout.readline() == "writing\n"
        writer.kill()  # SIGKILL: no clean-up runs
        writer.wait()
    left = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert len(left) == 1
    Cache(tmp_path).remember_draft("o", "jd_2")
    assert left[0].exists()  # young: it could be another writer's, at work
    old = time.time() - 3600
    os.utime(left[0], (old, old))
    Cache(tmp_path).remember_draft("o", "jd_3")
    assert not left[0].exists()
    assert [e["id"] for e in Cache(tmp_path).drafts()] == ["jd_3", "jd_2"]
