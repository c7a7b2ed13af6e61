"""What the dashboard shows of fixity: the last runs, the daily cycle's progress, open damage.

Read back from the events ``core.fixity.checker`` wrote: run summaries are events without a
document (found through the index on ``document_id``), so this stays cheap however many
documents the archive holds. A problem stays open until the document passes a later check or
is repaired from a backup (``core.backup.repair`` records a ``fixity_repair`` event).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from core.catalog import Catalog, Document, Event
from core.fixity.checker import CHECK_EVENT, RUN_EVENT
from schemas.fixity import FixityProblem, FixityRunSummary, FixityScope, FixityStatus, ProblemKind
from schemas.timestamps import as_utc

REPAIR_EVENT = "fixity_repair"


def _summary(detail: dict[str, Any]) -> FixityRunSummary:
    return FixityRunSummary(
        run_id=detail["run_id"], scope=detail["scope"], finished_at=detail["finished_at"],
        documents=detail["documents"], bytes=detail["bytes"], seconds=detail["seconds"],
        problems=detail.get("problem_count", len(detail.get("problems", []))),
    )


def run_details(catalog: Catalog) -> list[tuple[datetime, dict[str, Any]]]:
    """Every run's summary, oldest first."""
    with catalog.session() as session:
        rows = session.execute(
            select(Event.at, Event.detail).where(Event.document_id.is_(None), Event.kind == RUN_EVENT)
            .order_by(Event.id)
        ).all()
    return [(as_utc(at), detail) for at, detail in rows]


def _settled_since(catalog: Catalog, doc_id: str, since: datetime) -> bool:
    """Has the document passed a check, or been repaired, after ``since``?"""
    with catalog.session() as session:
        rows = session.execute(
            select(Event.at, Event.kind, Event.detail)
            .where(Event.document_id == doc_id, Event.kind.in_((CHECK_EVENT, REPAIR_EVENT)))
        ).all()
    for at, kind, detail in rows:
        if as_utc(at) > since and (kind == REPAIR_EVENT or detail.get("outcome") == "pass"):
            return True
    return False


def fixity_status(catalog: Catalog, cycle_days: int, now: datetime | None = None) -> FixityStatus:
    now = now or datetime.now(UTC)
    runs = run_details(catalog)
    summaries = [_summary(detail) for _, detail in runs]
    by_scope = {scope: [s for s in summaries if s.scope == scope] for scope in FixityScope}
    cutoff = now - timedelta(days=cycle_days)
    days = {day for at, detail in runs if detail.get("scope") == FixityScope.DAILY and at >= cutoff
            for day in detail.get("days", [])}
    latest: dict[str, tuple[datetime, FixityProblem]] = {}
    for at, detail in runs:
        for raw in detail.get("problems", []):
            problem = FixityProblem.model_validate(raw)
            if problem.document_id:
                latest[problem.document_id] = (at, problem)
    damaged = [problem for doc_id, (at, problem) in sorted(latest.items())
               if not _settled_since(catalog, doc_id, at)]
    full_runs = by_scope[FixityScope.ALL]
    stray = ([FixityProblem.model_validate(raw) for raw in runs_detail_of(runs, full_runs[-1].run_id)
              .get("problems", []) if raw.get("kind") == ProblemKind.STRAY] if full_runs else [])
    with catalog.session() as session:
        documents = session.scalar(select(func.count()).select_from(Document)) or 0
    return FixityStatus(
        last_run=summaries[-1] if summaries else None,
        last_full_run=full_runs[-1] if full_runs else None,
        last_daily_run=by_scope[FixityScope.DAILY][-1] if by_scope[FixityScope.DAILY] else None,
        cycle_days=cycle_days, days_covered=len(days), documents=documents, damaged=damaged, stray=stray,
    )


def runs_detail_of(runs: list[tuple[datetime, dict[str, Any]]], run_id: str) -> dict[str, Any]:
    return next(detail for _, detail in reversed(runs) if detail.get("run_id") == run_id)
