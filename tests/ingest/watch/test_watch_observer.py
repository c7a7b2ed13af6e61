"""The watchdog adapter: event mapping (no threads), then one real inotify and one real polling run."""

from __future__ import annotations

import os
import queue
import shutil
import threading
import time
from pathlib import Path

import pytest
from watchdog.events import DirCreatedEvent, DirMovedEvent, FileClosedEvent, FileMovedEvent, FileOpenedEvent

from ingest.watch.observer import FolderObserver
from ingest.watch.rules import should_ignore
from ingest.watch.stability import DecisionKind, StabilityTracker
from ingest.watch.validate import validate_file
from tests.files import write_pdf

DEADLINE = 5.0  # seconds any real-observer test may wait


def collecting_observer(
    root: Path, mode: str = "events", poll_interval: float = 0.2
) -> tuple[FolderObserver, list]:
    seen: list[tuple[Path, str]] = []
    return FolderObserver([root], mode, poll_interval, lambda path, kind: seen.append((path, kind))), seen


def test_simple_events_map_to_tracker_kinds(tmp_path: Path) -> None:
    observer, _ = collecting_observer(tmp_path)
    target = tmp_path / "报告.pdf"
    assert observer.translate(FileOpenedEvent(str(target))) == [(target, "opened")]
    assert observer.translate(FileClosedEvent(str(target))) == [(target, "closed_write")]


def test_moves_become_deleted_source_and_moved_in_dest(tmp_path: Path) -> None:
    observer, _ = collecting_observer(tmp_path)
    part, final = tmp_path / "报告.pdf.part", tmp_path / "报告.pdf"
    assert observer.translate(FileMovedEvent(str(part), str(final))) == [
        (part, "deleted"),
        (final, "moved_in"),
    ]
    outside = tmp_path.parent / "别处.pdf"
    assert observer.translate(FileMovedEvent(str(final), str(outside))) == [(final, "deleted")]


def test_folder_moved_or_created_yields_every_file_inside(tmp_path: Path) -> None:
    batch = tmp_path / "批次一"
    (batch / "图纸").mkdir(parents=True)
    for relative in ("报告.pdf", "图纸/总图.pdf", "图纸/~$锁.docx"):
        (batch / relative).write_bytes(b"x")
    seen: list[tuple[Path, str]] = []
    observer = FolderObserver(
        [tmp_path], "events", 1.0, lambda p, k: seen.append((p, k)), ignore=should_ignore
    )
    observer._dispatch(DirMovedEvent(str(tmp_path.parent / "暂存"), str(batch)))
    observer._dispatch(DirCreatedEvent(str(batch)))
    expected = {batch / "报告.pdf", batch / "图纸" / "总图.pdf"}
    assert {path for path, kind in seen if kind == "moved_in"} == expected
    assert {path for path, kind in seen if kind == "created"} == expected  # the lock file filtered


def test_a_failing_callback_does_not_escape(tmp_path: Path) -> None:
    def boom(_path: Path, _kind: str) -> None:
        raise RuntimeError("queue full")

    observer = FolderObserver([tmp_path], "events", 1.0, boom)
    observer._dispatch(FileClosedEvent(str(tmp_path / "报告.pdf")))  # logged, not raised


def wait_for(events: queue.Queue, predicate, deadline: float) -> list[tuple[Path, str]]:
    got: list[tuple[Path, str]] = []
    while time.monotonic() < deadline:
        try:
            got.append(events.get(timeout=0.05))
        except queue.Empty:
            continue
        if predicate(got):
            break
    return got


def slow_write(path: Path, chunks: list[bytes], pause: float) -> None:
    with open(path, "wb") as handle:
        for chunk in chunks:
            handle.write(chunk)
            handle.flush()
            time.sleep(pause)


def drive_until_ready(tracker: StabilityTracker, events: queue.Queue, path: Path, deadline: float) -> list:
    """The loop core will run: drain events into the tracker, ask for decisions."""
    while time.monotonic() < deadline:
        try:
            while True:
                tracker.observe(*events.get_nowait())
        except queue.Empty:
            pass
        decisions = [decision for decision in tracker.due() if decision.path == path]
        if decisions:
            return decisions
        time.sleep(0.05)
    return []


@pytest.mark.integration
def test_inotify_sees_a_slow_write_through_to_ready(tmp_path: Path) -> None:
    root = tmp_path / "收件箱"
    root.mkdir()
    source = write_pdf(tmp_path / "源.pdf", ["竣工验收报告", "验收结论：合格"])
    data = source.read_bytes()
    target = root / "竣工验收报告（终稿）.pdf"
    events: queue.Queue = queue.Queue()
    observer = FolderObserver([root], "events", 1.0, lambda p, k: events.put((p, k)), ignore=should_ignore)
    deadline = time.monotonic() + DEADLINE
    with observer:
        (root / "~$锁文件.docx").write_bytes(b"lock")
        third = len(data) // 3
        writer = threading.Thread(target=slow_write, args=(target, [data[:third], data[third:]], 0.15))
        writer.start()
        got = wait_for(events, lambda g: (target, "closed_write") in g, deadline)
        writer.join()
        kinds = [kind for path, kind in got if path == target]
        assert kinds[0] == "created"
        assert "modified" in kinds
        assert kinds[-1] == "closed_write"
        assert all(path == target for path, _ in got)  # the lock file never came through
        tracker = StabilityTracker(validate=validate_file, window=0.3, mode="events")
        for path, kind in got:
            tracker.observe(path, kind)
        [decision] = drive_until_ready(tracker, events, target, deadline)
    assert decision.kind is DecisionKind.READY
    assert decision.size == len(data)


@pytest.mark.integration
def test_polling_sees_a_file_copied_in_and_decides_by_stability(tmp_path: Path) -> None:
    root = tmp_path / "共享 收件箱"
    root.mkdir()
    source = write_pdf(tmp_path / "源.pdf", ["监理月报"])
    target = root / "监理月报 第3期.pdf"
    events: queue.Queue = queue.Queue()
    observer = FolderObserver([root], "polling", 0.1, lambda p, k: events.put((p, k)), ignore=should_ignore)
    deadline = time.monotonic() + DEADLINE
    with observer:
        assert observer.running
        shutil.copy2(source, target)
        got = wait_for(events, lambda g: any(path == target for path, _ in g), deadline)
        assert (target, "created") in got
        assert not any(kind in ("opened", "closed_write") for _, kind in got)  # polling cannot see handles
        tracker = StabilityTracker(validate=validate_file, window=0.3, mode="polling")
        for path, kind in got:
            tracker.observe(path, kind)
        [decision] = drive_until_ready(tracker, events, target, deadline)
    assert not observer.running
    assert decision.kind is DecisionKind.READY
    assert (decision.size, decision.mtime) == (source.stat().st_size, os.stat(target).st_mtime_ns)
