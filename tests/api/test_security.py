"""Security: traversal, oversized and malformed bodies, injection, XSS, tokens, CSRF, rate limits, audit."""

from __future__ import annotations

import json

import pytest
from sqlalchemy.exc import DatabaseError

from tests.api.conftest import PASSWORD, UPLOAD_LIMIT, World, upload
from tests.catalog_sql import catalog_url, rows
from tests.files import write_pdf

INJECTIONS = ["' OR 1=1 --", "\"; DROP TABLE documents; --", "%' OR '%'='", "*:*", "title:(", "\\", "<script>",
              "设计 AND (", "../../etc/passwd", "\x00", "OR OR OR", "-", '"未闭合引号']


def test_upload_names_cannot_escape_the_upload_folder(world: World, tmp_path) -> None:
    pdf = write_pdf(tmp_path / "a.pdf", ["工程联系单 穿越测试"])
    response = upload(world, [("../../../../逃逸/工程联系单.pdf", pdf.read_bytes()),
                              ("..\\..\\windows.pdf", b"%PDF-1.4 not really"), ("..", b"x")])
    assert response.status_code == 202
    task = world.wait(response.json()["id"])
    names = sorted(line["path"] for line in task["report"]["files"])
    assert names == sorted(["工程联系单.pdf", "windows.pdf", "upload-3"])
    assert not (world.home.parent / "逃逸").exists() and not (world.home / "逃逸").exists()
    assert not (world.home / "uploads" / task["id"]).exists(), "upload folders are removed after ingest"


@pytest.mark.parametrize("doc_id", ["..%2F..%2Fcatalog.sqlite3", "../../etc/passwd", "abc", "0" * 33, "zzzzzzzz"])
def test_download_ids_are_validated(world: World, doc_id: str) -> None:
    response = world.client.get(f"/api/documents/{doc_id}/original", headers=world.auth("auditor"))
    assert response.status_code in (404, 422), response.text
    assert "root:" not in response.text and not response.content.startswith(b"SQLite")


def test_download_names_the_chinese_file_per_rfc_5987(world: World) -> None:
    response = world.client.get(f"/api/documents/{world.doc_id}/original", headers=world.auth("auditor"))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%E8%AE%BE%E8%AE%A1%E5%8F%98%E6%9B%B4" in disposition  # 设计变更
    inline = world.client.get(f"/api/documents/{world.doc_id}/original?inline=true", headers=world.auth("auditor"))
    assert inline.headers["content-disposition"].startswith("inline;")


def test_oversized_upload_is_refused_with_413(world: World) -> None:
    big = b"0" * (UPLOAD_LIMIT + 1)
    response = upload(world, [("大文件.pdf", big)])
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_oversized_streamed_body_without_length_is_refused(world: World) -> None:
    def chunks():
        for _ in range(UPLOAD_LIMIT // 1024 + 10):
            yield b"a" * 1024

    response = world.client.post("/api/uploads", headers={**world.auth("archivist"),
                                 "content-type": "multipart/form-data; boundary=xyz"}, content=chunks())
    assert response.status_code == 413


@pytest.mark.parametrize("body,ctype", [
    (b"--xyz\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.pdf\"\r\n\r\nunterminated",
     "multipart/form-data; boundary=xyz"),
    (b"garbage", "multipart/form-data"),
    (b"{}", "application/json"),
    (b"", "multipart/form-data; boundary=xyz"),
])
def test_malformed_multipart_is_a_clean_400(world: World, body: bytes, ctype: str) -> None:
    response = world.client.post("/api/uploads", headers={**world.auth("archivist"), "content-type": ctype},
                                 content=body)
    assert 400 <= response.status_code < 500, response.text
    assert set(response.json()) == {"error"}


@pytest.mark.parametrize("text", INJECTIONS)
def test_injection_strings_in_search_and_filters_never_break_the_server(world: World, text: str) -> None:
    auth = world.auth("auditor")
    for params in ({"q": text}, {"q": "设计变更", "project": text}, {"q": "设计变更", "class_code": text[:8]}):
        response = world.client.get("/api/search", params=params, headers=auth)
        assert response.status_code in (200, 400, 422), (params, response.text)
    listing = world.client.get("/api/documents", params={"project": text, "class_code": text[:8]}, headers=auth)
    assert listing.status_code in (200, 422) and (listing.status_code != 200 or listing.json()["total"] == 0)
    audit = world.client.get("/api/audit", params={"actor": text, "action": text}, headers=auth)
    assert audit.status_code in (200, 422)
    page = world.client.get("/search", params={"q": text}, headers=auth)
    assert page.status_code in (200, 400, 422)
    assert "<script>" not in page.text


def _patterns(schema: dict) -> set[str]:
    return {schema.get("pattern", "")} | {p for branch in schema.get("anyOf", []) for p in _patterns(branch)}


def test_a_nul_in_a_query_or_path_is_refused_as_invalid_input_and_the_schema_says_so(world: World) -> None:
    """PostgreSQL's text cannot hold U+0000: such a request was a 500 there. It is refused at the
    edge, the same on either catalog, and the schema's string parameters carry the pattern.
    """
    from api.nul import NO_NUL

    auth = world.auth("admin")
    for path, params in (("/api/audit", {"since": "\x00"}), ("/api/documents", {"project": "XM\x00"}),
                         ("/api/search", {"q": "设计\x00变更"}), ("/api/projects/XM%00-1/disclosure", {})):
        response = world.client.get(path, params=params, headers=auth)
        assert response.status_code == 422, (path, response.text)
        assert response.json()["error"]["code"] == "invalid_input" and "U+0000" in response.json()["error"]["message"]
    assert world.client.get("/search", params={"q": "\x00"}, headers=auth).status_code == 422
    schema = world.client.get("/openapi.json", headers=auth).json()
    since = next(p for p in schema["paths"]["/api/audit"]["get"]["parameters"] if p["name"] == "since")
    assert NO_NUL in _patterns(since["schema"])


def test_a_nul_in_a_json_body_is_refused_the_same_on_either_catalog_and_the_schema_says_so(world: World) -> None:
    """On PostgreSQL a project named with U+0000 was refused only by the catalog (400 for a request
    the schema called valid); on SQLite it was stored. Both now refuse it at the edge with 422.
    """
    from api.nul import NO_NUL, _body_strings

    auth = world.auth("admin")
    for body in ({"code": "NUL-1", "name": "办公楼\x00改造"}, {"code": "NUL-2", "name": "办公楼", "figures": {"面积\x00": "1"}},
                 {"code": "NUL-3", "name": "办公楼", "figures": {"面积": "1\x00"}}):
        response = world.client.post("/api/projects", json=body, headers=auth)
        assert response.status_code == 422, (body, response.text)
        assert "U+0000" in response.json()["error"]["message"]
    listed = world.client.get("/api/projects", params={"limit": 200}, headers=auth).json()["items"]
    assert not {item["code"] for item in listed} & {"NUL-1", "NUL-2", "NUL-3"}
    typed_out = json.dumps({"name": "办公楼 \\u0000 改造"}).encode()  # the six characters, not a NUL
    assert b"\\u0000" in typed_out and all("\x00" not in text for _, text in _body_strings(typed_out))
    schema = world.client.get("/openapi.json", headers=auth).json()["components"]["schemas"]["NewProject"]
    assert NO_NUL in _patterns(schema["properties"]["name"])
    assert schema["properties"]["figures"]["propertyNames"]["pattern"] == NO_NUL
    assert NO_NUL in _patterns(schema["properties"]["figures"]["additionalProperties"])


def test_a_token_id_beyond_the_catalogs_integer_is_refused_not_a_server_error(world: World) -> None:
    response = world.client.delete(f"/api/tokens/{2**31}", headers=world.auth("admin"))
    assert response.status_code == 422, response.text  # PostgreSQL's INTEGER ends at 2**31 - 1
    assert world.client.delete(f"/api/tokens/{2**31 - 1}", headers=world.auth("admin")).status_code == 404


def test_markup_in_titles_and_file_names_is_escaped_in_the_ui(world: World) -> None:
    auth = world.auth("auditor")
    page = world.client.get(f"/documents/{world.xss_doc_id}", headers=auth)
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;" in page.text or "&lt;img" in page.text
    results = world.client.get("/search", params={"q": "监理通知单"}, headers=auth)
    assert results.status_code == 200 and "<script>alert" not in results.text and "<img src=x" not in results.text
    project = world.client.get("/projects/XM-2024-017", headers=auth)
    assert "<img src=x" not in project.text


def test_revoked_token_stops_working_at_once(world: World) -> None:
    accounts = world.client.app.state.service.accounts
    issued = accounts.issue_token("auditor-用户", "short-lived")
    auth = {"Authorization": f"Bearer {issued.token}"}
    assert world.client.get("/api/me", headers=auth).status_code == 200
    assert world.client.delete(f"/api/tokens/{issued.record.id}", headers=world.auth("admin")).status_code == 200
    again = world.client.get("/api/me", headers=auth)
    assert again.status_code == 401 and again.json()["error"]["code"] == "authentication_failed"
    assert world.client.get("/api/me", headers={"Authorization": "Bearer jd_forged_token"}).status_code == 401


def test_session_cookie_flags_and_csrf_on_form_posts(world: World, tmp_path) -> None:
    browser = world.browser()
    login = browser.post("/login", data={"username": "archivist-用户", "password": PASSWORD, "next": "//evil.example"},
                         follow_redirects=False)
    assert login.status_code == 303 and login.headers["location"] == "/"  # no open redirect: home instead
    cookie = login.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("samesite", "SameSite")
    form = browser.get("/upload")
    assert form.status_code == 200
    csrf = form.text.split('name="csrf" value="')[1].split('"')[0]
    pdf = write_pdf(tmp_path / "表单上传.pdf", ["隐蔽工程验收记录 表单上传"])
    files = [("files", (pdf.name, pdf.read_bytes(), "application/pdf"))]
    refused = browser.post("/upload", files=files, data={"project": "XM-2024-017"}, follow_redirects=False)
    assert refused.status_code == 403
    accepted = browser.post("/upload", files=files, data={"project": "XM-2024-017", "csrf": csrf},
                            follow_redirects=False)
    assert accepted.status_code == 303 and accepted.headers["location"].startswith("/tasks/")
    assert browser.post("/logout", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    assert browser.get("/api/me").status_code == 401  # the session was revoked, not just forgotten


def test_login_is_rate_limited(world: World) -> None:
    accounts = world.client.app.state.service.accounts
    accounts.add_user("限速测试", "auditor", PASSWORD)
    statuses = [world.client.post("/login", data={"username": "限速测试", "password": "wrong-wrong"}).status_code
                for _ in range(accounts.max_failures + 1)]
    assert statuses[:accounts.max_failures] == [401] * accounts.max_failures
    assert statuses[-1] == 429
    right = world.client.post("/login", data={"username": "限速测试", "password": PASSWORD}, follow_redirects=False)
    assert right.status_code == 429, "even the right password waits out the window"


def test_accesses_are_on_the_audit_trail_and_tampering_is_detected(world: World) -> None:
    admin = world.auth("admin")
    world.client.get(f"/api/documents/{world.doc_id}/original", headers=world.auth("auditor"))
    entries = world.client.get("/api/audit", params={"action": "original.download", "actor": "auditor-用户"},
                               headers=admin).json()
    assert entries["total"] >= 1 and entries["items"][0]["target"] == world.doc_id
    before = entries["total"]
    world.client.get(f"/api/documents/{world.doc_id}/original", headers=world.auth("auditor"))
    after = world.client.get("/api/audit", params={"action": "original.download", "actor": "auditor-用户"},
                             headers=admin).json()["total"]
    assert after == before + 1, "one audit entry per download, not two"
    history = world.client.app.state.service.show(world.doc_id).events
    assert any(e.kind == "original_read" and e.detail.get("user") == "auditor-用户" for e in history), \
        "an API download is in the document's own history too"
    for action in ("upload", "search", "document.view", "admin.token_revoke"):
        assert world.client.get("/api/audit", params={"action": action}, headers=admin).json()["total"] >= 1, action
    assert world.client.get("/api/audit/verify", headers=admin).json()["valid"] is True

    with pytest.raises(DatabaseError, match="append-only"):
        rows(world.home, "UPDATE audit_log SET actor = 'nobody' WHERE seq = 1")  # the honest path refuses
    on = "" if catalog_url(world.home).startswith("sqlite") else " ON audit_log"
    rows(world.home, f"DROP TRIGGER audit_log_no_update{on}")
    rows(world.home, "UPDATE audit_log SET detail = '{}' WHERE seq = 2")
    report = world.client.get("/api/audit/verify", headers=admin).json()
    assert report["valid"] is False
    assert any(p.startswith("entry 2:") for p in report["problems"])


def test_an_api_error_also_says_it_in_chinese_for_the_person_shown_it(world: World) -> None:
    """API clients that show errors to people (the UI's scripts, a portal) get the catalogue's
    sentence beside the developer's message.
    """
    missing = "0" * 32
    response = world.client.get(f"/api/documents/{missing}", headers=world.auth("auditor"))
    body = response.json()["error"]
    assert response.status_code == 404 and body["code"] == "document_not_found", body
    assert body["text"] == f"找不到编号为 {missing} 的文件。"
    assert body["message"] != body["text"]
