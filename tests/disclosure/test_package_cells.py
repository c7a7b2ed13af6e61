"""A project's name or a field comes from people and documents: the package's workbook must hold
any text. A control character (which XML cannot carry) refused the whole workbook, so the package
page answered 500; a name starting with "=" would have been written as a live formula.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

from openpyxl import load_workbook

from disclosure.catalogue import shipped_catalogue
from disclosure.render.meta import PackageMeta
from disclosure.render.xlsx import render_xlsx
from schemas.cells import xml_text
from schemas.disclosure import DisclosureContent, DisclosureState


def test_xml_text_replaces_only_what_xml_cannot_hold() -> None:
    assert xml_text("办公楼\x00改造\x1f工程") == "办公楼\ufffd改造\ufffd工程"
    assert xml_text("第一行\n第二行\t（制表）\r") == "第一行\n第二行\t（制表）\r"
    assert xml_text(12.5) == 12.5


def test_a_name_with_control_characters_or_a_formula_is_written_as_text() -> None:
    content = DisclosureContent(project="XM-1", project_name="=HYPERLINK(\"http://x\")\x07大楼", owner="某局\x00",
                                office_building=True, generated_at=datetime(2026, 12, 7, tzinfo=UTC), categories=[])
    data = render_xlsx(content, shipped_catalogue(), PackageMeta(version=1, state=DisclosureState.DRAFT))
    book = load_workbook(io.BytesIO(data))
    assert book.properties.title == "=HYPERLINK(\"http://x\")\ufffd大楼 信息公开"
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"], "nothing is a live formula"
