"""Local caches under ``$XDG_CACHE_HOME/jobdraft/``: capabilities and the drafts we have seen.

Completion reads these files on every TAB, so this module stays cheap to
import (stdlib only) and every reader treats a broken file as an empty one:
a cache is a convenience, never a reason to fail.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path
from typing import Any

from jobdraft.config import cache_dir

Json = Any

CAPABILITIES_FILE = "capabilities.json"
DRAFTS_FILE = "drafts.json"
CAPABILITIES_MAX_AGE = 24 * 3600.0
MAX_DRAFTS_KEPT = 200


def _read(path: Path) -> dict[str, Json]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(path: Path, data: dict[str, Json]) -> None:
    """Atomic replace, so a reader (a TAB in another shell) never sees half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        import tempfile  # only writers pay for it; every TAB reads

        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        Path(tmp).replace(path)
    except OSError:
        # A cache that cannot be written only costs a later network call.
        with contextlib.suppress(OSError, UnboundLocalError):
            Path(tmp).unlink()


class Cache:
    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or cache_dir()

    # -- capabilities, per API origin ------------------------------------------------

    def capabilities(self, origin: str, max_age: float = CAPABILITIES_MAX_AGE) -> Json | None:
        entry = _read(self.directory / CAPABILITIES_FILE).get(origin)
        if not isinstance(entry, dict):
            return None
        fetched = entry.get("fetchedAt")
        if not isinstance(fetched, (int, float)) or time.time() - fetched > max_age:
            return None
        return entry.get("data")

    def store_capabilities(self, origin: str, data: Json) -> None:
        path = self.directory / CAPABILITIES_FILE
        entries = _read(path)
        entries[origin] = {"fetchedAt": time.time(), "data": data}
        _write(path, entries)

    def forget_capabilities(self, origin: str) -> None:
        path = self.directory / CAPABILITIES_FILE
        entries = _read(path)
        if entries.pop(origin, None) is not None:
            _write(path, entries)

    def any_capabilities(self) -> Json | None:
        """The newest capabilities of any origin, whatever their age (for completion)."""
        entries = [
            e for e in _read(self.directory / CAPABILITIES_FILE).values() if isinstance(e, dict)
        ]
        entries.sort(key=lambda e: e.get("fetchedAt") or 0, reverse=True)
        return entries[0].get("data") if entries else None

    # -- drafts seen -----------------------------------------------------------------

    def drafts(self) -> list[dict[str, Json]]:
        """Drafts this tool has seen, newest first: ``{"id", "title", "status", "origin", ...}``."""
        raw = _read(self.directory / DRAFTS_FILE).get("drafts")
        if not isinstance(raw, dict):
            return []
        entries = [dict(entry, id=key) for key, entry in raw.items() if isinstance(entry, dict)]
        entries.sort(key=lambda e: e.get("seenAt") or 0, reverse=True)
        return entries

    def draft(self, origin: str, job_id: str) -> dict[str, Json] | None:
        for entry in self.drafts():
            if entry.get("id") == job_id and entry.get("origin") == origin:
                return entry
        return None

    def remember_draft(
        self,
        origin: str,
        job_id: str,
        *,
        title: str | None = None,
        status: str | None = None,
        answer: Json = None,
        missing_details: list[Json] | None = None,
    ) -> None:
        """Record a draft; ``answer`` (the last full API answer) lets us read it back later."""
        path = self.directory / DRAFTS_FILE
        data = _read(path)
        drafts = data.get("drafts")
        if not isinstance(drafts, dict):
            drafts = {}
        previous = drafts.get(job_id)
        entry: dict[str, Json] = dict(previous) if isinstance(previous, dict) else {}
        entry.update(origin=origin, seenAt=time.time())
        if title:
            entry["title"] = title
        if status:
            entry["status"] = status
        if answer is not None:
            entry["answer"] = answer
        if missing_details is not None:
            entry["missingDetails"] = missing_details
        drafts[job_id] = entry
        if len(drafts) > MAX_DRAFTS_KEPT:
            newest = sorted(drafts.items(), key=lambda kv: kv[1].get("seenAt") or 0, reverse=True)
            drafts = dict(newest[:MAX_DRAFTS_KEPT])
        _write(path, {"drafts": drafts})
