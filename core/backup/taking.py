"""``jiandang backup DEST``: a consistent snapshot of a running archive, originals copied incrementally.

Order of work, and why:

1. the audit head file is read *before* the catalog is snapshotted: entries are only ever
   appended, so the head it names must be in the snapshot with the same hash, which checks the
   pin against the chain at backup time;
2. the catalog is snapshotted in one read transaction (``core.backup.engines``): documents,
   receipts, events, accounts, the audit trail, filing decisions — one instant, while ingest
   goes on; the snapshot's own newest audit entry becomes the snapshot's ``audit.head``;
3. settings (``jiandang.toml``, the taxonomy override) and saved searches are copied (each is
   replaced atomically by its writer, so a copy is the old or the new file, never half);
4. every original the *snapshot's* documents need is copied by content address, checked
   (``core.backup.copying``); documents stored after the snapshot wait for the next backup;
5. the manifest is written and the snapshot published (``core.backup.layout``).

The search index is not copied: it is derived from the catalog and rebuilt on restore, which is
faster than copying it and cannot capture an index mid-commit.
"""

from __future__ import annotations

import logging
import shutil
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.backup.copying import copy_verified
from core.backup.engines import SnapshotReader, engine_for
from core.backup.layout import AUDIT_HEAD, CATALOG_FILE, FORMAT, VERSION, BackupFolder, write_manifest
from core.fixity.hashing import digest_file, in_threads
from core.security.audit_head import read_head_text
from core.settings import Settings, config_file
from core.storage.blobstore import BlobStore
from schemas.backup import BackupProblem, BackupReport

logger = logging.getLogger(__name__)

SETTINGS_FOLDER = "settings"
SAVED_SEARCHES = "saved_searches.json"  # core.searching keeps them there (a room above this one)


@dataclass(frozen=True)
class ArchiveFiles:
    """What of an archive a backup takes besides the originals: where its catalog and small files are."""

    catalog_url: str
    blobs: BlobStore
    audit_head: Path
    saved_searches: Path
    settings_files: dict[str, Path]  # name in the backup → the file (jiandang.toml, taxonomy override)


def archive_files(settings: Settings, blobs: BlobStore) -> ArchiveFiles:
    """Where this installation keeps what a backup takes."""
    candidates = (("jiandang.toml", config_file(settings.home)), ("taxonomy_override.yaml", settings.taxonomy_override))
    return ArchiveFiles(
        catalog_url=settings.catalog_url, blobs=blobs, audit_head=settings.home / AUDIT_HEAD,
        saved_searches=settings.home / SAVED_SEARCHES,
        settings_files={name: path for name, path in candidates if path is not None},
    )


def _head_before(path: Path) -> tuple[int, str] | None:
    return read_head_text(path.read_text(encoding="ascii")) if path.is_file() else None


def _check_head(snapshot: SnapshotReader, before: tuple[int, str] | None) -> list[BackupProblem]:
    """The head file read before the snapshot must name an entry the snapshot has, with that hash."""
    if before is None or before[0] < 1:
        return []
    if snapshot.audit_hash(before[0]) == before[1]:
        return []
    return [BackupProblem(path=AUDIT_HEAD, message=f"审计链头文件记的是第 {before[0]} 条，但目录中这一条不存在或哈希不同："
                                                   "审计记录可能被删改过（jiandang audit verify）")]


def _copy_small_files(files: ArchiveFiles, partial: Path) -> list[str]:
    copied = []
    if files.saved_searches.is_file():
        shutil.copy2(files.saved_searches, partial / files.saved_searches.name)
        copied.append(files.saved_searches.name)
    for name, path in files.settings_files.items():
        if path.is_file():
            (partial / SETTINGS_FOLDER).mkdir(exist_ok=True)
            shutil.copy2(path, partial / SETTINGS_FOLDER / name)
            copied.append(f"{SETTINGS_FOLDER}/{name}")
    return copied


def take_backup(files: ArchiveFiles, dest: Path, workers: int) -> BackupReport:
    """Write one snapshot of the archive into ``dest`` and copy the originals it needs."""
    engine = engine_for(files.catalog_url)
    folder = BackupFolder(dest)
    started, clock = datetime.now(UTC), time.perf_counter()
    with folder.locked():
        folder.prepare()
        name, partial = folder.new_snapshot()
        before = _head_before(files.audit_head)
        engine.snapshot(partial / CATALOG_FILE)
        with SnapshotReader(partial / CATALOG_FILE) as snapshot:
            problems = _check_head(snapshot, before)
            head = snapshot.audit_head() or (0, "0" * 64)
            documents = snapshot.count("documents")
            needed = {sha: (doc_id, size) for doc_id, sha, size, _name in snapshot.originals()}
        (partial / AUDIT_HEAD).write_text(f"{head[0]} {head[1]}\n", encoding="ascii")
        small = [AUDIT_HEAD, *_copy_small_files(files, partial)]
        copied = copied_bytes = 0
        for sha, outcome in in_threads(sorted(needed), lambda sha: copy_verified(
                files.blobs.path_for(sha), folder.blob(sha), sha, folder.incoming), workers):
            copied += outcome.copied
            copied_bytes += outcome.bytes
            if outcome.problem:
                logger.error("backup: %s", outcome.problem)
                problems.append(BackupProblem(path=str(files.blobs.path_for(sha)), document_id=needed[sha][0],
                                              message=outcome.problem))
        catalog = digest_file(partial / CATALOG_FILE)
        manifest: dict[str, Any] = {
            "format": FORMAT, "version": VERSION, "snapshot": name, "taken_at": started.isoformat(),
            "engine": engine.name, "catalog": {"file": CATALOG_FILE, "sha256": catalog.sha256, "size": catalog.size},
            "documents": documents, "originals": len(needed), "bytes": sum(size for _, size in needed.values()),
            "audit_head": {"seq": head[0], "hash": head[1]},
            "files": {name: digest_file(partial / name).sha256 for name in small},
            "problems": [p.model_dump() for p in problems],
        }
        write_manifest(partial, manifest)
        folder.publish(name, partial)
    logger.info("backup %s: %d documents, %d new original(s) copied", name, documents, copied)
    return BackupReport(
        path=str(dest), snapshot=name, engine=engine.name, started_at=started, finished_at=datetime.now(UTC),
        seconds=round(time.perf_counter() - clock, 3), documents=documents, originals=len(needed),
        originals_copied=copied, bytes_copied=copied_bytes, audit_head_seq=head[0], audit_head_hash=head[1],
        files=small, problems=problems,
    )
