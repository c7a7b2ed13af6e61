"""``make bench``: ingest throughput and search latency, printed as tables.

Ingest: ``generate_corpus`` writes N born-digital documents (PDF/DOCX/XLSX, Chinese) and the
real ``ArchiveService.ingest`` takes them into a fresh archive (store, read, classify, catalog,
index). Reported per format: documents/s and pages/s, measured from per-file timings.

Search: M documents of about 2 KB of generated Chinese construction text are written straight
into a Whoosh index (the same store and analysis the archive uses), then each query type is run
repeatedly on a warm searcher; p50/p95 in milliseconds.

Sizes: ``BENCH_INGEST_DOCS`` (default 600) and ``BENCH_SEARCH_DOCS`` (default 10000). Further
sections, each skipped with its switch set to 0: ``BENCH_WATCH``, ``BENCH_HANDOVER``, ``BENCH_API``
(search p50/p95 through the HTTP server under 20 concurrent clients, bench/api_load.py).
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

from haystack import Document

from bench.corpus_text import random_document_text, terms_by_rank
from core import ArchiveService, Settings
from core.catalog import Document as CatalogDocument
from core.sample_project import generate_corpus
from schemas.ingest import FileReport, IngestRequest
from schemas.search import SearchQuery
from search import WhooshDocumentStore


class _Timer:
    """Progress hook that timestamps every finished file."""

    def __init__(self) -> None:
        self.stamps: list[tuple[float, FileReport]] = []
        self.started = 0.0

    def start(self, total: int) -> None:
        self.started = time.perf_counter()

    def advance(self, report: FileReport) -> None:
        self.stamps.append((time.perf_counter(), report))


def bench_ingest(work: Path, n: int) -> None:
    source = work / "drop"
    t0 = time.perf_counter()
    generate_corpus(source, n=n, seed=3, write_manifest=False)
    generated = time.perf_counter() - t0
    timer = _Timer()
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


def _queries() -> dict[str, list[SearchQuery]]:
    """Query types of the issue, with terms from three document-frequency bands."""
    common, medium, rare = terms_by_rank(0, 5), terms_by_rank(20, 5), terms_by_rank(80, 5)
    long_phrases = [w for w in terms_by_rank(0, 200, max_chars=9) if len(w) >= 5][:5]
    chars = ["墙", "梁", "桩", "阀", "窗", "漆"]
    q = SearchQuery
    return {
        "single character": [q(text=c) for c in chars],
        "word, common": [q(text=w) for w in common],
        "word, medium": [q(text=w) for w in medium],
        "word, rare": [q(text=w) for w in rare],
        "phrase (5-7 characters)": [q(text=f'"{w}"') for w in long_phrases],
        "two-word AND": [q(text=f"{a} {b}") for a, b in zip(common, medium, strict=True)],
        "filtered (project + class)": [q(text=w, project="P03", class_code="C5") for w in common + medium],
        "date range + amount": [q(text=w, date_from=date(2020, 1, 1), amount_min=100000) for w in medium],
    }


def bench_search(work: Path, n: int, repeats: int = 20) -> None:
    rng = random.Random(5)
    store = WhooshDocumentStore(index_path=str(work / "index"))
    t0 = time.perf_counter()
    batch: list[Document] = []
    for i in range(n):
        title, text, meta = random_document_text(rng)
        batch.append(Document(id=f"b{i:07d}", content=text, meta={"title": title, **meta}))
        if len(batch) == 1000:
            store.write_documents(batch)
            batch = []
    if batch:
        store.write_documents(batch)
    build = time.perf_counter() - t0
    size_mb = sum(p.stat().st_size for p in (work / "index").rglob("*") if p.is_file()) / 1e6
    print(f"\n### Search: {n} documents (~2 KB Chinese each) on Whoosh\n")
    print(f"index build {build:.1f} s ({n / build:.0f} documents/s), index size {size_mb:.0f} MB, "
          f"peak RSS {_rss_mb():.0f} MB. Every query returns the top 10 with highlights and the exact total.\n")
    print("| query type | p50 ms | p95 ms | mean hits |")
    print("|---|---|---|---|")
    rows = [*_queries().items(), ("sorted by date", [SearchQuery(text=w) for w in terms_by_rank(20, 5)])]
    for kind, queries in rows:
        sort = "date" if kind.startswith("sorted") else "relevance"
        timings, totals = [], []
        for _ in range(repeats):
            for query in queries:
                t0 = time.perf_counter()
                page = store.search(query, sort=sort)
                timings.append((time.perf_counter() - t0) * 1000)
                totals.append(page.total)
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        print(f"| {kind} | {statistics.median(timings):.1f} | {p95:.1f} | {statistics.mean(totals):.0f} |")


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
        bench_ingest(work / "ingest", ingest_docs)
        bench_search(work / "search", search_docs)
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
        # --- search through the HTTP API under concurrent clients (bench/api_load.py); BENCH_API=0 skips it ---
        if os.environ.get("BENCH_API", "1") != "0":
            from bench.api_load import bench_api_load

            (work / "api").mkdir()
            bench_api_load(work / "api")


if __name__ == "__main__":
    main()
