"""Copying stored originals into the staging folder: by the kernel, whole files, resumable.

Each original is copied with ``shutil.copyfile`` (``sendfile``/``copy_file_range`` on Linux: the
bytes never pass through Python, memory stays flat whatever the size) to a ``.part`` name and
renamed once complete, so a half-written copy never carries its final name and an interrupted
export resumes by keeping the files that do. The copy is *verified* after bagging: bagit hashes
every staged file anyway, and ``bagging.check_bagged_digests`` compares that sha256 with the one
the catalog recorded at ingest. Hashing here as well would read every byte a third time.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

from handover.errors import OriginalMissing

logger = logging.getLogger(__name__)

PART_SUFFIX = ".part"


@dataclass(frozen=True)
class CopyResult:
    bytes: int
    resumed: bool


def copy_original(source: Path, target: Path, size: int) -> CopyResult:
    """Copy ``source`` to ``target`` unless an earlier run already finished that copy."""
    if target.is_file() and target.stat().st_size == size:
        return CopyResult(size, resumed=True)
    if not source.is_file():
        raise OriginalMissing(f"the stored original of {target.name} is missing: {source}", path=str(source))
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + PART_SUFFIX)
    try:
        shutil.copyfile(source, part)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    part.replace(target)
    return CopyResult(size, resumed=False)


def sweep_parts(root: Path) -> None:
    """Remove half-written ``.part`` files an interrupted run left behind."""
    for part in root.rglob(f"*{PART_SUFFIX}"):
        part.unlink(missing_ok=True)
