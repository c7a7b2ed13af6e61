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


def test_a_home_too_deep_for_a_socket_keeps_its_files_and_moves_only_the_socket(
        environment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import multiprocessing.connection
    import multiprocessing.process

    # A fresh process has no multiprocessing folder yet; this test process may have made one.
    monkeypatch.setitem(multiprocessing.process.current_process()._config, "tempdir", None)
    home = tmp_path / ("很长的目录名" * 8)
    confine_scratch(home)
    assert os.environ["TMPDIR"] == str(home / "tmp") == tempfile.gettempdir(), "files stay in the home"
    sockets = Path(multiprocessing.util.get_temp_dir())
    assert not sockets.is_relative_to(home) and len(os.fsencode(sockets)) < 40
    assert stat.S_IMODE(sockets.stat().st_mode) == 0o700, "nobody else may look in"
    with multiprocessing.connection.Listener(family="AF_UNIX") as listener:  # binds in that folder
        assert Path(listener.address).parent == sockets
