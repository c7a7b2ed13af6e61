"""Search latency through the real HTTP server under concurrent clients (``BENCH_API=0`` skips it).

The sample project (``jiandang demo``'s ~280 documents, plus ``BENCH_API_DOCS`` generated ones if
set) is taken into a fresh archive; the app then runs under uvicorn in its own process, as
``jiandang serve`` runs it, and client threads send ``GET /api/search`` with an API token over
keep-alive connections. Every request is a full one: token check, search with highlights and
facets, and the audit-trail append each search costs. Reported per client count: p50/p95/max
latency as the client saw it, requests per second, and any non-200 answers.

Sizes: ``BENCH_API_CLIENTS`` (default 20), ``BENCH_API_REQUESTS`` per client (default 25).
"""

from __future__ import annotations

import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

from core import ArchiveService, Settings
from core.demo.walkthrough import DEMO_CODE, run_demo
from samples import generate_corpus
from schemas.ingest import IngestRequest

REPO = Path(__file__).resolve().parents[1]
QUERIES = [
    {"q": "设计变更"},
    {"q": "防水"},
    {"q": "墙"},
    {"q": '"隐蔽工程验收记录"'},
    {"q": "竣工图 建施"},
    {"q": "监理 -月报"},
    {"q": "混凝土", "class_code": "C"},
    {"q": "验收", "project": DEMO_CODE, "limit": "20"},
    {"q": "钢筋 OR 钢结构"},
    {"q": "检测报告 sort:date"},
]


def _prepare(home: Path, extra_docs: int) -> str:
    """The archive to serve, and an admin token for the clients."""
    with ArchiveService(Settings(home=home)) as service:
        run_demo(service)
        if extra_docs:
            drop = home.parent / "drop"
            generate_corpus(drop, n=extra_docs, seed=11, write_manifest=False)
            service.ingest(IngestRequest(paths=[drop], project="BENCH-API"))
        service.accounts.add_user("bench", "admin", "bench-password-负载")
        return service.accounts.issue_token("bench", "api load bench").token


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_server(home: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "JIANDANG_HOME": str(home), "HAYSTACK_TELEMETRY_ENABLED": "False",
           "PYTHONPATH": os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)}
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "api.server:app_from_env", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning", "--no-access-log"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"server exited: {server.stderr.read().decode(errors='replace') if server.stderr else ''}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/api/health")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise RuntimeError("the server did not come up within 120 s")


def _client(port: int, token: str, requests: int, seed: int, out: list[tuple[float, int]],
            start: threading.Barrier) -> None:
    """One client: its own keep-alive connection, ``requests`` searches in a random order."""
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Authorization": f"Bearer {token}"}
    start.wait()
    for _ in range(requests):
        path = "/api/search?" + urllib.parse.urlencode(rng.choice(QUERIES))
        t0 = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        out.append(((time.perf_counter() - t0) * 1000, response.status))
        if response.status == 200:
            json.loads(body)  # a whole, parseable answer
    connection.close()


def _round(port: int, token: str, clients: int, requests: int) -> tuple[list[tuple[float, int]], float]:
    results: list[tuple[float, int]] = []
    start = threading.Barrier(clients + 1)
    threads = [threading.Thread(target=_client, args=(port, token, requests, seed, results, start))
               for seed in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    t0 = time.perf_counter()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - t0


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share + 0.5) - 1)]


def bench_api_load(work: Path) -> None:
    clients = int(os.environ.get("BENCH_API_CLIENTS", "20"))
    requests = int(os.environ.get("BENCH_API_REQUESTS", "25"))
    extra = int(os.environ.get("BENCH_API_DOCS", "0"))
    home = work / "home"
    token = _prepare(home, extra)
    with ArchiveService(Settings(home=home)) as service:
        documents = service.status().documents
    port = _free_port()
    server = _start_server(home, port)
    try:
        _round(port, token, 1, len(QUERIES))  # warm-up: searchers opened, caches filled
        rows = []
        for count, per_client in ((1, clients * requests // 4), (clients, requests)):
            results, wall = _round(port, token, count, per_client)
            latencies = [ms for ms, _ in results]
            errors = sum(1 for _, status in results if status != 200)
            rows.append((count, len(results), statistics.median(latencies), _percentile(latencies, 0.95),
                         max(latencies), len(results) / wall, errors))
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"\n### Search through the HTTP API: {documents} documents, uvicorn (1 process), "
          f"{len(QUERIES)} query shapes, audited, token auth\n")
    print("| clients | requests | p50 ms | p95 ms | max ms | requests/s | non-200 |")
    print("|---|---|---|---|---|---|---|")
    for count, total, p50, p95, worst, rate, errors in rows:
        print(f"| {count} | {total} | {p50:.0f} | {p95:.0f} | {worst:.0f} | {rate:.1f} | {errors} |")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="jiandang-api-bench-") as tmp:
        bench_api_load(Path(tmp))
