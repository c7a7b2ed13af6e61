"""The watcher's reader processes: files read on other cores, and a dying or hanging reader loses nothing."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core import ArchiveService, Settings
from core.errors import StorageError
from core.reading.outcomes import ReadRequest
from core.reading.pool import Finished, ReadingPool
from schemas import meta as M
from schemas.search import SearchQuery
from schemas.watch import WatchRoot
from tests.files import write_docx, write_pdf

pytestmark = pytest.mark.integration

LINE = "地基与基础分部工程质量验收记录 钢筋隐蔽工程验收 混凝土浇筑旁站 第{}行"


def slow_pdf(path: Path, pages: int = 150) -> Path:
    """A born-digital PDF that takes pypdf a second or more: long enough to be caught mid-read."""
    return write_pdf(path, [LINE.format(i) for i in range(38 * pages)])


def request_for(path: Path) -> ReadRequest:
    return ReadRequest(document_id=path.stem, blob=path, name=path.name, size=path.stat().st_size,
                       meta={M.PROJECT: "测试", M.FOLDER_HINTS: []})


@pytest.fixture
def pool() -> Iterator[ReadingPool]:
    with ReadingPool(workers=2, time_limit=60) as started:
        yield started


def collect_all(pool: ReadingPool, count: int, on_tick=None, timeout: float = 90) -> dict[object, Finished]:  # type: ignore[no-untyped-def]
    results: dict[object, Finished] = {}
    deadline = time.monotonic() + timeout
    while len(results) < count:
        assert time.monotonic() < deadline, f"only {len(results)} of {count} outcomes came back"
        if on_tick is not None:
            on_tick()
        for finished in pool.collect(0.02):
            results[finished.key] = finished
    return results


def test_files_are_read_in_reader_processes(pool: ReadingPool, tmp_path: Path) -> None:
    files = [
        write_pdf(tmp_path / "监理通知单.pdf", ["监理通知单", "编号 JL-2026-031", "请整改脚手架连墙件"]),
        write_docx(tmp_path / "施工日志.docx", "施工日志", ["天气晴，浇筑三层楼板。"]),
        write_pdf(tmp_path / "开工报告.pdf", ["工程开工报告", "计划开工日期 2026年4月1日"]),
    ]
    for path in files:
        pool.submit(path.name, request_for(path))
    assert not pool.has_room() or pool.in_flight == 3
    results = collect_all(pool, len(files))
    texts = {key: finished.outcome.document.content for key, finished in results.items()}  # type: ignore[union-attr]
    assert "JL-2026-031" in texts["监理通知单.pdf"] and "浇筑三层楼板" in texts["施工日志.docx"]
    assert pool.in_flight == 0 and pool.has_room()


def test_back_pressure_bounds_the_files_in_flight(pool: ReadingPool, tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "验收记录.pdf", ["分项工程质量验收记录", "合格"])
    submitted = 0
    while pool.has_room():
        pool.submit(submitted, request_for(path))
        submitted += 1
    assert submitted == pool.capacity == 4
    with pytest.raises(RuntimeError):
        pool.submit("one too many", request_for(path))
    assert len(collect_all(pool, submitted)) == submitted


def _kill_when_reading(pool: ReadingPool, key: object, kills: list[int], wanted: int) -> None:
    pid = pool.readers().get(key)
    if pid and len(kills) < wanted and pid not in kills:
        os.kill(pid, signal.SIGKILL)  # what a converter segfault looks like from outside
        kills.append(pid)


def test_reader_killed_mid_file_is_read_again_and_bystanders_are_not_lost(pool: ReadingPool,
                                                                           tmp_path: Path) -> None:
    slow = slow_pdf(tmp_path / "竣工图 总平面.pdf")
    small = write_pdf(tmp_path / "会议纪要.pdf", ["第一次工地例会会议纪要"])
    pool.submit("slow", request_for(slow))
    pool.submit("small", request_for(small))
    kills: list[int] = []
    results = collect_all(pool, 2, lambda: _kill_when_reading(pool, "slow", kills, 1))
    assert len(kills) == 1 and pool.restarts == 1
    assert results["slow"].outcome.document is not None, "read again after the crash: nothing lost"
    assert "第1行" in (results["slow"].outcome.document.content or "")
    assert results["small"].outcome.document is not None


def test_file_that_keeps_killing_its_reader_is_quarantined_with_reason(pool: ReadingPool, tmp_path: Path) -> None:
    slow = slow_pdf(tmp_path / "CAD 转换 图纸.pdf")
    pool.submit("poison", request_for(slow))
    kills: list[int] = []
    results = collect_all(pool, 1, lambda: _kill_when_reading(pool, "poison", kills, 2))
    outcome = results["poison"].outcome
    assert outcome.document is None and len(kills) == 2
    assert outcome.reason is not None and "CAD 转换 图纸.pdf" in outcome.reason
    assert "reader process died" in outcome.reason and "tried 2 times" in outcome.reason
    small = write_pdf(tmp_path / "后来的文件.pdf", ["材料进场报验单"])
    pool.submit("after", request_for(small))
    assert collect_all(pool, 1)["after"].outcome.document is not None, "the pool works on afterwards"


def test_runaway_file_times_out_without_stalling_the_others(tmp_path: Path) -> None:
    slow = slow_pdf(tmp_path / "异常图纸.pdf", pages=600)
    small = [write_pdf(tmp_path / f"签证单{i}.pdf", [f"工程签证单 第{i}号"]) for i in range(3)]
    with ReadingPool(workers=2, time_limit=1.0) as pool:
        pool.submit("slow", request_for(slow))
        for i, path in enumerate(small):
            pool.submit(i, request_for(path))
        results = collect_all(pool, 4)
        assert pool.restarts == 0, "the alarm stopped pure-Python code: no process had to die"
    assert results["slow"].outcome.document is None
    assert results["slow"].outcome.reason == "《异常图纸.pdf》: timed out after 1 s"
    assert all(results[i].outcome.document is not None for i in range(3))


def test_watcher_quarantines_a_runaway_file_and_takes_the_rest(tmp_path: Path) -> None:
    share = tmp_path / "共享盘" / "项目甲"
    share.mkdir(parents=True)
    slow_pdf(share / "异常图纸.pdf", pages=600)
    write_pdf(share / "开工令.pdf", ["工程开工令", "准予开工"])
    settings = Settings(home=tmp_path / "档案室", watch_read_timeout=1.0, index_batch_size=16)
    root = WatchRoot(path=share.parent, stability_window=0.2, poll_interval=0.1)
    with ArchiveService(settings) as service:
        report = service.watch([root], threading.Event(), once=True)
        jobs = {Path(p).name: (state, reason) for p, state, reason in _jobs(service)}
        hits = service.search(SearchQuery(text="开工令")).total
    by_name = {Path(line.path).name: line for line in report.files}
    assert by_name["开工令.pdf"].status == "ingested" and hits == 1
    runaway = by_name["异常图纸.pdf"]
    assert runaway.status == "quarantined" and runaway.reason == "《异常图纸.pdf》: timed out after 1 s"
    assert runaway.document_id, "stored before it was read: nothing lost"
    assert jobs["异常图纸.pdf"] == ("quarantined", runaway.reason)


def _jobs(service: ArchiveService) -> list[tuple[str, str, str | None]]:
    from tests.catalog_sql import rows

    return rows(service.settings.home, "SELECT path, state, reason FROM jobs")


def test_readers_that_cannot_start_stop_the_watcher_with_an_error_not_a_hang(tmp_path: Path) -> None:
    share = tmp_path / "共享盘" / "项目乙"
    share.mkdir(parents=True)
    write_pdf(share / "开工令.pdf", ["工程开工令"])
    broken = tmp_path / "本地分类.yaml"
    broken.write_text("classes: [这不是: 合法的: 分类表\n", encoding="utf-8")
    settings = Settings(home=tmp_path / "档案室", taxonomy_override=broken)
    root = WatchRoot(path=share.parent, stability_window=0.2, poll_interval=0.1)
    with ArchiveService(settings) as service:
        with pytest.raises(StorageError, match="reader processes keep dying"):
            service.watch([root], threading.Event(), once=True)
        [(_path, state, _reason)] = _jobs(service)
    assert state == "processing", "left for the next start to finish, with its stored original"


def test_a_caller_may_ask_for_more_files_in_flight_per_reader() -> None:
    """``jiandang ingest`` keeps four files per reader in flight (more outcomes per commit); never
    fewer than the two that keep a reader busy. Nothing is started by building a pool.
    """
    assert ReadingPool(workers=2, time_limit=30.0, per_worker=4).capacity == 8
    assert ReadingPool(workers=2, time_limit=30.0, per_worker=1).capacity == 4
    bigger = ReadingPool(workers=1, time_limit=30.0, per_worker=4)
    assert bigger.room() == 4 and bigger.in_flight == 0
