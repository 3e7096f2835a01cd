"""Completion callbacks: they read the local cache only, never the network.

Every TAB imports ``jobdraft.cli`` and calls one of these, so this module and
what it imports stay light (stdlib + our cache), and every callback swallows
its own failures: a broken cache means no suggestions, never a traceback.
"""

from __future__ import annotations

from jobdraft.cache import Cache


def complete_draft_id(incomplete: str) -> list[tuple[str, str]]:
    try:
        return [
            (str(entry["id"]), str(entry.get("title") or ""))
            for entry in Cache().drafts()
            if str(entry.get("id", "")).startswith(incomplete)
        ]
    except Exception:
        return []


def complete_assignment(incomplete: str) -> list[str]:
    return []
