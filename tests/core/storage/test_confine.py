"""Scratch files stay in the home; a home too deep for a Unix socket gets a private scratch folder."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path

import pytest

from core.storage.confine import confine_scratch


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    for variable in ("TMPDIR", "SQLITE_TMPDIR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setattr(tempfile, "tempdir", None)
    yield


def test_scratch_and_caches_go_under_the_home(environment) -> None:  # type: ignore[no-untyped-def]
    short = Path(tempfile.mkdtemp(prefix="jd-"))  # pytest's own folders are too deep for a socket
    try:
        home = short / "档案室"
        confine_scratch(home)
        assert os.environ["TMPDIR"] == os.environ["SQLITE_TMPDIR"] == str(home / "tmp") == tempfile.gettempdir()
        assert os.environ["XDG_CACHE_HOME"] == str(home / "cache" / "libraries")
    finally:
        shutil.rmtree(short)


def test_a_home_too_deep_for_a_socket_gets_a_private_scratch(environment, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / ("很长的目录名" * 8)
    confine_scratch(home)
    scratch = Path(os.environ["TMPDIR"])
    assert not scratch.is_relative_to(home) and len(os.fsencode(scratch)) < 80
    assert stat.S_IMODE(scratch.stat().st_mode) == 0o700, "nobody else may look in"
    confine_scratch(home)
    assert Path(os.environ["TMPDIR"]) == scratch, "the same home, the same scratch folder"
