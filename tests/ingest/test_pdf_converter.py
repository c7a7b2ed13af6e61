"""PdfConverter on real generated PDFs: text, pages, the pypdfium2 fallback and every failure."""

from __future__ import annotations

import pytest
from haystack.dataclasses import ByteStream
from pypdf import PdfReader, PdfWriter

from ingest.pdf import PdfConverter, looks_garbled, measure_text
from schemas.ingest import QuarantineCode


def run_one(source) -> dict:
    return PdfConverter().run(sources=[source])


def test_pdf_text_pages_and_meta(acceptance_pdf, bytestream_for):
    result = run_one(bytestream_for(acceptance_pdf))

    assert result["failures"] == []
    [document] = result["documents"]
    pages = document.content.split("\f")
    assert len(pages) == 2
    assert "隐蔽工程质量验收记录" in pages[0] and "工程名称：大理机场三期扩建工程" in pages[0]
    assert "验收日期：2024年5月17日" in pages[1]
    assert document.meta["pages"] == 2
    assert document.meta["format"] == "pdf"
    assert document.meta["extractor"] == "pypdf"
    assert document.meta["embedded_title"] == "隐蔽验收"
    assert document.meta["original_name"] == "隐蔽工程验收记录.pdf"


def test_pdf_from_plain_path_is_named_by_path(acceptance_pdf):
    result = run_one(acceptance_pdf)
    assert len(result["documents"]) == 1
    assert result["documents"][0].meta["file_path"] == str(acceptance_pdf)


def test_truncated_pdf_is_corrupt_and_named(acceptance_pdf, tmp_path, bytestream_for):
    broken = tmp_path / "设计变更通知单.pdf"
    data = acceptance_pdf.read_bytes()
    broken.write_bytes(data[: len(data) // 2])

    result = run_one(bytestream_for(broken))

    assert result["documents"] == []
    [failure] = result["failures"]
    assert failure.code is QuarantineCode.CORRUPT
    assert failure.source_name == "设计变更通知单.pdf"
    assert failure.reason.startswith("《设计变更通知单.pdf》")
    assert "damaged or truncated" in failure.reason


def test_password_protected_pdf_is_encrypted(acceptance_pdf, tmp_path, bytestream_for):
    writer = PdfWriter(clone_from=acceptance_pdf)
    writer.encrypt(user_password="mima2024", owner_password="owner")
    locked = tmp_path / "设计变更通知单（加密）.pdf"
    with locked.open("wb") as handle:
        writer.write(handle)

    [failure] = run_one(bytestream_for(locked))["failures"]

    assert failure.code is QuarantineCode.ENCRYPTED
    assert failure.reason == "《设计变更通知单（加密）.pdf》is encrypted (password required)"


def test_pdf_with_only_an_owner_password_is_read(acceptance_pdf, tmp_path, bytestream_for):
    writer = PdfWriter(clone_from=acceptance_pdf)
    writer.encrypt(user_password="", owner_password="owner")
    restricted = tmp_path / "限制编辑的验收记录.pdf"
    with restricted.open("wb") as handle:
        writer.write(handle)

    result = run_one(bytestream_for(restricted))

    assert result["failures"] == []
    assert "大理机场三期扩建工程" in result["documents"][0].content


def test_image_only_pdf_has_no_text(make_image_only_pdf, bytestream_for):
    scan = make_image_only_pdf("碎石桩施工记录（扫描件）.pdf")

    [failure] = run_one(bytestream_for(scan))["failures"]

    assert failure.code is QuarantineCode.NO_TEXT
    assert "scanned PDF; OCR not enabled" in failure.reason
    assert "1 page" in failure.reason


def test_empty_file_is_empty(tmp_path, bytestream_for):
    empty = tmp_path / "空白.pdf"
    empty.write_bytes(b"")
    [failure] = run_one(bytestream_for(empty))["failures"]
    assert failure.code is QuarantineCode.EMPTY
    assert failure.reason == "《空白.pdf》is empty (0 bytes)"


def test_other_content_named_pdf_is_corrupt(tmp_path, bytestream_for):
    fake = tmp_path / "施工图.pdf"
    fake.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    [failure] = run_one(bytestream_for(fake))["failures"]
    assert failure.code is QuarantineCode.CORRUPT
    assert "not a valid PDF" in failure.reason and "ZIP" in failure.reason


def test_missing_source_file_is_unreadable(tmp_path):
    [failure] = run_one(tmp_path / "不存在.pdf")["failures"]
    assert failure.code is QuarantineCode.UNREADABLE
    assert "不存在.pdf" in failure.reason


def test_one_bad_file_does_not_stop_the_batch(acceptance_pdf, tmp_path, bytestream_for):
    broken = tmp_path / "坏文件.pdf"
    broken.write_bytes(b"%PDF-1.4\n" + b"\x13\x37" * 50)
    result = PdfConverter().run(sources=[bytestream_for(broken), bytestream_for(acceptance_pdf)])
    assert [f.source_name for f in result["failures"]] == ["坏文件.pdf"]
    assert len(result["documents"]) == 1


def test_embedded_cmap_font_falls_back_to_pypdfium2(make_embedded_cmap_pdf, bytestream_for):
    text = "工程名称：大理机场三期扩建工程设计变更通知单"
    path = make_embedded_cmap_pdf("设计变更通知单（嵌入编码）.pdf", text)
    pypdf_text = PdfReader(path).pages[0].extract_text()
    assert text not in pypdf_text  # the premise: pypdf mis-decodes this font

    [document] = run_one(bytestream_for(path))["documents"]

    assert document.meta["extractor"] == "pypdfium2"
    assert text in document.content


def test_nul_riddled_pypdf_text_is_replaced(monkeypatch, acceptance_pdf, bytestream_for):
    import ingest.pdf as pdf_module

    def nul_text(data):
        return ["\x00隐\x00蔽\x00工\x00程\x00质\x00量\x00验\x00收\x00记\x00录" * 3, "\x00验\x00收"], None

    monkeypatch.setattr(pdf_module, "extract_with_pypdf", nul_text)

    [document] = run_one(bytestream_for(acceptance_pdf))["documents"]

    assert document.meta["extractor"] == "pypdfium2"
    assert "\x00" not in document.content
    assert "隐蔽工程质量验收记录" in document.content


@pytest.mark.parametrize(
    ("text", "pages", "garbled"),
    [
        ("\x00工\x00程\x00名\x00称" * 20, 1, True),  # pypdf's NUL-per-character symptom
        ("]åz\x0bT\ryðÿ\x1aY’t\x06g:W:N\tg\x1fbi^œ]åz" * 3, 1, True),  # one byte per code
        ("\ue000\ue001\ue002工程" * 10, 1, True),  # private-use glyph codes
        ("DDCẙᐢ㓿༴⨶㠣สዙᡆ20m␡ᓖ" * 5, 1, True),  # CJK landing in foreign scripts
        ("隐蔽工程质量验收记录，工程名称：大理机场三期扩建工程，验收结论：符合设计及规范要求。", 1, False),
        ("隐蔽工程质量验收记录，工程名称：大理机场三期扩建工程", 5, True),  # too little text for 5 pages
        ("", 1, True),
        ("混凝土强度C30，坍落度180±20mm，温度25°C，面积3×4m²" * 2, 1, False),  # harmless symbols
    ],
)
def test_garble_detector(text, pages, garbled):
    assert looks_garbled(text, pages) is garbled


def test_measure_text_counts_cjk_as_meaningful():
    quality = measure_text("工程 AB12 ￥\x00")
    assert quality.meaningful == 6
    assert quality.suspicious == 1


def test_pdf_read_from_bytes_in_memory(acceptance_pdf):
    stream = ByteStream(data=acceptance_pdf.read_bytes(), meta={"original_name": "验收记录.pdf"})
    [document] = run_one(stream)["documents"]
    assert document.meta["original_name"] == "验收记录.pdf"
    assert "YS-2024-031" in document.content


def test_unnamed_bytestream_failure_still_has_a_name():
    [failure] = run_one(ByteStream(data=b"not a pdf"))["failures"]
    assert failure.source_name == "<unnamed>"
    assert failure.reason.startswith("《<unnamed>》")


def test_dense_vector_drawing_is_read_not_called_a_bomb():
    """A drawing sheet whose one content stream holds more operators than pypdf parses (real
    drawings do: thousands of line segments) is read by PDFium; only inflating past the limit is a bomb.
    """
    import zlib

    from ingest.pdf import convert_pdf
    from samples.hostile.pdfs import _simple, _stream, pdf_bytes

    lines = b"".join(f"{n % 500} {n % 700} m {n % 500 + 3} {n % 700 + 5} l S\n".encode() for n in range(320_000))
    content = b"BT /F1 12 Tf 72 800 Td (SHEET S-04 PILE LAYOUT REVISION B) Tj ET\n" + lines
    objects = _simple()
    objects[4] = _stream(zlib.compress(content, 9), "/Filter /FlateDecode")
    converted = convert_pdf(pdf_bytes(objects), "dense.pdf")
    assert converted.extractor == "pypdfium2"
    assert "PILE LAYOUT" in converted.text


def test_content_stream_bomb_is_still_refused(tmp_path):
    from ingest.failures import ConversionError
    from ingest.pdf import convert_pdf
    from samples.hostile.pdfs import content_bomb

    data = content_bomb(tmp_path / "bomb.pdf", gigabytes=1).read_bytes()
    with pytest.raises(ConversionError) as refused:
        convert_pdf(data, "bomb.pdf")
    assert refused.value.code is QuarantineCode.TOO_LARGE
