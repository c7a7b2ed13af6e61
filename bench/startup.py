"""What a person waits for before anything happens: the command line's start-up and the server's.

On the demo archive (``jiandang demo``'s sample project, built once in a temporary home or kept
in ``BENCH_STARTUP_KEEP``): ``jiandang --help`` (CPU seconds, user + system, of the whole
process), ``jiandang status --json``, ``jiandang show <id> --json`` and ``jiandang search 设计变更
--json`` (wall seconds), each run ``BENCH_STARTUP_RUNS`` times (default 5; the median is shown,
the load average beside it). Then ``jiandang serve`` is started and ``GET /login`` is polled
every 20 ms: seconds from the process start to the first 200, and to the first answered search
(the search engine warms up in the background meanwhile). ``BENCH_STARTUP_CODE=<checkout>`` runs
another checkout's code (before/after).
"""

from __future__ import annotations

import http.client
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

from bench.api_load import REPO, _free_port, bench_place
from core import ArchiveService, Settings
from core.demo.walkthrough import run_demo


def _prepare(home: Path) -> tuple[str, str]:
    """(an API token, a document id) of the demo archive at ``home`` (built when missing)."""
    with ArchiveService(Settings(home=home)) as service:
        if service.status().documents == 0:
            run_demo(service)
        name = f"startup{int(time.time())}"
        service.accounts.add_user(name, "admin", "bench-password-启动")
        token = service.accounts.issue_token(name, "startup bench").token
        doc_id = service.list_documents(_all_documents(), limit=1).items[0].id
    return token, doc_id


def _all_documents():  # type: ignore[no-untyped-def]
    from core.browsing.listing import DocumentFilter

    return DocumentFilter()


def _env(home: Path, code: Path) -> dict[str, str]:
    return {**os.environ, "JIANDANG_HOME": str(home), "HAYSTACK_TELEMETRY_ENABLED": "False",
            "PYTHONPATH": str(code), "JIANDANG_USER": "bench"}


def _command(home: Path, code: Path, *args: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one ``jiandang`` command in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=code, env=_env(home, code),
                          capture_output=True, timeout=300)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"jiandang {' '.join(args)} failed: {done.stderr.decode(errors='replace')[-500:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _get(port: int, path: str, token: str | None = None) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers={"Authorization": f"Bearer {token}"} if token else {})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _serve(home: Path, code: Path, token: str) -> tuple[float, float]:
    """(seconds to the first /login answer, seconds to the first search answer) after start."""
    port = _free_port()
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--port", str(port), "--no-watch"],
                              cwd=code, env={**_env(home, code), "JIANDANG_LOG_LEVEL": "warning"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        login = _poll(port, "/login", None, started)
        search = _poll(port, "/api/search?" + urllib.parse.urlencode({"q": "设计变更"}), token, started)
        return login, search
    finally:
        server.terminate()
        server.wait(timeout=30)


def _poll(port: int, path: str, token: str | None, started: float) -> float:
    deadline = started + 120
    while time.perf_counter() < deadline:
        try:
            if _get(port, path, token) == 200:
                return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.02)
    raise RuntimeError(f"{path} did not answer within 120 s")


def bench_startup(work: Path) -> None:
    runs = int(os.environ.get("BENCH_STARTUP_RUNS", "5"))
    home, code = bench_place(work, "STARTUP", "startup-demo")
    token, doc_id = _prepare(home)
    rows = []
    for label, args in (("`jiandang --help`", ["--help"]), ("`jiandang status --json`", ["status", "--json"]),
                        ("`jiandang show <id> --json`", ["show", doc_id, "--json"]),
                        ("`jiandang search 设计变更 --json`", ["search", "设计变更", "--json"])):
        load = os.getloadavg()[0]
        figures = [_command(home, code, *args) for _ in range(runs)]
        walls, cpus = zip(*figures, strict=True)
        rows.append((label, statistics.median(walls), statistics.median(cpus), f"{load:.1f}–{os.getloadavg()[0]:.1f}"))
    load = os.getloadavg()[0]
    serves = [_serve(home, code, token) for _ in range(max(1, runs // 2))]
    login = statistics.median(s[0] for s in serves)
    search = statistics.median(s[1] for s in serves)
    label = "" if code == REPO else f" (code of {code})"
    print(f"\n### Start-up on the demo archive{label}: median of {runs} runs, fresh process each\n")
    print("| command | wall s | CPU s (user + system) | load (1 min, start–end) |")
    print("|---|---|---|---|")
    for name, wall, cpu, span in rows:
        print(f"| {name} | {wall:.2f} | {cpu:.2f} | {span} |")
    print(f"| `jiandang serve`: first `/login` answer | {login:.2f} | | {load:.1f}–{os.getloadavg()[0]:.1f} |")
    print(f"| `jiandang serve`: first search answered (engine warmed in the background) | {search:.2f} | | |")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="jiandang-startup-bench-") as tmp:
        bench_startup(Path(tmp))
