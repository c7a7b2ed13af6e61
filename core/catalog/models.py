"""The catalog: the source of truth for what the archive holds (SQLAlchemy 2 models).

The search index and every report are derived from these rows and the stored originals. Schema
changes go through Alembic migrations in ``migrations/``; ``Base.metadata`` is what they describe.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from schemas.projects import ProjectKind  # project (building project) or tray (INBOX)


class Base(DeclarativeBase):
    pass


class DocumentStatus:
    """Life of a document row. ``received`` rows are finished on the next start (crash recovery)."""

    RECEIVED = "received"  # original stored, not yet read
    PROCESSED = "processed"  # text, fields and class recorded
    QUARANTINED = "quarantined"  # stored, but could not be read; reason recorded

    UNFINISHED = (RECEIVED,)


class Project(Base):
    """A building project as a record (migration 0015_i15): code, name, 建设单位, optional figures."""

    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    name: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    kind: Mapped[str] = mapped_column(String(16), default=ProjectKind.PROJECT, server_default=ProjectKind.PROJECT)
    owner: Mapped[str | None] = mapped_column(String(255))  # 建设单位
    figures: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # 建筑面积, 投资额, 地点 …
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Document(Base):
    """One stored original (unique by content) and what was read from it."""

    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    original_name: Mapped[str] = mapped_column(String(1024))
    format: Mapped[str | None] = mapped_column(String(16))
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    quarantine_code: Mapped[str | None] = mapped_column(String(32))
    quarantine_reason: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    pages: Mapped[int | None] = mapped_column(Integer)
    extractor: Mapped[str | None] = mapped_column(String(32))
    text_status: Mapped[str | None] = mapped_column(String(32))  # schemas.ingest.TextStatus; None: full text
    reading: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # OCR boxes, photo EXIF, title block …
    superseded_by: Mapped[str | None] = mapped_column(String(32))  # newer revision of the same 图号 (drawings)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    class_code: Mapped[str | None] = mapped_column(String(8), index=True)
    item_code: Mapped[str | None] = mapped_column(String(16))
    doc_type: Mapped[str | None] = mapped_column(String(64))
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    candidates: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)  # review: three places to file it
    needs_review: Mapped[bool] = mapped_column(Boolean, default=True)
    doc_date: Mapped[date | None] = mapped_column(Date)
    amount: Mapped[float | None] = mapped_column(Float)
    retention: Mapped[str | None] = mapped_column(String(16))  # 保管期限 set by hand; None: the filing plan's
    secrecy: Mapped[str | None] = mapped_column(String(16))  # 密级 set by hand
    indexed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    project: Mapped[Project] = relationship(lazy="joined")


class DocumentText(Base):
    """The cleaned text of a document, kept apart so listing documents stays light."""

    __tablename__ = "document_texts"

    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    content: Mapped[str] = mapped_column(Text)


class Receipt(Base):
    """Every arrival of a file, duplicates included: who sent what, from where, when."""

    __tablename__ = "receipts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    batch_id: Mapped[str] = mapped_column(String(32), index=True)
    source: Mapped[str] = mapped_column(String(16))
    source_path: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Event(Base):
    """Append-only history of a document (received, converted, classified, indexed, …).

    The migration adds triggers (SQLite, or PL/pgSQL on PostgreSQL) that refuse UPDATE and DELETE.
    """

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str | None] = mapped_column(ForeignKey("documents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class JobState:
    """Life of a watched-folder job (one candidate file). See ``ingest.watch`` for the tracker."""

    QUEUED = "queued"  # seen, waiting to become stable
    PROCESSING = "processing"  # being taken in (a crash leaves it here; restart re-queues it)
    DONE = "done"
    QUARANTINED = "quarantined"
    IGNORED = "ignored"


class Job(Base):
    """A durable job row for a file seen in a watched root; survives crashes and restarts."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    root: Mapped[str] = mapped_column(Text, index=True)
    path: Mapped[str] = mapped_column(Text)
    size: Mapped[int | None] = mapped_column(BigInteger)
    mtime_ns: Mapped[int | None] = mapped_column(BigInteger)
    sha256: Mapped[str | None] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str | None] = mapped_column(Text)
    document_id: Mapped[str | None] = mapped_column(String(32))
    batch_id: Mapped[str | None] = mapped_column(String(32), index=True)
    owner: Mapped[str | None] = mapped_column(String(128))  # the watcher taking it in (core/watching/lock.py)
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TaskRecord(Base):
    """The state of a background task of the web app (an upload being taken in, a handover export).

    Kept in the catalog so that every app process sees it: with several server processes (or
    nodes) the request asking for a task's state often reaches another process than the one
    running it (``core/catalog/tasks.py``).
    """

    __tablename__ = "tasks"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    owner: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))
    node: Mapped[str] = mapped_column(String(300), index=True)  # the server running it: host and archive home
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    status: Mapped[str] = mapped_column(Text)  # the whole TaskStatus as JSON


# --- accounts and audit trail (core/security/accounts.py, core/security/audit.py; migration 0004) ------------------
class User(Base):
    """A person who signs in to the web UI or owns API tokens. ``role`` grants permissions."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    display_name: Mapped[str | None] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(32))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ApiToken(Base):
    """An API token or a UI session. Only the sha256 of the secret is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # "api" or "session"
    label: Mapped[str | None] = mapped_column(String(128))
    prefix: Mapped[str] = mapped_column(String(16), index=True)  # shown to people, not secret
    secret_sha256: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship(lazy="joined")


class LoginAttempt(Base):
    """One password login attempt; failed ones in a window drive the rate limit."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    ok: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class AuditEntry(Base):
    """One link of the hash-chained audit trail. Every hashed field is stored as text, exactly.

    ``entry_hash`` = sha256 over (seq, at, actor, action, target, detail, prev_hash); ``seq`` is
    unique and gap-free, so an edited, inserted or deleted row breaks the chain (core/security/audit.py).
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True, index=True)
    at: Mapped[str] = mapped_column(String(32), index=True)
    actor: Mapped[str] = mapped_column(String(128), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    target: Mapped[str | None] = mapped_column(Text, index=True)
    detail: Mapped[str] = mapped_column(Text)  # canonical JSON
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))


# --- filing and completeness (migration 0003) ---------------------------------------------------


class ProjectProfile(Base):
    """What the archivist declared about a project: building type, stage reached, special features.

    ``features`` None means "not declared": conditional checklist items are decided by the documents.
    """

    __tablename__ = "project_profiles"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), primary_key=True)
    building_type: Mapped[str | None] = mapped_column(String(32))
    stage: Mapped[str] = mapped_column(String(8))
    features: Mapped[list[str] | None] = mapped_column(JSON)
    updated_by: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Waiver(Base):
    """A checklist item the archive need not hold for a project, with the reason and who decided."""

    __tablename__ = "waivers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    item_code: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    who: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Confirmation(Base):
    """The archivist's confirmed filing of a document (class NULL = confirmed as not filed)."""

    __tablename__ = "confirmations"

    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    class_code: Mapped[str | None] = mapped_column(String(8))
    item_code: Mapped[str | None] = mapped_column(String(16))
    who: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# --- the catalog's generation (migration 0019) -----------------------------------------------


class CatalogGeneration(Base):
    """One row: a counter bumped in the same transaction as any change to documents, projects,
    profiles, waivers or confirmations (``core/catalog/generation.py``), so a view computed at
    generation N is exactly current while the counter still says N.
    """

    __tablename__ = "catalog_generation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(Integer)
