"""Checksum manifests and done-markers beside a dropped folder, on real files with Chinese names."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from ingest.watch.manifest import find_done_marker, find_manifest, parse_manifest, verify
from ingest.watch.rules import should_ignore

FILES = {
    "竣工验收报告.pdf": b"%PDF-1.7 \xe7\xab\xa3\xe5\xb7\xa5 ... %%EOF\n",
    "图纸/结构/地下室外墙 防水节点（修订版）.pdf": b"%PDF-1.4 drawing\n%%EOF\n",
    "监理/监理月报 #3 50%.docx": b"PK\x03\x04 docx bytes",
}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    folder = tmp_path / "批次 2024-05（施工单位）"
    for relative, data in FILES.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder


def write_bagit_manifest(folder: Path, entries: dict[str, bytes]) -> Path:
    manifest = folder / "manifest-sha256.txt"
    lines = [f"{sha(data)}  {relative}\n" for relative, data in entries.items()]
    manifest.write_text("".join(lines), encoding="utf-8")
    return manifest


def test_good_manifest_verifies(batch: Path) -> None:
    write_bagit_manifest(batch, FILES)
    (batch / "READY").write_text("")
    manifest_path = find_manifest(batch)
    assert manifest_path == batch / "manifest-sha256.txt"
    manifest = parse_manifest(manifest_path)
    assert manifest == {relative: sha(data) for relative, data in FILES.items()}
    result = verify(batch, manifest)
    assert result.ok, result


def test_one_wrong_entry_is_mismatched(batch: Path) -> None:
    write_bagit_manifest(batch, FILES)
    (batch / "竣工验收报告.pdf").write_bytes(b"%PDF-1.7 changed after the manifest was made")
    result = verify(batch, parse_manifest(batch / "manifest-sha256.txt"))
    assert result.mismatched == ["竣工验收报告.pdf"]
    assert (result.missing, result.unlisted, result.ok) == ([], [], False)


def test_missing_and_unlisted_files_are_reported(batch: Path) -> None:
    write_bagit_manifest(batch, {**FILES, "图纸/建筑/总平面图.pdf": b"never arrived"})
    (batch / "补充说明.txt").write_text("后补的文件", encoding="utf-8")
    (batch / "图纸" / "Thumbs.db").write_bytes(b"junk")
    result = verify(batch, parse_manifest(batch / "manifest-sha256.txt"), ignore=should_ignore)
    assert result.missing == ["图纸/建筑/总平面图.pdf"]
    assert result.unlisted == ["补充说明.txt"]  # Thumbs.db ignored, the manifest itself never listed
    assert result.mismatched == []


def test_sha256sum_style_with_binary_marker_bom_and_crlf(batch: Path) -> None:
    lines = [f"{sha(data).upper()} *{relative}" for relative, data in FILES.items()]
    (batch / "checksum.sha256").write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    manifest = parse_manifest(find_manifest(batch))  # type: ignore[arg-type]
    assert manifest.malformed == []
    assert set(manifest) == set(FILES)
    assert verify(batch, manifest).ok


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="coreutils sha256sum not installed")
def test_real_sha256sum_output_including_escaped_names(batch: Path) -> None:
    odd = batch / "换行\n名称.pdf"
    odd.write_bytes(b"odd name")
    relatives = [*FILES, "换行\n名称.pdf"]
    output = subprocess.run(
        ["sha256sum", "-b", *relatives], cwd=batch, check=True, capture_output=True
    ).stdout
    (batch / "SHA256SUMS").write_bytes(output)
    manifest = parse_manifest(batch / "SHA256SUMS")
    assert set(manifest) == set(relatives)
    assert verify(batch, manifest).ok


def test_malformed_lines_are_reported_and_the_rest_still_used(batch: Path) -> None:
    good = [f"{sha(data)}  {relative}" for relative, data in FILES.items()]
    text = "\n".join(
        [
            "# 由施工单位生成",
            good[0],
            "abc123  图纸/短哈希.pdf",
            f"{sha(b'x')}",
            good[1],
            f"{'0' * 64}  {next(iter(FILES))}",  # the same file again with another checksum
            f"{sha(b'y')}  /etc/passwd",
            good[2],
        ]
    )
    (batch / "checksum.sha256").write_text(text + "\n", encoding="utf-8")
    manifest = parse_manifest(batch / "checksum.sha256")
    assert set(manifest) == set(FILES)
    problems = {line.line_number: line.problem for line in manifest.malformed}
    assert sorted(problems) == [3, 4, 6, 7]
    assert "64 hex" in problems[3]
    assert "twice" in problems[6]
    assert "absolute" in problems[7]
    result = verify(batch, manifest)
    assert not result.ok
    assert len(result.malformed) == 4 and not result.mismatched


def test_path_escaping_the_folder_is_malformed_not_read(batch: Path, tmp_path: Path) -> None:
    (tmp_path / "外部.pdf").write_bytes(b"outside")
    (batch / "checksum.sha256").write_text(f"{sha(b'outside')}  ../外部.pdf\n", encoding="utf-8")
    result = verify(batch, parse_manifest(batch / "checksum.sha256"))
    assert [line.problem for line in result.malformed] == ["path points outside the folder"]


def test_manifest_in_metadata_folder_with_windows_separators_and_gbk(batch: Path) -> None:
    (batch / "metadata").mkdir()
    lines = [f"{sha(data)}  ..\\{relative.replace('/', chr(92))}" for relative, data in FILES.items()]
    (batch / "metadata" / "checksum.sha256").write_bytes("\r\n".join(lines).encode("gbk"))
    manifest_path = find_manifest(batch)
    assert manifest_path == batch / "metadata" / "checksum.sha256"
    result = verify(batch, parse_manifest(manifest_path))
    assert result.ok, result


def test_decomposed_names_on_disk_match_composed_manifest(tmp_path: Path) -> None:
    name = "Café 验收.pdf"
    (tmp_path / unicodedata.normalize("NFD", name)).write_bytes(b"mac")
    manifest = {unicodedata.normalize("NFC", name): sha(b"mac")}
    assert verify(tmp_path, manifest).ok


def test_bagit_percent_escapes_are_decoded(tmp_path: Path) -> None:
    (tmp_path / "备忘 #1%.txt").write_bytes(b"memo")
    (tmp_path / "manifest-sha256.txt").write_text(f"{sha(b'memo')} 备忘 #1%25.txt\n", encoding="utf-8")
    assert verify(tmp_path, parse_manifest(tmp_path / "manifest-sha256.txt")).ok


def test_done_markers_and_absent_manifest(batch: Path) -> None:
    assert find_manifest(batch) is None
    assert find_done_marker(batch) is None
    (batch / "_COMPLETE").write_text("")
    assert find_done_marker(batch) == batch / "_COMPLETE"
    assert find_done_marker(batch / "不存在") is None
