"""Legacy and national formats: Word 97–2003 binary (.doc, .wps), WordML .doc and OFD.

The binary Word reader is tested on piece tables built byte by byte (compressed and UTF-16
pieces, fields, table cells) and on the real .doc files of the evaluation corpus, copied at run
time (skipped when the corpus is absent). OFD files are generated.
"""

from __future__ import annotations

import shutil
import struct
import zipfile
from pathlib import Path

import olefile
import pytest

from ingest.legacy import LegacyWordConverter, OfdConverter
from ingest.legacy.word_binary import plain_text, read_pieces
from schemas import meta as M
from schemas.ingest import QuarantineCode
from tests.formats import write_ofd

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "real"  # beside the repository


def real_docs() -> list[Path]:
    return sorted(p for p in REAL.glob("*.doc")) if REAL.is_dir() else []


def run(converter, path: Path) -> dict:
    return converter.run(sources=[path], meta={"original_name": path.name})


def _fib_and_table(pieces: list[tuple[str, bool]]) -> tuple[bytes, bytes]:
    """A WordDocument stream (FIB + text) and a table stream holding the CLX for these pieces."""
    word = bytearray(0x800)
    struct.pack_into("<HH", word, 0, 0xA5EC, 0x00C1)
    cps, pcds, cp = [0], [], 0
    for text, compressed in pieces:
        offset = len(word)
        if compressed:
            word += text.encode("latin-1")
            fc = (offset * 2) | 0x40000000
        else:
            word += text.encode("utf-16-le")
            fc = offset
        cp += len(text)
        cps.append(cp)
        pcds.append(struct.pack("<HIH", 0, fc, 0))
    plc = struct.pack(f"<{len(cps)}I", *cps) + b"".join(pcds)
    clx = bytes([0x01]) + struct.pack("<h", 2) + b"\x00\x00" + bytes([0x02]) + struct.pack("<I", len(plc)) + plc
    table = b"\x00" * 16 + clx
    struct.pack_into("<II", word, 0x01A2, 16, len(clx))
    return bytes(word), table


def test_piece_table_with_compressed_and_unicode_pieces():
    word, table = _fib_and_table(
        [
            ("Project: ", True),
            ("滨江花园3#楼隐蔽工程验收记录\r", False),
            ("\x13 PAGE \\* MERGEFORMAT \x14第1页\x15\r", False),
            ("工程名称\x07滨江花园\x07\x07施工单位\x07中建三局\x07\x07", False),
        ]
    )
    text = plain_text(read_pieces(word, table))
    assert text.splitlines() == [
        "Project: 滨江花园3#楼隐蔽工程验收记录",
        "第1页",
        "工程名称 | 滨江花园",
        "施工单位 | 中建三局",
    ]


WORDML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<?mso-application progid="Word.Document"?>
<w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml"
  xmlns:wx="http://schemas.microsoft.com/office/word/2003/auxHint">
 <w:body><wx:sect>
  <w:p><w:r><w:t>监督检查问题记录</w:t></w:r></w:p>
  <w:tbl>
   <w:tr><w:tc><w:p><w:r><w:t>项目名称:</w:t></w:r></w:p></w:tc>
         <w:tc><w:p><w:r><w:t>新建柳州至梧州铁路</w:t></w:r></w:p></w:tc></w:tr>
   <w:tr><w:tc><w:p><w:r><w:t>问题描述:</w:t></w:r></w:p></w:tc>
         <w:tc><w:p><w:r><w:t>路基填筑存在</w:t></w:r><w:r><w:t>集料窝</w:t></w:r></w:p></w:tc></w:tr>
  </w:tbl>
 </wx:sect></w:body>
</w:wordDocument>"""


def test_wordml_saved_as_doc(tmp_path):
    path = tmp_path / "监督检查问题记录（WordML）.doc"
    path.write_text(WORDML, encoding="utf-8")
    [document] = run(LegacyWordConverter(), path)["documents"]
    assert document.content.splitlines() == [
        "监督检查问题记录",
        "项目名称: | 新建柳州至梧州铁路",
        "问题描述: | 路基填筑存在集料窝",
    ]
    assert document.meta[M.EXTRACTOR] == "wordml"
    assert document.meta[M.FORMAT] == "doc"


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [
        (b"{\\rtf1\\ansi \\u24037?}", QuarantineCode.UNSUPPORTED, "RTF document"),
        (b"MIME-Version: 1.0\r\nContent-Type: multipart/related", QuarantineCode.UNSUPPORTED, "web page"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, QuarantineCode.CORRUPT, "damaged OLE"),
        (b"<?xml version='1.0'?><w:wordDocument xmlns:w='http://schemas.microsoft.com/office/word/2003/wordml'>",
         QuarantineCode.CORRUPT, "damaged WordML"),
        (b"just some bytes", QuarantineCode.CORRUPT, "cannot be read as .doc"),
    ],
)
def test_unreadable_doc_files_say_why(tmp_path, content, code, words):
    path = tmp_path / "旧合同 (副本).doc"
    path.write_bytes(content)
    [failure] = run(LegacyWordConverter(), path)["failures"]
    assert failure.code is code
    assert failure.reason.startswith("《旧合同 (副本).doc》")
    assert words in failure.reason


def test_docx_renamed_to_doc_is_read(tmp_path):
    import docx

    path = tmp_path / "会议纪要.doc"
    document = docx.Document()
    document.add_paragraph("第一次工地例会会议纪要")
    document.save(path)
    [read] = run(LegacyWordConverter(), path)["documents"]
    assert "第一次工地例会会议纪要" in read.content


@pytest.mark.integration
@pytest.mark.skipif(not real_docs(), reason="real corpus absent")
@pytest.mark.parametrize("source", real_docs(), ids=lambda p: p.stem[:20])
def test_real_doc_files(tmp_path, source):
    copy = tmp_path / source.name
    shutil.copyfile(source, copy)
    [document] = run(LegacyWordConverter(), copy)["documents"]
    chinese = sum("\u4e00" <= ch <= "\u9fff" for ch in document.content)
    assert chinese >= 50, document.content[:200]
    assert "\x07" not in document.content and "\x13" not in document.content


def _real_ole_doc() -> Path:
    for path in real_docs():
        if olefile.isOleFile(str(path)):
            return path
    pytest.skip("no OLE .doc in the real corpus")


@pytest.mark.integration
def test_wps_office_file_in_word_layout_is_read(tmp_path):
    copy = tmp_path / "会议纪要（WPS）.wps"
    shutil.copyfile(_real_ole_doc(), copy)
    [document] = run(LegacyWordConverter(), copy)["documents"]
    assert document.meta[M.FORMAT] == "wps"
    assert document.meta[M.EXTRACTOR] == "word97-binary"


@pytest.mark.integration
def test_encrypted_word_file_is_quarantined_as_encrypted(tmp_path):
    copy = tmp_path / "加密的招标文件.doc"
    shutil.copyfile(_real_ole_doc(), copy)
    with olefile.OleFileIO(str(copy), write_mode=True) as ole:
        stream = bytearray(ole.openstream("WordDocument").read())
        flags = struct.unpack_from("<H", stream, 0x0A)[0] | 0x0100
        struct.pack_into("<H", stream, 0x0A, flags)
        ole.write_stream("WordDocument", bytes(stream))
    [failure] = run(LegacyWordConverter(), copy)["failures"]
    assert failure.code is QuarantineCode.ENCRYPTED
    assert "加密的招标文件.doc" in failure.reason


def test_old_wps_format_is_quarantined_with_a_hint(tmp_path):
    path = tmp_path / "2003年会议纪要.wps"
    path.write_bytes(b"\xff\x00WPS legacy kingsoft format" + b"\x00" * 64)
    [failure] = run(LegacyWordConverter(), path)["failures"]
    assert failure.code is QuarantineCode.CORRUPT
    assert "older WPS format" in failure.reason


def test_ofd_text_in_reading_order(tmp_path):
    path = write_ofd(
        tmp_path / "关于某某项目初步设计的批复 [2024]17号.ofd",
        [
            [(60, 40, "某市发展和改革委员会"), (25, 60, "关于滨江花园项目初步设计的批复"), (25, 80, "文号：某发改〔2024〕17号")],
            [(25, 30, "二、同意建设规模"), (25, 20, "一、原则同意初步设计")],
        ],
    )
    [document] = run(OfdConverter(), path)["documents"]
    first, second = document.content.split("\f")
    assert first.splitlines() == ["某市发展和改革委员会", "关于滨江花园项目初步设计的批复", "文号：某发改〔2024〕17号"]
    assert second.splitlines() == ["一、原则同意初步设计", "二、同意建设规模"]
    assert document.meta[M.PAGES] == 2
    assert document.meta[M.EMBEDDED_TITLE] == "关于某某项目的批复"


def test_unreadable_ofd_files_say_why(tmp_path):
    encrypted = write_ofd(tmp_path / "加密批复.ofd", [[(20, 20, "机密")]])
    with zipfile.ZipFile(encrypted, "a") as archive:
        archive.writestr("Encryptions.xml", "<Encryptions/>")
    not_zip = tmp_path / "批复.ofd"
    not_zip.write_bytes(b"%PDF-1.7 a pdf renamed to ofd")
    no_root = tmp_path / "空包.ofd"
    with zipfile.ZipFile(no_root, "w") as archive:
        archive.writestr("Doc_0/Document.xml", "<x/>")

    outcomes = {p.name: run(OfdConverter(), p)["failures"][0] for p in (encrypted, not_zip, no_root)}
    assert outcomes["加密批复.ofd"].code is QuarantineCode.ENCRYPTED
    assert outcomes["批复.ofd"].code is QuarantineCode.CORRUPT and "a PDF file" in outcomes["批复.ofd"].reason
    assert outcomes["空包.ofd"].code is QuarantineCode.CORRUPT and "no OFD.xml" in outcomes["空包.ofd"].reason
