"""TextCleaner: what cleaning changes, what it must never change, and empty results."""

from __future__ import annotations

import unicodedata

from haystack import Document

from ingest.cleaning import TextCleaner, clean_text
from schemas.ingest import QuarantineCode


def test_control_characters_and_zero_width_are_removed():
    assert clean_text("\x00工\x00程\x07名称\u200b：\ufeff大理机场") == "工程名称：大理机场"


def test_fullwidth_ascii_becomes_ascii():
    assert clean_text("ＧＢ５０３００－２０１３　第３．２条") == "GB50300-2013 第3.2条"
    assert clean_text("金额：￥１２，５００．００元") == "金额：¥12，500.00元"


def test_chinese_punctuation_is_kept():
    text = "「验收结论」：合格（盖章）；《建筑工程施工质量验收统一标准》、附件～"
    assert clean_text(text) == text


def test_chinese_characters_are_never_changed():
    # CJK compatibility ideographs, ㎡, ①, ℃ would all be rewritten by a general NFKC.
    text = "\uf900\uf901 面积120㎡ ①号楼 25℃ 囧"
    assert unicodedata.normalize("NFKC", text) != text  # the premise
    assert clean_text(text) == text


def test_spaces_and_blank_lines_collapse():
    text = "  监 理  日   志  \n\n\n\n\n天气：晴\t\t温度：25℃   \n\n"
    assert clean_text(text) == "监 理 日 志\n\n天气：晴 温度：25℃"


def test_pages_survive_cleaning():
    assert clean_text("第一页\r\n内容 \f\n第二页\n\n\n") == "第一页\n内容\f第二页"


def test_cleaner_keeps_id_and_meta_and_reports_empty_documents():
    kept = Document(content="设计变更通知单\x00\n\n\n编号：SJBG-012", meta={"original_name": "设计变更.pdf"})
    emptied = Document(content="\x00\x01 \u3000\n\f", meta={"original_name": "空白扫描件.pdf"})

    result = TextCleaner().run(documents=[kept, emptied])

    [document] = result["documents"]
    assert document.id == kept.id
    assert document.meta == {"original_name": "设计变更.pdf"}
    assert document.content == "设计变更通知单\n\n编号：SJBG-012"
    [failure] = result["failures"]
    assert failure.code is QuarantineCode.NO_TEXT
    assert failure.source_name == "空白扫描件.pdf"
    assert failure.reason == "《空白扫描件.pdf》contains no text"
