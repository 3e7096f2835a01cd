"""Runs the plain prompter over a few questions in a real terminal, for test_plain_prompter.

``python tests/wizard/plain_driver.py NAME`` asks the questions of scenario
NAME and prints each answer as ``ANSWER <json>`` on stdout (the prompts go to
stderr, the same terminal); an interruption prints ``INTERRUPTED <json>``
with what it carried, and exits 130.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable

from jobdraft.editor import edit_text
from jobdraft.plain_prompts import PlainPrompter
from jobdraft.ports import InterruptedWhileTyping
from jobdraft.questions import Choice, Question, Widget, build_question

LABEL_TYPES = Question(
    key="labelTypes",
    label="Label types",
    message="What kinds of labels will AI trainers produce?",
    widget=Widget.CHECKBOX,
    choices=(
        Choice("BOUNDING_BOX", "Bounding box"),
        Choice("TRANSCRIPTION", "Transcription"),
        Choice("CLASSIFICATION", "Classification"),
    ),
)
DESCRIPTION = Question(
    key="",
    label="Job description",
    message="Describe the job in your own words:",
    widget=Widget.MULTILINE,
    skippable=False,
    validator=lambda text: None if len(text.strip()) >= 10 else "too short: say more",
)
HOSTILE = Question(
    key="dataVolumeUnit",
    label="Data volume unit",
    message="Unit?\x1b[2J",
    widget=Widget.SELECT,
    choices=(Choice("FILES", "Files\x1b]52;c;aGk=\x07"), Choice("WORDS", "Words")),
)


def ask_all(prompter: PlainPrompter, asks: list[Callable[[], object]]) -> None:
    for ask in asks:
        print("ANSWER " + json.dumps(ask()), flush=True)


def main(name: str) -> int:
    prompter = PlainPrompter(edit=lambda text, what: edit_text(text, what=what))
    scenarios: dict[str, list[Callable[[], object]]] = {
        "choices": [
            lambda: prompter.ask(build_question("paymentType")),
            lambda: prompter.ask(build_question("experienceLevel")),
            lambda: prompter.ask(build_question("dataVolumeUnit")),
            lambda: prompter.ask(LABEL_TYPES),
            lambda: prompter.menu(
                "What next?", [Choice("send", "Send 2 answers"), Choice("stop", "Stop")], "send"
            ),
        ],
        "text": [
            lambda: prompter.ask(build_question("pricePerHour")),
            lambda: prompter.ask(build_question("headcount", current=12)),
            lambda: prompter.confirm("Publish it now?", default=False),
            lambda: prompter.ask(DESCRIPTION),
        ],
        "hostile": [lambda: prompter.ask(HOSTILE)],
        "description": [lambda: prompter.ask(DESCRIPTION)],
    }
    try:
        ask_all(prompter, scenarios[name])
    except InterruptedWhileTyping as exc:
        print("INTERRUPTED " + json.dumps({"typed": exc.typed}), flush=True)
        return 130
    except KeyboardInterrupt:
        print("INTERRUPTED " + json.dumps({}), flush=True)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
