"""Watched-folder figures: landing → searchable latency, and a big drop's documents/s and peak RSS.

Latency: a watcher runs on a thread (events mode, then polling mode) over an empty share; small
Chinese text files land one every ``BENCH_WATCH_GAP`` seconds, each carrying a unique number, and
a second service searches for every number until it is found. Reported: p50/p95 of
(found − landed) in seconds, next to the stability window (the issue's target: p95 ≤ window + 2 s
in events mode).

Big drop: ``generate_corpus`` writes born-digital PDF/DOCX/XLSX into a share, then
``jiandang watch --once`` runs as a child process over it; documents/s is files / wall time of
that process (start-up included) and peak RSS is the child's ``ru_maxrss``. Two sizes (a quarter
and the full drop) show whether memory stays flat.

Sizes: ``BENCH_WATCH_FILES`` (latency files per mode, default 30), ``BENCH_WATCH_DROP`` (default
400), ``BENCH_WATCH_WINDOW`` (stability window, default 1.0 s).
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

from core import ArchiveService, Settings
from core.sample_project import generate_corpus
from schemas.search import SearchQuery
from schemas.watch import ProjectMapping, WatchMode, WatchRoot

REPO = Path(__file__).resolve().parents[1]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]


def measure_latency(work: Path, mode: WatchMode, files: int, window: float, gap: float) -> list[float]:
    share = work / f"share-{mode.value}"
    share.mkdir(parents=True)
    settings = Settings(home=work / f"home-{mode.value}", index_batch_size=16)
    root = WatchRoot(path=share, mode=mode, stability_window=window, poll_interval=0.5,
                     project_mapping=ProjectMapping.FIXED, project="BENCH")
    stop = threading.Event()
    with ArchiveService(settings) as service, ArchiveService(settings) as reader:
        thread = threading.Thread(target=service.watch, args=([root], stop), daemon=True)
        thread.start()
        time.sleep(2.0)  # pipeline warm-up and observer start
        landed: dict[str, float] = {}
        found: dict[str, float] = {}
        for i in range(files):
            token = f"{7310000 + i}"
            path = share / f"监理通知单{i:03d}.txt"
            path.write_text(f"监理通知单 编号 {token}：第{i}次，请整改脚手架连墙件。", encoding="utf-8")
            landed[token] = time.monotonic()
            _poll(reader, landed, found, until=time.monotonic() + gap)
        deadline = time.monotonic() + window + 30
        while len(found) < files and time.monotonic() < deadline:
            _poll(reader, landed, found, until=time.monotonic() + 0.05)
        stop.set()
        thread.join(10)
    return [found[t] - landed[t] for t in found]


def _poll(reader: ArchiveService, landed: dict[str, float], found: dict[str, float], until: float) -> None:
    while True:
        for token in [t for t in landed if t not in found]:
            if reader.search(SearchQuery(text=token, limit=1)).total:
                found[token] = time.monotonic()
        if time.monotonic() >= until:
            return
        time.sleep(0.02)


def measure_drop(work: Path, n: int, window: float) -> tuple[float, float, dict]:
    share, home = work / f"drop-{n}", work / f"drop-home-{n}"
    generate_corpus(share, n=n, seed=4, write_manifest=False)
    env = dict(os.environ, JIANDANG_HOME=str(home), PYTHONPATH=str(REPO))
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "cli.main", "watch", str(share), "--once", "--json",
                           "--window", str(window)], env=env, capture_output=True, check=True)
    wall = time.perf_counter() - t0
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return n / wall, peak, json.loads(done.stdout)["counts"]


def bench_watch(work: Path) -> None:
    files = int(os.environ.get("BENCH_WATCH_FILES", "30"))
    drop = int(os.environ.get("BENCH_WATCH_DROP", "400"))
    window = float(os.environ.get("BENCH_WATCH_WINDOW", "1.0"))
    gap = float(os.environ.get("BENCH_WATCH_GAP", "0.3"))
    print(f"\n### Watched folders: landing → searchable ({files} files per mode, one every {gap} s, "
          f"stability window {window} s)\n")
    print("| mode | found | p50 s | p95 s | max s |")
    print("|---|---|---|---|---|")
    for mode in (WatchMode.EVENTS, WatchMode.POLLING):
        latencies = measure_latency(work, mode, files, window, gap)
        print(f"| {mode.value} | {len(latencies)}/{files} | {statistics.median(latencies):.2f} | "
              f"{_percentile(latencies, 0.95):.2f} | {max(latencies):.2f} |")
    print(f"\n### Watched folders: a dropped share taken by `jiandang watch --once` (window {window} s)\n")
    print("| files | documents/s (wall, incl. start-up) | peak RSS MB | counts |")
    print("|---|---|---|---|")
    for n in sorted({max(1, drop // 4), drop}):
        rate, peak, counts = measure_drop(work, n, window)
        print(f"| {n} | {rate:.1f} | {peak:.0f} | {counts} |")


def main() -> None:
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory(prefix="jiandang-bench-watch-") as tmp:
        bench_watch(Path(tmp))


if __name__ == "__main__":
    main()
