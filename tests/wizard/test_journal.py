"""The journal: answers saved as they are given, removed once accepted, private to the user."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from jobdraft.journal import Journal

pytestmark = pytest.mark.timeout(10)


def test_answers_are_saved_at_once_and_forgotten_when_accepted(isolated_home: Path) -> None:
    journal = Journal.for_draft("https://app.opentrain.ai", "jd_1")
    journal.record("headcount", 3)
    journal.record("languages", ["English"])
    again = Journal.for_draft("https://app.opentrain.ai", "jd_1")
    assert again.answers() == {"headcount": 3, "languages": ["English"]}
    assert again.path.is_relative_to(isolated_home / "state" / "jobdraft")
    assert stat.S_IMODE(again.path.stat().st_mode) == 0o600
    assert again.saved_at() is not None
    again.forget(["headcount"])
    assert journal.answers() == {"languages": ["English"]}
    again.forget(["languages"])
    assert not journal.path.exists()  # nothing left: no file
    assert not journal


def test_each_server_has_its_own_journal(isolated_home: Path) -> None:
    Journal.for_draft("sandbox", "jd_1").record("headcount", 3)
    assert Journal.for_draft("https://app.opentrain.ai", "jd_1").answers() == {}


def test_a_broken_file_is_moved_aside_not_overwritten(isolated_home: Path) -> None:
    journal = Journal.for_draft("sandbox", "../../etc/odd id")
    assert journal.path.parent == isolated_home / "state" / "jobdraft" / "journal"
    journal.path.parent.mkdir(parents=True)
    journal.path.write_text("{not json", encoding="utf-8")
    journal.path.chmod(0o644)
    assert journal.answers() == {}
    aside = journal.path.with_name(journal.path.name + ".corrupt")
    assert aside.read_text(encoding="utf-8") == "{not json"  # what it held is kept
    assert stat.S_IMODE(aside.stat().st_mode) == 0o600
    (notice,) = journal.take_notices()
    assert str(journal.path) in notice and str(aside) in notice and "not JSON" in notice
    assert journal.take_notices() == []  # told once
    journal.record("headcount", 3)
    assert journal.answers() == {"headcount": 3}
    assert aside.read_text(encoding="utf-8") == "{not json"


@pytest.mark.parametrize(
    "content",
    ['["headcount", 3]', '{"answers": ["headcount"]}', '{"headcount": 3}', "caf\xe9"],
    ids=["a list", "answers not an object", "no answers", "not UTF-8"],
)
def test_a_file_of_the_wrong_shape_is_moved_aside_too(isolated_home: Path, content: str) -> None:
    journal = Journal.for_draft("sandbox", "jd_1")
    journal.path.parent.mkdir(parents=True)
    journal.path.write_bytes(content.encode("latin-1"))
    journal.clear()  # even a write that would remove the file moves it aside first
    aside = journal.path.with_name(journal.path.name + ".corrupt")
    assert aside.read_bytes() == content.encode("latin-1")
    assert not journal.path.exists()
    assert len(journal.take_notices()) == 1


def test_an_older_file_set_aside_is_not_replaced(isolated_home: Path) -> None:
    journal = Journal.for_draft("sandbox", "jd_1")
    journal.path.parent.mkdir(parents=True)
    for content in ("first", "second"):
        journal.path.write_text(content, encoding="utf-8")
        assert journal.answers() == {}
    assert journal.path.with_name(journal.path.name + ".corrupt").read_text() == "first"
    assert journal.path.with_name(journal.path.name + ".2.corrupt").read_text() == "second"
    assert len(journal.take_notices()) == 2


def test_a_write_that_fails_is_reported_not_raised(isolated_home: Path) -> None:
    blocker = isolated_home / "state" / "jobdraft"
    blocker.mkdir(parents=True)
    (blocker / "journal").write_text("a file where the folder should be", encoding="utf-8")
    journal = Journal.for_draft("sandbox", "jd_1")
    journal.record("headcount", 3)
    assert journal.problem is not None
    assert "cannot save answers" in journal.problem
