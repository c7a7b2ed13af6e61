"""统计报表 and 利用记录: what the archive holds, and how it is used, from the catalog and the audit trail.

Holdings are grouped in the catalog (by project, class, year, 保管期限). Use comes from the audit
trail, which already records every search, document view, preview and download with who and when;
months are the archive's local months, counted in one pass per question.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, extract, func, select

from core.catalog import Catalog, Document, Project
from core.catalog.models import AuditEntry
from core.messages import Catalogue, LocalClock
from schemas.projects import ProjectKind
from schemas.workbench import Count, StatisticsReport, UsageRecord

SEARCH = ("search",)
READS = ("original.download", "document.preview")
VIEWS = ("document.view",)
USE_ACTIONS = (*VIEWS, *READS)

# One expression object for the select and its GROUP BY: PostgreSQL compares them with their bound
# parameters, and two separately built substr(…, 1, 1) calls bind different ones.
CLASS_LETTER = func.substr(Document.class_code, 1, 1)


def statistics(catalog: Catalog, clock: LocalClock, class_names: dict[str, str]) -> StatisticsReport:
    months = clock.last_months(12)
    with catalog.session() as session:
        projects = session.execute(
            select(Project.code, Project.name, func.count(Document.id)).join(Document)
            .where(Project.kind == ProjectKind.PROJECT).group_by(Project.id).order_by(Project.code)).all()
        letters = session.execute(select(CLASS_LETTER, func.count())
                                  .group_by(CLASS_LETTER)).all()
        years = session.execute(select(extract("year", Document.doc_date), func.count())
                                .group_by(extract("year", Document.doc_date))).all()
        retentions = session.execute(select(Document.retention, func.count()).group_by(Document.retention)).all()
        use = _monthly_use(session, clock, months)
    return StatisticsReport(
        by_project=[Count(key=code, label=name or code, count=n) for code, name, n in projects],
        by_class=[Count(key=letter or "X", label=class_names.get(letter, "未归类") if letter else "未归类", count=n)
                  for letter, n in sorted(letters, key=lambda r: (r[0] is None, r[0] or ""))],
        by_year=[Count(key=str(int(year)) if year else "-", label=f"{int(year)}年" if year else "日期不详", count=n)
                 for year, n in sorted(years, key=lambda r: (r[0] is None, r[0] or 0))],
        by_retention=[Count(key=r or "-", label=r or "按归档计划", count=n) for r, n in retentions],
        months=[label for label, _s, _e in months], **use,
    )


def month_bucket(column: Any, bounds: list[Any]) -> Any:
    """A CASE giving the index of the month ``column`` falls in (bounds: each month's start, then the end).

    Grouping by it counts a year of rows in one pass with at most 12 comparisons per row, portable
    to SQLite and PostgreSQL; the bounds are local months' starts in UTC, so the months are local.
    """
    return case(*[(column < bound, index) for index, bound in enumerate(bounds[1:])], else_=None)


def _monthly_use(session: Any, clock: LocalClock, months: list) -> dict[str, list[int]]:  # type: ignore[type-arg]
    """Searches, reads of originals and page views per local month (one grouped pass)."""
    bounds = [clock.audit_text(start) for _label, start, _end in months] + [clock.audit_text(months[-1][2])]
    bucket = month_bucket(AuditEntry.at, bounds)
    rows = session.execute(
        select(AuditEntry.action, bucket, func.count())
        .where(AuditEntry.action.in_((*SEARCH, *READS, *VIEWS)), AuditEntry.at >= bounds[0], AuditEntry.at < bounds[-1])
        .group_by(AuditEntry.action, bucket)).all()
    counts = {"searches": [0] * len(months), "downloads": [0] * len(months), "views": [0] * len(months)}
    for action, index, n in rows:
        if index is not None:
            kind = "searches" if action in SEARCH else "downloads" if action in READS else "views"
            counts[kind][index] += n
    return counts


def usage(catalog: Catalog, clock: LocalClock, catalogue: Catalogue, doc_id: str, names: dict[str, str],
          limit: int = 50) -> list[UsageRecord]:
    """利用记录 of one document, newest first: who viewed, previewed or downloaded it, and when."""
    with catalog.session() as session:
        rows = session.execute(select(AuditEntry.at, AuditEntry.actor, AuditEntry.action, AuditEntry.detail)
                               .where(AuditEntry.target == doc_id, AuditEntry.action.in_(USE_ACTIONS))
                               .order_by(AuditEntry.seq.desc()).limit(limit)).all()
    return [UsageRecord(at=clock.format(at), who=names.get(actor, actor), action=catalogue.action(action),
                        via="网页" if '"ui":true' in detail or '"via":"session"' in detail else "接口")
            for at, actor, action, detail in rows]
