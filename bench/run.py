"""``make bench``: ingest throughput and search latency, printed as tables.

Ingest: ``generate_corpus`` writes N born-digital documents (PDF/DOCX/XLSX, Chinese) and the
real ``ArchiveService.ingest`` takes them into a fresh archive (store, read, classify, catalog,
index). Reported per format: documents/s and pages/s, measured from per-file timings.

Search (``bench/search_engines.py``): M documents of about 2 KB of generated Chinese
construction text are written into each search engine's index (the same stores the archive
uses), one process per engine; build time, documents/s, peak RSS, index size, and p50/p95 in
milliseconds per query type on the warm store.

Ingest runs twice (``BENCH_INGEST_MODES``, default ``readers,main``): in reader processes on
every core, as ``jiandang ingest`` reads a batch of ``ingest_processes_from`` files or more, and
on the main thread alone (per-format figures come from this run).

Sizes: ``BENCH_INGEST_DOCS`` (default 600) and ``BENCH_SEARCH_DOCS`` (default 10000); engines:
``BENCH_SEARCH_BACKENDS`` (default ``whoosh,tantivy``); ``BENCH_INGEST=0`` skips the ingest part,
``BENCH_SEARCH=0`` the engines.
Further sections, each skipped with its switch set to 0: ``BENCH_REINDEX`` (`jiandang reindex`
of ``BENCH_REINDEX_DOCS`` catalog rows, default 10,000: documents/s and peak RSS, bench/reindex.py),
``BENCH_WATCH``, ``BENCH_HANDOVER``,
``BENCH_OCR``, ``BENCH_POSTGRES`` (bench/postgres.py: ingest on one and two app nodes sharing a
PostgreSQL, replica lag under the drop, the postgres search backend beside tantivy), ``BENCH_API``
(search p50/p95 through the HTTP server under 20 concurrent clients, bench/api_load.py),
``BENCH_STARTUP`` (the command line's and the server's start-up, bench/startup.py), ``BENCH_PAGES``
(web UI pages with one project of 10,000 documents, bench/pages.py), ``BENCH_PAGE_CACHE``
(the project page's first and cached views over HTTP and the cached dashboard, bench/page_cache.py), ``BENCH_SAFETY`` (``verify`` vs ``sha256sum``,
backup/verify-backup/restore of 10,000 documents, bench/safety.py), ``BENCH_HOSTILE`` (every hostile
case of bench/hostile.py: outcome, time, peak memory), ``BENCH_OVERSIGHT`` (a 1,000-document project's
oversight view and the 500-project agency scan, bench/oversight.py), ``BENCH_DISCLOSURE`` (a
1,000-document project's disclosure draft and the 500-project overdue list, bench/disclosure.py).
"""

from __future__ import annotations

import importlib
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
    """``ArchiveService.ingest`` of ``n`` generated files: in reader processes (what ``jiandang
    ingest`` does for a batch of ``ingest_processes_from`` files or more) and on the main thread.
    """
    source = work / "drop"
    t0 = time.perf_counter()
    generate_corpus(source, n=n, seed=3, write_manifest=False)
    generated = time.perf_counter() - t0
    modes = [m for m in os.environ.get("BENCH_INGEST_MODES", "readers,main").split(",") if m]
    print(f"\n### Ingest: {n} generated documents (generation took {generated:.1f} s, not counted)\n")
    print("| reading | documents | seconds (wall, incl. index commits) | documents/s | pages/s | load (1 min, start–end) |")
    print("|---|---|---|---|---|---|")
    per_format: dict[str, list[float]] = defaultdict(list)
    pages_by_format: dict[str, int] = defaultdict(int)
    for mode in modes:
        threshold = 1 if mode == "readers" else 0
        timer = FileTimer()
        load = os.getloadavg()[0]
        with ArchiveService(Settings(home=work / f"home-{mode}", ingest_processes_from=threshold)) as service:
            t0 = time.perf_counter()
            report = service.ingest(IngestRequest(paths=[source], project="BENCH"), timer)
            wall = time.perf_counter() - t0
            pages = _pages_by_id(service)
        total_pages = sum(pages.get(line.document_id or "", 1) or 1 for line in report.files)
        label = "reader processes, one per core" if mode == "readers" else "main thread (one process)"
        print(f"| {label} | {len(report.files)} | {wall:.1f} | {len(report.files) / wall:.1f} | "
              f"{total_pages / wall:.1f} | {load:.1f}–{os.getloadavg()[0]:.1f} |")
        if mode == "main":  # per-file spans mean something only when files are read one after another
            previous = timer.started
            for stamp, line in timer.stamps:
                fmt = Path(line.path).suffix.lstrip(".")
                per_format[fmt].append(stamp - previous)
                pages_by_format[fmt] += pages.get(line.document_id or "", 1) or 1
                previous = stamp
        print(f"\ncounts ({mode}): {report.counts.model_dump()}")
    if per_format:
        print("\n| format (main thread) | documents | seconds | documents/s | pages/s |")
        print("|---|---|---|---|---|")
        for fmt, spans in sorted(per_format.items()):
            seconds = sum(spans)
            print(f"| {fmt} | {len(spans)} | {seconds:.1f} | {len(spans) / seconds:.1f} | "
                  f"{pages_by_format[fmt] / seconds:.1f} |")
    print(f"\npeak RSS of this process {_rss_mb():.0f} MB (reader processes not counted)")


def _pages_by_id(service: ArchiveService) -> dict[str, int]:
    with service.catalog.session() as session:
        return {doc.id: doc.pages or 1 for doc in session.query(CatalogDocument).all()}


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# The sections after ingest and the engines, in order: (switch, module, its functions, folder).
# Each runs unless its switch is "0" and gets fresh folders in the run's temporary directory.
SECTIONS: list[tuple[str, str, tuple[str, ...]]] = [
    ("BENCH_REINDEX", "bench.reindex", ("bench_reindex",)),  # size: BENCH_REINDEX_DOCS
    ("BENCH_WATCH", "bench.watch", ("bench_watch",)),  # about a minute
    ("BENCH_OCR", "bench.ocr", ("bench_ocr",)),  # sizes: BENCH_OCR_PAGES, BENCH_OCR_DROP
    ("BENCH_HANDOVER", "bench.handover", ("bench_handover",)),  # size: BENCH_HANDOVER_DOCS
    ("BENCH_POSTGRES", "bench.postgres", ("bench_postgres",)),  # BENCH_PG_INGEST_DOCS, BENCH_PG_SEARCH_DOCS
    ("BENCH_SAFETY", "bench.safety", ("bench_fixity", "bench_backup")),  # verify vs sha256sum; backup of 10,000
    ("BENCH_HOSTILE", "bench.hostile", ("bench_hostile",)),  # about 20 minutes; BENCH_HOSTILE_TIME_LIMIT
    ("BENCH_OVERSIGHT", "bench.oversight", ("bench_oversight",)),  # BENCH_OVERSIGHT_DOCS, _PROJECTS
    ("BENCH_DISCLOSURE", "bench.disclosure", ("bench_disclosure",)),  # BENCH_DISCLOSURE_DOCS, _PROJECTS
    ("BENCH_API", "bench.api_load", ("bench_api_load",)),
    ("BENCH_PAGES", "bench.pages", ("bench_pages",)),
    ("BENCH_PAGE_CACHE", "bench.page_cache", ("bench_page_cache",)),  # first view vs cached views
]


def _wanted(switch: str) -> bool:
    return os.environ.get(switch, "1") != "0"


def main() -> None:
    ingest_docs = int(os.environ.get("BENCH_INGEST_DOCS", "600"))
    search_docs = int(os.environ.get("BENCH_SEARCH_DOCS", "10000"))
    print(f"machine: {os.cpu_count()} cores; python {os.sys.version.split()[0]}")
    with tempfile.TemporaryDirectory(prefix="jiandang-bench-") as tmp:
        work = Path(tmp)
        (work / "ingest").mkdir()
        (work / "search").mkdir()
        if _wanted("BENCH_INGEST"):
            bench_ingest(work / "ingest", ingest_docs)
        if _wanted("BENCH_STARTUP"):  # the command line's and the server's start-up (bench/startup.py)
            from bench.startup import bench_startup

            (work / "startup").mkdir()
            bench_startup(work / "startup")
        if _wanted("BENCH_SEARCH"):
            bench_search_engines(work / "search", search_docs)
        for switch, module_name, functions in SECTIONS:
            if not _wanted(switch):
                continue
            module = importlib.import_module(module_name)
            for name in functions:
                folder = work / name.removeprefix("bench_")
                folder.mkdir()
                getattr(module, name)(folder)


if __name__ == "__main__":
    main()
