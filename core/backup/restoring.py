"""The file half of ``jiandang restore SRC --home DIR``: catalog, originals, settings, saved searches.

The service (``ArchiveService.restore``) then opens the restored archive, rebuilds its search
index from the catalog and checks the audit chain; this module only puts files in place, each
checked: the catalog snapshot against the manifest's sha256, every original against its
address (``core.backup.copying``).

A home that already holds something is refused unless ``force`` is given: restoring over a
live archive replaces its catalog. Settings written on another machine may name that machine's
folders (``home``, ``originals_dir``, ``database_url`` …); those lines are commented out in the
restored ``jiandang.toml`` and the report says so, so the restored archive lives where it was
put. A taxonomy override travels with the backup and is put in the new home.
"""

from __future__ import annotations

import os
import re
import shutil
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from core.backup.copying import copy_verified
from core.backup.engines import SnapshotReader
from core.backup.layout import AUDIT_HEAD, CATALOG_FILE, BackupFolder
from core.backup.taking import SAVED_SEARCHES, SETTINGS_FOLDER
from core.catalog import Catalog
from core.errors import InputError, StorageError
from core.fixity.hashing import digest_file, in_threads
from core.indexing.search_index import SearchIndex
from core.security.audit import AuditLog
from core.settings import Settings
from core.storage.blobstore import BlobStore
from core.storage.locks import writer_lock
from schemas.backup import BackupProblem, RestoreReport

CONFIG_NAME = "jiandang.toml"
TAXONOMY_NAME = "taxonomy_override.yaml"
LOCATION_KEYS = ("home", "database_url", "originals_dir", "index_dir", "inbox_dir", "taxonomy_override")
_KEY_LINE = re.compile(rf"^\s*({'|'.join(LOCATION_KEYS)})\s*=")


@dataclass
class RestoredFiles:
    snapshot: str
    taken_at: datetime
    documents: int
    originals: int
    bytes: int
    files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[BackupProblem] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)  # for ``Settings(**settings)`` of the new home


def _refuse_unless_empty(home: Path, force: bool) -> None:
    if home.exists() and not home.is_dir():
        raise InputError(f"{home} is a file, not a folder to restore into", path=str(home))
    if home.is_dir() and any(home.iterdir()) and not force:
        raise InputError(f"{home} is not empty: restore into an empty folder, or add --force to replace "
                         "the archive that is there", path=str(home))


def _put_catalog(folder: Path, manifest: dict[str, Any], home: Path) -> None:
    snapshot = folder / CATALOG_FILE
    if digest_file(snapshot).sha256 != manifest["catalog"]["sha256"]:
        raise StorageError(f"the catalog snapshot {snapshot} does not match its manifest (damaged); "
                           "restore an older snapshot (--snapshot) or check the backup (jiandang verify-backup)",
                           path=str(snapshot))
    target = home / CATALOG_FILE
    for stale in (target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
        stale.unlink(missing_ok=True)  # an old journal must never be replayed onto the restored file
    temporary = target.with_name(target.name + ".restoring")
    shutil.copyfile(snapshot, temporary)
    os.replace(temporary, target)


def _settings(folder: Path, home: Path, restored: RestoredFiles) -> None:
    """Restore jiandang.toml (location lines commented out) and the taxonomy override; note both."""
    values: dict[str, Any] = {"home": home, "database_url": None, "originals_dir": None, "index_dir": None,
                              "inbox_dir": None, "taxonomy_override": None}
    taxonomy = folder / SETTINGS_FOLDER / TAXONOMY_NAME
    if taxonomy.is_file():
        shutil.copy2(taxonomy, home / TAXONOMY_NAME)
        values["taxonomy_override"] = home / TAXONOMY_NAME
        restored.files.append(TAXONOMY_NAME)
    config = folder / SETTINGS_FOLDER / CONFIG_NAME
    if config.is_file():
        text = config.read_text(encoding="utf-8")
        kept, dropped = _without_locations(text, values["taxonomy_override"])
        (home / CONFIG_NAME).write_text(kept, encoding="utf-8")
        values |= {k: v for k, v in tomllib.loads(kept).items() if k not in LOCATION_KEYS}
        restored.files.append(CONFIG_NAME)
        if dropped:
            restored.notes.append(f"{CONFIG_NAME}: {', '.join(dropped)} named the old machine's folders and were "
                                  "commented out; the restored archive lives in its new home")
    restored.settings = values


def _without_locations(text: str, taxonomy: Path | None) -> tuple[str, list[str]]:
    lines, dropped, in_table = [], [], False
    for line in text.splitlines():
        in_table = in_table or line.lstrip().startswith("[")
        match = None if in_table else _KEY_LINE.match(line)
        if match:
            dropped.append(match.group(1))
            lines.append(f"# (jiandang restore) {line}")
            if match.group(1) == "taxonomy_override" and taxonomy is not None:
                lines.append(f'taxonomy_override = "{taxonomy}"')
        else:
            lines.append(line)
    return "\n".join(lines) + "\n", dropped


def restore_archive(source: Path, home: Path, *, force: bool = False, snapshot: str | None = None) -> RestoreReport:
    """Restore a backup into ``home``, rebuild its search index and check its audit chain."""
    restored = restore_files(source, home, force=force, snapshot_name=snapshot, workers=os.cpu_count() or 1)
    settings = Settings(**restored.settings)
    settings.ensure_dirs()
    catalog = Catalog(settings.catalog_url)
    try:
        catalog.migrate()  # a backup of an older version is brought to this version's schema
        with writer_lock(home):
            indexed = SearchIndex(catalog, settings).rebuild()
        audit = AuditLog(catalog, head_file=home / AUDIT_HEAD).verify()
    finally:
        catalog.dispose()
    return RestoreReport(
        home=str(home), source=str(source), snapshot=restored.snapshot, taken_at=restored.taken_at,
        documents=restored.documents, originals=restored.originals, bytes=restored.bytes, indexed=indexed,
        audit_entries=audit.checked, audit_valid=audit.valid, audit_head_seq=audit.head_seq,
        files=restored.files, notes=restored.notes, problems=restored.problems,
    )


def restore_files(source: Path, home: Path, *, force: bool, snapshot_name: str | None, workers: int) -> RestoredFiles:
    backup = BackupFolder(source)
    name, folder, manifest = backup.snapshot(snapshot_name)
    _refuse_unless_empty(home, force)
    home.mkdir(parents=True, exist_ok=True)
    _put_catalog(folder, manifest, home)
    store = BlobStore(home / "originals")
    store.open()
    with SnapshotReader(home / CATALOG_FILE) as catalog:
        needed = {sha: (doc_id, original) for doc_id, sha, _size, original in catalog.originals()}
        documents = catalog.count("documents")
    restored = RestoredFiles(snapshot=name, taken_at=datetime.fromisoformat(manifest["taken_at"]),
                             documents=documents, originals=0, bytes=0, files=[CATALOG_FILE])
    for small in (AUDIT_HEAD, SAVED_SEARCHES):
        if (folder / small).is_file():
            shutil.copy2(folder / small, home / small)
            restored.files.append(small)
    _settings(folder, home, restored)
    incoming = home / "originals" / ".incoming"
    for sha, outcome in in_threads(sorted(needed), lambda sha: copy_verified(
            backup.blob(sha), store.path_for(sha), sha, incoming), workers):
        if outcome.problem and not store.path_for(sha).exists():
            doc_id, original = needed[sha]
            restored.problems.append(BackupProblem(path=str(backup.blob(sha)), document_id=doc_id,
                                                   message=f"《{original}》（文档 {doc_id}）：{outcome.problem}"))
            continue
        restored.originals += 1
        restored.bytes += store.path_for(sha).stat().st_size
    return restored
