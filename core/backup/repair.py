"""Repairing damaged or missing originals from a backup, each repair recorded.

A fixity problem (``core.fixity``) names a document whose stored bytes no longer hash to the
sha256 recorded when it arrived, or are gone. A backup holds originals by the same address, so
the good bytes are found by that hash alone, whichever snapshot copied them. The backup's copy is
checked on the way in (``core.backup.copying``): only bytes that hash to the recorded sha256 ever
replace anything, so a repair can never make an original worse. Each repair is a
``fixity_repair`` event in the document's history and an entry on the audit trail.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import select

from core.backup.copying import copy_verified
from core.backup.layout import BackupFolder
from core.catalog import Catalog, Document
from core.catalog.history import record
from core.fixity.hashing import digest_file
from core.fixity.status import REPAIR_EVENT
from core.security.audit import AuditLog
from core.storage.blobstore import TMP_DIR_NAME, BlobStore
from schemas.fixity import FixityProblem, ProblemKind

logger = logging.getLogger(__name__)

REPAIRABLE = (ProblemKind.DAMAGED, ProblemKind.TRUNCATED, ProblemKind.MISSING)
AUDIT_ACTION = "fixity.repair"


def repair_from_backup(problems: list[FixityProblem], backup_root: Path, catalog: Catalog, blobs: BlobStore,
                       audit: AuditLog, who: str) -> tuple[list[str], list[FixityProblem]]:
    """Put back every repairable original the backup has; returns (repaired ids, problems left)."""
    backup = BackupFolder(backup_root)
    repaired: list[str] = []
    left: list[FixityProblem] = []
    for problem in problems:
        if problem.kind not in REPAIRABLE or problem.document_id is None:
            left.append(problem)
            continue
        with catalog.session() as session:
            sha = session.scalar(select(Document.sha256).where(Document.id == problem.document_id))
        assert sha is not None
        source = backup.blob(sha)
        outcome = copy_verified(source, blobs.path_for(sha), sha, blobs.root / TMP_DIR_NAME, replace=True)
        if outcome.problem is not None or digest_file(blobs.path_for(sha)).sha256 != sha:
            left.append(problem.model_copy(update={
                "message": f"{problem.message}；备份 {backup_root} 中没有可用的副本（{outcome.problem or '复制后仍不符'}）"}))
            continue
        with catalog.session() as session:
            record(session, problem.document_id, REPAIR_EVENT, problem=problem.kind.value, source=str(source),
                   sha256=sha, bytes=outcome.bytes, agent=f"jiandang verify --repair-from ({who})")
        audit.append(who, AUDIT_ACTION, problem.document_id, problem=problem.kind.value, source=str(source),
                     sha256=sha)
        logger.warning("repaired %s from %s", problem.path, source)
        repaired.append(problem.document_id)
    return repaired, left
