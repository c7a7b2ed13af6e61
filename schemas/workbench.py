"""What the workbench's overview pages show: the dashboard, 统计报表, 利用记录 and the readable audit trail.

Counts and labels only; every time is already in the archive's local time zone as text
(``2026-12-07 09:30``), because these shapes exist to be read by people.
"""

from __future__ import annotations

from pydantic import Field

from schemas.base import Schema


class Count(Schema):
    """One bar of a chart or one row of a table: a label and how many."""

    key: str
    label: str
    count: int


class ExportNote(Schema):
    at: str
    who: str
    project: str | None = None
    documents: int | None = None
    file: str | None = None


class WatchNote(Schema):
    path: str
    queued: int = 0
    processing: int = 0
    done: int = 0
    quarantined: int = 0


class Dashboard(Schema):
    documents: int = 0
    projects: int = 0
    waiting_in_trays: int = Field(default=0, description="documents in INBOX waiting to be filed")
    arrivals_today: int = 0
    arrivals_week: int = 0
    needs_review: int = 0
    quarantined: int = 0
    per_class: list[Count] = Field(default_factory=list)
    per_month: list[Count] = Field(default_factory=list, description="arrivals in each of the last 12 months")
    recent_exports: list[ExportNote] = Field(default_factory=list)
    watching: list[WatchNote] = Field(default_factory=list)


class UsageRecord(Schema):
    """利用记录: one view, preview or download of a document, from the audit trail."""

    at: str
    who: str
    action: str
    via: str | None = None


class UsagePage(Schema):
    total: int
    limit: int
    offset: int
    items: list[UsageRecord] = Field(default_factory=list)


class StatisticsReport(Schema):
    by_project: list[Count] = Field(default_factory=list)
    by_class: list[Count] = Field(default_factory=list)
    by_year: list[Count] = Field(default_factory=list)
    by_retention: list[Count] = Field(default_factory=list)
    months: list[str] = Field(default_factory=list, description="the last 12 months, oldest first (YYYY-MM)")
    searches: list[int] = Field(default_factory=list, description="searches in each month")
    downloads: list[int] = Field(default_factory=list, description="downloads and previews of originals per month")
    views: list[int] = Field(default_factory=list, description="document pages viewed per month")


class AuditRow(Schema):
    """One audit entry as an auditor reads it: no JSON, no server paths, local time, Chinese."""

    seq: int
    at: str
    actor: str
    action: str
    action_code: str
    document_id: str | None = None
    document_title: str | None = None
    archive_code: str | None = None
    target: str | None = None
    summary: str = ""
    address: str | None = None


class AuditView(Schema):
    total: int
    limit: int
    offset: int
    items: list[AuditRow] = Field(default_factory=list)


class HistoryRow(Schema):
    """One line of a document's history on its page."""

    at: str
    action: str
    detail: str = ""
