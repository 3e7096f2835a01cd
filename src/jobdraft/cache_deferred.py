"""The drafts cache with its writes held in memory until the command ends (the wizard's).

Each PATCH of the wizard teaches the session something about the draft (its
title, status, last answer, the richest description of each gap), and the
plain ``Cache`` rewrites ``drafts.json`` for it at once: an atomic file
rewrite between pressing Enter on "Send" and seeing the next question, for
a file only a later command (or a TAB) reads.  Here those writes wait in
memory, merged per draft, and reads see them; ``flush()`` writes them, once
per draft, when the command ends (``Session.close``, which runs on errors
and Ctrl-C too).  A run killed outright loses only cached conveniences: the
answers themselves are in the journal until the server accepts them.
"""

from __future__ import annotations

import time

from jobdraft.cache import Cache
from jobdraft.json_types import Json

# remember_draft's keyword, and the name the same value has in a cache entry.
_ENTRY_NAMES = {
    "title": "title",
    "status": "status",
    "answer": "answer",
    "missing_details": "missingDetails",
}


class DeferredDraftCache(Cache):
    """A ``Cache`` whose ``remember_draft`` waits for ``flush()``; the rest is the cache's."""

    def __init__(self, cache: Cache) -> None:
        super().__init__(cache.directory)
        self._pending: dict[tuple[str, str], dict[str, Json]] = {}
        # What the file held for a draft when first read: the file is read once
        # per draft, not once per question round.
        self._read: dict[tuple[str, str], dict[str, Json] | None] = {}

    def draft(self, origin: str, job_id: str) -> dict[str, Json] | None:
        key = (origin, job_id)
        if key not in self._read:
            self._read[key] = super().draft(origin, job_id)
        stored = self._read[key]
        pending = self._pending.get(key)
        if pending is None:
            return None if stored is None else dict(stored)
        entry = dict(stored or {}, id=job_id, origin=origin, seenAt=pending["seen_at"])
        for keyword, name in _ENTRY_NAMES.items():
            if keyword in pending:
                entry[name] = pending[keyword]
        return entry

    def remember_draft(
        self,
        origin: str,
        job_id: str,
        *,
        title: str | None = None,
        status: str | None = None,
        answer: Json = None,
        missing_details: list[Json] | None = None,
        seen_at: float | None = None,
    ) -> None:
        """Merged into what waits for this draft, as the cache would merge it into the file."""
        pending = self._pending.setdefault((origin, job_id), {})
        pending["seen_at"] = time.time() if seen_at is None else seen_at
        if title:
            pending["title"] = title
        if status:
            pending["status"] = status
        if answer is not None:
            pending["answer"] = answer
        if missing_details is not None:
            pending["missing_details"] = missing_details

    def flush(self) -> None:
        """Write what waits, one ``remember_draft`` per draft."""
        pending, self._pending = self._pending, {}
        self._read.clear()
        for (origin, job_id), values in pending.items():
            super().remember_draft(origin, job_id, **values)
