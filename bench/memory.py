"""Reading a process's memory from /proc, and sampling its peak while a block of work runs.

The kernel's own peak (``ru_maxrss``) is the lifetime maximum of the whole process and misses
nothing, but it cannot say what one step added, and it counts mapped index pages the page cache
later takes back. The benchmarks sample ``/proc/<pid>/status`` instead: VmRSS (all resident),
RssAnon (heap: what a machine cannot reclaim) and RssFile (mapped files).
"""

from __future__ import annotations

import threading

STATUS_FIELDS = ("VmRSS", "RssAnon", "RssFile")


def status_mb(pid: int | str = "self") -> dict[str, float]:
    """VmRSS, RssAnon and RssFile of ``pid`` in MB (empty when the process is gone)."""
    figures: dict[str, float] = {}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                key, _, value = line.partition(":")
                if key in STATUS_FIELDS:
                    figures[key] = int(value.split()[0]) / 1024
    except OSError:
        pass
    return figures


class PeakMemory:
    """This process's resident and anonymous memory: at the start of the block and their peaks in it."""

    def __init__(self, interval: float = 0.02) -> None:
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.start = self.peak = self.peak_anon = 0.0

    def _sample(self) -> None:
        now = status_mb()
        self.peak = max(self.peak, now.get("VmRSS", 0.0))
        self.peak_anon = max(self.peak_anon, now.get("RssAnon", 0.0))

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self._sample()

    def __enter__(self) -> PeakMemory:
        self.start = status_mb().get("VmRSS", 0.0)
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()
