"""Completion and list benchmark: what a person waits for, as ratios of a floor of the same run.

    python bench/completion.py [--runs 20] [--list-runs 3] [--sizes 10,1000,10000] [--venv DIR]

Public tools only: python and bash.  It uses the bench venv of
``bench/startup.py`` (this checkout and its runtime dependencies, created
under ``$XDG_CACHE_HOME/jobdraft-bench/`` on the first run), then measures:

* **TAB through the real bash completion function**: one bash process
  sources ``completions/bash/jobdraft`` and calls ``_jobdraft_completion``
  as bash does on TAB, timing each call with ``$EPOCHREALTIME``; the same
  bash times ``python -c pass`` the same way, so both include the fork and
  exec from bash.  Lines: an enum value (``--set experienceLevel=``), a key,
  and a draft id, with the drafts index at its cap and long titles.
* ``jobdraft --help`` against ``python -c pass``.
* ``jobdraft --sandbox list --all --json`` over 10, 1,000 and 10,000 jobs of the
  embedded sandbox against ``python -c "import typer"``.

Each figure is the median of its runs.  Goals (issue 11): a TAB at most 2x
``python -c pass``; ``list --json`` over 3,000 jobs within 8x ``import typer``
and growing linearly.  Nothing is asserted: the figures are printed.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup import BIN, default_venv, prepare

ROOT = Path(__file__).resolve().parents[1]
ORIGIN = "https://app.opentrain.ai"

FILL_CACHE = f"""
from jobdraft.cache import Cache, MAX_DRAFTS_KEPT
from jobdraft.fields import DOCUMENTED_ENUMS, DOCUMENTED_TYPES
cache = Cache()
cache.store_capabilities({ORIGIN!r}, {{"draft": {{
    "updateKeys": list(DOCUMENTED_TYPES),
    "enums": {{k: list(v) for k, v in DOCUMENTED_ENUMS.items()}},
}}}})
long_title = "A long description of the work " * 2000
cache.remember_drafts({ORIGIN!r}, [
    (f"jd_{{n:06d}}", long_title, "DRAFT") for n in range(MAX_DRAFTS_KEPT * 5)
])
"""

BASH_TIMER = r"""
source "$1"; shift
runs=$1; shift
python=$1; shift
elapsed() { local s=${1/./} e=${2/./}; echo $(( 10#$e - 10#$s )); }
for line in "$@"; do
  for ((i = 0; i < 3; i++)); do  # warm up
    COMP_LINE=$line; COMP_POINT=${#line}; _jobdraft_completion jobdraft
    "$python" -c pass
  done
  for ((i = 0; i < runs; i++)); do
    COMP_LINE=$line; COMP_POINT=${#line}
    start=$EPOCHREALTIME; _jobdraft_completion jobdraft; end=$EPOCHREALTIME
    echo "tab	$line	$(elapsed "$start" "$end")	${#COMPREPLY[@]}"
    start=$EPOCHREALTIME; "$python" -c pass; end=$EPOCHREALTIME
    echo "pass	$line	$(elapsed "$start" "$end")	0"
  done
done
"""

TAB_LINES = [
    "jobdraft patch jd_000001 --set experienceLevel=",
    "jobdraft patch jd_000001 --set exp",
    "jobdraft show jd_0000",
]


def timed(argv: list[str], env: dict[str, str], runs: int, expect: str = "") -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(argv, env=env, capture_output=True, check=False)
        times.append((time.perf_counter() - start) * 1000)
        if done.returncode != 0 or expect.encode() not in done.stdout:
            raise SystemExit(f"{argv}: exit {done.returncode}\n{done.stderr.decode()[-2000:]}")
    return times


def fill_sandbox(jobdraft: Path, env: dict[str, str], count: int) -> None:
    """``count`` jobs in the sandbox store: one created by jobdraft, the rest copies of it."""
    db = Path(env["JOBDRAFT_SANDBOX_DB"])
    subprocess.run(
        [str(jobdraft), "--sandbox", "create", "-d", "Label 500 street photos", "--json"],
        env=env,
        capture_output=True,
        check=True,
    )
    with sqlite3.connect(db) as conn:
        (first,) = conn.execute("SELECT id FROM jobs").fetchone()
        conn.executemany(
            "INSERT INTO jobs (id, account, status, fields, extra, created_at, updated_at) "
            "SELECT ?, account, status, fields, extra, created_at + ?, updated_at "
            "FROM jobs WHERE id = ?",
            [(f"{first}_{n}", n / 1000, first) for n in range(1, count)],
        )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--list-runs", type=int, default=3)
    parser.add_argument("--sizes", default="10,1000,10000")
    parser.add_argument("--venv", type=Path, default=default_venv())
    parser.add_argument("--no-install", action="store_true")
    args = parser.parse_args(argv)
    python = prepare(args.venv, install=not args.no_install)
    jobdraft = args.venv / BIN / "jobdraft"

    with tempfile.TemporaryDirectory(prefix="jobdraft-bench-") as tmp:
        home = Path(tmp)
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("_JOBDRAFT", "_TYPER", "JOBDRAFT", "OT_", "PYTHON"))
        }
        env.update(
            HOME=str(home),
            XDG_CACHE_HOME=str(home / "cache"),
            XDG_CONFIG_HOME=str(home / "config"),
            XDG_STATE_HOME=str(home / "state"),
            PATH=f"{jobdraft.parent}{os.pathsep}{env.get('PATH', '/usr/bin:/bin')}",
            COLUMNS="100",
        )
        subprocess.run([str(python), "-c", FILL_CACHE], env=env, check=True)

        print(f"jobdraft completion and list, Python {sys.version.split()[0]}, median ms")
        done = subprocess.run(
            [
                "bash",
                "--norc",
                "--noprofile",
                "-c",
                BASH_TIMER,
                "bash",
                str(ROOT / "completions" / "bash" / "jobdraft"),
                str(args.runs),
                str(python),
                *TAB_LINES,
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        rows: dict[tuple[str, str], list[float]] = {}
        offered: dict[str, int] = {}
        for record in done.stdout.splitlines():
            kind, line, micros, count = record.split("\t")
            rows.setdefault((kind, line), []).append(int(micros) / 1000)
            if kind == "tab":
                offered[line] = int(count)
        for line in TAB_LINES:
            tab = statistics.median(rows[("tab", line)])
            floor = statistics.median(rows[("pass", line)])
            print(
                f"  TAB {line!r:52} {tab:7.1f}  {tab / floor:5.2f}x python -c pass "
                f"({floor:.1f}; {offered[line]} offered; goal 2x)"
            )

        floor_pass = timed([str(python), "-c", "pass"], env, args.runs)
        help_times = timed([str(jobdraft), "--help"], env, args.runs, "Usage")
        ratio = statistics.median(help_times) / statistics.median(floor_pass)
        print(
            f"  --help {statistics.median(help_times):61.1f}  {ratio:5.2f}x python -c pass "
            f"({statistics.median(floor_pass):.1f})"
        )

        floor_typer = statistics.median(timed([str(python), "-c", "import typer"], env, args.runs))
        for size in (int(s) for s in args.sizes.split(",")):
            sized = dict(env, JOBDRAFT_SANDBOX_DB=str(home / f"sandbox-{size}.db"))
            fill_sandbox(jobdraft, sized, size)
            argv_list = [str(jobdraft), "--sandbox", "list", "--all", "--json"]
            took = statistics.median(timed(argv_list, sized, args.list_runs, "["))
            print(
                f"  list --all --json, {size:6} jobs {took:49.1f}  {took / floor_typer:5.2f}x "
                f'python -c "import typer" ({floor_typer:.1f}; goal 8x at 3,000)'
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
