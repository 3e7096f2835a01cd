"""Regenerate completions/ from the app: ``python scripts/gen_completions.py [--check]``.

Each script is what ``_JOBDRAFT_COMPLETE=source_<shell> jobdraft`` prints, so
the files can never say something the installed program does not.  With
``--check`` nothing is written; the exit code says whether a file has drifted
(tests/completion/test_scripts.py runs the same comparison).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMPLETIONS = ROOT / "completions"

# Where each shell's script lives in completions/, named as each shell looks for it.
FILES = {
    "bash": Path("bash") / "jobdraft",
    "zsh": Path("zsh") / "_jobdraft",
    "fish": Path("fish") / "jobdraft.fish",
}


def generate(shell: str, python: str = sys.executable) -> str:
    """The script the app prints for ``shell``."""
    env = dict(os.environ, _JOBDRAFT_COMPLETE=f"source_{shell}")
    done = subprocess.run(
        [python, "-m", "jobdraft"], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.rstrip("\n") + "\n"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    drifted = []
    for shell, relative in FILES.items():
        path = COMPLETIONS / relative
        text = generate(shell)
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        drifted.append(str(path.relative_to(ROOT)))
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if drifted:
        verb = "out of date" if check else "written"
        print(f"{verb}: {', '.join(drifted)}", file=sys.stderr)
    return 1 if check and drifted else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
