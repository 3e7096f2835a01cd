"""Start-up benchmark: ``--help`` and a TAB, as ratios of ``python -c "import typer"``.

    python bench/startup.py [--runs 20] [--venv DIR] [--check]

It installs the repository (runtime dependencies only, no dev tools: Typer
imports pydantic whenever it is installed, and test tools can bring it) into
a venv of its own under ``$XDG_CACHE_HOME/jobdraft-bench/`` (created on the
first run, refreshed with this checkout on every run), then times in one run,
interleaved so that a busy machine slows all of them alike:

* the floor: ``python -c "import typer"``, what any Typer app pays;
* ``jobdraft --help``;
* one completion request: ``jobdraft patch ID --set experienceLevel=<TAB>``
  as bash sends it, reading a filled cache.

Each figure is the median of ``--runs`` runs, shown in ms and as a ratio of
the floor's median, in wall-clock time (what a person waits; the goals are
judged on it) and in CPU time (steadier when other work shares the machine).
Goals (issue 5): a TAB at most 1.5 times the floor, ``--help`` at most 2.3
times.  ``--check`` exits 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = "Scripts" if os.name == "nt" else "bin"

FILL_CACHE = """
import time
from jobdraft.cache import Cache
from jobdraft.fields import DOCUMENTED_ENUMS, DOCUMENTED_TYPES
cache = Cache()
cache.store_capabilities("https://app.opentrain.ai", {"draft": {
    "updateKeys": list(DOCUMENTED_TYPES),
    "enums": {k: list(v) for k, v in DOCUMENTED_ENUMS.items()},
}})
for n in range(40):
    cache.remember_draft("https://app.opentrain.ai", f"jd_{n:06d}", title=f"Job {n}")
"""


@dataclass
class Case:
    label: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    goal: float | None = None
    expect: str = ""
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times) * 1000

    @property
    def cpu_ms(self) -> float:
        return statistics.median(self.cpu) * 1000


def default_venv() -> Path:
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    tag = f"py{sys.version_info.major}.{sys.version_info.minor}"
    return Path(cache) / "jobdraft-bench" / f"venv-{tag}"


def pip(python: Path, *args: str) -> None:
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *args],
        check=True,
    )


def prepare(venv_dir: Path, install: bool) -> Path:
    """The venv's python, with this checkout and its runtime dependencies installed."""
    python = venv_dir / BIN / "python"
    if not python.exists():
        print(f"creating {venv_dir} ...", file=sys.stderr)
        venv.EnvBuilder(with_pip=True, clear=True).create(venv_dir)
        # As the README's install does: the pip a venv bundles can be old, and
        # an old pip writes a ``jobdraft`` launcher that imports re (about
        # 10 ms of every TAB, which is then measured as jobdraft's).
        pip(python, "--upgrade", "pip")
        install = True
    if install:
        print(f"installing {ROOT} (runtime dependencies only) ...", file=sys.stderr)
        pip(python, "--force-reinstall", "--no-deps", str(ROOT))
        pip(python, str(ROOT))
    return python


def children_cpu() -> float:
    """CPU seconds used by finished children: steadier than wall time on a busy machine."""
    try:
        import resource
    except ImportError:  # Windows: wall time only
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(case: Case, base_env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run."""
    env = {**base_env, **case.env}
    cpu = children_cpu()
    start = time.perf_counter()
    done = subprocess.run(case.argv, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    cpu = children_cpu() - cpu
    if done.returncode != 0 or case.expect not in done.stdout.decode(errors="replace"):
        raise SystemExit(
            f"{case.label}: exit {done.returncode}, output:\n"
            f"{done.stdout.decode(errors='replace')}{done.stderr.decode(errors='replace')}"
        )
    return elapsed, cpu


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="runs per command (median)")
    parser.add_argument("--venv", type=Path, default=default_venv(), help="the bench venv")
    parser.add_argument(
        "--no-install", action="store_true", help="time the venv as it is, do not reinstall"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    python = prepare(args.venv, install=not args.no_install)
    jobdraft = args.venv / BIN / "jobdraft"
    probe = "import importlib.util as u; print(u.find_spec('pydantic') is not None)"
    found = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, check=True)
    if found.stdout.strip() == "True":
        print("warning: pydantic is in the bench venv; Typer imports it at start", file=sys.stderr)

    with tempfile.TemporaryDirectory(prefix="jobdraft-bench-") as tmp:
        home = Path(tmp)
        base_env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("_JOBDRAFT", "_TYPER", "JOBDRAFT", "OT_", "PYTHON"))
        }
        base_env.update(
            HOME=str(home),
            XDG_CACHE_HOME=str(home / "cache"),
            XDG_CONFIG_HOME=str(home / "config"),
            XDG_STATE_HOME=str(home / "state"),
            COLUMNS="100",
        )
        subprocess.run([str(python), "-c", FILL_CACHE], env=base_env, check=True)
        floor = Case("python -c 'import typer'", [str(python), "-c", "import typer"])
        cases = [
            floor,
            Case("jobdraft --help", [str(jobdraft), "--help"], goal=2.3, expect="Usage"),
            Case(
                "TAB: --set experienceLevel=",
                [str(jobdraft)],
                env={
                    "_JOBDRAFT_COMPLETE": "complete_bash",
                    "_TYPER_COMPLETE_ARGS": "jobdraft patch jd_000001 --set experienceLevel=",
                    "_JOBDRAFT_WORDBREAKS": "\"'><=;|&(:",
                },
                goal=1.5,
                expect="INTERMEDIATE",
            ),
        ]
        for case in cases:  # warm up: byte-compile, fill the OS caches
            for _ in range(3):
                run_once(case, base_env)
        for _ in range(args.runs):
            for case in cases:
                wall, cpu = run_once(case, base_env)
                case.times.append(wall)
                case.cpu.append(cpu)

    base, base_cpu = floor.median_ms, floor.cpu_ms or 1.0
    missed = [c.label for c in cases if c.goal is not None and c.median_ms / base > c.goal]
    if args.json:
        figures = {
            c.label: {
                "ms": round(c.median_ms, 1),
                "ratio": round(c.median_ms / base, 2),
                "cpu_ms": round(c.cpu_ms, 1),
                "cpu_ratio": round(c.cpu_ms / base_cpu, 2),
            }
            for c in cases
        }
        print(json.dumps({"runs": args.runs, "figures": figures, "missed": missed}, indent=2))
    else:
        print(
            f"jobdraft start-up: median of {args.runs} runs, Python {platform.python_version()}, "
            f"{platform.machine()}, venv {args.venv}"
        )
        print(f"{'':30} {'ms':>7} {'x floor':>8} {'cpu ms':>7} {'x floor':>8}  goal (wall)")
        for case in cases:
            ratio = case.median_ms / base
            goal = "(floor)" if case.goal is None else f"<= {case.goal:.1f}"
            verdict = "" if case.goal is None else ("ok" if ratio <= case.goal else "MISSED")
            print(
                f"{case.label:30} {case.median_ms:7.1f} {ratio:8.2f} "
                f"{case.cpu_ms:7.1f} {case.cpu_ms / base_cpu:8.2f}  {goal} {verdict}"
            )
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
