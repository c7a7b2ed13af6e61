"""What the watcher tests share: watched-root settings fast enough for tests, and catalog look-ups."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from core import ArchiveService
from schemas.watch import WatchMode, WatchRoot

DEADLINE = 60.0  # an upper bound for condition waits (a loaded machine, reader start-up), not a sleep
MODES = [WatchMode.EVENTS, WatchMode.POLLING]


def root_for(path: Path, mode: WatchMode = WatchMode.EVENTS, **extra: object) -> WatchRoot:
    path.mkdir(parents=True, exist_ok=True)
    options: dict[str, object] = {"stability_window": 0.3, "poll_interval": 0.1, "max_attempts": 2}
    options.update(extra)
    return WatchRoot(path=path, mode=mode, **options)


def query(service: ArchiveService, sql: str, *args: object) -> list[tuple]:
    with sqlite3.connect(service.settings.home / "catalog.sqlite3") as conn:
        return conn.execute(sql, args).fetchall()
