"""Local caches under ``$XDG_CACHE_HOME/jobdraft/``: capabilities and the drafts we have seen.

Completion reads two of these files on every TAB, so they are small indexes:
``drafts.json`` (id, title, status, origin and when seen, per draft) and
``schema.json`` (the keys, types and enum values of each origin).  What only
the commands read lives apart, in ``answers.json`` (the last full answer
about a few drafts) and ``capabilities.json``.  Every file is bounded in
entries and in bytes: a server that sends huge answers gets them left out
of the cache, never a cache as large as what it sent.  This module stays
cheap to import (stdlib only, no ``re``) and every reader treats a broken
or oversized file as an empty one: a cache is a convenience, never a reason
to fail.

"Broken" is checked at every level, not only the file's: a file that is not
an object, an entry that is not an object, a time stamp that is not a finite
number (or lies in the future), a value of the wrong type.  A malformed entry
is absent to every reader, and the next write drops it; an optional value of
the wrong type (a ``title`` that is a list...) is dropped on its own.
"""

# Paths are plain strings here (os.path), not pathlib: every TAB imports this
# module, and pathlib brings urllib.parse and more, a good part of a TAB's time.
# ruff: noqa: PTH103, PTH105, PTH108, PTH118, PTH123

from __future__ import annotations

import math
import os
import time

from jobdraft.json_read import loads

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs a TAB milliseconds; the checker alone needs it
    from pathlib import Path
    from typing import Any

    from jobdraft.json_types import Json
else:  # Typer reads the callbacks' annotations at run time
    Any = Json = object

CAPABILITIES_FILE = "capabilities.json"
SPEC_FILE = "openapi.json"  # what each origin's served spec says of the PATCH body
DRAFTS_FILE = "drafts.json"
ANSWERS_FILE = "answers.json"
SCHEMA_FILE = "schema.json"
CAPABILITIES_MAX_AGE = 24 * 3600.0

# Bounds.  The drafts index: 200 entries of short strings (a few tens of kB).
MAX_DRAFTS_KEPT = 200
MAX_ID_CHARS = 200  # a longer id is not remembered (no real id comes close)
MAX_TITLE_CHARS = 120  # completion shows 60
MAX_STATUS_CHARS = 40
# Full answers: the 32 most recent drafts, each at most 128 kB of JSON.
MAX_ANSWERS_KEPT = 32
MAX_ANSWER_BYTES = 128 * 1024
# Capabilities: 8 origins, each at most 512 kB of JSON; the schema index
# keeps at most 500 keys, 200 values per key, 100 characters per string.
MAX_ORIGINS_KEPT = 8
MAX_CAPABILITIES_BYTES = 512 * 1024
MAX_SCHEMA_KEYS = 500
MAX_SCHEMA_VALUES = 200
MAX_SCHEMA_CHARS = 100
# A file larger than this (written by hand, or by an older version) is read
# as empty, and replaced by the next write.
MAX_FILE_BYTES = 8 * 1024 * 1024
# A temporary file older than this was left by a killed writer.
STALE_TEMP_SECONDS = 60.0

# The optional values of a draft entry, and the JSON type each must have.
_DRAFT_VALUE_TYPES: dict[str, type] = {"title": str, "status": str}
_ANSWER_VALUE_TYPES: dict[str, type] = {"answer": dict, "missingDetails": list}


def _read(path: str) -> dict[str, Json]:
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            return {}
        data = loads(raw.decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        # RecursionError: JSON nested deeper than the parser's stack.
        return {}
    return data if isinstance(data, dict) else {}


def _write(path: str, data: dict[str, Json]) -> None:
    """Atomic replace, so a reader (a TAB in another shell) never sees half a file."""
    # Imported here: only writers pay for them, and every TAB reads (json_read).
    import contextlib
    import json
    import tempfile

    folder, name = os.path.split(path)
    try:
        os.makedirs(folder, exist_ok=True)
        _remove_stale_temporaries(folder, name)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, separators=(",", ":"))
        os.replace(tmp, path)
    except OSError:
        # A cache that cannot be written only costs a later network call.
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(tmp)


def _remove_stale_temporaries(folder: str, name: str) -> None:
    """Delete the temporary files of ``name`` that a killed writer (kill -9) left.

    Only old ones: a younger one may belong to a writer still at work."""
    import contextlib  # a writer's cost, as in _write

    prefix = f".{name}."
    limit = time.time() - STALE_TEMP_SECONDS
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if not (entry.name.startswith(prefix) and entry.name.endswith(".tmp")):
                continue
            with contextlib.suppress(OSError):
                if entry.stat(follow_symlinks=False).st_mtime < limit:
                    os.unlink(entry.path)


def _json_size(value: Json) -> int:
    import json  # a writer's cost, as in _write

    try:
        return len(json.dumps(value, separators=(",", ":")))
    except (TypeError, ValueError, RecursionError):
        return MAX_FILE_BYTES + 1


def _clip(text: str | None, limit: int) -> str | None:
    return text[:limit] if isinstance(text, str) and text else None


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


def _typed_values(entry: dict[str, Json], types: dict[str, type]) -> dict[str, Json]:
    """``entry`` without the optional values whose type is wrong."""
    return {
        name: value
        for name, value in entry.items()
        if (expected := types.get(name)) is None or isinstance(value, expected)
    }


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
        kept = _typed_values(entry, _DRAFT_VALUE_TYPES)
        # Written by an older version, which kept whole answers here.
        kept.pop("answer", None)
        kept.pop("missingDetails", None)
        entries[job_id] = dict(kept, seenAt=seen)
    return entries


def _newest(entries: dict[str, dict[str, Json]], limit: int) -> dict[str, dict[str, Json]]:
    if len(entries) <= limit:
        return entries
    ordered = sorted(entries.items(), key=lambda kv: kv[1]["seenAt"], reverse=True)
    return dict(ordered[:limit])


def _answer_key(origin: str, job_id: str) -> str:
    # A newline cannot be in an origin we accept, so two pairs never share a key.
    return f"{origin}\n{job_id}"


def _answer_entries(raw: dict[str, Json]) -> dict[str, dict[str, Json]]:
    answers = raw.get("answers")
    if not isinstance(answers, dict):
        return {}
    entries: dict[str, dict[str, Json]] = {}
    for key, entry in answers.items():
        seen = _stamp(entry.get("seenAt")) if isinstance(entry, dict) else None
        if seen is None:
            continue
        entries[key] = dict(_typed_values(entry, _ANSWER_VALUE_TYPES), seenAt=seen)
    return entries


# -- the schema completion reads: {origin: {"keys", "enums", "types"}} --------------------


def _short_strings(value: Json, limit: int) -> list[str]:
    if not isinstance(value, list):
        return []
    kept = [
        str(item)
        for item in value
        if isinstance(item, (str, int, float)) and not isinstance(item, bool)
    ]
    return [item for item in kept if 0 < len(item) <= MAX_SCHEMA_CHARS][:limit]


def schema_index(data: Json) -> dict[str, Json]:
    """The part of capabilities completion needs, bounded: keys, enum values, types."""
    draft = data.get("draft") if isinstance(data, dict) else None
    if not isinstance(draft, dict):
        return {}
    index: dict[str, Json] = {"keys": _short_strings(draft.get("updateKeys"), MAX_SCHEMA_KEYS)}
    enums = draft.get("enums")
    if isinstance(enums, dict):
        index["enums"] = {
            str(key): values
            for key, value in list(enums.items())[:MAX_SCHEMA_KEYS]
            if len(str(key)) <= MAX_SCHEMA_CHARS
            and (values := _short_strings(value, MAX_SCHEMA_VALUES))
        }
    types = draft.get("fieldTypes")
    if isinstance(types, dict):
        index["types"] = {
            str(key): value
            for key, value in list(types.items())[:MAX_SCHEMA_KEYS]
            if isinstance(value, str) and 0 < len(value) <= MAX_SCHEMA_CHARS
        }
    return index


class Cache:
    def __init__(self, directory: Path | str | None = None) -> None:
        if directory is None:
            # Here, not at the top: the fast completion path gives the folder
            # itself and never imports config (and its ``re``, ``pathlib``...).
            from jobdraft.config import cache_dir

            directory = cache_dir()
        self.directory = directory

    def _file(self, name: str) -> str:
        return os.path.join(self.directory, name)

    # -- capabilities, per API origin ------------------------------------------------

    def capabilities(self, origin: str, max_age: float = CAPABILITIES_MAX_AGE) -> Json | None:
        """The cached capabilities of ``origin`` when fresh, else None.

        A stamp in the future is stale, not fresh for ever: the clock moved back,
        or the file was written by hand."""
        entry = _capabilities_entries(_read(self._file(CAPABILITIES_FILE))).get(origin)
        if entry is None:
            return None
        fetched, data = entry
        if not 0 <= time.time() - fetched <= max_age:
            return None
        return data

    def store_capabilities(self, origin: str, data: Json) -> None:
        """Keep ``data`` for ``origin`` (unless it is too large), and its schema for completion."""
        path = self._file(CAPABILITIES_FILE)
        now = time.time()
        entries = _capabilities_entries(_read(path))
        entries.pop(origin, None)
        if _json_size(data) <= MAX_CAPABILITIES_BYTES and isinstance(data, dict):
            entries[origin] = (now, data)
        newest = sorted(entries.items(), key=lambda kv: kv[1][0], reverse=True)
        _write(
            path,
            {
                key: {"fetchedAt": fetched, "data": value}
                for key, (fetched, value) in newest[:MAX_ORIGINS_KEPT]
            },
        )
        schemas = self._schemas()
        schemas.pop(origin, None)
        schemas[origin] = dict(schema_index(data), storedAt=now)
        kept = sorted(schemas.items(), key=lambda kv: kv[1]["storedAt"], reverse=True)
        _write(self._file(SCHEMA_FILE), dict(kept[:MAX_ORIGINS_KEPT]))

    def forget_capabilities(self, origin: str) -> None:
        for name in (CAPABILITIES_FILE, SCHEMA_FILE):
            path = self._file(name)
            entries = _read(path)
            if origin in entries:
                del entries[origin]
                _write(path, entries)

    def any_capabilities(self) -> Json | None:
        """The newest capabilities of any origin, whatever their age.

        An entry stamped in the future ranks below every other one."""
        entries = _capabilities_entries(_read(self._file(CAPABILITIES_FILE))).values()
        if not entries:
            return None
        now = time.time()
        _, data = max(entries, key=lambda e: e[0] if e[0] <= now else -math.inf)
        return data

    def _schemas(self) -> dict[str, dict[str, Json]]:
        raw = _read(self._file(SCHEMA_FILE))
        return {
            origin: entry
            for origin, entry in raw.items()
            if isinstance(entry, dict) and _stamp(entry.get("storedAt")) is not None
        }

    def schema(self, origin: str) -> dict[str, Json] | None:
        """What completion needs of ``origin``'s capabilities, whatever their age:
        ``{"keys": [...], "enums": {...}, "types": {...}}``, or None if never cached."""
        return self._schemas().get(origin)

    # -- the served spec's fields, per API origin (same entries as capabilities) --------

    def spec_fields(self, origin: str, max_age: float = CAPABILITIES_MAX_AGE) -> Json | None:
        """What ``origin``'s spec said (``{}`` when it has none), when fresh; else None."""
        entry = _capabilities_entries(_read(self._file(SPEC_FILE))).get(origin)
        if entry is None or not 0 <= time.time() - entry[0] <= max_age:
            return None
        return entry[1]

    def store_spec_fields(self, origin: str, data: dict[str, Json]) -> None:
        path = self._file(SPEC_FILE)
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
            for key, entry in _draft_entries(_read(self._file(DRAFTS_FILE))).items()
        ]
        entries.sort(key=lambda e: e["seenAt"], reverse=True)
        return entries

    def draft(self, origin: str, job_id: str) -> dict[str, Json] | None:
        """The index entry of a draft of ``origin``, with its last full answer if kept."""
        found = _draft_entries(_read(self._file(DRAFTS_FILE))).get(job_id)
        if found is None or found.get("origin") != origin:
            return None
        entry = dict(found, id=job_id)
        kept = _answer_entries(_read(self._file(ANSWERS_FILE))).get(_answer_key(origin, job_id))
        if kept is not None:
            answer = kept.get("answer")
            if answer is not None and str(answer.get("jobId") or answer.get("id") or "") == job_id:
                entry["answer"] = answer
            if "missingDetails" in kept:
                entry["missingDetails"] = kept["missingDetails"]
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
        """Record a draft; ``answer`` (the last full API answer) lets us read it back later.

        ``seen_at`` (default: now) orders completion's ids, newest first.
        """
        seen = time.time() if seen_at is None else seen_at
        self.remember_drafts(origin, [(job_id, title, status)], seen_at=seen)
        if answer is None and missing_details is None:
            return
        if len(job_id) > MAX_ID_CHARS:
            return
        path = self._file(ANSWERS_FILE)
        answers = _answer_entries(_read(path))
        key = _answer_key(origin, job_id)
        entry = answers.pop(key, {})
        entry["seenAt"] = seen
        if answer is not None:
            if isinstance(answer, dict) and _json_size(answer) <= MAX_ANSWER_BYTES:
                entry["answer"] = answer
            else:
                entry.pop("answer", None)  # an older answer would be wrong now
        if missing_details is not None and _json_size(missing_details) <= MAX_ANSWER_BYTES:
            entry["missingDetails"] = missing_details
        answers[key] = entry
        _write(path, {"answers": _newest(answers, MAX_ANSWERS_KEPT)})

    def remember_drafts(
        self,
        origin: str,
        drafts: list[tuple[str, str | None, str | None]],
        *,
        seen_at: float | None = None,
    ) -> None:
        """Record ``(id, title, status)`` of many drafts in one write, the first the newest.

        Ids too long to be real, and titles and statuses past their bounds, are
        left out or cut: the index stays small whatever a server lists.
        """
        if not drafts:
            return
        path = self._file(DRAFTS_FILE)
        raw = _read(path)
        entries = _draft_entries(raw)  # what is malformed goes
        previous_raw = raw.get("drafts")
        now = time.time() if seen_at is None else seen_at
        for index, (job_id, title, status) in enumerate(drafts[:MAX_DRAFTS_KEPT]):
            if not isinstance(job_id, str) or not job_id or len(job_id) > MAX_ID_CHARS:
                continue
            entry = entries.get(job_id)
            if entry is None and isinstance(previous_raw, dict):
                # An entry malformed only in its origin or stamp keeps its good values.
                previous = previous_raw.get(job_id)
                if isinstance(previous, dict):
                    entry = _typed_values(previous, _DRAFT_VALUE_TYPES)
                    entry.pop("answer", None)
                    entry.pop("missingDetails", None)
            entry = dict(entry or {})
            if entry.get("origin") not in (None, origin):
                entry.pop("title", None)  # another origin's draft of the same id
                entry.pop("status", None)
            # Stamped a moment apart, so that the first listed stays the newest.
            entry.update(origin=origin, seenAt=now - index / 1000)
            if (short_title := _clip(title, MAX_TITLE_CHARS)) is not None:
                entry["title"] = short_title
            if (short_status := _clip(status, MAX_STATUS_CHARS)) is not None:
                entry["status"] = short_status
            entries[job_id] = entry
        _write(path, {"drafts": _newest(entries, MAX_DRAFTS_KEPT)})
