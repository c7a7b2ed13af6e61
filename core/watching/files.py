"""What the watcher does with paths in a root: filter, scan, map to a project, tidy up afterwards.

Pure helpers around one :class:`schemas.watch.WatchRoot`; the loop in ``core.watching.watcher`` calls
them. The only writes to a share happen in :func:`apply_after_archive`, and only when the root
is configured to ``move`` or ``delete`` — the default ``leave`` never touches the source, which
is what a read-only share needs.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from ingest.watch import IgnoreRules
from schemas.watch import AfterArchive, ProjectMapping, WatchRoot

logger = logging.getLogger(__name__)

DEFAULT_ARCHIVED_FOLDER = ".jiandang-archived"  # hidden, so the ignore rules skip it


class RootRules:
    """The ignore rules, project mapping and after-archive action of one watched root."""

    def __init__(self, root: WatchRoot, default_project: str) -> None:
        self.root = root
        self.path = root.path
        self._default_project = default_project
        self._rules = IgnoreRules.from_config(root.ignore_globs, root.supported_extensions)
        self.archived = root.archived_folder or root.path / DEFAULT_ARCHIVED_FOLDER
        self._marker_names = tuple(root.done_markers)
        self._markers = frozenset(name.casefold() for name in root.done_markers)

    def ignore(self, path: Path, root: Path | None = None) -> str | None:
        """Why ``path`` is not a candidate (junk, unsupported, our own archived folder)."""
        if path == self.archived or self.archived in path.parents:
            return "inside the archived-files folder"
        # A name that is not UTF-8 is *not* a reason: it is archived under a readable name
        # (core.intake.ingestor.readable_name) with its raw bytes in the receipt event.
        return self._rules.should_ignore(path, root or self.path)

    def ignore_for_events(self, path: Path, root: Path | None = None) -> str | None:
        """As :meth:`ignore`, but lets this root's done-markers through: their arrival is a trigger."""
        if self.is_done_marker(path):
            return None
        return self.ignore(path, root)

    def is_done_marker(self, path: Path) -> bool:
        return path.name.casefold() in self._markers

    def released(self, path: Path) -> bool:
        """True when a done-marker sits in the file's folder or any folder above it up to the root."""
        folder = path.parent
        while True:
            if any((folder / name).exists() for name in self._marker_names):
                return True
            if folder == self.path or self.path not in folder.parents:
                return False
            folder = folder.parent

    def released_by(self, marker: Path) -> Path:
        """The folder whose files a marker releases: the one it was written into."""
        return marker.parent

    def project_for(self, path: Path) -> str:
        """First-level folder under the root, or the fixed project (or the default one)."""
        folders = path.relative_to(self.path).parts[:-1]
        if self.root.project_mapping == ProjectMapping.FIRST_LEVEL_FOLDER and folders:
            return folders[0]
        return self.root.project or self._default_project

    def folder_hints(self, path: Path) -> tuple[str, ...]:
        """Folder names nearest first, as ``jiandang ingest`` passes them to the classifier."""
        folders = path.relative_to(self.path).parts[:-1]
        return tuple(reversed((self.path.name, *folders)))

    def scan(self) -> Iterator[tuple[Path, int, int]]:
        """Every candidate file under the root with its (size, mtime_ns); junk folders pruned."""
        for directory, subdirs, names in os.walk(self.path):
            here = Path(directory)
            subdirs[:] = sorted(d for d in subdirs if not self._prune(here / d))
            for name in sorted(names):
                path = here / name
                if self.ignore(path) or self.is_done_marker(path):
                    continue
                try:
                    stat = os.stat(path)
                except OSError:
                    continue  # vanished or unreadable mid-scan; the next scan or an event will tell
                if os.path.isfile(path):
                    yield path, stat.st_size, stat.st_mtime_ns

    def _prune(self, folder: Path) -> bool:
        return folder == self.archived or bool(self.ignore(folder / "x.pdf"))

    def after_archive(self, path: Path) -> None:
        """Leave, move or delete the source once its document is durably recorded."""
        action = self.root.after_archive
        if action == AfterArchive.LEAVE:
            return
        try:
            if action == AfterArchive.DELETE:
                path.unlink()
                logger.info("deleted %s after archiving it", path)
                return
            target = _free_name(self.archived / path.relative_to(self.path))
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(path, target)
            logger.info("moved %s to %s after archiving it", path, target)
        except OSError as error:
            # The document is safe in the archive; a share we may not write is no reason to fail.
            logger.warning("archived %s but could not %s it: %s", path, action.value, error)


def _free_name(target: Path) -> Path:
    candidate, number = target, 1
    while candidate.exists():
        candidate = target.with_name(f"{target.stem} ({number}){target.suffix}")
        number += 1
    return candidate
