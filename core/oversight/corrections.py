"""Auditors' corrections of extracted values, kept append-only in the catalog.

A correction names a document's fact (``document_id`` + fact name) or, without a document, a
ledger line; it carries the new value, the reason and the author. The newest correction of a
target counts; older ones and the extracted value stay visible. Values are validated against the
fact's type before they are stored, so a typo cannot become a ledger amount.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from core.catalog import Catalog, Document
from core.errors import DocumentNotFound, InputError
from core.oversight.tables import OversightCorrection
from oversight.ledger import LEDGER_LABELS
from oversight.rules import CompiledRules
from schemas.oversight import Correction, FactValue

MAX_REASON = 2000


def _typed(kind: str, raw: Any) -> FactValue | None:
    if raw is None or raw == "":
        return None
    if kind == "money" or kind in ("percent", "days", "number"):
        try:
            return float(str(raw).replace(",", "").replace("，", "").replace("¥", "").strip())
        except ValueError as exc:
            raise InputError(f"更正值 {raw!r} 不是数字") from exc
    if kind == "date":
        try:
            return raw if isinstance(raw, date) else date.fromisoformat(str(raw).strip())
        except ValueError as exc:
            raise InputError(f"更正值 {raw!r} 不是日期（应为 2025-07-03）") from exc
    return str(raw).strip()


def _stored(kind: str, value: FactValue | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"type": kind, "value": value.isoformat() if isinstance(value, date) else value}


def _loaded(payload: dict[str, Any] | None) -> FactValue | None:
    if not payload:
        return None
    if payload.get("type") == "date":
        return date.fromisoformat(payload["value"])
    return payload.get("value")


class Corrections:
    def __init__(self, catalog: Catalog, rules: CompiledRules) -> None:
        self.catalog = catalog
        self.rules = rules

    def kind_of(self, name: str, document_id: str | None) -> str:
        if document_id is None:
            if name not in LEDGER_LABELS:
                raise InputError(f"没有账目行 {name!r}（可选：{'、'.join(LEDGER_LABELS)}）", name=name)
            return "money"
        if name not in self.rules.source.facts:
            raise InputError(f"没有事实 {name!r}", name=name)
        return self.rules.source.facts[name].type

    def add(self, project_id: int, project: str, document_id: str | None, name: str, raw: Any, reason: str,
            who: str) -> Correction:
        reason = (reason or "").strip()
        if len(reason) < 2 or len(reason) > MAX_REASON:
            raise InputError("更正必须写明理由（2–2000 字）", name=name)
        kind = self.kind_of(name, document_id)
        value = _typed(kind, raw)
        at = datetime.now(UTC).isoformat(timespec="seconds")
        with self.catalog.session() as session:
            if document_id is not None:
                owner = session.scalar(select(Document.project_id).where(Document.id == document_id))
                if owner != project_id:
                    raise DocumentNotFound(f"项目 {project} 中没有文件 {document_id}", doc_id=document_id)
            row = OversightCorrection(project_id=project_id, document_id=document_id, name=name,
                                      value=_stored(kind, value), reason=reason, who=who, at=at)
            session.add(row)
            session.flush()
            row_id = row.id
        return Correction(id=row_id, project=project, document_id=document_id, name=name, value=value, reason=reason,
                          who=who, at=at)

    def of_project(self, project_id: int, project: str) -> list[Correction]:
        with self.catalog.session() as session:
            rows = session.scalars(select(OversightCorrection).where(OversightCorrection.project_id == project_id)
                                   .order_by(OversightCorrection.id)).all()
            return [self.as_model(row, project) for row in rows]

    def by_project(self) -> dict[int, list[OversightCorrection]]:
        with self.catalog.session() as session:
            rows = session.scalars(select(OversightCorrection).order_by(OversightCorrection.id)).all()
            grouped: dict[int, list[OversightCorrection]] = {}
            for row in rows:
                session.expunge(row)
                grouped.setdefault(row.project_id, []).append(row)
        return grouped

    @staticmethod
    def as_model(row: OversightCorrection, project: str) -> Correction:
        return Correction(id=row.id, project=project, document_id=row.document_id, name=row.name,
                          value=_loaded(row.value), reason=row.reason, who=row.who, at=row.at)
