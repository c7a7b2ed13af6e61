"""The files a batch names: every regular file under the given paths, in a stable order, and one
report line for everything else found there.

Each file carries its folder names (nearest first) as hints for filing: an archivist's folder
called 竣工图 or 监理资料 says something about what is inside.

Nothing but regular files is ever opened, and nothing is followed out of the folder that was
dropped: a symbolic link (to ``/etc/passwd``, to a directory, to itself, to nowhere), a named
pipe (opening it would wait for ever), a socket or a device gets a report line saying what it
is, and is left alone. Folders are listed through directory handles (``os.fwalk``), so a tree
deeper than the system's path limit is still listed, and a file whose path is too long to open
gets a line too. A path named on the command line is taken as given (following a link there is
what the operator asked for).
"""

from __future__ import annotations

import os
import stat
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

from core.errors import PathNotFound
from core.intake.entries import PATH_MAX, why_not_a_file
from core.intake.ingestor import Arrival
from schemas.ingest import IngestRequest

Found = tuple[Path, tuple[str, ...], str | None]  # path, folder hints, why it is refused (None: a file to take)


def require_paths(paths: Iterable[Path]) -> None:
    """Refuse the whole batch, naming the first path, when any of them does not exist."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise PathNotFound(f"no such file or folder: {', '.join(missing)}", path=missing[0])


def arrivals(request: IngestRequest, default_project: str) -> Iterator[Arrival]:
    """One ``Arrival`` per file (or refused entry) of the request, all in one batch (one batch id)."""
    require_paths(request.paths)
    batch_id = uuid.uuid4().hex
    project = request.project or default_project
    for root in request.paths:
        for path, hints, refused in walk_all(root):
            yield Arrival(path=path, batch_id=batch_id, source=request.source, project_code=project,
                          folder_hints=hints, refused=refused)


def walk(root: Path) -> Iterable[tuple[Path, tuple[str, ...]]]:
    """Every regular file under ``root`` in a stable order, with its folder names as hints."""
    return ((path, hints) for path, hints, refused in walk_all(root) if refused is None)


def _target(name: str, dir_fd: int) -> str:
    try:
        return os.readlink(name, dir_fd=dir_fd)
    except OSError as error:
        return f"（读不出：{error.strerror}）"


def _entry(here: Path, name: str, dir_fd: int, hints: tuple[str, ...]) -> Found | None:
    path = here / name
    try:
        mode = os.lstat(name, dir_fd=dir_fd).st_mode
    except OSError:
        return None  # gone since it was listed
    target = _target(name, dir_fd) if stat.S_ISLNK(mode) else None
    refused = why_not_a_file(mode, path, target)
    if refused is None and len(os.fsencode(path)) >= PATH_MAX:
        refused = (f"《{name}》的完整路径有 {len(os.fsencode(path)):,} 字节，超过系统 {PATH_MAX} 字节的上限，"
                   "无法打开；请缩短文件夹层级后重新交来")
    return path, hints, refused


def walk_all(root: Path) -> Iterator[Found]:
    """Every entry under ``root`` that is not a folder, in a stable order: files to take, and the rest refused."""
    if not root.is_dir():
        named = Path(os.path.realpath(root)) if root.is_symlink() else root  # a named link is followed
        hints = (root.parent.name,) if root.parent.name else ()
        yield named, hints, why_not_a_file(named.stat().st_mode, named)
        return
    unreadable: list[Found] = []

    def _refuse_folder(error: OSError) -> None:
        folder = Path(error.filename) if error.filename else root
        unreadable.append((folder, (), f"文件夹 {folder} 无法列出（{error.strerror}），其中的文件未读取"))

    real = Path(os.path.realpath(root))  # the root itself may be a link the operator named
    for dirpath, dirnames, filenames, dir_fd in os.fwalk(real, onerror=_refuse_folder):
        here = root / Path(dirpath).relative_to(real)
        hints = tuple(reversed((root.name, *here.relative_to(root).parts)))
        linked = [d for d in dirnames if stat.S_ISLNK(os.lstat(d, dir_fd=dir_fd).st_mode)]
        dirnames[:] = sorted(d for d in dirnames if d not in linked)
        for name in sorted([*filenames, *linked]):
            found = _entry(here, name, dir_fd, hints)
            if found is not None:
                yield found
    yield from unreadable
