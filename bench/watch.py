"""Watched-folder figures: landing → searchable latency, and a big drop's documents/s and peak RSS.

Latency: a watcher runs on a thread (events mode, then polling mode) over an empty share; small
Chinese text files land one every ``BENCH_WATCH_GAP`` seconds, each carrying a unique number, and
a second service searches for every number until it is found. Reported: p50/p95 of
(found − landed) in seconds, next to the stability window (the issue's target: p95 ≤ window + 2 s
in events mode).

Big drop: ``generate_corpus`` writes born-digital PDF/DOCX/XLSX into a share (not timed), then
``jiandang watch --once`` runs as a child process over it (the writer process plus its reader
processes). Reported: documents/s over the whole run (start-up included) and between 10 % and
90 % of the drop, the peak PSS (shared pages counted once) of all its processes together, the
writer process's RSS (anonymous / file-backed) at 25 %, 50 % and 100 % of the drop, and a curve at
every tenth of the drop (writer RSS, readers' PSS, documents indexed) — flat memory means those
stay put. The index lag is how long after the last document was recorded the last one was indexed.
Sampled every half second from ``/proc``.

Sizes: ``BENCH_WATCH_FILES`` (latency files per mode, default 30), ``BENCH_WATCH_DROP`` (default
10000; generating them takes a few minutes), ``BENCH_WATCH_WINDOW`` (stability window, default
1.0 s). The machine's load average is printed with each table: other work skews every figure.
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

from bench.memory import status_mb
from core import ArchiveService, Settings
from samples import generate_corpus
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
        _warm_up(share, reader)
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


def _warm_up(share: Path, reader: ArchiveService, timeout: float = 180.0) -> None:
    """Land one file and wait until it is searchable: the reader processes are up and warm.

    A fixed sleep was too short on a loaded machine: the first files then queued behind the
    readers' start-up and the figures measured that backlog draining, not landing→searchable.
    """
    (share / "预热.txt").write_text("预热文件 编号 7309999：开工令。", encoding="utf-8")
    deadline = time.monotonic() + timeout
    while not reader.search(SearchQuery(text="7309999", limit=1)).total:
        if time.monotonic() > deadline:
            raise RuntimeError(f"the watcher did not make a file searchable within {timeout:.0f} s")
        time.sleep(0.1)


def _poll(reader: ArchiveService, landed: dict[str, float], found: dict[str, float], until: float) -> None:
    while True:
        for token in [t for t in landed if t not in found]:
            if reader.search(SearchQuery(text=token, limit=1)).total:
                found[token] = time.monotonic()
        if time.monotonic() >= until:
            return
        time.sleep(0.02)


@dataclass
class DropFigures:
    files: int
    wall: float
    steady_rate: float
    counts: dict
    samples: list[tuple[float, int, float, float, float, float, int]]
    # (t, documents, writer anon MB, writer file MB, all PSS MB, readers' PSS MB, documents indexed)

    def main_rss_at(self, share: float) -> tuple[float, float]:
        """The writer process's (anon, file) RSS when ``share`` of the files were in the catalog."""
        wanted = share * self.files
        for _t, docs, anon, file, *_rest in self.samples:
            if docs >= wanted:
                return anon, file
        return self.samples[-1][2], self.samples[-1][3]


def measure_drop(work: Path, n: int, window: float) -> DropFigures:
    """``jiandang watch --once`` over ``n`` generated files, sampled every half second from /proc."""
    share, home = work / f"drop-{n}", work / f"drop-home-{n}"
    generate_corpus(share, n=n, seed=4, write_manifest=False)
    env = dict(os.environ, JIANDANG_HOME=str(home), PYTHONPATH=str(REPO))
    samples: list[tuple[float, int, float, float, float, float, int]] = []
    t0 = time.perf_counter()
    report = work / f"drop-{n}.json"
    with (work / f"drop-{n}.log").open("wb") as log, report.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "cli.main", "watch", str(share), "--once", "--json",
                                 "--window", str(window)], env=env, stdout=out, stderr=log)
        while proc.poll() is None:
            main = _memory(proc.pid)
            tree = sum(_memory(pid).get("Pss", 0.0) for pid in _tree(proc.pid))
            documents, indexed = _documents(home)
            samples.append((time.perf_counter() - t0, documents, main.get("RssAnon", 0.0),
                            main.get("RssFile", 0.0), tree, tree - main.get("Pss", 0.0), indexed))
            time.sleep(0.5)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"watch --once failed ({proc.returncode}); see {work / f'drop-{n}.log'}")
    return DropFigures(n, wall, _steady_rate(samples, n), json.loads(report.read_bytes())["counts"], samples)


def _steady_rate(samples: list[tuple[float, int, float, float, float, float, int]], n: int) -> float:
    """Documents/s between 10 % and 90 % of the drop: the rate without start-up and the last index commit."""
    def first_at(share: float) -> tuple[float, int]:
        return next(((t, d) for t, d, *_ in samples if d >= share * n), (samples[-1][0], samples[-1][1]))

    (t1, d1), (t2, d2) = first_at(0.1), first_at(0.9)
    return (d2 - d1) / (t2 - t1) if t2 > t1 else float("nan")


def _memory(pid: int) -> dict[str, float]:
    figures = status_mb(pid)
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    figures["Pss"] = int(line.split()[1]) / 1024
    except OSError:
        pass
    return figures


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (the reader processes and the fork server)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                    ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(parents.get(current, []))
    return found


def _documents(home: Path) -> tuple[int, int]:
    """Documents in the catalog, and how many of them are in the search index."""
    try:
        with sqlite3.connect(home / "catalog.sqlite3", timeout=1) as conn:
            return conn.execute("SELECT count(*), count(indexed_at) FROM documents").fetchone()
    except sqlite3.Error:
        return 0, 0


def _index_lag(samples: list[tuple[float, int, float, float, float, float, int]], n: int) -> float:
    """Seconds from the last document recorded to the last one indexed (at sampling resolution)."""
    recorded = next((s[0] for s in samples if s[1] >= n), samples[-1][0])
    indexed = next((s[0] for s in samples if s[6] >= n), samples[-1][0])
    return indexed - recorded


def bench_watch(work: Path) -> None:
    files = int(os.environ.get("BENCH_WATCH_FILES", "30"))
    drop = int(os.environ.get("BENCH_WATCH_DROP", "10000"))
    window = float(os.environ.get("BENCH_WATCH_WINDOW", "1.0"))
    gap = float(os.environ.get("BENCH_WATCH_GAP", "0.3"))
    load = os.getloadavg()
    print(f"\n### Watched folders: landing → searchable ({files} files per mode, one every {gap} s, "
          f"stability window {window} s; load average {load[0]:.1f} on {os.cpu_count()} cores)\n")
    print("| mode | found | p50 s | p95 s | max s | target p95 |")
    print("|---|---|---|---|---|---|")
    for mode in (WatchMode.EVENTS, WatchMode.POLLING):
        latencies = measure_latency(work, mode, files, window, gap)
        target = f"≤ {window + 2:.1f}" if mode == WatchMode.EVENTS else "–"
        print(f"| {mode.value} | {len(latencies)}/{files} | {statistics.median(latencies):.2f} | "
              f"{_percentile(latencies, 0.95):.2f} | {max(latencies):.2f} | {target} |")
    figures = measure_drop(work, drop, window)
    print(f"\n### Watched folders: {drop} born-digital files dropped, taken by `jiandang watch --once` "
          f"(window {window} s; load average {os.getloadavg()[0]:.1f})\n")
    print("| documents/s (wall, incl. start-up) | documents/s (10–90 %) | peak PSS, all processes MB | "
          "writer RSS anon/file MB at 25 % | at 50 % | at 100 % | counts |")
    print("|---|---|---|---|---|---|---|")
    marks = [figures.main_rss_at(share) for share in (0.25, 0.5, 1.0)]
    print(f"| {figures.files / figures.wall:.1f} | {figures.steady_rate:.1f} | "
          f"{max(s[4] for s in figures.samples):.0f} | "
          + " | ".join(f"{anon:.0f}/{file:.0f}" for anon, file in marks) + f" | {figures.counts} |")
    print(f"\nindex lag after the last document was recorded: {_index_lag(figures.samples, figures.files):.1f} s "
          "(sampled every 0.5 s; the process exits once everything is indexed)\n")
    print("| share of drop | t s | documents | indexed | writer RSS anon MB | writer RSS file MB | "
          "readers + fork server PSS MB | all PSS MB |")
    print("|---|---|---|---|---|---|---|---|")
    for tenth in range(1, 11):
        sample = next((s for s in figures.samples if s[1] >= tenth * figures.files / 10), figures.samples[-1])
        t, docs, anon, file, tree, readers, indexed = sample
        print(f"| {tenth * 10} % | {t:.0f} | {docs} | {indexed} | {anon:.0f} | {file:.0f} | {readers:.0f} | {tree:.0f} |")


def main() -> None:
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory(prefix="jiandang-bench-watch-") as tmp:
        bench_watch(Path(tmp))


if __name__ == "__main__":
    main()
