"""The wizard's prompts collect garbage while a person reads them, never on the way to the next one.

Real questionary prompts read keys from a pipe; ``gc.callbacks`` records
each collection.  The collector's thresholds are raised for these tests so
that any full collection seen is the idle one.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterator

import pytest

from jobdraft.idle_gc import IDLE_SECONDS
from jobdraft.prompts import QuestionaryPrompter

pytestmark = pytest.mark.timeout(20)
ENTER = "\r"


@pytest.fixture
def full_collections() -> Iterator[list[float]]:
    """When each full collection ended, with the automatic ones put out of the way."""
    ended: list[float] = []

    def noted(phase: str, info: dict[str, int]) -> None:
        if phase == "stop" and info["generation"] == 2:
            ended.append(time.monotonic())

    thresholds = gc.get_threshold()
    gc.set_threshold(1_000_000, 1_000, 1_000)
    gc.callbacks.append(noted)
    try:
        yield ended
    finally:
        gc.callbacks.remove(noted)
        gc.set_threshold(*thresholds)


def answer_after(keys: object, delay: float) -> tuple[bool, float]:
    """Ask "Publish it now?", Enter pressed ``delay`` seconds later; the answer, when Enter came."""
    pressed: list[float] = []

    def person() -> None:
        time.sleep(delay)
        pressed.append(time.monotonic())
        keys.send_text(ENTER)  # type: ignore[attr-defined]

    thread = threading.Thread(target=person)
    thread.start()
    try:
        answer = QuestionaryPrompter().confirm("Publish it now?", default=False)
    finally:
        thread.join()
    return answer, pressed[0]


def test_a_prompt_left_on_screen_is_collected_once_before_the_key(
    keys: object, full_collections: list[float]
) -> None:
    answer, pressed = answer_after(keys, IDLE_SECONDS * 4)
    assert answer is False
    assert len(full_collections) == 1
    assert full_collections[0] < pressed


def test_a_key_pressed_at_once_is_not_made_to_wait_for_a_collection(
    keys: object, full_collections: list[float]
) -> None:
    keys.send_text(ENTER)  # type: ignore[attr-defined]
    assert QuestionaryPrompter().confirm("Publish it now?", default=False) is False
    time.sleep(IDLE_SECONDS * 2)  # a collection left scheduled would have run by now
    assert full_collections == []


def test_nothing_is_collected_while_start_up_has_the_collector_off(
    keys: object, full_collections: list[float]
) -> None:
    gc.disable()
    try:
        answer_after(keys, IDLE_SECONDS * 3)
    finally:
        gc.enable()
    assert full_collections == []
