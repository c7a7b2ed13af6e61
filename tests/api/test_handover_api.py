"""Handover export over HTTP: start (a task), poll, download the zip; who may; what the audit trail keeps."""

from __future__ import annotations

import hashlib
import io
import zipfile

from tests.api.conftest import World


def test_asset_manager_exports_the_bundle_and_downloads_a_bagit_zip(world: World) -> None:
    started = world.client.post("/api/projects/XM-2024-017/handover", headers=world.auth("asset_manager"),
                                json={"asset": "市民服务中心大楼"})
    assert started.status_code == 202, started.text
    assert started.json()["kind"] == "handover"
    task = world.wait(started.json()["id"], "asset_manager")
    assert task["state"] == "done", task
    assert task["handover"]["documents"] >= 2 and task["handover"]["path"].endswith(".zip")
    assert "/" not in task["handover"]["path"], "the task names the file, never a server path"

    download = world.client.get(f"/api/handover/{task['id']}/bundle", headers=world.auth("asset_manager"))
    assert download.status_code == 200 and download.headers["content-type"] == "application/zip"
    assert "XM-2024-017" in download.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(download.content)) as bundle:
        names = bundle.namelist()
    assert any(n.endswith("/bagit.txt") for n in names)
    assert any("设计变更通知单" in n for n in names), names[:20]

    admin = world.auth("admin")
    done = world.client.get("/api/audit", params={"action": "export.done", "target": "XM-2024-017"},
                            headers=admin).json()["items"]
    entry = next(e for e in done if e["detail"]["task"] == task["id"])
    assert entry["actor"] == "asset_manager-用户"
    assert entry["detail"]["sha256"] == hashlib.sha256(download.content).hexdigest(), \
        "the audit trail pins exactly the bytes that left the archive"
    started_entry = world.client.get("/api/audit", params={"action": "export", "actor": "asset_manager-用户"},
                                     headers=admin).json()["items"]
    assert any(e["detail"].get("task") == task["id"] and e["detail"].get("asset") == "市民服务中心大楼"
               for e in started_entry)
    downloads = world.client.get("/api/audit", params={"action": "export.download", "target": task["id"]},
                                 headers=admin).json()
    assert downloads["total"] == 1
    history = world.client.app.state.service.show(world.doc_id).events
    assert any(e.kind == "exported" for e in history), "every exported document has an export event"


def test_someone_elses_export_task_is_not_found(world: World) -> None:
    task_id = world.handover_task("asset_manager")
    assert world.client.get(f"/api/tasks/{task_id}", headers=world.auth("archivist")).status_code == 404
    assert world.client.get(f"/api/tasks/{task_id}", headers=world.auth("admin")).status_code == 200
    assert world.client.get(f"/api/handover/{task_id}/bundle", headers=world.auth("admin")).status_code == 200


def test_an_upload_task_has_no_bundle(world: World) -> None:
    from tests.api.conftest import upload

    response = upload(world, [("施工日志-无包.txt", "施工日志 第九号".encode())], role="admin")
    task = world.wait(response.json()["id"], "admin")
    refused = world.client.get(f"/api/handover/{task['id']}/bundle", headers=world.auth("admin"))
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"


def test_unknown_project_is_a_clear_404_before_any_task(world: World) -> None:
    response = world.client.post("/api/projects/不存在的项目/handover", headers=world.auth("asset_manager"))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "project_not_found"
    assert "不存在的项目" in response.json()["error"]["message"]


def test_only_selecting_nothing_makes_a_failed_task_with_the_reason(world: World) -> None:
    started = world.client.post("/api/projects/XM-2024-017/handover", headers=world.auth("admin"),
                                json={"only": ["A1"]})
    task = world.wait(started.json()["id"], "admin")
    assert task["state"] == "failed" and "selects no document" in task["error"]
    failed = world.client.get("/api/audit", params={"action": "export.done", "target": "XM-2024-017"},
                              headers=world.auth("admin")).json()["items"]
    assert any(e["detail"]["task"] == task["id"] and e["detail"]["state"] == "failed" for e in failed)


def test_project_page_offers_the_export_button_only_to_those_who_may(world: World) -> None:
    page = world.client.get("/projects/XM-2024-017", headers=world.auth("asset_manager"))
    assert page.status_code == 200 and 'action="/projects/XM-2024-017/handover"' in page.text
    auditor = world.client.get("/projects/XM-2024-017", headers=world.auth("auditor"))
    assert "导出移交包" not in auditor.text
    started = world.client.post("/projects/XM-2024-017/handover", headers=world.auth("asset_manager"),
                                follow_redirects=False)
    assert started.status_code == 303 and started.headers["location"].startswith("/tasks/")
    task_id = started.headers["location"].rsplit("/", 1)[-1]
    world.wait(task_id, "asset_manager")
    task_page = world.client.get(f"/tasks/{task_id}", headers=world.auth("asset_manager"))
    assert f'href="/api/handover/{task_id}/bundle"' in task_page.text and "移交包" in task_page.text


def test_an_export_with_eep_carries_one_package_per_document(world: World) -> None:
    started = world.client.post("/api/projects/XM-2024-017/handover", headers=world.auth("admin"),
                                json={"eep": True})
    task = world.wait(started.json()["id"], "admin")
    assert task["state"] == "done", task
    download = world.client.get(f"/api/handover/{task['id']}/bundle", headers=world.auth("admin"))
    with zipfile.ZipFile(io.BytesIO(download.content)) as bundle:
        eeps = [n for n in bundle.namelist() if "/data/EEP/" in n and n.endswith(".xml")]
    assert len(eeps) == task["handover"]["documents"]
