"""The registry of background tasks (uploads being ingested, handover exports), polled by id.

One worker thread by default: every ingest takes the archive's writer lock anyway. A task runs in
the process that accepted it; every state it passes through is also written to the catalog
(``core.catalog.tasks.TaskBook``), so a poll that reaches another server process (``jiandang
serve --workers``, another node) reads it there. A restart never loses files — what was stored
is in the catalog, and an interrupted ingest is finished by the service's crash recovery. A task
whose result is a file on the server (a handover export) is also recorded beside that file
through ``persist`` and put back with ``restore`` after a restart (``api.handover_tasks``).
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Protocol

from schemas.api import TaskState, TaskStatus
from schemas.handover import HandoverReport
from schemas.ingest import IngestReport

logger = logging.getLogger(__name__)

MAX_KEPT = 1000
TaskResult = IngestReport | HandoverReport


class TaskBook(Protocol):
    """Where task states are shared between server processes (``core.catalog.tasks.TaskBook``)."""

    def save(self, task: TaskStatus) -> None: ...

    def load(self, task_id: str) -> TaskStatus | None: ...

    def forget(self, task_id: str) -> None: ...


class TaskRegistry:
    def __init__(self, workers: int = 1, book: TaskBook | None = None) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="jiandang-task")
        self._tasks: dict[str, TaskStatus] = {}
        self._persisters: dict[str, Callable[[TaskStatus], None]] = {}
        self._lock = threading.Lock()
        self._book = book

    def submit(self, kind: str, owner: str, work: Callable[[], TaskResult],
               on_done: Callable[[TaskStatus], None] | None = None, *, task_id: str | None = None,
               persist: Callable[[TaskStatus], None] | None = None) -> TaskStatus:
        """Queue ``work``; ``persist``, when given, is called with every state the task passes through.

        It is called under the registry's lock, so states reach it in order (a slow "pending" can
        never overwrite a "running"); keep it short, such as writing one small file.
        """
        task = TaskStatus(id=task_id or self.new_id(), kind=kind, state=TaskState.PENDING, owner=owner,
                          created_at=datetime.now(UTC))
        with self._lock:
            self._tasks[task.id] = task
            self._share(task)
            if persist is not None:
                self._persisters[task.id] = persist
                self._persist(persist, task)
            self._forget_old()
        self._pool.submit(self._run, task.id, work, on_done)
        return task.model_copy()

    def restore(self, task: TaskStatus) -> None:
        """Put back a finished task a previous server process recorded (see ``api.handover_tasks``)."""
        with self._lock:
            self._tasks[task.id] = task

    def forget(self, task_id: str) -> None:
        with self._lock:
            self._tasks.pop(task_id, None)
            self._persisters.pop(task_id, None)
        if self._book is not None:
            try:
                self._book.forget(task_id)
            except Exception:
                logger.exception("could not remove task %s from the catalog", task_id)

    def new_id(self) -> str:
        return uuid.uuid4().hex

    def get(self, task_id: str) -> TaskStatus | None:
        """The task, from this process's memory or, when another process runs it, from the book.

        Without the registry's lock: states are replaced, never changed in place, so one dict
        read is enough, and a poll never waits behind a state being written to the catalog.
        """
        task = self._tasks.get(task_id)
        if task is not None:
            return task.model_copy()
        if self._book is None:
            return None
        try:
            return self._book.load(task_id)
        except Exception:  # the catalog unreachable: the task is unknown here, as before the book
            logger.exception("could not read the state of task %s", task_id)
            return None

    def _run(self, task_id: str, work: Callable[[], TaskResult],
             on_done: Callable[[TaskStatus], None] | None) -> None:
        """Run ``work``; the hook (the completion's audit entry) runs before the final state is shown:
        whoever polls "done" or "failed" then also finds the task's end on the audit trail.
        """
        self._update(task_id, state=TaskState.RUNNING)
        final: dict[str, object]
        try:
            result = work()
        except Exception as exc:  # a task must end in a state, whatever happened
            logger.exception("task %s failed", task_id)
            final = {"state": TaskState.FAILED, "error": f"{type(exc).__name__}: {exc}",
                     "finished_at": datetime.now(UTC)}
        else:
            field = "handover" if isinstance(result, HandoverReport) else "report"
            final = {"state": TaskState.DONE, "finished_at": datetime.now(UTC), field: result}
        current = self._tasks.get(task_id)
        if on_done is not None and current is not None:
            try:
                on_done(current.model_copy(update=final))
            except Exception:
                logger.exception("after-task hook of %s failed", task_id)
        self._update(task_id, **final)

    def _update(self, task_id: str, **changes: object) -> None:
        with self._lock:
            task = self._tasks.get(task_id)
            if task is None:
                return
            task = self._tasks[task_id] = task.model_copy(update=changes)
            self._share(task)
            finished = task.state in (TaskState.DONE, TaskState.FAILED)
            persist = self._persisters.pop(task_id, None) if finished else self._persisters.get(task_id)
            if persist is not None:
                self._persist(persist, task)

    def _share(self, task: TaskStatus) -> None:
        """Write the state for the other processes (under the lock: states reach the book in order)."""
        if self._book is not None:
            self._persist(self._book.save, task)

    @staticmethod
    def _persist(persist: Callable[[TaskStatus], None], task: TaskStatus) -> None:
        try:
            persist(task)
        except Exception:  # the task itself goes on: only its record on disk is behind
            logger.exception("could not record the state of task %s", task.id)

    def _forget_old(self) -> None:
        finished = [t for t in self._tasks.values() if t.state in (TaskState.DONE, TaskState.FAILED)]
        for task in sorted(finished, key=lambda t: t.created_at)[: max(0, len(self._tasks) - MAX_KEPT)]:
            del self._tasks[task.id]
            self._persisters.pop(task.id, None)

    def shutdown(self, wait: bool = True) -> None:
        self._pool.shutdown(wait=wait)
