"""Batches: the files that arrive in one folder together, with one report and one manifest check.

A contractor's delivery is a folder (``交付/2026-11 监理资料/``) copied into a share; archivists
want one report for it, not a thousand lines scattered over the day. A batch is keyed by its
*batch folder* (the first folder under the root, or under the project folder when the first
level names the project). It opens when the first file in that folder is seen and closes when
no file of it is still waiting and the folder has been quiet for a stability window, so a slow
copy stays one batch while a later delivery into the same folder starts a new one.

When a batch closes, a checksum manifest beside the files (``manifest-sha256.txt``,
``checksum.sha256`` …) is compared with the sha256 every file was stored under. A mismatch is
*flagged*, not refused: the bytes that arrived are already stored (nothing lost) and stay
searchable, while the file's report line and job row say ``quarantined`` with the reason and the
document's history gets a ``manifest_mismatch`` event, so the archivist sees it and asks the
sender. Listed files that never arrived and malformed lines go into the batch's summary.
"""

from __future__ import annotations

import logging
import os
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.watch import find_manifest, parse_manifest
from schemas.ingest import FileReport, IngestStatus
from schemas.watch import BatchSummary, ManifestCheck, ProjectMapping, WatchRoot

logger = logging.getLogger(__name__)

MismatchFn = Callable[[str, str, str | None, str], None]  # (root, path, document_id, reason)


def batch_folder(root: WatchRoot, path: Path) -> Path:
    """The folder whose contents count as one delivery for ``path``."""
    folders = path.relative_to(root.path).parts[:-1]
    depth = 2 if root.project_mapping == ProjectMapping.FIRST_LEVEL_FOLDER else 1
    return root.path.joinpath(*folders[:depth])


@dataclass
class Batch:
    batch_id: str
    root: WatchRoot
    folder: Path
    pending: set[Path] = field(default_factory=set)
    lines: list[FileReport] = field(default_factory=list)
    sha256: dict[str, str] = field(default_factory=dict)
    last_activity: float = 0.0


@dataclass(frozen=True)
class ClosedBatch:
    summary: BatchSummary
    lines: list[FileReport]


class BatchBook:
    """Open batches of one watcher; used only from the loop thread."""

    def __init__(self, quiet: Callable[[WatchRoot], float], on_mismatch: MismatchFn) -> None:
        self._quiet = quiet
        self._on_mismatch = on_mismatch
        self._open: dict[Path, Batch] = {}

    def batch_for(self, root: WatchRoot, path: Path, now: float) -> Batch:
        folder = batch_folder(root, path)
        batch = self._open.get(folder)
        if batch is None:
            batch = Batch(uuid.uuid4().hex, root, folder, last_activity=now)
            self._open[folder] = batch
            logger.info("batch %s opened for %s", batch.batch_id[:8], folder)
        return batch

    def waiting(self, root: WatchRoot, path: Path, now: float) -> None:
        batch = self.batch_for(root, path, now)
        batch.pending.add(path)
        batch.last_activity = now

    def decided(self, root: WatchRoot, path: Path, line: FileReport | None, sha256: str | None, now: float) -> str:
        """Record a decided file (``line`` None: it vanished); returns its batch id."""
        batch = self.batch_for(root, path, now)
        batch.pending.discard(path)
        batch.last_activity = now
        if line is not None:
            batch.lines.append(line)
            if sha256:
                batch.sha256[line.path] = sha256
        return batch.batch_id

    def close_quiet(self, now: float, force: bool = False) -> list[ClosedBatch]:
        """Close every batch with nothing pending that has been quiet long enough."""
        closed = []
        for folder, batch in list(self._open.items()):
            if batch.pending or (not force and now - batch.last_activity < self._quiet(batch.root)):
                continue
            del self._open[folder]
            if batch.lines:
                closed.append(self._close(batch))
        return closed

    def __len__(self) -> int:
        return len(self._open)

    def _close(self, batch: Batch) -> ClosedBatch:
        check = self._check_manifest(batch)
        summary = BatchSummary(
            batch_id=batch.batch_id, root=str(batch.root.path), folder=str(batch.folder),
            files=len(batch.lines), manifest=check,
        )
        return ClosedBatch(summary, batch.lines)

    def _check_manifest(self, batch: Batch) -> ManifestCheck | None:
        found = find_manifest(batch.folder)
        if found is None:
            return None
        manifest = parse_manifest(found)
        base = found.parent
        check = ManifestCheck(
            manifest=str(found),
            malformed=[f"line {m.line_number}: {m.problem}" for m in manifest.malformed],
        )
        arrived: set[str] = set()
        for index, line in enumerate(batch.lines):
            relative = _relative(Path(line.path), base)
            if relative is None:
                continue
            arrived.add(relative)
            expected = manifest.get(relative)
            actual = batch.sha256.get(line.path)
            if expected is None:
                check.unlisted.append(relative)
            elif actual is not None and actual != expected:
                reason = (f"《{Path(line.path).name}》: checksum {actual[:12]}… does not match "
                          f"{expected[:12]}… listed in {found.name}")
                check.mismatched.append(relative)
                self._on_mismatch(str(batch.root.path), line.path, line.document_id, reason)
                batch.lines[index] = line.model_copy(update={"status": IngestStatus.QUARANTINED, "reason": reason})
        check.missing = sorted(
            relative for relative in manifest
            if relative not in arrived and not os.path.exists(base / relative)
        )
        check.mismatched.sort()
        check.unlisted.sort()
        if check.mismatched or check.missing or check.malformed:
            logger.warning("batch %s: manifest %s: %d mismatched, %d missing, %d malformed",
                           batch.batch_id[:8], found, len(check.mismatched), len(check.missing),
                           len(check.malformed))
        return check


def _relative(path: Path, base: Path) -> str | None:
    try:
        relative = path.relative_to(base).as_posix()
    except ValueError:
        return None
    return unicodedata.normalize("NFC", relative)
