"""The asset register sheet (交付使用资产登记表) for the agency's fixed-asset system.

Where the archive holds a 竣工财务决算 / 交付使用资产明细 document with an asset table (a header
row naming 资产名称), its rows are copied as they are, each pointing back to the 档号 it came from.
XLSX and DOCX tables are read; a PDF cannot be read here (no text layer access in this package),
so it is only cited. Without such a table the sheet holds one template row per unit project (the
project itself, or the ``--asset`` name) for the asset manager to complete. Extracted numbers are
never guessed or recomputed: a cell that does not read as a number stays text.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from docx import Document as DocxDocument
from openpyxl import load_workbook

from handover.forms import Form
from handover.inventory_xlsx import write_workbook
from handover.plan import PlannedDocument, Volume

logger = logging.getLogger(__name__)

ASSET_MARKERS = ("竣工财务决算", "交付使用资产", "竣工决算", "资产移交")
COLUMNS = ["序号", "资产名称", "资产分类", "数量", "价值（元）", "使用单位", "存放地点", "取得方式",
           "交付使用日期", "来源档号", "备注"]
# column of the register ← header words that may name it in a 决算 table
_HEADER_WORDS = {
    "资产名称": ("资产名称", "名称"),
    "资产分类": ("资产类别", "资产分类", "类别"),
    "数量": ("数量",),
    "价值（元）": ("价值", "金额", "原值"),
    "使用单位": ("使用单位", "使用部门", "接收单位"),
    "存放地点": ("存放地点", "坐落", "位置"),
}
_TOTALS = re.compile(r"^(合计|小计|总计)")


@dataclass
class AssetRegister:
    source: str  # "extracted" | "template"
    rows: list[list[object]] = field(default_factory=list)
    source_documents: list[str] = field(default_factory=list)


def is_asset_source(doc: PlannedDocument) -> bool:
    text = " ".join(filter(None, (doc.doc.title, doc.doc.doc_type, doc.doc.original_name)))
    return doc.doc.item_code == "E2-x" or any(marker in text for marker in ASSET_MARKERS)


def _tables(path: Path, fmt: str) -> list[list[list[str]]]:
    """Every table of an XLSX or DOCX, as text. Opened as a stream: store paths have no extension."""
    with path.open("rb") as handle:
        if fmt == "xlsx":
            book = load_workbook(handle, read_only=True, data_only=True)
            try:
                return [[["" if v is None else str(v).strip() for v in row]
                         for row in ws.iter_rows(values_only=True)] for ws in book.worksheets]
            finally:
                book.close()
        if fmt == "docx":
            return [[[cell.text.strip() for cell in row.cells] for row in table.rows]
                    for table in DocxDocument(handle).tables]
    return []


def _number(text: str) -> object:
    cleaned = text.replace(",", "").replace("，", "").replace("元", "").strip()
    try:
        return float(cleaned)
    except ValueError:
        return text


def asset_rows(table: list[list[str]]) -> list[dict[str, object]]:
    """Rows under the first header row naming 资产名称, until the first row without a name."""
    for n, header in enumerate(table):
        if not any("资产名称" in cell for cell in header):
            continue
        where = {}
        for column, words in _HEADER_WORDS.items():
            for i, cell in enumerate(header):
                if any(word in cell for word in words) and i not in where.values():
                    where[column] = i
                    break
        out = []
        for row in table[n + 1:]:
            name = row[where["资产名称"]] if where["资产名称"] < len(row) else ""
            if not name:
                break
            if _TOTALS.match(name):
                continue
            values = {c: (row[i] if i < len(row) else "") for c, i in where.items()}
            values["价值（元）"] = _number(str(values.get("价值（元）", "")))
            out.append(values)
        return out
    return []


def build_register(volumes: list[Volume], project_name: str, asset: str | None,
                   read_path: dict[str, Path]) -> AssetRegister:
    """Extract asset rows from the 决算 documents (read from ``read_path[archive_code]``)."""
    register = AssetRegister(source="template")
    sources = [d for v in volumes for d in v.documents if is_asset_source(d)]
    for doc in sources:
        try:
            tables = _tables(read_path[doc.archive_code], doc.doc.format or "")
        except Exception as exc:  # a 决算 file we cannot parse is cited, never fatal
            logger.warning("asset table of %s not read: %s", doc.archive_code, exc)
            continue
        for table in tables:
            for values in asset_rows(table):
                if asset and asset not in str(values["资产名称"]):
                    continue
                register.rows.append([
                    len(register.rows) + 1, values["资产名称"], values.get("资产分类", ""), values.get("数量", ""),
                    values.get("价值（元）", ""), values.get("使用单位", ""), values.get("存放地点", ""),
                    "新建（交付使用）", doc.doc.doc_date.isoformat() if doc.doc.doc_date else "",
                    doc.archive_code, "摘自竣工财务决算",
                ])
                if doc.archive_code not in register.source_documents:
                    register.source_documents.append(doc.archive_code)
    if register.rows:
        register.source = "extracted"
        return register
    cited = "、".join(d.archive_code for d in sources)
    note = "请资产管理人员据竣工财务决算填写" + (f"（参见 {cited}）" if cited else "（档案中未见竣工财务决算）")
    register.rows.append([1, asset or project_name, "", "", "", "", "", "新建（交付使用）", "", cited, note])
    register.source_documents = [d.archive_code for d in sources]
    return register


def write_register(path: Path, register: AssetRegister, project_code: str, project_name: str,
                   when: datetime) -> None:
    form = Form(
        name="交付使用资产登记表", title="交付使用资产登记表",
        fields=[("项目名称", project_name), ("项目代号", project_code),
                ("来源", "摘自竣工财务决算" if register.source == "extracted" else "模板，待填写")],
        columns=COLUMNS, rows=register.rows,
        footer=["填表人：", "审核人：", "资产管理部门（印章）：", "日期：      年    月    日"],
        widths=[6, 30, 14, 8, 16, 24, 16, 16, 12, 26, 30],
    )
    write_workbook(path, [form], when)
