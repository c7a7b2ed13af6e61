"""Two app nodes, one PostgreSQL, one share: each file taken exactly once, a kill -9 loses nothing.

Each node is a ``jiandang watch`` process with a home of its own (as on another machine), the
same PostgreSQL catalog (``database_url``), the same originals folder (``originals_dir``: shared
storage) and the ``postgres`` search backend. Both watch the same share. Midway through the drop
one node is killed with SIGKILL and started again; at the end every file is one document (by
checksum), one receipt, one reading, one job, and everything is searchable.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core import ArchiveService, Settings
from core.security.audit import AuditLog
from schemas.search import SearchQuery
from tests.catalog_sql import count, rows

REPO = Path(__file__).resolve().parents[3]
# The size; JIANDANG_TWO_NODE_FILES sets another (a quicker check while working on it).
DROP_FILES = int(os.environ.get("JIANDANG_TWO_NODE_FILES", "2000"))

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.postgres,
              pytest.mark.timeout(1800)]  # 2,000 files through two nodes on a shared, loaded machine


def node_env(home: Path, database: str, originals: Path) -> dict[str, str]:
    env = dict(os.environ, JIANDANG_HOME=str(home), JIANDANG_DATABASE_URL=database,
               JIANDANG_ORIGINALS_DIR=str(originals), JIANDANG_SEARCH_BACKEND="postgres",
               JIANDANG_WATCH_WORKERS="1", HAYSTACK_TELEMETRY_ENABLED="False")
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def start_node(home: Path, database: str, originals: Path, share: Path) -> subprocess.Popen[bytes]:
    home.mkdir(parents=True, exist_ok=True)
    log = (home / "watch.log").open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "cli.main", "watch", str(share), "--mode", "polling", "--window", "0.5"],
        env=node_env(home, database, originals), cwd=REPO, stdout=subprocess.DEVNULL, stderr=log)


def drop(share: Path, count_: int) -> dict[str, str]:
    """``count_`` small, distinct text files in a few project folders; path → sha256."""
    made = {}
    for number in range(count_):
        folder = share / f"项目{number % 5:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"施工日志{number:05d}.txt"
        text = f"施工日志 第{number}号：第{number % 37}层楼板浇筑混凝土，坍落度{number % 90 + 100}毫米，天气晴。"
        path.write_text(text, encoding="utf-8")
        made[str(path)] = hashlib.sha256(text.encode()).hexdigest()
    return made


def wait(condition, what: str, nodes: list[subprocess.Popen[bytes]], timeout: float = 900) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout  # a bound for a loaded, shared machine; not a speed target
    while not condition():
        for node in nodes:
            assert node.poll() is None, f"a node stopped (exit {node.returncode})"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def test_two_nodes_take_each_file_once_and_a_killed_node_loses_nothing(
        tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIANDANG_DATABASE_URL", pg_url)  # what tests.catalog_sql reads
    share, originals = tmp_path / "共享盘", tmp_path / "共享存储" / "originals"
    share.mkdir()
    homes = [tmp_path / "节点甲", tmp_path / "节点乙"]
    nodes = [start_node(home, pg_url, originals, share) for home in homes]
    try:
        made = drop(share, DROP_FILES)
        first = homes[0]
        wait(lambda: count(first, "SELECT count(*) FROM documents") >= DROP_FILES // 4, "a quarter", nodes)
        by_owner = rows(first, "SELECT owner, count(*) FROM jobs WHERE owner IS NOT NULL GROUP BY owner")
        nodes[0].send_signal(signal.SIGKILL)  # mid-drop: node 1 has files in flight
        nodes[0].wait()
        done_at_kill = count(first, "SELECT count(*) FROM documents WHERE status <> 'received'")
        assert done_at_kill < DROP_FILES, "killed in the middle of the drop"
        nodes[0] = start_node(homes[0], pg_url, originals, share)
        wait(lambda: count(first, "SELECT count(*) FROM jobs WHERE state IN ('done', 'quarantined')") >= DROP_FILES
             and count(first, "SELECT count(*) FROM documents WHERE indexed_at IS NULL") == 0, "the whole drop",
             nodes)
    finally:
        for node in nodes:
            node.send_signal(signal.SIGTERM)
        for node in nodes:
            try:
                node.wait(60)
            except subprocess.TimeoutExpired:
                node.kill()
    assert len(by_owner) == 2, f"both nodes took files in: {by_owner}"
    home = homes[1]
    stored = sorted(sha for (sha,) in rows(home, "SELECT sha256 FROM documents"))
    assert stored == sorted(made.values()), "every file exactly once, by checksum"
    assert rows(home, "SELECT status, count(*) FROM documents GROUP BY status") == [("processed", DROP_FILES)]
    jobs = dict(rows(home, "SELECT path, state FROM jobs"))
    assert set(jobs) == set(made) and set(jobs.values()) == {"done"}, "one finished job per file"
    [(receipts, documents, arrivals)] = rows(
        home, "SELECT count(*), count(DISTINCT document_id), count(DISTINCT document_id || source_path) FROM receipts")
    assert documents == arrivals == DROP_FILES, "each document received from its own path only"
    # A file the killed node had received but not yet read is received again when it is taken
    # over (an arrival is a receipt, as after any crash); no file another node held was received.
    assert receipts - DROP_FILES <= 4, f"{receipts - DROP_FILES} extra receipts: more than the killed node had in flight"
    # Such a file, if the killed node had finished reading it but not closed its job, is recorded
    # as a repeat from its own path; a file taken by both live nodes would show the same way, so
    # the repeats are bounded by what the killed node had in flight, and every one names its path.
    repeats = rows(home, "SELECT r.source_path, d.id FROM receipts r JOIN documents d ON d.id = r.document_id "
                         "WHERE r.outcome <> 'ingested'")
    assert len(repeats) <= 4, f"{len(repeats)} files taken twice: more than the killed node had in flight"
    ingested_from = dict(rows(home, "SELECT document_id, source_path FROM receipts WHERE outcome = 'ingested'"))
    assert all(ingested_from[doc] == path for path, doc in repeats), "a repeat comes from the file's own path"
    for kind in ("converted", "indexed"):
        assert rows(home, "SELECT count(*), count(DISTINCT document_id) FROM events WHERE kind = :k", k=kind) == \
            [(DROP_FILES, DROP_FILES)], f"one {kind} event per document"
    assert {p.name for p in originals.glob("??/??/*")} == set(made.values()), "the shared store holds each once"
    settings = Settings(home=home, database_url=pg_url, originals_dir=originals, search_backend="postgres")
    with ArchiveService(settings) as service:
        assert service.search(SearchQuery(text="施工日志")).total == DROP_FILES
        assert service.search(SearchQuery(text='"第17层楼板"')).total == len(
            [p for p in made if int(Path(p).stem[-5:]) % 37 == 17])
        assert service.check_index().in_sync
        assert AuditLog(service.catalog).verify().valid
