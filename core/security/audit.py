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
the loser retries on the new head. On PostgreSQL, where several app nodes append at once, each
commit first takes the chain's advisory lock for its transaction (``Catalog.serialize``): the
appenders queue for the head instead of racing for it, and ``seq`` stays gap-free. Inside one
process appends are *group-committed* (``core.security.audit_batch``): threads that append at
the same moment (20 auditors searching) queue their entries, the first of them commits the whole
queue in one transaction — one durable commit for the group — and every caller returns only after
the commit that holds its entry, so each entry is on disk and chained before the caller answers.
The head file follows a moment later, written by its own thread (``core.security.audit_head``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Collection
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError

from core.catalog import Catalog
from core.catalog.models import AuditEntry
from core.errors import StorageError
from core.security.audit_batch import GroupCommit, Pending
from core.security.audit_head import HeadFile
from schemas.access import AuditEntryRecord, AuditPage, AuditVerifyReport

logger = logging.getLogger(__name__)

GENESIS = "0" * 64
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"  # fixed width: text order is time order
_APPEND_RETRIES = 20
_LAST_LINK = select(AuditEntry.seq, AuditEntry.entry_hash).order_by(AuditEntry.seq.desc()).limit(1)
_ADD_LINKS = insert(AuditEntry.__table__)


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
    """Append to, read and verify the chain. One per service (appends are grouped per instance); no global state."""

    def __init__(self, catalog: Catalog, head_file: Path | None = None) -> None:
        self._catalog = catalog
        self._head = HeadFile(head_file) if head_file is not None else None
        self._group = GroupCommit(self._commit)

    def close(self) -> None:
        """Write the last head file (``core.security.audit_head``); appending later starts its writer again."""
        if self._head is not None:
            self._head.close()

    def flush_head(self) -> None:
        """Wait until the head file names this process's newest entry (before copying it, say)."""
        if self._head is not None:
            self._head.flush()

    # --- write -----------------------------------------------------------------------------
    def append(self, actor: str, action: str, target: str | None = None, **detail: Any) -> AuditEntryRecord:
        """Add one entry at the end of the chain and return it, once it is committed.

        Concurrent callers of the same ``AuditLog`` share one commit (see the module docstring).
        """
        return self._group.submit(Pending(actor, action, target, canonical_json(detail)))

    def append_many(self, entries: list[tuple[str, str, str | None, dict[str, Any]]]) -> list[AuditEntryRecord]:
        """Add several entries (actor, action, target, detail) in order, in one commit where they fit
        one group; each is on the chain when this returns.
        """
        return self._group.submit_all([Pending(actor, action, target, canonical_json(detail))
                                       for actor, action, target, detail in entries])

    def _commit(self, batch: list[Pending]) -> list[AuditEntryRecord]:
        """Chain and commit ``batch`` in one transaction (retried on a lost race); then move the head."""
        for _attempt in range(_APPEND_RETRIES):
            try:
                with self._catalog.session() as session:
                    # Plain statements, not ORM objects: every audited request passes here.
                    self._catalog.serialize(session, "audit-chain")
                    last = session.execute(_LAST_LINK).first()
                    seq = last.seq if last else 0
                    prev = last.entry_hash if last else GENESIS
                    at = datetime.now(UTC).strftime(TIME_FORMAT)  # one instant for the group: time order kept
                    rows = []
                    for entry in batch:
                        seq += 1
                        digest = entry_hash(seq, at, entry.actor, entry.action, entry.target, entry.detail, prev)
                        rows.append({"seq": seq, "at": at, "actor": entry.actor, "action": entry.action,
                                     "target": entry.target, "detail": entry.detail, "prev_hash": prev,
                                     "entry_hash": digest})
                        prev = digest
                    session.connection().execute(_ADD_LINKS, rows)
                records = [AuditEntryRecord(**{**row, "detail": json.loads(row["detail"])}) for row in rows]
            except (IntegrityError, OperationalError) as exc:
                # IntegrityError: another process took the seq; OperationalError: the engine refused
                # the write for now (SQLite "database is locked" on a stale snapshot, PostgreSQL's
                # serialization failure). Both mean: read the new head and chain again.
                logger.debug("audit append lost a race (%s); retrying", type(exc).__name__)
                time.sleep(0.002 * (_attempt + 1))
                continue
            if self._head is not None:
                self._head.advance(records[-1].seq, records[-1].entry_hash)
            return records
        raise StorageError("could not append to the audit log (too much contention)")

    def _read_head(self) -> tuple[int, str] | None:
        return self._head.read() if self._head is not None else None

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
        targets: Collection[str] | None = None,
    ) -> AuditPage:
        """Entries newest first, filtered; ``action`` matches a prefix (``admin.`` → all admin);
        ``targets``: any of these (the documents a typed title names, ``core/browsing/audit_targets.py``).
        """
        query = select(AuditEntry)
        if actor:
            query = query.where(AuditEntry.actor == actor)
        if action:
            query = query.where(AuditEntry.action.startswith(action, autoescape=True))
        if target:
            query = query.where(AuditEntry.target == target)
        if targets is not None:
            query = query.where(AuditEntry.target.in_(list(targets)))
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
        with self._catalog.session() as session:
            rows = session.execute(
                select(AuditEntry.seq, AuditEntry.at, AuditEntry.actor, AuditEntry.action, AuditEntry.target,
                       AuditEntry.detail, AuditEntry.prev_hash, AuditEntry.entry_hash).order_by(AuditEntry.seq)
            ).all()
        return check_chain([tuple(row) for row in rows], self._read_head())


ChainRow = tuple[int, str, str, str, "str | None", str, str, str]  # seq, at, actor, action, target, detail, prev, hash


def check_chain(rows: list[ChainRow], stored_head: tuple[int, str] | None) -> AuditVerifyReport:
    """Recompute every link of a chain (rows in ``seq`` order) and compare its end with the head file.

    Apart from :class:`AuditLog` so that a chain can be checked where no catalog is open: in a
    backup's snapshot of the catalog (``core.backup``), read straight from the file.
    """
    problems: list[str] = []
    expected_seq, prev = 1, GENESIS
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
