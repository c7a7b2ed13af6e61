"""A file the last run died on never blocks the next one: recovery reads it in a reader process.

The state a crash leaves is made exactly: the original stored and its receipt committed, nothing
read (``Ingestor.store``). The reader processes here die on that file (``tests.readers.DiesOnMark``,
a fake at the reader interface: no real file kills a converter on demand); the main thread's
reader refuses to see it at all, so a recovery that read it here first would fail the test.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest

from core import ArchiveService
from core.intake.ingestor import Arrival
from core.reading.outcomes import ReadOutcome
from core.reading.pool import pool_for
from core.reading.reader import DocumentReader
from schemas.ingest import IngestRequest, IngestSource, IngestStatus
from schemas.search import SearchQuery
from tests.readers import KILL_MARK, DiesOnMark

pytestmark = [pytest.mark.integration, pytest.mark.slow]


class NeverOnTheMainThread(DocumentReader):
    def read(self, path: Path, original_name: str, meta: dict[str, Any]) -> ReadOutcome:
        assert KILL_MARK not in path.read_bytes(), "the file the last run died on was read in the main process"
        return super().read(path, original_name, meta)


def test_a_file_that_killed_the_last_run_is_quarantined_and_the_next_batch_goes_on(
        service: ArchiveService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    killer = tmp_path / "上次" / "致命文件.txt"
    killer.parent.mkdir()
    killer.write_bytes("施工日志 ".encode() + KILL_MARK)
    with service.writing() as writers:
        stored = writers.ingestor.store(Arrival(killer, "crashed-batch", IngestSource.CLI, "恢复-01"))
        assert stored.request is not None  # stored, receipt committed, never read: what a crash leaves
    monkeypatch.setattr("core.service.pool_for", functools.partial(pool_for, make_reader=DiesOnMark))
    monkeypatch.setattr("core.reading.reader.DocumentReader", NeverOnTheMainThread)  # the service imports it when it first reads

    batch = tmp_path / "这次"
    batch.mkdir()
    (batch / "监理通知单.txt").write_text("监理通知单：三层梁模板支撑整改，标记 HF93Q。", encoding="utf-8")
    report = service.ingest(IngestRequest(paths=[batch], project="恢复-01"))

    assert [line.status for line in report.files] == [IngestStatus.INGESTED]
    assert service.search(SearchQuery(text="HF93Q")).total == 1
    record = service.show(stored.request.document_id)
    assert record.status == "quarantined"
    assert "died while reading it" in (record.quarantine_reason or "") and "tried 2 times" in record.quarantine_reason

