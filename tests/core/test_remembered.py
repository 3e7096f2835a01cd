"""Remembered answers: which keys are kept, the file they live in, and a file gone bad."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from jobdraft.remembered import (
    MAX_FILE_BYTES,
    defaults_path,
    load_remembered,
    remember,
    rememberable,
)


def test_the_file_is_under_xdg_config_home(isolated_home: Path) -> None:
    assert defaults_path() == isolated_home / "config" / "jobdraft" / "defaults.json"
    assert defaults_path({"XDG_CONFIG_HOME": "relative/ignored"}) == (
        Path.home() / ".config" / "jobdraft" / "defaults.json"
    )


def test_only_answers_that_hold_across_jobs_are_kept() -> None:
    answers = {
        "jobTitle": "Transcribe podcasts",
        "jobDescription": "200 hours of Spanish podcasts.",
        "headcount": 12,
        "dataVolume": 200,
        "paymentType": "PAY_PER_HOUR",
        "pricePerHour": 18.5,
        "languages": ["Spanish", "English"],
        "experienceLevel": "INTERMEDIATE",
        "someServerOnlyKey": "x",
    }
    assert rememberable(answers) == {
        "paymentType": "PAY_PER_HOUR",
        "pricePerHour": 18.5,
        "experienceLevel": "INTERMEDIATE",
        "languages": ["Spanish", "English"],
    }


def test_odd_values_are_never_offered_back() -> None:
    odd = {
        "paymentType": "PAY\x1b[2J",
        "pricePerHour": float("nan"),
        "fixedPrice": True,
        "languages": [],
        "countries": ["x" * 500],
        "experienceLevel": {"nested": 1},
    }
    assert rememberable(odd) == {}


def test_remembered_answers_come_back_merged_over_older_ones(isolated_home: Path) -> None:
    remember({"paymentType": "PAY_PER_HOUR", "pricePerHour": 20, "languages": ["English"]})
    kept = remember({"pricePerHour": 22, "experienceLevel": "EXPERT", "headcount": 3})
    assert kept == {
        "paymentType": "PAY_PER_HOUR",
        "pricePerHour": 22,
        "experienceLevel": "EXPERT",
        "languages": ["English"],
    }
    loaded = load_remembered()
    assert loaded.answers == kept
    assert loaded.notice is None
    path = defaults_path()
    assert json.loads(path.read_text())["version"] == 1
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["defaults.json"]  # no temporary left


def test_no_file_is_no_answers_and_no_notice(isolated_home: Path) -> None:
    loaded = load_remembered()
    assert (loaded.answers, loaded.notice) == ({}, None)


def test_a_corrupt_file_counts_as_empty_with_a_notice(isolated_home: Path) -> None:
    path = defaults_path()
    path.parent.mkdir(parents=True)
    for content, reason in [
        (b"{not json", "the file is not JSON"),
        (b"\xff\xfe", "the file is not JSON"),
        (b'["a list"]', "not a jobdraft defaults file"),
        (b'{"version": 9, "answers": {}}', "not a jobdraft defaults file"),
        (b" " * (MAX_FILE_BYTES + 1), "larger than 65,536 bytes"),
    ]:
        path.write_bytes(content)
        loaded = load_remembered()
        assert loaded.answers == {}
        assert loaded.notice is not None
        assert str(path) in loaded.notice and reason in loaded.notice, loaded.notice


def test_remembering_replaces_a_corrupt_file(isolated_home: Path) -> None:
    path = defaults_path()
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    remember({"experienceLevel": "EXPERT"})
    assert load_remembered().answers == {"experienceLevel": "EXPERT"}


def test_a_hand_edited_file_gives_only_what_could_have_been_written(isolated_home: Path) -> None:
    path = defaults_path()
    path.parent.mkdir(parents=True)
    path.write_text(
        json.dumps({"version": 1, "answers": {"jobTitle": "old", "languages": ["English"], "x": 1}})
    )
    assert load_remembered().answers == {"languages": ["English"]}
