"""Each 四性 check on real files: a clean file passes, the broken one is named."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from classify.sixing import (
    StoredFile,
    archival_codes,
    file_count,
    fixity,
    format_readable,
    metadata_complete,
    no_macros,
    not_encrypted,
)
from schemas.completeness import FiledDocument, SixingRules
from tests.files import write_docx, write_encrypted_pdf, write_pdf

RULES = SixingRules(archival_formats=("pdf", "docx", "xlsx"))


def stored(path: Path, **fields: object) -> StoredFile:
    values = {"id": path.stem, "title": path.stem, "format": path.suffix.lstrip("."), "size": path.stat().st_size,
              "class_code": "C2", "doc_date": "2024-05-04"}
    values.update(fields)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return StoredFile(FiledDocument(**values), sha, path)  # type: ignore[arg-type]


@pytest.fixture
def clean(tmp_path: Path) -> StoredFile:
    return stored(write_pdf(tmp_path / "设计变更通知单.pdf", ["设计变更通知单", "工程名称 市机关办公楼"]))


def test_fixity_finds_a_changed_original(tmp_path: Path, clean: StoredFile) -> None:
    assert fixity([clean]).passed
    damaged = stored(write_pdf(tmp_path / "隐蔽工程验收记录.pdf", ["隐蔽工程验收记录"]))
    damaged.path.write_bytes(damaged.path.read_bytes() + b"x")  # type: ignore[union-attr]
    result = fixity([clean, damaged])
    assert not result.passed and [p.document_id for p in result.problems] == ["隐蔽工程验收记录"]


def test_fixity_without_rehash_checks_presence_and_says_so(tmp_path: Path, clean: StoredFile) -> None:
    """The handover's variant: its copy step hashes every byte, so here only presence is checked."""
    damaged = stored(write_pdf(tmp_path / "隐蔽工程验收记录.pdf", ["隐蔽工程验收记录"]))
    damaged.path.write_bytes(damaged.path.read_bytes() + b"x")  # type: ignore[union-attr]
    result = fixity([clean, damaged], rehash=False)
    assert result.passed and result.checked == 2 and "只查存在" in result.dat70
    damaged.path.unlink()  # type: ignore[union-attr]
    assert not fixity([clean, damaged], rehash=False).passed


def test_metadata_check_names_the_empty_fields(clean: StoredFile, tmp_path: Path) -> None:
    assert metadata_complete([clean], RULES).passed
    undated = stored(write_pdf(tmp_path / "会议纪要.pdf", ["会议纪要"]), doc_date=None, class_code=None)
    result = metadata_complete([undated], RULES)
    assert not result.passed and "doc_date" in result.problems[0].message and "class_code" in result.problems[0].message


def test_format_check_refuses_non_archival_and_unreadable(tmp_path: Path, clean: StoredFile) -> None:
    assert format_readable([clean], RULES).passed
    odd = tmp_path / "图纸.dwf"
    odd.write_bytes(b"DWF V06.00")
    corrupt = stored(write_pdf(tmp_path / "坏文件.pdf", ["x"]), status="quarantined", quarantine_code="corrupt")
    result = format_readable([stored(odd), corrupt], RULES)
    assert [p.document_id for p in result.problems] == ["图纸", "坏文件"]


def test_encrypted_pdf_is_found(tmp_path: Path, clean: StoredFile) -> None:
    assert not_encrypted([clean]).passed
    locked = stored(write_encrypted_pdf(tmp_path / "加密合同.pdf", ["施工合同"]))
    result = not_encrypted([clean, locked])
    assert not result.passed and [p.document_id for p in result.problems] == ["加密合同"]


def test_encryption_is_found_where_a_reader_finds_the_trailer(tmp_path: Path, clean: StoredFile) -> None:
    """Only the head, the tail and the section ``startxref`` names are read, not the whole file.

    The second file holds its trailer (with /Encrypt) in the middle, far from both ends, as an
    updated file's cross-reference section can be: ``startxref`` leads to it.
    """
    padded = tmp_path / "竣工图（加密）.pdf"
    filler = b"%" + b"0" * 50_000 + b"\n"
    trailer = b"trailer\n<< /Size 3 /Root 1 0 R /Encrypt 2 0 R >>\n"
    body = b"%PDF-1.4\n" + filler
    padded.write_bytes(body + trailer + filler + b"startxref\n" + str(len(body)).encode() + b"\n%%EOF\n")
    plain = tmp_path / "竣工图.pdf"
    plain.write_bytes(body + trailer.replace(b"/Encrypt 2 0 R ", b"") + filler
                      + b"startxref\n" + str(len(body)).encode() + b"\n%%EOF\n")
    result = not_encrypted([clean, stored(padded), stored(plain)])
    assert [p.document_id for p in result.problems] == ["竣工图（加密）"]


def test_macros_are_found_by_extension_and_by_content(tmp_path: Path, clean: StoredFile) -> None:
    plain = stored(write_docx(tmp_path / "技术交底.docx", "技术交底记录", ["交底内容"]))
    assert no_macros([clean, plain], RULES).passed
    hidden = tmp_path / "工程量清单.xlsx"
    with zipfile.ZipFile(hidden, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/vbaProject.bin", b"\x00VBA")
    macro_ext = tmp_path / "计算书.xlsm"
    macro_ext.write_bytes(b"PK")
    result = no_macros([plain, stored(hidden), stored(macro_ext)], RULES)
    assert [p.document_id for p in result.problems] == ["工程量清单", "计算书"]


def test_file_count_compares_the_register_with_the_store(tmp_path: Path, clean: StoredFile) -> None:
    assert file_count([clean], registered=1).passed
    lost = StoredFile(clean.document.model_copy(update={"id": "lost"}), "0" * 64, None)
    result = file_count([clean, lost], registered=2)
    assert not result.passed and "登记 2 件" in result.problems[0].message


def test_archival_code_check_finds_malformed_and_duplicate_codes() -> None:
    good = "0001-JJ·2024-JD-2024-001-4-005-001"
    result = archival_codes({"a": good, "b": good, "c": "乱码"}, lambda code: code.startswith("0001-"))
    assert sorted(p.document_id for p in result.problems) == ["b", "c"]
