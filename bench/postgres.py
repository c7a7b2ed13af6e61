"""``make bench`` with PostgreSQL: ingest on one and two app nodes, search beside tantivy, replica lag.

A throwaway PostgreSQL (``tests/pgserver.py``: Debian's binaries, a cluster in a temp dir, no
fsync) and a streaming replica of it are started for the section; ``BENCH_PG_URL`` sends the
search part to a database of a real server instead. ``BENCH_POSTGRES=0`` skips it all,
``BENCH_PG_INGEST=0`` / ``BENCH_PG_SEARCH=0`` one part.

- **Ingest**: ``BENCH_PG_INGEST_DOCS`` (default 600) generated text files in a share, taken in by
  ``jiandang watch --once`` on one node, then (a fresh database) by two nodes at once, each with
  its own home, the shared originals folder and the ``postgres`` search backend. Documents/s is
  counted from the first document received to the last one recorded (the catalog's own times),
  so the nodes' start-up is not in it; the wall time with start-up is printed beside it.
- **Replica lag**: during the two-node drop a streaming replica (``pg_basebackup``) is sampled
  five times a second: how far behind the primary it replayed, in bytes and in seconds
  (``core.catalog.replicas.ReplicaLag``).
- **Search**: ``BENCH_PG_SEARCH_DOCS`` (default 10,000) generated documents in the postgres
  backend and in tantivy (``BENCH_PG_SEARCH_BACKENDS``, default ``tantivy,postgres``), the same
  query types as ``bench/search_engines.py``. The cluster gets
  ``shared_buffers`` of ``BENCH_PG_SHARED_BUFFERS`` (default 2GB), as a server set up for the
  archive would (README, "Several servers"): the search table and its GIN indexes then stay in
  the server's own cache instead of being copied in from the operating system's at every query.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg

from bench.search_engines import bench_search_engines
from core.catalog.replicas import ReplicaLag, lsn_value
from search.postgres_engine.store import conninfo_of

REPO = Path(__file__).resolve().parents[1]


def _drop(share: Path, count: int) -> None:
    for number in range(count):
        folder = share / f"项目{number % 5:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"施工日志{number:05d}.txt").write_text(
            f"施工日志 第{number}号：第{number % 37}层楼板浇筑混凝土，坍落度{number % 90 + 100}毫米。\n"
            + "经监理工程师检查合格，同意进行下道工序。" * (number % 7 + 1), encoding="utf-8")


def _node(home: Path, database: str, originals: Path, share: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, JIANDANG_HOME=str(home), JIANDANG_DATABASE_URL=database,
               JIANDANG_ORIGINALS_DIR=str(originals), JIANDANG_SEARCH_BACKEND="postgres",
               JIANDANG_WATCH_WORKERS="1", HAYSTACK_TELEMETRY_ENABLED="False")
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.Popen([sys.executable, "-m", "cli.main", "watch", str(share), "--once", "--mode", "polling",
                             "--window", "0.2"], env=env, cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=(home.parent / f"{home.name}.log").open("wb"))


def _span(database: str) -> tuple[int, float]:
    """(documents, seconds from the first received to the last recorded) from the catalog."""
    with psycopg.connect(conninfo_of(database)) as conn:
        count, first, last = conn.execute(
            "SELECT count(*), min(received_at), max(updated_at) FROM documents WHERE status = 'processed'").fetchone()
    return int(count), (last - first).total_seconds() if first and last else float("nan")


class LagSampler:
    """Samples a replica's replay position against the primary's WAL position, 5 times a second."""

    def __init__(self, primary: str, replica: str) -> None:
        self._primary, self._replica = conninfo_of(primary), conninfo_of(replica)
        self.seconds: list[float] = []
        self.bytes: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> LagSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(10)

    def _run(self) -> None:
        lag = ReplicaLag(time.monotonic)
        with psycopg.connect(self._primary, autocommit=True) as primary, \
                psycopg.connect(self._replica, autocommit=True) as replica:
            while not self._stop.wait(0.2):
                written = lsn_value(primary.execute("SELECT pg_current_wal_lsn()::text").fetchone()[0]) or 0
                replayed = lsn_value(replica.execute("SELECT pg_last_wal_replay_lsn()::text").fetchone()[0])
                self.seconds.append(lag.observe(written, replayed))
                self.bytes.append(max(0, written - (replayed or 0)))


def _ingest(server, count: int, nodes: int, work: Path, replica=None) -> None:  # type: ignore[no-untyped-def]
    name = f"ingest{nodes}"
    database = server.create_database(name)
    share, originals = work / f"share{nodes}", work / f"originals{nodes}"
    _drop(share, count)
    sampler = LagSampler(database, replica.url(name)) if replica is not None else None
    started = time.perf_counter()
    with sampler or _Nothing():
        running = [_node(work / f"node{nodes}-{i}", database, originals, share) for i in range(nodes)]
        for proc in running:
            proc.wait()
        if replica is not None:
            server.wait_replayed(replica)
    wall = time.perf_counter() - started
    documents, span = _span(database)
    print(f"| {nodes} | {documents} | {span:.1f} | {documents / span:.1f} | {wall:.1f} | "
          f"{os.getloadavg()[0]:.1f} |")
    if sampler is not None and sampler.seconds:
        seconds, sizes = sorted(sampler.seconds), sorted(sampler.bytes)
        print(f"\nreplica lag during the {nodes}-node drop ({len(seconds)} samples): seconds p50 "
              f"{statistics.median(seconds):.2f}, p95 {seconds[int(len(seconds) * 0.95) - 1]:.2f}, max {seconds[-1]:.2f}; "
              f"bytes p50 {statistics.median(sizes):,.0f}, max {sizes[-1]:,}\n")


class _Nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *_exc: object) -> None:
        return None


def bench_postgres(work: Path) -> None:
    from tests import pgserver

    reason = pgserver.available()
    if reason is not None:
        print(f"\n### PostgreSQL: skipped ({reason})")
        return
    server = pgserver.PgServer(settings={"shared_buffers": os.environ.get("BENCH_PG_SHARED_BUFFERS", "2GB")}).start()
    replica = None
    try:
        replica = pgserver.PgServer(primary=server).start()
        count = int(os.environ.get("BENCH_PG_INGEST_DOCS", "600"))
        print(f"\n### PostgreSQL {server.sql('SHOW server_version')}: ingest by watched share, {count} text files "
              f"(throwaway cluster, fsync off; load at start {os.getloadavg()[0]:.1f})\n")
        print("| nodes | documents | seconds (first received → last recorded) | documents/s | wall s incl. start-up "
              "| load |")
        print("|---|---|---|---|---|---|")
        if os.environ.get("BENCH_PG_INGEST", "1") != "0":
            _ingest(server, count, 1, work)
            _ingest(server, count, 2, work, replica)
        if os.environ.get("BENCH_PG_SEARCH", "1") != "0":
            database = os.environ.get("BENCH_PG_URL") or server.create_database("search")
            engines = os.environ.get("BENCH_PG_SEARCH_BACKENDS", "tantivy,postgres").split(",")
            bench_search_engines(work / "search", int(os.environ.get("BENCH_PG_SEARCH_DOCS", "10000")),
                                 [engine.strip() for engine in engines if engine.strip()], database)
    finally:
        if replica is not None:
            replica.stop()
        server.stop()


if __name__ == "__main__":
    import tempfile

    os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")
    with tempfile.TemporaryDirectory(prefix="jiandang-bench-pg-") as tmp:
        bench_postgres(Path(tmp))
