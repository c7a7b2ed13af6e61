"""Catalog tables of the oversight room (migration 0017): stored facts per document, corrections."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.catalog.models import Base


class OversightDocument(Base):
    """What the oversight reader found in one document (``schemas.oversight.DocumentFacts`` as JSON)."""

    __tablename__ = "oversight_documents"

    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)
    read_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OversightCorrection(Base):
    """An auditor's correction of a fact or a ledger line; append-only (SQLite triggers refuse edits)."""

    __tablename__ = "oversight_corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    document_id: Mapped[str | None] = mapped_column(ForeignKey("documents.id"))
    name: Mapped[str] = mapped_column(String(64))
    value: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # {"type": "money"|"date"|"text", "value": …}
    reason: Mapped[str] = mapped_column(Text)
    who: Mapped[str] = mapped_column(String(128))
    at: Mapped[str] = mapped_column(String(32))
