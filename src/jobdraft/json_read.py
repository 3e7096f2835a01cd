"""``json.loads`` for the TAB path, without importing ``json``.

Importing ``json`` costs about 15 ms, most of it ``re`` (and ``enum``,
``functools``...) that ``json.decoder`` compiles patterns with: on a TAB
that is a third of the interpreter's own start-up.  The parsing itself is
done in C by ``_json``, which imports in half a millisecond.  So
:func:`loads` drives ``_json``'s scanner directly, as ``json.loads`` does,
and skips the surrounding whitespace by hand (JSON's whitespace is four
characters; ``json`` uses a regular expression for it).  Where ``_json`` is
missing (another Python implementation) it is ``json.loads`` itself.  A test
holds the two equal over valid and broken documents.

Only reading is done here: writers import ``json``, and only writers pay.
An error is a ``ValueError`` (``json.JSONDecodeError`` as ``json`` gives it,
whose module ``_json`` imports only then) or a ``RecursionError``.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs a TAB milliseconds
    from collections.abc import Callable
    from typing import Any

_WHITESPACE = " \t\n\r"
_CONSTANTS = {"-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}


class _Settings:
    """What ``_json.make_scanner`` reads from a decoder: json's defaults."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = staticmethod(_CONSTANTS.__getitem__)
    memo: dict[str, str] = {}  # noqa: RUF012  (read by the pure-Python scanner only)


def _scanner() -> Callable[[str, int], tuple[Any, int]] | None:
    try:
        from _json import make_scanner
    except ImportError:
        return None
    # typeshed names the scanner type as the context's; the C code reads only
    # the attributes above, from any object.
    scan: Callable[[str, int], tuple[Any, int]] = make_scanner(_Settings())  # type: ignore[arg-type]
    return scan


_scan = _scanner()


def _fail(message: str, text: str, at: int) -> ValueError:
    from json import JSONDecodeError  # an error path: its cost does not matter

    return JSONDecodeError(message, text, at)


def _skip_whitespace(text: str, at: int) -> int:
    # A loop, not lstrip(): no copy of a large text for the few characters skipped.
    while at < len(text) and text[at] in _WHITESPACE:
        at += 1
    return at


def loads(text: str) -> Any:
    """What ``json.loads(text)`` gives, or raises ValueError (or RecursionError) as it does."""
    if _scan is None:
        import json

        return json.loads(text)
    try:
        value, end = _scan(text, _skip_whitespace(text, 0))
    except StopIteration as stop:
        raise _fail("Expecting value", text, stop.value) from None
    end = _skip_whitespace(text, end)
    if end != len(text):
        raise _fail("Extra data", text, end)
    return value
