"""A bound on how many pages are OCR'd at once, across every process of one archive.

Why a cross-process semaphore and not a dedicated OCR process pool: the reading pipeline may
itself run in several worker processes, and a pool per process would multiply, not bound, the
OCR work. Lock files under the archive home are shared by all of them: with ``slots=1`` and one
onnxruntime thread per call, OCR occupies at most one core however many scans arrive, and
born-digital files keep the other cores. The slot is held for one page at a time, so two scans
interleave page by page instead of the first one blocking the second to its end.

Without a slot directory (a dry-run ``classify``, tests) a process-local semaphore does the job.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

try:
    import fcntl
except ImportError:  # not POSIX: fall back to the process-local semaphore
    fcntl = None  # type: ignore[assignment]

POLL_SECONDS = 0.05


class OcrSlots:
    """``with slots.hold():`` runs the body while holding one of ``count`` OCR slots."""

    def __init__(self, count: int = 1, directory: Path | None = None) -> None:
        self.count = max(1, count)
        self._directory = directory if fcntl is not None else None
        self._local = threading.BoundedSemaphore(self.count)

    @contextlib.contextmanager
    def hold(self) -> Iterator[int]:
        """Block until a slot is free; yields the slot number."""
        with self._local:
            if self._directory is None:
                yield 0
                return
            self._directory.mkdir(parents=True, exist_ok=True)
            handle, slot = self._acquire_file_slot()
            try:
                yield slot
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
                handle.close()

    def _acquire_file_slot(self) -> tuple[BinaryIO, int]:
        assert self._directory is not None
        while True:
            for slot in range(self.count):
                handle = (self._directory / f"ocr-slot-{slot}.lock").open("a+b")
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    handle.close()
                    continue
                return handle, slot
            time.sleep(POLL_SECONDS)
