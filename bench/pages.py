"""Web UI page times with a large project: ``make bench`` → ``BENCH_PAGES`` (default on).

One archive with ``BENCH_PAGES_DOCS`` (default 10,000) processed documents in ONE project, filed
across the taxonomy's items (so the project has hundreds of 案卷), 1 % quarantined, their text in
the search index, and ``BENCH_PAGES_AUDIT`` (default 20,000) audit entries (a properly hash-chained
trail). The catalog rows are inserted directly (no files are read: page times do not depend on
how the documents arrived), each with a small stored original (its text) so the completeness
report's 四性 checks find and hash real files; one real DOCX is ingested for the preview page.

Each page is requested through the app in this process (Starlette's test client: no network, so
the time is the server's), once to warm up and then ``BENCH_PAGES_RUNS`` (default 7) times, as the
signed-in admin; the table prints the median and the slowest wall time with the load average, and
the median CPU time, which a shared machine's load does not inflate.

Two rows re-file one document before each (untimed) request, so what is timed is the first
completeness report after a change: the page (which waits up to a second for the new report,
``ArchiveService.completeness(cached=True)``), and the report alone in process. The re-filing
writes the search index, whose merge threads may still run during the timed request.
"""

from __future__ import annotations

import hashlib
import os
import random
import statistics
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench.corpus_text import random_document_text
from core import ArchiveService, Settings
from core.catalog import Document, DocumentStatus, DocumentText
from core.catalog.history import now
from core.catalog.models import AuditEntry
from core.security.audit import GENESIS, TIME_FORMAT, canonical_json, entry_hash
from schemas.ingest import IngestRequest
from schemas.projects import NewProject

PROJECT = "BENCH-2025-001"
PASSWORD = "bench-口令-2025"
_CHUNK = 5000


def fill(service: ArchiveService, n: int, audit_entries: int) -> list[str]:
    """``n`` processed documents in one project (1 % quarantined), and a hash-chained audit trail."""
    service.projects.add(NewProject(code=PROJECT, name="市行政中心综合楼工程", owner="市机关事务管理局"), who="bench")
    project_id = _project_id(service)
    items = [(sub.code, item.code, item.name) for sub, item in service.filing.taxonomy.items()]
    rng = random.Random(15)
    ids: list[str] = []
    for start in range(0, n, _CHUNK):
        rows, texts, stamp = [], [], now()
        for i in range(start, min(n, start + _CHUNK)):
            title, text, meta = random_document_text(rng)
            subclass, item, item_name = rng.choice(items)
            doc_id = f"{i + 1:016x}"
            quarantined = i % 100 == 99
            sha, size = _original(service, f"{text}\n（第 {i} 件）".encode())
            rows.append({
                "id": doc_id, "sha256": sha, "size": size, "format": "pdf",
                "original_name": f"{item_name}-{i}.pdf", "project_id": project_id,
                "status": DocumentStatus.QUARANTINED if quarantined else DocumentStatus.PROCESSED,
                "quarantine_code": "corrupt" if quarantined else None, "title": None if quarantined else title,
                "fields": {"number": f"BH-{i:05d}", "parties": {"施工单位": "中建三局"}},
                "class_code": None if quarantined else subclass, "item_code": None if quarantined else item,
                "doc_type": item_name, "confidence": 0.9, "reasons": [], "needs_review": i % 37 == 0,
                "doc_date": date.fromisoformat(meta["date"]), "amount": meta["amount"], "indexed_at": None,
                "received_at": stamp - timedelta(days=rng.randint(0, 400)), "updated_at": stamp,
            })
            if not quarantined:
                texts.append({"document_id": doc_id, "content": text})
            ids.append(doc_id)
        with service.catalog.session() as session:
            session.bulk_insert_mappings(Document, rows)
            session.bulk_insert_mappings(DocumentText, texts)
    service.reindex()
    _audit_trail(service, ids, audit_entries, rng)
    return ids


def _original(service: ArchiveService, content: bytes) -> tuple[str, int]:
    """A stored original for a bench row (its text as bytes), so the 四性 checks find and hash a file
    as they do in a real archive instead of reporting 10,000 missing originals.
    """
    sha = hashlib.sha256(content).hexdigest()
    path = service.blobs.path_for(sha)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return sha, len(content)


def _project_id(service: ArchiveService) -> int:
    from sqlalchemy import select

    from core.catalog import Project

    with service.catalog.session() as session:
        return session.scalar(select(Project.id).where(Project.code == PROJECT))


def _audit_trail(service: ArchiveService, ids: list[str], n: int, rng: random.Random) -> None:
    """``n`` entries (searches, views, downloads) over the last year, chained exactly as ``AuditLog`` does."""
    head_seq, prev = service.audit.head()
    start = datetime.now(UTC) - timedelta(days=365)
    rows = []
    for k in range(n):
        seq = head_seq + k + 1
        at = (start + timedelta(seconds=k * 365 * 86400 // max(n, 1))).strftime(TIME_FORMAT)
        action = rng.choice(["search", "document.view", "original.download", "document.view"])
        target = None if action == "search" else rng.choice(ids)
        detail = canonical_json({"query": {"text": "设计变更"}, "total": 18} if action == "search"
                                else {"ui": True, "ip": "10.0.0.8"})
        digest = entry_hash(seq, at, "zhangshen", action, target, detail, prev)
        rows.append({"seq": seq, "at": at, "actor": "zhangshen", "action": action, "target": target,
                     "detail": detail, "prev_hash": prev, "entry_hash": digest})
        prev = digest
    with service.catalog.session() as session:
        session.bulk_insert_mappings(AuditEntry, rows)
    (service.settings.home / "audit.head").write_text(f"{rows[-1]['seq']} {prev}\n" if rows else f"0 {GENESIS}\n")


def _docx(work: Path) -> Path:
    from docx import Document as Docx

    book = Docx()
    book.add_heading("监理月报", level=1)
    for month in range(1, 40):
        book.add_paragraph(f"第{month}段：本月完成主体结构施工，质量控制资料齐全，旁站监理记录完整。")
    table = book.add_table(rows=30, cols=6)
    for r in range(30):
        for c in range(6):
            table.cell(r, c).text = f"第{r}行第{c}列"
    path = work / "监理月报.docx"
    book.save(str(path))
    return path


def bench_pages(work: Path) -> None:
    from fastapi.testclient import TestClient

    from api import ApiOptions, create_app

    n = int(os.environ.get("BENCH_PAGES_DOCS", "10000"))
    audit_entries = int(os.environ.get("BENCH_PAGES_AUDIT", "20000"))
    runs = int(os.environ.get("BENCH_PAGES_RUNS", "7"))
    settings = Settings(home=work / "home")
    started = time.perf_counter()
    with ArchiveService(settings) as service:
        ids = fill(service, n, audit_entries)
        service.accounts.add_user("bench-admin", "admin", PASSWORD)
        docx = service.ingest(IngestRequest(paths=[_docx(work)], project=PROJECT)).files[0].document_id
    filled = time.perf_counter() - started
    pages = [
        ("首页 (dashboard)", "/"), ("项目页 (档号 order)", f"/projects/{PROJECT}"),
        ("项目页, page 100", f"/projects/{PROJECT}?offset=5000"),
        ("项目页, by date, one class", f"/projects/{PROJECT}?class_code=C&sort=date&desc=true"),
        ("案卷目录", f"/projects/{PROJECT}/volumes"), ("完整性检查 (the report kept)", f"/projects/{PROJECT}/completeness"),
        ("完整性检查, first view after a one-document change", f"/projects/{PROJECT}/completeness", "change"),
        ("浏览 (all, by arrival)", "/documents"),
        ("浏览 (a month)", "/documents?date_from=2020-03-01&date_to=2020-03-31&sort=date"),
        ("文件页", f"/documents/{ids[1234]}"), ("预览 DOCX", f"/documents/{docx}/preview"),
        ("检索 设计变更", "/search?q=设计变更"), ("审核队列", f"/projects/{PROJECT}/review"),
        ("隔离区", "/quarantine"), ("统计报表", "/statistics"), ("审计日志", "/audit"),
        ("审计日志, one action and month", "/audit?action=original.download&date_from=2026-01-01&date_to=2026-01-31"),
        ("项目列表", "/projects"), ("上传", "/upload"),
        ("完整性报告 after a one-document change (in process, no page)", "", "report"),
    ]
    app = create_app(settings, ApiOptions())
    load = os.getloadavg()[0]
    rows = []
    with TestClient(app) as client:
        answer = client.post("/login", data={"username": "bench-admin", "password": PASSWORD, "next": "/"},
                             follow_redirects=False)
        assert answer.status_code == 303, answer.text
        for label, path, *change in pages:
            times, cpu = [], []
            for run in range(runs + 1):
                if change:  # not timed: re-file one document, so the page's report is out of date
                    app.state.service.reclassify(ids[run], "C5" if run % 2 else "C6", who="bench")
                t0, c0 = time.perf_counter(), time.process_time()
                if change == ["report"]:
                    app.state.service.filing.completeness(PROJECT, fresh=False)
                else:
                    response = client.get(path)
                    assert response.status_code == 200, (path, response.status_code, response.text[:300])
                spent, used = (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
                if run:
                    times.append(spent)
                    cpu.append(used)
            rows.append((label, statistics.median(times), max(times), statistics.median(cpu)))
    print(f"\n### Web UI pages: one project of {n:,} documents, {audit_entries:,} audit entries "
          f"(archive filled and indexed in {filled:.0f} s, not counted)\n")
    print(f"Server time per page (in-process client, signed in as admin), median and slowest of {runs}; "
          f"load average {load:.1f} at start, {os.getloadavg()[0]:.1f} at end, {os.cpu_count()} cores.\n")
    print("CPU ms is the process's CPU time per request (server and in-process client): what the page costs "
          "whatever else the machine is doing.\n")
    print("| page | median ms | slowest ms | median CPU ms |")
    print("|---|---|---|---|")
    for label, median, slowest, used in rows:
        print(f"| {label} | {median:.0f} | {slowest:.0f} | {used:.0f} |")


if __name__ == "__main__":
    import tempfile

    os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")
    with tempfile.TemporaryDirectory(prefix="jiandang-bench-pages-") as tmp:
        bench_pages(Path(tmp))
