"""Read-only views of the catalog for the HTTP API and web UI: document lists, projects, originals.

Kept apart from the service so the facade stays a list of delegations. Filters are bound
parameters (never string-built SQL), and the path of an original comes from the catalog's
sha256, never from anything the caller typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import case, func, or_, select

from core.catalog import Catalog, Document, DocumentStatus, Project
from core.errors import DocumentNotFound, FixityError, ProjectNotFound
from core.storage.blobstore import BlobStore
from schemas.api import DocumentPage, DocumentSummary, ProjectSummary

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
    "txt": "text/plain; charset=utf-8",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "tif": "image/tiff",
    "tiff": "image/tiff",
}


@dataclass(frozen=True)
class DocumentFilter:
    project: str | None = None
    class_code: str | None = None
    status: str | None = None
    needs_review: bool | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class Original:
    """Where the bytes of one stored original are, and what to call them when sent."""

    doc_id: str
    path: Path
    name: str
    media_type: str
    size: int


def _summary(doc: Document) -> DocumentSummary:
    return DocumentSummary(
        id=doc.id, title=doc.title, original_name=doc.original_name, project=doc.project.code,
        status=doc.status, format=doc.format, size=doc.size, class_code=doc.class_code,
        item_code=doc.item_code, doc_type=doc.doc_type, confidence=doc.confidence,
        needs_review=bool(doc.needs_review), doc_date=doc.doc_date, received_at=doc.received_at,
    )


def list_documents(catalog: Catalog, flt: DocumentFilter, limit: int = 50, offset: int = 0) -> DocumentPage:
    query = select(Document).join(Project)
    if flt.project:
        query = query.where(Project.code == flt.project)
    if flt.class_code:
        # "C" means the whole class, "C2" the sub-class
        query = query.where(Document.class_code.startswith(flt.class_code, autoescape=True))
    if flt.status:
        query = query.where(Document.status == flt.status)
    if flt.needs_review is not None:
        query = query.where(Document.needs_review.is_(flt.needs_review))
    if flt.date_from:
        query = query.where(Document.doc_date >= flt.date_from)
    if flt.date_to:
        query = query.where(Document.doc_date <= flt.date_to)
    with catalog.session() as session:
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.scalars(
            query.order_by(Document.received_at.desc(), Document.id).limit(limit).offset(offset)
        ).all()
        return DocumentPage(total=total, limit=limit, offset=offset, items=[_summary(d) for d in rows])


def list_projects(catalog: Catalog) -> list[ProjectSummary]:
    with catalog.session() as session:
        rows = session.execute(
            select(
                Project.code, Project.name, func.count(Document.id),
                func.sum(case((Document.needs_review.is_(True), 1), else_=0)),
                func.sum(case((Document.status == DocumentStatus.QUARANTINED, 1), else_=0)),
            ).outerjoin(Document, Document.project_id == Project.id).group_by(Project.id).order_by(Project.code)
        ).all()
    return [ProjectSummary(code=code, name=name, documents=count or 0, needs_review=review or 0,
                           quarantined=quarantined or 0)
            for code, name, count, review, quarantined in rows]


def original(catalog: Catalog, blobs: BlobStore, doc_id: str) -> Original:
    """The stored original of exactly ``doc_id`` (no prefix matching for downloads)."""
    with catalog.session() as session:
        doc = session.get(Document, doc_id)
        if doc is None:
            raise DocumentNotFound(f"no document with id {doc_id!r}", doc_id=doc_id)
        sha, name, fmt, size = doc.sha256, doc.original_name, (doc.format or "").lower(), doc.size
    path = blobs.path_for(sha)
    if not path.is_file():
        raise FixityError(f"the stored original of {doc_id} is missing", doc_id=doc_id)
    return Original(doc_id=doc_id, path=path, name=Path(name).name or doc_id,
                    media_type=MEDIA_TYPES.get(fmt, "application/octet-stream"), size=size)


def review_queue(catalog: Catalog, project: str, limit: int = 50, offset: int = 0) -> DocumentPage:
    """A project's readable documents a person should look at: flagged for review or not filed.

    Least sure first, so an archivist's first minutes go where the classifier guessed most.
    Confirmed documents leave the queue because confirming clears ``needs_review``.
    """
    with catalog.session() as session:
        found = session.scalar(select(Project.id).where(Project.code == project))
        if found is None:
            raise ProjectNotFound(f"no project {project!r} in the archive", project=project)
        query = select(Document).where(
            Document.project_id == found, Document.status == DocumentStatus.PROCESSED,
            or_(Document.needs_review.is_(True), Document.class_code.is_(None)),
        )
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.scalars(query.order_by(Document.confidence, Document.received_at, Document.id)
                               .limit(limit).offset(offset)).all()
        return DocumentPage(total=total, limit=limit, offset=offset, items=[_summary(d) for d in rows])
