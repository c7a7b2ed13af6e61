"""The per-file time limit on the main thread: an alarm that a swallowed raise cannot defeat."""

from __future__ import annotations

import signal
import time

from core.reading.outcomes import ReadOutcome
from core.reading.time_limit import ReadTimedOut, read_within
from schemas.ingest import QuarantineCode


def _busy(seconds: float) -> None:
    """Python work (no sleep in C): what pypdf does on a dense drawing."""
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        sum(range(200))


def test_a_read_past_the_limit_is_stopped_and_named() -> None:
    started = time.monotonic()
    outcome = read_within(lambda: (_busy(10), ReadOutcome(reason="read"))[1], "一层平面图.pdf", time_limit=0.3)
    assert time.monotonic() - started < 3
    assert outcome.code == QuarantineCode.UNREADABLE and outcome.reason == "《一层平面图.pdf》: timed out after 0.3 s"


def test_a_swallowed_ring_is_followed_by_another() -> None:
    """The first raise lands where Python ignores it (a finaliser run by the collector): the read goes
    on, and the next ring stops it.
    """
    swallowed = []

    def read() -> ReadOutcome:
        try:
            _busy(10)
        except ReadTimedOut:
            swallowed.append(time.monotonic())
        _busy(10)
        return ReadOutcome(reason="read to the end")

    started = time.monotonic()
    outcome = read_within(read, "竣工图.pdf", time_limit=0.3)
    assert swallowed and time.monotonic() - started < 3
    assert outcome.code == QuarantineCode.UNREADABLE and "timed out after 0.3 s" in (outcome.reason or "")


def test_a_read_that_swallows_every_ring_still_counts_as_timed_out() -> None:
    rings = []

    def read() -> ReadOutcome:
        until = time.monotonic() + 1.0
        while time.monotonic() < until:
            try:
                _busy(until - time.monotonic())
            except ReadTimedOut:
                rings.append(1)
        return ReadOutcome(reason="read to the end")

    outcome = read_within(read, "施工图.pdf", time_limit=0.2)
    assert len(rings) >= 2, "the alarm rang again after the first raise was swallowed"
    assert outcome.code == QuarantineCode.UNREADABLE


def test_a_quick_read_keeps_its_outcome_and_an_outer_alarm_keeps_its_time() -> None:
    """pytest-timeout (and any caller) may have its own alarm running: it is put back, less the time spent."""
    outer_rings = []
    previous = signal.signal(signal.SIGALRM, lambda *_: outer_rings.append(1))
    signal.setitimer(signal.ITIMER_REAL, 30)
    try:
        outcome = read_within(lambda: ReadOutcome(reason="read"), "开工令.txt", time_limit=5)
        left, _interval = signal.getitimer(signal.ITIMER_REAL)
        assert outcome.code is None and outcome.reason == "read"
        assert 25 < left <= 30 and not outer_rings
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_no_alarm_of_the_read_is_left_behind() -> None:
    """Without an outer alarm none is left; with one (pytest-timeout's), only it, never the read's 5 s."""
    before, _ = signal.getitimer(signal.ITIMER_REAL)
    handler = signal.getsignal(signal.SIGALRM)
    read_within(lambda: ReadOutcome(reason="read"), "开工令.txt", time_limit=5)
    after, interval = signal.getitimer(signal.ITIMER_REAL)
    assert signal.getsignal(signal.SIGALRM) is handler and interval == 0
    assert after == 0 if before == 0 else before - 1 < after <= before
