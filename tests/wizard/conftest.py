"""The wizard's test doubles of the terminal, and sandboxes to run it against.

``Script`` is a Prompter that plays a list of expected interactions in order
and fails loudly on any other: it answers with what a user would type, and
text answers go through the question's own ``check`` (what ``validate=``
runs at a terminal), so an invalid answer is refused and the next one of the
step is tried, as a user would correct it.  The server is always the real
sandbox app, mounted in-process through ``httpx.WSGITransport``.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from jobdraft.cache import Cache
from jobdraft.client import ApiClient
from jobdraft.fill import FillOptions, fill
from jobdraft.model import Draft
from jobdraft.ports import InterruptedWhileTyping
from jobdraft.questions import Choice, Question, RawAnswer, Widget
from jobdraft.sandbox import API_PREFIX, SANDBOX_TOKEN
from jobdraft.sandbox.app import SandboxConfig, create_app
from jobdraft.session import Session
from jobdraft.wizard_view import RichDisplay

# The sandbox parses these deterministically (see sandbox/parse.py).
SHORT = "Help us label data."  # 7 fields missing, a too-short description, a guessed title
PODCASTS = "We need people to transcribe 200 hours of Spanish podcasts."
# missing: paymentType, experienceLevel, headcount; jobTitle is a guess


@pytest.fixture
def keys() -> Iterator[object]:
    """A pipe whose ``send_text`` types into the real questionary prompts of the test."""
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        yield pipe


# -- the scripted prompter -------------------------------------------------------------


@dataclass
class Ask:
    """Expect a question for ``key``; answer with the first of ``answers`` its check accepts."""

    key: str
    answers: tuple[RawAnswer, ...]

    def __init__(self, key: str, *answers: RawAnswer) -> None:
        self.key = key
        self.answers = answers or (None,)


@dataclass
class Menu:
    contains: str  # a word of the menu's message
    value: str  # the value of the choice to pick


@dataclass
class Confirm:
    contains: str
    value: bool


@dataclass
class Interrupt:
    """The user presses Ctrl-C at the next prompt."""


@dataclass
class InterruptTyping:
    """The user types ``typed`` at the text question for ``key``, then presses Ctrl-C.

    ``typed`` None: the text the question started with is left as it was.
    """

    key: str
    typed: str | None


@dataclass
class Do:
    """Run something as soon as the step before it is answered (e.g. break the network)."""

    action: Callable[[], None]


Step = Ask | Menu | Confirm | Interrupt | InterruptTyping | Do


@dataclass
class Script:
    steps: list[Step]
    asked: list[Question] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (key, reason shown)
    menus: list[tuple[str, list[Choice]]] = field(default_factory=list)

    def _run_actions(self) -> None:
        while self.steps and isinstance(self.steps[0], Do):
            step = self.steps.pop(0)
            assert isinstance(step, Do)
            step.action()

    def _next(self, kind: type, what: str) -> Any:
        self._run_actions()
        assert self.steps, f"the script is over, but the wizard asked {what}"
        step = self.steps.pop(0)
        assert not isinstance(step, InterruptTyping), f"nothing is typed at {what}"
        if isinstance(step, Interrupt):
            raise KeyboardInterrupt
        assert isinstance(step, kind), f"expected {step}, but the wizard asked {what}"
        return step

    def ask(self, question: Question) -> RawAnswer:
        self.asked.append(question)
        self._run_actions()
        if self.steps and isinstance(self.steps[0], InterruptTyping):
            typing = self.steps.pop(0)
            assert isinstance(typing, InterruptTyping)
            assert typing.key == question.key, f"typing for {typing.key}, got {question.key}"
            assert question.widget in (Widget.TEXT, Widget.MULTILINE), "only text is typed"
            default = question.default if isinstance(question.default, str) else ""
            raise InterruptedWhileTyping(default if typing.typed is None else typing.typed)
        step = self._next(Ask, f"{question.key or question.label!r}")
        assert step.key == question.key, f"expected a question for {step.key}, got {question.key}"
        for answer in step.answers:
            reason = self._reason(question, answer)
            if reason is None:
                self._run_actions()  # a Do right after an answer runs before what follows it
                return answer
            self.refused.append((question.key, reason))
        raise AssertionError(f"no answer of {step} passes the check of {question.key}")

    @staticmethod
    def _reason(question: Question, answer: RawAnswer) -> str | None:
        values = [c.value for c in question.choices]
        if answer is None:
            return None if question.skippable else "cannot skip"
        if question.widget is Widget.SELECT:
            return None if answer in values else f"{answer!r} is not a choice"
        if question.widget is Widget.CHECKBOX:
            assert isinstance(answer, list)
            if any(item not in values for item in answer):
                return f"{answer!r} has an item that is not a choice"
            return question.check_selection(answer)
        if question.widget is Widget.CONFIRM:
            return None if isinstance(answer, bool) else "not yes/no"
        assert isinstance(answer, str), f"a text question needs a string, not {answer!r}"
        return question.check(answer)

    def menu(self, message: str, choices: Sequence[Choice], default: str | None = None) -> str:
        self.menus.append((message, list(choices)))
        step = self._next(Menu, f"the menu {message!r}")
        assert step.contains in message, f"expected menu {step.contains!r}, got {message!r}"
        values = [c.value for c in choices]
        assert step.value in values, f"{step.value!r} is not offered in {values}"
        return step.value

    def confirm(self, message: str, *, default: bool) -> bool:
        step = self._next(Confirm, f"to confirm {message!r}")
        assert step.contains in message
        return step.value

    def question(self, key: str) -> Question:
        """The last question asked for ``key``."""
        return [q for q in self.asked if q.key == key][-1]

    def asked_keys(self) -> list[str]:
        return [q.key for q in self.asked]


SEND = Menu("What next", "send")
CHANGE = Menu("What next", "change")
STOP = Menu("What next", "stop")


# -- sandboxes and sessions ------------------------------------------------------------


class Switch(httpx.BaseTransport):
    """A transport whose target can be swapped mid-run (to a failing sandbox, say)."""

    def __init__(self, target: httpx.BaseTransport) -> None:
        self.target = target

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self.target.handle_request(request)


def sandbox_transport(config: SandboxConfig) -> httpx.BaseTransport:
    return httpx.WSGITransport(app=create_app(config))


@dataclass
class Harness:
    """One sandbox, the sessions that talk to it, and what the wizard printed."""

    tmp: Path
    config: SandboxConfig
    switch: Switch
    out: io.StringIO = field(default_factory=io.StringIO)
    width: int = 100

    def session(self) -> Session:
        client = ApiClient(
            "http://sandbox.test" + API_PREFIX,
            SANDBOX_TOKEN,
            transport=self.switch,
            sleep=lambda _seconds: None,  # retries do not wait in tests
        )
        return Session(client, Cache(), "http://sandbox.test")

    def display(self) -> RichDisplay:
        console = Console(file=self.out, width=self.width, color_system=None, force_terminal=False)
        return RichDisplay(console)

    def fill(
        self,
        script: Script | None,
        job_id: str | None = None,
        *,
        description: str | None = None,
        publish: bool | None = None,
        answers: dict[str, Any] | None = None,
        assignments: Sequence[str] = (),
    ) -> int:
        options = FillOptions(
            job_id=job_id,
            description=description,
            description_file=None,
            publish=publish,
            answers=dict(answers or {}),
            assignments=list(assignments),
        )
        return fill(self, options, prompter=script, display=self.display())

    def create(self, description: str) -> Draft:
        return self.session().create(
            {"rawJobDescription": description, "idempotencyKey": f"test-{description}"}
        )

    def fields(self, job_id: str) -> dict[str, Any]:
        """What the server holds, read with a full (non-minimal) sandbox on the same store."""
        client = ApiClient(
            "http://sandbox.test" + API_PREFIX,
            SANDBOX_TOKEN,
            transport=sandbox_transport(SandboxConfig(db_path=self.config.db_path)),
        )
        return dict(client.get_draft(job_id).fields or {})

    def status(self, job_id: str) -> str | None:
        client = ApiClient(
            "http://sandbox.test" + API_PREFIX,
            SANDBOX_TOKEN,
            transport=sandbox_transport(SandboxConfig(db_path=self.config.db_path)),
        )
        return next((job.status for job in client.list_jobs() if job.id == job_id), None)

    def break_network(self) -> None:
        """From now on every call answers 503 (the sandbox's chaos at 100%)."""
        self.switch.target = sandbox_transport(
            SandboxConfig(db_path=self.config.db_path, chaos=1.0, seed=1)
        )

    def mend_network(self) -> None:
        self.switch.target = sandbox_transport(self.config)

    @property
    def printed(self) -> str:
        return self.out.getvalue()


@pytest.fixture(params=["normal", "minimal"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def make_harness(tmp_path: Path, **config: Any) -> Harness:
    cfg = SandboxConfig(db_path=tmp_path / "sandbox.sqlite3", **config)
    return Harness(tmp_path, cfg, Switch(sandbox_transport(cfg)))


@pytest.fixture
def harness(tmp_path: Path, mode: str) -> Iterator[Harness]:
    """A sandbox in both modes: the documented extras, and ``--minimal``."""
    yield make_harness(tmp_path, minimal=mode == "minimal")


@pytest.fixture
def normal(tmp_path: Path) -> Harness:
    return make_harness(tmp_path)


def journal_files(home: Path) -> list[Path]:
    return sorted((home / "state" / "jobdraft" / "journal").glob("*.json"))
