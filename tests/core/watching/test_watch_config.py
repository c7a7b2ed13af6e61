"""Watched roots come from ``[[watch_roots]]`` in jiandang.toml, with safe defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from core import Settings
from schemas.watch import AfterArchive, ProjectMapping, WatchMode


def test_watch_roots_from_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "jiandang.toml"
    config.write_text(
        f"""
[[watch_roots]]
path = "{tmp_path / '扫描仪投递'}"
mode = "polling"
poll_interval = 10
stability_window = 8
after_archive = "move"
archived_folder = "{tmp_path / '已归档'}"
ignore_globs = ["草稿/*", "*备份*"]
supported_extensions = ["pdf", ".DOCX"]

[[watch_roots]]
path = "{tmp_path / '城建档案'}"
project_mapping = "fixed"
project = "GZ-2026-001"
""",
        encoding="utf-8",
    )
    monkeypatch.setenv("JIANDANG_CONFIG", str(config))
    scanner, fixed = Settings(home=tmp_path / "home").watch_roots
    assert scanner.mode == WatchMode.POLLING and scanner.poll_interval == 10
    assert scanner.after_archive == AfterArchive.MOVE and scanner.archived_folder == tmp_path / "已归档"
    assert scanner.project_mapping == ProjectMapping.FIRST_LEVEL_FOLDER
    assert fixed.fixed_project() == "GZ-2026-001"
    assert fixed.after_archive == AfterArchive.LEAVE, "never touch a share unless configured"
    assert fixed.mode == WatchMode.AUTO
