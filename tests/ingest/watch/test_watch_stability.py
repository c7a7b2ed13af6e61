"""StabilityTracker timing rules, driven by a fake clock and a fake disk (no sleeps, no files)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.watch.stability import DecisionKind, StabilityTracker

WINDOW = 5.0
REPORT = Path("/共享/项目A/竣工验收报告.pdf")


class FakeClock:
    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> float:
        self.now += seconds
        return self.now


class FakeDisk:
    """Path → (size, mtime); a stat that can also be made to fail like a dropped share."""

    def __init__(self) -> None:
        self.files: dict[Path, tuple[int, float]] = {}
        self.unreachable = False

    def write(self, path: Path, size: int, mtime: float) -> None:
        self.files[path] = (size, mtime)

    def remove(self, path: Path) -> None:
        self.files.pop(path, None)

    def stat(self, path: Path) -> tuple[int, float] | None:
        if self.unreachable:
            raise OSError(112, "Host is down")
        return self.files.get(path)


class ScriptedValidator:
    """Returns the scripted reasons in turn (the last one repeats) and counts the calls."""

    def __init__(self, *reasons: str | None) -> None:
        self.reasons = list(reasons) or [None]
        self.calls: list[Path] = []

    def __call__(self, path: Path) -> str | None:
        self.calls.append(path)
        return self.reasons[min(len(self.calls), len(self.reasons)) - 1]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def disk() -> FakeDisk:
    return FakeDisk()


def make_tracker(disk: FakeDisk, clock: FakeClock, **options: object) -> StabilityTracker:
    options.setdefault("window", WINDOW)
    return StabilityTracker(stat=disk.stat, clock=clock, **options)  # type: ignore[arg-type]


def kinds(decisions: list) -> list[tuple[Path, DecisionKind]]:
    return [(decision.path, decision.kind) for decision in decisions]


def test_slow_writer_is_not_ready_until_closed_and_quiet(disk: FakeDisk, clock: FakeClock) -> None:
    tracker = make_tracker(disk, clock)
    disk.write(REPORT, 0, clock.now)
    tracker.observe(REPORT, "created")
    tracker.observe(REPORT, "opened")
    for second in range(1, 9):  # a scanner appending one page a second for 8 s
        clock.advance(1)
        disk.write(REPORT, second * 100_000, clock.now)
        tracker.observe(REPORT, "modified")
        assert tracker.due() == []
    clock.advance(WINDOW * 2)  # quiet, but the writer never closed: still waiting
    assert tracker.due() == []
    tracker.observe(REPORT, "closed_write")
    closed_at = clock.now
    clock.advance(WINDOW - 0.01)
    assert tracker.due() == []
    clock.now = closed_at + WINDOW
    [decision] = tracker.due()
    assert decision.kind is DecisionKind.READY
    assert decision.size == 800_000
    assert REPORT not in tracker


def test_polling_decides_by_size_and_mtime_alone(disk: FakeDisk, clock: FakeClock) -> None:
    tracker = make_tracker(disk, clock, mode="polling")
    start = clock.now
    for poll in range(6):  # grows for 10 s, polled every 2 s
        disk.write(REPORT, 1000 * (poll + 1), start + 2 * poll)
        tracker.observe(REPORT, "seen", now=start + 2 * poll)
        assert tracker.due(now=start + 2 * poll) == []
    last_change = start + 10
    for poll_time in (last_change + 2, last_change + 4):
        tracker.observe(REPORT, "seen", now=poll_time)  # unchanged polls must not reset the window
        assert tracker.due(now=poll_time) == []
    assert tracker.due(now=last_change + WINDOW - 0.01) == []
    [decision] = tracker.due(now=last_change + WINDOW)
    assert decision.kind is DecisionKind.READY
    assert decision.size == 6000


def test_polling_mode_ignores_open_handles(disk: FakeDisk, clock: FakeClock) -> None:
    tracker = make_tracker(disk, clock, mode="polling")
    disk.write(REPORT, 10, clock.now)
    tracker.observe(REPORT, "created")
    tracker.observe(REPORT, "opened")
    clock.advance(WINDOW)
    assert kinds(tracker.due()) == [(REPORT, DecisionKind.READY)]


def test_rename_into_place_is_ready_after_one_window(disk: FakeDisk, clock: FakeClock) -> None:
    tracker = make_tracker(disk, clock)
    disk.write(REPORT, 4096, clock.now - 60)
    tracker.observe(REPORT, "moved_in")
    assert tracker.due(now=clock.now + WINDOW - 0.01) == []
    assert kinds(tracker.due(now=clock.now + WINDOW)) == [(REPORT, DecisionKind.READY)]


def test_create_without_open_counts_as_moved_in_from_outside(disk: FakeDisk, clock: FakeClock) -> None:
    tracker = make_tracker(disk, clock)
    disk.write(REPORT, 4096, clock.now - 60)
    tracker.observe(REPORT, "created")
    clock.advance(WINDOW)
    assert kinds(tracker.due()) == [(REPORT, DecisionKind.READY)]


def test_create_then_open_waits_for_the_writer_to_close(disk: FakeDisk, clock: FakeClock) -> None:
    tracker = make_tracker(disk, clock, fallback_after=60.0)
    disk.write(REPORT, 0, clock.now)
    tracker.observe(REPORT, "created")
    tracker.observe(REPORT, "opened")
    clock.advance(WINDOW * 3)
    assert tracker.due() == []
    assert tracker.next_due() == pytest.approx(clock.now - WINDOW * 3 + 60.0)


def test_a_reader_letting_go_does_not_block_readiness(disk: FakeDisk, clock: FakeClock) -> None:
    tracker = make_tracker(disk, clock)
    disk.write(REPORT, 4096, clock.now)
    tracker.observe(REPORT, "created")
    tracker.observe(REPORT, "opened")  # antivirus or a thumbnailer
    tracker.observe(REPORT, "closed_nowrite")
    clock.advance(WINDOW)
    assert kinds(tracker.due()) == [(REPORT, DecisionKind.READY)]


def test_lost_close_event_falls_back_to_stability(disk: FakeDisk, clock: FakeClock) -> None:
    tracker = make_tracker(disk, clock, fallback_after=30.0)
    disk.write(REPORT, 4096, clock.now)
    tracker.observe(REPORT, "modified")  # no create, no close: the queue overflowed
    clock.advance(29.9)
    assert tracker.due() == []
    clock.advance(0.1)
    assert kinds(tracker.due()) == [(REPORT, DecisionKind.READY)]


def test_writer_reopening_after_close_must_close_again(disk: FakeDisk, clock: FakeClock) -> None:
    tracker = make_tracker(disk, clock, fallback_after=120.0)
    disk.write(REPORT, 100, clock.now)
    tracker.observe(REPORT, "created")
    tracker.observe(REPORT, "opened")
    tracker.observe(REPORT, "closed_write")
    tracker.observe(REPORT, "opened")  # Office saves in several passes
    clock.advance(WINDOW)
    disk.write(REPORT, 200, clock.now)
    tracker.observe(REPORT, "modified")
    clock.advance(WINDOW * 4)
    assert tracker.due() == []
    tracker.observe(REPORT, "closed_write")
    clock.advance(WINDOW)
    [decision] = tracker.due()
    assert (decision.kind, decision.size) == (DecisionKind.READY, 200)


def test_invalid_content_is_rearmed_with_backoff_then_given_up(disk: FakeDisk, clock: FakeClock) -> None:
    validator = ScriptedValidator("PDF has no %%EOF trailer at the end")
    tracker = make_tracker(disk, clock, validate=validator, max_attempts=4, backoff_base=5.0)
    start = clock.now
    disk.write(REPORT, 4096, start)
    tracker.observe(REPORT, "moved_in")
    checks = []
    for offset in range(0, 60):  # call due every second, like a loop would
        if tracker.due(now=start + offset):
            break
        if len(validator.calls) > len(checks):
            checks.append(offset)
    # window 5 s, then back-off 5, 10, 20 s between re-checks
    assert checks == [5, 10, 20]
    assert offset == 40
    assert tracker.due(now=start + offset + 100) == []  # the GIVE_UP came once, to the loop above
    assert len(validator.calls) == 4


def test_give_up_carries_the_reason_and_attempts(disk: FakeDisk, clock: FakeClock) -> None:
    validator = ScriptedValidator("zip central directory unreadable")
    tracker = make_tracker(disk, clock, validate=validator, max_attempts=2, backoff_base=1.0)
    disk.write(REPORT, 4096, clock.now)
    tracker.observe(REPORT, "moved_in")
    assert tracker.due(now=clock.now + WINDOW) == []
    [decision] = tracker.due(now=clock.now + WINDOW + 1.0)
    assert decision.kind is DecisionKind.GIVE_UP
    assert decision.attempts == 2
    assert "zip central directory unreadable" in (decision.reason or "")
    tracker.observe(REPORT, "seen", now=clock.now + 100)  # unchanged: not re-tracked
    assert REPORT not in tracker


def test_content_that_becomes_valid_after_growing_is_ready(disk: FakeDisk, clock: FakeClock) -> None:
    validator = ScriptedValidator("PDF has no %%EOF trailer", None)
    tracker = make_tracker(disk, clock, validate=validator, mode="polling")
    start = clock.now
    disk.write(REPORT, 1000, start)
    tracker.observe(REPORT, "seen", now=start)
    assert tracker.due(now=start + WINDOW) == []  # first check: invalid, re-armed
    disk.write(REPORT, 2000, start + 6)  # the scanner resumed without any event
    assert tracker.due(now=start + WINDOW + WINDOW) == []  # stat moved: window restarts at 10
    [decision] = tracker.due(now=start + 15)
    assert (decision.kind, decision.size, decision.attempts) == (DecisionKind.READY, 2000, 0)


def test_file_replaced_while_being_checked_restarts_the_window(disk: FakeDisk, clock: FakeClock) -> None:
    tracker = make_tracker(disk, clock)
    start = clock.now
    disk.write(REPORT, 100, start - 30)
    tracker.observe(REPORT, "moved_in", now=start)
    disk.write(REPORT, 100, start + 4)  # same size, new mtime: replaced behind our back
    assert tracker.due(now=start + WINDOW) == []
    assert tracker.due(now=start + 2 * WINDOW - 0.01) == []
    [decision] = tracker.due(now=start + 2 * WINDOW)
    assert (decision.kind, decision.mtime) == (DecisionKind.READY, start + 4)


def test_deleted_before_ready_is_vanished_at_once(disk: FakeDisk, clock: FakeClock) -> None:
    tracker = make_tracker(disk, clock)
    disk.write(REPORT, 100, clock.now)
    tracker.observe(REPORT, "created")
    tracker.observe(REPORT, "deleted")
    [decision] = tracker.due()
    assert decision.kind is DecisionKind.VANISHED
    assert len(tracker) == 0


def test_disappearing_without_an_event_is_vanished(disk: FakeDisk, clock: FakeClock) -> None:
    tracker = make_tracker(disk, clock, mode="polling")
    disk.write(REPORT, 100, clock.now)
    tracker.observe(REPORT, "seen")
    disk.remove(REPORT)
    clock.advance(WINDOW)
    [decision] = tracker.due()
    assert decision.kind is DecisionKind.VANISHED
    assert "disappeared" in (decision.reason or "")


def test_deleted_then_recreated_is_tracked_afresh(disk: FakeDisk, clock: FakeClock) -> None:
    tracker = make_tracker(disk, clock)
    disk.write(REPORT, 100, clock.now)
    tracker.observe(REPORT, "created")
    tracker.observe(REPORT, "deleted")
    disk.write(REPORT, 300, clock.now + 1)
    tracker.observe(REPORT, "moved_in", now=clock.now + 1)  # save-by-rename: the new version
    assert tracker.due() == []
    [decision] = tracker.due(now=clock.now + 1 + WINDOW)
    assert (decision.kind, decision.size) == (DecisionKind.READY, 300)


def test_settled_file_is_not_tracked_again_until_it_changes(disk: FakeDisk, clock: FakeClock) -> None:
    tracker = make_tracker(disk, clock, mode="polling")
    disk.write(REPORT, 100, clock.now)
    tracker.observe(REPORT, "seen")
    assert len(tracker.due(now=clock.now + WINDOW)) == 1
    tracker.observe(REPORT, "seen", now=clock.now + 60)  # the next rescan
    tracker.observe(REPORT, "opened", now=clock.now + 61)  # core reading it
    assert len(tracker) == 0
    disk.write(REPORT, 150, clock.now + 70)
    tracker.observe(REPORT, "modified", now=clock.now + 70)
    assert REPORT in tracker


def test_mark_settled_skips_files_already_archived(disk: FakeDisk, clock: FakeClock) -> None:
    tracker = make_tracker(disk, clock, mode="polling")
    disk.write(REPORT, 100, 5.0)
    tracker.mark_settled(REPORT, (100, 5.0))
    tracker.observe(REPORT, "seen")
    assert len(tracker) == 0
    tracker.forget(REPORT)
    tracker.observe(REPORT, "seen")
    assert REPORT in tracker


def test_unreachable_share_waits_instead_of_vanishing(disk: FakeDisk, clock: FakeClock) -> None:
    tracker = make_tracker(disk, clock)
    disk.write(REPORT, 100, clock.now)
    tracker.observe(REPORT, "moved_in")
    disk.unreachable = True
    clock.advance(WINDOW)
    assert tracker.due() == []
    disk.unreachable = False
    clock.advance(WINDOW)
    assert kinds(tracker.due()) == [(REPORT, DecisionKind.READY)]


def test_crashing_validator_is_a_reason_not_an_exception(disk: FakeDisk, clock: FakeClock) -> None:
    def explode(_path: Path) -> str | None:
        raise RuntimeError("解析器崩溃")

    tracker = make_tracker(disk, clock, validate=explode, max_attempts=1)
    disk.write(REPORT, 100, clock.now)
    tracker.observe(REPORT, "moved_in")
    [decision] = tracker.due(now=clock.now + WINDOW)
    assert decision.kind is DecisionKind.GIVE_UP
    assert "解析器崩溃" in (decision.reason or "")


def test_decisions_come_oldest_first_and_only_once(disk: FakeDisk, clock: FakeClock) -> None:
    tracker = make_tracker(disk, clock)
    names = [Path(f"/共享/第{n}册.pdf") for n in (3, 1, 2)]
    for offset, path in enumerate(names):
        disk.write(path, 10, clock.now)
        tracker.observe(path, "moved_in", now=clock.now + offset * 0.1)
    decisions = tracker.due(now=clock.now + 10)
    assert [decision.path for decision in decisions] == names
    assert tracker.due(now=clock.now + 20) == []


def test_unknown_event_kind_and_mode_are_rejected(disk: FakeDisk, clock: FakeClock) -> None:
    tracker = make_tracker(disk, clock)
    with pytest.raises(ValueError, match="unknown event kind"):
        tracker.observe(REPORT, "renamed")
    with pytest.raises(ValueError, match="mode"):
        make_tracker(disk, clock, mode="auto")


def test_gate_holds_a_stable_file_until_released_and_release_is_a_trigger(clock: FakeClock) -> None:
    disk = FakeDisk()
    marker_written: set[Path] = set()
    tracker = StabilityTracker(stat=disk.stat, clock=clock, mode="events", window=WINDOW,
                               gate=lambda path: path.parent in marker_written)
    other = Path("/共享/项目B/监理日志.pdf")
    for path in (REPORT, other):
        disk.write(path, 2048, 1.0)
        tracker.observe(path, "closed_write")
    clock.advance(WINDOW * 10)
    assert tracker.due() == [], "stable for ten windows, but no done-marker yet"
    assert len(tracker) == 2 and tracker.undecided() == 0, "only waiting for the gate"
    clock.advance(1.0)
    marker_written.add(REPORT.parent)
    assert tracker.release(REPORT.parent) == 1, "only the marked folder's files"
    [decision] = tracker.due()
    assert (decision.path, decision.kind) == (REPORT, DecisionKind.READY), "at once, no further window"
    assert tracker.due() == [] and len(tracker) == 1


def test_release_still_checks_that_the_file_is_complete(clock: FakeClock) -> None:
    disk = FakeDisk()
    validator = ScriptedValidator("PDF trailer (%%EOF) missing", None)
    tracker = StabilityTracker(stat=disk.stat, clock=clock, validate=validator, window=WINDOW,
                               max_attempts=3, gate=lambda _path: True)
    disk.write(REPORT, 100, 1.0)
    tracker.observe(REPORT, "created")
    assert tracker.release(REPORT.parent) == 1
    assert tracker.due() == [], "a marker written too early does not make half a file ready"
    assert validator.calls == [REPORT]
