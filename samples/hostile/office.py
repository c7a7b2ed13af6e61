"""Hostile DOCX, XLSX, WordML and OFD files: zip and XML bombs, entities, lying sizes, traversal names.

Every file starts from a real package (python-docx, openpyxl) and replaces or adds members, so
everything but the hostile part is what Word or Excel would write.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from docx import Document as DocxDocument
from openpyxl import Workbook

from samples.hostile.zips import MB, Member, bomb, deflated, members_of, write, zip_bytes

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DOC_HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W_NS}"><w:body>'.encode()
DOC_TAIL = b"</w:body></w:document>"
SHEET_HEAD = f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="{S_NS}"><sheetData>'.encode()
SHEET_TAIL = b"</sheetData></worksheet>"
DOCUMENT_XML = "word/document.xml"
SHEET_XML = "xl/worksheets/sheet1.xml"
STRINGS_XML = "xl/sharedStrings.xml"


def _para(text: str) -> bytes:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>".encode()


def base_docx(text: str = "设计变更通知单") -> bytes:
    document = DocxDocument()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def base_xlsx(with_strings: bool = False) -> bytes:
    book = Workbook()
    book.active.append(["工程名称", "某某大楼"] if with_strings else [1, 2])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def docx_with(path: Path, document: Member, *, add: list[Member] | None = None) -> Path:
    return write(path, members_of(base_docx(), {DOCUMENT_XML: document}, add))


def xlsx_with(path: Path, replace: dict[str, Member], add: list[Member] | None = None) -> Path:
    return write(path, members_of(base_xlsx(), replace, add))


def xlsx_with_strings(path: Path, strings: Member) -> Path:
    """A workbook whose first row shows shared strings 0 and 1, with ``strings`` as its sharedStrings.xml."""
    with zipfile.ZipFile(io.BytesIO(base_xlsx())) as package:
        types = package.read("[Content_Types].xml").replace(b"</Types>", (
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            b'spreadsheetml.sharedStrings+xml"/></Types>'))
        rels = package.read("xl/_rels/workbook.xml.rels").replace(b"</Relationships>", (
            b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'sharedStrings" Target="sharedStrings.xml"/></Relationships>'))
    sheet = SHEET_HEAD + b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>' + SHEET_TAIL
    replace = {"[Content_Types].xml": deflated("[Content_Types].xml", types),
               "xl/_rels/workbook.xml.rels": deflated("xl/_rels/workbook.xml.rels", rels),
               SHEET_XML: deflated(SHEET_XML, sheet)}
    return write(path, members_of(base_xlsx(), replace, [strings]))


# --- bombs --------------------------------------------------------------------------------------------
def docx_zip_bomb(path: Path, gigabytes: float = 2.5) -> Path:
    """document.xml inflating to ``gigabytes`` GB of blanks between body elements (about 2.5 MB on disk)."""
    return docx_with(path, bomb(DOCUMENT_XML, DOC_HEAD + _para("正文"), b" " * MB, int(gigabytes * 1024), DOC_TAIL))


def docx_element_bomb(path: Path, paragraphs: int = 150_000_000) -> Path:
    """``<w:p/>`` repeated 150 million times (about 1 GB of XML)."""
    per_chunk = MB // 6
    return docx_with(path, bomb(DOCUMENT_XML, DOC_HEAD, b"<w:p/>" * per_chunk, paragraphs // per_chunk, DOC_TAIL))


def docx_size_lie(path: Path) -> Path:
    """document.xml whose headers say 1 KB and that inflates to 1 GB."""
    return docx_with(path, bomb(DOCUMENT_XML, DOC_HEAD + _para("正文"), b" " * MB, 1024, DOC_TAIL, declared=1024))


def docx_gridspan_bomb(path: Path) -> Path:
    """A 1 KB document with one table cell spanning 2,000,000,000 grid columns."""
    cell = (b'<w:tc><w:tcPr><w:gridSpan w:val="2000000000"/></w:tcPr><w:p><w:r><w:t>' + "跨列".encode()
            + b"</w:t></w:r></w:p></w:tc>")
    table = b"<w:tbl><w:tblGrid><w:gridCol w:w=\"100\"/></w:tblGrid><w:tr>" + cell + b"</w:tr></w:tbl>"
    return docx_with(path, deflated(DOCUMENT_XML, DOC_HEAD + _para("表格") + table + DOC_TAIL))


def docx_many_members(path: Path, count: int = 100_000) -> Path:
    extra = [deflated(f"word/media/m{n:06d}.bin", b"x") for n in range(count)]
    return write(path, members_of(base_docx("十万成员的文件"), add=extra))


def xlsx_sheet_bomb(path: Path, gigabytes: float = 2.5) -> Path:
    return xlsx_with(path, {SHEET_XML: bomb(SHEET_XML, SHEET_HEAD, b" " * MB, int(gigabytes * 1024), SHEET_TAIL)})


def xlsx_shared_strings_bomb(path: Path, strings: int = 200_000_000) -> Path:
    """sharedStrings.xml with 200 million empty strings (about 2.4 GB inflated)."""
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{S_NS}" count="{strings}" uniqueCount="{strings}">'.encode()
    per_chunk = MB // 12
    member = bomb(STRINGS_XML, head, b"<si><t/></si>" * per_chunk, strings // per_chunk, b"</sst>")
    return xlsx_with_strings(path, member)


def xlsx_merge_bomb(path: Path, merges: int = 3000) -> Path:
    """3,000 merged ranges, each a whole column of 1,048,576 rows."""
    refs = "".join(f'<mergeCell ref="{_column(n)}1:{_column(n)}1048576"/>' for n in range(1, merges + 1))
    sheet = (SHEET_HEAD + b'<row r="1"><c r="A1"><v>1</v></c></row></sheetData>'
             + f'<mergeCells count="{merges}">{refs}</mergeCells></worksheet>'.encode())
    return xlsx_with(path, {SHEET_XML: deflated(SHEET_XML, sheet)})


def _column(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- entities -----------------------------------------------------------------------------------------
def _doctype(root: str, entities: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE {root} [{entities}]>\n'.encode()


def external_entity(target: str) -> str:
    return f'<!ENTITY xxe SYSTEM "{target}">'


BILLION_LAUGHS = '<!ENTITY l0 "哈哈哈哈哈哈哈哈哈哈">' + "".join(
    f'<!ENTITY l{n} "{("&l" + str(n - 1) + ";") * 10}">' for n in range(1, 10))
QUADRATIC = f'<!ENTITY a "{"啊" * 50_000}">'


def docx_entity(path: Path, entities: str, use: str) -> Path:
    body = _doctype("w:document", entities) + f'<w:document xmlns:w="{W_NS}"><w:body>'.encode() + _para(use) + DOC_TAIL
    return docx_with(path, deflated(DOCUMENT_XML, body))


def xlsx_entity(path: Path, entities: str, use: str) -> Path:
    strings = (_doctype("sst", entities) + f'<sst xmlns="{S_NS}" count="2" uniqueCount="2">'.encode()
               + f"<si><t>工程名称</t></si><si><t>{use}</t></si></sst>".encode())
    return xlsx_with_strings(path, deflated(STRINGS_XML, strings))


WORDML_NS = "http://schemas.microsoft.com/office/word/2003/wordml"


def wordml_entity(path: Path, entities: str, use: str) -> Path:
    """Word 2003 XML saved as .doc, with a DOCTYPE."""
    path.write_bytes(_doctype("w:wordDocument", entities) + (
        f'<?mso-application progid="Word.Document"?><w:wordDocument xmlns:w="{WORDML_NS}"><w:body>'
        f"<w:p><w:r><w:t>{use}</w:t></w:r></w:p></w:body></w:wordDocument>").encode())
    return path


OFD_NS = "http://www.ofdspec.org/2016"


def _ofd_members(document_pages: str, pages: list[Member], ofd_head: bytes = b"") -> list[Member]:
    ofd = ofd_head or b'<?xml version="1.0" encoding="UTF-8"?>\n'
    ofd += (f'<ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.0"><ofd:DocBody><ofd:DocInfo><ofd:Title>文件</ofd:Title>'
            "</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>").encode()
    document = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Document xmlns:ofd="{OFD_NS}"><ofd:Pages>'
                f"{document_pages}</ofd:Pages></ofd:Document>").encode()
    return [deflated("OFD.xml", ofd), deflated("Doc_0/Document.xml", document), *pages]


def _ofd_page(text: str, padding: int = 0) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content><ofd:Layer>'
            f'<ofd:TextObject ID="1" Boundary="10 10 100 10"><ofd:TextCode X="0" Y="8">{text}</ofd:TextCode>'
            f"</ofd:TextObject>{' ' * padding}</ofd:Layer></ofd:Content></ofd:Page>").encode()


def ofd_bytes(text: str) -> bytes:
    """A small, well-formed one-page OFD."""
    page = deflated("Doc_0/Pages/Page_0/Content.xml", _ofd_page(text))
    return zip_bytes(_ofd_members('<ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/>', [page]))


def ofd_external_entity(path: Path, target: str) -> Path:
    head = _doctype("ofd:OFD", external_entity(target))
    page = deflated("Doc_0/Pages/Page_0/Content.xml", _ofd_page("外部实体"))
    return write(path, _ofd_members('<ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/>', [page], head))


def ofd_page_amplification(path: Path, pages: int = 100_000, page_mb: int = 2) -> Path:
    """100,000 pages that all point at one 2 MB page description."""
    listing = "".join(f'<ofd:Page ID="{n}" BaseLoc="Pages/Page_0/Content.xml"/>' for n in range(pages))
    page = deflated("Doc_0/Pages/Page_0/Content.xml", _ofd_page("放大页", padding=page_mb * MB))
    return write(path, _ofd_members(listing, [page]))


# --- names and nesting -------------------------------------------------------------------------------
def docx_traversal_members(path: Path) -> Path:
    evil = [deflated("../../jd_evil_member.txt", b"jd_evil"), deflated("/tmp/jd_evil_absolute.txt", b"jd_evil")]
    return write(path, members_of(base_docx("成员名穿越"), add=evil))


def zip_traversal(path: Path) -> Path:
    return write(path, [deflated("../../jd_evil_zip.txt", b"jd_evil"), deflated("/tmp/jd_evil_zip_abs.txt", b"jd_evil")])


def docx_traversal_relationship(path: Path) -> Path:
    rels = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats'
            b'.org/package/2006/relationships"><Relationship Id="rId99" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/image" Target="../../../../../../../tmp/jd_evil_rel.png"/>'
            b"</Relationships>")
    return write(path, members_of(base_docx("关系穿越"), {"word/_rels/document.xml.rels": deflated(
        "word/_rels/document.xml.rels", rels)}))


def docx_nested_zip(path: Path) -> Path:
    inner = write(path.with_suffix(".inner"), [bomb("inner.xml", b"<a>", b" " * MB, 1024, b"</a>")])
    embedded = deflated("word/embeddings/inner.zip", inner.read_bytes())
    inner.unlink()
    return write(path, members_of(base_docx("嵌套压缩包"), add=[embedded]))


def nested_zip(path: Path, layers: int = 16) -> Path:
    """A .zip of zip bombs (the name says 1 TB): never to be expanded."""
    one = zip_bytes([bomb("layer.bin", b"", b"\0" * MB, 1024, b"")])
    return write(path, [deflated(f"第{n:02d}层.zip", one) for n in range(layers)])
