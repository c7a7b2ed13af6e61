"""The workbench's read side on a real archive: the bundle's 档号, browsing, overview, audit, history, previews."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from core import ArchiveService
from core.bundling.bundles import HandoverWriter, filing_plan
from handover.plan import plan_volumes
from schemas.browsing import BrowseQuery
from tests.core.workbench_archive import MAIN, Archive, build

pytestmark = pytest.mark.integration
ENGLISH_CODE = re.compile(r"\b(processed|quarantined|received|document\.view|original\.download|reclassified)\b")


@pytest.fixture
def archive(service: ArchiveService, tmp_path: Path) -> Archive:
    return build(service, tmp_path / "收文")


def test_every_document_carries_the_archive_code_the_bundle_would_print(archive: Archive, tmp_path: Path) -> None:
    service = archive.service
    request = HandoverWriter(service.catalog, service.blobs, service.filing, None).request(MAIN, tmp_path / "b")
    volumes = plan_volumes(MAIN, request.project.name, request.documents, filing_plan(service.filing),
                           request.archival_code)
    bundle = {planned.doc.id: planned.archive_code for v in volumes for planned in v.documents}
    assert len(bundle) == 5
    shown = {doc_id: service.workbench.placement(MAIN, doc_id).archive_code for doc_id in bundle}
    assert shown == bundle
    listing = service.workbench.browse(BrowseQuery(project=MAIN))
    assert [row.archive_code for row in listing.items] == sorted(bundle.values(), key=list(bundle.values()).index)
    volume_codes = {v.code for v in service.workbench.volumes(MAIN)}
    assert volume_codes == {v.code for v in volumes}


def test_browse_filters_sorts_and_pages_without_a_keyword(archive: Archive) -> None:
    wb = archive.service.workbench
    everything = wb.browse(BrowseQuery(project=MAIN))
    assert everything.total == 5
    quarantined = wb.browse(BrowseQuery(project=MAIN, status="quarantined"))
    assert [r.id for r in quarantined.items] == [archive.ids["空白.pdf"]]
    march = wb.browse(BrowseQuery(date_from=date(2024, 3, 1), date_to=date(2024, 3, 31), sort="date"))
    assert [r.id for r in march.items] == [archive.ids["设计变更通知单.pdf"]], "a date-only browse finds March"
    dated = wb.browse(BrowseQuery(project=MAIN, sort="date"))
    dates = [r.doc_date for r in dated.items if r.doc_date]
    assert dates == sorted(dates) and len(dates) >= 2
    newest = wb.browse(BrowseQuery(project=MAIN, sort="date", descending=True))
    assert [r.doc_date for r in newest.items if r.doc_date] == sorted(dates, reverse=True)
    paged = wb.browse(BrowseQuery(project=MAIN, limit=2, offset=2))
    assert [r.id for r in paged.items] == [r.id for r in everything.items[2:4]]
    filed = everything.items[0].class_code
    assert all((r.class_code or "X").startswith(filed[0]) for r in wb.browse(BrowseQuery(project=MAIN,
                                                                                       class_code=filed[0])).items)
    across = wb.browse(BrowseQuery(sort="arrival"))
    assert across.total == 6 and {r.project for r in across.items} == {MAIN, "INBOX"}
    assert all(r.archive_code for r in across.items if r.project == MAIN)
    tree = wb.filing_tree(MAIN)
    assert sum(c.documents for c in tree.classes) == 5


def test_dashboard_and_statistics_count_what_is_there(archive: Archive) -> None:
    service = archive.service
    board = service.workbench.dashboard("INBOX", [])
    assert board.documents == 6 and board.projects == 2 and board.waiting_in_trays == 1
    assert board.quarantined == 1 and board.arrivals_today == 6 and board.per_month[-1].count == 6
    assert sum(c.count for c in board.per_class) == sum(1 for r in service.workbench.browse(BrowseQuery()).items
                                                        if r.class_code)
    service.search(__import__("schemas.search", fromlist=["SearchQuery"]).SearchQuery(text="设计变更"), user="审计员")
    stats = service.workbench.statistics()
    assert {c.key for c in stats.by_project} == {MAIN}
    assert stats.searches[-1] >= 1 and len(stats.months) == 12


def test_audit_rows_read_like_sentences_not_json(archive: Archive) -> None:
    service, doc = archive.service, archive.ids["设计变更通知单.pdf"]
    service.audit.append("zhangshen", "search", None, query={"text": "设计变更", "project": MAIN}, total=3,
                         ip="10.0.0.8", agent="Mozilla/5.0 (X11)")
    service.audit.append("zhangshen", "document.view", doc, ui=True, ip="10.0.0.8")
    service.audit.append("zhangshen", "original.download", doc, name="设计变更通知单.pdf", inline=False)
    view = service.workbench.audit(names={"zhangshen": "张审"})
    search, viewed = view.items[2], view.items[1]
    assert search.action == "检索" and search.summary == f"检索 「设计变更」（项目 {MAIN}），共 3 份"
    assert search.actor == "张审（zhangshen）" and search.address == "10.0.0.8"
    assert viewed.document_title and viewed.archive_code == service.workbench.placement(MAIN, doc).archive_code
    text = json.dumps([row.model_dump() for row in view.items], ensure_ascii=False)
    assert "Mozilla" not in text and "{" not in "".join(r.summary for r in view.items)
    assert not ENGLISH_CODE.search(" ".join(r.action + r.summary for r in view.items))
    assert [r.seq for r in service.workbench.audit(actor="zhangshen", action="document.view").items] == [viewed.seq]
    usage = service.workbench.usage(doc)
    assert [u.action for u in usage] == ["下载原件", "查看文件"]


def test_history_has_no_json_no_paths_and_chinese_actions(archive: Archive) -> None:
    service, doc = archive.service, archive.ids["设计变更通知单.pdf"]
    service.projects.edit(doc, __import__("schemas.projects", fromlist=["DocumentEdit"]).DocumentEdit(secrecy="内部"),
                          "定密", "甲")
    rows = service.workbench.history(service.show(doc))
    text = " ".join(f"{r.action} {r.detail}" for r in rows)
    assert "接收" in text and "修改著录信息" in text and "密级：（空） → 内部" in text
    assert str(service.settings.home) not in text and "/" not in text.replace("结施-变", "")
    assert "{" not in text and not ENGLISH_CODE.search(text)


def test_previews_render_docx_and_xlsx_as_escaped_html(archive: Archive) -> None:
    wb = archive.service.workbench
    docx, _, fmt = wb.preview(archive.ids["监理月报.docx"])
    assert fmt == "docx" and docx.kind == "html" and "<h2>监理月报</h2>" in docx.html and "<td>进度</td>" in docx.html
    xlsx, _, _ = wb.preview(archive.ids["隐蔽工程验收记录.xlsx"])
    assert xlsx.kind == "html" and "<td>一层梁板</td>" in xlsx.html and "<h2>验收记录</h2>" in xlsx.html


def test_reports_are_workbooks_with_chinese_headers(archive: Archive, tmp_path: Path) -> None:
    wb = archive.service.workbench
    wb.statistics_xlsx(tmp_path / "统计.xlsx")
    assert load_workbook(tmp_path / "统计.xlsx").sheetnames == ["按项目", "按门类", "按年度", "按保管期限", "利用统计"]
    ids = list(archive.ids.values())[:3]
    assert wb.selection_xlsx(tmp_path / "目录.xlsx", ids, "http://archive.local/documents") == 3
    rows = list(load_workbook(tmp_path / "目录.xlsx").active.iter_rows(values_only=True))
    assert rows[0][:3] == ("档号", "题名", "文件日期") and rows[1][-1].startswith("http://archive.local/documents/")


def test_the_audit_document_filter_takes_a_title_a_number_or_an_archive_code(archive: Archive) -> None:
    """A person types what is on the paper, not the hex id: each finds the entries about that document."""
    service, doc = archive.service, archive.ids["设计变更通知单.pdf"]
    other = archive.ids["施工组织设计.pdf"]
    viewed = service.audit.append("zhangshen", "document.view", doc, ui=True)
    service.audit.append("zhangshen", "document.view", other, ui=True)
    code = service.workbench.placement(MAIN, doc).archive_code
    assert code
    for typed in (doc, doc[:8], "设计变更通知单", "结施-变-02", code):
        found = service.workbench.audit(target=typed, action="document.view").items
        assert [row.seq for row in found] == [viewed.seq], typed
    assert service.workbench.audit(target="没有这份文件", action="document.view").items == []
    both = {row.document_id for row in service.workbench.audit(target=MAIN, action="document.view").items}
    assert both == {doc, other}, "a project's code is part of every 档号 in it"


def test_xlsx_preview_stops_at_the_last_column_with_data(tmp_path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Border, Side

    from core.browsing.previews import render

    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "录像内容", "时长"])
    sheet.append([1, "开工仪式", "18分钟"])
    for column in range(1, 40):  # a bordered but empty grid far to the right, as real forms have
        sheet.cell(row=1, column=column).border = Border(left=Side(style="thin"))
    path = tmp_path / "original"
    book.save(path)
    table = render(path, "xlsx").html
    assert "<td>开工仪式</td><td>18分钟</td></tr>" in table
    assert table.count("<td>") == 6, "three columns of two rows, nothing drawn for the empty ones"
