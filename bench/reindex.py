"""Reindex benchmark: ``ArchiveService.reindex`` (what `jiandang reindex` runs) over N catalog rows.

The catalog is filled with ``BENCH_REINDEX_DOCS`` (default 10,000) processed documents of
generated Chinese text (``bench.corpus_text``) by inserting rows straight through core's catalog
models: no files are parsed, because the reindex never reads originals, only the catalog's rows
and stored text. The reindex then runs in a fresh process, so the peak RSS printed is the
reindex's own and not the filling's. ``BENCH_REINDEX_BACKEND`` picks the engine (default tantivy).
"""

from __future__ import annotations

import multiprocessing
import os
import random
import resource
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

from bench.corpus_text import random_document_text
from bench.memory import PeakMemory
from core import ArchiveService, Settings
from core.catalog import Document, DocumentStatus, DocumentText, Project
from core.catalog.history import now

_INSERT_CHUNK = 5000  # rows per catalog transaction while filling


def _settings(home: Path, backend: str) -> Settings:
    return Settings(home=home, search_backend=backend)


def fill_catalog(home: Path, n: int, backend: str) -> float:
    """Insert ``n`` processed documents with stored text; returns the seconds it took."""
    started = time.perf_counter()
    rng = random.Random(11)
    with ArchiveService(_settings(home, backend)) as service:
        with service.catalog.session() as session:
            projects = {}
            for code in sorted({f"P{i:02d}" for i in range(1, 21)}):
                project = Project(code=code, name=f"市机关{code}号楼改造工程", created_at=now())
                session.add(project)
                projects[code] = project
            session.flush()
            project_ids = {code: project.id for code, project in projects.items()}
        for start in range(0, n, _INSERT_CHUNK):
            rows, texts = [], []
            stamp = now()
            for i in range(start, min(n, start + _INSERT_CHUNK)):
                title, text, meta = random_document_text(rng)
                doc_id = f"{i:032x}"
                rows.append({
                    "id": doc_id, "sha256": f"{i:064x}", "size": len(text.encode("utf-8")),
                    "original_name": f"{title}-{i}.docx", "format": "docx",
                    "project_id": project_ids[meta["project"]], "status": DocumentStatus.PROCESSED,
                    "title": title, "fields": {"parties": {"施工单位": "中建三局"}},
                    "class_code": meta["class_code"], "doc_type": title, "confidence": 0.9, "reasons": [],
                    "needs_review": False, "doc_date": date.fromisoformat(meta["date"]),
                    "amount": meta["amount"], "indexed_at": None, "received_at": stamp, "updated_at": stamp,
                })
                texts.append({"document_id": doc_id, "content": text})
            with service.catalog.session() as session:  # bulk INSERTs: ORM objects would double the time
                session.bulk_insert_mappings(Document, rows)
                session.bulk_insert_mappings(DocumentText, texts)
    return time.perf_counter() - started


def run_reindex(home: str, backend: str) -> tuple[float, int, float, float]:
    """(seconds, documents indexed, peak RSS MB, peak anonymous RSS MB) of one service reindex."""
    with PeakMemory(interval=0.2) as memory, ArchiveService(_settings(Path(home), backend)) as service:
        started = time.perf_counter()
        report = service.reindex()
        seconds = time.perf_counter() - started
        indexed = service.store.count_documents()
    if indexed != report.documents:
        raise RuntimeError(f"reindex left {indexed} documents in the index, the catalog has {report.documents}")
    # the kernel's lifetime peak as well: a spike shorter than the sampling interval is not lost
    peak = max(memory.peak, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return seconds, report.indexed, peak, memory.peak_anon


def bench_reindex(work: Path, n: int | None = None) -> tuple[float, int, float, float]:
    """Fill a catalog with ``n`` documents, reindex it in a fresh process, print the figures."""
    n = n or int(os.environ.get("BENCH_REINDEX_DOCS", "10000"))
    backend = os.environ.get("BENCH_REINDEX_BACKEND", "tantivy")
    home = work / "home"
    filled = fill_catalog(home, n, backend)
    load = os.getloadavg()[0]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        seconds, indexed, rss, anon = pool.submit(run_reindex, str(home), backend).result()
    index_mb = sum(p.stat().st_size for p in (home / "index").rglob("*") if p.is_file()) / 1e6
    print(f"\n### Reindex: {n} catalog documents (~2 KB Chinese each), {backend}, through "
          f"ArchiveService.reindex (catalog filled in {filled:.0f} s, not counted)\n")
    print("| documents | seconds | documents/s | peak RSS MB (anonymous) | index MB | load average at start / end |")
    print("|---|---|---|---|---|---|")
    print(f"| {indexed} | {seconds:.0f} | {indexed / seconds:.0f} | {rss:.0f} ({anon:.0f}) | {index_mb:.0f} | "
          f"{load:.1f} / {os.getloadavg()[0]:.1f} |")
    return seconds, indexed, rss, anon


if __name__ == "__main__":
    import tempfile

    os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")
    with tempfile.TemporaryDirectory(prefix="jiandang-bench-reindex-") as tmp:
        bench_reindex(Path(tmp))
