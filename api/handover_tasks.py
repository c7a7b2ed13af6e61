"""Handover exports as background tasks: start one, then hand out the finished zip to its owner.

A bundle of a large project takes minutes, so a request only starts it: the zip is written by the
task worker under ``$home/exports/<task>/`` and its file name (never a server path) goes into the
task's status. The download looks the file up by task id, so a caller cannot name a path.
Starting, finishing and downloading are each on the audit trail; the finished entry carries the
zip's SHA-256, so what left the archive can be matched to the audit trail later.
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import Request

from api.auditing import audit
from api.security import principal_of
from core.audit import AuditAction
from core.blobstore import sha256_of
from core.errors import NotFound, ProjectNotFound
from schemas.api import TaskState, TaskStatus
from schemas.handover import HandoverReport

EXPORTS_DIR = "exports"
HANDOVER_KIND = "handover"
EXPORT_DONE = "export.done"
EXPORT_DOWNLOAD = "export.download"
_UNSAFE = re.compile(r"[^\w.-]+")


def start_handover(request: Request, project: str, only: list[str] | None = None,
                   asset: str | None = None, *, eep: bool = False) -> TaskStatus:
    """Check the project exists (a clear 404 now, not a failed task later) and queue the export."""
    state = request.app.state
    service = state.service
    principal = principal_of(request)
    if project not in {p.code for p in service.list_projects()}:
        raise ProjectNotFound(f"no project {project!r} in the archive", project=project)
    task_id = state.tasks.new_id()
    folder = service.settings.home / EXPORTS_DIR / task_id
    out = folder / f"{_UNSAFE.sub('_', project)}-handover"
    audit(request, AuditAction.EXPORT, project, what="handover", task=task_id, only=only, asset=asset,
          eep=eep)

    def work() -> HandoverReport:
        folder.mkdir(parents=True, exist_ok=True)
        report = service.handover(project, out, zip=True, only=only, asset=asset, eep=eep)
        return report.model_copy(update={"path": Path(report.path).name})

    def done(task: TaskStatus) -> None:
        detail: dict[str, object] = {"state": task.state.value}
        if task.handover is not None:
            zip_path = folder / task.handover.path
            detail.update(file=task.handover.path, documents=task.handover.documents, bytes=task.handover.bytes,
                          sha256=sha256_of(zip_path))
        else:
            detail["error"] = task.error
        service.audit.append(principal.username, EXPORT_DONE, project, task=task.id, **detail)

    return state.tasks.submit(HANDOVER_KIND, principal.username, work, done, task_id=task_id)


def own_task(request: Request, task_id: str) -> TaskStatus:
    """The task if the caller started it (admins see all); anything else is "no such task"."""
    task = request.app.state.tasks.get(task_id)
    principal = principal_of(request)
    if task is None or (task.owner != principal.username and principal.role.value != "admin"):
        raise NotFound(f"no task {task_id!r}", task_id=task_id)
    return task


def finished_bundle(request: Request, task_id: str) -> Path:
    """The zip of a finished handover task of the caller's; audited as a download."""
    task = own_task(request, task_id)
    if task.kind != HANDOVER_KIND or task.state != TaskState.DONE or task.handover is None:
        raise NotFound(f"task {task_id!r} has no finished handover bundle (state: {task.state.value})",
                       task_id=task_id)
    path = request.app.state.service.settings.home / EXPORTS_DIR / task_id / Path(task.handover.path).name
    if not path.is_file():
        raise NotFound(f"the bundle of task {task_id!r} is no longer on the server", task_id=task_id)
    audit(request, EXPORT_DOWNLOAD, task_id, file=path.name, bytes=path.stat().st_size)
    return path
