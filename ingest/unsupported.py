"""Turns what the FileTypeRouter could not route into UNSUPPORTED failures with a useful reason.

Without this, files of a type we do not read would leave the pipeline through the router's
"unclassified" output as bare sources, and the reason for quarantining them would be written
somewhere else; here it is written once, next to the list of formats we do read.
"""

from __future__ import annotations

from pathlib import PurePath

from haystack import component
from haystack.components.converters.utils import normalize_metadata
from haystack.dataclasses import ByteStream

from ingest.failures import ConversionFailure, make_failure, source_name_from_meta
from ingest.sources import Source
from schemas.ingest import QuarantineCode

SUPPORTED_DESCRIPTION = "PDF, DOCX, DOC/WPS, OFD, XLSX/XLSM/XLS, TXT/CSV/MD, JPG/PNG/TIFF, DXF/DWG"
_HINTS = {
    ".et": "WPS spreadsheet; save it as .xlsx",
    ".ppt": "PowerPoint",
    ".pptx": "PowerPoint",
}


def unsupported_detail(name: str) -> str:
    """The reason text for a file type we do not read, with a hint when we know the type."""
    suffix = PurePath(name).suffix.lower()
    if not suffix:
        return f"has no file extension, so its type is unknown (supported: {SUPPORTED_DESCRIPTION})"
    hint = _HINTS.get(suffix)
    kind = f"{suffix} ({hint})" if hint else suffix
    return f"is an unsupported file type: {kind} (supported: {SUPPORTED_DESCRIPTION})"


@component
class UnsupportedFileReporter:
    """Connect FileTypeRouter's "unclassified" output here to get one failure per file."""

    @component.output_types(failures=list[ConversionFailure])
    def run(self, sources: list[Source], meta: dict | list[dict] | None = None) -> dict:
        """One UNSUPPORTED failure per source, named by its original name."""
        failures = []
        for source, extra_meta in zip(sources, normalize_metadata(meta, len(sources)), strict=True):
            source_meta = {**(source.meta if isinstance(source, ByteStream) else {}), **extra_meta}
            fallback = str(source) if not isinstance(source, ByteStream) else "<unnamed>"
            name = source_name_from_meta(source_meta, fallback=fallback)
            failures.append(
                make_failure(name, QuarantineCode.UNSUPPORTED, unsupported_detail(name), source_meta)
            )
        return {"failures": failures}
