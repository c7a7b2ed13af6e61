"""The durable job queue of the folder watcher: one ``jobs`` row per file seen in a watched root.

The row is the watcher's memory across crashes. It is written when a file is first seen (before
any work), moved to ``processing`` just before the file is taken in and to ``done`` or
``quarantined`` right after the document is committed. A ``kill -9`` therefore leaves at most a
few rows in ``processing``; :meth:`JobQueue.requeue_interrupted` puts them back and the store of
originals (content-addressed) makes taking them in again harmless.

To keep fsynced commits few, the two transitions that sit next to another catalog write share
its transaction: ``claim`` commits with the original's receipt (``Ingestor.store``) and
``finish`` with the reading's result (``Ingestor.record``); both methods take that session. A
crash before such a commit leaves the row where it was (``queued`` / ``processing``), which the
next start takes again: lose nothing, double nothing.

The unique ``(root, path)`` index is the in-flight guard: a path has one row, whatever number
of events, rescans or restarts mention it. The row also holds the read-only-share fingerprint
(size, mtime, sha256): a finished row whose size and mtime still match the file means "already
archived, do nothing", so an unchanged file is never taken in twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from core.catalog import Catalog, Job, JobState
from core.catalog.history import now
from schemas.watch import RootCounts

logger = logging.getLogger(__name__)

FINISHED = (JobState.DONE, JobState.QUARANTINED)


@dataclass(frozen=True)
class Sighting:
    """A file seen on disk: where, and the size/mtime it had."""

    path: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Claim:
    """What the queue knows about a job the loop is about to process."""

    path: str
    previous_document_id: str | None
    previous_sha256: str | None
    batch_id: str | None


class JobQueue:
    """All reads and writes of ``jobs`` rows; one instance per watcher, used from its loop thread."""

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog

    def requeue_interrupted(self, roots: Iterable[str]) -> int:
        """Put jobs a crash left in ``processing`` back to ``queued``; returns how many."""
        with self._catalog.session() as session:
            result = session.execute(
                update(Job)
                .where(Job.root.in_(list(roots)), Job.state == JobState.PROCESSING)
                .values(state=JobState.QUEUED, updated_at=now())
            )
            count = result.rowcount or 0
        if count:
            logger.warning("re-queued %d file(s) an interrupted watcher was taking in", count)
        return count

    def queued_paths(self, root: str) -> list[str]:
        """Paths still waiting in ``root`` (queued before a restart, or just re-queued)."""
        with self._catalog.session() as session:
            return list(
                session.scalars(select(Job.path).where(Job.root == root, Job.state == JobState.QUEUED))
            )

    def note_seen(self, root: str, sightings: Iterable[Sighting]) -> list[str]:
        """Record files seen on disk; returns the paths that need a stability decision.

        A path already finished with the same size and mtime is settled (not returned); a
        finished path whose size or mtime changed goes back to ``queued`` (a new version).
        """
        wanted: list[str] = []
        stamp = now()
        sightings = list(sightings)
        with self._catalog.session() as session:
            known: dict[str, Job] | None = None
            if len(sightings) > 32:  # a scan: one query for the whole root, not one per file
                known = {job.path: job for job in session.scalars(select(Job).where(Job.root == root))}
            for seen in sightings:
                if known is not None:
                    job = known.get(seen.path)
                else:
                    job = session.scalar(select(Job).where(Job.root == root, Job.path == seen.path))
                if job is None:
                    session.add(
                        Job(root=root, path=seen.path, size=seen.size, mtime_ns=seen.mtime_ns,
                            state=JobState.QUEUED, attempts=0, first_seen=stamp, updated_at=stamp)
                    )
                    wanted.append(seen.path)
                    continue
                if job.state in FINISHED and (job.size, job.mtime_ns) == (seen.size, seen.mtime_ns):
                    continue
                if job.state in FINISHED:
                    logger.info("%s changed since it was archived; queueing the new version", seen.path)
                    job.state, job.reason, job.batch_id = JobState.QUEUED, None, None
                job.size, job.mtime_ns, job.updated_at = seen.size, seen.mtime_ns, stamp
                wanted.append(seen.path)
        return wanted

    def is_settled(self, root: str, path: str, size: int, mtime_ns: int) -> bool:
        """True when ``path`` is archived with exactly this size and mtime."""
        with self._catalog.session() as session:
            job = session.scalar(select(Job).where(Job.root == root, Job.path == path))
            return job is not None and job.state in FINISHED and (job.size, job.mtime_ns) == (size, mtime_ns)

    def claim(self, root: str, path: str, size: int | None, mtime_ns: int | None, batch_id: str,
              session: Session | None = None) -> Claim:
        """Move a job to ``processing`` (creating it if an event beat the row).

        With ``session``, in the caller's transaction (the receipt's); otherwise committed here.
        """
        stamp = now()
        with self._unit(session) as session:
            job = session.scalar(select(Job).where(Job.root == root, Job.path == path))
            if job is None:
                job = Job(root=root, path=path, state=JobState.QUEUED, attempts=0, first_seen=stamp)
                session.add(job)
            claim = Claim(path, job.document_id, job.sha256, batch_id)
            job.state, job.batch_id, job.updated_at = JobState.PROCESSING, batch_id, stamp
            job.attempts = (job.attempts or 0) + 1
            if size is not None:
                job.size, job.mtime_ns = size, mtime_ns
        return claim

    def finish(
        self,
        root: str,
        path: str,
        *,
        state: str,
        document_id: str | None,
        sha256: str | None,
        reason: str | None = None,
        taken: tuple[int, int] | None = None,
        session: Session | None = None,
    ) -> None:
        """Record the outcome, in the transaction that records the document (``session``) or after it.

        ``taken`` is the (size, mtime_ns) the stored copy had: the fingerprint the next scan
        compares with, so content that changed after the copy is seen as a new version.
        """
        values: dict[str, object] = {"state": state, "document_id": document_id, "sha256": sha256,
                                     "reason": reason, "updated_at": now()}
        if taken is not None:
            values["size"], values["mtime_ns"] = taken
        with self._unit(session) as session:
            session.execute(update(Job).where(Job.root == root, Job.path == path).values(**values))

    @contextmanager
    def _unit(self, session: Session | None) -> Iterator[Session]:
        """The caller's session when given (it commits), else a transaction of our own."""
        if session is not None:
            yield session
            return
        with self._catalog.session() as own:
            yield own

    def requeue(self, root: str, path: str) -> None:
        """Back to ``queued``: the file changed while it was being stored and will be decided again."""
        with self._catalog.session() as session:
            session.execute(
                update(Job)
                .where(Job.root == root, Job.path == path)
                .values(state=JobState.QUEUED, updated_at=now())
            )

    def flag(self, root: str, path: str, reason: str) -> None:
        """Mark a finished job quarantined with ``reason`` (a manifest mismatch), keeping its document."""
        with self._catalog.session() as session:
            session.execute(
                update(Job)
                .where(Job.root == root, Job.path == path)
                .values(state=JobState.QUARANTINED, reason=reason, updated_at=now())
            )

    def forget(self, root: str, path: str) -> None:
        """A queued file vanished before it was ready: drop its row unless it was archived before."""
        with self._catalog.session() as session:
            job = session.scalar(select(Job).where(Job.root == root, Job.path == path))
            if job is None:
                return
            if job.document_id is None:
                session.execute(delete(Job).where(Job.id == job.id))
            elif job.state not in FINISHED:
                job.state, job.updated_at = JobState.DONE, now()

    def sha_of_batch(self, batch_id: str) -> dict[str, tuple[str | None, str]]:
        """path → (sha256, state) of every job of a batch, for the manifest check."""
        with self._catalog.session() as session:
            rows = session.execute(select(Job.path, Job.sha256, Job.state).where(Job.batch_id == batch_id))
            return {path: (sha, state) for path, sha, state in rows}

    def counts(self) -> dict[str, RootCounts]:
        """Jobs per root and state, for ``jiandang status``."""
        with self._catalog.session() as session:
            rows = session.execute(select(Job.root, Job.state, func.count()).group_by(Job.root, Job.state)).all()
        result: dict[str, RootCounts] = {}
        for root, state, count in rows:
            counts = result.setdefault(root, RootCounts())
            if state in RootCounts.model_fields:
                setattr(counts, state, count)
        return result

    def unfinished(self, roots: Iterable[str]) -> int:
        """Jobs of these roots not yet done or quarantined."""
        with self._catalog.session() as session:
            return session.scalar(
                select(func.count()).select_from(Job).where(Job.root.in_(list(roots)), Job.state.not_in(FINISHED))
            ) or 0
