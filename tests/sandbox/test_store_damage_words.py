"""Damage is told from other SQLite errors by SQLite's words where Python
gives no error code (3.10), as well as by the code."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from jobdraft.sandbox.store import _is_damage


@pytest.mark.parametrize("words", ["database disk image is malformed", "file is not a database"])
def test_sqlites_words_for_damage_are_damage_without_a_code(words: str) -> None:
    error = sqlite3.DatabaseError(words)
    assert getattr(error, "sqlite_errorcode", None) is None
    assert _is_damage(error)


@pytest.mark.parametrize("words", ["database is locked", "unable to open database file"])
def test_a_busy_or_unreadable_file_is_not_damage(words: str) -> None:
    assert not _is_damage(sqlite3.OperationalError(words))


def test_a_real_damaged_file_is_damage(tmp_path) -> None:
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    # Closed in any case: an unclosed connection is a ResourceWarning on
    # 3.13, which pytest reports in whichever later test collects it.
    with closing(sqlite3.connect(path)) as conn, pytest.raises(sqlite3.DatabaseError) as caught:
        conn.execute("SELECT * FROM sqlite_master").fetchall()
    assert _is_damage(caught.value)
