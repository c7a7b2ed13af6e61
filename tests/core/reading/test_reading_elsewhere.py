"""Reads the alarm cannot limit go to a reader process: off the main thread always, in ``ingest`` on request."""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from core import ArchiveService, Settings
from core.catalog import Document
from core.errors import StorageError
from core.reading.pool import pool_for
from schemas.ingest import IngestReport, IngestRequest
from schemas.search import SearchQuery
from tests.readers import STUCK_MARK, StuckInC

pytestmark = pytest.mark.integration

LIMIT = 1.0
GRACE = 2.0  # the pool's grace for a limit this short


def on_a_thread(work: Callable[[], IngestReport]) -> IngestReport:
    """Run ``work`` on a thread other than the main one (where an API upload's ingest runs)."""
    outcome: list[IngestReport | BaseException] = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as error:
            outcome.append(error)

    thread = threading.Thread(target=run, name="上传任务")
    thread.start()
    thread.join(120)
    assert not thread.is_alive(), "the ingest did not come back"
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def test_ingest_with_read_in_processes_kills_a_reader_stuck_in_c(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """``read_in_processes``: ``jiandang ingest`` (main thread) is no longer held by a file stuck in C."""
    monkeypatch.setattr("core.service.pool_for", functools.partial(pool_for, make_reader=StuckInC))
    folder = tmp_path / "第三批 移交"
    folder.mkdir()
    (folder / "开工令.txt").write_text("工程开工令：准予开工。", encoding="utf-8")
    (folder / "损坏的图纸.txt").write_bytes("结构施工图：".encode() + STUCK_MARK)
    (folder / "隐蔽验收记录.txt").write_text("钢筋隐蔽工程验收记录：合格。", encoding="utf-8")
    settings = Settings(home=tmp_path / "档案室", watch_read_timeout=LIMIT, read_in_processes=True)
    with ArchiveService(settings) as service:
        warm = tmp_path / "预热"
        warm.mkdir()
        (warm / "会议纪要.txt").write_text("第一次工地例会会议纪要。", encoding="utf-8")
        service.ingest(IngestRequest(paths=[warm], project="卡死-01"))  # the reader process starts here
        started = time.monotonic()
        report = service.ingest(IngestRequest(paths=[folder], project="卡死-01"))
        took = time.monotonic() - started
        hits = service.search(SearchQuery(text="隐蔽工程")).total
    by_name = {Path(line.path).name: line for line in report.files}
    assert by_name["损坏的图纸.txt"].status == "quarantined"
    assert by_name["损坏的图纸.txt"].reason == "《损坏的图纸.txt》: timed out after 1 s"
    assert by_name["开工令.txt"].status == by_name["隐蔽验收记录.txt"].status == "ingested"
    assert hits == 1
    # the stuck read is killed at limit + grace; a new reader process starts for the file after it
    assert took < LIMIT + GRACE + 10, f"the stuck reader was waited for ({took:.1f} s)"


def test_off_the_main_thread_a_runaway_file_is_stopped_without_any_setting(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("core.service.pool_for", functools.partial(pool_for, make_reader=StuckInC))
    folder = tmp_path / "上传"
    folder.mkdir()
    (folder / "卡死的说明.txt").write_bytes(STUCK_MARK)
    (folder / "材料进场报验单.txt").write_text("材料进场报验单：钢筋 HRB400，合格证齐全。", encoding="utf-8")
    with ArchiveService(Settings(home=tmp_path / "档案室", watch_read_timeout=LIMIT)) as service:
        report = on_a_thread(lambda: service.ingest(IngestRequest(paths=[folder], project="上传-01")))
    by_name = {Path(line.path).name: line for line in report.files}
    assert by_name["卡死的说明.txt"].reason == "《卡死的说明.txt》: timed out after 1 s"
    assert by_name["材料进场报验单.txt"].status == "ingested"


def test_readers_that_cannot_start_fail_the_ingest_and_lose_nothing(tmp_path: Path) -> None:
    """A broken local taxonomy kills every reader process at start: the ingest fails with the
    pool's reason instead of hanging, the original stays stored, and a later ingest finishes it.
    """
    folder = tmp_path / "上传"
    folder.mkdir()
    (folder / "工程概况.txt").write_text("工程概况：框架结构，地上六层。", encoding="utf-8")
    broken = tmp_path / "本地分类.yaml"
    broken.write_text("classes: [这不是: 合法的: 分类表\n", encoding="utf-8")
    settings = Settings(home=tmp_path / "档案室", taxonomy_override=broken)
    with ArchiveService(settings) as service:
        with pytest.raises(StorageError, match="reader processes keep dying"):
            on_a_thread(lambda: service.ingest(IngestRequest(paths=[folder], project="上传-02")))
        with service.catalog.session() as session:
            [doc] = session.query(Document).all()
            assert (doc.original_name, doc.status) == ("工程概况.txt", "received")
        service.settings.taxonomy_override = None
        on_a_thread(lambda: service.ingest(IngestRequest(paths=[tmp_path / "上传"], project="上传-02")))
        with service.catalog.session() as session:
            assert session.get(Document, doc.id).status == "processed"  # type: ignore[union-attr]
