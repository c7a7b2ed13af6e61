"""Handover bench: bundle MB/s next to ``sha256sum`` over the same originals.

An archive of N documents (random bytes, sizes spread around the average, filed across the
taxonomy's items with dates and titles) is written straight into the store of originals and the
catalog. Ingest is not what this measures, and reading 10,000 real files would take the bench an
hour. Then:

* ``sha256sum`` hashes every stored original (page cache warmed by one untimed run, like the
  handover which reads the same warm files);
* ``ArchiveService.handover`` writes the bundle (copy + sha256/sha512 in one pass on two threads,
  inventories and manifest alongside, tag files), timed end to end, with its peak resident memory
  sampled while it runs; then ``verify_bundle`` checks it (bagit-python's full validation).

Sizes: ``BENCH_HANDOVER_DOCS`` (default 200) and ``BENCH_HANDOVER_KB`` (average size, default
500 KB, i.e. 100 MB; the issue's 10,000 documents / 5 GB is ``BENCH_HANDOVER_DOCS=10000``).
Run alone: ``PYTHONPATH=. .venv/bin/python -m bench.handover``.
"""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

from sqlalchemy import select

from bench.memory import PeakMemory
from classify import load_taxonomy
from core import ArchiveService, Settings
from core.catalog import Document, DocumentStatus, Project

CHUNK = 1024 * 1024


def _write_blob(service: ArchiveService, rng: random.Random, size: int) -> tuple[str, int]:
    """Random bytes straight into the store, hashed as written (no second read)."""
    tmp = service.blobs.root / ".incoming" / "bench.tmp"
    tmp.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with tmp.open("wb") as handle:
        left = size
        while left:
            chunk = rng.randbytes(min(CHUNK, left))
            digest.update(chunk)
            handle.write(chunk)
            left -= len(chunk)
    sha = digest.hexdigest()
    final = service.blobs.path_for(sha)
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, final)
    return sha, size


def build_archive(service: ArchiveService, code: str, n: int, avg_kb: int, seed: int = 11) -> int:
    rng = random.Random(seed)
    items = [(sub.code, item.code, item.name) for sub in load_taxonomy().subclasses() for item in sub.items]
    now = datetime.now(UTC)
    total = 0
    with service.catalog.session() as session:
        project = Project(code=code, name="市机关办公楼节能改造工程（基准）", created_at=now)
        session.add(project)
        session.flush()
        for i in range(n):
            size = max(1024, int(rng.lognormvariate(0, 0.6) * avg_kb * 1024 / 1.2))
            sha, size = _write_blob(service, rng, size)
            total += size
            sub, item, name = items[i % len(items)]
            day = date(2023, 1, 1) + timedelta(days=rng.randrange(700))
            session.add(Document(
                id=sha[:16], sha256=sha, size=size, original_name=f"{name}（第{i:05d}号）.pdf", format="pdf",
                project_id=project.id, status=DocumentStatus.PROCESSED, title=f"{name}（第{i:05d}号）",
                pages=rng.randint(1, 40), fields={"number": f"BENCH-{i:05d}", "date": day.isoformat()},
                class_code=sub, item_code=item, doc_type=name, confidence=0.9, reasons=["基准数据"],
                needs_review=False, doc_date=day, received_at=now, updated_at=now,
            ))
    return total


def _sha256sum_seconds(service: ArchiveService, code: str) -> float:
    with service.catalog.session() as session:
        shas = session.scalars(select(Document.sha256).join(Project).where(Project.code == code)).all()
    listing = "\0".join(str(service.blobs.path_for(s)) for s in shas).encode()
    command = ["xargs", "-0", "sha256sum"]
    subprocess.run(command, input=listing, stdout=subprocess.DEVNULL, check=True)  # warm the page cache
    t0 = time.perf_counter()
    subprocess.run(command, input=listing, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t0


def bench_handover(work: Path, n: int | None = None, avg_kb: int | None = None) -> None:
    n = n or int(os.environ.get("BENCH_HANDOVER_DOCS", "200"))
    avg_kb = avg_kb or int(os.environ.get("BENCH_HANDOVER_KB", "500"))
    code = "BENCH-HO"
    with ArchiveService(Settings(home=work / "home")) as service:
        t0 = time.perf_counter()
        payload = build_archive(service, code, n, avg_kb)
        built = time.perf_counter() - t0
        mb = payload / 1e6
        hashing = _sha256sum_seconds(service, code)
        with PeakMemory() as memory:
            t0 = time.perf_counter()
            report = service.handover(code, work / "bundle")
            bundling = time.perf_counter() - t0
        t0 = time.perf_counter()
        check = service.verify_bundle(Path(report.path))
        verifying = time.perf_counter() - t0
    print(f"\n### Handover: {n} documents, {mb:.0f} MB of originals (archive built in {built:.1f} s, not counted)\n")
    print("| step | seconds | MB/s | vs sha256sum |")
    print("|---|---|---|---|")
    print(f"| `sha256sum` over the originals (warm cache) | {hashing:.2f} | {mb / hashing:.0f} | 100 % |")
    print(f"| `handover` (copy + sha256 + sha512 in one pass, inventories, manifest, tags) | {bundling:.2f} | "
          f"{mb / bundling:.0f} | {100 * hashing / bundling:.0f} % |")
    print(f"| `verify-bundle` (bagit validate + schema + listing) | {verifying:.2f} | {mb / verifying:.0f} | "
          f"{100 * hashing / verifying:.0f} % |")
    print(f"\n{report.volumes} volumes, bundle {report.bytes / 1e6:.0f} MB, valid={check.valid}; "
          f"RSS {memory.start:.0f} MB when the handover started, peak {memory.peak:.0f} MB during it "
          f"(+{memory.peak - memory.start:.0f} MB)")


def main() -> None:
    print(f"machine: {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="jiandang-bench-handover-") as tmp:
        bench_handover(Path(tmp))


if __name__ == "__main__":
    main()
