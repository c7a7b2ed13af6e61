"""档号 of every document of a project, as the handover bundle assigns them — kept while nothing changes.

The grouping into 案卷 and the numbering are not repeated here: ``handover.plan.plan_volumes`` does
it for the bundle and for this view, with the filing plan and the 档号 rule the service hands in
(the same ones the bundle gets). What this module adds is speed for pages: the plan of a project
of 10,000 documents costs tens of milliseconds, so it is kept per project and made again only
when the project's documents changed (their count, their newest ``updated_at`` or the project's
code — every move, edit, re-filing and arrival touches one of them).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select

from core.catalog import Catalog, Document, Project
from handover.plan import Volume, plan_volumes
from schemas.completeness import ArchivalCodeRule
from schemas.handover import FilingPlan, HandoverDocument
from schemas.projects import ProjectKind

PlanSource = Callable[[], tuple[FilingPlan, ArchivalCodeRule]]
KEPT_PROJECTS = 16


@dataclass(frozen=True)
class Lite:
    """The columns a list needs to filter and order a project's documents without the catalog."""

    id: str
    title: str
    class_code: str | None
    item_code: str | None
    doc_type: str | None
    doc_date: date | None
    status: str
    needs_review: bool
    received_at: datetime
    retention: str | None


@dataclass
class ProjectFiling:
    """One project's volumes in 档号 order, and every document's place in them."""

    code: str
    name: str
    volumes: list[Volume]
    order: list[Lite] = field(default_factory=list)  # documents in 档号 order
    codes: dict[str, tuple[str, Volume, int, str | None]] = field(default_factory=dict)  # id → (档号, 卷, 件号, 期限)


_COLUMNS = (Document.id, Document.title, Document.original_name, Document.class_code, Document.item_code,
            Document.doc_type, Document.doc_date, Document.status, Document.needs_review, Document.received_at,
            Document.retention, Document.pages, Document.format, Document.size)


class ArchiveTree:
    """The service's one instance; thread-safe (pages are served from a thread pool)."""

    def __init__(self, catalog: Catalog, plan_source: PlanSource) -> None:
        self._catalog = catalog
        self._plan_source = plan_source
        self._kept: OrderedDict[int, tuple[tuple[object, ...], ProjectFiling]] = OrderedDict()
        self._lock = threading.Lock()

    def filing(self, project_code: str) -> ProjectFiling | None:
        """The project's filing, or None for an unknown code."""
        with self._catalog.session() as session:
            row = session.execute(select(Project.id, Project.code, Project.name, Project.kind)
                                  .where(Project.code == project_code)).first()
            if row is None:
                return None
            project_id, code, name, kind = row
            stamp = (code, *session.execute(select(func.count(), func.max(Document.updated_at))
                                            .where(Document.project_id == project_id)).one())
            with self._lock:
                kept = self._kept.get(project_id)
                if kept is not None and kept[0] == stamp:
                    self._kept.move_to_end(project_id)
                    return kept[1]
            rows = session.execute(select(*_COLUMNS).where(Document.project_id == project_id)).all()
        built = self._build(code, name or code, rows, tray=kind == ProjectKind.TRAY)
        with self._lock:
            self._kept[project_id] = (stamp, built)
            while len(self._kept) > KEPT_PROJECTS:
                self._kept.popitem(last=False)
        return built

    def _build(self, code: str, name: str, rows: list, tray: bool) -> ProjectFiling:  # type: ignore[type-arg]
        """A tray (INBOX) is not filed: its documents get no 档号 and are listed newest first."""
        lites: dict[str, Lite] = {}
        documents = []
        for r in rows:
            lites[r.id] = Lite(r.id, r.title or r.original_name, r.class_code, r.item_code, r.doc_type, r.doc_date,
                               r.status, bool(r.needs_review), r.received_at, r.retention)
            # only what plan_volumes reads; model_construct skips validation (10,000 rows: ms, not 100s of ms)
            documents.append(HandoverDocument.model_construct(
                id=r.id, class_code=r.class_code, item_code=r.item_code, doc_date=r.doc_date,
                original_name=r.original_name, pages=r.pages if r.format == "pdf" else None, size=r.size,
                retention=r.retention))
        if tray:
            order = sorted(lites.values(), key=lambda x: (x.received_at, x.id), reverse=True)
            return ProjectFiling(code=code, name=name, volumes=[], order=order)
        plan, rule = self._plan_source()
        volumes = plan_volumes(code, name, documents, plan, rule)
        filing = ProjectFiling(code=code, name=name, volumes=volumes)
        for volume in volumes:
            for planned in volume.documents:
                filing.order.append(lites[planned.doc.id])
                filing.codes[planned.doc.id] = (planned.archive_code, volume, planned.item_no, planned.retention)
        return filing
