"""The files a batch names: every regular file under the given paths, in a stable order.

Each file carries its folder names (nearest first) as hints for filing: an archivist's folder
called 竣工图 or 监理资料 says something about what is inside.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

from core.errors import PathNotFound
from core.intake.ingestor import Arrival
from schemas.ingest import IngestRequest


def require_paths(paths: Iterable[Path]) -> None:
    """Refuse the whole batch, naming the first path, when any of them does not exist."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise PathNotFound(f"no such file or folder: {', '.join(missing)}", path=missing[0])


def arrivals(request: IngestRequest, default_project: str) -> Iterator[Arrival]:
    """One ``Arrival`` per file of the request, all in one batch (one batch id)."""
    require_paths(request.paths)
    batch_id = uuid.uuid4().hex
    project = request.project or default_project
    for root in request.paths:
        for path, hints in walk(root):
            yield Arrival(path=path, batch_id=batch_id, source=request.source, project_code=project,
                          folder_hints=hints)


def walk(root: Path) -> Iterable[tuple[Path, tuple[str, ...]]]:
    """Every regular file under ``root`` in a stable order, with its folder names as hints."""
    if root.is_file():
        yield root, (root.parent.name,) if root.parent.name else ()
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        here = Path(dirpath)
        relative = here.relative_to(root).parts
        hints = tuple(reversed((root.name, *relative)))
        for name in sorted(filenames):
            path = here / name
            if path.is_file():
                yield path, hints
