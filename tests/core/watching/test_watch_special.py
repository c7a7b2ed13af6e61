"""A share holding links, a loop of links, a pipe and a socket: the watcher follows none of them,
gives each a report line, and goes on (before: ``/etc/passwd`` was archived and a loop of two links
stopped ``jiandang watch``).
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from core import ArchiveService
from samples.hostile import CASES, write_case
from schemas.ingest import IngestStatus
from schemas.search import SearchQuery
from tests.core.watching.watch_helpers import MODES, root_for

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SPECIAL = CASES[28]
assert SPECIAL.name == "29_special_files"


@pytest.mark.parametrize("mode", MODES)
def test_links_pipes_and_sockets_in_a_share(service: ArchiveService, tmp_path: Path, mode) -> None:  # type: ignore[no-untyped-def]
    share = tmp_path / "共享盘"
    root = root_for(share, mode)
    write_case(SPECIAL, share / "第29批")
    report = service.watch([root], threading.Event(), once=True)
    lines = {Path(line.path).name: line for line in report.files}
    assert lines[f"设计变更通知单_{SPECIAL.marker}.docx"].status == IngestStatus.INGESTED
    for name in ("系统账户.txt", "进程环境.txt", "主机名.txt", "断链.pdf", "自指链接.txt", "循环链接A.txt",
                 "循环链接B.txt", "指向管道.txt", "命名管道.pdf", "套接字.txt"):
        assert lines[name].status == IngestStatus.QUARANTINED, name
        assert "不跟随" in (lines[name].reason or "") or "不是文件" in (lines[name].reason or ""), lines[name].reason
    assert service.search(SearchQuery(text='"root:x:0:0"')).total == 0
    assert service.search(SearchQuery(text=SPECIAL.marker)).total == 1
