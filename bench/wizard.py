"""Wizard benchmark: each step of ``jobdraft fill`` against the same widgets in bare questionary.

    python bench/wizard.py [--runs 7] [--think 0.5] [--check]

It serves the sandbox (``jobdraft sandbox serve --memory`` on a free port),
and for each run creates a fresh draft from the same description and answers
it in a pseudo-terminal (pexpect), twice, interleaved so that a busy machine
slows both alike: once with ``jobdraft fill ID``, once with
``bench/bare_wizard.py`` (the same questionary widgets and messages, the
same two requests, nothing else).  A step is timed from the keys that end
one prompt to the moment the next prompt's message is drawn:

* start: the program started -> the first question;
* text -> select, select -> text, text -> select, select -> text:
  question to question (Enter on a text answer, Enter on a menu's first choice);
* answers -> review: Enter on the last answer -> the "What next?" menu;
* send -> next prompt: Enter on "Send" -> "Publish it now?" (one PATCH).

Each question is read for ``--think`` seconds (half a second) before its
keys are pressed, as a person does: what a program does while a question
stands on the screen (jobdraft collects its garbage then, see
src/jobdraft/idle_gc.py) is not waited for.  ``--think 0`` presses the keys
the moment a question shows, as keys typed ahead arrive.

Each figure is the median over ``--runs`` runs (one more, first, warms the
caches and is not counted), in ms and as a ratio of the bare script's
median for the same step.  Goals (issue 11): each step within 1.2 times
bare, start within 1.5 times.  ``--check`` exits 1 when a goal is missed.
Wall-clock time: what a person waits.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pexpect

ROOT = Path(__file__).resolve().parents[1]
JOBDRAFT = str(Path(sys.executable).with_name("jobdraft"))
BARE = str(ROOT / "bench" / "bare_wizard.py")
DESCRIPTION = "We need people to transcribe 200 hours of Spanish podcasts."
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]")
ENTER = "\r"
STEP_TIMEOUT = 30.0
# A person reads a question before answering: a quick one, half a second.
THINK_SECONDS = 0.5


@dataclass(frozen=True)
class Step:
    label: str
    typed: str  # typed first, not timed (the widget echoes it)
    keys: tuple[str, ...]  # the keys that end the prompt: the clock starts after them
    next_prompt: str  # words of the next prompt's message
    goal: float = 1.2


# What the sandbox asks of DESCRIPTION's draft (the wizard's own pty test
# answers the same draft).
STEPS = (
    Step("start -> first question", "", (), "What is the title of the job post?", goal=1.5),
    Step("text -> select", "", (ENTER,), "How will AI trainers be paid?"),
    Step("select -> text", "", (ENTER,), "How much will you pay per label"),
    Step("text -> select (2)", "0.05", (ENTER,), "What experience level should"),
    Step("select -> text (2)", "", (ENTER,), "How many AI trainers do you need?"),
    Step("answers -> review", "3", (ENTER,), "What next?"),
    Step("send -> next prompt", "", (ENTER,), "Publish it now?"),
)


def squeezed(text: str) -> str:
    # The renderer may move the cursor over a blank instead of printing it.
    return "".join(ANSI.sub("", text).split())


class Session:
    """One program in a pseudo-terminal, read as it draws."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.started = time.perf_counter()
        self.child = pexpect.spawn(
            argv[0], argv[1:], env=env, dimensions=(40, 100), encoding="utf-8"
        )
        self.since = ""  # output since the last keys

    def send(self, *keys: str) -> float:
        self.since = ""
        for key in keys:
            self.child.send(key)
        return time.perf_counter()

    def wait_for(self, words: str, what: str) -> float:
        wanted = squeezed(words)
        deadline = time.monotonic() + STEP_TIMEOUT
        while wanted not in squeezed(self.since):
            if time.monotonic() > deadline:
                raise SystemExit(f"{what}: no {words!r} after {STEP_TIMEOUT} s:\n{self.since}")
            try:
                self.since += self.child.read_nonblocking(65536, timeout=0.5)
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF:
                raise SystemExit(f"{what}: ended before {words!r}:\n{self.since}") from None
        return time.perf_counter()

    def finish(self) -> None:
        # "No" to "Publish it now?" and to any yes/no question after it
        # (jobdraft offers to remember the answers as defaults).
        for _ in range(5):
            self.child.send("n")
            if self.child.expect([pexpect.EOF, r"\(y/N\)"], timeout=STEP_TIMEOUT) == 0:
                break
        self.child.close()


def run_once(argv: list[str], env: dict[str, str], what: str, think: float) -> list[float]:
    """Seconds of each step of STEPS, each question read for ``think`` seconds first."""
    session = Session(argv, env)
    times = []
    try:
        for step in STEPS:
            if think and step.keys:
                time.sleep(think)
            if step.typed:
                session.child.send(step.typed)
                session.wait_for(step.typed, what)
            start = session.send(*step.keys) if step.keys else session.started
            times.append(session.wait_for(step.next_prompt, f"{what}: {step.label}") - start)
        session.finish()
    finally:
        if session.child.isalive():
            session.child.terminate(force=True)
    return times


def serve(env: dict[str, str]) -> tuple[subprocess.Popen[str], str, str]:
    server = subprocess.Popen(
        [JOBDRAFT, "sandbox", "serve", "--port", "0", "--memory"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert server.stdout is not None
    origin = token = None
    deadline = time.monotonic() + 30
    while (origin is None or token is None) and time.monotonic() < deadline:
        line = server.stdout.readline()
        if not line:
            break
        found = re.search(r"(http://127\.0\.0\.1:\d+)", line)
        origin = origin or (found.group(1) if found else None)
        found = re.search(r"(ot_pat_[A-Za-z0-9]+_[A-Za-z0-9]+)", line)
        token = token or (found.group(1) if found else None)
    if origin is None or token is None:
        server.kill()
        raise SystemExit("the sandbox server did not start")
    return server, origin, token


def new_draft(env: dict[str, str]) -> str:
    made = subprocess.run(
        [JOBDRAFT, "create", "--description", DESCRIPTION, "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return str(json.loads(made.stdout)["jobId"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--think",
        type=float,
        default=THINK_SECONDS,
        metavar="SECONDS",
        help="time a person takes to read a question before answering it (0: keys typed ahead)",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jobdraft-bench-") as home:
        env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
        for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
            env[name] = str(Path(home) / name.lower())
        env.update(HOME=home, TERM="xterm-256color", PROMPT_TOOLKIT_NO_CPR="1")
        # PYTHON* too: PYTHONDONTWRITEBYTECODE (set on some CI machines) would
        # have every run compile jobdraft's modules again, which no user's does.
        for name in [n for n in env if n.startswith(("OT_", "OPENTRAIN_", "JOBDRAFT_", "PYTHON"))]:
            del env[name]
        server, origin, token = serve(env)
        env.update(OT_API_BASE_URL=origin, OT_API_TOKEN=token)
        ours: list[list[float]] = []
        bare: list[list[float]] = []
        try:
            for run in range(args.runs + 1):
                job_id = new_draft(env)
                ours_argv = [JOBDRAFT, "fill", job_id]
                mine = run_once(ours_argv, env, "jobdraft fill", args.think)
                job_id = new_draft(env)
                bare_argv = [sys.executable, BARE, origin, token, job_id]
                floor = run_once(bare_argv, env, "bare", args.think)
                if run:  # the first run warms the caches
                    ours.append(mine)
                    bare.append(floor)
        finally:
            server.terminate()
            server.wait(timeout=10)
    return report(ours, bare, args.runs, args.think, args.check)


def report(
    ours: list[list[float]], bare: list[list[float]], runs: int, think: float, check: bool
) -> int:
    reading = f"each question read for {think:g} s" if think else "keys typed ahead"
    print(f"jobdraft fill vs the same widgets in bare questionary, median of {runs}: {reading}")
    print(f"{'step':<26} {'jobdraft':>9} {'bare':>9} {'ratio':>6}  goal   (ratio range)")
    missed = False
    for index, step in enumerate(STEPS):
        mine = [run[index] for run in ours]
        floor = [run[index] for run in bare]
        ratio = statistics.median(mine) / statistics.median(floor)
        each = sorted(m / f for m, f in zip(mine, floor, strict=True))
        met = ratio <= step.goal
        missed = missed or not met
        print(
            f"{step.label:<26} {statistics.median(mine) * 1000:7.0f}ms "
            f"{statistics.median(floor) * 1000:7.0f}ms {ratio:6.2f}  <={step.goal:<4}"
            f" ({each[0]:.2f}-{each[-1]:.2f}){'' if met else '  MISSED'}"
        )
    return 1 if check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
