"""Correcting a document's record (著录) by hand: what the reader got wrong, or never reads.

The reader extracts 题名, 日期, 编号, 金额 and 参建单位 from the text and sometimes gets them
wrong (a 设计变更 whose 编号 is the drawing it refers to); 保管期限 and 密级 are never in the
text at all. An edit names the fields it changes and a reason; the document's history keeps the
value before and after, the search index is written again, and the classifier's reasons stay.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy.orm import Session

from core.catalog.history import now, record
from core.catalog.lookups import find_document
from core.catalog.models import Document
from core.errors import InputError
from schemas.documents import ExtractedFields
from schemas.projects import DocumentEdit, EditReport

EDITED = "edited"


def edit(session: Session, doc_id: str, edit: DocumentEdit, reason: str, who: str, *,
         retentions: Collection[str], secrecy_levels: Collection[str]) -> EditReport:
    """Apply the fields ``edit`` sets; refuse an empty reason or a value outside the lists."""
    if not reason.strip():
        raise InputError("an edit needs a reason", reason="")
    given = edit.model_dump(exclude_unset=True)
    if not given:
        raise InputError("nothing to change: give at least one field", field="changes")
    if given.get("retention") and given["retention"] not in retentions:
        raise InputError(f"retention {given['retention']!r}: one of {', '.join(retentions)}", retention=given["retention"])
    if given.get("secrecy") and given["secrecy"] not in secrecy_levels:
        raise InputError(f"secrecy {given['secrecy']!r}: one of {', '.join(secrecy_levels)}", secrecy=given["secrecy"])
    doc = find_document(session, doc_id)
    changed = _apply(doc, given)
    if changed:
        doc.updated_at = now()
        if doc.indexed_at is not None:
            doc.indexed_at = None  # title, date and amount are in the index
        record(session, doc.id, EDITED, changed=changed, reason=reason.strip(), who=who)
    return EditReport(id=doc.id, changed=changed)


def _apply(doc: Document, given: dict[str, Any]) -> dict[str, list[Any]]:
    fields = ExtractedFields.model_validate(doc.fields or {})
    changed: dict[str, list[Any]] = {}

    def note(name: str, before: Any, after: Any) -> bool:
        if before == after:
            return False
        changed[name] = [_plain(before), _plain(after)]
        return True

    if "title" in given and note("title", doc.title, given["title"]):
        doc.title = given["title"]
    if "doc_date" in given and note("doc_date", doc.doc_date, given["doc_date"]):
        doc.doc_date = given["doc_date"]
        fields.date = given["doc_date"]
    if "number" in given and note("number", fields.number, given["number"] or None):
        fields.number = given["number"] or None
    if "amount" in given and note("amount", doc.amount, given["amount"]):
        doc.amount = given["amount"]
        fields.amount = given["amount"]
    if "parties" in given and given["parties"] is not None:
        parties = {k.strip(): v.strip() for k, v in given["parties"].items() if k.strip() and v.strip()}
        if note("parties", fields.parties, parties):
            fields.parties = parties
    for name in ("retention", "secrecy"):
        if name in given and note(name, getattr(doc, name), given[name] or None):
            setattr(doc, name, given[name] or None)
    doc.fields = fields.model_dump(mode="json")
    return changed


def _plain(value: Any) -> Any:
    """JSON-friendly, for the event row (dates as text)."""
    return value.isoformat() if hasattr(value, "isoformat") else value
