"""The folder watcher end to end: real inotify and polling observers, a real catalog and index.

Every test bounds its waits to a few seconds and uses small stability windows; files are real
(Chinese PDF/TXT) so the stability tracker's content checks and the reading pipeline run as in
production.
"""

from __future__ import annotations

import hashlib
import io
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from sqlalchemy import Connection, event

from core import ArchiveService
from core.watching.batches import ClosedBatch
from schemas.search import SearchQuery
from schemas.watch import WatchMode, WatchReport, WatchRoot
from tests.core.watching.watch_helpers import DEADLINE, MODES, query, root_for
from tests.files import write_pdf


class Running:
    """A watcher on its own thread, as ``jiandang watch`` runs it, with its closed batches."""

    def __init__(self, service: ArchiveService, roots: list[WatchRoot]) -> None:
        self.service = service
        self.stop = threading.Event()
        self.batches: list[ClosedBatch] = []
        self.report: WatchReport | None = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(roots,), daemon=True)

    def _run(self, roots: list[WatchRoot]) -> None:
        try:
            self.report = self.service.watch(roots, self.stop, on_batch=self.batches.append)
        except BaseException as error:  # surfaced by wait_for
            self.error = error

    def __enter__(self) -> Running:
        self._thread.start()
        time.sleep(0.3)  # observers started, startup scan done
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        self._thread.join(10)

    def wait_for(self, condition: Callable[[], bool], what: str, timeout: float = DEADLINE) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert self.error is None, f"watcher crashed: {self.error!r}"
            assert time.monotonic() < deadline, f"timed out waiting for {what}"
            time.sleep(0.05)

    def lines(self) -> list:
        return [line for batch in self.batches for line in batch.lines]


def run_once(service: ArchiveService, roots: list[WatchRoot]) -> WatchReport:
    return service.watch(roots, threading.Event(), once=True)




def sha(path: Path | bytes) -> str:
    data = path if isinstance(path, bytes) else path.read_bytes()
    return hashlib.sha256(data).hexdigest()


def big_pdf_bytes(megapixels: float = 1.2) -> bytes:
    """A real PDF of a few MB: one Chinese line and an incompressible noise 'scan'."""
    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    side = int((megapixels * 1e6) ** 0.5)
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont("STSong-Light", 14)
    pdf.drawString(60, 800, "地基与基础分部工程质量验收记录 大文件慢写测试")
    pdf.drawImage(ImageReader(image), 60, 200, width=400, height=400)
    pdf.save()
    return buffer.getvalue()


def write_slowly(path: Path, data: bytes, seconds: float = 2.0, chunks: int = 10) -> None:
    step = len(data) // chunks + 1
    with open(path, "wb") as handle:
        for start in range(0, len(data), step):
            handle.write(data[start:start + step])
            handle.flush()
            time.sleep(seconds / chunks)


def write_text(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def share(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "共享盘"


@pytest.mark.parametrize("mode", MODES)
def test_large_file_written_slowly_is_taken_once_complete(service: ArchiveService, share: Path,
                                                          mode: WatchMode) -> None:
    data = big_pdf_bytes()
    target = share / "项目甲" / "验收记录（大）.pdf"
    target.parent.mkdir(parents=True)
    with Running(service, [root_for(share, mode)]) as watcher:
        write_slowly(target, data)
        watcher.wait_for(lambda: len(watcher.lines()) == 1, "the slow file")
        time.sleep(0.5)  # nothing else may follow
    assert len(data) > 3_000_000
    rows = query(service, "SELECT sha256, size FROM documents")
    assert rows == [(sha(data), len(data))], "stored once, and complete"
    assert query(service, "SELECT count(*) FROM receipts") == [(1,)]
    assert watcher.lines()[0].status == "ingested"


@pytest.mark.parametrize("mode", MODES)
def test_rename_into_place_and_whole_folder_moved_in(service: ArchiveService, share: Path, tmp_path: Path,
                                                     mode: WatchMode) -> None:
    staging = tmp_path / "暂存"
    delivery = staging / "监理资料 第一批"
    write_text(delivery / "监理日志.txt", "监理日志：混凝土浇筑旁站记录，二〇二六年三月。")
    write_text(delivery / "子目录" / "会议纪要.txt", "第一次工地例会会议纪要，参会单位：建设、施工、监理。")
    (share / "项目乙").mkdir(parents=True)
    with Running(service, [root_for(share, mode)]) as watcher:
        part = write_text(share / "项目乙" / "施工许可证.txt.part", "建筑工程施工许可证 编号 440101202603150101")
        os.rename(part, share / "项目乙" / "施工许可证.txt")
        os.rename(delivery, share / "项目乙" / delivery.name)
        watcher.wait_for(lambda: len(watcher.lines()) == 3, "three files")
    paths = sorted(Path(line.path).name for line in watcher.lines())
    assert paths == ["会议纪要.txt", "施工许可证.txt", "监理日志.txt"]
    jobs = query(service, "SELECT path, state FROM jobs ORDER BY path")
    assert all(state == "done" for _, state in jobs) and len(jobs) == 3, "no job for the .part file"
    folder_batch = [b for b in watcher.batches if b.summary.folder.endswith("监理资料 第一批")]
    assert len(folder_batch) == 1 and folder_batch[0].summary.files == 2, "the folder is one batch"
    projects = query(service, "SELECT DISTINCT p.code FROM documents d JOIN projects p ON p.id = d.project_id")
    assert projects == [("项目乙",)], "first-level folder is the project"


def test_lock_and_junk_files_are_ignored(service: ArchiveService, share: Path) -> None:
    folder = share / "项目丙"
    write_text(folder / "设计变更通知单.txt", "设计变更通知单：第三层梁配筋调整。")
    for junk in ("~$设计变更通知单.docx", ".~lock.设计变更通知单.docx#", "Thumbs.db", "拷贝中.tmp",
                 "下载.crdownload", ".DS_Store", "@eaDir/缩略图.jpg"):
        write_text(folder / junk, "垃圾")
    report = run_once(service, [root_for(share)])
    assert [Path(f.path).name for f in report.files] == ["设计变更通知单.txt"]
    assert query(service, "SELECT count(*) FROM jobs") == [(1,)]


def test_same_file_twice_is_one_document_with_two_receipts(service: ArchiveService, share: Path) -> None:
    text = "工程竣工验收报告：质量合格，同意验收。"
    write_text(share / "项目丁" / "竣工验收报告.txt", text)
    write_text(share / "项目丁" / "再发一次" / "竣工验收报告 (1).txt", text)
    first = run_once(service, [root_for(share)])
    assert sorted(f.status for f in first.files) == ["duplicate", "ingested"]
    [original] = [f for f in first.files if f.status == "ingested"]
    [twin] = [f for f in first.files if f.status == "duplicate"]
    assert twin.document_id == original.document_id
    assert original.document_id in twin.reason and "竣工验收报告" in twin.reason, "says which document it repeats"
    receipts = dict(query(service, "SELECT source_path, outcome FROM receipts"))
    assert receipts == {original.path: "ingested", twin.path: "duplicate"}
    again = run_once(service, [root_for(share)])
    assert again.files == [], "unchanged files are never taken in again"
    assert query(service, "SELECT count(*) FROM documents") == [(1,)]
    assert query(service, "SELECT count(*) FROM receipts") == [(2,)], "one receipt per arrival"


def test_chinese_and_hostile_names(service: ArchiveService, share: Path) -> None:
    names = [
        "施工 组织 设计 (修订).txt",
        "监理规划（第１版）：审批稿！.txt",
        "换行\n文件名.txt",
        "长" * 80 + ".txt",  # 244 bytes in UTF-8
        "Ｒｅｐｏｒｔ　全角空格.txt",
    ]
    for number, name in enumerate(names):
        write_text(share / "项目戊" / name, f"第{number}号文件：隐蔽工程验收记录，钢筋规格复核{number}。")
    assert len(names[3].encode()) >= 240
    report = run_once(service, [root_for(share)])
    assert sorted(Path(f.path).name for f in report.files) == sorted(names)
    assert report.counts.ingested == len(names)
    stored = {row[0] for row in query(service, "SELECT original_name FROM documents")}
    assert stored == set(names)


def test_read_only_share_is_left_untouched(service: ArchiveService, share: Path) -> None:
    folder = share / "项目己"
    folder.mkdir(parents=True)
    write_pdf(folder / "质量证明书.pdf", ["钢筋出厂质量证明书", "炉批号 A2026-118"])
    write_text(folder / "进场报验.txt", "材料进场报验单：HRB400 钢筋 12 吨。")
    before = {p: (p.stat().st_mtime_ns, sha(p)) for p in share.rglob("*") if p.is_file()}
    for path in [*share.rglob("*"), share]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        report = run_once(service, [root_for(share)])
        after = {p: (p.stat().st_mtime_ns, sha(p)) for p in share.rglob("*") if p.is_file()}
        listing = sorted(p.relative_to(share).as_posix() for p in share.rglob("*"))
    finally:
        for path in [share, *share.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
    assert report.counts.ingested == 2
    assert after == before, "bytes and mtimes unchanged"
    assert listing == ["项目己", "项目己/质量证明书.pdf", "项目己/进场报验.txt"], "nothing added or moved"


def test_file_that_never_becomes_valid_is_quarantined_with_reason(service: ArchiveService, share: Path) -> None:
    broken = share / "项目庚" / "扫描件.pdf"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" + b"0" * 5000)  # never finished
    report = run_once(service, [root_for(share, stability_window=0.1, max_attempts=2)])
    [line] = report.files
    assert line.status == "quarantined"
    assert "%%EOF" in line.reason and "2 checks" in line.reason
    assert line.document_id, "the bytes are stored anyway: nothing lost"
    assert query(service, "SELECT state, reason FROM jobs")[0][0] == "quarantined"
    assert query(service, "SELECT sha256 FROM documents") == [(sha(broken),)]


def test_manifest_with_one_wrong_entry(service: ArchiveService, share: Path) -> None:
    folder = share / "项目辛" / "交付 2026-11"
    files = {
        "开工报告.txt": "开工报告：计划开工日期二〇二六年四月一日。",
        "图纸/总平面图说明.txt": "总平面图说明：建筑红线、道路与绿化布置。",
        "测量放线记录.txt": "工程定位测量放线记录，复核无误。",
    }
    for relative, text in files.items():
        write_text(folder / relative, text)
    lines = [f"{sha(text.encode())}  {relative}" for relative, text in files.items()]
    lines[2] = "0" * 64 + "  测量放线记录.txt"
    (folder / "manifest-sha256.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = run_once(service, [root_for(share)])
    by_name = {Path(f.path).name: f for f in report.files}
    assert set(by_name) == {"开工报告.txt", "总平面图说明.txt", "测量放线记录.txt"}, "manifest is no document"
    wrong = by_name["测量放线记录.txt"]
    assert wrong.status == "quarantined" and "manifest-sha256.txt" in wrong.reason and wrong.document_id
    assert [by_name[n].status for n in ("开工报告.txt", "总平面图说明.txt")] == ["ingested", "ingested"]
    [batch] = report.batches
    assert batch.manifest is not None and batch.manifest.mismatched == ["测量放线记录.txt"]
    assert batch.manifest.missing == [] and batch.files == 3
    events = query(service, "SELECT kind FROM events WHERE document_id = ?", wrong.document_id)
    assert ("manifest_mismatch",) in events
    assert query(service, "SELECT state FROM jobs WHERE path LIKE '%测量放线记录.txt'") == [("quarantined",)]


def test_restart_resumes_processing_rows(service: ArchiveService, share: Path) -> None:
    folder = share / "项目壬"
    paths = [write_text(folder / f"施工日志{i}.txt", f"施工日志第{i}天：天气晴，浇筑楼板。") for i in range(3)]
    root = root_for(share)
    stamp = "2026-11-23 00:00:00+00:00"
    with sqlite3.connect(service.settings.home / "catalog.sqlite3") as conn:  # what a kill -9 leaves
        for path in paths:
            stat = path.stat()
            conn.execute(
                "INSERT INTO jobs (root, path, size, mtime_ns, state, attempts, first_seen, updated_at)"
                " VALUES (?, ?, ?, ?, 'processing', 1, ?, ?)",
                (str(root.path), str(path), stat.st_size, stat.st_mtime_ns, stamp, stamp),
            )
    assert service.status().processing == 3
    report = run_once(service, [root])
    assert report.counts.ingested == 3
    assert query(service, "SELECT state, count(*) FROM jobs GROUP BY state") == [("done", 3)]
    status = service.status()
    assert status.processing == 0 and status.roots[str(root.path)].done == 3


def test_changed_file_at_same_path_is_a_new_version(service: ArchiveService, share: Path) -> None:
    path = write_text(share / "项目癸" / "工程量清单.txt", "工程量清单 第一版：土方 1200 立方米。")
    first = run_once(service, [root_for(share)])
    time.sleep(0.01)
    write_text(path, "工程量清单 第二版：土方 1350 立方米。")
    second = run_once(service, [root_for(share)])
    assert first.counts.ingested == second.counts.ingested == 1
    old, new = first.files[0].document_id, second.files[0].document_id
    assert old != new
    events = query(service, "SELECT kind, detail FROM events WHERE document_id = ? AND kind = 'new_version'", new)
    assert len(events) == 1 and old in events[0][1]
    hits = service.search(SearchQuery(text="第二版"))
    assert [hit.id for hit in hits.hits] == [new], "the new version is searchable"


def test_move_after_archive_only_after_recording(service: ArchiveService, share: Path, tmp_path: Path) -> None:
    write_text(share / "项目子" / "安全技术交底.txt", "安全技术交底记录：高处作业系安全带。")
    archived = tmp_path / "已归档"
    report = run_once(service, [root_for(share, after_archive="move", archived_folder=archived)])
    assert report.counts.ingested == 1
    assert not (share / "项目子" / "安全技术交底.txt").exists()
    assert (archived / "项目子" / "安全技术交底.txt").read_text(encoding="utf-8").startswith("安全技术交底")
    assert query(service, "SELECT state FROM jobs") == [("done",)]


def test_changed_while_watching_vanished_and_searchable(service: ArchiveService, share: Path) -> None:
    (share / "项目丑").mkdir(parents=True)
    with Running(service, [root_for(share)]) as watcher:
        write_text(share / "项目丑" / "临时.txt", "马上删除的文件")
        os.unlink(share / "项目丑" / "临时.txt")
        write_text(share / "项目丑" / "基坑监测报告.txt", "基坑监测报告：水平位移累计 8 毫米，未超预警值。")
        watcher.wait_for(lambda: len(watcher.lines()) == 1, "the kept file")
        # The vanished file's decision may come a tick after the kept file's: wait for it too.
        watcher.wait_for(lambda: query(service, "SELECT count(*) FROM jobs") == [(1,)], "the vanished file")
        hits = service.search(SearchQuery(text="基坑监测"))
    assert hits.total == 1
    assert query(service, "SELECT count(*) FROM jobs") == [(1,)], "the vanished file left no job"


def test_each_file_costs_two_catalog_commits(service: ArchiveService, share: Path) -> None:
    """Every commit of the catalog is fsynced: the watcher claims a job in the receipt's commit and
    settles it in the reading's, so a file costs two (it took four or five).
    """
    files = 8
    for number in range(files):
        write_text(share / "项目寅" / f"隐蔽工程验收记录{number}.txt", f"隐蔽工程验收记录 第{number}号：钢筋绑扎合格。")
    writes: list[int] = []

    def on_commit(connection: Connection) -> None:
        if connection.connection.dbapi_connection.in_transaction:  # a read-only one writes nothing
            writes.append(1)

    event.listen(service.catalog.engine, "commit", on_commit)
    report = run_once(service, [root_for(share)])
    assert report.counts.ingested == files
    assert len(writes) <= 2 * files + 4, f"{len(writes)} write commits for {files} files"
    assert query(service, "SELECT state, count(*) FROM jobs GROUP BY state") == [("done", files)]
