"""Shapes of the HTTP API (and of the account/audit CLI commands) that other schemas do not cover.

Pure pydantic: the API returns these, the CLI prints them with ``--json``, core fills them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import ConfigDict, Field

# Accounts, tokens, permissions and the audit trail's entries live in ``schemas.access`` (every audited
# command writes an entry; it need not load the API's other shapes); named here too, for the API's callers.
from schemas.access import (  # noqa: F401
    AuditEntryRecord,
    AuditPage,
    AuditVerifyReport,
    IssuedToken,
    Permission,
    Principal,
    TokenRecord,
    UserRecord,
)
from schemas.base import Schema
from schemas.choices import Role  # noqa: F401  (here too, for the API's callers)
from schemas.documents import Candidate, EventRecord
from schemas.handover import HandoverReport
from schemas.ingest import IngestReport
from schemas.search import SavedSearch
from schemas.timestamps import UtcDateTime


class ErrorDetail(Schema):
    code: str = Field(description="machine-readable error kind, e.g. document_not_found")
    message: str = Field(description="what went wrong, naming the field or thing")
    subject: dict[str, Any] = Field(default_factory=dict, description="the thing the error is about")
    text: str = Field("", description="the same for a person, in Chinese (the archive's message catalogue)")


class ErrorBody(Schema):
    """The ONE error shape every endpoint returns."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"error": {"code": "document_not_found", "message": "no document with id 'ab12'", "subject": {"doc_id": "ab12"},
                   "text": "找不到编号为 ab12 的文件。"}}
    ]})

    error: ErrorDetail


class DocumentSummary(Schema):
    """One row of a document list (the full record is ``DocumentRecord``)."""

    id: str
    title: str | None = None
    original_name: str
    project: str | None = None
    status: str
    format: str | None = None
    size: int
    class_code: str | None = None
    item_code: str | None = None
    doc_type: str | None = None
    confidence: float = 0.0
    needs_review: bool = False
    doc_date: Any = None
    received_at: UtcDateTime
    candidates: list[Candidate] = Field(
        default_factory=list, description="review: the best three places to file it, with reasons"
    )


class DocumentPage(Schema):
    total: int
    limit: int
    offset: int
    items: list[DocumentSummary] = Field(default_factory=list)


class ProjectSummary(Schema):
    """A project (or a tray such as INBOX) with its counts; see ``schemas.projects`` for the record."""

    code: str
    name: str | None = None
    kind: str = Field(default="project", description="project (a building project) or tray (INBOX: files to be filed)")
    owner: str | None = Field(default=None, description="建设单位")
    figures: dict[str, str] = Field(default_factory=dict, description="建筑面积, 投资额, 地点 …")
    documents: int = 0
    needs_review: int = 0
    quarantined: int = 0


class TaskState(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class TaskStatus(Schema):
    """An upload (or other long job) running in the server process."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"id": "3f2a…", "kind": "upload", "state": "done", "owner": "zhang", "error": None,
         "report": {"files": [{"path": "设计变更通知单.pdf", "status": "ingested", "document_id": "ab12…",
                               "reason": None}], "counts": {"ingested": 1, "duplicate": 0, "quarantined": 0}}}
    ]})

    id: str
    kind: str
    state: TaskState
    owner: str
    created_at: UtcDateTime
    finished_at: UtcDateTime | None = None
    error: str | None = None
    report: IngestReport | None = Field(default=None, description="an upload's per-file ingest report")
    handover: HandoverReport | None = Field(
        default=None, description="a handover export's bundle (path is the zip's file name only)"
    )


class HealthReport(Schema):
    status: str = "ok"
    version: str
    documents: int


class ProjectPage(Schema):
    total: int
    limit: int
    offset: int
    items: list[ProjectSummary] = Field(default_factory=list)


class UserPage(Schema):
    total: int
    limit: int
    offset: int
    items: list[UserRecord] = Field(default_factory=list)


class EventPage(Schema):
    """A document's history, oldest first."""

    total: int
    limit: int
    offset: int
    items: list[EventRecord] = Field(default_factory=list)


class SavedSearchPage(Schema):
    total: int
    limit: int
    offset: int
    items: list[SavedSearch] = Field(default_factory=list)
