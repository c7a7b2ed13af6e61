"""What the completeness report needs to know about each document, kept while the document is unchanged.

Why: the report over a project of 10,000 documents took 6 s of CPU (14 s of wall time on a loaded
machine) every time the catalog changed: it loaded every document's text (20 MB), scanned each
text once per checklist condition, ran the field checks over every text, and opened every stored
original. One archivist's correction changes one document, not 10,000. So each document's share
of the work — its trigger terms, its field findings, what its stored original looks like — is
kept here with the stamp it was computed at (``updated_at``, status, sha256, confirmation), and
only documents whose stamp moved are read again; the rest of the report (the checklist lines, the
档号, the counts) is assembled from these in well under a second.

Originals are opened when a document is first seen or changes. A file altered on disk behind the
catalog's back is found by ``jiandang verify`` (the daily fixity slice) and by an uncached report
(``fresh=True``: the CLI, the handover), which examines every document again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from classify.applicability import trigger_terms
from classify.field_checks import FieldChecker
from classify.revisions import CHANGE_ITEMS, check_revisions
from classify.sixing import StoredFile, examine
from core.catalog import Document, DocumentText
from core.catalog.models import Confirmation
from schemas.completeness import Condition, FiledDocument, Finding

_BATCH = 500  # ids per IN (...) when reading the rows of changed documents


@dataclass(frozen=True)
class DocumentFacts:
    stamp: tuple[object, ...]
    stored: StoredFile  # the document (text kept only where the revision checks read it: drawings,
    # changes) and what its original showed when last examined, as the 四性 checks take them
    terms: frozenset[str]  # the checklist conditions' trigger terms its title and text mention
    findings: tuple[Finding, ...]  # the field checks' findings
    revisable: bool  # a drawing or a change: what the revision checks read

    @property
    def document(self) -> FiledDocument:
        return self.stored.document


class FactBook:
    """Per project, each document's ``DocumentFacts``; thread-safe (the page computes in the background)."""

    def __init__(self, conditions: Sequence[Condition], fields: FieldChecker,
                 stored_path: Callable[[str], Path | None]) -> None:
        self._conditions = conditions
        self._fields = fields
        self._stored_path = stored_path
        self._kept: dict[int, dict[str, DocumentFacts]] = {}  # project id → document id → facts
        self._revisions: dict[int, tuple[tuple[object, ...], list[Finding]]] = {}  # project id → (key, findings)
        self._lock = threading.Lock()

    def revisions(self, project_id: int, kept: list[DocumentFacts]) -> list[Finding]:
        """``check_revisions`` over the project's drawings and changes, again only when one of them
        changed (its regexes over their texts were a third of a report after a change).
        """
        revisable = [k for k in kept if k.revisable]
        key = tuple((k.document.id, k.stamp) for k in revisable)
        with self._lock:
            found = self._revisions.get(project_id)
        if found is None or found[0] != key:
            found = (key, check_revisions([k.document for k in revisable]))
            with self._lock:
                self._revisions[project_id] = found
        return list(found[1])

    def documents(self, session: Session, project_id: int, rehash: bool, fresh: bool = False) -> list[DocumentFacts]:
        """The project's documents in arrival order, read again only where changed (all with ``fresh``)."""
        confirmed = set(session.scalars(select(Confirmation.document_id)
                                        .join(Document, Document.id == Confirmation.document_id)
                                        .where(Document.project_id == project_id)))
        stamps = session.connection().execute(  # Core rows: the ORM's per-row work was half this read
            select(Document.id, Document.updated_at, Document.status, Document.sha256)
            .where(Document.project_id == project_id).order_by(Document.received_at, Document.id)).all()
        with self._lock:
            kept = self._kept.get(project_id, {})
        now: dict[str, DocumentFacts] = {}
        stale: dict[str, tuple[object, ...]] = {}
        for doc_id, updated_at, status, sha256 in stamps:
            stamp = (updated_at, status, sha256, doc_id in confirmed, rehash)
            facts = kept.get(doc_id)
            if facts is not None and facts.stamp == stamp and not fresh:
                now[doc_id] = facts
            else:
                stale[doc_id] = stamp
        for row in _changed(session, list(stale)):
            now[row.id] = self._examine(_filed(row, row.id in confirmed), row.sha256, stale[row.id], rehash)
        with self._lock:
            self._kept[project_id] = now
        return [now[doc_id] for doc_id, *_ in stamps]

    def _examine(self, document: FiledDocument, sha256: str, stamp: tuple[object, ...], rehash: bool) -> DocumentFacts:
        revisable = document.class_code == "D" or document.item_code in CHANGE_ITEMS
        file = examine(StoredFile(document, sha256, self._stored_path(sha256)), rehash)
        kept = document if revisable else document.model_copy(update={"text": ""})
        return DocumentFacts(stamp=stamp, stored=StoredFile(kept, sha256, None, file),
                             terms=trigger_terms(self._conditions, document),
                             findings=tuple(self._fields.check([document])), revisable=revisable)


_COLUMNS = (Document.id, Document.sha256, Document.title, Document.original_name, Document.format, Document.size,
            Document.status, Document.quarantine_code, Document.class_code, Document.item_code, Document.doc_type,
            Document.doc_date, Document.fields, DocumentText.content)


def _changed(session: Session, ids: list[str]) -> Iterator:  # type: ignore[type-arg]
    """The full rows, text included, of the documents whose facts are to be worked out again."""
    for start in range(0, len(ids), _BATCH):
        yield from session.execute(select(*_COLUMNS).outerjoin(DocumentText, DocumentText.document_id == Document.id)
                                   .where(Document.id.in_(ids[start:start + _BATCH])))


def _filed(row, confirmed: bool) -> FiledDocument:  # type: ignore[no-untyped-def]
    return FiledDocument(
        id=row.id, title=row.title, original_name=row.original_name, format=row.format, size=row.size,
        status=row.status, quarantine_code=row.quarantine_code, class_code=row.class_code, item_code=row.item_code,
        doc_type=row.doc_type, confirmed=confirmed, doc_date=row.doc_date.isoformat() if row.doc_date else None,
        fields=row.fields or {}, text=row.content or "",
    )
