"""Handover exports outlive a server restart, and old ones are removed after the keep period."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api import ApiOptions, create_app
from api.handover_tasks import EXPORTS_DIR, TASK_FILE
from core import ArchiveService, Settings
from schemas.api import Role
from schemas.ingest import IngestRequest
from tests.files import write_pdf

PROJECT = "XM-2025-031"
TASK_ID = "5e0c" * 8  # the shape of a task id


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    settings = Settings(home=tmp_path / "档案室")
    drop = tmp_path / "来件"
    drop.mkdir()
    write_pdf(drop / "设计变更通知单.pdf", ["设计变更通知单", "工程名称：机关办公楼维修", "变更内容：更换屋面防水卷材"])
    write_pdf(drop / "隐蔽工程验收记录.pdf", ["隐蔽工程验收记录", "工程名称：机关办公楼维修", "验收结论：合格"])
    with ArchiveService(settings) as service:
        service.ingest(IngestRequest(paths=[drop], project=PROJECT))
        service.accounts.add_user("资产管理员", Role.ASSET_MANAGER, "档案室口令-2024")
    return settings


def _token(client: TestClient) -> dict[str, str]:
    accounts = client.app.state.service.accounts  # type: ignore[attr-defined]
    return {"Authorization": f"Bearer {accounts.issue_token('资产管理员', 'tests').token}"}


def _wait(client: TestClient, task_id: str, auth: dict[str, str]) -> dict:
    deadline = datetime.now(UTC) + timedelta(seconds=90)
    while datetime.now(UTC) < deadline:
        task = client.get(f"/api/tasks/{task_id}", headers=auth).json()
        if task["state"] in ("done", "failed"):
            return task
        time.sleep(0.05)
    raise AssertionError(f"task {task_id} did not finish")


def test_a_finished_export_is_still_downloadable_after_a_restart(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        auth = _token(client)
        task = _wait(client, client.post(f"/api/projects/{PROJECT}/handover", headers=auth).json()["id"], auth)
        assert task["state"] == "done", task
        first = client.get(f"/api/handover/{task['id']}/bundle", headers=auth).content
    with TestClient(create_app(settings)) as client:
        auth = _token(client)
        again = client.get(f"/api/tasks/{task['id']}", headers=auth)
        assert again.status_code == 200 and again.json()["state"] == "done"
        assert again.json()["owner"] == "资产管理员"
        assert client.get(f"/api/handover/{task['id']}/bundle", headers=auth).content == first


def test_an_export_cut_short_by_a_stop_comes_back_failed_and_its_partial_files_go(settings: Settings) -> None:
    folder = settings.home / EXPORTS_DIR / TASK_ID
    (folder / ".XM-2025-031-handover.partial" / "data").mkdir(parents=True)
    (folder / ".XM-2025-031-handover.partial" / "data" / "设计变更通知单.pdf").write_bytes(b"%PDF-1.4 half")
    (folder / TASK_FILE).write_text(json.dumps({
        "id": TASK_ID, "kind": "handover", "state": "running", "owner": "资产管理员",
        "created_at": datetime.now(UTC).isoformat()}), encoding="utf-8")
    with TestClient(create_app(settings)) as client:
        task = client.get(f"/api/tasks/{TASK_ID}", headers=_token(client)).json()
    assert task["state"] == "failed" and "服务在导出完成前停止" in task["error"]
    assert [p.name for p in folder.iterdir()] == [TASK_FILE]


def test_exports_older_than_the_keep_period_are_removed_and_audited(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        auth = _token(client)
        task = _wait(client, client.post(f"/api/projects/{PROJECT}/handover", headers=auth).json()["id"], auth)
    record = settings.home / EXPORTS_DIR / task["id"] / TASK_FILE
    recorded = json.loads(record.read_text(encoding="utf-8"))
    recorded["finished_at"] = (datetime.now(UTC) - timedelta(days=8)).isoformat()
    record.write_text(json.dumps(recorded), encoding="utf-8")
    with TestClient(create_app(settings, ApiOptions(export_keep_days=7))) as client:
        auth = _token(client)
        assert client.get(f"/api/tasks/{task['id']}", headers=auth).status_code == 404
        service = client.app.state.service  # type: ignore[attr-defined]
        expired = [e for e in service.audit.page(limit=50).items if e.action == "export.expired"]
    assert not record.parent.exists()
    assert [e.target for e in expired] == [task["id"]] and expired[0].detail["file"] == task["handover"]["path"]


def _running_export(settings: Settings) -> Path:
    folder = settings.home / EXPORTS_DIR / TASK_ID
    (folder / ".XM-2025-031-handover.partial").mkdir(parents=True)
    (folder / TASK_FILE).write_text(json.dumps({
        "id": TASK_ID, "kind": "handover", "state": "running", "owner": "资产管理员",
        "created_at": datetime.now(UTC).isoformat()}), encoding="utf-8")
    return folder


def test_a_worker_of_several_leaves_a_siblings_running_export_alone(settings: Settings) -> None:
    """With serve --workers N the start decided what was cut short; a worker uvicorn starts again
    later finds its sibling's export at work and must not fail it or delete its files.
    """
    folder = _running_export(settings)
    with TestClient(create_app(settings, ApiOptions(sole_server=False))):
        pass
    assert json.loads((folder / TASK_FILE).read_text(encoding="utf-8"))["state"] == "running"
    assert (folder / ".XM-2025-031-handover.partial").is_dir()


def test_the_start_of_several_workers_fails_what_the_stop_cut_short_once(settings: Settings) -> None:
    from api.handover_tasks import recover_exports

    folder = _running_export(settings)
    assert recover_exports(settings.home) == 1
    recorded = json.loads((folder / TASK_FILE).read_text(encoding="utf-8"))
    assert recorded["state"] == "failed" and "服务在导出完成前停止" in recorded["error"]
    assert [p.name for p in folder.iterdir()] == [TASK_FILE]
    assert recover_exports(settings.home) == 0


def test_processes_sweeping_at_once_remove_an_expired_export_and_record_it_once(settings: Settings) -> None:
    import threading

    from api.handover_tasks import sweep_exports

    clients = [TestClient(create_app(settings, ApiOptions(sole_server=False))) for _ in range(2)]
    apps = [client.__enter__().app for client in clients]
    old = (datetime.now(UTC) - timedelta(days=30)).isoformat()
    for number in range(6):  # expired while both processes run
        folder = settings.home / EXPORTS_DIR / f"{number:032x}"
        folder.mkdir(parents=True)
        (folder / "bundle.zip").write_bytes(b"PK" * 1000)
        (folder / TASK_FILE).write_text(json.dumps({
            "id": folder.name, "kind": "handover", "state": "done", "owner": "资产管理员",
            "created_at": old, "finished_at": old}), encoding="utf-8")
    try:
        barrier = threading.Barrier(4)
        failures: list[BaseException] = []

        def sweep(app: object) -> None:
            barrier.wait()
            try:
                sweep_exports(app, restore=False)  # type: ignore[arg-type]
            except BaseException as exc:  # a sweep that trips over the other's removal
                failures.append(exc)

        threads = [threading.Thread(target=sweep, args=(app,)) for app in apps * 2]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        service = apps[0].state.service  # type: ignore[attr-defined]
        expired = [e.target for e in service.audit.page(limit=100).items if e.action == "export.expired"]
    finally:
        for client in clients:
            client.__exit__(None, None, None)
    assert failures == []
    assert sorted(expired) == [f"{number:032x}" for number in range(6)]
    assert list((settings.home / EXPORTS_DIR).iterdir()) == []
