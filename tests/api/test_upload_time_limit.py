"""Uploads keep the per-file read time limit: a file that reads for ever cannot hold its task.

An upload is ingested on a task thread, where the alarm of ``core.reading.time_limit`` cannot reach, so
its reads go to a reader process (``core.reading.pooled``). These tests send real uploads through
the real app and check the report, the catalog and the search index afterwards.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api import create_app
from core import Settings
from core.reading.pool import pool_for
from schemas.api import Role
from tests.files import write_docx, write_pdf
from tests.readers import STUCK_MARK, StuckInC

pytestmark = pytest.mark.integration

LIMIT = 1.0
GRACE = 2.0  # the pool's grace for a limit this short (max(2 s, 20 % of the limit))
LINE = "地基与基础分部工程质量验收记录 钢筋隐蔽工程验收 混凝土浇筑旁站 第{}行"


@dataclass
class Archive:
    client: TestClient
    headers: dict[str, str]

    def upload(self, files: list[Path], project: str = "限时-上传") -> str:
        parts = [("files", (path.name, path.read_bytes(), "application/octet-stream")) for path in files]
        response = self.client.post("/api/uploads", headers=self.headers, files=parts, data={"project": project})
        assert response.status_code == 202, response.text
        return response.json()["id"]

    def wait(self, task_id: str, timeout: float = 90) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            task = self.client.get(f"/api/tasks/{task_id}", headers=self.headers).json()
            if task["state"] in ("done", "failed"):
                return task
            time.sleep(0.05)
        raise AssertionError(f"upload task {task_id} did not finish in {timeout} s: the read was not stopped")

    def ingest(self, files: list[Path]) -> tuple[dict[str, dict], float]:
        """Upload, wait, and return the report lines by file name and the seconds it took."""
        started = time.monotonic()
        task = self.wait(self.upload(files))
        took = time.monotonic() - started
        assert task["state"] == "done", task
        return {line["path"]: line for line in task["report"]["files"]}, took

    def hits(self, text: str) -> int:
        response = self.client.get("/api/search", headers=self.headers, params={"q": text})
        assert response.status_code == 200, response.text
        return response.json()["total"]


def _archive(home: Path) -> Iterator[Archive]:
    app = create_app(Settings(home=home, watch_read_timeout=LIMIT, index_batch_size=16))
    with TestClient(app) as client:
        accounts = app.state.service.accounts
        accounts.add_user("档案员-限时", Role.ARCHIVIST, "档案室口令-2024")
        token = accounts.issue_token("档案员-限时", "tests").token
        archive = Archive(client, {"Authorization": f"Bearer {token}"})
        warm = write_docx(home.parent / "施工日志.docx", "施工日志", ["天气晴，浇筑三层楼板。"])
        lines, _ = archive.ingest([warm])  # the reader process starts here, outside any timing below
        assert lines["施工日志.docx"]["status"] == "ingested", lines
        yield archive


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    yield from _archive(tmp_path / "档案室")


@pytest.fixture
def archive_with_stuck_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Archive]:
    monkeypatch.setattr("core.service.pool_for", functools.partial(pool_for, make_reader=StuckInC))
    yield from _archive(tmp_path / "档案室")


def test_upload_quarantines_a_file_that_reads_too_long_and_ingests_the_rest(archive: Archive,
                                                                           tmp_path: Path) -> None:
    """A real PDF that keeps pypdf busy for seconds (in Python: the reader's own alarm stops it)."""
    slow = write_pdf(tmp_path / "一层平面图（CAD 导出）.pdf", [LINE.format(i) for i in range(38 * 600)])
    normal = tmp_path / "设计变更通知单.txt"
    normal.write_text("设计变更通知单：三层梁配筋调整为HRB400。", encoding="utf-8")
    lines, _ = archive.ingest([slow, normal])
    runaway = lines[slow.name]
    assert runaway["status"] == "quarantined"
    assert runaway["reason"] == "《一层平面图（CAD 导出）.pdf》: timed out after 1 s"
    stored = archive.client.get(f"/api/documents/{runaway['document_id']}", headers=archive.headers).json()
    assert stored["status"] == "quarantined", "stored before it was read: nothing lost"
    assert lines[normal.name]["status"] == "ingested"
    assert archive.hits("配筋调整") == 1


def test_upload_kills_a_reader_stuck_in_c_and_goes_on(archive_with_stuck_reader: Archive, tmp_path: Path) -> None:
    archive = archive_with_stuck_reader
    stuck = tmp_path / "卡死的图纸说明.txt"
    stuck.write_bytes("图纸说明：".encode() + STUCK_MARK)
    normal = tmp_path / "监理通知单.txt"
    normal.write_text("监理通知单：请整改脚手架连墙件。", encoding="utf-8")
    lines, took = archive.ingest([stuck])
    assert lines[stuck.name]["status"] == "quarantined"
    assert lines[stuck.name]["reason"] == "《卡死的图纸说明.txt》: timed out after 1 s"
    # killed after limit + grace; the rest is polling, recording and indexing on a loaded machine
    assert took < LIMIT + GRACE + 5, f"the stuck reader was waited for ({took:.1f} s)"
    lines, _ = archive.ingest([normal])  # a fresh reader process replaces the killed one
    assert lines[normal.name]["status"] == "ingested"
    assert archive.hits("脚手架连墙件") == 1


def test_one_upload_with_a_stuck_file_ingests_its_other_files(archive_with_stuck_reader: Archive,
                                                            tmp_path: Path) -> None:
    archive = archive_with_stuck_reader
    before = tmp_path / "开工报告.txt"
    before.write_text("工程开工报告：计划开工日期二〇二六年四月一日。", encoding="utf-8")
    stuck = tmp_path / "损坏的扫描件.txt"
    stuck.write_bytes(STUCK_MARK + "扫描件".encode())
    after = tmp_path / "竣工验收报告.txt"
    after.write_text("工程竣工验收报告：质量合格，同意验收。", encoding="utf-8")
    lines, _ = archive.ingest([before, stuck, after])
    assert {name: line["status"] for name, line in lines.items()} == {
        "开工报告.txt": "ingested", "损坏的扫描件.txt": "quarantined", "竣工验收报告.txt": "ingested"}
    assert lines["损坏的扫描件.txt"]["reason"] == "《损坏的扫描件.txt》: timed out after 1 s"
    assert archive.hits("开工日期") == 1 and archive.hits("同意验收") == 1
