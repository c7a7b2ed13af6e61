"""Handover exports as background tasks: start one, then hand out the finished zip to its owner.

A bundle of a large project takes minutes, so a request only starts it: the zip is written by the
task worker under ``$home/exports/<task>/`` and its file name (never a server path) goes into the
task's status. The download looks the file up by task id, so a caller cannot name a path.
Starting, finishing and downloading are each on the audit trail; the finished entry carries the
zip's SHA-256, so what left the archive can be matched to the audit trail later.

Each export's state is also written to ``task.json`` beside its zip, so a restarted server still
hands out the bundles it made (an export the stop cut short becomes a failed task saying so), and
finished exports are removed ``export_keep_days`` after they finished (at start and after each
export; the removal is on the audit trail): the zips are copies of the archive and would otherwise
fill the disk.

With ``jiandang serve --workers N`` several processes share one home's exports. Only the start
of the whole server may decide that a pending or running export was cut short (``recover_exports``,
run once before the processes start): a worker that uvicorn starts again later must not fail its
sibling's export at work. An expired export is claimed by renaming its folder before it is removed,
so two processes sweeping at once remove it, and record its removal, once.
"""

from __future__ import annotations

import logging
import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi import FastAPI, Request

from api.auditing import audit
from api.security import principal_of
from api.tasks import TaskRegistry
from core import ArchiveService
from core.errors import NotFound, ProjectNotFound
from core.security.audit import AuditAction
from core.storage.atomic_files import replace_text
from core.storage.blobstore import sha256_of
from schemas.api import TaskState, TaskStatus
from schemas.handover import HandoverReport

logger = logging.getLogger(__name__)

EXPORTS_DIR = "exports"
HANDOVER_KIND = "handover"
EXPORT_DONE = "export.done"
EXPORT_DOWNLOAD = "export.download"
EXPORT_EXPIRED = "export.expired"
TASK_FILE = "task.json"
SYSTEM_ACTOR = "jiandang"
INTERRUPTED = "the server stopped before this export finished (服务在导出完成前停止); start the export again"
CLAIMED = ".expired-"  # an expired export's folder while it is being removed (a process claimed it)
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
        sweep_exports(request.app, restore=False)

    return state.tasks.submit(HANDOVER_KIND, principal.username, work, done, task_id=task_id,
                              persist=lambda task: _record(folder, task))


def _record(folder: Path, task: TaskStatus) -> None:
    """Write the task's state beside its bundle (atomically: a crash leaves the old or the new)."""
    folder.mkdir(parents=True, exist_ok=True)
    replace_text(folder / TASK_FILE, task.model_dump_json())


def _recorded(folder: Path) -> TaskStatus | None:
    try:
        return TaskStatus.model_validate_json((folder / TASK_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def sweep_exports(app: FastAPI, *, restore: bool, now: datetime | None = None) -> None:
    """Remove expired exports; with ``restore`` (server start) also put the kept ones back as tasks.

    At the start of a sole server (``ApiOptions.sole_server``) the exports recorded as pending or
    running were cut short by the stop (``recover_exports``); when this process is one of several,
    that was decided before they started, and a pending or running export is a sibling's at work.
    A folder with no readable ``task.json`` (an older server's) is removed once it is older than
    the keep period.
    """
    state = app.state
    service, tasks = state.service, state.tasks
    root = service.settings.home / EXPORTS_DIR
    if not root.is_dir():
        return
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=state.options.export_keep_days)
    if restore and state.options.sole_server:
        recover_exports(service.settings.home, now)  # nothing of this server can be at work yet
    for folder in _export_folders(root):
        task = _recorded(folder)
        if task is None:
            try:
                old = datetime.fromtimestamp(folder.stat().st_mtime, UTC) < cutoff
            except FileNotFoundError:
                continue  # another process has just claimed it
            if old:
                _expire(service, tasks, folder, None)
            continue
        if task.state in (TaskState.PENDING, TaskState.RUNNING):
            continue  # an export at work in this process or a sibling
        if (task.finished_at or task.created_at) < cutoff:
            _expire(service, tasks, folder, task)
        elif restore:
            tasks.restore(task)


def recover_exports(home: Path, now: datetime | None = None) -> int:
    """Fail the exports a stopped server left pending or running (their partial files go, their
    record says why); how many there were.

    Run at the start of a sole server (from ``sweep_exports``) or, for several server processes,
    once before they start (each then sweeps with ``sole_server`` false).
    """
    root = home / EXPORTS_DIR
    if not root.is_dir():
        return 0
    recovered = 0
    for folder in _export_folders(root):
        task = _recorded(folder)
        if task is not None and task.state in (TaskState.PENDING, TaskState.RUNNING):
            for leftover in folder.iterdir():
                if leftover.name != TASK_FILE:
                    shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
            _record(folder, task.model_copy(update={"state": TaskState.FAILED, "error": INTERRUPTED,
                                                    "finished_at": now or datetime.now(UTC)}))
            recovered += 1
    return recovered


def _export_folders(root: Path) -> list[Path]:
    """The exports' folders; a claimed folder some process left half removed (it crashed) goes now."""
    folders = []
    for path in sorted(p for p in root.iterdir() if p.is_dir()):
        if path.name.startswith(CLAIMED):
            shutil.rmtree(path, ignore_errors=True)
        else:
            folders.append(path)
    return folders


def _expire(service: ArchiveService, tasks: TaskRegistry, folder: Path, task: TaskStatus | None) -> None:
    """Claim the folder (one rename: a second process sweeping at once finds it gone), record the
    removal on the audit trail, then remove it.
    """
    claimed = folder.with_name(f"{CLAIMED}{folder.name}")
    try:
        folder.rename(claimed)
    except FileNotFoundError:
        return  # another process took it
    bundle = task.handover.path if task is not None and task.handover is not None else None
    tasks.forget(folder.name)
    service.audit.append(SYSTEM_ACTOR, EXPORT_EXPIRED, folder.name, file=bundle,
                         finished_at=task.finished_at.isoformat() if task and task.finished_at else None)
    shutil.rmtree(claimed, ignore_errors=True)
    logger.info("removed the expired handover export %s", folder)


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
