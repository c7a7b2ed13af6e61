"""The archivist's, auditor's and asset manager's changing and exporting work in the role walks.

Each step does what a person does in the browser (tick rows, pick an action, fill a form, click a
download) and then asserts what the archive now holds through the HTTP API or the downloaded file,
not what the page says: after a bulk move the documents belong to the target project, after a
rename the old code answers 404, the statistics workbook opens with Chinese headers.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from tests.browser.conftest import Site
from tests.browser.walk import Walk

LOCAL = ZoneInfo("Asia/Shanghai")
CLASS_COLUMN = 5  # 选择, 档号, 题名, 日期, 类别 (the project page shows no project column)


def _tick(walk: Walk, rows: list[int]) -> list[str]:
    """Tick the given rows of the document table; their document ids."""
    boxes = walk.page.locator("table.docs tbody input[name=doc]")
    ids = []
    for n in rows:
        boxes.nth(n).check()
        ids.append(boxes.nth(n).get_attribute("value"))
    return ids


def _run_bulk(walk: Walk, action: str, value: str | None, name: str) -> str:
    page = walk.page
    page.select_option("fieldset.bulk-actions select[name=action]", action)
    if value is not None:
        page.select_option(f"fieldset.bulk-actions select[name={action}]", value)
    page.fill("fieldset.bulk-actions input[name=reason]", f"批量{name}测试")
    page.click("fieldset.bulk-actions button")
    page.wait_for_selector("#bulk-result")
    return walk.check(f"bulk-{name}")


def _record(walk: Walk, doc_id: str) -> dict:
    return walk.api(f"/api/documents/{doc_id}")


def bulk_reclassify(walk: Walk, site: Site) -> list[str]:
    """Two C documents re-filed under another C sub-class: both carry it, confirmed."""
    walk.visit(f"/projects/{site.project}?class_code=C", "bulk-reclassify-before")
    ids = _tick(walk, [2, 3])
    current = {_record(walk, i)["classification"]["class_code"] for i in ids}
    offered = walk.page.locator("fieldset.bulk-actions select[name=reclassify] option").evaluate_all(
        "options => options.map(o => o.value)")
    target = next(code for code in offered if code.startswith("C") and code not in current)
    assert "2 份" in _run_bulk(walk, "reclassify", target, "reclassify")
    for doc_id in ids:
        filing = _record(walk, doc_id)["classification"]
        assert filing["class_code"] == target and not filing["needs_review"], (doc_id, filing)
    return ids


def bulk_move(walk: Walk, site: Site, to: str) -> list[str]:
    """Two A documents moved to another project: the catalog says so, and they leave the old list."""
    walk.visit(f"/projects/{site.project}?class_code=A", "bulk-move-before")
    ids = _tick(walk, [0, 1])
    assert "2 份" in _run_bulk(walk, "move", to, "move")
    assert [_record(walk, i)["project"] for i in ids] == [to, to]
    walk.visit(f"/projects/{to}", "bulk-move-target")
    listed = walk.page.locator("table.docs tbody input[name=doc]").evaluate_all("boxes => boxes.map(b => b.value)")
    assert set(ids) <= set(listed), "the moved documents are listed in their new project"
    return ids


def bulk_accept(walk: Walk, site: Site) -> None:
    """Filed documents waiting for review, confirmed in one go: they leave the review queue."""
    walk.visit(f"/projects/{site.project}?review=yes&status=processed", "bulk-accept-before")
    classes = walk.page.locator(f"table.docs tbody td:nth-child({CLASS_COLUMN})").all_inner_texts()
    filed = [n for n, code in enumerate(classes) if code.strip() != "未归类"][:2]
    assert filed, "the sample project has filed documents waiting for review"
    ids = _tick(walk, filed)
    assert f"{len(ids)} 份" in _run_bulk(walk, "accept", None, "accept")
    assert not any(_record(walk, i)["classification"]["needs_review"] for i in ids)
    queue = walk.api(f"/api/projects/{site.project}/review?limit=200")
    assert not set(ids) & {d["id"] for d in queue["items"]}


def quarantine_reread(walk: Walk, name: str) -> None:
    """重新读取 on the quarantine desk reads the original again: a new reading is on the record;
    an empty file stays where it is, with its reason.
    """
    page = walk.page
    walk.visit("/quarantine", "quarantine-before-reread")
    row = page.locator("table.list tbody tr", has_text=name)
    doc_id = row.locator("a[href^='/documents/']").first.get_attribute("href").rsplit("/", 1)[-1]
    before = len(_record(walk, doc_id)["events"])
    row.locator("button:has-text('重新读取')").click()
    page.wait_for_url(re.compile(r"/quarantine\?reread="))
    assert name in walk.check("quarantine-reread")
    assert f"《{name}》已重新读取，仍无法读取" in page.locator("p.notice").inner_text(), "the desk says what came of it"
    after = _record(walk, doc_id)
    assert after["status"] == "quarantined" and len(after["events"]) > before, "the re-reading is on the record"


def rename_and_merge(walk: Walk, old: str, documents: list[str]) -> None:
    """Rename ``old`` to a new code, then merge it into a fresh project: each time the old code is gone
    and the documents follow.
    """
    page = walk.page
    renamed, merged = old[:-1] + "4", old[:-1] + "5"
    walk.visit(f"/projects/{old}/edit", "project-edit")
    page.fill("input[name=new_code]", renamed)
    _gone(walk, "#rename", old, renamed, documents)
    codes = {p["code"] for p in walk.api("/api/projects?limit=200")["items"]}
    assert renamed in codes and old not in codes
    walk.visit("/projects", "projects-merge-target")
    page.fill("#new-project input[name=code]", merged)
    page.fill("#new-project input[name=name]", "市档案馆新馆二期工程")
    page.click("#add-project")
    page.wait_for_url(re.compile(f"/projects/{merged}$"))
    walk.visit(f"/projects/{renamed}/edit", "project-merge")
    page.select_option("select[name=into]", merged)
    _gone(walk, "#merge", renamed, merged, documents)


def _gone(walk: Walk, button: str, old: str, new: str, documents: list[str]) -> None:
    """Click ``button``; the browser lands on ``new``, ``old`` is a 404, and the documents are in ``new``."""
    walk.page.click(button)
    walk.page.wait_for_url(re.compile(f"/projects/{new}$"))
    walk.check(f"project-{new}")
    walk.visit(f"/projects/{old}", f"project-{old}-gone", status=404)
    assert {_record(walk, i)["project"] for i in documents} == {new}


def office_previews(walk: Walk, site: Site) -> None:
    """A DOCX and an XLSX of the sample project previewed on their document page, as HTML in the frame."""
    listed = walk.api(f"/api/documents?project={site.project}&status=processed&limit=200")["items"]
    for fmt in ("docx", "xlsx"):
        doc = next((d for d in listed if d["format"] == fmt), None)
        assert doc is not None, f"the sample project has a {fmt} document"
        walk.visit(f"/documents/{doc['id']}", f"preview-{fmt}")
        frame = walk.page.frame_locator("iframe.preview")
        body = frame.locator("article")
        body.wait_for()
        text = body.inner_text()
        assert len(text.strip()) > 20 and re.search(r"[\u4e00-\u9fff]", text), (fmt, text[:200])
        if fmt == "xlsx":
            assert frame.locator("article table td").count() > 4, "a sheet is shown as a table"


def statistics_workbook(walk: Walk) -> None:
    """统计报表 exported: the workbook opens, its sheets and headers are Chinese, the counts add up."""
    text = walk.visit("/statistics", "statistics-export")
    kept = walk.download("a:has-text('导出 Excel')", "statistics")
    book = load_workbook(kept, read_only=True)
    assert book.sheetnames and all(re.search(r"[\u4e00-\u9fff]", name) for name in book.sheetnames), book.sheetnames
    first = book[book.sheetnames[0]]
    rows = [row for row in first.iter_rows(values_only=True) if any(cell is not None for cell in row)]
    headers = [str(cell) for cell in rows[0] if cell is not None]
    assert headers and all(re.search(r"[\u4e00-\u9fff]", h) for h in headers), headers
    assert len(rows) > 1 and "统计报表" in text


def audit_filters(walk: Walk, site: Site, doc_id: str, person: tuple[str, str]) -> None:
    """The audit page filtered by person (shown by name), by document (its id, then its title), and by
    date range; ``doc_id`` is a document this walk has viewed today.
    """
    page = walk.page
    walk.visit("/audit", "audit-all")
    user, name = person  # the list offers user names; the table shows 姓名（用户名）
    page.select_option("select[name=actor]", user)
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state("load")
    people = page.locator("table.audit tbody td:nth-child(3)").all_inner_texts()
    assert people and set(people) == {f"{name}（{user}）"}, people
    walk.check("audit-by-person")
    title = _record(walk, doc_id)["title"]
    for typed, name in ((doc_id, "audit-by-document-id"), (title, "audit-by-document-title")):
        walk.visit("/audit", f"{name}-typed")
        page.fill("form.filters input[name=document]", typed)
        page.click("form.filters button[type=submit]")
        page.wait_for_load_state("load")
        named = page.locator("table.audit tbody td:nth-child(5) a")
        links = named.evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert f"/documents/{doc_id}" in links, (typed, links[:5])
        if typed == doc_id:
            assert set(links) == {f"/documents/{doc_id}"}, links[:5]
        else:  # a person types a title: every entry found is about a document of that title
            assert all(title in shown for shown in named.all_inner_texts()), named.all_inner_texts()[:5]
        walk.check(name)
    today = datetime.now(LOCAL).date()
    for start, end, expect in ((today, today, True), (today - timedelta(days=30), today - timedelta(days=1), False)):
        page.goto(f"{site.base_url}/audit?date_from={start}&date_to={end}")
        times = page.locator("table.audit tbody td:nth-child(2)").all_inner_texts()
        if expect:
            assert times and all(t.startswith(str(today)) for t in times), times[:5]
        else:
            assert not times and "没有符合条件的记录" in page.inner_text("table.audit"), times[:5]
        walk.check(f"audit-dates-{'today' if expect else 'last-month'}")
