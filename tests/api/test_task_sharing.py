"""Background tasks are seen by every server process: their states go through the catalog.

Two registries on two services of one archive stand for two server processes (``jiandang serve
--workers 2``): a task runs in one, its owner's poll may reach the other. The real catalog
(SQLite, or PostgreSQL with ``JIANDANG_TEST_CATALOG=postgres``) carries the states.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from api.tasks import TaskRegistry
from core import ArchiveService, Settings
from core.catalog.models import TaskRecord
from core.catalog.tasks import TaskBook
from schemas.api import TaskState
from schemas.ingest import IngestReport

pytestmark = pytest.mark.integration


@pytest.fixture
def two_processes(settings: Settings) -> Iterator[tuple[ArchiveService, ArchiveService]]:
    with ArchiveService(settings) as first, ArchiveService(settings) as second:
        yield first, second


def test_a_poll_reaching_another_process_sees_every_state_of_the_task(
        two_processes: tuple[ArchiveService, ArchiveService]) -> None:
    first, second = two_processes
    running_here, polled_there = TaskRegistry(1, first.task_book), TaskRegistry(1, second.task_book)
    started, release = threading.Event(), threading.Event()

    def work() -> IngestReport:
        started.set()
        assert release.wait(30)
        return IngestReport()

    task = running_here.submit("upload", "档案员", work)
    assert started.wait(30)
    seen = polled_there.get(task.id)
    assert seen is not None and seen.state == TaskState.RUNNING and seen.owner == "档案员"
    release.set()
    running_here.shutdown(wait=True)
    done = polled_there.get(task.id)
    assert done is not None and done.state == TaskState.DONE
    assert done.report == IngestReport() and done.finished_at is not None
    assert polled_there.get("0" * 32) is None


def test_a_failed_task_carries_its_error_to_the_other_process(
        two_processes: tuple[ArchiveService, ArchiveService]) -> None:
    first, second = two_processes
    registry = TaskRegistry(1, first.task_book)

    def work() -> IngestReport:
        raise OSError("磁盘已满")

    task = registry.submit("upload", "档案员", work)
    registry.shutdown(wait=True)
    failed = TaskRegistry(1, second.task_book).get(task.id)
    assert failed is not None and failed.state == TaskState.FAILED and "磁盘已满" in (failed.error or "")


def test_a_forgotten_task_is_gone_for_every_process(two_processes: tuple[ArchiveService, ArchiveService]) -> None:
    first, second = two_processes
    registry = TaskRegistry(1, first.task_book)
    task = registry.submit("handover", "资产管理员", IngestReport)
    registry.shutdown(wait=True)
    assert second.task_book.load(task.id) is not None
    registry.forget(task.id)
    assert registry.get(task.id) is None and second.task_book.load(task.id) is None


def test_a_restarted_node_fails_only_its_own_unfinished_tasks(settings: Settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with ArchiveService(settings) as service:
        here, elsewhere = service.task_book, TaskBook(service.catalog, "另一台服务器:/srv/jiandang")
        left_running = TaskRegistry(1, here)
        blocker = threading.Event()
        task = left_running.submit("upload", "档案员", lambda: (blocker.wait(30), IngestReport())[1])
        other = TaskRegistry(1, elsewhere).submit("upload", "档案员", lambda: (blocker.wait(30), IngestReport())[1])
        assert here.interrupt_unfinished("服务在任务完成前停止") == 1
        interrupted = here.load(task.id)
        assert interrupted is not None and interrupted.state == TaskState.FAILED
        assert interrupted.error == "服务在任务完成前停止" and interrupted.finished_at is not None
        still = here.load(other.id)
        assert still is not None and still.state in (TaskState.PENDING, TaskState.RUNNING)
        blocker.set()


def test_finished_tasks_are_forgotten_after_a_month(settings: Settings) -> None:
    with ArchiveService(settings) as service:
        book = service.task_book
        registry = TaskRegistry(1, book)
        old, recent = registry.submit("upload", "甲", IngestReport), registry.submit("upload", "乙", IngestReport)
        registry.shutdown(wait=True)
        with service.catalog.session() as session:
            session.get(TaskRecord, old.id).updated_at = datetime.now(UTC) - timedelta(days=31)  # type: ignore[union-attr]
        assert book.forget_finished() == 1
        assert book.load(old.id) is None and book.load(recent.id) is not None


def test_a_task_shows_its_end_only_once_its_hook_has_run(settings: Settings) -> None:
    """The hook writes the completion's audit entry: a poll that sees "done" must find it there."""
    with ArchiveService(settings) as service:
        registry = TaskRegistry(1, service.task_book)
        in_hook, release = threading.Event(), threading.Event()
        seen_by_hook: list[TaskState] = []

        def hook(task) -> None:  # type: ignore[no-untyped-def]
            seen_by_hook.append(task.state)
            in_hook.set()
            assert release.wait(30)

        task = registry.submit("upload", "档案员", IngestReport, hook)
        assert in_hook.wait(30)
        polled = registry.get(task.id)
        assert polled is not None and polled.state == TaskState.RUNNING
        release.set()
        registry.shutdown(wait=True)
        finished = registry.get(task.id)
        assert finished is not None and finished.state == TaskState.DONE
        assert seen_by_hook == [TaskState.DONE]
