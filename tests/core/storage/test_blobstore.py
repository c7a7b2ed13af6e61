"""The store of originals: content-addressed, immutable, crash-safe."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from core.storage.blobstore import BlobStore


@pytest.fixture
def store(tmp_path: Path) -> BlobStore:
    blobs = BlobStore(tmp_path / "originals")
    blobs.open()
    return blobs


def test_stores_bytes_under_their_sha256(store: BlobStore, tmp_path: Path) -> None:
    source = tmp_path / "设计变更通知单（结施-变-03）.pdf"
    source.write_bytes("设计变更通知单".encode() * 1000)
    blob = store.put_file(source)
    assert blob.sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
    assert blob.path.read_bytes() == source.read_bytes()
    assert blob.path.name == blob.sha256
    assert not blob.already_present
    assert not (blob.path.stat().st_mode & 0o222), "stored originals are read-only"


def test_same_bytes_twice_are_stored_once(store: BlobStore, tmp_path: Path) -> None:
    first, second = tmp_path / "甲.txt", tmp_path / "乙.txt"
    first.write_text("隐蔽工程验收记录", encoding="utf-8")
    second.write_text("隐蔽工程验收记录", encoding="utf-8")
    a, b = store.put_file(first), store.put_file(second)
    assert a.sha256 == b.sha256
    assert b.already_present
    assert sorted(store.iter_hashes()) == [a.sha256]


def test_leftover_temporaries_are_swept_on_open(tmp_path: Path) -> None:
    root = tmp_path / "originals"
    (root / ".incoming").mkdir(parents=True)
    (root / ".incoming" / "in-crashed").write_bytes(b"half a file")
    BlobStore(root).open()
    assert list((root / ".incoming").iterdir()) == []


def test_verify_detects_damage(store: BlobStore, tmp_path: Path) -> None:
    source = tmp_path / "竣工图.pdf"
    source.write_bytes(b"%PDF-1.4 drawing")
    blob = store.put_file(source)
    assert store.verify(blob.sha256)
    blob.path.chmod(0o644)
    blob.path.write_bytes(b"%PDF-1.4 drawinG")
    assert not store.verify(blob.sha256)


def test_unreadable_source_raises_oserror_and_leaves_nothing(store: BlobStore, tmp_path: Path) -> None:
    with pytest.raises(OSError):
        store.put_file(tmp_path / "不存在.pdf")
    assert list(store.iter_hashes()) == []
