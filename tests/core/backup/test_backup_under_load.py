"""A backup taken while a drop is ingested is consistent; a backup killed with -9 does not spoil the next."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core import ArchiveService, Settings
from core.backup.engines import SnapshotReader
from samples import generate_corpus

pytestmark = [pytest.mark.integration, pytest.mark.slow,
              pytest.mark.sqlite_only("backs up a running archive: the snapshot is SQLite's online backup of "
                                      "catalog.sqlite3; a PostgreSQL catalog is refused (README \"Backups\")")]

REPO = Path(__file__).resolve().parents[3]


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ, JIANDANG_HOME=str(home), HAYSTACK_TELEMETRY_ENABLED="False")
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _documents_in(home: Path) -> int:
    try:
        with sqlite3.connect(home / "catalog.sqlite3", timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_a_backup_during_ingest_is_a_consistent_snapshot(tmp_path: Path) -> None:
    generate_corpus(tmp_path / "drop", n=40, seed=9, write_manifest=False)
    home = tmp_path / "home"
    with ArchiveService(Settings(home=home)):
        pass  # create the catalog before the two processes race for it
    ingest = subprocess.Popen([sys.executable, "-m", "cli.main", "ingest", str(tmp_path / "drop"), "--project",
                               "LIVE-01", "--json"], cwd=REPO, env=_env(home), stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while _documents_in(home) < 8:
        assert ingest.poll() is None, "ingest ended before the backup could start"
        assert time.monotonic() < deadline
        time.sleep(0.1)
    with ArchiveService(Settings(home=home)) as service:
        during = service.safekeeping.backup(tmp_path / "备份")
    assert ingest.poll() is None, "the drop should still be going when the backup finishes"
    assert ingest.wait(timeout=600) == 0, ingest.stderr.read().decode() if ingest.stderr else ""
    assert not during.problems and 8 <= during.documents < 40

    with ArchiveService(Settings(home=home)) as service:
        assert service.safekeeping.verify_backup(tmp_path / "备份").valid
        after = service.safekeeping.backup(tmp_path / "备份")
        assert after.documents == service.status().documents
        assert after.originals_copied == after.originals - during.originals  # only the new ones

    restored = ArchiveService.restore(tmp_path / "备份", tmp_path / "还原", snapshot=during.snapshot)
    assert restored.audit_valid and not restored.problems
    assert restored.documents == during.documents == restored.originals
    with SnapshotReader(tmp_path / "还原" / "catalog.sqlite3") as catalog:
        for _doc, sha, size, _name in catalog.originals():
            blob = tmp_path / "还原" / "originals" / sha[:2] / sha[2:4] / sha
            assert blob.stat().st_size == size


def _big_archive(home: Path, files: int, megabytes: int) -> None:
    """Originals of random bytes written through the store (reading them is not what is tested)."""
    rng = random.Random(3)
    source = home.parent / "big"
    source.mkdir()
    with ArchiveService(Settings(home=home)) as service:
        service.blobs.open()
        from core.intake.ingestor import Arrival, Ingestor
        from schemas.ingest import IngestSource

        ingestor = Ingestor(service.catalog, service.blobs, None, 10**12)
        for n in range(files):
            path = source / f"扫描件_{n:03d}.bin"
            path.write_bytes(rng.randbytes(megabytes * 1024 * 1024))
            stored = ingestor.store(Arrival(path, "batch", IngestSource.CLI, "BIG-01"))
            assert stored.request is not None
            path.unlink()


def test_a_backup_killed_midway_leaves_the_next_one_good(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _big_archive(home, files=30, megabytes=8)
    dest = tmp_path / "备份"
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "backup", str(dest), "--json"], cwd=REPO,
                            env=_env(home), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while len(list((dest / "originals").glob("??/??/*"))) < 3:
        assert proc.poll() is None, "the backup finished before it could be killed: " + proc.stderr.read().decode()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    copied_before = len(list((dest / "originals").glob("??/??/*")))
    assert 3 <= copied_before < 30
    assert not (dest / "LATEST").exists() and list((dest / "snapshots").glob(".partial-*"))

    with ArchiveService(Settings(home=home)) as service:
        report = service.safekeeping.backup(dest)
        assert not report.problems and report.originals == 30
        assert report.originals_copied == 30 - copied_before
        check = service.safekeeping.verify_backup(dest)
    assert check.valid and check.originals_checked == 30, check.problems
    assert not list((dest / "snapshots").glob(".partial-*"))
    assert not list((dest / "originals" / ".incoming").iterdir())
