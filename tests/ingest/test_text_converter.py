"""TextConverter: the encoding decision on Chinese text files, CSV rows, and non-text rejects."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from ingest.text import TextConverter, decode_text
from schemas.ingest import QuarantineCode

LOG = "施工日志\n2024年5月17日 晴 25℃\n今日完成地下室外墙防水卷材铺贴，监理旁站。\n"


def convert(path: Path, bytestream_for) -> dict:
    return TextConverter().run(sources=[bytestream_for(path)])


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (LOG.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + LOG.encode("utf-8"), "utf-8-sig"),
        (LOG.encode("gbk"), "gb18030"),
        (LOG.encode("gb2312"), "gb18030"),
        (LOG.encode("utf-16"), "utf-16"),  # Python writes the BOM
        (codecs.BOM_UTF16_BE + LOG.encode("utf-16-be"), "utf-16"),
    ],
)
def test_text_encodings(tmp_path, bytestream_for, encoded, encoding):
    path = tmp_path / "施工日志.txt"
    path.write_bytes(encoded)

    result = convert(path, bytestream_for)

    assert result["failures"] == []
    [document] = result["documents"]
    assert document.content == LOG
    assert document.meta["encoding"] == encoding
    assert document.meta["format"] == "txt"


def test_bytes_valid_in_both_utf8_and_gbk_are_read_as_utf8():
    data = "合同".encode()
    assert data.decode("gbk") == "鍚堝悓"  # the premise: these bytes are valid GBK as well
    assert decode_text(data) == ("合同", "utf-8")


def test_crlf_becomes_newline(tmp_path, bytestream_for):
    path = tmp_path / "会议纪要.txt"
    path.write_bytes("第一次工地会议纪要\r\n参会单位：建设、监理、施工\r\n".encode())
    [document] = convert(path, bytestream_for)["documents"]
    assert document.content == "第一次工地会议纪要\n参会单位：建设、监理、施工\n"


def test_csv_rows_use_the_cell_separator(tmp_path, bytestream_for):
    path = tmp_path / "材料进场台账.csv"
    path.write_text("材料名称,规格,数量\n防水卷材,SBS 4mm,1200\n钢筋,HRB400 Φ25,\n", encoding="gbk")
    [document] = convert(path, bytestream_for)["documents"]
    assert document.content == "材料名称 | 规格 | 数量\n防水卷材 | SBS 4mm | 1200\n钢筋 | HRB400 Φ25"
    assert document.meta["format"] == "csv"


def test_markdown_is_text(tmp_path, bytestream_for):
    path = tmp_path / "说明.md"
    path.write_text("# 竣工资料说明\n\n本卷收录竣工验收资料。\n", encoding="utf-8")
    [document] = convert(path, bytestream_for)["documents"]
    assert document.meta["format"] == "md"
    assert "竣工资料说明" in document.content


def test_binary_garbage_is_corrupt(tmp_path, bytestream_for):
    path = tmp_path / "乱码.txt"
    path.write_bytes(bytes([0, 1, 2, 3, 0x80, 0xFF, 0x00, 0x10]) * 200)
    [failure] = convert(path, bytestream_for)["failures"]
    assert failure.code is QuarantineCode.CORRUPT
    assert failure.reason.startswith("《乱码.txt》is not readable text")


def test_image_named_txt_is_unsupported(tmp_path, bytestream_for):
    path = tmp_path / "现场照片.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    [failure] = convert(path, bytestream_for)["failures"]
    assert failure.code is QuarantineCode.UNSUPPORTED
    assert "PNG image" in failure.reason


def test_whitespace_only_text_has_no_text(tmp_path, bytestream_for):
    path = tmp_path / "空白.txt"
    path.write_text(" \n\u3000\n\t\n", encoding="utf-8")
    [failure] = convert(path, bytestream_for)["failures"]
    assert failure.code is QuarantineCode.NO_TEXT


def test_empty_text_file_is_empty(tmp_path, bytestream_for):
    path = tmp_path / "空文件.txt"
    path.write_bytes(b"")
    [failure] = convert(path, bytestream_for)["failures"]
    assert failure.code is QuarantineCode.EMPTY
