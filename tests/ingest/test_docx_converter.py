"""DocxConverter on real generated Word files: body order, tables, merged cells, headers, failures."""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement

from ingest.docx import DocxConverter
from ingest.sources import OLE_MAGIC
from schemas.ingest import QuarantineCode


def write_acceptance_docx(path: Path) -> Path:
    document = docx.Document()
    document.core_properties.title = "单位工程开工报审"
    document.sections[0].header.paragraphs[0].text = "某某建设集团有限公司 表A-1"
    document.add_paragraph("单位工程开工报审表")
    table = document.add_table(rows=3, cols=4)
    table.cell(0, 0).text = "工程名称"
    table.cell(0, 1).merge(table.cell(0, 3)).text = "大理机场三期扩建工程"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "施工单位"
    table.cell(1, 1).text = "中建三局集团有限公司"
    table.cell(1, 2).text = "编号"
    table.cell(1, 3).text = "KG-2024-001"
    table.cell(2, 1).text = "项目经理：张三"
    document.add_paragraph("我方已完成开工前的各项准备工作，特申请开工，请审查。")
    document.save(path)
    return path


@pytest.fixture
def acceptance_docx(tmp_path: Path) -> Path:
    return write_acceptance_docx(tmp_path / "单位工程开工报审表.docx")


def convert(path: Path, bytestream_for) -> dict:
    return DocxConverter().run(sources=[bytestream_for(path)])


def test_docx_paragraphs_and_tables_in_body_order(acceptance_docx, bytestream_for):
    result = convert(acceptance_docx, bytestream_for)

    assert result["failures"] == []
    [document] = result["documents"]
    lines = document.content.split("\n")
    assert lines[0] == "单位工程开工报审表"
    assert lines[1] == "工程名称 | 大理机场三期扩建工程"  # the merged cell appears once
    assert lines[2] == "施工单位 | 中建三局集团有限公司 | 编号 | KG-2024-001"
    assert lines[3] == "项目经理：张三"  # the vertically merged 施工单位 is not repeated
    assert lines[4] == "我方已完成开工前的各项准备工作，特申请开工，请审查。"
    assert document.content.count("施工单位") == 1
    assert document.meta["format"] == "docx"
    assert document.meta["extractor"] == "python-docx"
    assert document.meta["embedded_title"] == "单位工程开工报审"
    assert "pages" not in document.meta


def test_docx_header_follows_the_body(acceptance_docx, bytestream_for):
    [document] = convert(acceptance_docx, bytestream_for)["documents"]
    lines = document.content.split("\n")
    assert lines[-1] == "某某建设集团有限公司 表A-1"
    assert lines.index("某某建设集团有限公司 表A-1") > lines.index("单位工程开工报审表")


def test_docx_content_controls_are_read(tmp_path, bytestream_for):
    path = tmp_path / "监理通知单.docx"
    document = docx.Document()
    paragraph = document.add_paragraph("监理通知单")
    document.add_paragraph("编号：JL-TZ-007")
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    sdt.append(content)
    paragraph._p.addprevious(sdt)
    content.append(copy.deepcopy(paragraph._p))
    paragraph._p.getparent().remove(paragraph._p)
    document.save(path)

    [converted] = convert(path, bytestream_for)["documents"]

    assert converted.content.split("\n")[:2] == ["监理通知单", "编号：JL-TZ-007"]


def test_nested_table_text_stays_in_its_cell(tmp_path, bytestream_for):
    path = tmp_path / "嵌套表格.docx"
    document = docx.Document()
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "验收意见"
    inner = outer.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "合格"
    inner.cell(0, 1).text = "同意验收"
    document.save(path)

    [converted] = convert(path, bytestream_for)["documents"]

    assert "验收意见 | 合格 | 同意验收" in converted.content


def test_random_bytes_named_docx_are_corrupt(tmp_path, bytestream_for):
    path = tmp_path / "施工日志.docx"
    path.write_bytes(bytes(range(256)) * 8)
    [failure] = convert(path, bytestream_for)["failures"]
    assert failure.code is QuarantineCode.CORRUPT
    assert failure.reason.startswith("《施工日志.docx》is not a valid DOCX")


def test_truncated_docx_is_corrupt(acceptance_docx, tmp_path, bytestream_for):
    path = tmp_path / "开工报审表（损坏）.docx"
    data = acceptance_docx.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    [failure] = convert(path, bytestream_for)["failures"]
    assert failure.code is QuarantineCode.CORRUPT
    assert (
        failure.reason == "《开工报审表（损坏）.docx》is not a valid DOCX (zip central directory unreadable)"
    )


def test_zip_without_a_word_document_is_corrupt(tmp_path, bytestream_for):
    path = tmp_path / "压缩包.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("说明.txt", "不是Word文档")
    [failure] = convert(path, bytestream_for)["failures"]
    assert failure.code is QuarantineCode.CORRUPT
    assert "not a valid DOCX" in failure.reason


def test_encrypted_office_file_is_encrypted(tmp_path, bytestream_for):
    path = tmp_path / "合同（加密）.docx"
    path.write_bytes(OLE_MAGIC + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64)
    [failure] = convert(path, bytestream_for)["failures"]
    assert failure.code is QuarantineCode.ENCRYPTED


def test_legacy_doc_named_docx_is_unsupported(tmp_path, bytestream_for):
    path = tmp_path / "旧版合同.docx"
    path.write_bytes(OLE_MAGIC + b"\x00" * 504 + "WordDocument".encode("utf-16-le") + b"\x00" * 64)
    [failure] = convert(path, bytestream_for)["failures"]
    assert failure.code is QuarantineCode.UNSUPPORTED
    assert ".doc" in failure.reason


def test_docx_without_text_has_no_text(tmp_path, bytestream_for):
    path = tmp_path / "空白表格.docx"
    document = docx.Document()
    document.add_paragraph("   ")
    document.add_table(rows=2, cols=2)
    document.save(path)
    [failure] = convert(path, bytestream_for)["failures"]
    assert failure.code is QuarantineCode.NO_TEXT
    assert failure.reason == "《空白表格.docx》contains no text"


def test_docx_bytes_in_memory(acceptance_docx):
    from haystack.dataclasses import ByteStream

    stream = ByteStream(data=acceptance_docx.read_bytes(), meta={"original_name": "报审表.docx"})
    [document] = DocxConverter().run(sources=[stream], meta={"project": "DL-3"})["documents"]
    assert document.meta["project"] == "DL-3"
    assert document.meta["original_name"] == "报审表.docx"


def test_text_box_text_is_read_once(tmp_path, bytestream_for):
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    path = tmp_path / "封面.docx"
    document = docx.Document()
    anchor = document.add_paragraph("封面")
    box = "<w:txbxContent {}><w:p><w:r><w:t>监理实施细则</w:t></w:r></w:p></w:txbxContent>".format(
        nsdecls("w")
    )
    for _ in range(2):  # Word writes the DrawingML box and its VML fallback
        run = anchor.add_run()
        run._r.append(parse_xml(box))
    document.save(path)

    [converted] = convert(path, bytestream_for)["documents"]

    assert converted.content.split("\n") == ["封面", "监理实施细则"]


def _rewritten(source: Path, target: Path, replace: dict[str, bytes], add: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, replace.get(info.filename, old.read(info.filename)))
        for name, data in (add or {}).items():
            new.writestr(name, data)
    return target


def _types_with_override(source: Path, part: str, content_type: str) -> bytes:
    """The package's content-type map with ``part`` declared as ``content_type``."""
    with zipfile.ZipFile(source) as package:
        types = package.read("[Content_Types].xml")
    override = f'<Override PartName="/{part}" ContentType="{content_type}"/></Types>'.encode()
    return types.replace(b"</Types>", override)


DEEP = b'<?xml version="1.0"?><a>' + b"<b>" * 400 + b"</b>" * 400 + b"</a>"


def test_a_part_the_reader_never_parses_is_not_scanned_but_one_it_parses_is(tmp_path, bytestream_for):
    """A theme or styles.xml nested 400 deep is a blob to the reader (``ingest.docx_package``):
    kept. The same in a header, which the reader parses, is refused.
    """
    source = tmp_path / "源.docx"
    document = docx.Document()
    document.add_paragraph("施工日志 正文")
    document.save(source)
    with zipfile.ZipFile(source) as package:
        names = package.namelist()
    theme = next(name for name in names if name.startswith("word/theme/"))
    converter = DocxConverter()
    for part in (theme, "word/styles.xml"):
        kept = _rewritten(source, tmp_path / "深部件.docx", {part: DEEP})
        result = converter.run(sources=[bytestream_for(kept)])
        assert result["documents"] and not result["failures"], part
    header = "word/header1.xml"
    assert header not in names
    types = _types_with_override(source, header, "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml")
    refused = _rewritten(source, tmp_path / "深页眉.docx", {"[Content_Types].xml": types}, {header: DEEP})
    failure = converter.run(sources=[bytestream_for(refused)])["failures"][0]
    assert failure.code == QuarantineCode.CORRUPT and "嵌套" in failure.reason


def test_a_part_mapped_to_a_word_type_is_scanned_whatever_its_name(tmp_path, bytestream_for):
    """The content-type map, not the member's name, says what python-docx parses."""
    source = tmp_path / "源.docx"
    docx.Document().save(source)
    with zipfile.ZipFile(source) as package:
        types = package.read("[Content_Types].xml")
    override = (b'<Override PartName="/WORD/HEADER9.BIN" ContentType='
                b'"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/></Types>')
    hostile = _rewritten(source, tmp_path / "改名部件.docx", {"[Content_Types].xml": types.replace(b"</Types>", override)},
                         {"word/header9.bin": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>'})
    failure = DocxConverter().run(sources=[bytestream_for(hostile)])["failures"][0]
    assert failure.code == QuarantineCode.CORRUPT and "DTD" in failure.reason
