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
not the shape written here) is never overwritten: it is moved aside to
``<name>.corrupt`` (mode 0600), the journal goes on empty, and ``notices``
says where the old file went, for the caller to tell the user once.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jobdraft.config import state_dir

Json = Any

JOURNAL_DIR = "journal"
NEW_DRAFT = "new-draft"  # the file name stem of the description not yet sent


def journal_dir(directory: Path | None = None) -> Path:
    return directory if directory is not None else state_dir() / JOURNAL_DIR


def _file_name(origin: str, job_id: str) -> str:
    # The origin is hashed: one draft id may exist on two servers (sandbox and live).
    origin_tag = hashlib.sha256(origin.encode("utf-8")).hexdigest()[:10]
    safe_id = re.sub(r"[^A-Za-z0-9_.-]", "_", job_id)[:80] or "_"
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

    @classmethod
    def for_draft(cls, origin: str, job_id: str, directory: Path | None = None) -> Journal:
        return cls(
            journal_dir(directory) / _file_name(origin, job_id), origin=origin, job_id=job_id
        )

    @classmethod
    def for_new_draft(cls, origin: str, directory: Path | None = None) -> Journal:
        return cls(journal_dir(directory) / _file_name(origin, NEW_DRAFT), origin=origin, job_id="")

    # -- reading ---------------------------------------------------------------------

    def _read(self) -> dict[str, Json]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, NotADirectoryError):
            return {}  # nothing saved yet
        except OSError as exc:
            return self._set_aside(exc.strerror or str(exc))
        except ValueError:  # UnicodeDecodeError too
            return self._set_aside("not JSON")
        if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
            return self._set_aside("not a journal of answers")
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
        answers = self.answers()
        answers[key] = value
        self._write(answers)

    def record_all(self, values: dict[str, Json]) -> None:
        answers = self.answers()
        answers.update(values)
        self._write(answers)

    def forget(self, keys: Iterable[str]) -> None:
        """Drop answers the server has accepted; the file goes when nothing is left."""
        answers = self.answers()
        for key in keys:
            answers.pop(key, None)
        self._write(answers)

    def replace(self, answers: dict[str, Json]) -> None:
        """Save exactly ``answers``, dropping whatever was saved before."""
        self._write(dict(answers))

    def clear(self) -> None:
        self._write({})

    def _write(self, answers: dict[str, Json]) -> None:
        self._read()  # a bad file is moved aside first, never overwritten or removed
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
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".journal.", suffix=".tmp")
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, ensure_ascii=False, indent=1)
            Path(tmp).replace(self.path)
            self.problem = None
        except (OSError, TypeError, ValueError) as exc:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    Path(tmp).unlink()
            self.problem = f"cannot save answers to {self.path}: {exc}"
