"""The audit head file (``audit.head``), moved forward by a writer thread, off the request's path.

The head file exists to catch entries dropped from the end of the chain (``check_chain``): it names
the newest entry the archive has ever committed, and a chain that ends before it has lost some. A
head that is *behind* the chain proves nothing wrong and raises no alarm, so it need not be written
before the caller of ``append`` answers: what must be durable then is the entry itself (the
catalog's commit). Writing the head there cost more than the commit (a temporary file renamed over
the old one: 3.8 ms of an append's 7.8 ms at the median, as the rename waits for the data to reach
the disk). So a commit only records the newest ``(seq, hash)`` here, and one thread writes it,
the latest one only when several came in meanwhile.

What that costs: after a crash the head file can be a few milliseconds of entries behind, and
dropping exactly those entries would go unseen, as it would for entries never mirrored anywhere.
Everything in this process that reads the head file (``verify``, a backup) calls ``flush`` first,
so it sees its own appends; ``close``, and at the latest the interpreter's exit, writes the last head.
"""

from __future__ import annotations

import atexit
import logging
import threading
from pathlib import Path

from core.storage.atomic_files import replace_text

logger = logging.getLogger(__name__)

Head = tuple[int, str]


def read_head_text(text: str) -> Head:
    """``(seq, hash)`` of a head file's text; ``(-1, "unreadable")`` when it is not one."""
    try:
        seq_text, digest = text.split()
        return int(seq_text), digest
    except ValueError:
        return (-1, "unreadable")


class HeadFile:
    """One head file; ``advance`` returns at once, the writer thread catches up."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._wanted: Head | None = None  # the newest head this process committed
        self._written: Head | None = None  # the newest the thread has put on disk (or found there)
        self._changed = threading.Condition()
        self._writer: threading.Thread | None = None
        self._closing = False
        self._flush_at_exit = False

    def read(self) -> Head | None:
        """The head on disk, after this process's own pending head is written."""
        self.flush()
        return self._on_disk()

    def _on_disk(self) -> Head | None:
        if not self.path.exists():
            return None
        return read_head_text(self.path.read_text(encoding="ascii"))

    def advance(self, seq: int, digest: str) -> None:
        """Ask for the head to name entry ``seq`` (ignored when a newer one is already asked for)."""
        with self._changed:
            if self._wanted is not None and self._wanted[0] >= seq:
                return
            self._wanted = (seq, digest)
            if self._writer is None or not self._writer.is_alive():
                self._closing = False
                self._writer = threading.Thread(target=self._write_loop, name="jiandang-audit-head", daemon=True)
                self._writer.start()
                if not self._flush_at_exit:
                    # A command that never closes its service still leaves the head written: exit
                    # handlers run while daemon threads are alive.
                    atexit.register(self.flush)
                    self._flush_at_exit = True
            self._changed.notify_all()

    def flush(self, timeout: float = 10.0) -> None:
        """Wait until the head this process asked for is on disk (or the writer gave up on it)."""
        with self._changed:
            self._changed.wait_for(lambda: self._wanted == self._written or not self._alive(), timeout)

    def close(self) -> None:
        """Write the last head and stop the writer thread."""
        self.flush()
        with self._changed:
            self._closing = True
            self._changed.notify_all()
        if self._writer is not None:
            self._writer.join(timeout=10)

    def _alive(self) -> bool:
        return self._writer is not None and self._writer.is_alive()

    def _write_loop(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._wanted != self._written or self._closing)
                if self._wanted == self._written:
                    return  # closing, nothing left to write
                wanted = self._wanted
            assert wanted is not None
            try:
                self._write(wanted)
            except OSError:
                # A full or failing disk: the entries themselves are committed; the head stays
                # behind (which verify accepts) until a later write succeeds.
                logger.warning("could not write the audit head file %s", self.path, exc_info=True)
            with self._changed:
                self._written = wanted
                self._changed.notify_all()

    def _write(self, head: Head) -> None:
        """Replace the file with ``head`` unless another process has already moved it further."""
        current = self._on_disk()
        if current is not None and current[0] >= head[0]:
            return
        replace_text(self.path, f"{head[0]} {head[1]}\n", encoding="ascii")
