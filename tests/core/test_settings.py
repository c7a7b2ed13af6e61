"""Settings come from arguments, JIANDANG_* variables and an optional TOML file, in that order."""

from __future__ import annotations

from pathlib import Path

import pytest

from core import Settings


def test_layout_under_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JIANDANG_DATABASE_URL", raising=False)  # the default when no database is named
    settings = Settings(home=tmp_path / "档案")
    assert settings.originals_path == tmp_path / "档案" / "originals"
    assert settings.catalog_url == f"sqlite:///{tmp_path / '档案' / 'catalog.sqlite3'}"


def test_environment_and_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "jiandang.toml").write_text('max_file_bytes = 1234\ndefault_project = "机关-01"\n', encoding="utf-8")
    monkeypatch.setenv("JIANDANG_HOME", str(home))
    monkeypatch.setenv("JIANDANG_REVIEW_THRESHOLD", "0.7")
    settings = Settings()
    assert settings.home == home
    assert settings.max_file_bytes == 1234
    assert settings.default_project == "机关-01"
    assert settings.review_threshold == 0.7
    assert Settings(max_file_bytes=99).max_file_bytes == 99
