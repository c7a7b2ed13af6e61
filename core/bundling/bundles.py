"""Wiring the handover: catalog rows → ``schemas.handover`` → ``handover.build_bundle`` → event log.

Core is the only place that knows the catalog, the store of originals, the taxonomy and the
completeness checker; it flattens what the bundle needs into plain request data, so the bundle
builder (``handover/``) stays a pure function of that request and can be tested on its own.
Every exported document gets an ``exported`` event naming the bundle and its 档号.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

import handover
from classify.archival_code import dat28_for
from core.catalog import Catalog, Document, DocumentStatus, Project
from core.catalog.history import record_many
from core.catalog.models import Confirmation
from core.errors import (
    ArchiveError,
    FixityError,
    InputError,
    PathNotFound,
    ProjectNotFound,
    StorageError,
)
from core.filing.filer import Filing
from core.storage.blobstore import BlobStore
from handover.plan import matches_only
from schemas.documents import ExtractedFields
from schemas.handover import (
    FilingPlan,
    HandoverDocument,
    HandoverProject,
    HandoverReport,
    HandoverRequest,
    ReviewStatus,
    TaxonomyItem,
    TaxonomySubClass,
    VerifyBundleReport,
)

logger = logging.getLogger(__name__)

EXPORTED = "exported"
SOFTWARE = "jiandang 0.1.0"


def _review_status(doc: Document, confirmed: set[str]) -> str:
    if doc.status == DocumentStatus.QUARANTINED:
        return ReviewStatus.UNREADABLE
    if doc.id in confirmed:
        return ReviewStatus.CONFIRMED
    return ReviewStatus.NEEDS_REVIEW if doc.needs_review or not doc.class_code else ReviewStatus.FILED


def handover_document(doc: Document, source: Path, confirmed: set[str]) -> HandoverDocument:
    fields = ExtractedFields.model_validate(doc.fields or {})
    return HandoverDocument(
        id=doc.id, sha256=doc.sha256, size=doc.size, original_name=doc.original_name, format=doc.format,
        source=source, title=doc.title, class_code=doc.class_code, item_code=doc.item_code, doc_type=doc.doc_type,
        doc_date=doc.doc_date or fields.date, dates=fields.dates, number=fields.number or fields.drawing_number,
        revision=fields.revision, parties=fields.parties, amount=doc.amount,
        # the catalog's ``pages`` counts sheets for XLSX; only a PDF's page count is a 页数
        pages=doc.pages if doc.format == "pdf" else None,
        confidence=doc.confidence or 0.0, reasons=list(doc.reasons or []),
        review_status=_review_status(doc, confirmed), quarantine_reason=doc.quarantine_reason,
    )


def filing_plan(filing: Filing) -> FilingPlan:
    """The taxonomy's order, names and retention: the checklist's DA/T 28 mapping, else the item's hint.

    The retention comes from the checklist rules themselves (the same ``dat28_for`` the completeness
    report calls), so the plan, and with it the copy, need not wait for the completeness report.
    The taxonomy is the one filing loaded (with the locality override), not a second parse of it.
    """
    taxonomy = filing.taxonomy
    rules = filing.assessor.rules

    def retention(item: Any, subclass: str) -> str | None:
        mapping = dat28_for(rules, item.code, subclass)
        return (mapping.retention if mapping else None) or item.retention_hint

    return FilingPlan(subclasses=[
        TaxonomySubClass(code=sub.code, name=sub.name, items=[
            TaxonomyItem(code=item.code, name=item.name, retention=retention(item, sub.code)) for item in sub.items
        ])
        for sub in taxonomy.subclasses()
    ])


def _completeness(filing: Filing, project: str) -> dict[str, Any] | None:
    """The completeness report for the bundle; ``None`` means "could not be assessed"."""
    try:
        # the bundle's copy step hashes every original against the catalog: no second pass here
        return filing.completeness(project, rehash_originals=False).model_dump(mode="json")
    except ArchiveError as exc:
        logger.warning("completeness of %s could not be assessed for the handover: %s", project, exc.message)
        return None


def _project_facts(project: Project, rows: list[Document], agency: str | None) -> HandoverProject:
    """Name and agency: the catalog's, else what the documents themselves say most often."""
    fields = [ExtractedFields.model_validate(d.fields or {}) for d in rows]
    named = Counter(f.project_name for f in fields if f.project_name)
    owners = Counter(f.parties.get("建设单位") for f in fields if f.parties.get("建设单位"))
    name = project.name if project.name and project.name != project.code else None
    name = name or (named.most_common(1)[0][0] if named else project.code)
    agency = agency or (owners.most_common(1)[0][0] if owners else name)
    return HandoverProject(code=project.code, name=name, agency=agency)


class HandoverWriter:
    """Writes a project's handover bundle from the parts of the archive the service hands it.

    ``agency`` is the configured Source-Organization (``None``: the 建设单位 most documents name).
    """

    def __init__(self, catalog: Catalog, blobs: BlobStore, filing: Filing, agency: str | None) -> None:
        self._catalog = catalog
        self._blobs = blobs
        self._filing = filing
        self._agency = agency

    def write(self, project: str, out: Path, *, zip: bool = False, only: list[str] | None = None,
              asset: str | None = None, eep: bool = False) -> HandoverReport:
        """Write the bundle and record one ``exported`` event per document.

        The completeness report is assessed by the builder while the originals copy (it reads only
        the catalog and the files' ends), so it adds nothing to the export's time on a large project.
        """
        request = self.request(project, out, zip=zip, only=only, asset=asset, eep=eep)
        if request.only and not any(matches_only(d, request.only) for d in request.documents):
            raise InputError(f"--only {','.join(request.only)} selects no document of project {project!r}")
        try:
            report = handover.build_bundle(request, assess_completeness=lambda: _completeness(self._filing, project))
        except handover.OutputExists as exc:
            raise InputError(exc.message, **exc.subject) from exc
        except (handover.OriginalMissing, handover.OriginalDamaged) as exc:
            raise FixityError(exc.message, **exc.subject) from exc
        except (handover.HandoverError, OSError) as exc:
            raise StorageError(f"handover of {project} failed: {exc}") from exc
        at = datetime.now(UTC).isoformat()
        with self._catalog.session() as session:
            record_many(session, EXPORTED, {doc_id: {"bundle": report.path, "archive_code": code, "exported_at": at}
                                            for doc_id, code in report.archive_codes.items()})
        return report

    def request(self, project: str, out: Path, *, zip: bool = False, only: list[str] | None = None,
                asset: str | None = None, eep: bool = False) -> HandoverRequest:
        """Everything the bundle needs from the catalog, except the completeness report (see ``write``)."""
        with self._catalog.session() as session:
            row = session.scalar(select(Project).where(Project.code == project))
            if row is None:
                raise ProjectNotFound(f"no project with code {project!r}", project=project)
            docs = list(session.scalars(select(Document).where(Document.project_id == row.id).order_by(Document.id)))
            confirmed = set(session.scalars(select(Confirmation.document_id)
                                            .join(Document, Document.id == Confirmation.document_id)
                                            .where(Document.project_id == row.id)))
            documents = [handover_document(d, self._blobs.path_for(d.sha256), confirmed) for d in docs]
            facts = _project_facts(row, docs, self._agency)
            as_of = max((d.updated_at for d in docs), default=None)
        if not documents:
            raise InputError(f"project {project!r} has no documents to hand over", project=project)
        if as_of is not None and as_of.tzinfo is None:
            as_of = as_of.replace(tzinfo=UTC)
        return HandoverRequest(
            project=facts, documents=documents, plan=filing_plan(self._filing), out=out, zip=zip,
            only=[c.strip() for c in only if c.strip()] if only else None, asset=asset, eep=eep,
            archival_code=self._filing.assessor.rules.archival_code,  # the same scheme completeness uses
            catalog_as_of=as_of, processes=min(2, os.cpu_count() or 1), software=SOFTWARE,
        )


def check_bundle(path: Path) -> VerifyBundleReport:
    if not path.exists():
        raise PathNotFound(f"no such bundle: {path}", path=str(path))
    try:
        return handover.verify_bundle(path, processes=min(2, os.cpu_count() or 1))
    except handover.BundleNotFound as exc:
        raise InputError(exc.message, **exc.subject) from exc
