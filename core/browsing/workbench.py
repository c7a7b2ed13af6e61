"""The read side of the web workbench in one object: browse, dashboard, statistics, usage, audit, previews.

The service builds it with what it cannot know by itself (the filing plan and 档号 rule from the
filing room, the class names of the taxonomy, the message catalogue and the local clock) and hands
it out; pages call one method each. Caching lives here and in ``volumes`` (the 档号 plan per
project), never in the web layer.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select

from core.browsing import (
    audit_targets,
    audit_view,
    browse,
    dashboard,
    history_view,
    previews,
    reports,
    statistics,
)
from core.browsing.listing import original, summary_fields
from core.browsing.volumes import ArchiveTree, PlanSource
from core.catalog import Catalog, Document, DocumentStatus, Project
from core.messages import Catalogue, LocalClock
from core.security.audit import AuditLog
from core.storage.blobstore import BlobStore
from schemas.api import DocumentPage, DocumentSummary
from schemas.browsing import BrowsePage, BrowseQuery, FilingTree, Placement, VolumeRow
from schemas.documents import DocumentRecord
from schemas.workbench import AuditView, Dashboard, HistoryRow, StatisticsReport, UsageRecord, WatchNote


class Workbench:
    def __init__(self, catalog: Catalog, blobs: BlobStore, audit: Callable[[], AuditLog], plan_source: PlanSource,
                 class_names: Callable[[], tuple[dict[str, str], dict[str, str]]], catalogue: Catalogue,
                 clock: LocalClock, hidden_trays: tuple[str, ...]) -> None:
        self._catalog = catalog
        self._blobs = blobs
        self._audit = audit
        self._names = class_names
        self.catalogue = catalogue
        self.clock = clock
        self.tree = ArchiveTree(catalog, plan_source)
        self._hidden = hidden_trays  # trays the quarantine desk does not list (NOT-ARCHIVE)

    @property
    def class_names(self) -> dict[str, str]:
        """The taxonomy's classes, A → 工程准备阶段文件 … (for filters and charts)."""
        return self._names()[0]

    # --- browsing ----------------------------------------------------------------------------
    def browse(self, query: BrowseQuery) -> BrowsePage:
        if query.project:
            return browse.browse_project(self._catalog, browse.require_filing(self.tree, query.project), query)
        return browse.browse_all(self._catalog, self.tree, query)

    def filing_tree(self, project: str) -> FilingTree:
        classes, subclasses = self._names()
        return browse.filing_tree(browse.require_filing(self.tree, project), classes, subclasses)

    def volumes(self, project: str, class_code: str | None = None) -> list[VolumeRow]:
        return browse.volume_rows(browse.require_filing(self.tree, project), class_code)

    def placement(self, project: str, doc_id: str) -> Placement:
        return browse.placement(self.tree.filing(project), doc_id)

    def archive_codes(self, project: str) -> dict[str, str]:
        """Every document's 档号 in one project (empty for a tray)."""
        filing = self.tree.filing(project)
        return {doc_id: placed[0] for doc_id, placed in filing.codes.items()} if filing else {}

    def quarantine(self, limit: int = 50, offset: int = 0) -> DocumentPage:
        """Every quarantined file still waiting for a decision, newest first."""
        query = (select(Document).join(Project).where(Document.status == DocumentStatus.QUARANTINED,
                                                      Project.code.not_in(self._hidden)))
        with self._catalog.session() as session:
            total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
            rows = session.scalars(query.order_by(Document.received_at.desc(), Document.id)
                                   .limit(limit).offset(offset)).all()
            items = [DocumentSummary(**summary_fields(d)) for d in rows]
            reasons = {d.id: (d.quarantine_code, d.quarantine_reason) for d in rows}
        for item in items:
            item.doc_type = self.catalogue.name("quarantine_codes", reasons[item.id][0], "无法读取")
        return DocumentPage(total=total, limit=limit, offset=offset, items=items)

    # --- overview ----------------------------------------------------------------------------
    def dashboard(self, default_tray: str, watching: list[WatchNote]) -> Dashboard:
        classes, _ = self._names()
        return dashboard.dashboard(self._catalog, self.clock, self._audit(), classes, default_tray, watching)

    def statistics(self) -> StatisticsReport:
        classes, _ = self._names()
        return statistics.statistics(self._catalog, self.clock, classes)

    def history(self, record: DocumentRecord) -> list[HistoryRow]:
        return history_view.history_rows(record, self.catalogue, self.clock)

    def usage(self, doc_id: str, names: dict[str, str] | None = None, limit: int = 50) -> list[UsageRecord]:
        """利用记录, newest first; ``names``: user name → display name."""
        return statistics.usage(self._catalog, self.clock, self.catalogue, doc_id, names or {}, limit)

    def audit(self, *, actor: str | None = None, action: str | None = None, target: str | None = None,
              date_from: object = None, date_to: object = None, limit: int = 50, offset: int = 0,
              names: dict[str, str] | None = None) -> AuditView:
        """The readable trail, newest first; ``target`` is what a person typed: an id, a title, a file
        name, an 编号 or a 档号 (``audit_targets``), or a project code or user name.
        """
        since, until = self.clock.audit_bounds(date_from, date_to)  # type: ignore[arg-type]
        targets = audit_targets.matching(self._catalog, target, self._project_codes(), self.archive_codes) \
            if target else None
        page = self._audit().page(actor=actor, action=action, targets=targets, since=since, until=until,
                                  limit=limit, offset=offset)
        return audit_view.readable(page, self._catalog, self.catalogue, self.clock, self.archive_codes, names or {})

    def _project_codes(self) -> list[str]:
        with self._catalog.read_session() as session:
            return list(session.scalars(select(Project.code).order_by(Project.code)))

    # --- files for people --------------------------------------------------------------------
    def preview(self, doc_id: str) -> tuple[previews.Preview, Path, str]:
        """The rendered preview of a DOCX, XLSX or text original (and its path and format)."""
        found = original(self._catalog, self._blobs, doc_id)
        fmt = Path(found.name).suffix.lower().lstrip(".")
        return previews.render(found.path, fmt), found.path, fmt

    def statistics_xlsx(self, path: Path) -> None:
        reports.write_workbook(path, reports.statistics_sheets(self.statistics()))

    def audit_xlsx(self, path: Path, view: AuditView) -> None:
        reports.write_workbook(path, [reports.audit_sheet(view)])

    def selection_xlsx(self, path: Path, doc_ids: list[str], link_base: str) -> int:
        rows = self.rows(doc_ids)
        reports.write_workbook(path, [reports.selection_sheet(rows, link_base, self.catalogue.statuses)])
        return len(rows)

    def rows(self, doc_ids: list[str]) -> list:  # type: ignore[type-arg]
        """Browse rows (with 档号) of the given documents, in the given order."""
        with self._catalog.session() as session:
            projects = set(session.scalars(select(Project.code).join(Document).where(Document.id.in_(doc_ids))))
        filings = {code: f for code in projects if (f := self.tree.filing(code)) is not None}
        return browse.rows_for(self._catalog, doc_ids, filings)
