"""Bulk actions on a selection of documents, all or nothing.

An archivist ticks fifty rows and picks 更正类别, 移到项目, 确认归类 or 设置保管期限. Applied one
document after another in separate commits, a failure part-way (a document removed meanwhile, a
value refused) would leave the first half changed and the rest not, and the archivist could not
tell which. Here every document's change goes into the caller's one unit of work, so the catalog
commits the whole selection or rolls all of it back; the caller writes the index and the audit
trail only after the commit.

Re-filing belongs to the filing room, which this room may not import: the service hands its
``refile`` step in.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from sqlalchemy.orm import Session

from core.catalog.lookups import find_document
from core.errors import InputError
from core.projects import edits, moves
from schemas.documents import Classification
from schemas.projects import BulkReport, DocumentEdit

Refile = Callable[[Session, str, str, str | None, str], Classification]  # session, id, class, item, who
ACTIONS = ("reclassify", "move", "accept", "retention")


def apply(session: Session, action: str, doc_ids: list[str], value: str, reason: str, who: str, *,
          refile: Refile, retentions: Collection[str], secrecy_levels: Collection[str]) -> BulkReport:
    """Apply ``action`` with ``value`` to each document inside ``session``; any refusal raises (and the
    caller's unit of work rolls every document back). 确认归类 skips a document not filed yet.
    """
    if action not in ACTIONS:
        raise InputError(f"unknown bulk action {action!r}", field="action")
    ids = list(dict.fromkeys(doc_ids))
    report = BulkReport(action=action)
    if action == "move":
        moved = moves.move(session, ids, value, who, reason)
        report.done, report.skipped = moved.moved, moved.unchanged
        report.details = {doc_id: {"to": moved.to} for doc_id in moved.moved}
        return report
    for doc_id in ids:
        doc = find_document(session, doc_id)
        if action == "retention":
            edited = edits.edit(session, doc.id, DocumentEdit(retention=value), reason, who,
                                retentions=retentions, secrecy_levels=secrecy_levels)
            report.details[doc.id] = {"changed": edited.changed}
        elif action == "accept" and not doc.class_code:  # not filed yet: it stays in the review queue
            report.skipped.append(doc.id)
            continue
        else:
            class_code, item_code = (value, None) if action == "reclassify" else (doc.class_code, doc.item_code)
            verdict = refile(session, doc.id, class_code, item_code, who)
            report.details[doc.id] = {"class_code": verdict.class_code, "item_code": verdict.item_code}
        report.done.append(doc.id)
    return report
