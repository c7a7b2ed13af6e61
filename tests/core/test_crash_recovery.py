"""kill -9 in the middle of a batch, then run it again: nothing lost, nothing doubled."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core import Settings
from samples import generate_corpus
from search.backends import open_store

pytestmark = [pytest.mark.integration, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]


def _ingest_cmd(source: Path) -> list[str]:
    return [sys.executable, "-m", "cli.main", "ingest", str(source), "--project", "KILL-01", "--json"]


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ, JIANDANG_HOME=str(home), HAYSTACK_TELEMETRY_ENABLED="False")
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _documents_in(home: Path) -> int:
    db = home / "catalog.sqlite3"
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:  # tables not created yet
        return 0


def _kill_after(home: Path, source: Path, documents: int) -> None:
    log = home.parent / f"killed-at-{documents}.log"
    with log.open("wb") as stderr:
        proc = subprocess.Popen(_ingest_cmd(source), env=_env(home), cwd=REPO,
                                stdout=subprocess.DEVNULL, stderr=stderr)
    deadline = time.monotonic() + 240
    while _documents_in(home) < documents:
        if proc.poll() is not None:
            pytest.fail(f"the batch ended (exit {proc.returncode}) before it could be killed:\n"
                        + log.read_text(errors="replace")[-3000:])
        assert time.monotonic() < deadline, "ingest made no progress"
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


def test_kill_9_mid_batch_then_rerun(tmp_path: Path) -> None:
    source = tmp_path / "施工资料 移交"
    files = generate_corpus(source, n=240, seed=11, write_manifest=False)
    home = tmp_path / "档案室"

    _kill_after(home, source, documents=40)
    _kill_after(home, source, documents=120)
    done = subprocess.run(_ingest_cmd(source), env=_env(home), cwd=REPO, capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr.decode()

    import json

    report = json.loads(done.stdout)
    on_disk = sorted(p for p in source.rglob("*") if p.is_file())
    assert len(on_disk) == len(files)
    assert sorted(Path(f["path"]) for f in report["files"]) == on_disk, "every file is in the report"

    expected = {hashlib.sha256(p.read_bytes()).hexdigest() for p in on_disk}
    with sqlite3.connect(home / "catalog.sqlite3") as conn:
        rows = conn.execute("SELECT sha256, status, indexed_at FROM documents").fetchall()
        receipts_per_doc = dict(conn.execute("SELECT document_id, count(*) FROM receipts GROUP BY document_id"))
    assert sorted(sha for sha, _, _ in rows) == sorted(expected), "each file exactly once, by checksum"
    assert {status for _, status, _ in rows} <= {"processed", "quarantined"}, "nothing left half-read"
    processed = [sha for sha, status, _ in rows if status == "processed"]
    assert all(indexed for _, status, indexed in rows if status == "processed"), "everything read is indexed"
    assert len(receipts_per_doc) == len(rows)

    stored = {p.name for p in (home / "originals").glob("??/??/*")}
    assert stored == expected
    assert list((home / "originals" / ".incoming").iterdir()) == []
    store = open_store(Settings(home=home).search_backend, home / "index")
    assert store.count_documents() == len(processed)
