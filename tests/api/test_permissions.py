"""Every endpoint × every role and no credentials: the answer each must give."""

from __future__ import annotations

import itertools
from urllib.parse import quote

import pytest
from fastapi.routing import APIRoute

from api.security import ROUTE_PERMISSIONS
from schemas.search import SearchQuery
from tests.api.conftest import World
from tests.files import write_pdf

ALL = {"archivist", "auditor", "asset_manager", "approver", "admin"}
READ, DOWNLOAD = ALL, ALL
UPLOAD = {"archivist", "admin"}
RECLASSIFY = {"archivist", "admin"}
EXPORT = {"asset_manager", "admin"}
AUDIT = {"auditor", "admin"}
ADMIN = {"admin"}
DISCLOSE = {"archivist", "admin"}  # prepare, review and publish a disclosure (issue 18)
APPROVE = {"approver", "admin"}  # approve or retract one
PUBLIC = "public"
_counter = itertools.count()

# route name → (method, path, who may, request kwargs factory)
ENDPOINTS = {
    "health": ("GET", "/api/health", PUBLIC),
    "me": ("GET", "/api/me", READ),
    "list_documents": ("GET", "/api/documents?limit=5", READ),
    "get_document": ("GET", "/api/documents/{doc}", READ),
    "document_history": ("GET", "/api/documents/{doc}/history", READ),
    "download_original": ("GET", "/api/documents/{doc}/original", DOWNLOAD),
    "search_documents": ("GET", "/api/search?q=设计变更", READ),
    "list_projects": ("GET", "/api/projects", READ),
    "project_completeness": ("GET", "/api/projects/XM-2024-017/completeness", READ),
    "reclassify_document": ("POST", "/api/documents/{doc}/classification", RECLASSIFY),
    "project_review_queue": ("GET", "/api/projects/XM-2024-017/review?limit=5", READ),
    "accept_classification": ("POST", "/api/documents/{doc}/accept", RECLASSIFY),
    "start_handover": ("POST", "/api/projects/XM-2024-017/handover", EXPORT),
    "download_handover": ("GET", "/api/handover/{handover}/bundle", EXPORT),
    "export_search": ("GET", "/api/search/export?q=设计变更&format=csv", READ),
    "similar_documents": ("GET", "/api/documents/{doc}/similar", READ),
    "list_saved_searches": ("GET", "/api/saved-searches", READ),
    "save_search": ("POST", "/api/saved-searches", READ),
    "run_saved_search": ("GET", "/api/saved-searches/{saved}/results", READ),
    "remove_saved_search": ("DELETE", "/api/saved-searches/{own_saved}", READ),
    "upload_files": ("POST", "/api/uploads", UPLOAD),
    "task_status": ("GET", "/api/tasks/" + "0" * 32, READ),
    "read_audit_log": ("GET", "/api/audit", AUDIT),
    "verify_audit_log": ("GET", "/api/audit/verify", AUDIT),
    "list_users": ("GET", "/api/users", ADMIN),
    "add_user": ("POST", "/api/users", ADMIN),
    "issue_token": ("POST", "/api/tokens", ADMIN),
    "revoke_token": ("DELETE", "/api/tokens/{token}", ADMIN),
    "ui_login_form": ("GET", "/login", PUBLIC),
    "ui_login": ("POST", "/login", PUBLIC),
    "ui_logout": ("POST", "/logout", READ),
    "ui_home": ("GET", "/", READ),
    "ui_search": ("GET", "/search?q=设计变更", READ),
    "ui_document": ("GET", "/documents/{doc}", READ),
    "ui_projects": ("GET", "/projects", READ),
    "ui_project": ("GET", "/projects/XM-2024-017", READ),
    "ui_upload_form": ("GET", "/upload", UPLOAD),
    "ui_upload": ("POST", "/upload", UPLOAD),
    "ui_task": ("GET", "/tasks/" + "0" * 32, READ),
    "ui_review": ("GET", "/projects/XM-2024-017/review", READ),
    "ui_accept": ("POST", "/documents/{doc}/accept", RECLASSIFY),
    "ui_reclassify": ("POST", "/documents/{doc}/classification", RECLASSIFY),
    "ui_handover": ("POST", "/projects/XM-2024-017/handover", EXPORT),
    "ui_save_search": ("POST", "/saved-searches", READ),
    "ui_audit": ("GET", "/audit", AUDIT),
    # the workbench (issue 15)
    "api_docs": ("GET", "/docs", PUBLIC),
    "add_project": ("POST", "/api/projects", RECLASSIFY),
    "change_project": ("PATCH", "/api/projects/XM-2024-017", RECLASSIFY),
    "merge_project": ("POST", "/api/projects/{spare}/merge", RECLASSIFY),
    "project_tree": ("GET", "/api/projects/XM-2024-017/tree", READ),
    "project_volumes": ("GET", "/api/projects/XM-2024-017/volumes", READ),
    "browse_documents": ("GET", "/api/browse?project=XM-2024-017&sort=date", READ),
    "move_documents": ("POST", "/api/moves", RECLASSIFY),
    "edit_document": ("PATCH", "/api/documents/{doc}", RECLASSIFY),
    "reread_document": ("POST", "/api/documents/{doc}/reread", RECLASSIFY),
    "dismiss_document": ("POST", "/api/documents/{spare_doc}/dismiss", RECLASSIFY),
    "document_usage": ("GET", "/api/documents/{doc}/usage", READ),
    "quarantine_list": ("GET", "/api/quarantine", READ),
    "dashboard": ("GET", "/api/dashboard", READ),
    "statistics": ("GET", "/api/statistics", READ),
    "ui_audit_verify": ("GET", "/audit/verify", AUDIT),
    "ui_audit_export": ("GET", "/audit.xlsx", AUDIT),
    "ui_statistics": ("GET", "/statistics", READ),
    "ui_statistics_export": ("GET", "/statistics.xlsx", READ),
    "ui_quarantine": ("GET", "/quarantine", READ),
    "ui_add_project": ("POST", "/projects", RECLASSIFY),
    "ui_project_edit": ("GET", "/projects/XM-2024-017/edit", RECLASSIFY),
    "ui_change_project": ("POST", "/projects/XM-2024-017/edit", RECLASSIFY),
    "ui_merge_project": ("POST", "/projects/{spare}/merge", RECLASSIFY),
    "ui_volumes": ("GET", "/projects/XM-2024-017/volumes", READ),
    "ui_completeness": ("GET", "/projects/XM-2024-017/completeness", READ),
    "ui_browse": ("GET", "/documents?sort=title", READ),
    "ui_preview": ("GET", "/documents/{doc}/preview", DOWNLOAD),
    "ui_preview_image": ("GET", "/documents/{doc}/preview.png", DOWNLOAD),
    "ui_edit_document": ("POST", "/documents/{doc}/edit", RECLASSIFY),
    "ui_move_document": ("POST", "/documents/{doc}/move", RECLASSIFY),
    "ui_reread": ("POST", "/documents/{doc}/reread", RECLASSIFY),
    "ui_dismiss": ("POST", "/documents/{spare_doc}/dismiss", RECLASSIFY),
    "ui_bulk": ("POST", "/bulk", READ),
    # oversight (issue 17): auditors and admins only
    "project_oversight": ("GET", "/api/projects/XM-2024-017/oversight", AUDIT),
    "project_facts": ("GET", "/api/projects/XM-2024-017/oversight/facts", AUDIT),
    "add_oversight_correction": ("POST", "/api/projects/XM-2024-017/oversight/corrections", AUDIT),
    "oversight_workpaper": ("GET", "/api/projects/XM-2024-017/oversight/workpaper", AUDIT),
    "agency_oversight": ("GET", "/api/oversight", AUDIT),
    "ui_oversight": ("GET", "/oversight", AUDIT),
    "ui_project_oversight": ("GET", "/projects/XM-2024-017/oversight", AUDIT),
    "ui_oversight_evidence": ("GET", "/projects/XM-2024-017/oversight/documents/{doc}", AUDIT),
    "ui_oversight_correct": ("POST", "/projects/XM-2024-017/oversight/corrections", AUDIT),
    # 阳光工程 disclosure (issue 18): {draft} … {published} are versions brought to that state first
    "project_disclosure": ("GET", "/api/projects/XM-2024-017/disclosure", READ),
    "disclosure_history": ("GET", "/api/projects/XM-2024-017/disclosure/history", READ),
    "disclosure_due": ("GET", "/api/projects/XM-2024-017/disclosure/due", READ),
    "disclosure_overdue": ("GET", "/api/disclosure/overdue", READ),
    "disclosure_file": ("GET", "/api/projects/XM-2024-017/disclosure/{draft}/files/index.html", READ),
    "draft_disclosure": ("POST", "/api/projects/XM-2024-017/disclosure/draft", DISCLOSE),
    "add_disclosure_redaction": ("POST", "/api/projects/XM-2024-017/disclosure/redactions", DISCLOSE),
    "withhold_disclosure_item": ("POST", "/api/projects/XM-2024-017/disclosure/withheld", DISCLOSE),
    "review_disclosure": ("POST", "/api/projects/XM-2024-017/disclosure/{draft}/review", DISCLOSE),
    "return_disclosure": ("POST", "/api/projects/XM-2024-017/disclosure/{reviewed}/return", DISCLOSE),
    "approve_disclosure": ("POST", "/api/projects/XM-2024-017/disclosure/{reviewed}/approve", APPROVE),
    "publish_disclosure": ("POST", "/api/projects/XM-2024-017/disclosure/{approved}/publish", DISCLOSE),
    "retract_disclosure": ("POST", "/api/projects/XM-2024-017/disclosure/{published}/retract", APPROVE),
    "ui_disclosure": ("GET", "/projects/XM-2024-017/disclosure", READ),
    "ui_disclosure_file": ("GET", "/projects/XM-2024-017/disclosure/{draft}/files/disclosure.xlsx", READ),
    "ui_disclosure_draft": ("POST", "/projects/XM-2024-017/disclosure/draft", DISCLOSE),
    "ui_disclosure_redact": ("POST", "/projects/XM-2024-017/disclosure/redactions", DISCLOSE),
    "ui_disclosure_withhold": ("POST", "/projects/XM-2024-017/disclosure/withheld", DISCLOSE),
    "ui_disclosure_review": ("POST", "/projects/XM-2024-017/disclosure/{draft}/review", DISCLOSE),
    "ui_disclosure_return": ("POST", "/projects/XM-2024-017/disclosure/{reviewed}/return", DISCLOSE),
    "ui_disclosure_approve": ("POST", "/projects/XM-2024-017/disclosure/{reviewed}/approve", APPROVE),
    "ui_disclosure_publish": ("POST", "/projects/XM-2024-017/disclosure/{approved}/publish", DISCLOSE),
    "ui_disclosure_retract": ("POST", "/projects/XM-2024-017/disclosure/{published}/retract", APPROVE),
}
ROLES = [None, "archivist", "auditor", "asset_manager", "approver", "admin"]
DISCLOSURE_STEPS = ("draft", "reviewed", "approved", "published")


def test_every_route_has_one_permission_rule_and_a_matrix_row(world: World) -> None:
    names = set(_route_names(world.client.app.routes))
    assert names == set(ROUTE_PERMISSIONS), "routes and the permission table disagree"
    assert names == set(ENDPOINTS), "a route is missing from the permissions matrix test"


def _route_names(routes) -> list[str]:  # type: ignore[no-untyped-def]
    names = []
    for route in routes:
        if isinstance(route, APIRoute):
            names.append(route.name)
        inner = getattr(route, "original_router", None)  # FastAPI >= 0.16x wraps included routers
        if inner is not None:
            names.extend(_route_names(inner.routes))
    return names


def _request_kwargs(world: World, name: str, tmp_path) -> dict:
    n = next(_counter)
    if name in ("upload_files", "ui_upload"):
        pdf = write_pdf(tmp_path / f"施工日志{n}.pdf", [f"施工日志 第{n}号", "天气：晴"])
        return {"files": [("files", (pdf.name, pdf.read_bytes(), "application/pdf"))], "data": {"project": "XM-2024-017"}}
    if name == "add_user":
        return {"json": {"username": f"新用户{n}", "role": "auditor", "password": "很长的口令12345"}}
    if name == "issue_token":
        return {"json": {"username": "auditor-用户", "label": "matrix"}}
    if name == "reclassify_document":
        return {"json": {"class_code": "C2"}}
    if name == "ui_reclassify":
        return {"data": {"class_code": "C2", "item_code": ""}}
    if name in ("accept_classification", "ui_accept"):  # there must be a filing to accept
        world.client.app.state.service.reclassify(world.doc_id, "C2", who="matrix-setup")
    if name == "save_search":
        return {"json": {"name": f"矩阵检索{n}", "query": {"text": "设计变更"}}}
    if name == "ui_save_search":
        return {"data": {"name": f"矩阵表单检索{n}", "q": "设计变更"}}
    if name == "add_oversight_correction":
        return {"json": {"name": "approved_budget", "value": "15000000", "reason": f"矩阵测试{n}"}}
    if name == "ui_oversight_correct":
        return {"data": {"name": "approved_budget", "value": "15000000", "reason": f"矩阵表单{n}"}}
    if name == "ui_login":
        return {"data": {"username": "nobody", "password": "wrong-password"}}
    return _workbench_kwargs(world, name, n)


def _workbench_kwargs(world: World, name: str, n: int) -> dict:
    """Bodies of the workbench's changes (issue 15); each is a real change the role may or may not make."""
    if name == "add_project":
        return {"json": {"code": f"MX-{n}", "name": f"矩阵项目{n}"}}
    if name == "ui_add_project":
        return {"data": {"code": f"MF-{n}", "name": f"矩阵表单项目{n}"}}
    if name == "change_project":
        return {"json": {"owner": f"建设单位{n}"}}
    if name == "ui_change_project":
        return {"data": {"owner": f"建设单位{n}", "name": "市民服务中心"}}
    if name == "merge_project":
        return {"json": {"into": "XM-2024-017"}}
    if name == "ui_merge_project":
        return {"data": {"into": "XM-2024-017"}}
    if name == "move_documents":
        return {"json": {"documents": [world.doc_id], "to": "XM-2024-017", "reason": "矩阵"}}
    if name == "ui_move_document":
        return {"data": {"to": "XM-2024-017"}}
    if name == "edit_document":
        return {"json": {"changes": {"secrecy": "内部"}, "reason": "矩阵"}}
    if name == "ui_edit_document":
        return {"data": {"title": f"设计变更通知单{n}", "reason": "矩阵"}}
    if name == "ui_bulk":
        return {"data": {"action": "export", "doc": [world.doc_id]}}
    return _disclosure_kwargs(world, name, n)


def _disclosure_kwargs(world: World, name: str, n: int) -> dict:
    if name in ("add_disclosure_redaction", "withhold_disclosure_item", "ui_disclosure_redact", "ui_disclosure_withhold"):
        _disclosure_version(world, "draft")  # only a draft takes redactions and withheld items
    body = {"add_disclosure_redaction": {"text": f"矩阵隐去{n}"},
            "withhold_disclosure_item": {"item": f"bidding/award/{n}", "reason": "矩阵测试"},
            "return_disclosure": {"reason": "矩阵退回"}, "retract_disclosure": {"reason": "矩阵撤回"}}
    form = {"ui_disclosure_redact": {"text": f"矩阵表单隐去{n}"},
            "ui_disclosure_withhold": {"item": f"bidding/award/{n}", "reason": "矩阵测试"},
            "ui_disclosure_return": {"reason": "矩阵退回"}, "ui_disclosure_retract": {"reason": "矩阵撤回"}}
    if name in body:
        return {"json": body[name]}
    return {"data": form[name]} if name in form else {}


def _disclosure_path(world: World, name: str, path: str) -> str:
    """``{draft}`` … ``{published}`` in a path: a version brought to that state; a page showing the
    latest version gets one.
    """
    for state in DISCLOSURE_STEPS:
        if "{" + state + "}" in path:
            path = path.replace("{" + state + "}", _disclosure_version(world, state))
    if name in ("project_disclosure", "ui_disclosure"):
        _disclosure_version(world, "draft")
    return path


def _disclosure_version(world: World, state: str) -> str:
    """A version of the project's disclosure brought to ``state`` by an archivist and an approver."""
    room = world.client.app.state.service.disclosure
    number = room.draft("XM-2024-017", "archivist-用户").number
    steps = [("review", "archivist-用户"), ("approve", "approver-用户"), ("publish", "archivist-用户")]
    for action, who in steps[: DISCLOSURE_STEPS.index(state)]:
        room.act("XM-2024-017", number, action, who)
    return str(number)


def _spare(world: World, kind: str) -> str:
    """A project or document made for one request that consumes it (a merge removes, a dismissal moves)."""
    service = world.client.app.state.service
    n = next(_counter)
    if kind == "project":
        from schemas.projects import NewProject

        return service.projects.add(NewProject(code=f"SP-{n}", name=f"备用项目{n}"), who="matrix-setup").code
    pdf = write_pdf(world.home.parent / f"备用{n}.pdf", [f"备用文件 第{n}号"])
    from schemas.ingest import IngestRequest

    return service.ingest(IngestRequest(paths=[pdf], project="XM-2024-017")).files[0].document_id


def _fill(world: World, name: str, path: str, role: str | None) -> str:
    """The path's placeholders: a token to revoke, the shared document, things one request consumes."""
    if "{token}" in path:
        admin = world.client.app.state.service.accounts
        path = path.replace("{token}", str(admin.issue_token("auditor-用户", "to revoke").record.id))
    path = path.replace("{doc}", world.doc_id).replace("{saved}", world.saved_search)
    path = _disclosure_path(world, name, path)
    if "{spare}" in path:
        path = path.replace("{spare}", _spare(world, "project"))
    if "{spare_doc}" in path:
        path = path.replace("{spare_doc}", _spare(world, "document"))
    if "{own_saved}" in path:  # a saved search of the caller's own (authors may remove theirs)
        saved = f"自己的检索{next(_counter)}"
        world.client.app.state.service.saved_searches.add(saved, SearchQuery(text="监理"), f"{role}-用户")
        path = path.replace("{own_saved}", quote(saved))
    if "{handover}" in path:  # a finished export the caller started, else any id
        path = path.replace("{handover}", world.handover_task(role) if role in EXPORT else "0" * 32)
    return path


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_permissions_matrix(world: World, name: str, role: str | None, tmp_path) -> None:
    method, path, who = ENDPOINTS[name]
    path = _fill(world, name, path, role)
    response = world.client.request(method, path, headers=world.auth(role), follow_redirects=False,
                                     **_request_kwargs(world, name, tmp_path))
    status = response.status_code
    is_ui = not path.startswith("/api")
    if who == PUBLIC:
        assert status < 500 and status not in (403,), (name, role, status, response.text[:300])
        return
    if role is None:
        if is_ui and method == "GET":
            assert status == 303 and response.headers["location"].startswith("/login"), (name, status)
        else:
            assert status == 401, (name, status, response.text[:200])
            if not is_ui:
                assert response.json()["error"]["code"] == "authentication_failed"
        return
    if role in who:
        assert status in (200, 201, 202, 303, 404), (name, role, status, response.text[:300])
        if name != "task_status" and name != "ui_task":
            assert status != 404, (name, role, response.text[:300])
    else:
        assert status == 403, (name, role, status, response.text[:300])
        if not is_ui:
            assert response.json()["error"]["code"] == "permission_denied"
