"""``jiandang serve --workers 2``: two server processes on one port and one archive.

The real command over real HTTP. Each request opens a new connection, so the kernel hands it to
either process: an upload accepted by one is polled on both until it is done, searches run on
both side by side, and the one audit trail both write still verifies.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from core import ArchiveService, Settings
from schemas.api import Role
from schemas.projects import NewProject
from tests.pgserver import free_port
from tests.served import wait_until_up

pytestmark = [pytest.mark.integration, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]
PASSWORD = "两个进程的口令-2024"


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


@pytest.fixture
def server(settings: Settings, tmp_path: Path) -> Iterator[tuple[str, dict[str, str], subprocess.Popen[bytes]]]:
    with ArchiveService(settings) as service:
        service.projects.add(NewProject(code="XM-双进程", name="双进程试验楼"), "测试")
        tokens = {}
        for role in (Role.ARCHIVIST, Role.ADMIN):
            service.accounts.add_user(f"{role.value}-用户", role, PASSWORD)
            tokens[role.value] = service.accounts.issue_token(f"{role.value}-用户", "双进程").token
    port = free_port()
    env = dict(os.environ, JIANDANG_HOME=str(settings.home), HAYSTACK_TELEMETRY_ENABLED="False",
               JIANDANG_LOG_LEVEL="warning")
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    log = tmp_path / "serve.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "serve", "--port", str(port), "--no-watch", "--workers", "2"],
        env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=log.open("wb"))
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/api/health", process, log)
        yield url, tokens, process
    finally:
        process.terminate()
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()


def test_two_processes_share_uploads_searches_and_the_audit_trail(
        server: tuple[str, dict[str, str], subprocess.Popen[bytes]]) -> None:
    url, tokens, process = server
    archivist = {"Authorization": f"Bearer {tokens['archivist']}"}
    assert len(_children(process.pid)) >= 2, "two worker processes under the supervisor"

    content = "设计变更通知单：三层框架梁配筋由HRB400调整为HRB500，详见附图。".encode()
    started = httpx.post(f"{url}/api/uploads", headers=archivist, data={"project": "XM-双进程"},
                         files=[("files", ("设计变更通知单.txt", content, "text/plain"))], timeout=60)
    assert started.status_code == 202, started.text
    polls = 0
    deadline = time.monotonic() + 120
    while True:
        answer = httpx.get(f"{url}/api/tasks/{started.json()['id']}", headers=archivist, timeout=30)  # a new connection
        assert answer.status_code == 200, answer.text  # whichever process the poll reached knows the task
        polls += 1
        if answer.json()["state"] in ("done", "failed") and polls >= 10:
            break
        assert time.monotonic() < deadline, answer.json()
        time.sleep(0.1)
    task = answer.json()
    assert task["state"] == "done", task
    assert task["report"]["counts"]["ingested"] == 1

    def search(_: int) -> tuple[int, int]:
        answer = httpx.get(f"{url}/api/search", params={"q": "框架梁配筋"}, headers=archivist, timeout=60)
        return answer.status_code, answer.json().get("total", -1)

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(search, range(40)))
    assert answers == [(200, 1)] * 40

    admin = {"Authorization": f"Bearer {tokens['admin']}"}
    report = httpx.get(f"{url}/api/audit/verify", headers=admin, timeout=60).json()
    assert report["valid"], report["problems"]
    trail = httpx.get(f"{url}/api/audit", params={"limit": 100, "action": "search"}, headers=admin, timeout=30).json()
    assert trail["total"] >= 40
