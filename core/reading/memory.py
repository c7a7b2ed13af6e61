"""A memory limit that holds while one file is read: the process-level backstop behind ``ingest.guards``.

The guards refuse what a file *declares* (a zip member of 2.5 GB, 2.5 gigapixels); a file can
still make a library allocate without declaring it. While one file is read, the process's data
segment limit (``RLIMIT_DATA``: heap and private writable mappings, which is what a runaway parser
or decoder allocates) is set to what the process already uses plus the budget; an allocation
past it fails, Python raises ``MemoryError``, and the file is quarantined with that reason
instead of the kernel's OOM killer choosing a victim (the server, the database). The previous
limit is restored after the read.

Why ``RLIMIT_DATA`` and not ``RLIMIT_AS``: address space counts reservations nobody touches
(glibc reserves 64 MB per thread arena, onnxruntime maps its thread pools), so a budget on it
refuses a harmless first OCR; data-segment growth is what the resident memory of a runaway read
is made of. Measured on this machine: the first OCR of a scanned page grows the data segment by
about 350 MB, a scanned PDF page by about 560 MB; the default budget is 1,024 MB.

Only on the main thread: a limit is process-wide, and a reader on another thread would impose it
on threads doing other work (the API server). Reads off the main thread go to a reader process
(``core.reading.pooled``), whose main thread applies it for itself.
"""

from __future__ import annotations

import logging
import resource
import threading
from collections.abc import Iterator
from contextlib import contextmanager

logger = logging.getLogger(__name__)

MB = 1024 * 1024


def data_segment_bytes() -> int:
    """This process's data segment now (``VmData``), in bytes."""
    with open("/proc/self/status", encoding="ascii", errors="replace") as status:
        for line in status:
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    return 0


@contextmanager
def memory_budget(budget: int | None) -> Iterator[None]:
    """Let the block allocate at most ``budget`` more bytes (None or 0: no limit; not the main thread: none)."""
    if not budget or threading.current_thread() is not threading.main_thread():
        yield
        return
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
        limit = data_segment_bytes() + budget
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        if soft != resource.RLIM_INFINITY:
            limit = min(limit, soft)  # never loosen a limit someone else set
        resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
    except (OSError, ValueError) as error:  # no /proc, or a platform without RLIMIT_DATA
        logger.debug("no memory limit for this read: %s", error)
        yield
        return
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))
