"""Hashing many stored originals as fast as the disk and the cores allow.

``hashlib`` releases the GIL while it digests a buffer and while a file is read, so a few threads
hash files side by side on every core; each file is streamed through one reusable buffer, so
memory does not grow with file size. The number of files in flight is bounded (a window), so a
store of 300,000 documents does not queue 300,000 futures at once.
"""

from __future__ import annotations

import hashlib
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

BUFFER = 1024 * 1024

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Digest:
    """What reading a file gave: its sha256 and size, or the OS error that stopped the read."""

    sha256: str | None
    size: int | None
    error: OSError | None = None


def digest_file(path: Path) -> Digest:
    """sha256 and size of one file, streamed; a missing or unreadable file is a ``Digest`` with the error."""
    digest = hashlib.sha256()
    size = 0
    buffer = bytearray(BUFFER)
    view = memoryview(buffer)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError as error:
        return Digest(None, None, error)
    try:
        with open(fd, "rb", buffering=0, closefd=True) as handle:
            while read := handle.readinto(buffer):
                digest.update(view[:read])
                size += read
    except OSError as error:
        return Digest(None, size, error)
    return Digest(digest.hexdigest(), size)


def in_threads(items: Iterable[T], work: Callable[[T], R], workers: int) -> Iterator[tuple[T, R]]:
    """``(item, work(item))`` for every item, in order, ``workers`` at a time with a bounded window.

    For work that spends its time in ``hashlib`` and file I/O (both release the GIL): hashing
    here, the backup's verified copies in ``core.backup``.
    """
    workers = max(1, workers)
    window: deque[tuple[T, Future[R]]] = deque()
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="jiandang-io") as pool:
        for item in items:
            window.append((item, pool.submit(work, item)))
            if len(window) >= 4 * workers:
                first, future = window.popleft()
                yield first, future.result()
        while window:
            item, future = window.popleft()
            yield item, future.result()


def hash_all(items: Iterable[T], path_of: Callable[[T], Path], workers: int) -> Iterator[tuple[T, Digest]]:
    """``(item, digest)`` for every item, in order, hashed by ``workers`` threads at a time."""
    return in_threads(items, lambda item: digest_file(path_of(item)), workers)
