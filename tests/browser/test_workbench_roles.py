"""Every workbench page, for each of the four roles, in real headless Chromium at 1366×768.

Each page is checked the way a reviewer looks at it: no sideways scrolling, no ``\\u`` escapes, no
raw JSON, no English status or action codes in what is visible; a screenshot of each goes to
``var/test-artifacts/browser/roles/``. Each role also does its own work: the archivist creates a
project, files an INBOX document into it, corrects a record, sets 保管期限, re-files, moves and
confirms documents in bulk, renames and merges the new project, re-reads and clears the quarantine
desk; the auditor filters the audit trail by person, document and dates, verifies and exports it
and sees 利用记录; the asset manager reads 案卷目录 and exports statistics; the admin reads /docs
offline and error pages. Every role previews a DOCX and an XLSX on their document pages. What a step
changed is checked in the catalog through the API (``tests/browser/workbench_steps.py``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser import workbench_steps as steps
from tests.browser.conftest import PEOPLE, Site
from tests.browser.walk import Walk
from tests.files import write_pdf

pytestmark = pytest.mark.browser


def _common(walk: Walk, site: Site) -> str:
    """The pages every role reads; returns the id of a document of the sample project."""
    text = walk.visit("/", "dashboard")
    assert "档案室概览" in text and walk.page.locator("svg.chart").count() == 2, "charts drawn by the app"
    text = walk.visit(f"/projects/{site.project}", "project")
    assert "市机关办公楼节能改造工程" in text and f"{site.project}-A1-001-0001" in text
    walk.page.click("nav.tree a.sub >> nth=3")
    walk.page.wait_for_load_state("load")
    walk.check("project-subclass")
    walk.page.select_option("select[name=sort]", "date")
    walk.page.check("input[name=desc]")
    walk.page.click("form.filters button[type=submit]")
    walk.page.wait_for_load_state("load")
    dates = [d for d in walk.page.locator("table.docs tbody td:nth-child(4)").all_inner_texts() if d]
    assert dates == sorted(dates, reverse=True), "newest first"
    walk.check("project-by-date")
    walk.visit(f"/projects/{site.project}/volumes", "volumes")
    walk.page.click("table.list tbody a >> nth=0")
    walk.page.wait_for_load_state("load")
    assert "案卷" in walk.check("volume-contents")
    walk.visit("/documents?date_from=2024-03-01&date_to=2024-03-31&sort=date", "browse-march")
    rows = walk.page.locator("table.docs tbody tr").count()
    assert rows > 0, "a date-only browse finds March's documents"
    link = walk.page.locator("table.docs tbody a[href^='/documents/']").first
    doc_id = link.get_attribute("href").rsplit("/", 1)[-1]
    walk.visit(f"/documents/{doc_id}", "document")
    assert "档号" in walk.page.inner_text("dl.facts") and "保管期限" in walk.page.inner_text("dl.facts")
    steps.office_previews(walk, site)
    walk.visit("/search?q=设计变更&sort=date", "search")
    walk.visit("/statistics", "statistics")
    walk.visit("/quarantine", "quarantine")
    walk.visit("/projects", "projects")
    walk.visit("/documents/not-a-document", "error-404", status=404)
    assert walk.page.locator("form.who button").count() == 1, "an error page keeps 退出"
    return doc_id


def _archivist_work(walk: Walk, site: Site, tmp_path: Path) -> str:
    """Project, upload, move, edit, bulk 保管期限; returns the id of the INBOX document filed into the new project."""
    page = walk.page
    walk.visit("/projects", "projects-new")
    page.fill("#new-project input[name=code]", "JD-2025-003")
    page.fill("#new-project input[name=name]", "市档案馆新馆建设工程")
    page.fill("#new-project input[name=owner]", "市档案局")
    page.click("#add-project")
    page.wait_for_url(re.compile(r"/projects/JD-2025-003$"))
    walk.check("project-created")
    walk.visit("/upload", "upload")  # the INBOX tray is the default; the file is then moved into the project
    write_pdf(tmp_path / "档案馆开工报告.pdf", ["工程开工报告", "工程名称：市档案馆新馆建设工程", "开工日期：2025年3月1日"])
    (tmp_path / "空白扫描.pdf").write_bytes(b"")
    page.set_input_files("input[type=file]", [str(tmp_path / "档案馆开工报告.pdf"), str(tmp_path / "空白扫描.pdf")])
    page.click("form#upload-form button[type=submit]")
    page.wait_for_selector("#upload-status[data-done=true]", timeout=180_000)
    walk.check("upload-done")
    page.click("#upload-results a:has-text('档案馆开工报告')")
    page.wait_for_load_state("load")
    assert "收件箱中的文件没有档号" in walk.check("inbox-document")
    page.click("#move summary")
    page.select_option("#move select[name=to]", "JD-2025-003")
    page.fill("#move input[name=reason]", "收件箱文件归入项目")
    page.click("#move-button")
    page.wait_for_load_state("load")
    facts = page.inner_text("dl.facts")
    assert "JD-2025-003-" in facts, "moved: the document has a 档号 in its new project"
    page.click("#edit summary")
    page.fill("#edit input[name=number]", "档开-2025-01")
    page.select_option("#edit select[name=secrecy]", "内部")
    page.fill("#edit input[name=reason]", "补录文件编号与密级")
    page.click("#save-edit")
    page.wait_for_load_state("load")
    assert "档开-2025-01" in page.inner_text("dl.facts") and "内部" in page.inner_text("dl.facts")
    history = page.inner_text("table.history")
    assert "移入其他项目" in history and "修改著录信息" in history and "补录文件编号与密级" in history
    walk.check("document-edited")
    inbox_doc = page.url.rsplit("/", 1)[-1]
    walk.visit(f"/projects/{site.project}?class_code=C1", "bulk-before")
    boxes = page.locator("table.docs tbody input[name=doc]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.select_option("select[name=action]", "retention")
    page.select_option("fieldset.bulk-actions select[name=retention]", "30年")
    page.click("fieldset.bulk-actions button")
    page.wait_for_selector("#bulk-result")
    assert "2 份" in walk.check("bulk-done")
    return inbox_doc


def _archivist_desk(walk: Walk, site: Site, inbox_doc: str) -> None:
    """Bulk re-filing, moving and confirming; the new project renamed and merged; the quarantine desk."""
    page = walk.page
    steps.bulk_reclassify(walk, site)
    moved = steps.bulk_move(walk, site, "JD-2025-003")
    steps.bulk_accept(walk, site)
    steps.rename_and_merge(walk, "JD-2025-003", [inbox_doc, *moved])
    steps.quarantine_reread(walk, "空白扫描.pdf")
    walk.visit("/quarantine", "quarantine-one")
    assert "空白扫描.pdf" in page.inner_text("table.list") and "空文件" in page.inner_text("table.list")
    page.click("button:has-text('不是档案文件')")
    page.wait_for_load_state("load")
    assert "空白扫描.pdf" not in walk.check("quarantine-cleared")


def _auditor_work(walk: Walk, site: Site, doc_id: str) -> None:
    page = walk.page
    text = walk.visit("/audit?action=search", "audit-searches")
    assert "检索 「设计变更」" in text, "an auditor reads what was searched"
    walk.visit("/audit/verify", "audit-verified")
    assert "审计链完好" in page.inner_text("#chain")
    with page.expect_download() as waiting:
        page.click("a:has-text('导出 Excel')")
    assert waiting.value.suggested_filename.endswith(".xlsx")
    steps.audit_filters(walk, site, doc_id, PEOPLE["auditor"])
    walk.visit(f"/documents/{doc_id}", "document-usage")
    assert "查看文件" in page.inner_text("body"), "利用记录 lists the views"
    walk.visit("/upload", "upload-forbidden", status=403)


def _admin_work(walk: Walk) -> None:
    page = walk.page
    page.goto(walk.site.base_url + "/docs")
    page.wait_for_selector(".swagger-ui .info", timeout=60_000)  # rendered from the installed assets
    page.screenshot(path=walk.folder / "admin-docs-offline.png")
    walk.visit("/no/such/page", "error-no-page", status=404)
    page.goto(walk.site.base_url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到正文", "keyboard: the skip link comes first"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('header') !== null"), "keyboard: then the navigation"


@pytest.mark.parametrize("role", ["archivist", "auditor", "asset_manager", "admin"])
def test_each_role_walks_the_workbench(browser, site: Site, artifacts: Path, role: str,  # type: ignore[no-untyped-def]
                                       tmp_path: Path) -> None:
    walk = Walk(browser, site, role, artifacts)
    try:
        doc_id = _common(walk, site)
        if role == "archivist":
            _archivist_desk(walk, site, _archivist_work(walk, site, tmp_path))
        elif role == "auditor":
            _auditor_work(walk, site, doc_id)
        elif role == "asset_manager":
            walk.visit(f"/projects/{site.project}", "project-export")
            assert walk.page.locator("#handover").count() == 1, "the asset manager exports handover bundles"
            steps.statistics_workbook(walk)
            walk.visit("/audit", "audit-forbidden", status=403)
        else:
            _admin_work(walk)
            walk.visit("/audit", "audit")
    finally:
        walk.close()
