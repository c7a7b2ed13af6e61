"""Search latency through the real HTTP server under concurrent clients (``BENCH_API=0`` skips it).

The sample project (``jiandang demo``'s ~280 documents) is taken into a fresh archive, plus
``BENCH_API_DOCS`` catalog documents of generated Chinese text (~2 KB each, inserted straight
into the catalog as ``bench/reindex.py`` does, then indexed by ``ArchiveService.reindex``: a
100,000-document archive in minutes instead of the hours real ingest would take). The app then
runs under uvicorn in its own process, as ``jiandang serve`` runs it, and client threads send
``GET /api/search`` with an API token over keep-alive connections. Every request is a full one:
token check, search with highlights and facets, and the audit-trail append each search costs
(durable, hash-chained). Reported per client count: p50/p95/max latency as the client saw it,
requests per second, any non-200 answers and the load average (2-core machine, shared).

Each client count runs twice: with the ten query shapes above, repeated (as a team working on
the same few words, paging through them: the search engine reuses the counts and facets it made
on the same index snapshot), and with searches that are all different (words of the generated
corpus alone, paired, OR-ed or with a project filter, none asked before), where every request
counts its matches and facets afresh.

Sizes: ``BENCH_API_CLIENTS`` (default 20), ``BENCH_API_REQUESTS`` per client (default 25),
``BENCH_API_DOCS`` (default 0: the sample project alone), ``BENCH_API_WORKERS`` (server processes,
``jiandang serve --workers``; default "1 2": both). ``BENCH_API_KEEP=<folder>`` keeps the
archive there and reuses it when it has the same size. ``BENCH_API_CODE=<checkout>`` serves
another checkout's code on the same archive (a before/after comparison); ``BENCH_API_SERVER_ARGS``
adds uvicorn options (``--http h11 --loop asyncio``: the pure-Python server used before httptools
and uvloop were installed).
"""

from __future__ import annotations

import http.client
import json
import os
import random
import shutil
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

from bench.corpus_text import PROJECTS, terms_by_rank
from bench.reindex import fill_catalog
from core import ArchiveService, Settings
from core.demo.walkthrough import DEMO_CODE, run_demo

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
    """The archive to serve (reused when ``home`` already holds one of this size), and a token."""
    marker = home / "bench-api-docs.txt"
    if not (marker.exists() and marker.read_text().strip() == str(extra_docs)):
        shutil.rmtree(home, ignore_errors=True)
        with ArchiveService(Settings(home=home)) as service:
            run_demo(service)
        if extra_docs:
            fill_catalog(home, extra_docs, Settings(home=home).search_backend)
            with ArchiveService(Settings(home=home)) as service:
                service.reindex()
        marker.write_text(str(extra_docs))
    with ArchiveService(Settings(home=home)) as service:
        name = f"bench{int(time.time())}"
        service.accounts.add_user(name, "admin", "bench-password-负载")
        return service.accounts.issue_token(name, "api load bench").token


def bench_place(work: Path, section: str, name: str) -> tuple[Path, Path]:
    """(archive home, code checkout to serve) of a bench section: ``BENCH_<SECTION>_KEEP=<folder>``
    keeps the archive there under ``name``; ``BENCH_<SECTION>_CODE=<checkout>`` serves another
    checkout's code on it (before/after comparisons).
    """
    keep = os.environ.get(f"BENCH_{section}_KEEP")
    code = Path(os.environ.get(f"BENCH_{section}_CODE") or REPO)
    return (Path(keep) / name if keep else work / "home"), code


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_server(home: Path, port: int, code: Path = REPO, extra: list[str] | None = None) -> subprocess.Popen[bytes]:
    env = {**os.environ, "JIANDANG_HOME": str(home), "HAYSTACK_TELEMETRY_ENABLED": "False",
           "PYTHONPATH": os.pathsep.join(p for p in (str(code), os.environ.get("PYTHONPATH", "")) if p)}
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "api.server:app_from_env", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning", "--no-access-log",
         *(extra or []), *os.environ.get("BENCH_API_SERVER_ARGS", "").split()],
        cwd=code, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
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


def distinct_queries(count: int, seed: int = 7) -> list[dict[str, str]]:
    """``count`` different searches, none of them among ``QUERIES``: words of the generated corpus
    (the 400 most frequent of at most four characters) alone, two together, either of two, or
    one within a project. A search engine cannot have counted any of them before.
    """
    words = [word for word in terms_by_rank(0, 400) if all(ch.isalnum() for ch in word)]  # no "#"
    rng = random.Random(seed)
    seen = {tuple(sorted(query.items())) for query in QUERIES}
    found: list[dict[str, str]] = []
    while len(found) < count:
        first, second = rng.sample(words, 2)
        query = [{"q": first}, {"q": f"{first} {second}"}, {"q": f"{first} OR {second}"},
                 {"q": first, "project": rng.choice(PROJECTS)}][rng.randrange(4)]
        key = tuple(sorted(query.items()))
        if key not in seen:
            seen.add(key)
            found.append(query)
    return found


def _client(port: int, token: str, searches: list[dict[str, str]], out: list[tuple[float, int]],
            start: threading.Barrier) -> None:
    """One client: its own keep-alive connection, ``searches`` one after another."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Authorization": f"Bearer {token}"}
    start.wait()
    for search in searches:
        path = "/api/search?" + urllib.parse.urlencode(search)
        t0 = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        out.append(((time.perf_counter() - t0) * 1000, response.status))
        if response.status == 200:
            json.loads(body)  # a whole, parseable answer
    connection.close()


def _shuffled_shapes(seed: int, requests: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    return [rng.choice(QUERIES) for _ in range(requests)]


def _round(port: int, token: str, clients: int, requests: int,
           distinct: list[dict[str, str]] | None = None) -> tuple[list[tuple[float, int]], float]:
    """``requests`` searches per client: the query shapes in a random order, or, given
    ``distinct``, that many of its searches per client, no two clients sharing one.
    """
    results: list[tuple[float, int]] = []
    start = threading.Barrier(clients + 1)
    plans = [distinct[seed * requests:(seed + 1) * requests] if distinct is not None
             else _shuffled_shapes(seed, requests) for seed in range(clients)]
    threads = [threading.Thread(target=_client, args=(port, token, plan, results, start)) for plan in plans]
    for thread in threads:
        thread.start()
    start.wait()
    t0 = time.perf_counter()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - t0


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait_until_quiet(pid: int, most: float = 60.0) -> None:
    """Wait until the server has finished warming up: the filing rules are built on a background
    thread at start (seconds of CPU), which would otherwise be measured as the first round's
    latency instead of the steady state a working day sees. Quiet: under 50 ms of CPU in a second.
    """
    deadline = time.monotonic() + most
    before = _process_tree_cpu(pid)
    while time.monotonic() < deadline:
        time.sleep(1.0)
        now = _process_tree_cpu(pid)
        if now - before < 0.05:
            return
        before = now


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share + 0.5) - 1)]


def _process_tree_cpu(pid: int) -> float:
    """CPU seconds of a server and its worker processes (``--workers``)."""
    total = _cpu_seconds(pid)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    total += _cpu_seconds(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return total


def _measure(port: int, token: str, clients: int, requests: int) -> list[tuple]:
    """Both kinds of searches, one client and then ``clients`` at once, on one running server."""
    rounds = ((1, clients * requests // 4), (clients, requests))
    fresh = distinct_queries(sum(count * per_client for count, per_client in rounds))
    rows = []
    for searches in ("repeated shapes", "all different"):
        for count, per_client in rounds:
            plan = None
            if searches == "all different":
                plan, fresh = fresh[:count * per_client], fresh[count * per_client:]
            load = os.getloadavg()[0]
            results, wall = _round(port, token, count, per_client, plan)
            latencies = [ms for ms, _ in results]
            errors = sum(1 for _, status in results if status != 200)
            rows.append((searches, count, len(results), statistics.median(latencies),
                         _percentile(latencies, 0.95), max(latencies), len(results) / wall, errors,
                         f"{load:.1f}–{os.getloadavg()[0]:.1f}"))
    return rows


def bench_api_load(work: Path) -> None:
    clients = int(os.environ.get("BENCH_API_CLIENTS", "20"))
    requests = int(os.environ.get("BENCH_API_REQUESTS", "25"))
    extra = int(os.environ.get("BENCH_API_DOCS", "0"))
    processes = [int(n) for n in os.environ.get("BENCH_API_WORKERS", "1 2").split()]
    home, code = bench_place(work, "API", f"api-{extra}")
    token = _prepare(home, extra)
    with ArchiveService(Settings(home=home)) as service:
        documents = service.status().documents
    rows = []
    for workers in processes:
        port = _free_port()
        server = _start_server(home, port, code, ["--workers", str(workers)] if workers > 1 else [])
        try:
            _round(port, token, 2 * workers, 3 * len(QUERIES))  # warm-up: searchers opened in every process
            _wait_until_quiet(server.pid)
            rows += [(workers, *row) for row in _measure(port, token, clients, requests)]
        finally:
            server.terminate()
            server.wait(timeout=30)
    label = "" if code == REPO else f" (code of {code})"
    print(f"\n### Search through the HTTP API: {documents} documents, uvicorn, "
          f"{len(QUERIES)} query shapes or all-different searches, highlights + facets, audited, token auth{label}\n")
    print("| server processes | searches | clients | requests | p50 ms | p95 ms | max ms | requests/s | non-200 "
          "| load (1 min, start–end) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for workers, searches, count, total, p50, p95, worst, rate, errors, load in rows:
        print(f"| {workers} | {searches} | {count} | {total} | {p50:.0f} | {p95:.0f} | {worst:.0f} | {rate:.1f} "
              f"| {errors} | {load} |")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="jiandang-api-bench-") as tmp:
        bench_api_load(Path(tmp))
