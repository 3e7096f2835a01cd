"""The ``jobdraft`` command: a TAB is answered here when it can be, else the full app runs.

Kept tiny on purpose: for a completion request (``_JOBDRAFT_COMPLETE=complete_<shell>``)
it tries ``completion_fast``, which needs the standard library only; anything
else, and any TAB the fast path leaves alone, goes to ``jobdraft.cli:main``.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    request = os.environ.get("_JOBDRAFT_COMPLETE", "")
    if request.startswith("complete_"):
        try:
            from jobdraft.completion_fast import answer

            text = answer(request.removeprefix("complete_"))
        except Exception:  # a bug of the fast path must not cost the answer
            text = None
        if text is not None:
            sys.stdout.write(text + "\n")
            sys.stdout.flush()
            sys.exit(0)
    from jobdraft.cli import main as full_app

    full_app()


if __name__ == "__main__":
    main()
