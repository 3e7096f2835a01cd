"""The wizard's session holds its draft writes until it closes, and reads them meanwhile."""

from __future__ import annotations

from pathlib import Path

from tests.core.test_session import DESCRIPTION, make_session

from jobdraft.cache import DRAFTS_FILE, Cache


def drafts_file(tmp_path: Path) -> bytes | None:
    path = tmp_path / "cache" / DRAFTS_FILE
    return path.read_bytes() if path.exists() else None


def test_no_draft_write_until_close_and_every_one_after(tmp_path: Path) -> None:
    session = make_session(tmp_path)
    session.defer_draft_writes()
    draft = session.create({"rawJobDescription": DESCRIPTION, "idempotencyKey": "k1"})
    session.patch(draft.job_id, {"jobTitle": "Audio transcription, English"})
    assert drafts_file(tmp_path) is None
    # The session reads what waits: the title and the gaps it learnt.
    held = session.cache.draft("sandbox-test", draft.job_id)
    assert held is not None and held["title"] == "Audio transcription, English"
    assert session.known_missing(draft.job_id).keys() == {
        item.field for item in session.load(draft.job_id).missing
    }
    session.close()
    written = Cache(tmp_path / "cache").draft("sandbox-test", draft.job_id)
    assert written is not None
    assert written["title"] == "Audio transcription, English"
    assert written["status"] == "DRAFT"
    assert written["answer"]["jobId"] == draft.job_id
    assert {item["field"] for item in written["missingDetails"]} >= set(
        session.known_missing(draft.job_id)
    )


def test_what_the_file_held_before_is_kept(tmp_path: Path) -> None:
    session = make_session(tmp_path)
    draft = session.create({"rawJobDescription": DESCRIPTION, "idempotencyKey": "k1"})
    session.patch(draft.job_id, {"jobTitle": "Kept title"})  # written at once
    before = drafts_file(tmp_path)
    session.defer_draft_writes()
    entry = session.cache.draft("sandbox-test", draft.job_id)
    assert entry is not None and entry["title"] == "Kept title"
    session.patch(draft.job_id, {"headcount": 10})  # its answer names no title
    assert drafts_file(tmp_path) == before
    session.close()
    after = Cache(tmp_path / "cache").draft("sandbox-test", draft.job_id)
    assert after is not None and after["title"] == "Kept title"
    assert after["answer"]["jobId"] == draft.job_id


def test_without_deferring_each_write_is_at_once(tmp_path: Path) -> None:
    session = make_session(tmp_path)
    session.create({"rawJobDescription": DESCRIPTION, "idempotencyKey": "k1"})
    assert drafts_file(tmp_path) is not None
    session.close()
