"""The disclosure page in a real browser, and the published index.html printed at A4.

A generated project with personal data planted in its documents is ingested into the served
archive under its own code; an archivist drafts, adds a redaction and reviews; an approver
approves; the archivist publishes. The published index.html is then opened on its own and printed
to PDF at A4, each page rendered to PNG: the 公告栏 copy. Screenshots and the PDF land in
``var/test-artifacts/browser/`` (21-… onwards).
"""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2
import pytest

from core import ArchiveService, Settings
from samples.oversight import generate_oversight_projects
from samples.personal_data import plant_personal_data
from schemas.ingest import IngestRequest
from tests.browser.conftest import Site

pytestmark = pytest.mark.browser
CODE = "DS-2025-018"
PASSWORD = "浏览器测试口令-2025"
ARCHIVIST, APPROVER = "档案员-浏览器", "审批人-浏览器"
A4_POINTS = (595.0, 842.0)
VIEWPORT = {"width": 1366, "height": 768}


@pytest.fixture(scope="module")
def planted(site: Site, tmp_path_factory: pytest.TempPathFactory) -> list:  # type: ignore[type-arg]
    source = tmp_path_factory.mktemp("disclosure-browser")
    scenario = generate_oversight_projects(source, {CODE: "clean"}, seed=21)[CODE]
    values = plant_personal_data(source / CODE, seed=21, project_name=scenario.name, owner=scenario.owner)
    with ArchiveService(Settings(home=site.home)) as service:
        report = service.ingest(IngestRequest(paths=[source / CODE], project=CODE))
        assert report.counts.quarantined == 0
        service.accounts.add_user(ARCHIVIST, "archivist", PASSWORD)
        service.accounts.add_user(APPROVER, "approver", PASSWORD)
    return values


def _logged_in(browser, site: Site, username: str, viewport: dict[str, int] = VIEWPORT):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="zh-CN", viewport=viewport)
    page = context.new_page()
    page.goto(f"{site.base_url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('登录')")
    page.wait_for_url(re.compile(r"/$"))  # signed in: the dashboard
    return context, page


def _page_as(browser, site: Site, username: str):  # type: ignore[no-untyped-def]
    context, page = _logged_in(browser, site, username)
    page.goto(f"{site.base_url}/projects/{CODE}/disclosure")
    return context, page


def _state(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator("#state .badge").get_attribute("data-state")


def _draft_redact_review(browser, site: Site, artifacts: Path, planted: list) -> None:  # type: ignore[no-untyped-def,type-arg]
    context, page = _page_as(browser, site, ARCHIVIST)
    try:
        assert "还没有公开草稿" in page.inner_text("main")
        page.click("#make-draft")
        page.wait_for_selector("#state")
        assert _state(page) == "draft"
        kinds = page.locator("#redactions tbody tr").evaluate_all("rows => rows.map(r => r.dataset.kind)")
        assert {"id_number", "mobile", "bank_account"} <= set(kinds)
        hidden = page.inner_text("#redactions table")
        for value in planted:
            if value.kind in ("id_number", "mobile", "bank_account"):
                assert value.value in hidden, "the reviewer sees what was hidden"
        frame = page.frame_locator("iframe.preview")
        assert "草稿 · 未经批准 · 不得公开" in frame.locator("body").inner_text()
        page.screenshot(path=artifacts / "21-disclosure-draft.png")
        page.fill("form.add-redaction input[name=text]", "华信工程监理咨询有限公司")
        page.fill("form.add-redaction input[name=reason]", "依申请公开")
        page.click("#add-redaction")
        page.wait_for_selector("#redactions tr[data-kind=manual]")
        assert ARCHIVIST in page.inner_text("#redactions tr[data-kind=manual]")
        page.click("#step-review")
        page.wait_for_selector("#state .badge[data-state=reviewed]")
        assert page.locator("#step-approve").count() == 0, "an archivist is not offered approval"
        page.screenshot(path=artifacts / "22-disclosure-reviewed.png", full_page=True)
    finally:
        context.close()


def _approve(browser, site: Site, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    context, page = _page_as(browser, site, APPROVER)
    try:
        assert page.locator("#make-draft").count() == 0 and page.locator("#add-redaction").count() == 0
        page.click("#step-approve")
        page.wait_for_selector("#state .badge[data-state=approved]")
        page.screenshot(path=artifacts / "23-disclosure-approved.png")
    finally:
        context.close()


def _publish(browser, site: Site, artifacts: Path) -> str:  # type: ignore[no-untyped-def]
    context, page = _page_as(browser, site, ARCHIVIST)
    try:
        page.click("#step-publish")
        page.wait_for_selector("#state .badge[data-state=published]")
        assert re.search(r"sha256 [0-9a-f]{64}", page.inner_text("#state"))
        assert "已发布" in page.inner_text("#history")
        page.screenshot(path=artifacts / "24-disclosure-published.png", full_page=True)
        return page.locator("#preview a", has_text="在新窗口打开").get_attribute("href")
    finally:
        context.close()


def _print_a4(browser, site: Site, artifacts: Path, href: str, planted: list) -> None:  # type: ignore[no-untyped-def,type-arg]
    context, page = _logged_in(browser, site, ARCHIVIST, {"width": 794, "height": 1123})  # A4 at 96 dpi
    try:
        page.goto(f"{site.base_url}{href}")
        assert page.locator("link[rel=stylesheet], script, img").count() == 0, "no external asset, no image"
        page.emulate_media(media="print")
        page.screenshot(path=artifacts / "25-disclosure-index-print.png", full_page=True)
        pdf_path = artifacts / "disclosure-index-a4.pdf"
        page.pdf(path=str(pdf_path), format="A4", print_background=True, prefer_css_page_size=True)
    finally:
        context.close()
    document = pypdfium2.PdfDocument(str(pdf_path))
    printed = ""
    for index in range(len(document)):
        sheet = document[index]
        width, height = sheet.get_size()
        assert abs(width - A4_POINTS[0]) < 2 and abs(height - A4_POINTS[1]) < 2, (index, width, height)
        printed += sheet.get_textpage().get_text_range()
        if index < 2:
            sheet.render(scale=1.4).to_pil().save(artifacts / f"26-disclosure-a4-page{index + 1}.png")
    document.close()
    compact = re.sub(r"\s", "", printed)
    assert "招标投标信息" in compact and "中标人" in compact and "中标价" in compact
    assert "本类暂无公开信息" in compact and "草稿" not in compact
    for value in planted:
        assert re.sub(r"[\s-]", "", value.value) not in re.sub(r"[\s-]", "", printed), value.kind


def test_disclosure_page_workflow_and_the_printed_notice(browser, site: Site, artifacts: Path,  # type: ignore[no-untyped-def]
                                                         planted: list) -> None:  # type: ignore[type-arg]
    _draft_redact_review(browser, site, artifacts, planted)
    _approve(browser, site, artifacts)
    href = _publish(browser, site, artifacts)
    _print_a4(browser, site, artifacts, href, planted)
