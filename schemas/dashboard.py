"""The archive room at a glance: what the dashboard shows (``ArchiveService.dashboard``).

Counts only, computed from the catalog and remembered per catalog generation, so a page can
show it on every view. Days, weeks and months are the server's local calendar (the archive
room's), each period given by its first day.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from schemas.timestamps import UtcDateTime


class MonthCount(BaseModel):
    month: str = Field(description="YYYY-MM, local calendar", examples=["2026-11"])
    documents: int


class Dashboard(BaseModel):
    """Counts for one project, or the whole archive when ``project`` is None."""

    project: str | None = None
    documents: int = Field(description="every document, quarantined ones included")
    by_class: dict[str, int] = Field(
        description="processed documents per class letter (A–E…); '' for documents not filed yet")
    arrivals_today: int
    arrivals_this_week: int = Field(description="since Monday, local calendar")
    review_queue: int = Field(description="processed documents flagged for review or not filed")
    quarantined: int
    arrivals_by_month: list[MonthCount] = Field(description="the last 12 months, oldest first, empty months included")
    today: date = Field(description="the local date the day and week counts refer to")
    generation: int = Field(description="the catalog generation these counts were computed at")
    computed_at: UtcDateTime
