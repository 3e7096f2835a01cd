"""The sandbox: a local, stateful copy of OpenTrain's job-drafts API.

It stands apart from the client side of jobdraft (it imports nothing from it),
so that tests of the client against it are a real contract test.  Importing
this package stays cheap: the WSGI app lives in ``app`` and the waitress
server in ``server``; neither is loaded here.
"""

from __future__ import annotations

# A well-formed personal token (``ot_pat_<publicId>_<secret>``).  The embedded
# ``jobdraft --sandbox`` mode sends it; any other well-formed token works too
# and is an account of its own.
SANDBOX_TOKEN = "ot_pat_sandbox_localdevsecret"

# Every API route lives under this prefix, as on the real service.
API_PREFIX = "/api/public/v1"

__all__ = ["API_PREFIX", "SANDBOX_TOKEN"]
