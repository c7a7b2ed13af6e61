"""Search extras over HTTP: export to CSV/XLSX, saved searches, "more like this"; and the upload page's JS."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

from openpyxl import load_workbook

from tests.api.conftest import World


def test_export_csv_has_every_match_with_chinese_titles(world: World) -> None:
    response = world.client.get("/api/search/export", params={"q": "设计变更", "format": "csv"},
                                headers=world.auth("auditor"))
    assert response.status_code == 200, response.text
    assert response.content.startswith("\ufeff".encode()), "a BOM, so Excel reads the Chinese"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "文件标识"
    assert any(row[0] == world.doc_id and "设计变更" in row[1] for row in rows[1:])
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    trail = world.client.get("/api/audit", params={"action": "export", "actor": "auditor-用户"},
                             headers=world.auth("admin")).json()["items"]
    assert trail[0]["detail"]["what"] == "search results" and trail[0]["detail"]["format"] == "csv"
    assert trail[0]["detail"]["via"] == "token", "the API's own entry (with the client), not the CLI's"


def test_export_xlsx_opens_as_a_workbook(world: World) -> None:
    response = world.client.get("/api/search/export", params={"q": "监理通知单"}, headers=world.auth("auditor"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "检索结果"
    ids = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert world.xss_doc_id in ids


def test_export_refuses_a_bad_format_and_a_broken_query(world: World) -> None:
    auth = world.auth("auditor")
    assert world.client.get("/api/search/export", params={"q": "设计", "format": "pdf"},
                            headers=auth).status_code == 422
    broken = world.client.get("/api/search/export", params={"q": "设计 AND ("}, headers=auth)
    assert broken.status_code == 400 and "expected a term" in broken.json()["error"]["message"]


def test_saved_searches_round_trip_and_only_the_author_removes(world: World) -> None:
    auditor, archivist = world.auth("auditor"), world.auth("archivist")
    created = world.client.post("/api/saved-searches", headers=auditor,
                                json={"name": "变更单-全部", "query": {"text": "设计变更", "project": "XM-2024-017"}})
    assert created.status_code == 201, created.text
    assert created.json()["created_by"] == "auditor-用户"
    listing = world.client.get("/api/saved-searches", headers=archivist).json()
    assert listing["total"] >= 1 and "变更单-全部" in [s["name"] for s in listing["items"]]
    run = world.client.get(f"/api/saved-searches/{quote('变更单-全部')}/results", headers=archivist).json()
    assert world.doc_id in [hit["id"] for hit in run["hits"]]
    assert world.client.delete(f"/api/saved-searches/{quote('变更单-全部')}", headers=archivist).status_code == 403
    assert world.client.delete(f"/api/saved-searches/{quote('变更单-全部')}", headers=auditor).status_code == 200
    missing = world.client.get(f"/api/saved-searches/{quote('变更单-全部')}/results", headers=auditor)
    assert missing.status_code == 404


def test_a_malformed_query_is_not_saved(world: World) -> None:
    response = world.client.post("/api/saved-searches", headers=world.auth("auditor"),
                                 json={"name": "坏的", "query": {"text": '"未闭合'}})
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_query"
    assert "坏的" not in [s.name for s in world.client.app.state.service.saved_searches.list().searches]


def test_more_like_this_finds_the_other_change_notice_not_itself(world: World, tmp_path) -> None:
    from tests.api.conftest import upload
    from tests.files import write_pdf

    twin = write_pdf(tmp_path / "设计变更通知单-二.pdf",
                     ["设计变更通知单", "工程名称：市民服务中心", "变更内容：外墙保温改为岩棉板，增加防火隔离带"])
    world.wait(upload(world, [(twin.name, twin.read_bytes())]).json()["id"])
    similar = world.client.get(f"/api/documents/{world.doc_id[:10]}/similar", headers=world.auth("auditor")).json()
    ids = [hit["id"] for hit in similar["hits"]]
    assert world.doc_id not in ids and ids, similar
    assert world.client.get("/api/documents/0123456789abcdef/similar",
                            headers=world.auth("auditor")).status_code == 404


def test_search_page_offers_export_and_saving(world: World) -> None:
    page = world.client.get("/search", params={"q": "设计变更", "project": "XM-2024-017"}, headers=world.auth("auditor"))
    assert page.status_code == 200
    assert "/api/search/export?q=" in page.text and "format=xlsx" in page.text
    assert 'action="/saved-searches"' in page.text
    saved = world.client.post("/saved-searches", headers=world.auth("auditor"), follow_redirects=False,
                              data={"name": "<b>表单</b>检索", "q": "设计变更", "project": "XM-2024-017"})
    assert saved.status_code == 303 and saved.headers["location"].startswith("/search?q=")
    again = world.client.get("/search", headers=world.auth("auditor"))
    assert "&lt;b&gt;表单&lt;/b&gt;检索" in again.text and "<b>表单</b>" not in again.text


def test_upload_page_works_without_javascript_and_loads_the_drop_script(world: World) -> None:
    page = world.client.get("/upload", headers=world.auth("archivist"))
    assert 'action="/upload"' in page.text and 'enctype="multipart/form-data"' in page.text
    assert 'src="/static/upload.js"' in page.text and 'id="dropzone" hidden' in page.text
    script = world.client.get("/static/upload.js")
    assert script.status_code == 200 and "/api/uploads" in script.text and "X-CSRF-Token" in script.text
