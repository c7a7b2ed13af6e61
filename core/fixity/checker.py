"""A fixity run: re-hash the selected originals, compare with the catalog, record every check.

Each checked document gets one ``fixity_check`` event in its history, modelled on a PREMIS
fixity-check event: ``at`` is the eventDateTime, ``outcome`` is ``pass`` or ``fail`` (with the
problem and both hashes), ``agent`` names who checked (``jiandang verify`` and the user, or the
daily check of ``jiandang serve``), ``algorithm`` the message digest. The run itself is one
``fixity_run`` event without a document: scope, counts, time and every problem, which is what
the dashboard reads back (``core.fixity.status``).

A run over everything also walks the store for files no document names (strays): bytes put
there by hand, or the blob of an ingest interrupted between storing and recording (harmless, but
worth knowing about). Temporaries of ingests in progress (``.incoming``) are not strays.

Nothing here writes to the store: a damaged original stays as it is until it is repaired from a
backup (``core.backup.repair``), so the evidence is never destroyed by the check.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from core.catalog import Catalog, Document
from core.catalog.history import record, record_many
from core.fixity.hashing import Digest, hash_all
from core.fixity.selection import Target
from core.storage.blobstore import TMP_DIR_NAME, BlobStore
from schemas.fixity import FixityProblem, FixityReport, FixityScope, ProblemKind

logger = logging.getLogger(__name__)

CHECK_EVENT = "fixity_check"
RUN_EVENT = "fixity_run"
ALGORITHM = "sha256"
EVENT_BATCH = 500  # fixity events committed together
MAX_PROBLEMS_KEPT = 1000  # in the run's summary event; the report itself lists every one


def describe(problem: ProblemKind, target: Target, path: Path, digest: Digest | None = None) -> str:
    """One sentence an administrator can act on: which document, which file, what is wrong."""
    who = f"《{target.original_name}》（文档 {target.document_id}）"
    if problem is ProblemKind.MISSING:
        return f"{who}的原件不见了：存储中没有 {path}"
    if problem is ProblemKind.UNREADABLE:
        error = digest.error if digest else None
        return f"{who}的原件读不出来（{getattr(error, 'strerror', None) or error}）：{path}"
    assert digest is not None
    if problem is ProblemKind.TRUNCATED:
        return (f"{who}的原件长度变了：入库时 {target.size:,} 字节，现在 {digest.size:,} 字节"
                f"（被截断或被改写）：{path}")
    return (f"{who}的原件已损坏：内容与入库时的 sha256 不符（应为 {target.sha256[:16]}…，"
            f"实为 {(digest.sha256 or '')[:16]}…）：{path}")


def _problem_of(target: Target, path: Path, digest: Digest) -> FixityProblem | None:
    if digest.error is not None:
        missing = isinstance(digest.error, FileNotFoundError)
        kind = ProblemKind.MISSING if missing else ProblemKind.UNREADABLE
    elif digest.sha256 == target.sha256 and digest.size == target.size:
        return None
    elif digest.size != target.size:
        kind = ProblemKind.TRUNCATED
    else:
        kind = ProblemKind.DAMAGED
    return FixityProblem(
        kind=kind, path=str(path), document_id=target.document_id, original_name=target.original_name,
        expected_sha256=target.sha256, actual_sha256=digest.sha256, expected_size=target.size,
        actual_size=digest.size, message=describe(kind, target, path, digest),
    )


def _check_detail(run_id: str, agent: str, problem: FixityProblem | None) -> dict[str, Any]:
    detail: dict[str, Any] = {"outcome": "pass" if problem is None else "fail", "algorithm": ALGORITHM,
                              "agent": agent, "run": run_id}
    if problem is not None:
        detail |= {"problem": problem.kind.value, "actual_sha256": problem.actual_sha256,
                   "actual_size": problem.actual_size, "message": problem.message}
    return detail


class FixityChecker:
    """Re-hashes originals of one archive; ``workers`` threads hash side by side."""

    def __init__(self, catalog: Catalog, blobs: BlobStore, workers: int = 0) -> None:
        self._catalog = catalog
        self._blobs = blobs
        self._workers = workers or os.cpu_count() or 1

    def run(self, targets: Iterable[Target], scope: FixityScope, agent: str, *, find_stray: bool = False,
            extra: dict[str, Any] | None = None) -> FixityReport:
        """Check ``targets``; record a fixity event for each and the run's summary; return the report."""
        run_id = uuid.uuid4().hex[:12]
        started, clock = datetime.now(UTC), time.perf_counter()
        problems: list[FixityProblem] = []
        pending: dict[str, dict[str, Any]] = {}
        checked = hashed_bytes = 0
        known: set[Path] = set()
        for target, digest in hash_all(targets, lambda t: self._blobs.path_for(t.sha256), self._workers):
            path = self._blobs.path_for(target.sha256)
            known.add(path)
            problem = _problem_of(target, path, digest)
            if problem is not None:
                logger.error("fixity: %s", problem.message)
                problems.append(problem)
            checked += 1
            hashed_bytes += digest.size or 0
            pending[target.document_id] = _check_detail(run_id, agent, problem)
            if len(pending) >= EVENT_BATCH:
                self._record_checks(pending)
        self._record_checks(pending)
        if find_stray:
            problems.extend(self.strays(known))
        report = FixityReport(run_id=run_id, scope=scope, started_at=started, finished_at=datetime.now(UTC),
                              documents=checked, bytes=hashed_bytes, seconds=round(time.perf_counter() - clock, 3),
                              problems=problems)
        self._record_run(report, agent, extra or {})
        return report

    def strays(self, known: set[Path]) -> list[FixityProblem]:
        """Files in the store that no checked document names (call after checking every document)."""
        found: list[FixityProblem] = []
        root = self._blobs.root
        for directory, subdirs, names in os.walk(root):
            here = Path(directory)
            if here == root:
                subdirs[:] = [d for d in subdirs if d != TMP_DIR_NAME]
            subdirs.sort()
            for name in sorted(names):
                path = here / name
                if path in known or self._recorded_since(name):
                    continue
                found.append(FixityProblem(
                    kind=ProblemKind.STRAY, path=str(path),
                    message=f"存储中有一个没有任何文档登记的文件（手工放入的，或中断的入库留下的）：{path}"))
        for problem in found:
            logger.warning("fixity: %s", problem.message)
        return found

    def _recorded_since(self, name: str) -> bool:
        """A blob recorded after the run took its list (an ingest running beside it) is not a stray."""
        if len(name) != 64:
            return False
        with self._catalog.session() as session:
            return session.scalar(select(Document.id).where(Document.sha256 == name)) is not None

    def _record_checks(self, pending: dict[str, dict[str, Any]]) -> None:
        if pending:
            with self._catalog.session() as session:
                record_many(session, CHECK_EVENT, dict(pending))
            pending.clear()

    def _record_run(self, report: FixityReport, agent: str, extra: dict[str, Any]) -> None:
        summary = report.model_dump(mode="json", exclude={"problems", "repaired"})
        summary["problems"] = [p.model_dump(mode="json") for p in report.problems[:MAX_PROBLEMS_KEPT]]
        summary["problem_count"] = len(report.problems)
        with self._catalog.session() as session:
            record(session, None, RUN_EVENT, agent=agent, **summary, **extra)
