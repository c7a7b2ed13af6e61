"""Per-file timestamps from an ingest's progress hook, shared by the benchmarks that time ingest."""

from __future__ import annotations

import time

from schemas.ingest import FileReport


class FileTimer:
    """Progress hook for ``ArchiveService.ingest`` that timestamps every finished file."""

    def __init__(self) -> None:
        self.stamps: list[tuple[float, FileReport]] = []
        self.started = 0.0

    def start(self, total: int) -> None:
        self.started = time.perf_counter()

    def advance(self, report: FileReport) -> None:
        self.stamps.append((time.perf_counter(), report))
