"""Oversight over HTTP: the report contract, facts with evidence, corrections, the 审计底稿 download,
the agency scan and the pages — each call on the audit trail with the caller.
"""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.api.conftest import World, upload
from tests.files import write_pdf

pytestmark = pytest.mark.integration
PROJECT = "XM-OVERSIGHT"


@pytest.fixture(scope="module")
def project(world: World, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    base = tmp_path_factory.mktemp("oversight-api")
    award = write_pdf(base / "中标通知书.pdf", ["中标通知书", "江城第三建筑工程有限公司：", "确定你方为中标人。",
                                                 "中标价：¥12,864,500.00", "工期：221日历天", "招标人（盖章） 日期：2024年3月26日"])
    contract = write_pdf(base / "施工合同.pdf", ["建设工程施工合同", "发包人：市机关事务管理局", "承包人：江城第三建筑工程有限公司",
                                                "签约合同价为：¥12,964,500.00", "工期总日历天数：221天", "签订日期：2024年3月30日"])
    from schemas.projects import NewProject

    projects = world.client.app.state.service.projects
    if not projects.exists(PROJECT):  # an upload goes into a project that exists
        projects.add(NewProject(code=PROJECT, name="监督楼"), who="tests")
    response = upload(world, [(award.name, award.read_bytes()), (contract.name, contract.read_bytes())], project=PROJECT)
    assert response.status_code == 202, response.text
    task = world.wait(response.json()["id"])
    assert task["state"] == "done", task
    return {line["path"]: line["document_id"] for line in task["report"]["files"]}


def test_report_is_the_contract_and_flags_name_their_documents(world: World, project: dict[str, str]) -> None:
    response = world.client.get(f"/api/projects/{PROJECT}/oversight", headers=world.auth("auditor"))
    assert response.status_code == 200, response.text
    data = response.json()
    assert set(data) == {"project", "ledger", "changes", "flags"}
    assert data["ledger"]["bid_price"] == 12864500.0 and data["ledger"]["contract_price"] == 12964500.0
    c06 = next(flag for flag in data["flags"] if flag["check"] == "C06")
    assert set(c06["documents"]) == {project["中标通知书.pdf"], project["施工合同.pdf"]}
    assert c06["values"]["difference"] == 100000.0 and c06["severity"] == "high"
    trail = world.client.get("/api/audit?action=oversight.view", headers=world.auth("auditor")).json()
    assert trail["items"][0]["actor"] == "auditor-用户" and trail["items"][0]["target"] == PROJECT


def test_facts_carry_their_evidence(world: World, project: dict[str, str]) -> None:
    facts = world.client.get(f"/api/projects/{PROJECT}/oversight/facts", headers=world.auth("admin")).json()
    contract = next(doc for doc in facts["documents"] if doc["document_id"] == project["施工合同.pdf"])
    price = next(fact for fact in contract["facts"] if fact["name"] == "contract_price")
    assert price["value"] == 12964500.0 and price["evidence"]["page"] == 1 and "签约合同价" in price["evidence"]["passage"]


def test_a_correction_is_kept_with_its_reason(world: World, project: dict[str, str]) -> None:
    body = {"document_id": project["施工合同.pdf"], "name": "contract_price", "value": "12864500.00",
            "reason": "合同专用条款载明的签约价为准"}
    response = world.client.post(f"/api/projects/{PROJECT}/oversight/corrections", json=body, headers=world.auth("auditor"))
    assert response.status_code == 201, response.text
    assert response.json()["who"] == "auditor-用户"
    data = world.client.get(f"/api/projects/{PROJECT}/oversight", headers=world.auth("auditor")).json()
    assert data["ledger"]["contract_price"] == 12864500.0 and "C06" not in {f["check"] for f in data["flags"]}
    bad = world.client.post(f"/api/projects/{PROJECT}/oversight/corrections", headers=world.auth("auditor"),
                            json={"name": "contract_price", "value": "abc", "reason": "理由"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "input_error"


def test_workpaper_and_agency(world: World, project: dict[str, str]) -> None:
    response = world.client.get(f"/api/projects/{PROJECT}/oversight/workpaper", headers=world.auth("auditor"))
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    assert load_workbook(io.BytesIO(response.content)).sheetnames[:3] == ["资金链台账", "变更签证", "疑点清单"]
    agency = world.client.get("/api/oversight", headers=world.auth("auditor")).json()
    assert agency["projects"] >= 2 and any(row["contractor"] == "江城第三建筑工程有限公司" for row in agency["contractors"])
    assert world.client.get("/api/projects/没有这个项目/oversight", headers=world.auth("auditor")).status_code == 404


def test_pages_show_the_flags_and_mark_the_evidence(world: World, project: dict[str, str]) -> None:
    page = world.client.get(f"/projects/{PROJECT}/oversight", headers=world.auth("admin"))
    assert page.status_code == 200 and "资金链台账" in page.text and 'class="waterfall"' in page.text
    evidence = world.client.get(f"/projects/{PROJECT}/oversight/documents/{project['施工合同.pdf']}",
                                headers=world.auth("admin"))
    assert evidence.status_code == 200 and '<mark id="f0">' in evidence.text
    markup = world.client.get(f"/projects/XM-2024-017/oversight/documents/{world.xss_doc_id}", headers=world.auth("admin"))
    assert markup.status_code in (200, 404) and "<script>alert" not in markup.text
