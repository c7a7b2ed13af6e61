"""A disk that fills up (or refuses a write) while the archive writes: one clear error naming the path.

Whatever is being written — an original into the store, a catalog transaction, the search
index, an export — a failed write leaves nothing half-done behind (temporaries are deleted, a
transaction rolls back, an index commit does not happen) and the caller stops with this error.
The file it was taking in is not recorded as stored, so the next run takes it again once there
is space.
"""

from __future__ import annotations

import errno
from pathlib import Path

from core.errors import DiskFull, StorageError

FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
FULL_WORDS = ("no space left on device", "disk quota exceeded", "database or disk is full")


def is_disk_full(error: BaseException) -> bool:
    """Did this error come from a full disk (any layer: the OS, SQLite, the index engine)?"""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in FULL_ERRNOS:
            return True
        if any(word in str(current).lower() for word in FULL_WORDS):
            return True
        current = current.__cause__ or current.__context__
    return False


def full_disk(path: Path | str, doing: str) -> DiskFull:
    return DiskFull(f"磁盘已满，{doing}失败：无法写入 {path}。已写的部分已撤销，没有登记为已存；"
                    "腾出空间后再运行一次即可接着处理", path=str(path))


def store_error(error: OSError, path: Path, doing: str) -> StorageError:
    """The archive's error for a failed write at ``path`` (``DiskFull`` when the disk is full)."""
    if is_disk_full(error):
        return full_disk(path, doing)
    return StorageError(f"{doing} failed: cannot write {path} ({error.strerror or error})", path=str(path))
