"""What every way into the archive (CLI, watcher, upload) sends and gets back.

One request shape and one per-file report shape, so the three skins cannot drift apart: the
watcher, ``jiandang ingest`` and the upload endpoint all build an :class:`IngestRequest` and print
or return the :class:`IngestReport` that ``ArchiveService.ingest`` produces.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field

from schemas.base import Schema


class IngestSource(StrEnum):
    """Where a file came from; recorded on every receipt."""

    CLI = "cli"
    WATCH = "watch"
    UPLOAD = "upload"
    DEMO = "demo"


class IngestStatus(StrEnum):
    """Outcome for one arriving file (the DESIGN.md command-line contract)."""

    INGESTED = "ingested"
    DUPLICATE = "duplicate"
    QUARANTINED = "quarantined"


class QuarantineCode(StrEnum):
    """Why a file could not be read. The human-readable reason always names the file too."""

    EMPTY = "empty"
    TOO_LARGE = "too_large"
    UNSUPPORTED = "unsupported"
    CORRUPT = "corrupt"
    ENCRYPTED = "encrypted"
    NO_TEXT = "no_text"
    UNREADABLE = "unreadable"  # the source could not be opened (permissions, vanished)


class TextStatus(StrEnum):
    """Why a document that was kept (not quarantined) has little or no text.

    Quarantine means "we could not read this file"; these are files we did read and keep, whose
    text is legitimately missing or partial, so the archivist can see why search does not find
    them by content.
    """

    OCR_NOT_INSTALLED = "ocr_not_installed"  # a scan, kept; install the ocr extra and re-read it
    OCR_DISABLED = "ocr_disabled"  # a scan, kept; OCR is switched off in the settings
    NO_TEXT_EXTRACTED = "no_text_extracted"  # a format we store but cannot read text from (DWG)
    NO_TEXT_FOUND = "no_text_found"  # an image OCR found no text in (a site photo, say)
    TRUNCATED = "truncated"  # text past the limit of one document was left out (the original keeps it)


class IngestRequest(Schema):
    """Take these files and folders (folders recursively) into the archive."""

    paths: list[Path]
    project: str | None = Field(default=None, description="project code; files without one go to the inbox project")
    source: IngestSource = IngestSource.CLI


class FileReport(Schema):
    """One line of the report: what happened to one arriving file."""

    path: str
    status: IngestStatus
    document_id: str | None = None
    reason: str | None = None


class IngestCounts(Schema):
    ingested: int = 0
    duplicate: int = 0
    quarantined: int = 0


class IngestReport(Schema):
    """The per-file report of a batch; exactly the ``--json`` shape of ``jiandang ingest``."""

    files: list[FileReport] = Field(default_factory=list)
    counts: IngestCounts = Field(default_factory=IngestCounts)

    def add(self, report: FileReport) -> None:
        self.files.append(report)
        setattr(self.counts, report.status.value, getattr(self.counts, report.status.value) + 1)
