"""The audit trail: an append-only, hash-chained log of who did what (纪检监察 must be able to trust it).

Each entry stores, as text, everything that goes into its hash: ``seq`` (1, 2, 3 … with no gaps),
the UTC time, the actor, the action, the target, the detail as canonical JSON and the hash of the
entry before it. ``verify()`` walks the chain and recomputes every hash, so an edited row (its own
hash no longer matches), an inserted or deleted row (a gap in ``seq`` or a broken ``prev_hash``)
are found. Dropping entries from the *end* leaves a valid shorter chain; to catch that too, the
newest ``seq`` and hash are also written to a head file beside the catalog (``audit.head``), which
``verify()`` compares. Someone who can rewrite both the database and the head file *and* recompute
every hash can still forge a history; sending the head hash elsewhere (printing it in a report,
mailing it daily) is what defeats that, and ``head()`` exists for it.

Concurrency: ``seq`` is unique, so two writers (two processes) cannot both append the same link;
the loser retries on the new head.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from core.catalog import Catalog
from core.catalog.models import AuditEntry
from core.errors import StorageError
from core.storage.atomic_files import replace_text
from schemas.api import AuditEntryRecord, AuditPage, AuditVerifyReport

logger = logging.getLogger(__name__)

GENESIS = "0" * 64
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"  # fixed width: text order is time order
_APPEND_RETRIES = 20


class AuditAction:
    """The names of audited actions (free text is allowed; these are the ones the skins use)."""

    LOGIN = "login"
    LOGIN_FAILED = "login.failed"
    LOGOUT = "logout"
    UPLOAD = "upload"
    DOCUMENT_VIEW = "document.view"
    ORIGINAL_DOWNLOAD = "original.download"
    SEARCH = "search"
    RECLASSIFY = "reclassify"
    EXPORT = "export"
    USER_ADD = "admin.user_add"
    USER_PASSWD = "admin.user_passwd"
    TOKEN_ISSUE = "admin.token_issue"
    TOKEN_REVOKE = "admin.token_revoke"
    AUDIT_VERIFY = "audit.verify"


def canonical_json(detail: dict[str, Any]) -> str:
    return json.dumps(detail, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def entry_hash(seq: int, at: str, actor: str, action: str, target: str | None, detail: str, prev: str) -> str:
    """The hash of one link; every field is length-prefixed so no two field splits collide."""
    digest = hashlib.sha256()
    for part in (str(seq), at, actor, action, target if target is not None else "\x00", detail, prev):
        data = part.encode("utf-8")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def _record(row: AuditEntry) -> AuditEntryRecord:
    return AuditEntryRecord(
        seq=row.seq, at=row.at, actor=row.actor, action=row.action, target=row.target,
        detail=json.loads(row.detail), prev_hash=row.prev_hash, entry_hash=row.entry_hash,
    )


class AuditLog:
    """Append to, read and verify the chain. One per service; no global state."""

    def __init__(self, catalog: Catalog, head_file: Path | None = None) -> None:
        self._catalog = catalog
        self._head_file = head_file

    # --- write -----------------------------------------------------------------------------
    def append(self, actor: str, action: str, target: str | None = None, **detail: Any) -> AuditEntryRecord:
        """Add one entry at the end of the chain and return it."""
        detail_text = canonical_json(detail)
        for _attempt in range(_APPEND_RETRIES):
            try:
                with self._catalog.session() as session:
                    last = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).first()
                    seq = (last.seq + 1) if last else 1
                    prev = last.entry_hash if last else GENESIS
                    at = datetime.now(UTC).strftime(TIME_FORMAT)
                    row = AuditEntry(
                        seq=seq, at=at, actor=actor, action=action, target=target, detail=detail_text,
                        prev_hash=prev,
                        entry_hash=entry_hash(seq, at, actor, action, target, detail_text, prev),
                    )
                    session.add(row)
                    session.flush()
                    record = _record(row)
            except IntegrityError:
                logger.debug("audit append lost a race for seq; retrying")
                continue
            self._write_head(record.seq, record.entry_hash)
            return record
        raise StorageError("could not append to the audit log (too much contention)")

    def _write_head(self, seq: int, digest: str) -> None:
        if self._head_file is None:
            return
        current = self._read_head()
        if current is not None and current[0] >= seq:
            return  # another writer already moved the head further
        replace_text(self._head_file, f"{seq} {digest}\n", encoding="ascii")

    def _read_head(self) -> tuple[int, str] | None:
        if self._head_file is None or not self._head_file.exists():
            return None
        try:
            seq_text, digest = self._head_file.read_text(encoding="ascii").split()
            return int(seq_text), digest
        except ValueError:
            return (-1, "unreadable")

    # --- read ------------------------------------------------------------------------------
    def page(
        self,
        *,
        actor: str | None = None,
        action: str | None = None,
        target: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> AuditPage:
        """Entries newest first, filtered; ``action`` matches a prefix (``admin.`` → all admin)."""
        query = select(AuditEntry)
        if actor:
            query = query.where(AuditEntry.actor == actor)
        if action:
            query = query.where(AuditEntry.action.startswith(action, autoescape=True))
        if target:
            query = query.where(AuditEntry.target == target)
        if since:
            query = query.where(AuditEntry.at >= since)
        if until:
            query = query.where(AuditEntry.at < until)
        with self._catalog.session() as session:
            total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
            rows = session.scalars(query.order_by(AuditEntry.seq.desc()).limit(limit).offset(offset)).all()
            return AuditPage(total=total, limit=limit, offset=offset, items=[_record(r) for r in rows])

    def head(self) -> tuple[int, str]:
        """The newest ``seq`` and hash: publish it elsewhere to pin today's history."""
        with self._catalog.session() as session:
            last = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).first()
            return (last.seq, last.entry_hash) if last else (0, GENESIS)

    # --- verify ----------------------------------------------------------------------------
    def verify(self) -> AuditVerifyReport:
        """Walk the whole chain; report every broken link (an empty list means intact)."""
        problems: list[str] = []
        expected_seq, prev = 1, GENESIS
        with self._catalog.session() as session:
            rows = session.execute(
                select(AuditEntry.seq, AuditEntry.at, AuditEntry.actor, AuditEntry.action, AuditEntry.target,
                       AuditEntry.detail, AuditEntry.prev_hash, AuditEntry.entry_hash).order_by(AuditEntry.seq)
            ).all()
        for seq, at, actor, action, target, detail, prev_hash, digest in rows:
            if seq != expected_seq:
                problems.append(f"entry {seq}: expected entry {expected_seq} here (entries deleted or inserted)")
            if prev_hash != prev:
                problems.append(f"entry {seq}: does not link to the entry before it (prev_hash mismatch)")
            if entry_hash(seq, at, actor, action, target, detail, prev_hash) != digest:
                problems.append(f"entry {seq}: content does not match its hash (edited)")
            expected_seq, prev = seq + 1, digest
        checked = len(rows)
        last_seq = rows[-1][0] if rows else 0
        stored_head = self._read_head()
        if stored_head is not None:
            head_seq, head_hash = stored_head
            if head_seq > last_seq:
                problems.append(f"the head file names entry {head_seq} but the log ends at {last_seq} (entries deleted)")
            elif head_seq >= 1:
                match = next((row for row in rows if row[0] == head_seq), None)
                if match is None or match[7] != head_hash:
                    problems.append(f"entry {head_seq}: differs from the hash recorded in the head file")
        return AuditVerifyReport(valid=not problems, checked=checked, head_seq=last_seq,
                                 head_hash=prev if rows else GENESIS, problems=problems)
