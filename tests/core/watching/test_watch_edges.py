"""The watcher's hard cases: a file replaced while read, two watchers, done-markers, non-UTF-8 names."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Hashable
from pathlib import Path

import pytest

from core import ArchiveService
from core.errors import StorageError
from core.reading.outcomes import ReadRequest
from core.reading.pool import ReadingPool
from core.watching.watcher import FolderWatcher
from schemas.search import SearchQuery
from schemas.watch import WatchMode, WatchReport, WatchRoot
from tests.core.watching.watch_helpers import DEADLINE, MODES, query, root_for

pytestmark = pytest.mark.integration







def wait_for(condition: Callable[[], bool], what: str, thread: WatcherThread | None = None) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if thread is not None:
            assert thread.error is None, f"watcher crashed: {thread.error!r}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


class WatcherThread:
    """A FolderWatcher on its own thread (as `jiandang watch` runs it), optionally with a given pool."""

    def __init__(self, service: ArchiveService, roots: list[WatchRoot], pool: ReadingPool | None = None) -> None:
        self.stop = threading.Event()
        self.report: WatchReport | None = None
        self.error: BaseException | None = None
        self.watcher = FolderWatcher(service, roots, pool=pool)
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            self.report = self.watcher.run(self.stop)
        except BaseException as error:  # surfaced by wait_for
            self.error = error

    def __enter__(self) -> WatcherThread:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        self._thread.join(30)


class ReplacingPool(ReadingPool):
    """The real pool, but the source is rewritten just after it was stored and before it is read."""

    def __init__(self, target: Path, new_text: str) -> None:
        super().__init__(workers=2, time_limit=60)
        self.target, self.new_text, self.replaced = target, new_text, False

    def submit(self, key: Hashable, request: ReadRequest) -> None:
        if key == self.target and not self.replaced:
            self.target.write_text(self.new_text, encoding="utf-8")  # in place, a new size and mtime
            self.replaced = True
        super().submit(key, request)


@pytest.mark.parametrize("mode", MODES)
def test_file_replaced_while_read_is_stored_as_fingerprinted_and_new_content_is_a_new_version(
        service: ArchiveService, tmp_path: Path, mode: WatchMode) -> None:
    share = tmp_path / "共享盘"
    target = share / "项目甲" / "工程量清单.txt"
    target.parent.mkdir(parents=True)
    old, new = "工程量清单 第一版：土方一千二百立方米。", "工程量清单 第二版（修订）：土方一千三百五十立方米，增加基坑支护。"
    target.write_text(old, encoding="utf-8")
    pool = ReplacingPool(target, new)
    with WatcherThread(service, [root_for(share, mode)], pool) as running:
        wait_for(lambda: query(service, "SELECT count(*) FROM documents WHERE status = 'processed'") == [(2,)],
                 "both versions", running)
        wait_for(lambda: query(service, "SELECT state FROM jobs") == [("done",)], "the job settled", running)
    assert pool.replaced
    texts = dict(query(service, "SELECT d.sha256, t.content FROM documents d JOIN document_texts t"
                                " ON t.document_id = d.id"))
    assert sorted(texts.values(), key=len) == [old, new], "each version read from its own stored bytes, never mixed"
    first, second = (query(service, "SELECT id FROM documents WHERE original_name = '工程量清单.txt'"
                                    " ORDER BY received_at")[i][0] for i in (0, 1))
    events = query(service, "SELECT detail FROM events WHERE document_id = ? AND kind = 'new_version'", second)
    assert len(events) == 1 and first in events[0][0]
    [(size, mtime)] = query(service, "SELECT size, mtime_ns FROM jobs")
    assert (size, mtime) == (target.stat().st_size, target.stat().st_mtime_ns), "fingerprint of the last copy"
    assert [hit.id for hit in service.search(SearchQuery(text="基坑支护")).hits] == [second]


def test_second_watcher_on_the_same_home_is_refused(service: ArchiveService, tmp_path: Path) -> None:
    share = tmp_path / "共享盘"
    (share / "项目乙").mkdir(parents=True)
    (share / "项目乙" / "开工令.txt").write_text("工程开工令：准予开工。", encoding="utf-8")
    lock = service.settings.home / "watcher.lock"
    with WatcherThread(service, [root_for(share)]) as first:
        wait_for(lambda: query(service, "SELECT state FROM jobs") == [("done",)], "the first watcher", first)
        with pytest.raises(StorageError) as refused:
            service.watch([root_for(tmp_path / "另一个共享盘")], threading.Event(), once=True)
        assert f"process {os.getpid()}" in refused.value.message and "already watching" in refused.value.message
        assert lock.read_text().strip() == str(os.getpid())
    assert first.error is None
    again = service.watch([root_for(share)], threading.Event(), once=True)  # the lock went with the watcher
    assert again.files == []


@pytest.mark.parametrize("mode", MODES)
def test_done_marker_holds_files_until_it_arrives_then_takes_them_at_once(
        service: ArchiveService, tmp_path: Path, mode: WatchMode) -> None:
    share = tmp_path / "扫描仪投递"
    delivery = share / "项目丙" / "交付 第一批"
    delivery.mkdir(parents=True)
    window = 1.0
    root = root_for(share, mode, done_markers=["READY", ".done"], stability_window=window)
    with WatcherThread(service, [root]) as running:
        for name, text in {"隐蔽工程验收记录.txt": "隐蔽工程验收记录：钢筋规格、间距符合设计要求。",
                           "旁站记录.txt": "混凝土浇筑旁站记录：坍落度一百八十毫米。"}.items():
            (delivery / name).write_text(text, encoding="utf-8")
        wait_for(lambda: query(service, "SELECT count(*) FROM jobs WHERE state = 'queued'") == [(2,)],
                 "both files queued", running)
        time.sleep(3 * window)  # stable for three windows: without the marker they must still wait
        assert query(service, "SELECT count(*) FROM documents") == [(0,)]
        (delivery / "READY").write_text("", encoding="utf-8")
        marked = time.monotonic()
        wait_for(lambda: query(service, "SELECT count(*) FROM jobs WHERE state = 'done'") == [(2,)],
                 "the released files", running)
        released_after = time.monotonic() - marked
    assert query(service, "SELECT count(*) FROM documents WHERE original_name = 'READY'") == [(0,)]
    if mode == WatchMode.EVENTS:
        assert released_after < window + 5, "the marker is a trigger, not one more wait"


def test_done_marker_in_once_mode_takes_marked_folders_and_leaves_the_rest_queued(
        service: ArchiveService, tmp_path: Path) -> None:
    share = tmp_path / "投递"
    (share / "项目丁" / "已完成").mkdir(parents=True)
    (share / "项目丁" / "复制中").mkdir(parents=True)
    (share / "项目丁" / "已完成" / "竣工验收报告.txt").write_text("竣工验收报告：同意验收。", encoding="utf-8")
    (share / "项目丁" / "已完成" / ".done").write_text("", encoding="utf-8")
    (share / "项目丁" / "复制中" / "施工日志.txt").write_text("施工日志：晴。", encoding="utf-8")
    report = service.watch([root_for(share, done_markers=[".done"])], threading.Event(), once=True)
    assert [Path(f.path).name for f in report.files] == ["竣工验收报告.txt"]
    states = {Path(path).name: state for path, state in query(service, "SELECT path, state FROM jobs")}
    assert states == {"竣工验收报告.txt": "done", "施工日志.txt": "queued"}, "waiting for its marker"


@pytest.mark.parametrize("mode", MODES)
def test_names_that_are_not_utf8_are_archived_under_a_readable_name(
        service: ArchiveService, tmp_path: Path, mode: WatchMode) -> None:
    share = tmp_path / "旧服务器共享"
    (share / "项目戊").mkdir(parents=True)
    folder = os.fsencode(share / "项目戊")
    names = {
        "验收记录.txt".encode("gbk"): ("验收记录.txt", "分部工程验收记录：合格。"),  # an old Windows share
        b"caf\xe9 \xff.txt": ("caf\\xe9 \\xff.txt", "设计变更通知单：第三层梁配筋调整。"),  # nothing known
    }
    if mode == WatchMode.POLLING:
        for raw, (_, text) in names.items():
            Path(os.fsdecode(folder + b"/" + raw)).write_text(text, encoding="utf-8")
        report = service.watch([root_for(share, mode)], threading.Event(), once=True)
        lines = report.files
    else:
        with WatcherThread(service, [root_for(share, mode)]) as running:
            time.sleep(0.5)
            for raw, (_, text) in names.items():
                Path(os.fsdecode(folder + b"/" + raw)).write_text(text, encoding="utf-8")
            wait_for(lambda: query(service, "SELECT count(*) FROM jobs WHERE state = 'done'") == [(2,)],
                     "both files", running)
        assert running.report is not None
        lines = running.report.files
    assert sorted(line.status for line in lines) == ["ingested", "ingested"]
    stored = {name for (name,) in query(service, "SELECT original_name FROM documents")}
    assert stored == {readable for readable, _ in names.values()}
    details = [detail for (detail,) in query(service, "SELECT detail FROM events WHERE kind = 'received'")]
    for raw in names:
        assert sum(raw.hex() in detail for detail in details) == 1, "the raw bytes of each name are kept"
    jobs = {Path(path).name for (path,) in query(service, "SELECT path FROM jobs")}
    # Bytes that happen to form UTF-8 (d5 bc → "ռ") stay characters; the rest are shown as \xNN.
    assert jobs == {"\\xd1\\xe9\\xcaռ\\xc7¼.txt", "caf\\xe9 \\xff.txt"}, "escaped, stable keys"
    again = service.watch([root_for(share, WatchMode.POLLING)], threading.Event(), once=True)
    assert again.files == [], "fingerprinted under the same key: never taken twice"
    assert service.search(SearchQuery(text="梁配筋")).total == 1
