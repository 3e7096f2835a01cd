"""One thread that runs each "do this in N seconds, unless cancelled" of a run at its time.

Every request arms one (its deadline, in client.py) and every wait of the
wizard another (its spinner, in wizard_view.py); almost all are cancelled
a few milliseconds later.  ``threading.Timer`` starts a thread for each,
and ``Thread.start()`` waits until the new thread has run: two thread
starts and two thread exits per answer sent, about a millisecond between
the Enter that sends and the next question.  Here a single daemon thread
sleeps until the earliest alarm and is woken only when a new alarm comes
before it; a cancelled alarm is dropped when its time comes.
"""

from __future__ import annotations

import heapq
import itertools
import sys
import threading
import time
from collections.abc import Callable


class Alarm:
    """A callback due at ``due`` (``time.monotonic()``), unless cancelled first."""

    __slots__ = ("callback", "cancelled", "due")

    def __init__(self, due: float, callback: Callable[[], None]) -> None:
        self.due = due
        self.callback = callback
        self.cancelled = False

    def cancel(self) -> None:
        """Never run it; as with threading.Timer, too late once the callback has started."""
        self.cancelled = True


class AlarmClock:
    """Runs alarms on one thread of its own, started with the first alarm."""

    def __init__(self) -> None:
        self._changed = threading.Condition(threading.Lock())
        self._queue: list[tuple[float, int, Alarm]] = []
        self._order = itertools.count()  # equal times: first armed, first run
        self._thread: threading.Thread | None = None

    def after(self, seconds: float, callback: Callable[[], None]) -> Alarm:
        alarm = Alarm(time.monotonic() + max(0.0, seconds), callback)
        with self._changed:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="jobdraft-alarms")
                self._thread.daemon = True  # an alarm never keeps the program alive
                self._thread.start()
            wakes_at = self._queue[0][0] if self._queue else None
            heapq.heappush(self._queue, (alarm.due, next(self._order), alarm))
            if wakes_at is None or alarm.due < wakes_at:
                self._changed.notify()  # otherwise it sleeps past this one's time
        return alarm

    def _run(self) -> None:
        with self._changed:
            while True:
                while self._queue and self._queue[0][2].cancelled:
                    heapq.heappop(self._queue)
                if not self._queue:
                    self._changed.wait()
                    continue
                due, _, alarm = self._queue[0]
                now = time.monotonic()
                if due > now:
                    self._changed.wait(due - now)
                    continue
                heapq.heappop(self._queue)
                self._changed.release()  # an alarm may arm another
                try:
                    alarm.callback()
                except Exception:
                    # As an uncaught error of a Timer's thread would be; the
                    # other alarms still run.
                    kind, error, trace = sys.exc_info()
                    threading.excepthook(
                        threading.ExceptHookArgs((kind, error, trace, threading.current_thread()))
                    )
                finally:
                    self._changed.acquire()


_CLOCK = AlarmClock()


def after(seconds: float, callback: Callable[[], None]) -> Alarm:
    """Run ``callback`` on the alarm thread in ``seconds``, unless cancelled first."""
    return _CLOCK.after(seconds, callback)
