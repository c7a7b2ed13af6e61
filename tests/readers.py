"""A reader that gets stuck in C on request, for the reader processes' kill-after-grace path.

No real file makes a converter hang inside C on demand (the slow PDFs of the other tests keep
pypdf busy in Python, where the alarm stops them). So this is a fake at the reader interface
(``core.reading.worker.Reader``): it reads every file with the real pipeline, except a file whose
bytes carry :data:`STUCK_MARK`, on which it blocks the alarm signal and waits on a pipe that is
never written — what a converter stuck in a C call looks like from outside: no signal handler
runs, only SIGKILL ends it. It runs inside the pool's worker processes, which import it by name.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

from core.reading.outcomes import ReadOutcome
from core.reading.reader import DocumentReader

STUCK_MARK = "〔读取时卡在C代码里〕".encode()


class StuckInC:
    """``DocumentReader`` with one defect: a file containing ``STUCK_MARK`` never comes back."""

    def __init__(self, **options: Any) -> None:
        self._real = DocumentReader(**options)

    def read(self, path: Path, original_name: str, meta: dict[str, Any]) -> ReadOutcome:
        if STUCK_MARK in path.read_bytes():
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            never_written, _keep_open = os.pipe()
            os.read(never_written, 1)  # blocks in the kernel; only SIGKILL ends it
        return self._real.read(path, original_name, meta)
