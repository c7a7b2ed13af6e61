"""An in-process registry of background tasks (uploads being ingested, handover exports), polled by id.

One worker thread by default: every ingest takes the archive's writer lock anyway. Task state is
kept in memory only; a restart forgets finished tasks, but never loses files — what was stored is
in the catalog, and an interrupted ingest is finished by the service's crash recovery.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from schemas.api import TaskState, TaskStatus
from schemas.handover import HandoverReport
from schemas.ingest import IngestReport

logger = logging.getLogger(__name__)

MAX_KEPT = 1000
TaskResult = IngestReport | HandoverReport


class TaskRegistry:
    def __init__(self, workers: int = 1) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="jiandang-task")
        self._tasks: dict[str, TaskStatus] = {}
        self._lock = threading.Lock()

    def submit(self, kind: str, owner: str, work: Callable[[], TaskResult],
               on_done: Callable[[TaskStatus], None] | None = None, *, task_id: str | None = None) -> TaskStatus:
        task = TaskStatus(id=task_id or self.new_id(), kind=kind, state=TaskState.PENDING, owner=owner,
                          created_at=datetime.now(UTC))
        with self._lock:
            self._tasks[task.id] = task
            self._forget_old()
        self._pool.submit(self._run, task.id, work, on_done)
        return task.model_copy()

    def new_id(self) -> str:
        return uuid.uuid4().hex

    def get(self, task_id: str) -> TaskStatus | None:
        with self._lock:
            task = self._tasks.get(task_id)
            return task.model_copy() if task else None

    def _run(self, task_id: str, work: Callable[[], TaskResult],
             on_done: Callable[[TaskStatus], None] | None) -> None:
        self._update(task_id, state=TaskState.RUNNING)
        try:
            result = work()
        except Exception as exc:  # a task must end in a state, whatever happened
            logger.exception("task %s failed", task_id)
            self._update(task_id, state=TaskState.FAILED, error=f"{type(exc).__name__}: {exc}",
                         finished_at=datetime.now(UTC))
        else:
            field = "handover" if isinstance(result, HandoverReport) else "report"
            self._update(task_id, state=TaskState.DONE, finished_at=datetime.now(UTC), **{field: result})
        if on_done is not None:
            finished = self.get(task_id)
            if finished is not None:
                try:
                    on_done(finished)
                except Exception:
                    logger.exception("after-task hook of %s failed", task_id)

    def _update(self, task_id: str, **changes: object) -> None:
        with self._lock:
            task = self._tasks.get(task_id)
            if task is not None:
                self._tasks[task_id] = task.model_copy(update=changes)

    def _forget_old(self) -> None:
        finished = [t for t in self._tasks.values() if t.state in (TaskState.DONE, TaskState.FAILED)]
        for task in sorted(finished, key=lambda t: t.created_at)[: max(0, len(self._tasks) - MAX_KEPT)]:
            del self._tasks[task.id]

    def shutdown(self, wait: bool = True) -> None:
        self._pool.shutdown(wait=wait)
