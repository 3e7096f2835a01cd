"""alarms runs each callback at its time on one thread, and never a cancelled one."""

from __future__ import annotations

import threading
import time

import pytest

from jobdraft.alarms import AlarmClock

pytestmark = pytest.mark.timeout(20)


class Rang:
    """What rang, in order, and on which thread."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.threads: set[int] = set()
        self.all_rang = threading.Event()
        self.expected = 0

    def ring(self, name: str) -> None:
        self.names.append(name)
        self.threads.add(threading.get_ident())
        if len(self.names) == self.expected:
            self.all_rang.set()

    def wait(self, count: int) -> list[str]:
        self.expected = count
        if len(self.names) < count:
            assert self.all_rang.wait(5), f"only {self.names} rang"
        return self.names


def test_alarms_ring_in_the_order_of_their_times_not_of_their_arming() -> None:
    clock, rang = AlarmClock(), Rang()
    clock.after(0.30, lambda: rang.ring("late"))
    clock.after(0.05, lambda: rang.ring("early"))  # armed after, due before: wakes the thread
    clock.after(0.15, lambda: rang.ring("middle"))
    assert rang.wait(3) == ["early", "middle", "late"]


def test_an_alarm_does_not_ring_before_its_time() -> None:
    clock, rang = AlarmClock(), Rang()
    armed = time.monotonic()
    rang_at: list[float] = []
    clock.after(0.2, lambda: (rang_at.append(time.monotonic()), rang.ring("it")))
    rang.wait(1)
    assert rang_at[0] - armed >= 0.2


def test_a_cancelled_alarm_never_rings_and_the_others_still_do() -> None:
    clock, rang = AlarmClock(), Rang()
    cancelled = clock.after(0.05, lambda: rang.ring("cancelled"))
    clock.after(0.15, lambda: rang.ring("kept"))
    cancelled.cancel()
    assert rang.wait(1) == ["kept"]
    time.sleep(0.1)
    assert rang.names == ["kept"]


def test_every_alarm_rings_on_one_thread_that_is_not_the_callers() -> None:
    clock, rang = AlarmClock(), Rang()
    before = threading.active_count()
    for index in range(20):
        clock.after(0.01 * index, lambda index=index: rang.ring(str(index)))
    assert rang.wait(20) == [str(index) for index in range(20)]
    assert len(rang.threads) == 1
    assert threading.get_ident() not in rang.threads
    assert threading.active_count() == before + 1


def test_an_alarm_that_fails_is_reported_and_the_next_one_rings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reported: list[BaseException | None] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: reported.append(args.exc_value))
    clock, rang = AlarmClock(), Rang()

    def fail() -> None:
        raise RuntimeError("spinner broke")

    clock.after(0.01, fail)
    clock.after(0.05, lambda: rang.ring("next"))
    assert rang.wait(1) == ["next"]
    assert [str(error) for error in reported] == ["spinner broke"]


def test_an_alarm_may_arm_another() -> None:
    clock, rang = AlarmClock(), Rang()
    clock.after(0.01, lambda: clock.after(0.01, lambda: rang.ring("second")))
    assert rang.wait(1) == ["second"]
