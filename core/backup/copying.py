"""Copying originals by content address, each copy checked before it counts.

A copy is streamed into a temporary file beside the target store while the bytes are hashed;
if the hash is not the name the original is stored under, the source is damaged and nothing is
kept. The copy is fsynced, its cached pages dropped, and it is read back from the disk and hashed
again before it is renamed to its address: a copy that reads back wrong (a bad sector, a full
disk that truncated it) never takes the name of a good one. An original already at its address
is not copied again (that is what makes the next backup incremental).
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from core.fixity.hashing import BUFFER, digest_file
from core.storage.blobstore import fsync_path


@dataclass(frozen=True)
class CopyOutcome:
    copied: bool
    bytes: int
    problem: str | None = None


def copy_verified(source: Path, target: Path, sha256: str, incoming: Path, *, replace: bool = False) -> CopyOutcome:
    """Copy ``source`` to ``target`` unless it is there; ``problem`` says why a copy was refused.

    ``replace``: put the copy over whatever is at ``target`` (a damaged original being repaired).
    """
    if target.exists() and not replace:
        return CopyOutcome(copied=False, bytes=0)
    try:
        fd, temporary = tempfile.mkstemp(dir=incoming, prefix="copy-")
    except OSError as error:
        return CopyOutcome(False, 0, f"无法在 {incoming} 建立副本（{error.strerror or error}）")
    tmp = Path(temporary)
    try:
        written = _stream(source, fd, sha256)
        if isinstance(written, str):
            return CopyOutcome(False, 0, written)
        check = digest_file(tmp)
        if check.sha256 != sha256:
            return CopyOutcome(False, 0, f"写入 {target} 的副本读回时与原件不符（{check.error or '内容不同'}），未保留")
        os.chmod(tmp, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, target)
        fsync_path(target.parent)
        return CopyOutcome(True, written)
    except OSError as error:
        return CopyOutcome(False, 0, f"复制到 {target} 失败（{error.strerror or error}）")
    finally:
        tmp.unlink(missing_ok=True)


def _stream(source: Path, fd: int, sha256: str) -> int | str:
    """Copy ``source`` into ``fd`` while hashing; the size, or why the source is not that original."""
    digest = hashlib.sha256()
    size = 0
    buffer = bytearray(BUFFER)
    view = memoryview(buffer)
    with open(fd, "wb", closefd=True) as sink:
        try:
            src = os.open(source, os.O_RDONLY | os.O_NOFOLLOW)
        except FileNotFoundError:
            return f"原件 {source} 不见了，未备份"
        with open(src, "rb", buffering=0) as handle:
            while read := handle.readinto(buffer):
                digest.update(view[:read])
                sink.write(view[:read])
                size += read
        sink.flush()
        os.fsync(sink.fileno())
        os.posix_fadvise(sink.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)  # the check reads the disk, not the cache
    if digest.hexdigest() != sha256:
        return f"原件 {source} 已损坏（内容与其 sha256 不符），未备份；请先修复（jiandang verify）"
    return size

