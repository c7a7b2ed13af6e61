"""The review queue over HTTP and in the UI: what is listed, accept, correct, and the dashboard."""

from __future__ import annotations

import re

from schemas.projects import NewProject
from tests.api.conftest import World, upload
from tests.files import write_pdf

PROJECT = "审核-2024"


def _fresh_project(world: World, tmp_path) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A project of its own (tests share the world): a clear document and an unreadable-ish one."""
    clear = write_pdf(tmp_path / "隐蔽工程验收记录.pdf", ["隐蔽工程验收记录", "工程名称：审核楼", "验收结论：合格"])
    vague = write_pdf(tmp_path / "杂项说明.pdf", ["说明", "其他事项另行通知"])
    projects = world.client.app.state.service.projects
    if not projects.exists(PROJECT):
        projects.add(NewProject(code=PROJECT, name="审核楼"), who="tests")
    response = upload(world, [(clear.name, clear.read_bytes()), (vague.name, vague.read_bytes())], project=PROJECT)
    task = world.wait(response.json()["id"])
    return {line["path"]: line["document_id"] for line in task["report"]["files"]}


def test_queue_lists_unsure_documents_least_confident_first_and_accept_empties_it(world: World, tmp_path) -> None:
    ids = _fresh_project(world, tmp_path)
    service = world.client.app.state.service
    service.reclassify(ids["杂项说明.pdf"], "none", who="setup")  # not filed: must be in the queue
    with service.catalog.session() as session:  # and the other one flagged, as a low-confidence guess is
        from core.catalog import Document

        doc = session.get(Document, ids["隐蔽工程验收记录.pdf"])
        doc.class_code, doc.item_code, doc.confidence, doc.needs_review = "C5", None, 0.31, True
    auth = world.auth("archivist")
    queue = world.client.get(f"/api/projects/{PROJECT}/review", headers=auth).json()
    assert queue["total"] == 2
    assert [d["id"] for d in queue["items"]] == [ids["隐蔽工程验收记录.pdf"], ids["杂项说明.pdf"]], \
        "the 0.31 guess comes before the unfiled document"

    refused = world.client.post(f"/api/documents/{ids['杂项说明.pdf']}/accept", headers=auth)
    assert refused.status_code == 400 and "correct its class" in refused.json()["error"]["message"]

    accepted = world.client.post(f"/api/documents/{ids['隐蔽工程验收记录.pdf']}/accept", headers=auth)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["class_code"] == "C5" and accepted.json()["needs_review"] is False
    corrected = world.client.post(f"/api/documents/{ids['杂项说明.pdf']}/classification", headers=auth,
                                  json={"class_code": "C1"})
    assert corrected.status_code == 200 and corrected.json()["class_code"] == "C1"
    assert world.client.get(f"/api/projects/{PROJECT}/review", headers=auth).json()["total"] == 0
    record = service.show(ids["隐蔽工程验收记录.pdf"])
    assert record.classification.confidence == 1.0
    assert any(e.kind == "reclassified" and e.detail.get("who") == "archivist-用户" for e in record.events)
    trail = world.client.get("/api/audit", params={"action": "reclassify", "target": ids["隐蔽工程验收记录.pdf"]},
                             headers=world.auth("admin")).json()["items"]
    assert trail and trail[0]["detail"].get("accepted") is True


def test_auditors_see_the_queue_but_cannot_decide(world: World) -> None:
    auth = world.auth("auditor")
    assert world.client.get("/api/projects/XM-2024-017/review", headers=auth).status_code == 200
    assert world.client.post(f"/api/documents/{world.doc_id}/accept", headers=auth).status_code == 403
    page = world.client.get("/projects/XM-2024-017/review", headers=auth)
    assert page.status_code == 200 and "更正" not in page.text and "/accept" not in page.text


def test_unknown_project_queue_is_404(world: World) -> None:
    response = world.client.get("/api/projects/没有这个项目/review", headers=world.auth("auditor"))
    assert response.status_code == 404 and response.json()["error"]["code"] == "project_not_found"


def test_correcting_from_the_review_page_with_a_session_and_csrf(world: World, tmp_path) -> None:
    from tests.api.conftest import PASSWORD

    service = world.client.app.state.service
    service.reclassify(world.xss_doc_id, "none", who="setup")  # the markup-titled document is in the queue
    browser = world.browser()
    browser.post("/login", data={"username": "archivist-用户", "password": PASSWORD})
    page = browser.get("/projects/XM-2024-017/review")
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;" in page.text or "&lt;img" in page.text
    assert f'action="/documents/{world.xss_doc_id}/classification"' in page.text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    form = {"class_code": "B2", "item_code": "", "next": "/projects/XM-2024-017/review"}
    assert browser.post(f"/documents/{world.xss_doc_id}/classification", data=form,
                        follow_redirects=False).status_code == 403, "no CSRF token, no change"
    done = browser.post(f"/documents/{world.xss_doc_id}/classification", data={**form, "csrf": csrf},
                        follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/projects/XM-2024-017/review"
    assert service.show(world.xss_doc_id).classification.class_code == "B2"
    evil = browser.post(f"/documents/{world.xss_doc_id}/accept", data={"csrf": csrf, "next": "//evil.example"},
                        follow_redirects=False)
    assert evil.status_code == 303 and evil.headers["location"] == "/", "no open redirect: home instead"


def test_dashboard_shows_completeness_tallies(world: World) -> None:
    page = world.client.get("/projects/XM-2024-017/completeness", headers=world.auth("auditor"))
    assert page.status_code == 200
    report = world.client.get("/api/projects/XM-2024-017/completeness", headers=world.auth("auditor")).json()
    missing = sum(1 for item in report["items"] if item["status"] == "missing")
    assert missing > 0, "two documents cannot make a complete archive"
    tally = re.search(r'class="missing">缺少 <b>(\d+)</b>', page.text)
    assert tally and int(tally.group(1)) == missing
    for label in ("已齐全", "不适用", "已豁免"):
        assert label in page.text
    assert "<img src=x" not in page.text


def test_the_review_page_offers_the_top_three_candidates_to_pick_from(world: World, tmp_path) -> None:
    from tests.api.conftest import PASSWORD

    form = write_pdf(tmp_path / "报审.pdf", ["单位工程验收申请表", "致：某工程咨询公司项目监理机构",
                                               "我方已完成单位工程施工，经三级自检合格，请予以验收。", "承包单位（章） 项目经理："])
    projects = world.client.app.state.service.projects
    if not projects.exists("候选-2024"):
        projects.add(NewProject(code="候选-2024", name="候选楼"), who="tests")
    task = world.wait(upload(world, [(form.name, form.read_bytes())], project="候选-2024").json()["id"])
    doc_id = task["report"]["files"][0]["document_id"]
    service = world.client.app.state.service
    with service.catalog.session() as session:  # flag it, as a low-confidence guess is
        from core.catalog import Document

        session.get(Document, doc_id).needs_review = True
    queue = world.client.get("/api/projects/候选-2024/review", headers=world.auth("archivist")).json()
    item = queue["items"][0]
    assert item["id"] == doc_id and len(item["candidates"]) == 3
    assert item["candidates"][0]["class_code"] == item["class_code"] == "C8"
    assert all(c["reasons"] for c in item["candidates"])
    browser = world.browser()
    browser.post("/login", data={"username": "archivist-用户", "password": PASSWORD})
    page = browser.get("/projects/候选-2024/review")
    assert page.text.count('class="pick"') >= 2 and "候选类别" in page.text
    second = item["candidates"][1]
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    picked = browser.post(f"/documents/{doc_id}/classification", follow_redirects=False,
                          data={"csrf": csrf, "class_code": second["class_code"] or "none",
                                "item_code": second["item_code"] or "", "next": "/projects/候选-2024/review"})
    assert picked.status_code == 303
    assert service.show(doc_id).classification.class_code == second["class_code"]
