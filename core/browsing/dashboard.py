"""The home page's numbers: what arrived, what waits for a person, what left the archive.

Every count is one pass over the documents table (sums of CASE expressions, portable to SQLite
and PostgreSQL), with month and day bounds in the archive's local time converted to UTC first, so
"today" and "this month" mean Beijing's, as people expect.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import and_, case, func, select

from core.browsing.statistics import CLASS_LETTER, month_bucket
from core.catalog import Catalog, Document, DocumentStatus, Project
from core.messages import LocalClock
from core.security.audit import AuditLog
from schemas.projects import ProjectKind
from schemas.workbench import Count, Dashboard, ExportNote, WatchNote

EXPORT_DONE = "export.done"


def _when(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def dashboard(catalog: Catalog, clock: LocalClock, audit: AuditLog, class_names: dict[str, str],
              default_tray: str, watching: list[WatchNote]) -> Dashboard:
    today = clock.today()
    today_start = clock.start_of(today)
    week_start = clock.start_of(today - timedelta(days=today.weekday()))
    months = clock.last_months(12)
    arrived = Document.received_at
    columns = [
        func.count(Document.id),
        _when(and_(Document.status == DocumentStatus.PROCESSED,
                   (Document.needs_review.is_(True)) | (Document.class_code.is_(None)), Project.kind == ProjectKind.PROJECT)),
        _when(Document.status == DocumentStatus.QUARANTINED),
        _when(arrived >= today_start),
        _when(arrived >= week_start),
        _when(Project.code == default_tray),
    ]
    bucket = month_bucket(arrived, [start for _label, start, _end in months] + [months[-1][2]])
    with catalog.session() as session:
        total, review, quarantined, today_n, week_n, tray = session.execute(
            select(*columns).select_from(Document).join(Project, Project.id == Document.project_id)).one()
        monthly = dict(session.execute(select(bucket, func.count()).where(arrived >= months[0][1])
                                       .group_by(bucket)).all())
        per_month = [monthly.get(index, 0) for index in range(len(months))]
        projects = session.scalar(select(func.count()).select_from(Project)
                                  .where(Project.kind == ProjectKind.PROJECT)) or 0
        letters = session.execute(select(CLASS_LETTER, func.count())
                                  .where(Document.class_code.is_not(None))
                                  .group_by(CLASS_LETTER)).all()
    per_class = [Count(key=letter, label=class_names.get(letter, letter), count=n) for letter, n in sorted(letters)]
    return Dashboard(
        documents=total or 0, projects=projects, waiting_in_trays=tray or 0, arrivals_today=today_n or 0,
        arrivals_week=week_n or 0, needs_review=review or 0, quarantined=quarantined or 0, per_class=per_class,
        per_month=[Count(key=label, label=f"{int(label[5:])}月", count=n or 0)
                   for (label, _s, _e), n in zip(months, per_month, strict=True)],
        recent_exports=recent_exports(audit, clock), watching=watching,
    )


def recent_exports(audit: AuditLog, clock: LocalClock, limit: int = 5) -> list[ExportNote]:
    notes = []
    for entry in audit.page(action=EXPORT_DONE, limit=limit).items:
        detail = entry.detail
        notes.append(ExportNote(at=clock.format(entry.at), who=entry.actor, project=entry.target,
                                documents=detail.get("documents"), file=detail.get("file")))
    return notes

