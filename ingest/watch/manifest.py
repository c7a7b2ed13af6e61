"""Checksum manifests and done-markers that contractors drop beside a batch of files.

Stability checks guess when a file is finished; a producer that ships a checksum list (BagIt's
``manifest-sha256.txt``, or the output of ``sha256sum``) or touches a ``READY`` file when the copy
is over *tells* us, and lets us prove every file arrived intact (Archivematica's "verify transfer
checksums", prior-art §3.1 lesson 5). Nothing here decides what to do about a bad batch: this
module only finds, parses and compares, and reports every problem it sees.

Manifests from Chinese offices are written by all sorts of tools, so parsing is forgiving about
what does not matter (a UTF-8 BOM, CRLF line ends, Windows ``\\`` separators, upper-case hex, a GBK
file) and strict about what does (a hash that is not 64 hex digits, a path that leaves the folder,
one path listed with two different hashes): those lines are reported, never silently dropped.
"""

from __future__ import annotations

import hashlib
import logging
import os
import posixpath
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

logger = logging.getLogger(__name__)

# Looked for in this order, in the dropped folder and then in its ``metadata/`` sub-folder
# (where Archivematica transfers keep ``checksum.sha256``). Names match case-insensitively.
MANIFEST_NAMES: tuple[str, ...] = (
    "manifest-sha256.txt",
    "checksum.sha256",
    "checksums.sha256",
    "SHA256SUMS",
    "sha256sums.txt",
)
MANIFEST_FOLDERS: tuple[str, ...] = ("", "metadata")
DONE_MARKER_NAMES: tuple[str, ...] = (".done", "READY", "_COMPLETE")
# Bag tag files: metadata about the batch, never payload, so never "unlisted".
_TAG_FILE_PATTERN = re.compile(r"^(tag)?manifest-[a-z0-9]+\.txt$|^bagit\.txt$|^bag-info\.txt$", re.IGNORECASE)

_SHA256_HEX = re.compile(r"^[0-9a-fA-F]{64}$")
_SHA256SUM_LINE = re.compile(r"^(?P<hash>[0-9a-fA-F]+) (?P<mode>[ *])(?P<path>.*)$", re.DOTALL)
_BSD_TAG_LINE = re.compile(r"^SHA256 \((?P<path>.*)\) = (?P<hash>[0-9a-fA-F]+)$", re.DOTALL)
_BAGIT_LINE = re.compile(r"^(?P<hash>\S+)[ \t]+(?P<path>.+)$", re.DOTALL)
_BAGIT_ESCAPES = re.compile(r"%(0A|0D|25)", re.IGNORECASE)


@dataclass(frozen=True)
class MalformedLine:
    """A manifest line we could not use, with its 1-based number and what is wrong with it."""

    line_number: int
    text: str
    problem: str


class Manifest(dict[str, str]):
    """Relative path (``/``-separated, NFC) → lower-case sha256 hex, plus what could not be read.

    A plain dict so callers can use it as one; ``source`` is the manifest file (paths are relative
    to its folder) and ``malformed`` lists the lines that were skipped and why.
    """

    def __init__(
        self,
        entries: Iterable[tuple[str, str]] = (),
        *,
        source: Path | None = None,
        malformed: Iterable[MalformedLine] = (),
    ) -> None:
        super().__init__(entries)
        self.source = source
        self.malformed: list[MalformedLine] = list(malformed)


@dataclass
class ManifestResult:
    """How a folder compares with its manifest; paths are relative to the folder, sorted."""

    mismatched: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unlisted: list[str] = field(default_factory=list)
    malformed: list[MalformedLine] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.mismatched or self.missing or self.unlisted or self.malformed)


def find_manifest(folder: Path) -> Path | None:
    """The checksum manifest of a dropped folder, or ``None`` when the producer sent none."""
    for sub in MANIFEST_FOLDERS:
        found = _find_named(folder / sub if sub else folder, MANIFEST_NAMES)
        if found is not None:
            return found
    return None


def find_done_marker(folder: Path) -> Path | None:
    """The producer's "this batch is complete" marker file in ``folder``, if there is one."""
    return _find_named(folder, DONE_MARKER_NAMES)


def is_handoff_file(name: str) -> bool:
    """True for manifests, bag tag files and done-markers: batch metadata, not documents."""
    folded = name.casefold()
    names = {candidate.casefold() for candidate in (*MANIFEST_NAMES, *DONE_MARKER_NAMES)}
    return folded in names or bool(_TAG_FILE_PATTERN.match(name))


def parse_manifest(path: Path) -> Manifest:
    """Read a BagIt or sha256sum-style manifest; bad lines end up in ``Manifest.malformed``.

    ``manifest-*.txt`` files are read as BagIt (hash, whitespace, path; ``%0A``/``%0D``/``%25``
    decoded). Anything else is read as ``sha256sum`` output: two spaces or `` *`` (binary marker)
    between hash and path, ``\\``-escaped lines, and the ``SHA256 (path) = hash`` tag form.
    """
    text = _read_text(path)
    bagit = path.name.casefold().startswith(("manifest-", "tagmanifest-"))
    entries: dict[str, str] = {}
    malformed: list[MalformedLine] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.removesuffix("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parsed = _parse_bagit_line(line) if bagit else _parse_sha256sum_line(line)
        if isinstance(parsed, str):
            malformed.append(MalformedLine(number, line, parsed))
            continue
        relative, digest = parsed
        previous = entries.get(relative)
        if previous is not None and previous != digest:
            malformed.append(
                MalformedLine(number, line, f"{relative!r} is listed twice with different checksums")
            )
            continue
        entries[relative] = digest
    if malformed:
        logger.warning("manifest %s: %d malformed line(s)", path, len(malformed))
    return Manifest(entries.items(), source=path, malformed=malformed)


def verify(
    folder: Path,
    manifest: Manifest | dict[str, str],
    ignore: Callable[[Path, Path], str | None] | None = None,
) -> ManifestResult:
    """Hash every listed file under ``folder`` and compare; also list files the manifest omits.

    Manifest paths are relative to the manifest's own folder (``folder`` for a plain dict).
    ``ignore(path, folder)`` (e.g. ``rules.should_ignore``) keeps junk such as ``Thumbs.db`` out of
    ``unlisted``; manifests, tag files and done-markers are never counted as unlisted.
    """
    folder = Path(folder)
    source = getattr(manifest, "source", None)
    base = source.parent if source is not None else folder
    result = ManifestResult(malformed=list(getattr(manifest, "malformed", [])))
    present = _payload_files(folder, ignore)
    listed: set[str] = set()
    for relative, expected in manifest.items():
        in_folder = _relative_to_folder(folder, base, relative)
        if in_folder is None:
            result.malformed.append(MalformedLine(0, relative, "path points outside the folder"))
            continue
        listed.add(in_folder)
        actual_path = present.get(in_folder)
        if actual_path is None:
            result.missing.append(in_folder)
        elif sha256_of(actual_path) != expected.lower():
            result.mismatched.append(in_folder)
    result.unlisted = sorted(set(present) - listed)
    result.missing.sort()
    result.mismatched.sort()
    return result


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in chunks (``hashlib.file_digest``) so large scans do not fill memory."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _find_named(folder: Path, wanted: tuple[str, ...]) -> Path | None:
    try:
        by_name = {entry.name.casefold(): Path(entry.path) for entry in os.scandir(folder)
               if entry.is_file(follow_symlinks=False)}
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return None
    for name in wanted:
        found = by_name.get(name.casefold())
        if found is not None:
            return found
    return None


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Chinese Windows tools still write the ANSI code page; gb18030 is its superset.
        logger.warning("manifest %s is not UTF-8; reading it as GB18030", path)
        return data.decode("gb18030", errors="replace")


def _parse_sha256sum_line(line: str) -> tuple[str, str] | str:
    escaped = line.startswith("\\")
    body = line[1:] if escaped else line
    # Strict sha256sum output first; then the tag form; then "<hash> <path>" as people type it.
    match = _SHA256SUM_LINE.match(body) or _BSD_TAG_LINE.match(body) or _BAGIT_LINE.match(body)
    if match is None:
        return "expected '<sha256>  <path>' or '<sha256> *<path>'"
    path = match.group("path")
    if escaped:
        path = _unescape_sha256sum(path)
    elif "\\" in path:
        path = path.replace("\\", "/")  # written on Windows: backslash is a separator here
    return _checked_entry(match.group("hash"), path)


def _parse_bagit_line(line: str) -> tuple[str, str] | str:
    match = _BAGIT_LINE.match(line)
    if match is None:
        return "expected '<sha256> <path>'"
    path = _BAGIT_ESCAPES.sub(
        lambda m: {"0a": "\n", "0d": "\r", "25": "%"}[m.group(1).lower()], match.group("path")
    )
    return _checked_entry(match.group("hash"), path)


def _unescape_sha256sum(path: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "r": "\r", "\\": "\\"}.get(m.group(1), m.group(0)), path)


def _checked_entry(digest: str, path: str) -> tuple[str, str] | str:
    if not _SHA256_HEX.match(digest):
        return f"checksum {digest[:80]!r} is not 64 hex digits"
    if not path:
        return "no file path after the checksum"
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        return f"absolute path {path!r}; manifest paths must be relative"
    normalised = posixpath.normpath(path.removeprefix("./"))
    if normalised in (".", ""):
        return f"path {path!r} names no file"
    return unicodedata.normalize("NFC", normalised), digest.lower()


def _relative_to_folder(folder: Path, base: Path, relative: str) -> str | None:
    """The manifest path as a path relative to ``folder``; ``None`` if it escapes the folder."""
    try:
        prefix = base.relative_to(folder).as_posix()
    except ValueError:
        return None
    joined = posixpath.normpath(posixpath.join(prefix, relative) if prefix != "." else relative)
    if joined == ".." or joined.startswith("../"):
        return None
    return joined


def _payload_files(folder: Path, ignore: Callable[[Path, Path], str | None] | None) -> dict[str, Path]:
    """Every regular file under ``folder`` that is not batch metadata, keyed by NFC relative path."""
    files: dict[str, Path] = {}
    for directory, _subdirs, names in os.walk(folder):
        for name in names:
            path = Path(directory, name)
            if is_handoff_file(name) or (ignore is not None and ignore(path, folder)):
                continue
            relative = unicodedata.normalize("NFC", path.relative_to(folder).as_posix())
            files[relative] = path
    return files
