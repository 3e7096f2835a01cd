"""Make text that came from outside (a server, a cache, a file) safe to show.

Whatever a server sends is untrusted: a title can hold an escape sequence that
clears the screen, writes the clipboard (OSC 52) or hides a link (OSC 8), and
an error message can echo the user's own token back.  Every human output path
passes such text through :func:`inert` before it reaches a terminal; rich
markup is a second, separate concern handled where rich is used (``render``).

Pure and standard-library only: completion and every layer may import it.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # collections.abc costs a TAB milliseconds
    from collections.abc import Iterable

# C0 controls, DEL and C1 controls; plus the Unicode bidi overrides and
# isolates, which reorder what is shown without being visible themselves.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
REDACTED = "<redacted>"

_secrets: set[str] = set()


def is_control(char: str) -> bool:
    code = ord(char)
    return code < 0x20 or 0x7F <= code <= 0x9F or char in _BIDI


def has_control(text: str) -> bool:
    """True when ``text`` holds any character :func:`inert` would rewrite (newlines too)."""
    return any(is_control(char) for char in text)


def _visible(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def inert(text: object, *, multiline: bool = False) -> str:
    """``text`` as a string that cannot act on a terminal, with secrets redacted.

    Control characters are shown as visible ``\\xNN`` escapes (so a user sees
    that something odd was sent, instead of it vanishing); a tab becomes a
    space.  With ``multiline`` a newline is kept (a description), otherwise it
    becomes a space (a title, a label, a table cell on one line).
    """
    string = text if isinstance(text, str) else str(text)
    string = redact(string)
    if not has_control(string):
        return string
    out: list[str] = []
    for char in string:
        if char == "\t" or (char in "\r\n" and not multiline):
            out.append(" ")
        elif char == "\n" or (char == "\r" and multiline):
            out.append("\n")
        elif is_control(char):
            out.append(_visible(char))
        else:
            out.append(char)
    return "".join(out)


def register_secret(secret: str | None) -> None:
    """Remember a secret (the API token) so that :func:`redact` hides it everywhere.

    A personal token ``ot_pat_<publicId>_<secret>`` is also hidden by its
    secret part alone, in case a server echoes only that.
    """
    if not secret or len(secret) < 8:
        return
    _secrets.add(secret)
    if secret.startswith("ot_") and secret.count("_") >= 3:
        tail = secret.rsplit("_", 1)[1]
        if len(tail) >= 8:
            _secrets.add(tail)


def registered_secrets() -> Iterable[str]:
    return tuple(_secrets)


def redact(text: str, extra: Iterable[str | None] = ()) -> str:
    """``text`` with every registered secret (and any of ``extra``) replaced."""
    for secret in sorted(
        {*_secrets, *(s for s in extra if s and len(s) >= 8)}, key=len, reverse=True
    ):
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text
