"""Hostile files bench: every case of ``samples.hostile`` ingested by ``jiandang ingest`` in its own
process, with the outcome of each file, wall time and the peak memory of the process tree.

Each case gets a fresh archive home, a fake ``HOME`` and ``TMPDIR`` (whatever appears there was
written outside the archive home), and a memory guard that kills the process tree above
``BENCH_HOSTILE_GUARD_MB`` (default 4096) so the machine survives a case that runs away. After
the run: is the case's control document searchable, did any local file's content (``/etc/passwd``,
the process environment) reach the catalog or the index, did a ``jd_evil`` file appear anywhere,
did a PDF action run or call the listener.

``run_cases`` is also what ``tests/hostile/test_one_batch.py`` drives (all 35 cases as one batch). Run alone: ``PYTHONPATH=. .venv/bin/python -m
bench.hostile [case numbers]``; ``BENCH_HOSTILE_TIME_LIMIT`` sets the per-file limit (default 120 s).
"""

from __future__ import annotations

import http.server
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

from samples.hostile import CASES, Case, Context, write_case

REPO = Path(__file__).resolve().parents[1]
CANARY = "JD_CANARY_VALUE_7f3a9c"  # put in the ingest's environment: it must never be archived
LEAK_MARKERS = ("root:x:0:0", "/usr/sbin/nologin", CANARY)


@dataclass
class CaseRun:
    cases: list[Case]
    exit_code: int | None
    seconds: float
    peak_mb: float  # the process tree's proportional set size, sampled every 50 ms
    killed: bool
    process_peak_mb: float = 0.0  # the largest high-water mark (VmHWM) of any one process of the tree
    lines: list[dict[str, object]] = field(default_factory=list)
    controls_missing: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    stderr: str = ""

    @property
    def control_found(self) -> bool:
        return not self.controls_missing

    @property
    def ok(self) -> bool:
        return (self.exit_code == 0 and not self.killed and self.control_found and not self.leaks
                and not self.outside and not self.requests)


class _Listener(http.server.BaseHTTPRequestHandler):
    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.seen.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        return None


def _tree_pids(pid: int) -> list[int]:
    """``pid`` and its descendants, as /proc lists them now."""
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as children:
                    stack.extend(int(child) for child in children.read().split())
        except OSError:
            continue
    return found


def _high_water_mb(pid: int) -> float:
    """The most resident memory the process has ever had (``VmHWM``): a peak between samples is not missed."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as lines:
            for line in lines:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _tree_rss_mb(pid: int) -> float:
    """Memory the process tree holds, in MB: the sum of each process's proportional set size.

    PSS divides a page shared by n processes among them, so the reader processes forked from one
    preloaded server (``core/reading/pool.py``) count their common libraries once, as the machine
    pays for them; summing RSS would count them once per process. VmRSS where smaps_rollup is absent.
    """
    return sum(_process_mb(current) for current in _tree_pids(pid))


def _process_mb(pid: int) -> float:
    for path, label in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            with open(path, encoding="ascii", errors="replace") as lines:
                for line in lines:
                    if line.startswith(label):
                        return int(line.split()[1]) / 1024
        except OSError:
            continue
    return 0.0


def _leaks(home: Path) -> list[str]:
    found = []
    with sqlite3.connect(home / "catalog.sqlite3") as db:
        for marker in LEAK_MARKERS:
            hits = db.execute("SELECT count(*) FROM document_texts WHERE content LIKE ?", (f"%{marker}%",)).fetchone()[0]
            hits += db.execute("SELECT count(*) FROM documents WHERE title LIKE ? OR fields LIKE ?",
                               (f"%{marker}%", f"%{marker}%")).fetchone()[0]
            if hits:
                found.append(f"catalog holds {marker!r}")
    return found


def _searchable(home: Path, words: list[str]) -> dict[str, int]:
    from core import ArchiveService, Settings
    from schemas.search import SearchQuery

    with ArchiveService(Settings(home=home)) as service:
        return {word: service.search(SearchQuery(text=f'"{word}"')).total for word in words}


def _files_under(folder: Path, prefix: str = "") -> list[str]:
    """Files under ``folder`` (whose name starts with ``prefix``); unreadable corners are skipped."""
    return [os.path.join(here, name) for here, _dirs, names in os.walk(folder) for name in names
            if name.startswith(prefix)]


def run_cases(cases: list[Case], work: Path, *, time_limit: float = 120.0, guard_mb: float = 4096.0,
              extra_env: dict[str, str] | None = None) -> CaseRun:
    """Build ``cases`` under one folder in ``work``, ingest it as one batch in a fresh home, say what happened."""
    folder, home, fake_home, fake_tmp = work / "drop", work / "home", work / "fake-home", work / "fake-tmp"
    for path in (fake_home, fake_tmp, work / "markers"):
        path.mkdir(parents=True, exist_ok=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Listener)
    _Listener.seen = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    for case in cases:
        write_case(case, folder / case.name, Context(listener=f"http://127.0.0.1:{server.server_port}/oob",
                                                     markers=work / "markers"))
    env = dict(os.environ, JIANDANG_HOME=str(home), HOME=str(fake_home), TMPDIR=str(fake_tmp),
               JIANDANG_WATCH_READ_TIMEOUT=str(time_limit), HAYSTACK_TELEMETRY_ENABLED="False", JD_CANARY=CANARY,
               PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""), **(extra_env or {}))
    started = time.monotonic()
    errors = (work / "stderr.txt").open("wb")  # a file, not a pipe: a full pipe would stop the ingest
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "ingest", str(folder), "--project", "HOSTILE", "--json"],
                            cwd=work, env=env, stdout=subprocess.PIPE, stderr=errors)
    peak, process_peak, killed = 0.0, 0.0, False
    out: list[bytes] = []
    reader = threading.Thread(target=lambda: out.append(proc.stdout.read() if proc.stdout else b""), daemon=True)
    reader.start()
    while proc.poll() is None:
        peak = max(peak, _tree_rss_mb(proc.pid))
        process_peak = max([process_peak, *(_high_water_mb(pid) for pid in _tree_pids(proc.pid))])
        if peak > guard_mb:
            killed = True
            subprocess.run(["pkill", "-KILL", "-P", str(proc.pid)], check=False)
            proc.kill()
        time.sleep(0.05)
    seconds = time.monotonic() - started
    reader.join(timeout=10)
    server.shutdown()
    errors.close()
    run = CaseRun(cases, proc.returncode, seconds, peak, killed, process_peak_mb=process_peak,
                  stderr=(work / "stderr.txt").read_text(encoding="utf-8", errors="replace"))
    try:
        run.lines = json.loads((out[0] if out else b"") or b"{}").get("files", [])
    except ValueError:
        run.lines = []
    if (home / "catalog.sqlite3").exists():
        run.leaks = _leaks(home)
        found = _searchable(home, [*(case.marker for case in cases), *LEAK_MARKERS])
        run.controls_missing = [case.name for case in cases if not found.pop(case.marker)]
        run.leaks += [f"the index finds {word!r}" for word, hits in found.items() if hits]
    run.outside = _files_under(fake_home) + _files_under(fake_tmp) + _files_under(work / "markers")
    run.outside += _files_under(work.parent, "jd_evil") + [str(p) for p in Path("/tmp").glob("jd_evil*")]
    run.requests = list(_Listener.seen)
    return run


def _outcome(run: CaseRun) -> str:
    counts: dict[str, int] = {}
    for line in run.lines:
        counts[str(line.get("status"))] = counts.get(str(line.get("status")), 0) + 1
    return ", ".join(f"{status} {n}" for status, n in sorted(counts.items())) or "no report"


def bench_hostile(work: Path, numbers: list[int] | None = None) -> list[CaseRun]:
    time_limit = float(os.environ.get("BENCH_HOSTILE_TIME_LIMIT", "120"))
    guard = float(os.environ.get("BENCH_HOSTILE_GUARD_MB", "4096"))
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\n### Hostile files: each case ingested by `jiandang ingest` in a fresh home (time limit {time_limit:g} s, "
          f"guard {guard:.0f} MB, load {load})\n")
    print("| case | outcome | wall s | peak PSS MB (tree) | peak RSS MB (one process) | control searchable "
          "| leaks / outside writes / requests |")
    print("|---|---|---|---|---|---|---|")
    runs = []
    for case in CASES:
        if numbers and case.number not in numbers:
            continue
        with tempfile.TemporaryDirectory(prefix=f"jd-hostile-{case.number:02d}-", dir=work) as tmp:
            run = run_cases([case], Path(tmp), time_limit=time_limit, guard_mb=guard)
        runs.append(run)
        trouble = "; ".join([*run.leaks, *run.outside[:3], *run.requests[:3]]) or "none"
        status = "KILLED by the guard" if run.killed else ("" if run.exit_code == 0 else f"exit {run.exit_code}; ")
        print(f"| {case.name} | {status}{_outcome(run)} | {run.seconds:.1f} | {run.peak_mb:,.0f} | "
              f"{run.process_peak_mb:,.0f} | "
              f"{'yes' if run.control_found else '**NO**'} | {trouble} |", flush=True)
    if not numbers:
        with tempfile.TemporaryDirectory(prefix="jd-hostile-all-", dir=work) as tmp:
            whole = run_cases(list(CASES), Path(tmp), time_limit=time_limit, guard_mb=guard)
        trouble = "; ".join([*whole.leaks, *whole.outside[:3], *whole.requests[:3], *whole.controls_missing]) or "none"
        print(f"| **all 35 cases as one batch** | {_outcome(whole)} | {whole.seconds:.1f} | {whole.peak_mb:,.0f} | "
              f"{whole.process_peak_mb:,.0f} | "
              f"{'yes' if whole.control_found else '**NO**'} | {trouble} |")
    print("\nWhat each hostile file came to (status: reason):\n")
    for run in runs:
        for line in run.lines:
            name = Path(str(line.get("path"))).name
            if not name.startswith("设计变更通知单_"):
                reason = str(line.get("reason") or "").replace("\n", " ")
                print(f"- {run.cases[0].name} / {name!r}: {line.get('status')}" + (f": {reason[:160]}" if reason else ""))
    return runs


def main() -> None:
    numbers = [int(arg) for arg in sys.argv[1:]]
    with tempfile.TemporaryDirectory(prefix="jiandang-bench-hostile-") as tmp:
        bench_hostile(Path(tmp), numbers or None)


if __name__ == "__main__":
    main()
