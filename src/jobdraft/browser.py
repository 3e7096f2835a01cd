"""Open a job post's page in the user's browser, or say there is none.

The address comes from a server, so it is checked before it goes anywhere:
only an ``http``/``https`` URL with a host, no user name or password in it,
and only the characters a URL is written with (no space, quote, backslash,
control or non-ASCII character).  It then reaches the browser through
``webbrowser``, which honours ``$BROWSER`` and starts the browser with the
URL as one argument of its own (``subprocess`` with a list, never a shell),
so nothing in it can become a command.
"""

from __future__ import annotations

import os
import string
import sys
from urllib.parse import urlsplit

# Session.origin of the embedded sandbox (cli_common.build_session): it has no
# web server, so its pages are seen through 'jobdraft sandbox serve'.
EMBEDDED_SANDBOX = "sandbox"

# RFC 3986's unreserved and reserved characters, and % for escapes; without
# the quote ', which a URL seldom needs and a command line might misread.
URL_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-._~:/?#[]@!$&()*+,;=%")


class UnsafeUrl(ValueError):
    """An address that will not be handed to a browser; the message says why."""


def check_url(url: str) -> str:
    """``url`` when a browser may be given it; UnsafeUrl otherwise."""
    odd = sorted({char for char in url if char not in URL_CHARACTERS})
    if odd:
        shown = ", ".join(repr(char) for char in odd[:3])
        raise UnsafeUrl(f"it holds characters a web address does not ({shown})")
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as exc:
        raise UnsafeUrl(f"it is not a web address ({exc})") from None
    if parts.scheme not in ("http", "https"):
        raise UnsafeUrl("it is not an http or https address")
    if not host:
        raise UnsafeUrl("it names no host")
    if parts.username is not None or parts.password is not None:
        raise UnsafeUrl("it holds a user name or password")
    return url


def has_browser() -> bool:
    """Whether a browser can be shown: ``$BROWSER``, or a graphical display.

    Without a display Python would fall back to a text browser in this very
    terminal (lynx, w3m); printing the address serves better there.
    """
    if os.environ.get("BROWSER", "").strip():
        return True
    if sys.platform in ("darwin", "win32"):
        return True
    return any(os.environ.get(name, "").strip() for name in ("DISPLAY", "WAYLAND_DISPLAY"))


def open_url(url: str) -> bool:
    """Start the browser on ``url`` (checked first); False when none could be started."""
    import webbrowser

    check_url(url)
    if not has_browser():
        return False
    try:
        return webbrowser.open(url)
    except webbrowser.Error:
        return False
