"""Stored facts: each document is read by the oversight reader once (when it arrives, changes, or
the reader's version changes) and its facts are kept in ``oversight_documents``; every view reads
those rows, never the texts again.

``refresh`` finds what is missing or stale with one query per project (or for the whole archive)
and reads it in bounded chunks. Called after ingest and, as a safety net, before each view, it
costs one indexed query when nothing is new.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import Text, and_, cast, delete, or_, select
from sqlalchemy.exc import IntegrityError

from core.catalog import Catalog, Document, DocumentStatus, DocumentText, Project
from core.catalog.history import now
from core.errors import ProjectNotFound
from core.oversight.tables import OversightDocument
from oversight.reader import EXTRACTOR_VERSION, Source, read_document
from oversight.rules import CompiledRules
from schemas.oversight import DocumentFacts
from schemas.projects import ProjectKind

logger = logging.getLogger(__name__)

CHUNK = 200  # documents read per transaction
# facts come back as the stored JSON text and are parsed once, by pydantic's own (fast) JSON parser
_AS_TEXT = cast(OversightDocument.facts, Text)
MAX_TEXT_CHARS = 400_000  # a longer text is read up to here: facts sit in the first pages of any real form


class FactStore:
    def __init__(self, catalog: Catalog, rules: CompiledRules) -> None:
        self.catalog = catalog
        self.rules = rules

    def project_id(self, code: str) -> int:
        with self.catalog.session() as session:
            found = session.scalar(select(Project.id).where(Project.code == code))
        if found is None:
            raise ProjectNotFound(f"没有项目 {code!r}", project=code)
        return found

    def _stale(self, project_id: int | None, ids: Iterable[str] | None = None) -> list[str]:
        stored = OversightDocument
        query = (
            select(Document.id)
            .outerjoin(stored, stored.document_id == Document.id)
            .where(Document.status == DocumentStatus.PROCESSED)
            .where(or_(stored.document_id.is_(None), stored.version != EXTRACTOR_VERSION,
                       and_(stored.read_at < Document.updated_at)))
        )
        if project_id is not None:
            query = query.where(Document.project_id == project_id)
        if ids is not None:
            query = query.where(Document.id.in_(list(ids)))
        with self.catalog.session() as session:
            return list(session.scalars(query))

    def refresh(self, project: str | None = None, ids: Iterable[str] | None = None) -> int:
        """Read the documents (of one project, or the given ids, or all) whose facts are missing or stale."""
        stale = self._stale(self.project_id(project) if project else None, ids)
        for start in range(0, len(stale), CHUNK):
            self._read_chunk(stale[start : start + CHUNK])
        if stale:
            logger.info("oversight: read facts of %d document(s)", len(stale))
        return len(stale)

    def _read_chunk(self, ids: list[str]) -> None:
        with self.catalog.session() as session:
            rows = session.execute(
                select(Document.id, Document.project_id, Document.title, Document.item_code, DocumentText.content)
                .outerjoin(DocumentText, DocumentText.document_id == Document.id)
                .where(Document.id.in_(ids))
            ).all()
        read = []
        for doc_id, project_id, title, item_code, content in rows:
            facts = read_document(Source(doc_id, title, (content or "")[:MAX_TEXT_CHARS], item_code), self.rules)
            read.append(OversightDocument(document_id=doc_id, project_id=project_id, version=EXTRACTOR_VERSION,
                                          kind=facts.kind, facts=facts.model_dump(mode="json"), read_at=now()))
        try:
            with self.catalog.session() as session:
                session.execute(delete(OversightDocument).where(OversightDocument.document_id.in_(ids)))
                session.add_all(read)
        except IntegrityError:  # another process stored the same documents first; theirs are as good
            logger.debug("oversight facts of %d document(s) were stored by another process", len(ids))

    def documents(self, project: str) -> list[DocumentFacts]:
        """The stored facts of every document of the project the reader recognised."""
        project_id = self.project_id(project)
        self.refresh(project)
        with self.catalog.session() as session:
            rows = session.scalars(
                select(_AS_TEXT).where(OversightDocument.project_id == project_id, OversightDocument.kind != "other")
            ).all()
        return [DocumentFacts.model_validate_json(row) for row in rows]

    def all_documents(self) -> dict[str, list[DocumentFacts]]:
        """Project code → its documents' facts, for the agency-wide scan (every building project, one
        query; trays such as INBOX hold files not yet filed into a project and are left out).
        """
        self.refresh()
        grouped: dict[str, list[DocumentFacts]] = defaultdict(list)
        with self.catalog.session() as session:
            for code in session.scalars(select(Project.code).where(Project.kind == ProjectKind.PROJECT)):
                grouped[code] = []
            rows = session.execute(
                select(Project.code, _AS_TEXT)
                .join(Project, Project.id == OversightDocument.project_id)
                .where(OversightDocument.kind != "other", Project.kind == ProjectKind.PROJECT)
            ).all()
        for code, facts in rows:
            grouped[code].append(DocumentFacts.model_validate_json(facts))
        return grouped
