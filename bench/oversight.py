"""Oversight benchmark: one project of 1,000 documents (target: its oversight view ≤ 1 s) and an
agency of 500 projects (target: the agency-wide scan ≤ 10 s).

Documents are the oversight generator's (core/sample_oversight: approvals, contracts, changes,
签证, payments, settlement …, with seeded anomalies in part of the projects), their text written
into the catalog directly as ingest would leave it — no files are parsed, because the views never
read originals: facts are read once per document (timed apart, "first read") and stored. The
figures timed are what an auditor waits for: ``ArchiveService.oversight.detail`` and ``.agency``
with the facts already stored. Sizes: ``BENCH_OVERSIGHT_DOCS`` (1000) and
``BENCH_OVERSIGHT_PROJECTS`` (500).
"""

from __future__ import annotations

import os
import random
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

from core import ArchiveService, Settings
from core.catalog import Document, DocumentStatus, DocumentText, Project
from core.catalog.history import now
from samples.model import Doc, Fields, Heading, Para, Signatures, Table
from samples.oversight import SEEDS, build_documents, scenario_for
from samples.oversight.paper import Paper
from samples.oversight.scenario import Change, Payment
from samples.oversight.works import filler

SEEDED = [name for name in SEEDS if name not in ("clean", "C10-across")]


def doc_text(doc: Doc) -> str:
    """The text ingest would store for a generated document (title, lines, table cells joined by " | ")."""
    lines = [doc.title]
    for block in doc.blocks:
        if isinstance(block, Heading | Para):
            lines.append(block.text)
        elif isinstance(block, Fields):
            lines += [f"{label} | {value}" for label, value in block.pairs]
        elif isinstance(block, Table):
            lines += [" | ".join(block.header), *(" | ".join(row) for row in block.rows)]
        elif isinstance(block, Signatures):
            lines += [" | ".join(line) for line in block.lines]
    return "\n".join(lines)


def _documents(code: str, seed_name: str, size: int, used: set[str], changes: int = 0) -> list[Doc]:
    """A generated project padded to ``size`` documents (records with figures but no facts) after
    ``changes`` extra 签证 and ``changes // 4`` extra monthly payments, as a long project piles up.
    """
    scenario = scenario_for(code, seed_name, 31, used)
    rng = random.Random(scenario.seed)
    works = scenario.dates["start"]
    for n in range(changes):
        when = works + timedelta(days=5 + n % 200)
        scenario.changes.append(Change("visa", f"QZ-{n + 100:04d}", when, round(rng.uniform(-2e3, 2e4), 2),
                                       when - timedelta(days=2)))
    last = scenario.payments[-1]
    for n in range(changes // 4):
        scenario.payments.append(Payment(last.period + n + 1, last.date + timedelta(days=n), 1e5, 9e4,
                                         round(last.cumulative + 9e4 * (n + 1), 2)))
    docs = build_documents(scenario)
    paper = Paper(scenario, random.Random(scenario.seed))
    start = scenario.dates["start"]
    docs += [filler(paper, start + timedelta(days=n % 300), n) for n in range(max(0, size - len(docs)))]
    return docs


def _fill(service: ArchiveService, projects: dict[str, list[Doc]]) -> int:
    rows, texts, count = [], [], 0
    stamp = now()
    with service.catalog.session() as session:
        ids = {}
        for code in projects:
            project = Project(code=code, name=code, created_at=stamp)
            session.add(project)
            session.flush()
            ids[code] = project.id
    for code, docs in projects.items():
        for doc in docs:
            doc_id = f"{count:032x}"
            count += 1
            text = doc_text(doc)
            rows.append({"id": doc_id, "sha256": f"{count:064x}", "size": len(text.encode()), "original_name":
                         f"{doc.file_stem}.{doc.format}", "format": doc.format, "project_id": ids[code],
                         "status": DocumentStatus.PROCESSED, "title": doc.title, "fields": {}, "class_code":
                         doc.item_code.split("-")[0], "item_code": doc.item_code, "doc_type": doc.doc_type,
                         "confidence": 0.9, "reasons": [], "needs_review": False, "doc_date": doc.when,
                         "amount": None, "indexed_at": stamp, "received_at": stamp, "updated_at": stamp})
            texts.append({"document_id": doc_id, "content": text})
    with service.catalog.session() as session:
        session.bulk_insert_mappings(Document, rows)
        session.bulk_insert_mappings(DocumentText, texts)
    return count


def _timed(action, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    spans, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        spans.append(time.perf_counter() - started)
    return statistics.median(spans), result


def bench_oversight(work: Path) -> None:
    size = int(os.environ.get("BENCH_OVERSIGHT_DOCS", "1000"))
    count = int(os.environ.get("BENCH_OVERSIGHT_PROJECTS", "500"))
    used: set[str] = set()
    rows = []
    with ArchiveService(Settings(home=work / "one")) as service:
        _fill(service, {"BIG": _documents("BIG", "C12", size, used, changes=size // 5)})
        first, _ = _timed(lambda: service.oversight.refresh(), 1)
        view, detail = _timed(lambda: service.oversight.detail("BIG", "bench"), 5)
        rows.append(("one project: first read of its facts (once, at ingest)", size, first, "—"))
        rows.append((f"one project: oversight view (median of 5; {len(detail.report.flags)} flags)", size, view, "≤ 1 s"))
    plan = {f"P{n:03d}": (SEEDED[n % len(SEEDED)] if n % 3 == 0 else "clean") for n in range(count)}
    with ArchiveService(Settings(home=work / "agency")) as service:
        started = time.perf_counter()
        total = _fill(service, {code: _documents(code, name, 30, used) for code, name in plan.items()})
        filled = time.perf_counter() - started
        first, _ = _timed(lambda: service.oversight.refresh(), 1)
        scan, result = _timed(lambda: service.oversight.agency("bench"), 3)
        rows.append((f"agency: first read of every project's facts (catalog filled in {filled:.0f} s)", total, first, "—"))
        rows.append((f"agency-wide scan of {count} projects (median of 3; {len(result.flags)} flags)", total, scan,
                     "≤ 10 s"))
    print_rows("Oversight", rows)


def print_rows(title: str, rows: list[tuple[str, int, float, str]]) -> None:
    """One benchmark table (measure, documents, seconds, target) headed with the date and the load."""
    load = os.getloadavg()
    print(f"\n### {title} (generated projects, {date.today()}; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f})\n")
    print("| measure | documents | seconds | target |")
    print("|---|---|---|---|")
    for name, documents, seconds, target in rows:
        print(f"| {name} | {documents} | {seconds:.2f} | {target} |")
