"""The oversight pages in real Chromium: an auditor opens the agency-wide flags, a project's money chain
(waterfall drawn, change curve drawn, flags linked to their documents), a document with its passages
marked, corrects a ledger line, and downloads the 审计底稿. Screenshots at 1366×768 land in
``var/test-artifacts/browser/`` (oversight-*.png).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook

from core import ArchiveService, Settings
from samples.oversight import Scenario, generate_oversight_projects
from schemas.api import Role
from schemas.ingest import IngestRequest
from tests.browser.conftest import serving

pytestmark = pytest.mark.browser
PLAN = {"OVB-C12": "C12", "OVB-C06": "C06"}
PASSWORD = "审计口令-2025-安全"


@dataclass(frozen=True)
class OversightSite:
    base_url: str
    scenarios: dict[str, Scenario]


@pytest.fixture(scope="module")
def oversight_site(module_catalog: None, chromium_path: Path,
                   tmp_path_factory: pytest.TempPathFactory) -> Iterator[OversightSite]:
    base = tmp_path_factory.mktemp("oversight-browser")
    home = base / "档案室"
    scenarios = generate_oversight_projects(base / "收文", PLAN, seed=23)
    with ArchiveService(Settings(home=home)) as service:
        for code in PLAN:
            service.ingest(IngestRequest(paths=[base / "收文" / code], project=code))
        service.accounts.add_user("审计员甲", Role.AUDITOR, PASSWORD)
    with serving(home) as url:
        yield OversightSite(url, scenarios)


def _fits(page) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_an_auditor_walks_the_money_chain(browser, oversight_site: OversightSite, artifacts: Path,  # type: ignore[no-untyped-def]
                                          tmp_path: Path) -> None:
    context = browser.new_context(accept_downloads=True, locale="zh-CN", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    site = oversight_site
    try:
        page.goto(f"{site.base_url}/login?next=/oversight")
        page.fill("input[name=username]", "审计员甲")
        page.fill("input[name=password]", PASSWORD)
        page.click("button:has-text('登录')")
        page.wait_for_url(re.compile(r"/oversight$"))
        assert page.locator("table.agency-flags tr.flag").count() >= 2
        assert page.locator("table.agency-flags tr.flag[data-check=C12]").count() == 1
        assert _fits(page), "the agency page fits 1366 px"
        page.screenshot(path=artifacts / "oversight-1-agency.png", full_page=True)

        page.click("a[href='/projects/OVB-C12/oversight']")
        page.wait_for_url(re.compile(r"/projects/OVB-C12/oversight$"))
        scenario = site.scenarios["OVB-C12"]
        assert page.locator("#waterfall svg.waterfall rect.bar").count() >= 4, "the waterfall is drawn"
        assert page.locator("#waterfall svg line.budget").count() == 1, "against the 概算"
        assert page.locator("#change-curve svg circle.change").count() == len(scenario.changes)
        flag = page.locator("ol.flags li.flag[data-check=C12]")
        assert flag.count() == 1 and "占施工合同价" in flag.inner_text()
        links = flag.locator("a.evidence")
        assert links.count() == len(scenario.changes), "the flag links every change it counted"
        assert _fits(page), "the project page fits 1366 px"
        page.screenshot(path=artifacts / "oversight-2-project.png", full_page=True)

        target = links.first.get_attribute("href")
        links.first.click()
        page.wait_for_url(re.compile(re.escape(target) + "$"))
        assert page.locator("div.page mark").count() >= 2, "the passages the facts came from are marked"
        read = page.locator("table.facts-read").inner_text()
        assert re.search(r"(BG|QS|QZ)-\d{3}", read), "the change's number is among the facts read"
        page.screenshot(path=artifacts / "oversight-3-evidence.png", full_page=True)

        page.goto(f"{site.base_url}/projects/OVB-C12/oversight")
        page.select_option("form.correct select[name=name]", "approved_budget")
        page.fill("form.correct input[name=value]", "30000000")
        page.fill("form.correct input[name=reason]", "概算调整批复见纸质档案第3卷")
        page.click("form.correct button[type=submit]")
        page.wait_for_url(re.compile(r"/oversight#ledger$"))
        row = page.locator("tr[data-key=approved_budget]")
        assert "¥30,000,000.00" in row.inner_text() and "已更正" in row.inner_text()

        with page.expect_download() as waiting:
            page.click("#workpaper")
        book = tmp_path / "审计底稿.xlsx"
        waiting.value.save_as(book)
        assert load_workbook(book).sheetnames[:3] == ["资金链台账", "变更签证", "疑点清单"]
        page.screenshot(path=artifacts / "oversight-4-corrected.png", full_page=True)
    finally:
        context.close()
