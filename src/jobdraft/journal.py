"""Answers the server has not accepted yet, one file per draft, so nothing typed is lost.

The wizard writes each answer here the moment it is given and removes it once
a PATCH carrying it succeeds.  After Ctrl-C, a network failure or a refused
request, the next ``jobdraft fill <id>`` reads the file back and offers the
answers as defaults.  A description typed for a draft not created yet is kept
the same way (``for_new_draft``), with the idempotency key of its create, so
that retrying never makes a second draft.

Files live under ``$XDG_STATE_HOME/jobdraft/journal/`` with mode 0600: answers
are the user's own words, not for other accounts on the machine.  A journal
is a safety net: a write that fails is remembered in ``problem`` instead of
stopping the wizard, and a file that cannot be read as a journal (not JSON,
not the shape written here, or the answers of another draft) is never
overwritten: it is moved aside to ``<name>.corrupt`` (mode 0600), the journal
goes on empty, and ``notices`` says where the old file went, for the caller to
tell the user once.

A file is named by a hash of the server's origin and the exact draft id, and
holds both: ids that differ in any character (``jd/1`` and ``jd_1``) never
share a file, and a file whose saved origin or id is not the draft's is not
read as its answers.  Writers take an exclusive ``flock`` on ``.lock`` in the
folder around each read-modify-write, so two runs answering at once both keep
their answers; a temporary file left by a writer killed mid-write is removed
by a later write once it is ``STALE_TEMP_SECONDS`` old.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from jobdraft.config import state_dir
from jobdraft.json_types import Json

JOURNAL_DIR = "journal"
NEW_DRAFT = "new-draft"  # the readable part of the name of the description not yet sent
LOCK_NAME = ".lock"
TEMP_PREFIX, TEMP_SUFFIX = ".journal.", ".tmp"
# A writer holds the lock for milliseconds; a temporary file this old was
# left by one that died (kill -9, power loss) before renaming it.
STALE_TEMP_SECONDS = 300
# Far above any answers typed (a description is at most 60,000 characters).
MAX_JOURNAL_BYTES = 8 * 1024 * 1024


def journal_dir(directory: Path | None = None) -> Path:
    return directory if directory is not None else state_dir() / JOURNAL_DIR


def _file_name(origin: str, job_id: str) -> str:
    # The readable part is for people looking at the folder; the digest of the
    # exact origin and id is what keeps two drafts apart.
    # No leading dot: the ids "." and ".." still make a plain, visible name.
    readable = re.sub(r"[^A-Za-z0-9_.-]", "_", job_id)[:40].lstrip(".") or NEW_DRAFT
    key = json.dumps([origin, job_id], ensure_ascii=True)
    digest = hashlib.sha256(key.encode("ascii")).hexdigest()[:32]
    return f"{readable}-{digest}.json"


def _legacy_file_name(origin: str, job_id: str) -> str:
    """The name used before files were keyed by the exact id; adopted when it matches."""
    origin_tag = hashlib.sha256(origin.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    safe_id = re.sub(r"[^A-Za-z0-9_.-]", "_", job_id or NEW_DRAFT)[:80] or "_"
    return f"{safe_id}--{origin_tag}.json"


class Journal:
    """The pending answers of one draft: key -> the typed JSON value to send."""

    def __init__(self, path: Path, *, origin: str, job_id: str) -> None:
        self.path = path
        self.origin = origin
        self.job_id = job_id
        self.problem: str | None = None  # why the last write failed, if it did
        self.notices: list[str] = []  # to tell the user once: an unreadable file set aside
        self._unreadable = False  # a bad file is in the way and could not be moved aside
        # Left-over temporaries are swept at this journal's first write, not at
        # each one: every answer is written, and the folder holds every draft's.
        self._swept = False

    @classmethod
    def for_draft(cls, origin: str, job_id: str, directory: Path | None = None) -> Journal:
        return cls(
            journal_dir(directory) / _file_name(origin, job_id), origin=origin, job_id=job_id
        )

    @classmethod
    def for_new_draft(cls, origin: str, directory: Path | None = None) -> Journal:
        return cls(journal_dir(directory) / _file_name(origin, ""), origin=origin, job_id="")

    # -- reading ---------------------------------------------------------------------

    def _read(self) -> dict[str, Json]:
        try:
            with self.path.open("rb") as handle:
                raw = handle.read(MAX_JOURNAL_BYTES + 1)
        except (FileNotFoundError, NotADirectoryError):
            return self._adopt_legacy()  # nothing saved yet, unless under the old name
        except OSError as exc:
            return self._set_aside(exc.strerror or str(exc))
        if len(raw) > MAX_JOURNAL_BYTES:
            return self._set_aside("too large")
        try:
            data = json.loads(raw.decode("utf-8"))
        except (ValueError, RecursionError):  # UnicodeDecodeError too
            return self._set_aside("not JSON")
        if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
            return self._set_aside("not a journal of answers")
        if not self._is_mine(data):
            return self._set_aside("it holds the answers of another draft or server")
        return data

    def _is_mine(self, data: dict[str, Json]) -> bool:
        return data.get("origin") == self.origin and data.get("jobId") == (self.job_id or None)

    def _adopt_legacy(self) -> dict[str, Json]:
        """Answers saved under the old file name, when that file is exactly this draft's.

        The old name folded some characters of the id together, so the saved
        origin and id decide: another draft's file is left where it is.
        """
        legacy = self.path.with_name(_legacy_file_name(self.origin, self.job_id))
        try:
            data = json.loads(legacy.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return {}
        if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
            return {}
        if not self._is_mine(data):
            return {}
        with contextlib.suppress(OSError):
            legacy.replace(self.path)  # a second reader racing here finds it moved: fine
        return data

    def _set_aside(self, reason: str) -> dict[str, Json]:
        """Move an unreadable file out of the way, so that no later write overwrites it."""
        if self._unreadable:
            return {}
        aside = self.path.with_name(self.path.name + ".corrupt")
        number = 1
        while aside.exists():  # an older file set aside is kept too
            number += 1
            aside = self.path.with_name(f"{self.path.name}.{number}.corrupt")
        try:
            self.path.replace(aside)
        except OSError as exc:
            self._unreadable = True
            self.problem = (
                f"cannot read the saved answers in {self.path} ({reason}) nor move the file "
                f"aside ({exc.strerror or exc}); new answers are not saved"
            )
            return {}
        with contextlib.suppress(OSError):
            aside.chmod(0o600)
        self.notices.append(
            f"the saved answers in {self.path} could not be read ({reason}); "
            f"the file is kept as {aside}"
        )
        return {}

    def take_notices(self) -> list[str]:
        """What to tell the user about this journal, each notice once."""
        notices, self.notices = self.notices, []
        return notices

    def answers(self) -> dict[str, Json]:
        return dict(self._read().get("answers") or {})

    def saved_at(self) -> float | None:
        when = self._read().get("savedAt")
        return float(when) if isinstance(when, (int, float)) else None

    def __bool__(self) -> bool:
        return bool(self.answers())

    # -- writing ---------------------------------------------------------------------

    def record(self, key: str, value: Json) -> None:
        """Save one answer now, before anything is sent."""
        self._update(lambda answers: {**answers, key: value})

    def record_all(self, values: dict[str, Json]) -> None:
        self._update(lambda answers: {**answers, **values})

    def forget(self, keys: Iterable[str]) -> None:
        """Drop answers the server has accepted; the file goes when nothing is left."""
        dropped = set(keys)
        self._update(lambda answers: {k: v for k, v in answers.items() if k not in dropped})

    def replace(self, answers: dict[str, Json]) -> None:
        """Save exactly ``answers``, dropping whatever was saved before."""
        self._update(lambda _old: dict(answers))

    def clear(self) -> None:
        self._update(lambda _old: {})

    def _update(self, change: Callable[[dict[str, Json]], dict[str, Json]]) -> None:
        """Read, change and write the answers while no other writer can."""
        try:
            with self._locked():
                if not self._swept:
                    self._remove_stale_temporaries()
                    self._swept = True
                # answers() reads first: a bad file is moved aside before any write.
                self._write(change(self.answers()))
        except OSError as exc:  # the folder or its lock cannot be made
            self.problem = f"cannot save answers to {self.path}: {exc.strerror or exc}"

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path.parent / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # released when fd is closed
            yield
        finally:
            os.close(fd)

    def _remove_stale_temporaries(self) -> None:
        too_old = time.time() - STALE_TEMP_SECONDS
        for leftover in self.path.parent.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
            with contextlib.suppress(OSError):
                if leftover.stat().st_mtime < too_old:
                    leftover.unlink()

    def _write(self, answers: dict[str, Json]) -> None:
        # Called by _update only, after answers() has read the file: a bad file
        # is already moved aside, never overwritten or removed.
        if self._unreadable:
            return  # ``problem`` says why: the file in the way is not ours to overwrite
        if not answers:
            with contextlib.suppress(FileNotFoundError, OSError):
                self.path.unlink()
            return
        data = {
            "origin": self.origin,
            "jobId": self.job_id or None,
            "savedAt": time.time(),
            "answers": answers,
        }
        tmp: str | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                # ASCII: an id or answer holding a lone surrogate (a byte that was not
                # UTF-8) is kept as an escape instead of failing the write.
                json.dump(data, handle, ensure_ascii=True, indent=1)
            Path(tmp).replace(self.path)
            self.problem = None
        except (OSError, TypeError, ValueError) as exc:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    Path(tmp).unlink()
            self.problem = f"cannot save answers to {self.path}: {exc}"
