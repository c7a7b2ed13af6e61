"""Moving documents into another project (or back to a tray): the fix for an upload filed wrong.

A move changes nothing but the document's project: the original, its filing and its fields stay.
Its 档号 follows by itself (it is derived from the project's filing), and the search index is
written again because it holds the project code. Each moved document gets a ``moved`` event
naming where from, where to, why and who.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from core.catalog import Document
from core.catalog.history import now, record
from core.catalog.lookups import find_document
from core.projects.book import MOVED, find_project
from schemas.projects import MoveReport


def move(session: Session, doc_ids: list[str], to_code: str, who: str, reason: str | None) -> MoveReport:
    """Move each document (id or unique prefix) into ``to_code``; unknown ids refuse the whole move."""
    target = find_project(session, to_code)
    documents = [find_document(session, doc_id) for doc_id in dict.fromkeys(doc_ids)]
    report = MoveReport(to=target.code)
    stamp = now()
    for doc in documents:
        if doc.project_id == target.id:
            report.unchanged.append(doc.id)
            continue
        source = doc.project.code
        doc.project_id, doc.project = target.id, target
        doc.updated_at, doc.indexed_at = stamp, None
        record(session, doc.id, MOVED, **{"from": source, "to": target.code, "reason": reason or None, "who": who})
        report.moved.append(doc.id)
    return report


def mark_for_index(session: Session, project_id: int) -> None:
    """Every document of the project is written to the index again (its project code changed)."""
    session.execute(update(Document).where(Document.project_id == project_id).values(indexed_at=None))
