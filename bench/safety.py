"""Fixity and backup bench: ``verify`` throughput next to ``sha256sum``; backup of 10,000 documents.

Archives are written straight into the store and the catalog (``bench.handover.build_archive``:
random bytes, sizes spread around an average), because reading is not what is measured.

* verify: ``sha256sum`` over every stored original (page cache warmed by one untimed run), then
  ``ArchiveService.verify`` over the same files, also warm (hashing on every core, a fixity event
  per document, the store walked for strays). Goal: at least 80 % of ``sha256sum``'s MB/s.
* backup: the first ``backup`` (catalog snapshot, every original copied, fsynced, dropped from the
  cache and read back), a second one after 1 % new documents (incremental), ``verify-backup`` and
  ``restore`` into a fresh home (index rebuilt).

Sizes: ``BENCH_FIXITY_DOCS`` (default 2000) × ``BENCH_FIXITY_KB`` (default 500); ``BENCH_BACKUP_DOCS``
(default 10000) × ``BENCH_BACKUP_KB`` (default 50). Run alone: ``PYTHONPATH=. .venv/bin/python -m bench.safety``.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

from sqlalchemy import insert, select

from bench.handover import build_archive
from core import ArchiveService, Settings
from core.catalog import Document, DocumentText


def _sha256sum(service: ArchiveService) -> float:
    listing = "\0".join(str(p) for p in sorted(service.blobs.root.glob("??/??/*"))).encode()
    command = ["xargs", "-0", "sha256sum"]
    subprocess.run(command, input=listing, stdout=subprocess.DEVNULL, check=True)  # warm the page cache
    t0 = time.perf_counter()
    subprocess.run(command, input=listing, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t0


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def bench_fixity(work: Path, n: int | None = None, avg_kb: int | None = None) -> None:
    n = n or int(os.environ.get("BENCH_FIXITY_DOCS", "2000"))
    avg_kb = avg_kb or int(os.environ.get("BENCH_FIXITY_KB", "500"))
    with ArchiveService(Settings(home=work / "home")) as service:
        mb = build_archive(service, "BENCH-FX", n, avg_kb) / 1e6
        hashing = _sha256sum(service)
        service.safekeeping.verify()  # warm, like sha256sum's second run
        report = service.safekeeping.verify()
    print(f"\n### Fixity: `jiandang verify` over {n} originals, {mb:.0f} MB (load {_load()})\n")
    print("| step | seconds | MB/s | vs sha256sum |")
    print("|---|---|---|---|")
    print(f"| `sha256sum` (xargs, one process, warm cache) | {hashing:.2f} | {mb / hashing:.0f} | 100 % |")
    print(f"| `verify --all` (threads on every core, fixity events, stray walk) | {report.seconds:.2f} | "
          f"{mb / report.seconds:.0f} | {100 * hashing / report.seconds:.0f} % |")
    print(f"\nproblems found: {len(report.problems)}")


def _add_texts(service: ArchiveService) -> None:
    """A paragraph of text per document, so the restore's index rebuild has something to index."""
    with service.catalog.session() as session:
        rows = session.execute(select(Document.id, Document.title).outerjoin(DocumentText).where(
            DocumentText.document_id.is_(None))).all()
        session.execute(insert(DocumentText), [
            {"document_id": doc_id, "content": f"{title}\n工程名称：市机关办公楼节能改造工程。施工单位：某建设集团。"
                                               f"本文件编号 {doc_id}，经监理单位审核同意。"} for doc_id, title in rows])


def bench_backup(work: Path, n: int | None = None, avg_kb: int | None = None) -> None:
    n = n or int(os.environ.get("BENCH_BACKUP_DOCS", "10000"))
    avg_kb = avg_kb or int(os.environ.get("BENCH_BACKUP_KB", "50"))
    dest = work / "backup"
    with ArchiveService(Settings(home=work / "home")) as service:
        mb = build_archive(service, "BENCH-BK", n, avg_kb) / 1e6
        _add_texts(service)
        first = service.safekeeping.backup(dest)
        build_archive(service, "BENCH-BK2", max(1, n // 100), avg_kb, seed=12)
        _add_texts(service)
        second = service.safekeeping.backup(dest)
        t0 = time.perf_counter()
        check = service.safekeeping.verify_backup(dest)
        checking = time.perf_counter() - t0
    t0 = time.perf_counter()
    restored = ArchiveService.restore(dest, work / "restored")
    restoring = time.perf_counter() - t0
    print(f"\n### Backup: {n} documents, {mb:.0f} MB of originals (load {_load()})\n")
    print("| step | seconds | documents | originals copied | MB copied |")
    print("|---|---|---|---|---|")
    print(f"| first `backup` (snapshot + every original, each read back) | {first.seconds:.1f} | {first.documents} | "
          f"{first.originals_copied} | {first.bytes_copied / 1e6:.0f} |")
    print(f"| second `backup` (1 % new documents) | {second.seconds:.1f} | {second.documents} | "
          f"{second.originals_copied} | {second.bytes_copied / 1e6:.0f} |")
    print(f"| `verify-backup` (catalog, audit chain, every original re-hashed) | {checking:.1f} | {check.documents} | "
          f"— | — |")
    print(f"| `restore` into a fresh home (copies checked, index rebuilt) | {restoring:.1f} | {restored.documents} | "
          f"{restored.originals} | {restored.bytes / 1e6:.0f} |")
    print(f"\nbackup valid={check.valid}; restored audit chain valid={restored.audit_valid}; indexed {restored.indexed}")


def main() -> None:
    print(f"machine: {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="jiandang-bench-safety-") as tmp:
        (Path(tmp) / "fixity").mkdir()
        (Path(tmp) / "backup").mkdir()
        bench_fixity(Path(tmp) / "fixity")
        bench_backup(Path(tmp) / "backup")


if __name__ == "__main__":
    main()
