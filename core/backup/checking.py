"""``jiandang verify-backup``: is a backup whole, and would it restore?

Checks a snapshot (the latest by default) against its manifest and its own contents, reading
only: the catalog snapshot's sha256 and SQLite's integrity check; the audit chain inside it,
link by link, against the snapshot's ``audit.head``; the settings and saved searches against the
manifest's hashes; and every original the snapshot's documents need, re-hashed in the backup's
store. Each problem names the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.backup.engines import SnapshotReader
from core.backup.layout import AUDIT_HEAD, CATALOG_FILE, BackupFolder
from core.fixity.hashing import digest_file, hash_all
from core.security.audit import check_chain
from core.security.audit_head import read_head_text
from schemas.backup import BackupProblem, VerifyBackupReport


def _files_problems(folder: Path, manifest: dict[str, Any]) -> list[BackupProblem]:
    problems = []
    catalog = digest_file(folder / CATALOG_FILE)
    if catalog.sha256 != manifest["catalog"]["sha256"]:
        problems.append(BackupProblem(path=str(folder / CATALOG_FILE),
                                      message=f"目录快照 {folder / CATALOG_FILE} 与清单记录的 sha256 不符（已损坏或被改动）"))
    for name, sha in manifest.get("files", {}).items():
        if digest_file(folder / name).sha256 != sha:
            problems.append(BackupProblem(path=str(folder / name), message=f"{folder / name} 缺失或与清单记录的 sha256 不符"))
    return problems


def _catalog_problems(snapshot: SnapshotReader, folder: Path, manifest: dict[str, Any]) -> tuple[int, list[BackupProblem]]:
    problems = []
    verdict = snapshot.integrity()
    if verdict != "ok":
        problems.append(BackupProblem(path=str(snapshot.path), message=f"目录快照未通过 SQLite 完整性检查：{verdict}"))
    head_file = folder / AUDIT_HEAD
    head = read_head_text(head_file.read_text(encoding="ascii")) if head_file.is_file() else None
    chain = check_chain(snapshot.audit_rows(), head)
    problems += [BackupProblem(path=str(snapshot.path), message=f"审计链：{problem}") for problem in chain.problems]
    if chain.head_seq != manifest["audit_head"]["seq"]:
        problems.append(BackupProblem(path=str(head_file), message=f"审计链止于第 {chain.head_seq} 条，"
                                                                   f"清单记的是第 {manifest['audit_head']['seq']} 条"))
    return chain.checked, problems


def check_backup(dest: Path, snapshot_name: str | None, workers: int) -> VerifyBackupReport:
    backup = BackupFolder(dest)
    name, folder, manifest = backup.snapshot(snapshot_name)
    problems = _files_problems(folder, manifest)
    with SnapshotReader(folder / CATALOG_FILE) as snapshot:
        entries, found = _catalog_problems(snapshot, folder, manifest)
        problems += found
        documents = snapshot.count("documents")
        needed = {sha: (doc_id, size, original) for doc_id, sha, size, original in snapshot.originals()}
    checked = hashed = 0
    for sha, digest in hash_all(sorted(needed), backup.blob, workers):
        doc_id, size, original = needed[sha]
        checked += 1
        hashed += digest.size or 0
        if digest.sha256 == sha and digest.size == size:
            continue
        what = "不在备份中" if digest.error else "已损坏（与其 sha256 不符）"
        problems.append(BackupProblem(path=str(backup.blob(sha)), document_id=doc_id,
                                      message=f"《{original}》（文档 {doc_id}）的原件副本{what}：{backup.blob(sha)}"))
    return VerifyBackupReport(path=str(dest), snapshot=name, valid=not problems, documents=documents,
                              originals_checked=checked, bytes_checked=hashed, audit_entries=entries, problems=problems)
