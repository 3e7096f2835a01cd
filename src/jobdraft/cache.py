"""Local caches under ``$XDG_CACHE_HOME/jobdraft/``: capabilities and the drafts we have seen.

Completion reads these files on every TAB, so this module stays cheap to
import (stdlib only) and every reader treats a broken file as an empty one:
a cache is a convenience, never a reason to fail.

"Broken" is checked at every level, not only the file's: a file that is not
an object, an entry that is not an object, a time stamp that is not a finite
number (or lies in the future), a value of the wrong type.  A malformed entry
is absent to every reader, and the next write drops it; an optional value of
the wrong type (a ``title`` that is a list...) is dropped on its own.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import time
from pathlib import Path
from typing import Any

from jobdraft.config import cache_dir

Json = Any

CAPABILITIES_FILE = "capabilities.json"
SPEC_FILE = "openapi.json"  # what each origin's served spec says of the PATCH body
DRAFTS_FILE = "drafts.json"
CAPABILITIES_MAX_AGE = 24 * 3600.0
MAX_DRAFTS_KEPT = 200

# The optional values of a draft entry, and the JSON type each must have.
_DRAFT_VALUE_TYPES: dict[str, type] = {
    "title": str,
    "status": str,
    "answer": dict,
    "missingDetails": list,
}


def _read(path: Path) -> dict[str, Json]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        # RecursionError: JSON nested deeper than the parser's stack.
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


def _stamp(value: Json) -> float | None:
    """A time stamp as we write them (seconds since the epoch), else None:
    text, a boolean, NaN, an infinity, an integer too large for a float."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        stamp = float(value)
    except OverflowError:
        return None
    return stamp if math.isfinite(stamp) else None


# -- capabilities entries: {"fetchedAt": <stamp>, "data": {...}} -------------------------


def _capabilities_entries(raw: dict[str, Json]) -> dict[str, tuple[float, dict[str, Json]]]:
    """The well-formed entries, by origin: (fetched at, capabilities)."""
    entries: dict[str, tuple[float, dict[str, Json]]] = {}
    for origin, entry in raw.items():
        if not isinstance(entry, dict):
            continue
        fetched = _stamp(entry.get("fetchedAt"))
        data = entry.get("data")
        if fetched is not None and isinstance(data, dict):
            entries[origin] = (fetched, data)
    return entries


# -- draft entries: {"origin", "seenAt", and optional values} ----------------------------


def _draft_values(entry: dict[str, Json], job_id: str) -> dict[str, Json]:
    """``entry`` without the optional values whose type is wrong (and without an
    ``answer`` about another job)."""
    kept: dict[str, Json] = {}
    for name, value in entry.items():
        expected = _DRAFT_VALUE_TYPES.get(name)
        if expected is not None and not isinstance(value, expected):
            continue
        if name == "answer" and str(value.get("jobId") or value.get("id") or "") != job_id:
            continue
        kept[name] = value
    return kept


def _draft_entries(raw: dict[str, Json]) -> dict[str, dict[str, Json]]:
    """The well-formed draft entries, by id, each with a float ``seenAt``."""
    drafts = raw.get("drafts")
    if not isinstance(drafts, dict):
        return {}
    entries: dict[str, dict[str, Json]] = {}
    for job_id, entry in drafts.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("origin"), str):
            continue
        seen = _stamp(entry.get("seenAt"))
        if seen is None:
            continue
        entries[job_id] = dict(_draft_values(entry, job_id), seenAt=seen)
    return entries


class Cache:
    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or cache_dir()

    # -- capabilities, per API origin ------------------------------------------------

    def capabilities(self, origin: str, max_age: float = CAPABILITIES_MAX_AGE) -> Json | None:
        """The cached capabilities of ``origin`` when fresh, else None.

        A stamp in the future is stale, not fresh for ever: the clock moved back,
        or the file was written by hand."""
        entry = _capabilities_entries(_read(self.directory / CAPABILITIES_FILE)).get(origin)
        if entry is None:
            return None
        fetched, data = entry
        if not 0 <= time.time() - fetched <= max_age:
            return None
        return data

    def store_capabilities(self, origin: str, data: Json) -> None:
        path = self.directory / CAPABILITIES_FILE
        entries: dict[str, Json] = {
            key: {"fetchedAt": fetched, "data": value}
            for key, (fetched, value) in _capabilities_entries(_read(path)).items()
        }
        entries[origin] = {"fetchedAt": time.time(), "data": data}
        _write(path, entries)

    def forget_capabilities(self, origin: str) -> None:
        path = self.directory / CAPABILITIES_FILE
        entries = _read(path)
        if origin in entries:
            del entries[origin]
            _write(path, entries)

    def any_capabilities(self) -> Json | None:
        """The newest capabilities of any origin, whatever their age (for completion).

        An entry stamped in the future ranks below every other one."""
        entries = _capabilities_entries(_read(self.directory / CAPABILITIES_FILE)).values()
        if not entries:
            return None
        now = time.time()
        _, data = max(entries, key=lambda e: e[0] if e[0] <= now else -math.inf)
        return data

    # -- the served spec's fields, per API origin (same entries as capabilities) --------

    def spec_fields(self, origin: str, max_age: float = CAPABILITIES_MAX_AGE) -> Json | None:
        """What ``origin``'s spec said (``{}`` when it has none), when fresh; else None."""
        entry = _capabilities_entries(_read(self.directory / SPEC_FILE)).get(origin)
        if entry is None or not 0 <= time.time() - entry[0] <= max_age:
            return None
        return entry[1]

    def store_spec_fields(self, origin: str, data: dict[str, Json]) -> None:
        path = self.directory / SPEC_FILE
        entries: dict[str, Json] = {
            key: {"fetchedAt": fetched, "data": value}
            for key, (fetched, value) in _capabilities_entries(_read(path)).items()
            if 0 <= time.time() - fetched <= CAPABILITIES_MAX_AGE  # stale ones go
        }
        entries[origin] = {"fetchedAt": time.time(), "data": data}
        _write(path, entries)

    # -- drafts seen -----------------------------------------------------------------

    def drafts(self) -> list[dict[str, Json]]:
        """Drafts this tool has seen, newest first: ``{"id", "title", "status", "origin", ...}``."""
        entries = [
            dict(entry, id=key)
            for key, entry in _draft_entries(_read(self.directory / DRAFTS_FILE)).items()
        ]
        entries.sort(key=lambda e: e["seenAt"], reverse=True)
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
        seen_at: float | None = None,
    ) -> None:
        """Record a draft; ``answer`` (the last full API answer) lets us read it back later.

        ``seen_at`` (default: now) orders completion's ids, newest first.
        """
        path = self.directory / DRAFTS_FILE
        raw = _read(path)
        drafts = _draft_entries(raw)  # what is malformed goes
        seen = raw.get("drafts")
        previous = seen.get(job_id) if isinstance(seen, dict) else None
        # An entry malformed only in its origin or stamp keeps its good values.
        entry = _draft_values(previous, job_id) if isinstance(previous, dict) else {}
        entry.update(origin=origin, seenAt=time.time() if seen_at is None else seen_at)
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
            newest = sorted(drafts.items(), key=lambda kv: kv[1]["seenAt"], reverse=True)
            drafts = dict(newest[:MAX_DRAFTS_KEPT])
        _write(path, {"drafts": drafts})
