"""The archivist's desk for records: each change under the writer lock, then the index follows.

The service hands out one ``ProjectDesk``; the CLI and the API call it and write the audit entry
(with the client's address) themselves, as they do for every other change.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from sqlalchemy import select

from core.catalog import Catalog, Project
from core.catalog.history import record
from core.catalog.lookups import find_document
from core.errors import InputError
from core.projects import book, bulk, edits, moves
from core.settings import Settings
from core.storage.locks import writer_lock
from schemas.projects import (
    BulkReport,
    DocumentEdit,
    EditReport,
    MergeReport,
    MoveReport,
    NewProject,
    ProjectChange,
    ProjectKind,
)

if TYPE_CHECKING:  # the index is handed in; importing it would load the search engines
    from core.indexing.search_index import SearchIndex
    from schemas.api import ProjectSummary  # the summaries are made by the caller's ``summaries``

NOT_ARCHIVE = "NOT-ARCHIVE"  # the tray of files an archivist judged not to be archive documents
NOT_ARCHIVE_NAME = "非档案文件"
DISMISSED = "dismissed"


class ProjectDesk:
    def __init__(self, catalog: Catalog, settings: Settings, index: SearchIndex,
                 summaries: Callable[[], list[ProjectSummary]], retentions: Collection[str],
                 secrecy_levels: Collection[str],
                 writer: Callable[[], AbstractContextManager[None]] | None = None) -> None:
        """``writer``: the archive's writer lock (the service's: the home's lock file, or PostgreSQL's
        advisory lock when several nodes share the catalog); by default the home's lock file.
        """
        self._catalog = catalog
        self._writer = writer or (lambda: writer_lock(settings.home))
        self._settings = settings
        self._index = index
        self._summaries = summaries
        self._retentions = retentions
        self._secrecy = secrecy_levels

    # --- reading -----------------------------------------------------------------------------
    def summary(self, code: str) -> ProjectSummary:
        """One project with its counts; a code that does not exist is refused with a suggestion."""
        found = next((p for p in self._summaries() if p.code == code), None)
        if found is None:
            self.require(code)  # raises, naming the nearest codes
            raise AssertionError("unreachable")
        return found

    def require(self, code: str) -> str:
        """The code, if such a project or tray exists; else ``ProjectNotFound`` with a suggestion."""
        with self._catalog.session() as session:
            return book.find_project(session, code).code

    def exists(self, code: str) -> bool:
        with self._catalog.session() as session:
            return session.scalar(select(Project.id).where(Project.code == code)) is not None

    def is_tray(self, code: str) -> bool:
        with self._catalog.session() as session:
            return book.find_project(session, code).kind == ProjectKind.TRAY

    @staticmethod
    def ensure_trays(catalog: Catalog, default_project: str) -> None:
        """INBOX (``default_project``) is a tray from the first start on (written only when it is not)."""
        with catalog.session() as session:
            kind = session.scalar(select(Project.kind).where(Project.code == default_project))
        if kind != ProjectKind.TRAY:
            with catalog.session() as session:
                book.ensure_tray(session, default_project)

    # --- changing ----------------------------------------------------------------------------
    def add(self, new: NewProject, who: str) -> ProjectSummary:
        with self._catalog.session() as session:
            book.add(session, new, who)
        return self.summary(new.code)

    def change(self, code: str, wanted: ProjectChange, who: str) -> tuple[ProjectSummary, dict[str, list[object]]]:
        with self._writer():
            with self._catalog.session() as session:
                project, changed = book.change(session, code, wanted, who)
                if "code" in changed:
                    moves.mark_for_index(session, project.id)
                new_code = project.code
            if "code" in changed:
                self._index.indexer().index_pending()
        return self.summary(new_code), changed

    def merge(self, source: str, target: str, who: str) -> MergeReport:
        with self._writer():
            with self._catalog.session() as session:
                ids, kept = book.merge(session, source, target, who)
            self._index.indexer().index_pending()
        return MergeReport(source=source, target=target, moved=len(ids), source_kept=kept)

    def move(self, doc_ids: list[str], to: str, who: str, reason: str | None = None) -> MoveReport:
        if not doc_ids:
            raise InputError("no document to move", documents="")
        with self._writer():
            with self._catalog.session() as session:
                report = moves.move(session, doc_ids, to, who, reason)
            if report.moved:
                self._index.indexer().index_pending()
        return report

    def bulk(self, action: str, doc_ids: list[str], value: str, reason: str, who: str, *,
             refile: bulk.Refile) -> BulkReport:
        """One action on a selection as one unit of work (``core/projects/bulk.py``): every document
        changed, or none; the index follows only after the commit.
        """
        if not doc_ids:
            raise InputError("tick at least one document", documents="")
        with self._writer():
            with self._catalog.session() as session:
                report = bulk.apply(session, action, doc_ids, value, reason, who, refile=refile,
                                    retentions=self._retentions, secrecy_levels=self._secrecy)
            if report.done:
                self._index.indexer().index_pending()
        return report

    def dismiss(self, doc_id: str, who: str, reason: str | None = None) -> MoveReport:
        """"Not an archive document": out of its project into the NOT-ARCHIVE tray (kept, never deleted)."""
        with self._catalog.session() as session:
            if session.scalar(select(Project.id).where(Project.code == NOT_ARCHIVE)) is None:
                session.add(Project(code=NOT_ARCHIVE, name=NOT_ARCHIVE_NAME, kind=ProjectKind.TRAY,
                                    created_at=book.now()))
            doc = find_document(session, doc_id)
            record(session, doc.id, DISMISSED, project=doc.project.code, reason=reason or None, who=who)
        return self.move([doc_id], NOT_ARCHIVE, who, reason or NOT_ARCHIVE_NAME)

    def edit(self, doc_id: str, change: DocumentEdit, reason: str, who: str) -> EditReport:
        with self._writer():
            with self._catalog.session() as session:
                report = edits.edit(session, doc_id, change, reason, who, retentions=self._retentions,
                                    secrecy_levels=self._secrecy)
            if report.changed:
                self._index.indexer().index_pending()
        return report
