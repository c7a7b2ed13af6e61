"""Pages people open all day: the project page over HTTP and the dashboard, with N documents in one project.

``BENCH_PAGES_DOCS`` (default 10,000) processed documents of generated Chinese text are put into
one project (P01) straight through the catalog (as ``bench/reindex.py`` does: no originals are
stored, so the 四性 check finds every original missing and hashes none — the first, uncached
view is cheaper than on a real archive). The app runs under uvicorn in its own process; an API
token authenticates ``GET /projects/P01`` (the project page: counts, completeness, the first 50
documents). Reported: the first view after start (completeness computed), then
``BENCH_PAGES_VIEWS`` (default 30) views one after another, p50/p95/max. The dashboard
(``ArchiveService.dashboard``, the counts the web UI's dashboard shows) is timed in-process the
same way. ``BENCH_PAGES_CODE=<checkout>`` serves another checkout's code on the same archive
(before/after); ``BENCH_PAGES_KEEP=<folder>`` keeps the archive for the next run.
"""

from __future__ import annotations

import http.client
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

from bench.api_load import REPO, _free_port, _percentile, _start_server, bench_place
from bench.reindex import fill_catalog
from core import ArchiveService, Settings


def _prepare(home: Path, n: int) -> str:
    marker = home / "bench-pages-docs.txt"
    if not (marker.exists() and marker.read_text().strip() == str(n)):
        shutil.rmtree(home, ignore_errors=True)
        fill_catalog(home, n, Settings(home=home).search_backend, project_count=1)
        marker.write_text(str(n))
    with ArchiveService(Settings(home=home)) as service:
        name = f"pages{int(time.time())}"
        service.accounts.add_user(name, "admin", "bench-password-页面")
        return service.accounts.issue_token(name, "pages bench").token


def _timed_get(port: int, path: str, token: str) -> tuple[float, int]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    started = time.perf_counter()
    connection.request("GET", path, headers={"Authorization": f"Bearer {token}"})
    response = connection.getresponse()
    response.read()
    connection.close()
    return (time.perf_counter() - started) * 1000, response.status


def _row(label: str, first: float, views: list[float], load: str) -> str:
    return (f"| {label} | {first:.0f} | {statistics.median(views):.0f} | {_percentile(views, 0.95):.0f} | "
            f"{max(views):.0f} | {load} |")


def bench_page_cache(work: Path) -> None:
    n = int(os.environ.get("BENCH_PAGES_DOCS", "10000"))
    views = int(os.environ.get("BENCH_PAGES_VIEWS", "30"))
    home, code = bench_place(work, "PAGES", f"pages-{n}")
    token = _prepare(home, n)
    rows = []
    port = _free_port()
    server = _start_server(home, port, code)
    try:
        load = os.getloadavg()[0]
        first, status = _timed_get(port, "/projects/P01", token)
        if status != 200:
            raise RuntimeError(f"/projects/P01 answered {status}")
        times = [_timed_get(port, "/projects/P01", token)[0] for _ in range(views)]
        rows.append(_row("project page `GET /projects/P01` (HTTP, uvicorn)", first, times,
                         f"{load:.1f}–{os.getloadavg()[0]:.1f}"))
    finally:
        server.terminate()
        server.wait(timeout=30)
    if code == REPO:
        with ArchiveService(Settings(home=home)) as service:
            load = os.getloadavg()[0]
            started = time.perf_counter()
            service.dashboard()
            first = (time.perf_counter() - started) * 1000
            times = []
            for _ in range(views):
                started = time.perf_counter()
                service.dashboard()
                times.append((time.perf_counter() - started) * 1000)
            rows.append(_row("dashboard `ArchiveService.dashboard()` (in process)", first, times,
                             f"{load:.1f}–{os.getloadavg()[0]:.1f}"))
    label = "" if code == REPO else f" (code of {code})"
    print(f"\n### Pages: {n} documents in one project{label}\n")
    print("| page | first view ms | p50 ms | p95 ms | max ms | load (1 min, start–end) |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print(row)


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="jiandang-pages-bench-") as tmp:
        bench_page_cache(Path(tmp))
