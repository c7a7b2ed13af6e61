"""The disclosure workflow over HTTP with each role's own token: a refused step is a 409 with the one
error body, the package files come back as published, and the overdue list is a page.
"""

from __future__ import annotations

import hashlib

from tests.api.conftest import World

BASE = "/api/projects/XM-2024-017/disclosure"


def test_the_workflow_over_http(world: World) -> None:
    client, auth = world.client, world.auth
    draft = client.post(f"{BASE}/draft", headers=auth("archivist"))
    assert draft.status_code == 200, draft.text
    number = draft.json()["number"]
    assert [c["name"] for c in draft.json()["content"]["categories"]][:2] == ["批准服务信息", "批准结果信息"]
    refused = client.post(f"{BASE}/{number}/publish", headers=auth("archivist"))
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "state_conflict"
    assert "草稿" in refused.json()["error"]["message"]
    preview = client.get(f"{BASE}/{number}/files/index.html", headers=auth("auditor"))
    assert preview.status_code == 200 and preview.headers["content-type"].startswith("text/html")
    assert "草稿 · 未经批准 · 不得公开" in preview.text
    assert client.post(f"{BASE}/{number}/review", headers=auth("archivist")).json()["state"] == "reviewed"
    assert client.post(f"{BASE}/{number}/approve", headers=auth("archivist")).status_code == 403
    assert client.post(f"{BASE}/{number}/approve", headers=auth("approver")).json()["state"] == "approved"
    published = client.post(f"{BASE}/{number}/publish", headers=auth("archivist")).json()
    assert published["state"] == "published"
    manifest = client.get(f"{BASE}/{number}/files/manifest.json", headers=auth("asset_manager"))
    assert hashlib.sha256(manifest.content).hexdigest() == published["package_sha256"]
    page = client.get(f"{BASE}/{number}/files/index.html", headers=auth("auditor"))
    assert "草稿" not in page.text and "第 " in page.text
    retract = client.post(f"{BASE}/{number}/retract", headers=auth("approver"), json={"reason": "信息有误，撤回更正"})
    assert retract.json()["state"] == "retracted" and retract.json()["retraction_reason"] == "信息有误，撤回更正"
    history = client.get(f"{BASE}/history", headers=auth("auditor")).json()
    assert history["total"] >= 1 and any(h["number"] == number and h["state"] == "retracted" for h in history["items"])
    overdue = client.get("/api/disclosure/overdue?limit=5", headers=auth("auditor")).json()
    assert set(overdue) == {"total", "limit", "offset", "items"} and overdue["limit"] == 5


def test_the_disclosure_page_shows_redactions_and_only_the_buttons_a_role_may_use(world: World) -> None:
    client, auth = world.client, world.auth
    client.post(f"{BASE}/draft", headers=auth("archivist"))
    archivist = client.get("/projects/XM-2024-017/disclosure", headers=auth("archivist"))
    assert archivist.status_code == 200 and 'id="step-review"' in archivist.text and 'id="add-redaction"' in archivist.text
    approver = client.get("/projects/XM-2024-017/disclosure", headers=auth("approver"))
    assert 'id="step-review"' not in approver.text and 'id="add-redaction"' not in approver.text
    assert "公开期限" in approver.text and "版本历史" in approver.text
