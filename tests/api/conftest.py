"""A real app on a real catalog and index in a temporary home, with one user and token per role."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api import ApiOptions, create_app
from core import Settings
from schemas.api import Role
from schemas.projects import NewProject
from schemas.search import SearchQuery
from tests.conftest import own_database
from tests.files import write_pdf

PASSWORD = "档案室口令-2024"
UPLOAD_LIMIT = 256 * 1024


@dataclass
class World:
    client: TestClient
    tokens: dict[str, str]  # role → bearer token
    doc_id: str  # a processed PDF with a Chinese name
    xss_doc_id: str  # a document whose title and file name carry markup
    home: Path
    saved_search: str = "设计变更汇总"  # a saved search everyone may run
    _handover_tasks: dict[str, str] = field(default_factory=dict)

    def auth(self, role: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}

    def wait(self, task_id: str, role: str = "archivist") -> dict:
        deadline = time.monotonic() + 90  # tasks queue behind earlier exports; a loaded machine is slow
        while time.monotonic() < deadline:
            task = self.client.get(f"/api/tasks/{task_id}", headers=self.auth(role)).json()
            if task["state"] in ("done", "failed"):
                return task
            time.sleep(0.05)
        raise AssertionError(f"task {task_id} did not finish in 90 s: {task}")

    def browser(self) -> TestClient:
        """A second client with its own cookie jar on the same running app.

        Not a context manager on purpose: entering one would run the app's lifespan again and,
        on exit, shut down the service and task pool the shared ``client`` still uses.
        """
        return TestClient(self.client.app)

    def handover_task(self, role: str) -> str:
        """A finished handover export of XM-2024-017 started by ``role`` (made once per role)."""
        if role not in self._handover_tasks:
            started = self.client.post("/api/projects/XM-2024-017/handover", headers=self.auth(role))
            assert started.status_code == 202, started.text
            task = self.wait(started.json()["id"], role)
            assert task["state"] == "done", task
            self._handover_tasks[role] = task["id"]
        return self._handover_tasks[role]


def upload(world: World, files: list[tuple[str, bytes]], role: str = "archivist", project: str = "XM-2024-017"):
    parts = [("files", (name, data, "application/octet-stream")) for name, data in files]
    return world.client.post("/api/uploads", headers=world.auth(role), files=parts, data={"project": project})


@pytest.fixture(scope="package")
def package_catalog(request: pytest.FixtureRequest) -> Iterator[None]:
    """This package's shared archive gets a catalog of its own (``own_database`` in ``tests/conftest.py``)."""
    yield from own_database(request)


@pytest.fixture(scope="package")
def world(package_catalog: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    base = tmp_path_factory.mktemp("api")
    settings = Settings(home=base / "档案室", index_batch_size=16)
    app = create_app(settings, ApiOptions(max_upload_bytes=UPLOAD_LIMIT, max_form_bytes=16 * 1024))
    with TestClient(app) as client:
        accounts = app.state.service.accounts
        tokens = {}
        for role in Role:
            accounts.add_user(f"{role.value}-用户", role, PASSWORD)
            tokens[role.value] = accounts.issue_token(f"{role.value}-用户", "tests").token
        world = World(client=client, tokens=tokens, doc_id="", xss_doc_id="", home=settings.home)
        app.state.service.projects.add(NewProject(code="XM-2024-017", name="市民服务中心", owner="市机关事务管理局"),
                                       who="tests")  # uploads name existing projects only
        pdf = write_pdf(base / "设计变更通知单.pdf", ["设计变更通知单", "工程名称：市民服务中心", "变更内容：外墙保温改为岩棉板"])
        xss = write_pdf(base / "x.pdf", ["<script>alert(1)</script> 监理通知单", "监理单位：某某监理公司"])
        response = upload(world, [("设计变更通知单.pdf", pdf.read_bytes()),
                                  ('<img src=x onerror=alert(1)>".pdf', xss.read_bytes())])
        assert response.status_code == 202, response.text
        task = world.wait(response.json()["id"])
        assert task["state"] == "done", task
        ids = {line["path"]: line["document_id"] for line in task["report"]["files"]}
        world.doc_id = ids["设计变更通知单.pdf"]
        world.xss_doc_id = next(v for k, v in ids.items() if k != "设计变更通知单.pdf")
        app.state.service.saved_searches.add(world.saved_search, SearchQuery(text="设计变更"), "auditor-用户")
        yield world
