"""A link is followed only where the operator names it: on the command line, not inside a folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from core import ArchiveService
from schemas.ingest import IngestRequest, IngestStatus

pytestmark = pytest.mark.integration


def test_a_link_named_on_the_command_line_is_followed_but_not_one_inside_a_folder(
        service: ArchiveService, tmp_path: Path) -> None:
    real = tmp_path / "别处" / "会议纪要.txt"
    real.parent.mkdir()
    real.write_text("第三次工地例会会议纪要 标记 LK42Q", encoding="utf-8")
    named = tmp_path / "快捷方式.txt"
    named.symlink_to(real)
    folder = tmp_path / "收文"
    folder.mkdir()
    (folder / "链接.txt").symlink_to(real)
    report = service.ingest(IngestRequest(paths=[named, folder], project="链接-01"))
    assert [line.status for line in report.files] == [IngestStatus.INGESTED, IngestStatus.QUARANTINED]
    assert report.files[0].path == str(real) and "符号链接" in (report.files[1].reason or "")
