"""``python -m jobdraft.sandbox``: serve the sandbox without the jobdraft CLI.

The flags are those of ``jobdraft sandbox serve``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from jobdraft.sandbox.app import CLAIMED_ENV, FEATURES, SandboxConfig, default_db_path, env_flag
from jobdraft.sandbox.store import StoreError
from jobdraft.sandbox.views import VARIANTS


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m jobdraft.sandbox",
        description="Serve a local copy of OpenTrain's job-drafts API.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (loopback)")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--db",
        type=Path,
        help="SQLite file (default: the embedded store, $XDG_STATE_HOME/jobdraft/sandbox.sqlite3)",
    )
    where.add_argument("--memory", action="store_true", help="keep data in memory only")
    parser.add_argument(
        "--minimal", action="store_true",
        help="serve only what the public docs show: no read route, the small PATCH answer, "
        "no externalId, fieldTypes or sandbox hints in errors",
    )  # fmt: skip
    parser.add_argument("--chaos", type=float, default=0.0, help="share of requests that 503")
    parser.add_argument("--seed", type=int, help="seed of --chaos")
    parser.add_argument("--latency", type=int, default=0, metavar="MS", help="delay per request")
    parser.add_argument(
        "--disable-feature", action="append", default=[], choices=sorted(FEATURES),
        help="answer 403 for that feature's endpoints (repeatable)",
    )  # fmt: skip
    parser.add_argument("--block-words", default="", metavar="A,B", help="moderation words")
    parser.add_argument(
        "--claimed", action="store_true", default=env_flag(CLAIMED_ENV),
        help=f"claimed accounts: 20 publishes a day, not 3 (or {CLAIMED_ENV}=1)",
    )  # fmt: skip
    parser.add_argument("--allow-remote", action="store_true", help="allow a non-loopback host")
    parser.add_argument(
        "--variant", action="append", default=[], choices=list(VARIANTS),
        help="answer in this documented variant form (repeatable)",
    )  # fmt: skip
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        config = SandboxConfig(
            db_path=None if args.memory else (args.db or default_db_path()),
            minimal=args.minimal,
            chaos=args.chaos,
            seed=args.seed,
            latency_ms=args.latency,
            disabled_features=frozenset(args.disable_feature),
            block_words=tuple(w.strip() for w in args.block_words.split(",") if w.strip()),
            claimed=args.claimed,
            variants=frozenset(args.variant),
        )
        from jobdraft.sandbox.server import serve

        serve(config, args.host, args.port, allow_remote=args.allow_remote)
    except (ValueError, OSError, StoreError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
