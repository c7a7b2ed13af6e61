"""Keeping an archive intact, as one object the service hands out: fixity checks, backups, repair.

``ArchiveService.safekeeping`` builds it from the service's catalog, store, settings and audit
trail; the command line (``verify``, ``backup``, ``verify-backup``), ``jiandang serve``'s daily
check and the dashboard (``fixity_status``) call it. Restoring needs no archive yet and is
``core.backup.restoring.restore_archive`` (``ArchiveService.restore``).
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from core.backup.checking import check_backup
from core.backup.repair import repair_from_backup
from core.backup.taking import archive_files, take_backup
from core.catalog import Catalog
from core.fixity import daily
from core.fixity.checker import FixityChecker
from core.fixity.selection import targets_for
from core.fixity.status import fixity_status
from core.security.audit import AuditLog
from core.settings import Settings
from core.storage.blobstore import BlobStore
from core.storage.locks import writer_lock
from schemas.backup import BackupReport, VerifyBackupReport
from schemas.fixity import FixityReport, FixityScope, FixityStatus


class Safekeeping:
    def __init__(self, catalog: Catalog, blobs: BlobStore, settings: Settings, audit: AuditLog) -> None:
        self._catalog, self._blobs, self._settings, self._audit = catalog, blobs, settings, audit

    # --- fixity of the store (core/fixity) --------------------------------------------------
    def verify(self, scope: FixityScope = FixityScope.ALL, *, sample: int | None = None, since: date | None = None,
               user: str = "archivist", repair_from: Path | None = None) -> FixityReport:
        """Re-hash stored originals (all, a sample, or received since a date) against the catalog.

        Every checked document gets a fixity event; a run over everything also names the files in
        the store that no document records. Without ``repair_from`` it only reads; with it, each
        damaged or missing original the backup holds is put back (checked, recorded) and the
        report's ``problems`` keep only what is still wrong.
        """
        targets = targets_for(self._catalog, scope, sample, since)
        report = self._checker().run(targets, scope, f"jiandang verify ({user})", find_stray=scope == FixityScope.ALL)
        if repair_from is None or not report.problems:
            return report
        with writer_lock(self._settings.home):
            self._blobs.open()
            repaired, left = repair_from_backup(report.problems, repair_from, self._catalog, self._blobs,
                                                self._audit, user)
        return report.model_copy(update={"repaired": repaired, "problems": left})

    def verify_due(self, today: date | None = None) -> FixityReport | None:
        """The daily slice(s) not yet checked (``jiandang serve`` calls this every hour)."""
        return daily.check_due(self._catalog, self._checker(), today or date.today(), self._settings.fixity_cycle_days)

    def fixity_status(self) -> FixityStatus:
        """For the dashboard: the last checks, the daily cycle's progress and any open damage."""
        return fixity_status(self._catalog, self._settings.fixity_cycle_days)

    def _checker(self) -> FixityChecker:
        return FixityChecker(self._catalog, self._blobs, self._settings.fixity_workers)

    # --- backups ------------------------------------------------------------------------------
    def backup(self, dest: Path) -> BackupReport:
        """A consistent snapshot of the catalog, audit head, settings and saved searches in ``dest``,
        and every original it needs (only the new ones are copied). Safe while the archive works.
        """
        self._audit.flush_head()  # the head file copied names this process's newest entry
        return take_backup(archive_files(self._settings, self._blobs), dest, self._workers())

    def verify_backup(self, dest: Path, snapshot: str | None = None) -> VerifyBackupReport:
        """Check a backup's snapshot (the latest by default): catalog, audit chain, files, every original."""
        return check_backup(dest, snapshot, self._workers())

    def _workers(self) -> int:
        return self._settings.fixity_workers or os.cpu_count() or 1
