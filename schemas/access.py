"""Who acts and what is kept of it: accounts, tokens, permissions and the audit trail's entries.

Apart from ``schemas.api`` (which names them too, for the API's callers) because every audited
command writes an audit entry (an ``AuditEntryRecord``) and every service has an account book:
``jiandang search`` needs these, not the API's other shapes and the documents, handover and
ingest models those pull in (issue 19: start-up).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import Field

from schemas.base import Schema
from schemas.choices import Role
from schemas.timestamps import UtcDateTime


class Permission(StrEnum):
    READ = "read"  # list, view, search documents and projects
    DOWNLOAD = "download"  # open an original
    UPLOAD = "upload"  # take files in
    RECLASSIFY = "reclassify"  # correct a filing, waive items
    EXPORT = "export"  # handover bundles
    AUDIT_READ = "audit_read"  # read and verify the audit trail
    ADMIN = "admin"  # accounts and tokens
    DISCLOSE = "disclose"  # prepare a disclosure: draft, redact, withhold, review, publish what is approved
    APPROVE = "approve"  # approve a reviewed disclosure for publication; retract a published one


class UserRecord(Schema):
    username: str
    display_name: str | None = None
    role: Role
    active: bool = True
    created_at: UtcDateTime


class TokenRecord(Schema):
    id: int
    username: str
    kind: str
    label: str | None = None
    prefix: str
    created_at: UtcDateTime
    expires_at: UtcDateTime | None = None
    revoked_at: UtcDateTime | None = None


class IssuedToken(Schema):
    """A new token. ``token`` is shown exactly once; only its hash is stored."""

    token: str
    record: TokenRecord


class Principal(Schema):
    """Who is calling, as resolved from a bearer token or a session cookie."""

    username: str
    role: Role
    token_id: int
    via: str = Field(description="'token' or 'session'")


class AuditEntryRecord(Schema):
    seq: int
    at: str
    actor: str
    action: str
    target: str | None = None
    detail: dict[str, Any] = Field(default_factory=dict)
    prev_hash: str
    entry_hash: str


class AuditPage(Schema):
    total: int
    limit: int
    offset: int
    items: list[AuditEntryRecord] = Field(default_factory=list)


class AuditVerifyReport(Schema):
    """``jiandang audit verify --json``."""

    valid: bool
    checked: int
    head_seq: int
    head_hash: str
    problems: list[str] = Field(default_factory=list)
