"""The dashboard's counts: per class, arrivals today / this week / per month, review queue, quarantine.

Two aggregate queries over the documents table (one grouped by class, one of conditional sums
over arrival-time ranges), plain SQL that any engine runs; period boundaries are the server's
local calendar turned into UTC instants, because arrival times are stored in UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

from sqlalchemy import and_, case, func, or_, select

from core.catalog import Catalog, Document, DocumentStatus, Project
from core.errors import ProjectNotFound
from schemas.dashboard import Dashboard, MonthCount

MONTHS = 12


def _local_midnight_utc(day: date) -> datetime:
    """The UTC instant at which ``day`` starts on this server's local calendar."""
    return datetime(day.year, day.month, day.day).astimezone().astimezone(UTC)


def _month_starts(today: date) -> list[date]:
    """The first days of the last ``MONTHS`` months, oldest first, and of the month after them."""
    year, month = today.year, today.month
    starts = []
    for _ in range(MONTHS):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    starts.reverse()
    last = starts[-1]
    starts.append(date(last.year + (last.month == 12), last.month % 12 + 1, 1))
    return starts


def dashboard(catalog: Catalog, project: str | None, generation: int, today: date | None = None) -> Dashboard:
    today = today or datetime.now().astimezone().date()
    week_start = today - timedelta(days=today.weekday())
    months = _month_starts(today)
    bounds = [_local_midnight_utc(day) for day in months]
    arrived = Document.received_at

    def counted(condition):  # type: ignore[no-untyped-def]
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    with catalog.session() as session:
        scope = []
        if project is not None:
            project_id = session.scalar(select(Project.id).where(Project.code == project))
            if project_id is None:
                raise ProjectNotFound(f"no project {project!r} in the archive", project=project)
            scope = [Document.project_id == project_id]
        processed = Document.status == DocumentStatus.PROCESSED
        columns = [
            func.count(),
            counted(arrived >= _local_midnight_utc(today)),
            counted(arrived >= _local_midnight_utc(week_start)),
            counted(and_(processed, or_(Document.needs_review.is_(True), Document.class_code.is_(None)))),
            counted(Document.status == DocumentStatus.QUARANTINED),
            *[counted(and_(arrived >= start, arrived < end)) for start, end in pairwise(bounds)],
        ]
        totals = session.execute(select(*columns).select_from(Document).where(*scope)).one()
        letter = func.substr(Document.class_code, 1, 1)
        classes = session.execute(
            select(letter, func.count()).select_from(Document).where(processed, *scope).group_by(letter)
        ).all()
    documents, today_count, week_count, review, quarantined, *per_month = (int(v or 0) for v in totals)
    return Dashboard(
        project=project, documents=documents, by_class={code or "": n for code, n in classes},
        arrivals_today=today_count, arrivals_this_week=week_count, review_queue=review, quarantined=quarantined,
        arrivals_by_month=[MonthCount(month=f"{start:%Y-%m}", documents=n)
                           for start, n in zip(months, per_month, strict=False)],
        today=today, generation=generation, computed_at=datetime.now(UTC),
    )
