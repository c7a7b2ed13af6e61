"""The document as the outside world sees it: extracted fields, classification, history.

These are API/CLI shapes, not storage records. The catalog (``core.catalog``) and the pipeline's
Haystack ``Document`` are mapped into them in ``core`` at the boundary.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from schemas.base import Schema
from schemas.timestamps import UtcDateTime


class ExtractedFields(Schema):
    """Fields read out of a document's text. Every field may be missing; nothing is guessed."""

    project_name: str | None = Field(default=None, description="工程名称 / 项目名称")
    number: str | None = Field(default=None, description="编号 / 文号 / 表号")
    date: dt.date | None = Field(default=None, description="the document's own date (签发/验收/编制日期)")
    dates: list[dt.date] = Field(default_factory=list, description="every date found, in text order")
    amount: float | None = Field(default=None, description="the main amount in 元 (合同价, 变更金额, …)")
    amounts: list[float] = Field(default_factory=list, description="every amount found, in 元")
    parties: dict[str, str] = Field(default_factory=dict, description="role (建设单位, 施工单位, …) → name")
    drawing_number: str | None = Field(default=None, description="图号 for drawings")
    revision: str | None = Field(default=None, description="版本 / 修改号 for drawings")


class Candidate(Schema):
    """One place a document could be filed, with why: the archivist picks among these in review."""

    class_code: str | None = Field(default=None, description="sub-class (C2, E1, D); None = 不归类")
    item_code: str | None = None
    doc_type: str | None = None
    score: float = Field(default=0.0, description="rules' evidence and the learned model's share, 0–1")
    reasons: list[str] = Field(default_factory=list)


class Classification(Schema):
    """Where a document is filed and why. ``class_code`` is the sub-class (C2, E1) or D."""

    class_code: str | None = None
    item_code: str | None = None
    doc_type: str | None = None
    confidence: float = 0.0
    reasons: list[str] = Field(default_factory=list)
    needs_review: bool = True
    candidates: list[Candidate] = Field(
        default_factory=list, description="the best three places to file it, first = the verdict's"
    )
    not_a_project_record: bool = Field(
        default=False, description="a rule found it is no construction-project record: unfiled on purpose"
    )


class EventRecord(Schema):
    at: UtcDateTime
    kind: str
    detail: dict[str, Any] = Field(default_factory=dict)


class ReceiptRecord(Schema):
    at: UtcDateTime
    source: str
    source_path: str
    outcome: str


class DocumentRecord(Schema):
    """``jiandang show``: a document with its fields, filing and history."""

    id: str
    sha256: str
    size: int
    original_name: str
    format: str | None
    project: str | None
    status: str
    quarantine_reason: str | None = None
    title: str | None = None
    pages: int | None = None
    text_chars: int = 0
    text_status: str | None = Field(default=None, description="why a kept document has no or partial text")
    superseded_by: str | None = Field(default=None, description="newer revision of the same 图号 (kept, not replaced)")
    reading: dict[str, Any] = Field(
        default_factory=dict, description="OCR confidence per page, photo EXIF, title block, 竣工图章"
    )
    fields: ExtractedFields = Field(default_factory=ExtractedFields)
    classification: Classification = Field(default_factory=Classification)
    retention: str | None = Field(default=None, description="保管期限 set by an archivist (None: the filing plan's)")
    secrecy: str | None = Field(default=None, description="密级 set by an archivist")
    received_at: UtcDateTime
    receipts: list[ReceiptRecord] = Field(default_factory=list)
    events: list[EventRecord] = Field(default_factory=list)


class StatusReport(Schema):
    queued: int = 0
    processing: int = 0
    done: int = 0
    quarantined: int = 0
    documents: int = 0


class FileClassification(Schema):
    """One line of ``jiandang classify``: a dry-run verdict for a file that is not stored."""

    path: str
    class_code: str | None = None
    item_code: str | None = None
    doc_type: str | None = None
    confidence: float = 0.0
    reasons: list[str] = Field(default_factory=list)
    title: str | None = None
    error: str | None = None
    candidates: list[Candidate] = Field(default_factory=list, description="the best three places, with reasons")


class ClassifyReport(Schema):
    files: list[FileClassification] = Field(default_factory=list)


class ReindexReport(Schema):
    documents: int
    indexed: int
