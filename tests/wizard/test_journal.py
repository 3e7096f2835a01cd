"""The journal: answers saved as they are given, removed once accepted, private to the user."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
import time
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


# --- one file per server and exact id ----------------------------------------------


def test_ids_that_differ_only_in_unusual_characters_keep_their_own_answers(
    isolated_home: Path,
) -> None:
    ids = ["jd_1", "jd/1", "jd 1", "jd\u00e91", "jd\udcff1", "JD_1"]
    for number, job_id in enumerate(ids):
        Journal.for_draft("sandbox", job_id).record("headcount", number)
    for number, job_id in enumerate(ids):
        journal = Journal.for_draft("sandbox", job_id)
        assert journal.answers() == {"headcount": number}
        assert journal.path.parent == isolated_home / "state" / "jobdraft" / "journal"
    assert len({Journal.for_draft("sandbox", job_id).path for job_id in ids}) == len(ids)


@pytest.mark.parametrize("job_id", [".", "..", "", "../x"])
def test_dot_ids_make_a_plain_file_inside_the_journal_folder(
    isolated_home: Path, job_id: str
) -> None:
    journal = Journal.for_draft("sandbox", job_id)
    journal.record("headcount", 1)
    assert journal.path.parent == isolated_home / "state" / "jobdraft" / "journal"
    assert not journal.path.name.startswith(".")
    assert Journal.for_draft("sandbox", job_id).answers() == {"headcount": 1}


def test_a_file_that_holds_another_drafts_answers_is_not_offered(isolated_home: Path) -> None:
    theirs = Journal.for_draft("sandbox", "jd/1")
    theirs.record("headcount", 3)
    mine = Journal.for_draft("sandbox", "jd_1")
    mine.path.write_bytes(theirs.path.read_bytes())  # a copied or colliding file
    assert mine.answers() == {}
    (notice,) = mine.take_notices()
    assert "another draft" in notice
    mine.record("headcount", 5)
    assert mine.answers() == {"headcount": 5}
    assert theirs.answers() == {"headcount": 3}
    kept = mine.path.with_name(mine.path.name + ".corrupt")
    assert '"jd/1"' in kept.read_text(encoding="utf-8")  # set aside, not lost


def test_answers_saved_under_the_old_file_name_are_still_offered(isolated_home: Path) -> None:
    folder = isolated_home / "state" / "jobdraft" / "journal"
    folder.mkdir(parents=True)
    origin = "https://app.opentrain.ai"
    origin_tag = hashlib.sha256(origin.encode()).hexdigest()[:10]
    # The old scheme gave jd/1 and jd_1 the same name; the saved id says whose it is.
    old = folder / f"jd_1--{origin_tag}.json"
    old.write_text(json.dumps({"origin": origin, "jobId": "jd/1", "answers": {"headcount": 7}}))
    assert Journal.for_draft(origin, "jd_1").answers() == {}
    assert old.exists()
    assert Journal.for_draft(origin, "jd/1").answers() == {"headcount": 7}
    assert not old.exists()  # moved to the new name
    assert Journal.for_draft(origin, "jd/1").answers() == {"headcount": 7}


# --- writers at once, writers killed ------------------------------------------------

WRITER = """
import sys
from jobdraft.journal import Journal

journal = Journal.for_draft("https://app.opentrain.ai", "jd_race")
for number in range(int(sys.argv[2])):
    journal.record(f"{sys.argv[1]}{number}", number)
    if journal.problem:
        raise SystemExit(journal.problem)
"""


@pytest.mark.timeout(120)
def test_two_writers_at_once_keep_every_answer(isolated_home: Path) -> None:
    env = {**os.environ}  # XDG_STATE_HOME points into this test's home
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, prefix, "300"], env=env)
        for prefix in ("a", "b")
    ]
    assert [writer.wait(timeout=100) for writer in writers] == [0, 0]
    answers = Journal.for_draft("https://app.opentrain.ai", "jd_race").answers()
    assert len(answers) == 600
    assert answers["a299"] == 299 and answers["b0"] == 0


def test_a_temporary_file_left_by_a_killed_writer_is_removed_later(isolated_home: Path) -> None:
    journal = Journal.for_draft("sandbox", "jd_1")
    journal.record("headcount", 1)
    # What a writer killed between writing and renaming leaves: its temporary file.
    left = journal.path.with_name(".journal.killed.tmp")
    left.write_text('{"answers": {}}', encoding="utf-8")
    an_hour_ago = time.time() - 3600
    os.utime(left, (an_hour_ago, an_hour_ago))
    in_flight = journal.path.with_name(".journal.live.tmp")  # a writer of another version
    in_flight.write_text("{", encoding="utf-8")
    Journal.for_draft("sandbox", "jd_2").record("headcount", 2)
    assert not left.exists()
    assert in_flight.exists()  # recent: perhaps still being written
    assert journal.answers() == {"headcount": 1}
