"""The catalog generation moves with every change a page shows, and cached views follow it."""

from __future__ import annotations

import time
from pathlib import Path

from core.catalog import Document
from core.catalog.history import record_many
from schemas.ingest import IngestRequest
from tests.files import write_docx, write_pdf


def _drop(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_pdf(folder / "设计变更通知单.pdf", ["设计变更通知单", "编号：结施-变-01", "变更内容：屋面防水卷材加厚"])
    write_docx(folder / "监理规划.docx", "监理规划", ["工程名称：市机关办公楼节能改造工程", "监理工作目标与范围"])
    (folder / "空文件.pdf").write_bytes(b"")
    return folder


def test_changes_move_the_generation_and_reads_do_not(service, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    catalog = service.catalog
    before = catalog.generation()
    service.ingest(IngestRequest(paths=[_drop(tmp_path / "收文")], project="JD-01"))
    after_ingest = catalog.generation()
    assert after_ingest > before
    service.audit.append("张三", "search", None, query={"text": "防水"})  # the audit trail is not a page's content
    service.status()  # a read
    with catalog.session() as session:
        doc_id = session.query(Document.id).first()[0]
        record_many(session, "indexed", {doc_id: {}})  # an event alone (a read, an index pass) is not either
    assert catalog.generation() == after_ingest
    service.waive("JD-01", "C6-7", "本工程无此项", "档案员")
    assert catalog.generation() == after_ingest + 1


def test_a_failed_transaction_leaves_the_generation(service) -> None:  # type: ignore[no-untyped-def]
    from core.catalog import Project
    from core.catalog.history import now

    before = service.catalog.generation()
    try:
        with service.catalog.session() as session:
            session.add(Project(code="X-1", name="x", created_at=now()))
            session.flush()
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    assert service.catalog.generation() == before


def test_cached_completeness_and_dashboard_follow_the_generation(service, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    service.ingest(IngestRequest(paths=[_drop(tmp_path / "收文")], project="JD-01"))
    first = service.completeness("JD-01", cached=True)
    assert service.completeness("JD-01", cached=True) is first  # same generation: not recomputed
    computed = []
    workbench_dashboard = service.workbench.dashboard
    service.workbench.dashboard = lambda *args: computed.append(1) or workbench_dashboard(*args)
    board = service.dashboard()
    assert service.dashboard() == board and len(computed) == 1, "same generation: counted once"
    assert board.documents == 3 and board.quarantined == 1 and board.arrivals_today == 3
    assert board.arrivals_week == 3 and sum(c.count for c in board.per_class) == 2
    assert len(board.per_month) == 12 and board.per_month[-1].count == 3
    assert board.per_month[-1].key == service.clock.today().strftime("%Y-%m")
    service.waive("JD-01", "C6-7", "本工程无此项", "档案员")
    deadline = time.monotonic() + 60  # a small project's report is waited for; a slow one comes later
    while (again := service.completeness("JD-01", cached=True)).generation != service.catalog.generation():
        assert time.monotonic() < deadline, "the new report was never computed"
        time.sleep(0.05)
    assert any(item.code == "C6-7" and item.status == "waived" for item in again.items)
    assert not any(item.code == "C6-7" and item.status == "waived" for item in first.items)
    more = tmp_path / "补交"
    more.mkdir()
    write_docx(more / "会议纪要.docx", "会议纪要", ["工程名称：市机关办公楼节能改造工程", "会议内容：屋面防水"])
    service.ingest(IngestRequest(paths=[more], project="JD-01"))
    assert service.dashboard().documents == 4 and len(computed) == 2, "a new generation: counted again"


def test_a_stale_view_is_returned_only_when_the_new_one_is_slow() -> None:
    """A quick recompute is waited for (the page is current); a slow one is not (the page stays fast)."""
    import threading

    from core.catalog.generation import ViewCache

    views = ViewCache()
    assert views.get("k", 1, lambda: "one", stale_ok=True) == "one"
    assert views.get("k", 2, lambda: "two", stale_ok=True, wait_seconds=5) == "two", "quick: waited for"

    release = threading.Event()

    def slow() -> str:
        release.wait(10)
        return "three"

    assert views.get("k", 3, slow, stale_ok=True, wait_seconds=0.05) == "two", "slow: the last one at once"
    release.set()
    for _ in range(200):
        if views.get("k", 3, slow, stale_ok=True, wait_seconds=0.05) == "three":
            break
        threading.Event().wait(0.01)
    assert views.get("k", 3, slow) == "three", "the background refresh landed"
