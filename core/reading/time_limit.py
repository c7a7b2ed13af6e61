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
from collections.abc import Callable

from core.reading.outcomes import ReadOutcome
from schemas.ingest import QuarantineCode


class ReadTimedOut(BaseException):
    """Raised by the alarm inside a converter. A BaseException, so no ``except Exception`` in a
    converter or in Haystack swallows it and reports the file as merely corrupt.
    """


def timed_out(name: str, time_limit: float) -> ReadOutcome:
    """The outcome of a file whose reading ran past the limit."""
    return ReadOutcome(code=QuarantineCode.UNREADABLE, reason=f"《{name}》: timed out after {time_limit:g} s")


def read_within(read: Callable[[], ReadOutcome], name: str, time_limit: float | None) -> ReadOutcome:
    """``read()`` stopped after ``time_limit`` seconds (None: no limit; off the main thread: none possible)."""
    if time_limit is None or threading.current_thread() is not threading.main_thread():
        return read()
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, time_limit)
    try:
        return read()
    except ReadTimedOut:
        return timed_out(name, time_limit)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _on_alarm(_signum: int, _frame: object) -> None:
    raise ReadTimedOut()
