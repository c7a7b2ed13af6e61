"""Content checks on real generated PDF/DOCX/XLSX files, and on truncated copies of them."""

from __future__ import annotations

import gc
import io
import os
import tracemalloc
from pathlib import Path

import pytest
from pypdf import PdfWriter

from ingest.watch.validate import validate_file
from tests.files import write_docx, write_encrypted_pdf, write_pdf, write_xlsx

LINES = ["建设工程竣工验收报告", "工程名称：某市第一中学教学楼改扩建工程", "验收结论：合格"]


def truncated_copy(source: Path, keep: int | float, suffix: str = "") -> Path:
    """A copy cut short like an interrupted transfer; ``keep`` is bytes or a fraction."""
    data = source.read_bytes()
    count = int(len(data) * keep) if isinstance(keep, float) else keep
    target = source.with_name(f"截断{suffix}_{count}{source.suffix}")
    target.write_bytes(data[:count])
    return target


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    return write_pdf(tmp_path / "竣工验收报告（终稿）.pdf", LINES * 30)


@pytest.fixture
def docx(tmp_path: Path) -> Path:
    return write_docx(
        tmp_path / "监理月报 第3期.docx", "监理月报", LINES, [["项目", "结论"], ["主体结构", "合格"]]
    )


@pytest.fixture
def xlsx(tmp_path: Path) -> Path:
    return write_xlsx(
        tmp_path / "检验批验收记录.xlsx", "检验批质量验收记录", [["部位", "结果"], ["一层梁板", "合格"]]
    )


def test_complete_files_pass(pdf: Path, docx: Path, xlsx: Path) -> None:
    assert validate_file(pdf) is None
    assert validate_file(docx) is None
    assert validate_file(xlsx) is None


@pytest.mark.parametrize("keep", [0.5, 0.9, -8])
def test_truncated_pdf_is_incomplete(pdf: Path, keep: float) -> None:
    size = pdf.stat().st_size
    cut = truncated_copy(pdf, keep if isinstance(keep, float) else size + keep)
    reason = validate_file(cut)
    assert reason is not None and "%%EOF" in reason


def test_pdf_with_reserved_but_unwritten_tail_is_incomplete(pdf: Path) -> None:
    data = pdf.read_bytes()
    preallocated = pdf.with_name("预分配.pdf")
    preallocated.write_bytes(data[: len(data) // 2] + b"\0" * (len(data) - len(data) // 2))
    assert "%%EOF" in (validate_file(preallocated) or "")
    nothing_yet = pdf.with_name("全零.pdf")
    nothing_yet.write_bytes(b"\0" * 4096)
    assert "zero bytes" in (validate_file(nothing_yet) or "")


def test_pdf_with_eof_marker_but_broken_body_does_not_open(pdf: Path) -> None:
    broken = pdf.with_name("损坏.pdf")
    broken.write_bytes(b"%PDF-1.4\n garbage without objects \ntrailer\n<<>>\n%%EOF\n")
    assert "does not open" in (validate_file(broken) or "")


def test_encrypted_pdf_counts_as_complete(tmp_path: Path) -> None:
    assert validate_file(write_encrypted_pdf(tmp_path / "加密.pdf", LINES)) is None


@pytest.mark.parametrize("fixture_name", ["docx", "xlsx"])
@pytest.mark.parametrize("keep", [0.5, 0.95, -1])
def test_truncated_office_files_are_incomplete(
    request: pytest.FixtureRequest, fixture_name: str, keep: float
) -> None:
    source: Path = request.getfixturevalue(fixture_name)
    size = source.stat().st_size
    cut = truncated_copy(source, keep if isinstance(keep, float) else size + keep)
    assert "central directory" in (validate_file(cut) or "")


def test_xlsx_renamed_to_docx_lacks_the_document_part(xlsx: Path) -> None:
    renamed = xlsx.with_name("其实是表格.docx")
    renamed.write_bytes(xlsx.read_bytes())
    assert "word/document.xml" in (validate_file(renamed) or "")


def test_misnamed_or_legacy_files_are_left_to_the_converters(tmp_path: Path) -> None:
    html_export = tmp_path / "网页导出.xlsx"
    html_export.write_text("<html><table><tr><td>合格</td></tr></table></html>", encoding="utf-8")
    ole = tmp_path / "加密文档.docx"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    text = tmp_path / "说明.txt"
    text.write_text("备注", encoding="utf-8")
    assert [validate_file(path) for path in (html_export, ole, text)] == [None, None, None]


def test_empty_and_missing_files(tmp_path: Path) -> None:
    empty = tmp_path / "空文件.pdf"
    empty.touch()
    assert validate_file(empty) == "file is empty"
    assert "vanished" in (validate_file(tmp_path / "不存在.pdf") or "")


def test_scanned_images_need_their_end_marker(tmp_path: Path) -> None:
    image_module = pytest.importorskip("PIL.Image")
    picture = image_module.new("RGB", (64, 64), (200, 30, 30))
    for suffix, fmt in ((".png", "PNG"), (".jpg", "JPEG")):
        buffer = io.BytesIO()
        picture.save(buffer, format=fmt)
        whole = tmp_path / f"扫描件{suffix}"
        whole.write_bytes(buffer.getvalue())
        assert validate_file(whole) is None
        cut = truncated_copy(whole, 0.6)
        assert "still being written" in (validate_file(cut) or "")


def test_validating_a_pdf_keeps_none_of_its_bytes(tmp_path: Path) -> None:
    """The watcher validates every PDF that lands, in its long-running writer process: nothing of
    the file may stay in memory afterwards, not even until the next cyclic collection.
    """
    path = tmp_path / "竣工图（含测量附件）.pdf"
    writer = PdfWriter(clone_from=write_pdf(tmp_path / "底稿.pdf", LINES))
    writer.add_attachment("测量原始数据.bin", os.urandom(4_000_000))
    writer.write(path)
    assert path.stat().st_size > 4_000_000
    gc.collect()
    gc.disable()  # what a busy process sees: full collections are rare
    tracemalloc.start()
    try:
        assert validate_file(path) is None
        retained, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        gc.enable()
    assert retained < 1_000_000, f"{retained:,} bytes still held after validating a {path.stat().st_size:,}-byte PDF"
