"""The one place watchdog is imported: its events in, ``(path, kind)`` pairs for the tracker out.

Keeping watchdog behind this thin adapter means the timing rules (``stability.py``) never depend
on a watcher library; paperless-ngx swapped watchdog for watchfiles in 2026 and only had to
replace this kind of shim. The mapping follows what watchdog 7.1 was measured to emit
(stack-notes §3):

==============================  =============================================================
watchdog event                  kind passed on
==============================  =============================================================
FileCreatedEvent                ``created``
FileModifiedEvent / Attrib      ``modified`` (copy2 sets the mtime after the close)
FileOpenedEvent                 ``opened`` (inotify only)
FileClosedEvent                 ``closed_write`` (inotify only)
FileClosedNoWriteEvent          ``closed_nowrite`` (a reader let go)
FileDeletedEvent                ``deleted`` (also a move out of the folder)
FileMovedEvent                  ``deleted`` for the source, ``moved_in`` for a dest in a root
DirMovedEvent into a root       ``moved_in`` for every file under the new folder
DirCreatedEvent                 ``created`` for every file already inside (a folder moved in)
==============================  =============================================================

The last two rows close paperless-ngx #5881 (a whole folder moved in is never seen): we walk the
folder ourselves instead of trusting the backend to synthesise per-file events. Duplicates are
harmless because the tracker keys on the path.

``on_event`` is called on watchdog's thread. The tracker is not thread-safe, so the caller should
hand events to its own loop (a ``queue.Queue`` is enough). An exception in ``on_event`` is logged
and swallowed so one bad event cannot kill the observer thread.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirMovedEvent,
    FileAttribEvent,
    FileClosedEvent,
    FileClosedNoWriteEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileOpenedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

logger = logging.getLogger(__name__)

EventCallback = Callable[[Path, str], None]
IgnoreFn = Callable[[Path, Path], str | None]

_SIMPLE_KINDS: dict[type[FileSystemEvent], str] = {
    FileCreatedEvent: "created",
    FileModifiedEvent: "modified",
    FileAttribEvent: "modified",
    FileOpenedEvent: "opened",
    FileClosedEvent: "closed_write",
    FileClosedNoWriteEvent: "closed_nowrite",
    FileDeletedEvent: "deleted",
}


class FolderObserver:
    """Watch ``roots`` recursively by inotify (``"events"``) or by polling, reporting to ``on_event``.

    ``ignore(path, root)`` (e.g. ``rules.IgnoreRules().should_ignore``) is applied before
    ``on_event`` so junk never leaves this adapter. Also usable as a context manager.
    """

    def __init__(
        self,
        roots: list[Path],
        mode: str,
        poll_interval: float,
        on_event: EventCallback,
        ignore: IgnoreFn | None = None,
    ) -> None:
        if mode not in ("events", "polling"):
            raise ValueError(f"mode must be 'events' or 'polling', not {mode!r}")
        # abspath, not resolve(): watchdog reports paths under the root exactly as it was given.
        self.roots = [Path(os.path.abspath(root)) for root in roots]
        self.mode = mode
        self.poll_interval = poll_interval
        self._on_event = on_event
        self._ignore = ignore
        self._observer: BaseObserver | None = None

    def start(self) -> None:
        """Schedule every root and start the watchdog thread; a missing root raises ``OSError``."""
        if self._observer is not None:
            return
        observer = PollingObserver(timeout=self.poll_interval) if self.mode == "polling" else Observer()
        handler = _Handler(self)
        for root in self.roots:
            observer.schedule(handler, str(root), recursive=True)
        observer.start()
        self._observer = observer
        logger.info("watching %d folder(s) by %s", len(self.roots), self.mode)

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the watchdog thread and wait up to ``timeout`` seconds for it to end."""
        observer, self._observer = self._observer, None
        if observer is None:
            return
        observer.stop()
        observer.join(timeout)

    @property
    def running(self) -> bool:
        return self._observer is not None and self._observer.is_alive()

    def __enter__(self) -> FolderObserver:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def translate(self, event: FileSystemEvent) -> list[tuple[Path, str]]:
        """The ``(path, kind)`` pairs one watchdog event stands for (before ignore rules)."""
        kind = _SIMPLE_KINDS.get(type(event))
        if kind is not None:
            return [(_as_path(event.src_path), kind)]
        if isinstance(event, FileMovedEvent):
            pairs = []
            if self._root_of(_as_path(event.src_path)) is not None:
                pairs.append((_as_path(event.src_path), "deleted"))
            dest = _as_path(event.dest_path)
            if self._root_of(dest) is not None:
                pairs.append((dest, "moved_in"))
            return pairs
        if isinstance(event, DirMovedEvent) and event.dest_path:
            dest = _as_path(event.dest_path)
            if self._root_of(dest) is not None:
                return [(path, "moved_in") for path in _files_under(dest)]
            return []
        if isinstance(event, DirCreatedEvent):
            return [(path, "created") for path in _files_under(_as_path(event.src_path))]
        return []  # DirModified, DirDeleted, DirOpened…: nothing to track

    def _dispatch(self, event: FileSystemEvent) -> None:
        for path, kind in self.translate(event):
            root = self._root_of(path)
            if root is None:
                continue
            if self._ignore is not None:
                reason = self._ignore(path, root)
                if reason:
                    logger.debug("ignoring %s: %s", path, reason)
                    continue
            try:
                self._on_event(path, kind)
            except Exception:
                logger.exception("event handler failed for %s (%s)", path, kind)

    def _root_of(self, path: Path) -> Path | None:
        for root in self.roots:
            if path == root or root in path.parents:
                return root
        return None


class _Handler(FileSystemEventHandler):
    def __init__(self, owner: FolderObserver) -> None:
        super().__init__()
        self._owner = owner

    def on_any_event(self, event: FileSystemEvent) -> None:
        self._owner._dispatch(event)


def _as_path(raw: str | bytes) -> Path:
    return Path(os.fsdecode(raw))


def _files_under(folder: Path) -> Iterator[Path]:
    """Every regular file below ``folder``; a folder that vanished mid-walk yields what was found."""
    for directory, _subdirs, names in os.walk(folder):
        for name in names:
            yield Path(directory, name)
