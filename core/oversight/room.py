"""The oversight room: auditors' view of a project's money chain and red flags, over the catalog.

Every view goes on the audit trail (纪检监察 must see who looked at which project's findings).
Facts come from ``oversight_documents`` (read once per document, see ``store``); the rules are the
shipped ones unless the archive has a locality file: ``oversight.yaml`` in the archive home, or the
file named by ``JIANDANG_OVERSIGHT_RULES`` — its ``checks:`` block overrides check parameters and
severities, ``reading:`` the document kinds and labels, ``holidays:`` names a holiday file.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select

from core.catalog import Catalog, Document, DocumentText, Project
from core.errors import ConfigError, DocumentNotFound
from core.oversight.corrections import Corrections
from core.oversight.store import FactStore
from core.security.audit import AuditLog
from oversight.across import overview
from oversight.checks import load_checks
from oversight.datafiles import DataFileError, load_yaml
from oversight.report import Rulebook, oversee
from oversight.rules import load_reading_rules
from oversight.workdays import WorkCalendar
from schemas.oversight import (
    AgencyOverview,
    Correction,
    DocumentFacts,
    OversightDetail,
    OversightReport,
    ProjectFacts,
)

RULES_FILE = "oversight.yaml"
RULES_ENV = "JIANDANG_OVERSIGHT_RULES"


class OversightAction:
    """Audit-trail action names of the oversight room."""

    VIEW = "oversight.view"
    FACTS = "oversight.facts"
    AGENCY = "oversight.agency"
    EVIDENCE = "oversight.evidence"
    CORRECT = "oversight.correct"
    EXPORT = "oversight.export"


def locality_file(home: Path) -> Path | None:
    configured = os.environ.get(RULES_ENV)
    if configured:
        return Path(configured).expanduser()
    candidate = home / RULES_FILE
    return candidate if candidate.is_file() else None


def load_rulebook(path: Path | None) -> Rulebook:
    """The shipped rules, or those with a locality's file merged on; a bad file is a ConfigError."""
    if path is None:
        return Rulebook.shipped()
    try:
        local = load_yaml(path) or {}
        holidays = local.get("holidays")
        calendar = WorkCalendar.load(override=(path.parent / holidays) if holidays else None)
        return Rulebook(load_reading_rules(local=local.get("reading")), load_checks(path), calendar)
    except DataFileError as exc:
        raise ConfigError(f"oversight rules {path}: {exc}", path=str(path)) from exc


class OversightRoom:
    """``ArchiveService.oversight``: facts, report, agency scan, corrections, 审计底稿."""

    def __init__(self, catalog: Catalog, audit: Callable[[], AuditLog], home: Path) -> None:
        self.catalog = catalog
        self._audit = audit
        self.rulebook = load_rulebook(locality_file(home))
        self.store = FactStore(catalog, self.rulebook.reading)
        self.corrections = Corrections(catalog, self.rulebook.reading)

    def _record(self, who: str | None, action: str, target: str | None, **detail: Any) -> None:
        if who is not None:
            self._audit().append(who, action, target, **detail)

    def refresh(self, ids: list[str] | None = None) -> int:
        """Read the facts of new or changed documents (ingest calls this for what it took in)."""
        return self.store.refresh(ids=ids)

    def facts(self, project: str, who: str | None) -> ProjectFacts:
        """Every fact of the project with its evidence and corrections (issue 18 builds on this)."""
        detail = self._detail(project)
        self._record(who, OversightAction.FACTS, project, documents=len(detail.facts.documents))
        return detail.facts

    def _detail(self, project: str) -> OversightDetail:
        project_id = self.store.project_id(project)
        documents = self.store.documents(project)
        corrections = self.corrections.of_project(project_id, project)
        with self.catalog.session() as session:
            name = session.scalar(select(Project.name).where(Project.id == project_id))
        return oversee(project, documents, corrections, self.rulebook, name=name)

    def detail(self, project: str, who: str | None) -> OversightDetail:
        detail = self._detail(project)
        self._record(who, OversightAction.VIEW, project, flags=len(detail.report.flags))
        return detail

    def report(self, project: str, who: str | None) -> OversightReport:
        return self.detail(project, who).report

    def agency(self, who: str | None) -> AgencyOverview:
        """Every project's flags, splitting across projects (C10) and the per-contractor view."""
        grouped = self.store.all_documents()
        with self.catalog.session() as session:
            projects = dict(session.execute(select(Project.code, Project.id)).all())
            names = dict(session.execute(select(Project.code, Project.name)).all())
        corrections = self.corrections.by_project()
        details = {
            code: oversee(code, docs, [Corrections.as_model(row, code) for row in corrections.get(projects[code], [])],
                          self.rulebook, name=names.get(code))
            for code, docs in grouped.items()
        }
        result = overview(details, self.rulebook.checks)
        self._record(who, OversightAction.AGENCY, None, projects=result.projects, flags=len(result.flags))
        return result

    def correct(self, project: str, document_id: str | None, name: str, value: Any, reason: str,
                who: str) -> Correction:
        """Override an extracted value (or a ledger line) with a reason; audited; nothing is erased."""
        project_id = self.store.project_id(project)
        correction = self.corrections.add(project_id, project, document_id, name, value, reason, who)
        self._record(who, OversightAction.CORRECT, project, document_id=document_id, name=name,
                     value=str(correction.value), reason=reason, correction_id=correction.id)
        return correction

    def evidence(self, project: str, document_id: str, who: str | None) -> tuple[DocumentFacts, str, str]:
        """One document's facts, stored text and name, for showing the passages in place."""
        detail = self._detail(project)
        facts = next((doc for doc in detail.facts.documents if doc.document_id == document_id), None)
        with self.catalog.session() as session:
            row = session.execute(
                select(Document.original_name, Document.title, DocumentText.content)
                .outerjoin(DocumentText, DocumentText.document_id == Document.id)
                .where(Document.id == document_id, Document.project_id == self.store.project_id(project))
            ).first()
        if row is None:
            raise DocumentNotFound(f"项目 {project} 中没有文件 {document_id}", doc_id=document_id)
        if facts is None:
            facts = DocumentFacts(document_id=document_id, title=row.title, kind="other", kind_name="其他")
        self._record(who, OversightAction.EVIDENCE, document_id, project=project)
        return facts, row.content or "", row.title or row.original_name

    def titles(self, project: str | None) -> dict[str, str]:
        """Document id → the name people know it by (its title, else its file name); None: every project."""
        query = select(Document.id, Document.title, Document.original_name)
        if project is not None:
            query = query.join(Project, Project.id == Document.project_id).where(Project.code == project)
        with self.catalog.session() as session:
            rows = session.execute(query).all()
        return {doc_id: title or name for doc_id, title, name in rows}

    def workpaper(self, project: str, target: Path | BinaryIO, who: str | None) -> None:
        """Write the project's 审计底稿 (XLSX: 资金链台账, 变更签证, 疑点清单, 合同, 事实与出处, 绩效指标) to a
        file or a stream; audited.
        """
        from oversight.workpaper import write_workpaper  # openpyxl and numpy: 0.4 s of serve's start-up

        detail = self._detail(project)
        write_workpaper(detail, target, self.titles(project))
        where = str(target) if isinstance(target, Path) else "download"
        self._record(who, OversightAction.EXPORT, project, path=where, flags=len(detail.report.flags))
