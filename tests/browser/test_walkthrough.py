"""The archive room in a real browser: log in → search 设计变更 → open a document → correct its class
in the review queue → export the project's handover bundle; and uploading by drag and drop.

A screenshot of every page lands in ``var/test-artifacts/browser/``.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from tests.browser.conftest import Site
from tests.files import write_pdf

pytestmark = pytest.mark.browser
MARKUP_NAME = "<img src=x onerror=window.__xss=1>监理日志-拖放.txt"  # no '"': browsers percent-encode it in names
LONG = 180_000  # ms: the handover of ~280 documents on a busy 2-core machine


def _log_in(page, site: Site) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{site.base_url}/")
    assert "/login" in page.url, "an anonymous visitor is sent to the login page"
    page.fill("input[name=username]", site.username)
    page.fill("input[name=password]", site.password)
    page.click("button:has-text('登录')")
    page.wait_for_url(re.compile(r"/$"))


def _search_and_open(page, site: Site, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{site.base_url}/search")
    page.fill("input[name=q]", "设计变更")
    page.click("form.search button[type=submit]")
    page.wait_for_url(re.compile(r"/search\?q="))
    count = int(re.search(r"共 (\d+) 份文件", page.inner_text("p.count")).group(1))
    assert count > 0
    assert page.locator("ol.hits mark").count() > 0, "matches are highlighted"
    page.screenshot(path=artifacts / "02-search.png", full_page=True)

    first = page.locator("ol.hits li a").first
    title = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/documents/[0-9a-f]+$"))
    assert page.inner_text("h1") == title
    assert page.locator("dl.facts").inner_text().count("SHA-256") == 1
    page.screenshot(path=artifacts / "03-document.png", full_page=True)


def _correct_first_in_review_queue(page, site: Site, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{site.base_url}/projects/{site.project}/review")
    before = int(re.search(r"待审核或未归类 (\d+) 份", page.inner_text("p.count")).group(1))
    assert before > 0, "the sample project has documents to review"
    row = page.locator("table.review tbody tr").first
    doc_id = row.get_attribute("data-doc")
    assert row.locator("ol.candidates li").count() >= 2, "the review page offers candidates to pick from"
    current = row.locator("select[name=class_code]").input_value()
    target = "C1" if current != "C1" else "C2"
    page.screenshot(path=artifacts / "04-review-queue.png", full_page=True)
    row.locator("select[name=class_code]").select_option(target)
    row.locator("button.correct").click()
    page.wait_for_url(re.compile(r"/review$"))
    after = int(re.search(r"待审核或未归类 (\d+) 份", page.inner_text("p.count")).group(1))
    assert after == before - 1 and page.locator(f"tr[data-doc='{doc_id}']").count() == 0
    page.screenshot(path=artifacts / "05-review-corrected.png", full_page=True)
    page.goto(f"{site.base_url}/documents/{doc_id}")
    filing = page.locator("dl.facts").inner_text()
    assert target in filing and "待审核" not in filing
    assert "人工归类" in page.locator("table.history").inner_text()


def _export_and_download_bundle(page, site: Site, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{site.base_url}/projects/{site.project}/completeness")
    assert page.locator("#completeness").is_visible()
    page.screenshot(path=artifacts / "06-project-completeness.png", full_page=True)
    page.goto(f"{site.base_url}/projects/{site.project}")
    page.click("#handover")
    page.wait_for_url(re.compile(r"/tasks/[0-9a-f]{32}$"))
    page.wait_for_selector("#bundle", timeout=LONG)  # the task page reloads itself until done
    page.screenshot(path=artifacts / "07-handover-done.png", full_page=True)
    with page.expect_download(timeout=LONG) as waiting:
        page.click("#bundle")
    bundle = artifacts / "handover-bundle.zip"
    waiting.value.save_as(bundle)
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        assert archive.testzip() is None
    assert any(name.endswith("/bagit.txt") for name in names), names[:10]
    assert sum(name.endswith((".pdf", ".docx", ".xlsx")) for name in names) > 100


def test_search_open_correct_and_export(browser, site: Site, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(accept_downloads=True, locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{site.base_url}/login")
        page.screenshot(path=artifacts / "01-login.png", full_page=True)
        _log_in(page, site)
        _search_and_open(page, site, artifacts)
        _correct_first_in_review_queue(page, site, artifacts)
        _export_and_download_bundle(page, site, artifacts)
    finally:
        context.close()


def test_drag_and_drop_upload_shows_each_file(browser, site: Site, artifacts: Path,  # type: ignore[no-untyped-def]
                                              tmp_path: Path) -> None:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        _log_in(page, site)
        page.goto(f"{site.base_url}/upload")
        assert page.locator("#dropzone").is_visible(), "with JavaScript the drop zone appears"
        pdf = write_pdf(tmp_path / "施工日志-拖放.pdf", ["施工日志", "天气：晴", "今日完成三层顶板混凝土浇筑"])
        page.set_input_files("input[type=file]", str(pdf))
        # a file dropped onto the zone, as a person drags it from the desktop
        page.evaluate("""(NAME) => {
            const data = new DataTransfer();
            data.items.add(new File(["监理日志\\n今日巡视：脚手架连墙件缺失，已通知整改"], NAME, {type: "text/plain"}));
            const zone = document.getElementById("dropzone");
            zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: data, bubbles: true, cancelable: true}));
            zone.dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true, cancelable: true}));
        }""", MARKUP_NAME)
        assert page.locator("#chosen li").count() == 2
        page.select_option("select[name=project]", site.project)
        page.click("form#upload-form button[type=submit]")
        page.wait_for_selector("#upload-status[data-done=true]", timeout=LONG)
        assert page.url.endswith("/upload"), "no page load: the script posted the files itself"
        assert page.locator("#upload-progress").get_attribute("value") == "100"
        rows = page.locator("#upload-results tbody tr")
        assert rows.count() == 2
        names = rows.locator("td:first-child").all_inner_texts()
        assert sorted(names) == sorted(["施工日志-拖放.pdf", MARKUP_NAME]), "markup in a name is shown as text"
        assert rows.locator("a[href^='/documents/']").count() == 2
        page.wait_for_timeout(500)  # an injected <img> would have failed to load and fired onerror by now
        assert page.evaluate("window.__xss") is None, "a file name never runs as script"
        page.screenshot(path=artifacts / "08-upload-drag-and-drop.png", full_page=True)
    finally:
        context.close()


def test_upload_without_javascript_posts_the_plain_form(browser, site: Site, artifacts: Path,  # type: ignore[no-untyped-def]
                                                        tmp_path: Path) -> None:
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    try:
        _log_in(page, site)
        page.goto(f"{site.base_url}/upload")
        assert not page.locator("#dropzone").is_visible()
        pdf = write_pdf(tmp_path / "材料进场验收-无脚本.pdf", ["材料进场验收记录", "钢筋 HRB400 合格"])
        page.set_input_files("input[type=file]", str(pdf))
        page.click("form#upload-form button[type=submit]")
        page.wait_for_url(re.compile(r"/tasks/[0-9a-f]{32}$"))
        for _ in range(60):  # without JS the task page refreshes through <meta refresh>; poll it ourselves
            if page.locator("#task-state[data-state=done]").count():
                break
            page.wait_for_timeout(1000)
            page.reload()
        assert "材料进场验收-无脚本.pdf" in page.locator("table.list").inner_text()
        page.screenshot(path=artifacts / "09-upload-without-javascript.png", full_page=True)
    finally:
        context.close()
