"""Backups of an archive and bringing one back: what ``backup``, ``verify-backup`` and ``restore`` report.

A backup folder holds snapshots (a consistent copy of the catalog with the audit head, settings
and saved searches beside it) and one content-addressed store of originals that every snapshot
shares, so a second backup copies only the originals that arrived since the first.
"""

from __future__ import annotations

from pydantic import Field

from schemas.base import Schema
from schemas.timestamps import UtcDateTime


class BackupProblem(Schema):
    """Something a backup, its check or a restore found wrong, naming the file."""

    path: str
    document_id: str | None = None
    message: str


class BackupReport(Schema):
    """The ``--json`` shape of ``jiandang backup``."""

    path: str = Field(description="the backup folder")
    snapshot: str = Field(description="the snapshot this run wrote (its folder under snapshots/)")
    engine: str = Field(description="catalog engine: sqlite")
    started_at: UtcDateTime
    finished_at: UtcDateTime
    seconds: float
    documents: int
    originals: int = Field(description="originals the snapshot needs")
    originals_copied: int = Field(description="of them, new in this backup (the rest were there already)")
    bytes_copied: int
    audit_head_seq: int
    audit_head_hash: str
    files: list[str] = Field(default_factory=list, description="settings and small files in the snapshot")
    problems: list[BackupProblem] = Field(default_factory=list)


class VerifyBackupReport(Schema):
    """The ``--json`` shape of ``jiandang verify-backup``."""

    path: str
    snapshot: str
    valid: bool
    documents: int = 0
    originals_checked: int = 0
    bytes_checked: int = 0
    audit_entries: int = 0
    problems: list[BackupProblem] = Field(default_factory=list)


class RestoreReport(Schema):
    """The ``--json`` shape of ``jiandang restore``: what came back, and whether it all checks out."""

    home: str
    source: str
    snapshot: str
    taken_at: UtcDateTime
    documents: int
    originals: int
    bytes: int
    indexed: int = Field(description="documents in the rebuilt search index")
    audit_entries: int
    audit_valid: bool
    audit_head_seq: int
    files: list[str] = Field(default_factory=list, description="settings and small files restored")
    notes: list[str] = Field(default_factory=list)
    problems: list[BackupProblem] = Field(default_factory=list)
