"""Search benchmark per engine: build time, documents/s, peak RSS, index size, query latency.

For each backend (``BENCH_SEARCH_BACKENDS``, default ``whoosh,tantivy``) a fresh process writes
``BENCH_SEARCH_DOCS`` generated documents of about 2 KB of Chinese construction text
(``bench.corpus_text``) through the store's ordinary ``write_documents`` in batches of
``BENCH_SEARCH_BATCH``, then runs every query type ``BENCH_SEARCH_REPEATS`` times on the warm
store. In brackets, the slowest first search of each type (for the single-character and word
types, before any cache holds the term). A process per engine makes the peak RSS that engine's alone. Every query is what the
archive runs: top 10 (50 for "highlighted"), highlights, facets and the exact total.

A 100k build takes many minutes, so ``BENCH_SEARCH_KEEP=<folder>`` keeps each engine's index in
``<folder>/<backend>`` and reuses it when it already holds ``BENCH_SEARCH_DOCS`` documents (the
build figures of the run that built it are kept beside it and printed again, marked "kept").
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import resource
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from haystack import Document

from bench.corpus_text import random_document_text, terms_by_rank
from schemas.search import SearchQuery
from search import index_schema_current, open_store

CHARACTERS = ["墙", "梁", "桩", "阀", "窗", "漆"]


@dataclass
class EngineFigures:
    backend: str
    documents: int
    build_seconds: float
    index_mb: float
    peak_rss_mb: float
    latency: dict[str, tuple[float, float, float]] = field(default_factory=dict)  # p50, p95, hits
    first: dict[str, float] = field(default_factory=dict)  # slowest first search of each query type, ms
    kept: bool = False  # the index was reused from BENCH_SEARCH_KEEP; build figures are from its build


def whoosh_cache_mb() -> int | None:
    """``BENCH_WHOOSH_CACHE_MB``: the Whoosh store's decoded-postings budget (default: the setting's)."""
    value = os.environ.get("BENCH_WHOOSH_CACHE_MB")
    return int(value) if value else None


def query_types() -> dict[str, list[tuple[SearchQuery, str]]]:
    """The query types of the issue, with terms from several document-frequency bands."""
    common, medium, rare = terms_by_rank(0, 5), terms_by_rank(20, 5), terms_by_rank(80, 5)
    long_words = [w for w in terms_by_rank(0, 400, max_chars=9) if len(w) >= 5]
    long_phrases, medium_phrases = long_words[:5], long_words[20:25]
    q = SearchQuery
    by_relevance = {
        "single character": [q(text=c) for c in CHARACTERS],
        "word, common": [q(text=w) for w in common],
        "word, medium": [q(text=w) for w in medium],
        "word, rare": [q(text=w) for w in rare],
        "two-word AND": [q(text=f"{a} {b}") for a, b in zip(common, medium, strict=True)],
        "phrase, common (5-7 characters)": [q(text=f'"{w}"') for w in long_phrases],
        "phrase, medium (5-7 characters)": [q(text=f'"{w}"') for w in medium_phrases],
        "filtered (project + class)": [q(text=w, project="P03", class_code="C5") for w in common + medium],
        "filtered (date + amount)": [q(text=w, date_from=date(2020, 1, 1), amount_min=100000) for w in medium],
        "highlighted (50 hits, 3 words OR)": [
            q(text=f"{a} OR {b} OR {c}", limit=50) for a, b, c in zip(common, medium, rare, strict=True)
        ],
    }
    types = {kind: [(query, "relevance") for query in queries] for kind, queries in by_relevance.items()}
    types["sorted by date"] = [(q(text=w), "date") for w in medium]
    return types


def _percentile(sorted_ms: list[float], fraction: float) -> float:
    return sorted_ms[max(0, int(len(sorted_ms) * fraction + 0.5) - 1)]


BUILD_RECORD = "bench-build.json"  # build figures kept beside a reusable index


def build_index(backend: str, path: Path, n: int, batch_size: int, database: str | None = None) -> tuple[Any, float]:
    """A fresh index of ``n`` generated documents; returns the store and the build seconds."""
    store = open_store(backend, path, recreate=True, whoosh_postings_cache_mb=whoosh_cache_mb(), database=database)
    rng = random.Random(5)
    started = time.perf_counter()
    batch: list[Document] = []
    for i in range(n):
        title, text, meta = random_document_text(rng)
        batch.append(Document(id=f"b{i:07d}", content=text, meta={"title": title, **meta}))
        if len(batch) == batch_size:
            store.write_documents(batch)
            batch = []
    if batch:
        store.write_documents(batch)
    return store, time.perf_counter() - started


def kept_index(backend: str, path: Path, n: int, database: str | None = None) -> tuple[Any, dict[str, float]] | None:
    """The store kept at ``path`` and its build record, when it holds exactly ``n`` documents."""
    record = path.parent / f"{backend}-{BUILD_RECORD}"
    if not record.exists() or not index_schema_current(path, backend, database):  # an older schema is rebuilt
        return None
    try:
        store = open_store(backend, path, whoosh_postings_cache_mb=whoosh_cache_mb(), database=database)
    except Exception as error:  # another schema version or a half-written folder: rebuild it
        print(f"not reusing {path}: {error}")
        return None
    if store.count_documents() != n:
        return None
    return store, json.loads(record.read_text(encoding="utf-8"))


def measure(backend: str, n: int, work: str, batch_size: int, repeats: int, keep: bool = False,
            database: str | None = None) -> EngineFigures:
    """Build (or, with ``keep``, reuse) an index of ``n`` generated documents and time every query type.

    ``database``: the PostgreSQL database of the postgres backend (its index size is that of its tables).
    """
    path = Path(work) / backend
    reused = kept_index(backend, path, n, database) if keep else None
    if reused is not None:
        store, built = reused
    else:
        record = path.parent / f"{backend}-{BUILD_RECORD}"
        record.unlink(missing_ok=True)
        store, build_seconds = build_index(backend, path, n, batch_size, database)
        built = {"build_seconds": build_seconds,
                 "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
        if keep:
            record.write_text(json.dumps(built), encoding="utf-8")
    size_mb = _index_mb(store, path)
    figures = EngineFigures(backend, n, built["build_seconds"], size_mb, 0.0, kept=reused is not None)
    for kind, queries in query_types().items():
        first = []
        for query, sort in queries:  # warm-up: first use of each term loads its postings
            t0 = time.perf_counter()
            store.search(query, sort=sort)
            first.append((time.perf_counter() - t0) * 1000)
        figures.first[kind] = max(first)
        timings, totals = [], []
        for _ in range(repeats):
            for query, sort in queries:
                t0 = time.perf_counter()
                page = store.search(query, sort=sort)
                timings.append((time.perf_counter() - t0) * 1000)
                totals.append(page.total)
        timings.sort()
        figures.latency[kind] = (statistics.median(timings), _percentile(timings, 0.95), statistics.mean(totals))
    rss_now = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures.peak_rss_mb = max(rss_now, built["peak_rss_mb"])
    return figures


def _index_mb(store: Any, path: Path) -> float:
    """The index's size on disk: its folder, or for postgres its tables with their indexes and TOAST."""
    if hasattr(store, "table_bytes"):
        return store.table_bytes() / 1e6
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def print_figures(all_figures: list[EngineFigures]) -> None:
    print("\n| backend | documents | build s | documents/s | index MB | peak RSS MB |")
    print("|---|---|---|---|---|---|")
    for f in all_figures:
        name = f"{f.backend} (kept)" if f.kept else f.backend
        print(f"| {name} | {f.documents} | {f.build_seconds:.0f} | {f.documents / f.build_seconds:.0f} | "
              f"{f.index_mb:.0f} | {f.peak_rss_mb:.0f} |")
    print("\n| query type | " + " | ".join(f"{f.backend} p50 / p95 (first) ms" for f in all_figures) + " | mean hits |")
    print("|---|" + "---|" * len(all_figures) + "---|")
    for kind in all_figures[0].latency:
        cells = [f"{f.latency[kind][0]:.1f} / {f.latency[kind][1]:.1f} ({f.first[kind]:.0f})" for f in all_figures]
        print(f"| {kind} | " + " | ".join(cells) + f" | {all_figures[0].latency[kind][2]:.0f} |")


def bench_search_engines(work: Path, n: int | None = None, backends: list[str] | None = None,
                         database: str | None = None) -> list[EngineFigures]:
    """Run ``measure`` for each configured backend in its own process and print the tables."""
    n = n or int(os.environ.get("BENCH_SEARCH_DOCS", "10000"))
    backends = backends or [b.strip() for b in os.environ.get("BENCH_SEARCH_BACKENDS", "whoosh,tantivy").split(",")
                            if b.strip()]
    batch_size = int(os.environ.get("BENCH_SEARCH_BATCH", "1000"))
    repeats = int(os.environ.get("BENCH_SEARCH_REPEATS", "20"))
    keep = os.environ.get("BENCH_SEARCH_KEEP")
    if keep:
        work = Path(keep)
        work.mkdir(parents=True, exist_ok=True)
    print(f"\n### Search: {n} generated documents (~2 KB Chinese each), batches of {batch_size}, "
          f"{repeats} repeats per query; load average at start {os.getloadavg()[0]:.1f}"
          + (f"; Whoosh postings cache {whoosh_cache_mb()} MB" if whoosh_cache_mb() is not None else ""))
    results = []
    context = multiprocessing.get_context("spawn")
    for backend in backends:
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            results.append(pool.submit(measure, backend, n, str(work), batch_size, repeats, bool(keep),
                                       database if backend == "postgres" else None).result())
        if len(backends) > 1:  # each engine's figures as soon as they exist (a long run may be cut short)
            print_figures(results[-1:])
    print_figures(results)
    print(f"\nload average at end {os.getloadavg()[0]:.1f} (other jobs share this machine)")
    return results


if __name__ == "__main__":
    import tempfile

    os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")
    with tempfile.TemporaryDirectory(prefix="jiandang-bench-search-") as tmp:
        bench_search_engines(Path(tmp))
