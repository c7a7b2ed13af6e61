"""``jiandang serve`` re-hashes the day's slice of the originals on its own, beside the API."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from core import ArchiveService, Settings
from core.browsing.listing import DocumentFilter
from core.fixity.selection import slice_of
from schemas.ingest import IngestRequest
from tests import catalog_sql

pytestmark = [pytest.mark.integration, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _daily_runs(home: Path) -> list[dict]:
    """The daily fixity runs the server recorded, read behind its back (SQLite or PostgreSQL)."""
    found = catalog_sql.rows(home, "SELECT detail FROM events WHERE kind = 'fixity_run' AND document_id IS NULL")
    details = [detail if isinstance(detail, dict) else json.loads(detail) for (detail,) in found]  # PostgreSQL: JSON
    return [detail for detail in details if detail.get("scope") == "daily"]


def test_serve_checks_todays_slice(tmp_path: Path) -> None:
    home = tmp_path / "档案室"
    drop = tmp_path / "收文"
    drop.mkdir()
    for n in range(12):
        (drop / f"会议纪要_{n}.txt").write_text(f"第{n}次工地例会会议纪要。", encoding="utf-8")
    with ArchiveService(Settings(home=home)) as service:
        service.ingest(IngestRequest(paths=[drop], project="DAILY-01"))
        shas = [service.show(item.id).sha256 for item in service.list_documents(DocumentFilter(), 50).items]
    env = dict(os.environ, JIANDANG_HOME=str(home), JIANDANG_FIXITY_CYCLE_DAYS="3", JIANDANG_LOG_LEVEL="WARNING")
    server = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--port", str(_free_port()), "--no-watch"],
                              cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 180
        while not _daily_runs(home):
            assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
            assert time.monotonic() < deadline, "no daily fixity check within three minutes of start"
            time.sleep(0.5)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    [run] = _daily_runs(home)
    assert run["cycle_days"] == 3 and len(run["days"]) == 1 and run["problem_count"] == 0
    today = date.fromisoformat(run["days"][0]).toordinal() % 3
    assert run["documents"] == sum(slice_of(sha, 3) == today for sha in shas)  # one slice of three
