"""Which paths in a watched folder are junk, decided before any other work is spent on them.

Shares fill up with files nobody means to archive: Office lock files (``~$报告.docx``), browser and
rsync partial downloads, NAS and sync-tool bookkeeping folders (Synology ``@eaDir``, Syncthing
``.stfolder``), OS litter (``Thumbs.db``, ``.DS_Store``). Peers that let those reach the stability
tracker or the converters waste work and fill reports with noise (prior-art §3.1, lesson 7), and a
lock file ingested as a "document" is worse than useless. So every event is filtered here first,
by name only: no stat, no open, so a flood of junk events costs nothing.

Matching is case-insensitive because Windows clients write ``THUMBS.DB`` and ``Report.PDF`` onto
the same share, and it never raises on odd names (newlines, full-width punctuation, names that
are not valid UTF-8 and arrive as surrogate escapes from a share mounted with the wrong charset).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath

from ingest.watch.manifest import is_handoff_file

# Folders that belong to a NAS, a sync tool, a VCS or the OS; everything under them is skipped.
IGNORED_DIRECTORY_NAMES: frozenset[str] = frozenset(
    name.casefold()
    for name in (
        "@eaDir",  # Synology thumbnails / metadata
        "#recycle",  # Synology recycle bin
        "#snapshot",
        ".stfolder",  # Syncthing
        ".stversions",
        ".git",
        ".svn",
        "__MACOSX",
        ".Trashes",
        ".Spotlight-V100",
        ".fseventsd",
        "$RECYCLE.BIN",
        "System Volume Information",
    )
)

# Exact file names (case-insensitive) that are never documents.
IGNORED_FILE_NAMES: frozenset[str] = frozenset(
    name.casefold() for name in ("Thumbs.db", "ehthumbs.db", "desktop.ini", ".DS_Store", "Icon\r")
)

# Name globs for files still being written or held by an editor: lock files, partial downloads,
# editor swap files. Matched against the casefolded name.
TRANSIENT_NAME_GLOBS: tuple[str, ...] = (
    "~$*",  # MS Office owner/lock file
    ".~lock.*#",  # LibreOffice lock file
    "*.tmp",  # also Word's own ~WRL0001.tmp save files
    "*.temp",
    "*.part",
    "*.partial",
    "*.crdownload",
    "*.download",
    "*.filepart",  # WinSCP
    "*.swp",
    "*.swx",
    ".smbdelete*",  # Samba delete-on-close placeholder
)

# What the converters read (ingest/failures.py) plus scan images that OCR will take. Core may pass
# its own set; ``None`` there means "let every extension through and let ingest decide".
DEFAULT_SUPPORTED_EXTENSIONS: frozenset[str] = frozenset(
    {
        ".pdf",
        ".docx",
        ".xlsx",
        ".xlsm",
        ".xls",
        ".txt",
        ".csv",
        ".md",
        ".jpg",
        ".jpeg",
        ".png",
        ".tif",
        ".tiff",
    }
)


@dataclass(frozen=True)
class IgnoreRules:
    """The fixed junk rules plus what a site configures: extra globs and the extensions it takes.

    ``extra_globs`` are matched (case-insensitively) against the file name, against every folder
    name on the way from the root, and against the whole path relative to the root written with
    ``/`` (so ``草稿/*`` and ``*备份*`` both work). ``supported_extensions`` are lower-case with the
    dot; ``None`` accepts any extension.
    """

    extra_globs: tuple[str, ...] = ()
    supported_extensions: frozenset[str] | None = DEFAULT_SUPPORTED_EXTENSIONS

    @classmethod
    def from_config(
        cls, extra_globs: Iterable[str] = (), supported_extensions: Iterable[str] | None = None
    ) -> IgnoreRules:
        """Build from plain config values, normalising extensions to ``.lower``."""
        extensions = DEFAULT_SUPPORTED_EXTENSIONS
        if supported_extensions is not None:
            extensions = frozenset(_normalise_extension(ext) for ext in supported_extensions)
        return cls(extra_globs=tuple(extra_globs), supported_extensions=extensions)

    def should_ignore(self, path: Path, root: Path) -> str | None:
        """Why ``path`` (a file under ``root``) is not for the archive, or ``None`` to keep it."""
        try:
            relative = PurePosixPath(*Path(path).relative_to(root).parts)
        except ValueError:
            return f"outside the watched folder {root}"
        parts = relative.parts
        if not parts:
            return "is the watched folder itself"
        *folders, name = parts
        reason = _folder_reason(folders) or _name_reason(name)
        if reason:
            return reason
        reason = self._configured_reason(folders, name, relative.as_posix())
        if reason:
            return reason
        return self._extension_reason(name)

    def _configured_reason(self, folders: list[str], name: str, relative: str) -> str | None:
        candidates = [name.casefold(), *(folder.casefold() for folder in folders), relative.casefold()]
        for pattern in self.extra_globs:
            folded = pattern.casefold()
            if any(fnmatchcase(candidate, folded) for candidate in candidates):
                return f"matches configured ignore pattern {pattern!r}"
        return None

    def _extension_reason(self, name: str) -> str | None:
        if self.supported_extensions is None:
            return None
        suffix = PurePosixPath(name).suffix.casefold()
        if not suffix:
            return "has no file extension"
        if suffix not in self.supported_extensions:
            return f"unsupported extension {suffix!r}"
        return None


def should_ignore(path: Path, root: Path, rules: IgnoreRules | None = None) -> str | None:
    """Why ``path`` under ``root`` is skipped (``None`` when it should be watched).

    The default rules are the fixed junk rules and the default supported extensions.
    """
    return (rules or IgnoreRules()).should_ignore(path, root)


def _folder_reason(folders: list[str]) -> str | None:
    for folder in folders:
        folded = folder.casefold()
        if folded in IGNORED_DIRECTORY_NAMES:
            return f"inside system folder {folder!r}"
        if folder.startswith("."):
            return f"inside hidden folder {folder!r}"
    return None


def _name_reason(name: str) -> str | None:
    folded = name.casefold()
    if folded in IGNORED_FILE_NAMES:
        return f"system file {name!r}"
    for pattern in TRANSIENT_NAME_GLOBS:
        if fnmatchcase(folded, pattern):
            return f"temporary or lock file (matches {pattern!r})"
    if is_handoff_file(name):
        return "hand-off metadata (checksum manifest or done marker), read by the batch check instead"
    if name.startswith("."):
        return "hidden file"
    return None


def _normalise_extension(extension: str) -> str:
    extension = extension.strip().casefold()
    return extension if extension.startswith(".") else f".{extension}"
