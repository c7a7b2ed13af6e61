"""A time limit on reading one file, shared by ``jiandang ingest`` and the reader processes.

pypdf takes seconds on some CAD drawings and a hostile file could keep a converter busy for
ever; a batch must go on past it. The limit is ``SIGALRM``: the alarm raises
:class:`ReadTimedOut` inside the converter, which unwinds cleanly and the file is quarantined as
timed out. Two limits of the mechanism, and who covers them:

- signals reach only the main thread, so ``read_within`` cannot limit a read on another thread;
  the service never reads there itself: it sends such reads (API uploads) to a reader process
  (``core.reading.pooled``), whose main thread runs this alarm;
- code stuck in C ignores the alarm until it returns to Python. The reader pool
  (``core.reading.pool``) covers that by killing the reader process after a grace period; in
  ``jiandang ingest``, which reads on its own main thread unless ``read_in_processes`` is set,
  such a file still holds the batch until the C code returns (see ``ArchiveService._reads_here``).
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable

from core.reading.memory import memory_budget
from core.reading.outcomes import ReadOutcome
from schemas.ingest import QuarantineCode


class ReadTimedOut(BaseException):
    """Raised by the alarm inside a converter. A BaseException, so no ``except Exception`` in a
    converter or in Haystack swallows it and reports the file as merely corrupt.
    """


def timed_out(name: str, time_limit: float) -> ReadOutcome:
    """The outcome of a file whose reading ran past the limit."""
    return ReadOutcome(code=QuarantineCode.UNREADABLE, reason=f"《{name}》: timed out after {time_limit:g} s")


def out_of_memory(name: str, budget: int) -> ReadOutcome:
    """The outcome of a file whose reading needed more memory than one read may have."""
    return ReadOutcome(code=QuarantineCode.TOO_LARGE, reason=(
        f"《{name}》读取时所需内存超过一份文件 {budget // (1 << 20):,} MB 的上限（压缩炸弹或异常庞大的文件），已拒绝读取"))


def read_within(read: Callable[[], ReadOutcome], name: str, time_limit: float | None,
                memory_limit: int | None = None) -> ReadOutcome:
    """``read()`` stopped after ``time_limit`` seconds and ``memory_limit`` more bytes (None: no limit;
    off the main thread: neither is possible, see ``core.reading.memory``).
    """
    if threading.current_thread() is not threading.main_thread():
        return read()
    try:
        with memory_budget(memory_limit):
            if time_limit is None:
                return read()
            return _read_under_alarm(read, name, time_limit)
    except MemoryError:
        return out_of_memory(name, memory_limit or 0)


class _Alarm:
    """The alarm of one read: it raises :class:`ReadTimedOut` each time it rings until disarmed.

    One ring is not enough. The exception lands on whatever Python code runs at that instant, and
    when that is a finaliser (``__del__``, a weakref callback run by the garbage collector inside
    pypdf's parsing) Python prints it as ignored and the read goes on: a drawing that should have
    been stopped at the limit was read to the end (seen once in CI). So the alarm rings again
    every ``RING_AGAIN`` seconds, and whether it ever rang decides the outcome even if every
    raise was swallowed.
    """

    RING_AGAIN = 0.25

    def __init__(self) -> None:
        self.armed = True
        self.rang = False

    def ring(self, _signum: int, _frame: object) -> None:
        self.rang = True
        if self.armed:
            raise ReadTimedOut()


def _read_under_alarm(read: Callable[[], ReadOutcome], name: str, time_limit: float) -> ReadOutcome:
    """``read()`` under a repeating alarm; an alarm set around this one (pytest-timeout's, say) is
    put back with the time it had left.
    """
    alarm = _Alarm()
    outer_left, outer_interval = signal.getitimer(signal.ITIMER_REAL)
    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, alarm.ring)
    outcome: ReadOutcome | None = None
    try:
        signal.setitimer(signal.ITIMER_REAL, time_limit, _Alarm.RING_AGAIN)
        try:
            outcome = read()
        finally:
            alarm.armed = False  # a ring before this line is caught below, none after it raises
    except ReadTimedOut:
        alarm.armed = False
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left > 0:
            left = max(outer_left - (time.monotonic() - started), 0.001)
            signal.setitimer(signal.ITIMER_REAL, left, outer_interval)
    if outcome is None or alarm.rang:
        return timed_out(name, time_limit)
    return outcome
