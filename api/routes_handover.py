"""Handover bundles over HTTP: start an export (a task), poll ``/api/tasks/{id}``, download the zip."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from api.handover_tasks import finished_bundle, start_handover
from api.routes_documents import ERRORS, ProjectCode, content_disposition
from schemas.api import TaskStatus

router = APIRouter(prefix="/api", responses=ERRORS)
TaskId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", examples=["9b2f6c1d0e8a4f3b8c7d6e5f4a3b2c1d"])]


class HandoverStart(BaseModel):
    model_config = ConfigDict(extra="forbid",
                              json_schema_extra={"examples": [{"only": ["C", "D"], "asset": "市民服务中心大楼"}]})

    only: list[Annotated[str, Field(min_length=1, max_length=16)]] | None = Field(
        default=None, max_length=40, description="class or sub-class codes to include (all when absent)")
    asset: str | None = Field(default=None, max_length=200, description="the asset handed over (资产名称)")
    eep: StrictBool = Field(default=False, description="also one DA/T 48-style EEP XML per document (data/EEP/)")


@router.post("/projects/{code}/handover", name="start_handover", response_model=TaskStatus, status_code=202,
             tags=["handover"])
def start_handover_export(request: Request, code: ProjectCode, body: HandoverStart | None = None) -> TaskStatus:
    """Start writing the project's handover bundle (a zipped BagIt bag). Audited.

    Returns a task at once; poll ``GET /api/tasks/{id}`` until ``state`` is ``done``, then
    fetch ``GET /api/handover/{id}/bundle``.
    """
    body = body or HandoverStart()
    return start_handover(request, code, body.only, body.asset, eep=body.eep)


@router.get("/handover/{task_id}/bundle", name="download_handover", response_class=FileResponse, tags=["handover"],
            responses={200: {"content": {"application/zip": {}}, "description": "the zipped bundle"}})
def download_handover(request: Request, task_id: TaskId) -> FileResponse:
    """The finished bundle of a handover task you started (admins: any). Audited."""
    path = finished_bundle(request, task_id)
    return FileResponse(path, media_type="application/zip",
                        headers={"Content-Disposition": content_disposition("attachment", path.name)})
