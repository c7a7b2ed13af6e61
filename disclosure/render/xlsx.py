"""The XLSX: one row per disclosable item in the column layout of the 基层政务公开标准目录
(重大建设项目领域) — 序号 | 一级事项 | 二级事项 | 公开内容（要素） | 公开依据 | 公开时限 | 公开主体 |
公开渠道和载体 | 公开对象 | 公开方式 | 公开层级 — then 信息形成日期, 应公开日期 and 来源文件. A category with
nothing to publish still has its row, saying so. A second sheet lists the redactions (their kind and
place, never the hidden text).
"""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from disclosure.catalogue import Catalogue
from disclosure.render.meta import PackageMeta, cn_date, title_of
from schemas.cells import formula_like, xml_text
from schemas.disclosure import DisclosureCategory, DisclosureContent, DisclosureItem

WIDTHS = {"序号": 6, "一级事项": 12, "二级事项": 16, "公开内容（要素）": 60, "公开依据": 36, "公开时限": 20,
          "公开主体": 18, "公开渠道和载体": 16, "公开对象": 10, "公开方式（主动/依申请）": 12, "公开层级": 10,
          "信息形成日期": 14, "应公开日期": 14, "来源文件": 40}
HEADER_FILL = PatternFill("solid", fgColor="F3E6E6")


def _content_text(item: DisclosureItem) -> str:
    parts = [f"{f.label}：{f.value if f.value is not None else '档案中未载明'}" for f in item.fields]
    return f"{item.name}。" + "；".join(parts)


def _row(catalogue: Catalogue, content: DisclosureContent, category: DisclosureCategory,
         item: DisclosureItem | None, number: int) -> dict[str, object]:
    defaults = catalogue.defaults
    spec = next(c for c in catalogue.categories if c.id == category.id)
    days = item.limit_days if item else defaults.limit_days
    return {
        "序号": number, "一级事项": defaults.first_level, "二级事项": category.name,
        "公开内容（要素）": _content_text(item) if item else f"本类暂无公开信息：{category.empty_note}",
        "公开依据": category.basis, "公开时限": defaults.limit_text.format(days=days),
        "公开主体": spec.subject or content.owner or defaults.subject, "公开渠道和载体": defaults.channel,
        "公开对象": defaults.audience, "公开方式（主动/依申请）": defaults.mode, "公开层级": defaults.level,
        "信息形成日期": _day(item.formed if item else None), "应公开日期": _day(item.due if item else None),
        "来源文件": "、".join(f"《{s.title}》" for s in item.sources) if item else "",
    }


def _day(day: date | None) -> str:
    return cn_date(day) if day else ""


def render_xlsx(content: DisclosureContent, catalogue: Catalogue, meta: PackageMeta) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "公开目录"
    columns = list(catalogue.columns)
    sheet.append(columns)
    number = 0
    for category in content.categories:
        for item in category.published_items or [None]:
            number += 1
            row = _row(catalogue, content, category, item, number)
            sheet.append([xml_text(row[column]) for column in columns])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(column, 14)
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if cell.data_type == "f" and formula_like(cell.value):  # a name like "=cmd|…" stays text
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    _redaction_sheet(book, content)
    book.properties.title = xml_text(title_of(content))
    book.properties.creator = "jiandang"
    book.properties.created = book.properties.modified = content.generated_at.replace(tzinfo=None)
    if meta.draft:
        book.properties.description = "草稿，未经批准，不得公开"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _redaction_sheet(book: Workbook, content: DisclosureContent) -> None:
    sheet = book.create_sheet("隐去记录")
    sheet.append(["序号", "类型", "所在事项", "所在字段", "位置", "处理"])
    names = {item.key: item.name for category in content.categories for item in category.items}
    for redaction in content.redactions:
        place = "公开内容" if redaction.where == "content" else "来源文件正文（不公开）"
        sheet.append([xml_text(value) for value in (
            redaction.id, redaction.kind_name, names.get(redaction.item_key or "", ""),
            redaction.field or "", place, "自动识别" if redaction.by == "自动" else "审核人添加")])
    for letter, width in zip("ABCDEF", (6, 22, 28, 18, 22, 12), strict=True):
        sheet.column_dimensions[letter].width = width

