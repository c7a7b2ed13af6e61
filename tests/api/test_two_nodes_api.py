"""Two real HTTP servers (app nodes) on one PostgreSQL and one originals folder: upload on one,
search, read, download and export on the other, one audit trail that both write and both verify.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from core import ArchiveService, Settings
from schemas.api import Role
from tests.pgserver import free_port
from tests.served import wait_until_up

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.postgres]
REPO = Path(__file__).resolve().parents[2]
PASSWORD = "两个节点的口令-2024"


@pytest.fixture
def nodes(tmp_path: Path, pg_url: str) -> Iterator[tuple[list[str], dict[str, str]]]:
    """Two servers (base URLs) and a bearer token per role, users made through the shared catalog."""
    originals = tmp_path / "共享存储" / "originals"
    common = {"JIANDANG_DATABASE_URL": pg_url, "JIANDANG_ORIGINALS_DIR": str(originals),
              "JIANDANG_SEARCH_BACKEND": "postgres"}
    settings = Settings(home=tmp_path / "节点甲", database_url=pg_url, originals_dir=originals,
                        search_backend="postgres")
    with ArchiveService(settings) as service:
        tokens = {}
        for role in (Role.ARCHIVIST, Role.AUDITOR, Role.ADMIN):
            service.accounts.add_user(f"{role.value}-用户", role, PASSWORD)
            tokens[role.value] = service.accounts.issue_token(f"{role.value}-用户", "两个节点").token
    servers, urls = [], []
    try:
        for name in ("节点甲", "节点乙"):
            port = free_port()
            env = dict(os.environ, JIANDANG_HOME=str(tmp_path / name), HAYSTACK_TELEMETRY_ENABLED="False",
                       JIANDANG_LOG_LEVEL="warning", **common)
            env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
            servers.append(subprocess.Popen(
                [sys.executable, "-m", "cli.main", "serve", "--port", str(port), "--no-watch"], env=env, cwd=REPO,
                stdout=subprocess.DEVNULL, stderr=(tmp_path / f"{name}.log").open("wb")))
            urls.append(f"http://127.0.0.1:{port}")
        for url, server, name in zip(urls, servers, ("节点甲", "节点乙"), strict=True):
            wait_until_up(f"{url}/api/health", server, tmp_path / f"{name}.log")
        yield urls, tokens
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()


def test_upload_on_one_node_is_searched_read_and_exported_on_the_other(
        nodes: tuple[list[str], dict[str, str]]) -> None:
    (first, second), tokens = nodes

    def auth(role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[role]}"}

    made = httpx.post(f"{first}/api/projects", headers=auth("archivist"), json={"code": "XM-双节点", "name": "双节点试验楼"},
                      timeout=30)
    assert made.status_code == 201, made.text  # an upload goes into a project that exists
    content = "设计变更通知单：三层框架梁配筋由HRB400调整为HRB500，详见附图。".encode()
    started = httpx.post(f"{first}/api/uploads", headers=auth("archivist"), data={"project": "XM-双节点"},
                         files=[("files", ("设计变更通知单.txt", content, "text/plain"))], timeout=60)
    assert started.status_code == 202, started.text
    deadline = time.monotonic() + 120
    while (task := httpx.get(f"{first}/api/tasks/{started.json()['id']}", headers=auth("archivist"),
                             timeout=30).json())["state"] not in ("done", "failed"):
        assert time.monotonic() < deadline, task
        time.sleep(0.2)
    assert task["state"] == "done", task
    on_other = httpx.get(f"{second}/api/tasks/{task['id']}", headers=auth("archivist"), timeout=30)
    assert on_other.status_code == 200 and on_other.json()["state"] == "done", "task states are in the shared catalog"

    found = httpx.get(f"{second}/api/search", params={"q": "框架梁配筋"}, headers=auth("auditor"), timeout=30).json()
    assert found["total"] == 1, "the other node searches the shared index"
    doc_id = found["hits"][0]["id"]
    assert httpx.get(f"{second}/api/documents/{doc_id}", headers=auth("auditor"), timeout=30).status_code == 200
    original = httpx.get(f"{second}/api/documents/{doc_id}/original", headers=auth("auditor"), timeout=30)
    assert original.status_code == 200 and original.content == content, "the shared store of originals"
    exported = httpx.get(f"{second}/api/search/export", params={"q": "框架梁", "format": "csv"},
                         headers=auth("auditor"), timeout=60)
    assert exported.status_code == 200
    assert doc_id in exported.content.decode("utf-8-sig") and len(list(csv.reader(io.StringIO(
        exported.content.decode("utf-8-sig"))))) >= 2

    for node in (first, second):
        trail = httpx.get(f"{node}/api/audit", params={"limit": 100}, headers=auth("admin"), timeout=30).json()
        actions = {entry["action"] for entry in trail["items"]}
        assert {"upload", "search", "original.download", "export"} <= actions, "one trail, written by both nodes"
        report = httpx.get(f"{node}/api/audit/verify", headers=auth("admin"), timeout=60).json()
        assert report["valid"], report["problems"]
