"""Ignore rules: junk out, every real Chinese (and hostile) file name in."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ingest.watch.rules import IgnoreRules, should_ignore

ROOT = Path("/srv/档案共享")

LONG_NAME = "测" * 82 + ".pdf"  # 246 + 4 = 250 bytes in UTF-8, just under NAME_MAX

KEPT_NAMES = [
    "竣工验收报告.pdf",
    "竣工验收报告（修订版）【终稿】，第1册；签章页.pdf",
    "名 称 有 空 格 .PDF",
    "第一行\n第二行.docx",
    "tab\tand #hash% 100%.xlsx",
    "结构图 ～ 地下室（B1）「防水」.Pdf",
    LONG_NAME,
    "~报告.pdf",  # a tilde alone is not an Office lock file
]


@pytest.mark.parametrize("name", KEPT_NAMES)
def test_real_chinese_and_hostile_names_are_kept(name: str, tmp_path: Path) -> None:
    folder = tmp_path / "项目A" / "施工文件"
    folder.mkdir(parents=True)
    (folder / name).write_bytes(b"%PDF-1.4")  # the name must be a legal file name on this disk
    assert should_ignore(folder / name, tmp_path) is None


def test_long_name_is_really_250_bytes() -> None:
    assert len(LONG_NAME.encode()) == 250


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("~$竣工验收报告.docx", "lock"),
        (".~lock.竣工验收报告.docx#", "lock"),
        ("图纸/结构施工图.pdf.part", "temporary"),
        ("监理月报.pdf.crdownload", "temporary"),
        ("合同.TMP", "temporary"),
        ("~WRL0001.tmp", "temporary"),
        ("会议纪要.docx.swp", "temporary"),
        ("Thumbs.db", "system file"),
        ("THUMBS.DB", "system file"),
        ("图纸/desktop.ini", "system file"),
        (".DS_Store", "system file"),
        ("@eaDir/竣工图.pdf", "system folder"),
        ("项目A/@eaDir/竣工图.pdf@SynoEAStream/缩略图.pdf", "system folder"),
        (".stfolder/报告.pdf", "system folder"),
        ("项目A/.git/报告.pdf", "system folder"),
        ("#recycle/已删除的报告.pdf", "system folder"),
        (".草稿/报告.pdf", "hidden folder"),
        (".隐藏报告.pdf", "hidden file"),
        (".done", "hand-off"),
        ("批次一/manifest-sha256.txt", "hand-off"),
        ("批次一/READY", "hand-off"),
        ("照片.heic", "unsupported extension '.heic'"),
        ("说明", "no file extension"),
    ],
)
def test_junk_is_ignored_with_a_reason(relative: str, expected: str) -> None:
    reason = should_ignore(ROOT / relative, ROOT)
    assert reason is not None
    assert expected in reason


def test_path_outside_the_root_and_the_root_itself_are_ignored() -> None:
    assert "outside" in (should_ignore(Path("/srv/别处/报告.pdf"), ROOT) or "")
    assert should_ignore(ROOT, ROOT) is not None


def test_configured_globs_match_names_folders_and_relative_paths() -> None:
    rules = IgnoreRules.from_config(extra_globs=["草稿/*", "*备份*", "*.bak.pdf"])
    assert "草稿/*" in (rules.should_ignore(ROOT / "草稿" / "方案.pdf", ROOT) or "")
    assert "*备份*" in (rules.should_ignore(ROOT / "项目A" / "旧备份2023" / "方案.pdf", ROOT) or "")
    assert rules.should_ignore(ROOT / "方案.BAK.pdf", ROOT) is not None
    assert rules.should_ignore(ROOT / "正式" / "方案.pdf", ROOT) is None
    assert rules.should_ignore(ROOT / "项目A" / "草稿" / "方案.pdf", ROOT) is None  # anchored at the root


def test_configured_extensions_replace_the_defaults() -> None:
    rules = IgnoreRules.from_config(supported_extensions=["PDF", "ofd"])
    assert rules.should_ignore(ROOT / "电子发票.OFD", ROOT) is None
    assert "'.docx'" in (rules.should_ignore(ROOT / "报告.docx", ROOT) or "")


def test_no_extension_filter_lets_any_extension_through_but_still_drops_junk() -> None:
    rules = IgnoreRules(supported_extensions=None)
    assert rules.should_ignore(ROOT / "扫描件.heic", ROOT) is None
    assert rules.should_ignore(ROOT / "~$报告.docx", ROOT) is not None


def test_name_from_a_gbk_share_does_not_crash_and_is_kept() -> None:
    # A share mounted without iocharset=utf8 hands us GBK bytes; Python shows them as surrogates.
    name = os.fsdecode("工程概况.pdf".encode("gbk"))
    assert should_ignore(ROOT / name, ROOT) is None
    assert should_ignore(ROOT / os.fsdecode("~$概况".encode("gbk") + b".docx"), ROOT) is not None
