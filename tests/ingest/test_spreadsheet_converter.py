"""XlsxConverter / XlsConverter on generated workbooks: sheets, reading order, merged cells, failures."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest

from ingest.sources import OLE_MAGIC
from ingest.xlsx import MergedCells, XlsConverter, XlsxConverter, format_cell
from schemas.ingest import QuarantineCode


@pytest.fixture
def inspection_xlsx(tmp_path: Path) -> Path:
    """Two sheets: a merged-title acceptance record and a test-result list."""
    workbook = openpyxl.Workbook()
    record = workbook.active
    record.title = "验收记录"
    record["A1"] = "土方开挖检验批质量验收记录"
    record.merge_cells("A1:D1")
    record.append(["工程名称", "大理机场三期扩建工程", None, None])
    record.merge_cells("B2:D2")
    record.append(["施工单位", "中建三局集团有限公司", "验收日期", datetime(2024, 5, 17)])
    record.append([None, None, None, None])
    record.append(["标高偏差（mm）", -50, "合格率", 0.95])
    results = workbook.create_sheet("试块强度")
    results.append(["试块编号", "龄期（天）", "强度（MPa）"])
    results.append(["SK-001", 28, 32.5])
    results.append(["SK-002", 28, "=B3*1.2"])  # a formula without a cached value
    workbook.properties.title = "检验批验收"
    path = tmp_path / "土方开挖检验批质量验收记录.xlsx"
    workbook.save(path)
    return path


def test_xlsx_every_sheet_in_reading_order(inspection_xlsx, bytestream_for):
    result = XlsxConverter().run(sources=[bytestream_for(inspection_xlsx)])

    assert result["failures"] == []
    [document] = result["documents"]
    first, second = document.content.split("\f")
    assert first.split("\n") == [
        "【工作表：验收记录】",
        "土方开挖检验批质量验收记录",
        "工程名称 | 大理机场三期扩建工程",
        "施工单位 | 中建三局集团有限公司 | 验收日期 | 2024-05-17",
        "标高偏差（mm） | -50 | 合格率 | 0.95",
    ]
    assert second.split("\n") == [
        "【工作表：试块强度】",
        "试块编号 | 龄期（天） | 强度（MPa）",
        "SK-001 | 28 | 32.5",
        "SK-002 | 28",
    ]
    assert document.meta["pages"] == 2
    assert document.meta["format"] == "xlsx"
    assert document.meta["extractor"] == "openpyxl"
    assert document.meta["embedded_title"] == "检验批验收"


def test_values_repeated_across_a_merge_are_written_once(tmp_path, inject_merge, bytestream_for):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "封面"
    sheet.append(["混凝土抗渗性能检测报告", "混凝土抗渗性能检测报告", "混凝土抗渗性能检测报告"])
    sheet.append(["委托单位", "中建一局", "中建一局"])
    path = tmp_path / "抗渗检测报告.xlsx"
    workbook.save(path)
    inject_merge(path, "xl/worksheets/sheet1.xml", "A1:C1")

    [document] = XlsxConverter().run(sources=[bytestream_for(path)])["documents"]

    assert document.content.split("\n") == [
        "【工作表：封面】",
        "混凝土抗渗性能检测报告",
        "委托单位 | 中建一局 | 中建一局",
    ]


def test_xlsx_named_xls_is_still_read(inspection_xlsx, tmp_path, bytestream_for):
    renamed = tmp_path / "验收记录（另存）.xls"
    renamed.write_bytes(inspection_xlsx.read_bytes())
    [document] = XlsConverter().run(sources=[bytestream_for(renamed)])["documents"]
    assert document.meta["format"] == "xlsx"
    assert "大理机场三期扩建工程" in document.content


def test_random_bytes_named_xls_are_corrupt(tmp_path, bytestream_for):
    path = tmp_path / "招标控制价.xls"
    path.write_bytes(b"\x09\x08\x10\x00" + bytes(range(200)))
    [failure] = XlsConverter().run(sources=[bytestream_for(path)])["failures"]
    assert failure.code is QuarantineCode.CORRUPT
    assert failure.reason.startswith("《招标控制价.xls》is not a valid Excel workbook")


def test_ole_file_without_a_workbook_is_corrupt_xls(tmp_path, bytestream_for):
    path = tmp_path / "工程量清单.xls"
    path.write_bytes(OLE_MAGIC + b"\x00" * 1024)
    [failure] = XlsConverter().run(sources=[bytestream_for(path)])["failures"]
    assert failure.code is QuarantineCode.CORRUPT
    assert "not a readable XLS workbook" in failure.reason


def test_random_bytes_named_xlsx_are_corrupt(tmp_path, bytestream_for):
    path = tmp_path / "结算审核表.xlsx"
    path.write_bytes(bytes(range(256)) * 4)
    [failure] = XlsxConverter().run(sources=[bytestream_for(path)])["failures"]
    assert failure.code is QuarantineCode.CORRUPT


def test_truncated_xlsx_is_corrupt(inspection_xlsx, tmp_path, bytestream_for):
    path = tmp_path / "验收记录（损坏）.xlsx"
    data = inspection_xlsx.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    [failure] = XlsxConverter().run(sources=[bytestream_for(path)])["failures"]
    assert failure.code is QuarantineCode.CORRUPT
    assert "zip central directory unreadable" in failure.reason


def test_encrypted_xlsx_is_encrypted(tmp_path, bytestream_for):
    path = tmp_path / "合同台账（加密）.xlsx"
    path.write_bytes(OLE_MAGIC + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64)
    [failure] = XlsxConverter().run(sources=[bytestream_for(path)])["failures"]
    assert failure.code is QuarantineCode.ENCRYPTED


def test_workbook_without_values_has_no_text(tmp_path, bytestream_for):
    workbook = openpyxl.Workbook()
    workbook.active.title = "空表"
    workbook.create_sheet("附表")
    path = tmp_path / "空白台账.xlsx"
    workbook.save(path)
    [failure] = XlsxConverter().run(sources=[bytestream_for(path)])["failures"]
    assert failure.code is QuarantineCode.NO_TEXT
    assert "2 sheet(s)" in failure.reason


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, ""),
        (True, "是"),
        (1200000.0, "1200000"),
        (1234.56, "1234.56"),
        (0.1 + 0.2, "0.3"),
        (datetime(2024, 5, 17), "2024-05-17"),
        (datetime(2024, 5, 17, 8, 30), "2024-05-17 08:30"),
        (date(2024, 5, 17), "2024-05-17"),
        (time(8, 30), "08:30:00"),
        ("  大理机场  ", "大理机场"),
    ],
)
def test_format_cell(value, shown):
    assert format_cell(value) == shown


def test_merged_cells_cover_all_but_the_anchor():
    merged = MergedCells([(1, 1, 2, 3)])
    assert not merged.is_covered(1, 1)
    assert merged.is_covered(1, 3)
    assert merged.is_covered(2, 1)
    assert not merged.is_covered(3, 1)
    assert not merged.is_covered(1, 4)


@pytest.fixture
def tender_xls(make_xls) -> Path:
    return make_xls(
        "1#宿舍楼_招标控制价.xls",
        [
            (
                "表-04 汇总表",
                [
                    ["单位工程招标控制价汇总表", "单位工程招标控制价汇总表", None],
                    ["工程名称", "1#宿舍楼（室内综合布线）", None],
                    ["总造价", 54905.45, None],
                    ["编制日期", date(2024, 5, 17), None],
                ],
                [(0, 0, 0, 2)],
            ),
            ("表-08 清单", [["序号", "项目名称", "金额"], [1, "综合布线系统", 49054.98]], []),
        ],
    )


def test_xls_sheets_cells_dates_and_merges(tender_xls, bytestream_for):
    result = XlsConverter().run(sources=[bytestream_for(tender_xls)])

    assert result["failures"] == []
    [document] = result["documents"]
    first, second = document.content.split("\f")
    assert first.split("\n") == [
        "【工作表：表-04 汇总表】",
        "单位工程招标控制价汇总表",  # written once although the exporter repeated it in the merge
        "工程名称 | 1#宿舍楼（室内综合布线）",
        "总造价 | 54905.45",
        "编制日期 | 2024-05-17",
    ]
    assert second.split("\n") == [
        "【工作表：表-08 清单】",
        "序号 | 项目名称 | 金额",
        "1 | 综合布线系统 | 49054.98",
    ]
    assert document.meta["format"] == "xls"
    assert document.meta["extractor"] == "xlrd"
    assert document.meta["pages"] == 2


def test_xls_named_xlsx_is_still_read(tender_xls, tmp_path, bytestream_for):
    renamed = tmp_path / "招标控制价.xlsx"
    renamed.write_bytes(tender_xls.read_bytes())
    [document] = XlsxConverter().run(sources=[bytestream_for(renamed)])["documents"]
    assert document.meta["format"] == "xls"


def test_password_protected_xls_is_encrypted(make_xls, bytestream_for):
    path = make_xls("合同台账（加密）.xls", [("台账", [["合同编号"]], [])], encrypted=True)
    [failure] = XlsConverter().run(sources=[bytestream_for(path)])["failures"]
    assert failure.code is QuarantineCode.ENCRYPTED
    assert failure.reason == "《合同台账（加密）.xls》is encrypted (password-protected workbook)"
