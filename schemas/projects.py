"""Projects as records, and the archivist's changes to where a document sits and what it says.

A project is created on purpose (code, name, 建设单位, optional figures), never as a side effect
of an upload; INBOX is a *tray* (files waiting to be filed), not a building project. Moving,
renaming, merging and editing are each an event in the catalog and an entry on the audit trail;
these are the shapes the API returns and the CLI prints with ``--json``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import ConfigDict, Field, field_validator

from schemas.base import Schema

PROJECT_CODE = re.compile(r"^[\w.-]{1,64}$")
Figures = dict[Annotated[str, Field(min_length=1, max_length=32)], Annotated[str, Field(max_length=200)]]


class ProjectKind:
    PROJECT = "project"
    TRAY = "tray"


class NewProject(Schema):
    """``POST /api/projects`` and ``jiandang project add``."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"code": "JD-2025-003", "name": "市档案馆新馆建设工程", "owner": "市机关事务管理局",
         "figures": {"建筑面积": "12,000 ㎡", "投资额": "8,600 万元"}}]})

    code: str = Field(min_length=1, max_length=64, pattern=PROJECT_CODE.pattern, examples=["JD-2025-003"])
    name: str = Field(min_length=1, max_length=255, examples=["市档案馆新馆建设工程"])
    owner: str | None = Field(default=None, max_length=255, description="建设单位")
    figures: Figures = Field(default_factory=dict, max_length=20, description="optional figures, label → value")

    @field_validator("name", "owner")
    @classmethod
    def _stripped(cls, value: str | None) -> str | None:
        return value.strip() if isinstance(value, str) else value


class ProjectChange(Schema):
    """``PATCH /api/projects/{code}`` and ``jiandang project rename``: only what is given changes."""

    model_config = ConfigDict(extra="forbid")

    code: str | None = Field(default=None, min_length=1, max_length=64, pattern=PROJECT_CODE.pattern,
                             description="a new code (fixes a typo; 档号 follow)")
    name: str | None = Field(default=None, min_length=1, max_length=255)
    owner: str | None = Field(default=None, max_length=255)
    figures: Figures | None = Field(default=None, max_length=20)


class MoveRequest(Schema):
    """``POST /api/moves`` and ``jiandang move``."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"documents": ["3f9c0a5be1d24c7d"], "to": "JD-2024-001", "reason": "收件箱文件归入项目"}]})

    documents: list[Annotated[str, Field(pattern=r"^[0-9a-fA-F]{4,32}$")]] = Field(min_length=1, max_length=200)
    to: str = Field(min_length=1, max_length=64, pattern=PROJECT_CODE.pattern)
    reason: str | None = Field(default=None, max_length=500)


class MoveReport(Schema):
    to: str
    moved: list[str] = Field(default_factory=list, description="ids of the documents now in the project")
    unchanged: list[str] = Field(default_factory=list, description="ids already in the project")


class BulkReport(Schema):
    """One bulk action on a selection, committed as one unit: every document changed, or none."""

    action: str
    done: list[str] = Field(default_factory=list, description="ids of the documents changed")
    skipped: list[str] = Field(default_factory=list, description="ids left as they were (nothing to do)")
    details: dict[str, dict[str, object]] = Field(
        default_factory=dict, description="id → what changed, for the audit entry of each document")


class MergeReport(Schema):
    source: str
    target: str
    moved: int
    source_kept: bool = Field(description="a tray (INBOX) stays, emptied; a project is removed")


class DocumentEdit(Schema):
    """A correction of a document's record (著录): only the fields given change; a reason is required."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"changes": {"number": "结施-变-02", "parties": {"设计单位": "市建筑设计研究院"}},
         "reason": "编号误读为引用的图号"}]})

    title: str | None = Field(default=None, min_length=1, max_length=500)
    doc_date: dt.date | None = None
    number: str | None = Field(default=None, max_length=100)
    amount: float | None = Field(default=None, ge=-1e15, le=1e15)
    parties: dict[Annotated[str, Field(min_length=1, max_length=32)],
                  Annotated[str, Field(max_length=200)]] | None = Field(default=None, max_length=20)
    retention: str | None = Field(default=None, max_length=16, description="保管期限: 永久, 30年, 10年")
    secrecy: str | None = Field(default=None, max_length=16, description="密级: 公开, 内部, 秘密, 机密")


class EditRequest(Schema):
    model_config = ConfigDict(extra="forbid")

    changes: DocumentEdit
    reason: str = Field(min_length=1, max_length=500)


class EditReport(Schema):
    id: str
    changed: dict[str, list[object]] = Field(default_factory=dict, description="field → [before, after]")
