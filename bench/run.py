"""``make bench``: ingest throughput and search latency, printed as tables.

Ingest: ``generate_corpus`` writes N born-digital documents (PDF/DOCX/XLSX, Chinese) and the
real ``ArchiveService.ingest`` takes them into a fresh archive (store, read, classify, catalog,
index). Reported per format: documents/s and pages/s, measured from per-file timings.

Search (``bench/search_engines.py``): M documents of about 2 KB of generated Chinese
construction text are written into each search engine's index (the same stores the archive
uses), one process per engine; build time, documents/s, peak RSS, index size, and p50/p95 in
milliseconds per query type on the warm store.

Sizes: ``BENCH_INGEST_DOCS`` (default 600) and ``BENCH_SEARCH_DOCS`` (default 10000); engines:
``BENCH_SEARCH_BACKENDS`` (default ``whoosh,tantivy``); ``BENCH_INGEST=0`` skips the ingest part.
Further sections, each skipped with its switch set to 0: ``BENCH_REINDEX`` (`jiandang reindex`
of ``BENCH_REINDEX_DOCS`` catalog rows, default 10,000: documents/s and peak RSS, bench/reindex.py),
``BENCH_WATCH``, ``BENCH_HANDOVER``,
``BENCH_OCR``, ``BENCH_OVERSIGHT`` (a 1,000-document project's oversight view and the 500-project
agency scan, bench/oversight.py), ``BENCH_API`` (search p50/p95 through the HTTP server under 20 concurrent clients,
bench/api_load.py).
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")


from bench.search_engines import bench_search_engines
from bench.timing import FileTimer
from core import ArchiveService, Settings
from core.catalog import Document as CatalogDocument
from samples import generate_corpus
from schemas.ingest import IngestRequest


def bench_ingest(work: Path, n: int) -> None:
    source = work / "drop"
    t0 = time.perf_counter()
    generate_corpus(source, n=n, seed=3, write_manifest=False)
    generated = time.perf_counter() - t0
    timer = FileTimer()
    with ArchiveService(Settings(home=work / "home")) as service:
        t0 = time.perf_counter()
        report = service.ingest(IngestRequest(paths=[source], project="BENCH"), timer)
        wall = time.perf_counter() - t0
        pages = _pages_by_id(service)
    per_format: dict[str, list[float]] = defaultdict(list)
    pages_by_format: dict[str, int] = defaultdict(int)
    previous = timer.started
    for stamp, line in timer.stamps:
        fmt = Path(line.path).suffix.lstrip(".")
        per_format[fmt].append(stamp - previous)
        pages_by_format[fmt] += pages.get(line.document_id or "", 1) or 1
        previous = stamp
    print(f"\n### Ingest: {n} generated documents (generation took {generated:.1f} s, not counted)\n")
    print("| format | documents | seconds | documents/s | pages/s |")
    print("|---|---|---|---|---|")
    for fmt, spans in sorted(per_format.items()):
        seconds = sum(spans)
        print(f"| {fmt} | {len(spans)} | {seconds:.1f} | {len(spans) / seconds:.1f} | "
              f"{pages_by_format[fmt] / seconds:.1f} |")
    print(f"| **all** (wall, incl. index commits) | {len(report.files)} | {wall:.1f} | "
          f"{len(report.files) / wall:.1f} | {sum(pages_by_format.values()) / wall:.1f} |")
    print(f"\ncounts: {report.counts.model_dump()}; peak RSS {_rss_mb():.0f} MB")


def _pages_by_id(service: ArchiveService) -> dict[str, int]:
    with service.catalog.session() as session:
        return {doc.id: doc.pages or 1 for doc in session.query(CatalogDocument).all()}


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ingest_docs = int(os.environ.get("BENCH_INGEST_DOCS", "600"))
    search_docs = int(os.environ.get("BENCH_SEARCH_DOCS", "10000"))
    print(f"machine: {os.cpu_count()} cores; python {os.sys.version.split()[0]}")
    with tempfile.TemporaryDirectory(prefix="jiandang-bench-") as tmp:
        work = Path(tmp)
        (work / "ingest").mkdir()
        (work / "search").mkdir()
        if os.environ.get("BENCH_INGEST", "1") != "0":
            bench_ingest(work / "ingest", ingest_docs)
        bench_search_engines(work / "search", search_docs)
        # --- service reindex (bench/reindex.py); BENCH_REINDEX=0 skips it; size: BENCH_REINDEX_DOCS ---
        if os.environ.get("BENCH_REINDEX", "1") != "0":
            from bench.reindex import bench_reindex

            (work / "reindex").mkdir()
            bench_reindex(work / "reindex")
        # --- watched folders (bench/watch.py); BENCH_WATCH=0 skips it (about a minute) ---
        if os.environ.get("BENCH_WATCH", "1") != "0":
            from bench.watch import bench_watch

            (work / "watch").mkdir()
            bench_watch(work / "watch")
        # --- OCR (bench/ocr.py); BENCH_OCR=0 skips it; sizes: BENCH_OCR_PAGES, BENCH_OCR_DROP ---
        if os.environ.get("BENCH_OCR", "1") != "0":
            from bench.ocr import bench_ocr

            (work / "ocr").mkdir()
            bench_ocr(work / "ocr")
        # --- handover bundles (bench/handover.py); BENCH_HANDOVER=0 skips it; size: BENCH_HANDOVER_DOCS ---
        if os.environ.get("BENCH_HANDOVER", "1") != "0":
            from bench.handover import bench_handover

            (work / "handover").mkdir()
            bench_handover(work / "handover")
        # --- oversight (bench/oversight.py); BENCH_OVERSIGHT=0 skips it; sizes: BENCH_OVERSIGHT_DOCS, _PROJECTS ---
        if os.environ.get("BENCH_OVERSIGHT", "1") != "0":
            from bench.oversight import bench_oversight

            (work / "oversight").mkdir()
            bench_oversight(work / "oversight")
        # --- search through the HTTP API under concurrent clients (bench/api_load.py); BENCH_API=0 skips it ---
        if os.environ.get("BENCH_API", "1") != "0":
            from bench.api_load import bench_api_load

            (work / "api").mkdir()
            bench_api_load(work / "api")


if __name__ == "__main__":
    main()
