"""A full disk while storing, recording, indexing or exporting: a clear error naming the path,
nothing half-written recorded as stored, the file taken again once there is space, and the index
and catalog consistent.

The disk is a real size-limited tmpfs the test mounts (root only; skipped with the reason when
mounting is not permitted). ``test_a_store_that_fills_up_through_a_fake`` covers the store step on
any machine with a fake at the storage interface (the file the store writes into).
"""

from __future__ import annotations

import errno
import hashlib
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from core import ArchiveService, Settings
from core.errors import DiskFull
from core.storage import blobstore
from schemas.ingest import IngestRequest, IngestStatus
from schemas.search import SearchQuery

pytestmark = pytest.mark.integration

MB = 1024 * 1024


@contextmanager
def small_disk(where: Path, megabytes: int) -> Iterator[Path]:
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a size-limited tmpfs needs root; the fake-store test covers the store step")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(where)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"mount is not permitted here ({done.stderr.strip()}); the fake-store test covers the store step")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _grow(where: Path, megabytes: int) -> None:
    subprocess.run(["mount", "-o", f"remount,size={megabytes}m", str(where)], check=True)


def _fill(where: Path) -> Path:
    """Fill the disk to the last byte with one file (deleted to make room again)."""
    filler = where / "填满.bin"
    with filler.open("wb") as handle:
        try:
            while True:
                handle.write(b"\0" * MB)
                handle.flush()
        except OSError as error:
            assert error.errno == errno.ENOSPC
    return filler


def _drop(folder: Path, big_mb: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(6):
        (folder / f"施工日志_{n}.txt").write_text(f"施工日志 第{n}天：外墙保温岩棉板施工，标记 RZ{n:02d}K。", encoding="utf-8")
    if big_mb:
        (folder / "综合说明_大文件.txt").write_text("综合说明大文件 " * (big_mb * MB // 16), encoding="utf-8")
    return folder


def _consistent(service: ArchiveService) -> None:
    """Every recorded document has its whole original; the index agrees with the catalog; no temporaries."""
    from core.catalog import Document

    with service.catalog.session() as session:
        for sha, size in session.query(Document.sha256, Document.size).all():
            blob = service.blobs.path_for(sha)
            assert blob.stat().st_size == size and hashlib.sha256(blob.read_bytes()).hexdigest() == sha
    assert not list((service.blobs.root / ".incoming").iterdir())
    check = service.check_index()
    assert check.in_sync and not check.stale, check


def test_storing_an_original_on_a_full_disk(tmp_path: Path) -> None:
    with small_disk(tmp_path / "小盘", 24) as disk:
        home = disk / "档案室"
        drop = _drop(tmp_path / "收文", big_mb=40)
        with ArchiveService(Settings(home=home)) as service:
            with pytest.raises(DiskFull) as raised:
                service.ingest(IngestRequest(paths=[drop], project="满-01"))
            assert str(home / "originals") in raised.value.message and "磁盘已满" in raised.value.message
            assert service.status().documents == 6  # the small ones before it; the big one is not recorded
            _consistent(service)
            _grow(disk, 256)
            again = service.ingest(IngestRequest(paths=[drop], project="满-01"))
            big = next(line for line in again.files if line.path.endswith("综合说明_大文件.txt"))
            assert big.status == IngestStatus.INGESTED, big.reason
            assert {line.status for line in again.files if line is not big} == {IngestStatus.DUPLICATE}
            _consistent(service)
            assert service.search(SearchQuery(text="综合说明大文件")).total == 1


@pytest.mark.sqlite_only("the catalog file on a full disk: with PostgreSQL the catalog is the server's")
def test_recording_in_a_full_catalog(tmp_path: Path) -> None:
    with small_disk(tmp_path / "小盘", 16) as disk:
        home = disk / "档案室"
        settings = Settings(home=home, originals_dir=tmp_path / "originals", index_dir=tmp_path / "index")
        with ArchiveService(settings) as service:
            service.ingest(IngestRequest(paths=[_drop(tmp_path / "第一批")], project="满-02"))
            filler = _fill(disk)
            second = tmp_path / "第二批"
            second.mkdir()
            (second / "监理通知单.txt").write_text("监理通知单：三层梁模板支撑整改。标记 JL77Q。", encoding="utf-8")
            with pytest.raises(DiskFull) as raised:
                service.ingest(IngestRequest(paths=[second], project="满-02"))
            assert "catalog.sqlite3" in raised.value.message
            filler.unlink()
            assert service.status().documents == 6
            _consistent(service)
            service.ingest(IngestRequest(paths=[second], project="满-02"))
            assert service.search(SearchQuery(text="JL77Q")).total == 1
            _consistent(service)


def test_indexing_on_a_full_disk(tmp_path: Path) -> None:
    with small_disk(tmp_path / "小盘", 16) as disk:
        settings = Settings(home=tmp_path / "档案室", index_dir=disk / "index")
        with ArchiveService(settings) as service:
            service.ingest(IngestRequest(paths=[_drop(tmp_path / "第一批")], project="满-03"))
            filler = _fill(disk)
            second = _drop(tmp_path / "第二批", big_mb=1)
            with pytest.raises(DiskFull) as raised:
                service.ingest(IngestRequest(paths=[second], project="满-03"))
            assert str(disk / "index") in raised.value.message
            filler.unlink()
            assert not service.check_index().stale  # nothing is marked indexed that is not in the index
            service.recover()
            _consistent(service)
            assert service.search(SearchQuery(text="综合说明大文件")).total == 1


def test_exporting_to_a_full_disk(tmp_path: Path) -> None:
    with small_disk(tmp_path / "小盘", 8) as disk, ArchiveService(Settings(home=tmp_path / "档案室")) as service:
        service.ingest(IngestRequest(paths=[_drop(tmp_path / "收文")], project="满-04"))
        _fill(disk)
        for name in ("检索结果.xlsx", "检索结果.csv"):
            with pytest.raises(DiskFull) as raised:
                service.export_search(SearchQuery(text="施工日志"), disk / name, user="审计员")
            assert str(disk / name) in raised.value.message
            assert not list(disk.glob(f"*{name}*")), "no half-written export is left"


def test_a_store_that_fills_up_through_a_fake(service: ArchiveService, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a small disk: the file the store writes into refuses the next write with ENOSPC."""
    real_fdopen = os.fdopen

    class FullAfter:
        def __init__(self, handle, room: int) -> None:  # type: ignore[no-untyped-def]
            self._handle, self._room = handle, room

        def write(self, data: bytes) -> int:
            if len(data) > self._room:
                raise OSError(errno.ENOSPC, "No space left on device")
            self._room -= len(data)
            return self._handle.write(data)

        def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
            return getattr(self._handle, name)

        def __enter__(self):  # type: ignore[no-untyped-def]
            return self

        def __exit__(self, *exc: object) -> None:
            self._handle.close()

    drop = _drop(tmp_path / "收文", big_mb=3)
    monkeypatch.setattr(blobstore.os, "fdopen", lambda fd, mode="r", *a, **k: (
        FullAfter(real_fdopen(fd, mode, *a, **k), 2 * MB) if "w" in mode else real_fdopen(fd, mode, *a, **k)))
    with pytest.raises(DiskFull) as raised:
        service.ingest(IngestRequest(paths=[drop], project="满-05"))
    assert str(service.blobs.root / ".incoming") in raised.value.message
    assert service.status().documents == 6
    monkeypatch.undo()
    again = service.ingest(IngestRequest(paths=[drop], project="满-05"))
    assert [line.status for line in again.files if line.path.endswith("综合说明_大文件.txt")] == [IngestStatus.INGESTED]
    _consistent(service)
