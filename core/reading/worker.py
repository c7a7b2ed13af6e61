"""The reader processes' side of the reading pool: build the reading pipeline once, read on request.

Runs in the worker processes only (started by ``core.reading.pool`` for the watcher, and for the
service's reads off the main thread). Each worker builds its own ``DocumentReader`` (the pipeline
of ``core.reading.pipelines``) in :func:`start_worker`, the pool's initializer, and then reads one stored
original per call of :func:`read_stored`.

Two things a worker does for the parent beyond reading:

- it writes ``(pid, start time)`` into the task's slot of a shared array when it starts a task,
  so the parent knows which process holds which file: a file whose reader dies or hangs is then
  attributable to that file alone;
- it enforces the per-file time limit itself (``core.reading.time_limit``, as ``jiandang ingest`` does):
  pure-Python converters (pypdf on a pathological CAD drawing) are interrupted cleanly and the
  worker lives on. Code stuck in C ignores the alarm; the parent kills such a worker after a grace
  period.
"""

from __future__ import annotations

import os
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from core.reading.outcomes import ReadOutcome, ReadRequest
from core.reading.time_limit import read_within
from ingest.ocr import OcrOptions


class Reader(Protocol):
    """What a worker reads with: :class:`~core.reading.reader.DocumentReader` or anything that reads like it."""

    def read(self, path: Path, original_name: str, meta: dict[str, Any]) -> ReadOutcome: ...


MakeReader = Callable[..., Reader]  # called as make_reader(taxonomy_override=, review_threshold=, ocr=)

# Per-process state, set by the pool's initializer in each worker (never at import time).
_state: dict[str, Any] = {}


def start_worker(taxonomy_override: str | None, review_threshold: float, ocr: OcrOptions | None,
                 make_reader: MakeReader, slots: Any, owner: int) -> None:
    """Pool initializer: build the reading pipeline once for this process.

    ``ocr`` carries the archive's OCR cache and slot folder, so scans read by the pool share the
    cache with ``jiandang ingest`` and OCR stays bounded across every reader process.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it stops us
    threading.Thread(target=_exit_with, args=(owner,), name="exit-with-watcher", daemon=True).start()
    reader = make_reader(taxonomy_override=taxonomy_override, review_threshold=review_threshold, ocr=ocr)
    _read_a_sample(reader)
    _state["reader"], _state["slots"] = reader, slots


def _read_a_sample(reader: Reader) -> None:
    """Read one small text once, so the first real file does not pay for lazily loaded dictionaries
    (and does not run into its time limit on a busy machine).
    """
    with tempfile.TemporaryDirectory(prefix="jiandang-warm-") as folder:
        sample = Path(folder, "样本.txt")
        sample.write_text("工程开工报告 编号 KG-2026-001：计划开工日期二〇二六年四月一日，合同价 120 万元。",
                          encoding="utf-8")
        reader.read(sample, sample.name, {})


def _exit_with(owner: int) -> None:
    """End this worker when the process that owns it (watcher, API server) is gone (``kill -9``).

    A worker holds both ends of the pool's task pipe, so it would never see end-of-file and
    would wait forever for work, keeping a few hundred MB of memory; its parent is the fork
    server, not the watcher, so the kernel's parent-death signal cannot be used either.
    """
    while True:
        time.sleep(1.0)
        try:
            os.kill(owner, 0)
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:
            pass  # alive, under another user after pid reuse; nothing to conclude


def warm_up() -> int:
    """A no-op task: submitting one per worker starts the workers before the first file arrives."""
    return os.getpid()


def read_stored(request: ReadRequest, slot: int, time_limit: float) -> ReadOutcome:
    """Read one stored original within ``time_limit`` seconds; a failure is an outcome, not an error."""
    slots = _state["slots"]
    slots[2 * slot + 1] = time.monotonic()
    slots[2 * slot] = os.getpid()
    reader = _state["reader"]
    return read_within(lambda: reader.read(request.blob, request.name, request.meta), request.name, time_limit)
