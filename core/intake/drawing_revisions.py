"""Revision chains of drawings: sheets with the same 图号 in one project, oldest revision first.

A newer 版本 supersedes the older sheet but never replaces it: every revision stays stored,
searchable and in the history; the older row only gets ``superseded_by`` pointing at the next
newer revision, and a "superseded" event says when and by which document. Called each time a
document with a drawing number is recorded, so the chain is right whatever order sheets arrive in.

Revision order: numbers numerically ("01" < "2" < "10"), letters alphabetically ("A" < "B"),
numbers before letters when a chain mixes them; sheets without a revision mark come first; ties
are broken by the drawing's date, then by when it arrived.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from itertools import pairwise

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.catalog import Document, DocumentStatus
from core.catalog.history import record

SUPERSEDED = "superseded"
_MARK = re.compile(r"(?:第\s*)?([A-Za-z]*)\s*(\d*)\s*(?:版)?", re.IGNORECASE)


def revision_key(revision: str | None) -> tuple[int, str, int]:
    """Sort key of a 版本/修改号 value (see the module docstring)."""
    if not revision or not revision.strip():
        return (0, "", 0)
    found = _MARK.fullmatch(revision.strip())
    if not found or not (found.group(1) or found.group(2)):
        return (3, revision.strip().upper(), 0)
    letters, digits = found.group(1).upper(), found.group(2)
    number = int(digits) if digits else 0
    return (1, "", number) if not letters else (2, letters, number)


def _order(document: Document) -> tuple[tuple[int, str, int], date, datetime]:
    fields = document.fields or {}
    return (revision_key(fields.get("revision")), document.doc_date or date.min, document.received_at)


def link_revisions(session: Session, document: Document) -> None:
    """Re-link the chain of ``document``'s 图号 in its project (no-op for a document without one)."""
    number = (document.fields or {}).get("drawing_number")
    if not number:
        return
    session.flush()  # a sheet recorded earlier in this transaction (a group commit) is one of them
    # The database picks the sheets with this 图号 (JSON field), not every processed document of
    # the project: loading all of them for each drawing made a drop of drawings quadratic.
    siblings = session.scalars(
        select(Document).where(Document.project_id == document.project_id, Document.status == DocumentStatus.PROCESSED,
                               Document.fields["drawing_number"].as_string() == number)
    ).all()
    chain = sorted({*[d for d in siblings if (d.fields or {}).get("drawing_number") == number], document}, key=_order)
    for older, newer in pairwise(chain):
        if older.superseded_by != newer.id:
            older.superseded_by = newer.id
            record(session, older.id, SUPERSEDED, by=newer.id, drawing_number=number,
                   revision=(older.fields or {}).get("revision"), newer_revision=(newer.fields or {}).get("revision"))
    chain[-1].superseded_by = None
