"""Taking uploaded files in: safe names on disk, then one ingest request like every other way in.

Starlette spools each part to a temporary file as it streams in (nothing is held whole in memory)
and the ``BodySizeLimit`` middleware stops a body over the limit while it arrives. The parts are
then moved into ``$home/uploads/<task>/`` under sanitised names (no directories, no ``..``, no
control characters) and a background task runs ``ArchiveService.ingest`` with ``source=upload``.
The upload folder is removed once the originals are stored.
"""

from __future__ import annotations

import logging
import re
import shutil
import unicodedata
from pathlib import Path

from fastapi import Request
from starlette.datastructures import UploadFile

from api.auditing import audit
from api.security import principal_of
from core.errors import InputError
from core.security.audit import AuditAction
from schemas.api import TaskStatus
from schemas.ingest import IngestReport, IngestRequest, IngestSource

logger = logging.getLogger(__name__)

PROJECT_CODE = re.compile(r"^[\w.-]{1,64}$")
MAX_NAME_BYTES = 200
CHUNK = 1024 * 1024


def safe_name(raw: str | None, index: int) -> str:
    """The last path component of what the browser sent, cleaned; never empty, never '.' or '..'."""
    name = (raw or "").replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    name = name.strip().lstrip(".").strip()
    while len(name.encode("utf-8")) > MAX_NAME_BYTES:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[:-1] + dot + suffix) if dot and stem else name[:-1]
    return name or f"upload-{index}"


async def accept_upload(request: Request, files: list[UploadFile], project: str | None) -> TaskStatus:
    """Write the parts to a task folder and start ingesting them; returns the new task."""
    state = request.app.state
    principal = principal_of(request)
    files = [f for f in files if isinstance(f, UploadFile)]
    if not files:
        raise InputError("no file in the upload (send one or more parts named 'files')", field="files")
    if len(files) > state.options.max_upload_files:
        raise InputError(f"too many files in one upload (at most {state.options.max_upload_files})", field="files")
    project = (project or "").strip() or None
    if project is not None and not PROJECT_CODE.match(project):
        raise InputError(f"project code {project!r}: use letters, digits, '.', '-' or '_'", field="project")
    task_id = state.tasks.new_id()
    folder = state.service.settings.home / "uploads" / task_id
    folder.mkdir(parents=True)
    written: list[Path] = []
    for index, part in enumerate(files, start=1):
        name = safe_name(part.filename, index)
        target = folder / name
        if target.exists():
            target = folder / f"{index}-{name}"
        with target.open("xb") as out:
            while chunk := await part.read(CHUNK):
                out.write(chunk)
        written.append(target)
    audit(request, AuditAction.UPLOAD, task_id, project=project,
          files=[{"name": p.name, "bytes": p.stat().st_size} for p in written])
    service = state.service

    def work() -> IngestReport:
        try:
            report = service.ingest(IngestRequest(paths=written, project=project, source=IngestSource.UPLOAD))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        for line in report.files:  # the caller knows its files by name, not by our disk layout
            line.path = Path(line.path).name
        return report

    def done(task: TaskStatus) -> None:
        counts = task.report.counts.model_dump() if task.report else {}
        service.audit.append(principal.username, "upload.done", task.id, state=task.state.value, counts=counts,
                             documents=[f.document_id for f in task.report.files] if task.report else [])

    return state.tasks.submit("upload", principal.username, work, done, task_id=task_id)
