"""The states of the web app's background tasks, in the catalog where every server process sees them.

An upload is taken in, and a handover bundle written, on a worker thread of the process that
accepted the request; the person who started it polls ``/api/tasks/{id}`` until it ends. With
one process its memory was enough. With several (``jiandang serve --workers``, several nodes
on one PostgreSQL) the poll reaches whichever process the connection landed on, so each state a
task passes through is written here and read back by any process that does not run the task.

A task belongs to a *node* (host and archive home). When a node starts again, the tasks it left
unfinished can never finish (their threads died with it): ``interrupt_unfinished`` marks them
failed with the reason, so nobody polls a task that is "running" for ever. Finished tasks are
removed after ``KEEP_FINISHED``.
"""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, select

from core.catalog.db import Catalog
from core.catalog.models import TaskRecord
from schemas.api import TaskState, TaskStatus

KEEP_FINISHED = timedelta(days=30)
_FINISHED = (TaskState.DONE.value, TaskState.FAILED.value)


def node_name(home: Path) -> str:
    """This server's name among the catalog's nodes: its host and its archive home."""
    return f"{socket.gethostname()}:{home.resolve()}"[:300]


class TaskBook:
    """Read and write task states; every method is one short transaction."""

    def __init__(self, catalog: Catalog, node: str) -> None:
        self._catalog = catalog
        self.node = node

    def save(self, task: TaskStatus) -> None:
        """Record the task's current state (replacing the one before)."""
        with self._catalog.session() as session:
            session.merge(TaskRecord(id=task.id, kind=task.kind, owner=task.owner, state=task.state.value,
                                     node=self.node, updated_at=datetime.now(UTC), status=task.model_dump_json()))

    def load(self, task_id: str) -> TaskStatus | None:
        with self._catalog.session() as session:
            status = session.scalar(select(TaskRecord.status).where(TaskRecord.id == task_id))
        return TaskStatus.model_validate_json(status) if status is not None else None

    def forget(self, task_id: str) -> None:
        """Remove one task (its result is gone, such as an expired handover bundle)."""
        with self._catalog.session() as session:
            session.execute(delete(TaskRecord).where(TaskRecord.id == task_id))

    def interrupt_unfinished(self, reason: str) -> int:
        """Mark this node's unfinished tasks failed with ``reason`` (at start: their threads are gone)."""
        now = datetime.now(UTC)
        with self._catalog.session() as session:
            rows = session.scalars(select(TaskRecord).where(
                TaskRecord.node == self.node, TaskRecord.state.not_in(_FINISHED))).all()
            for row in rows:
                task = TaskStatus.model_validate_json(row.status)
                ended = task.model_copy(update={"state": TaskState.FAILED, "error": reason, "finished_at": now})
                row.state, row.updated_at, row.status = ended.state.value, now, ended.model_dump_json()
            return len(rows)

    def forget_finished(self, older_than: timedelta = KEEP_FINISHED) -> int:
        """Remove finished tasks last changed more than ``older_than`` ago."""
        with self._catalog.session() as session:
            result = session.execute(delete(TaskRecord).where(
                TaskRecord.state.in_(_FINISHED), TaskRecord.updated_at < datetime.now(UTC) - older_than))
            return result.rowcount or 0
