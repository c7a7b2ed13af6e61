"""Why a file could not be turned into text, and which file formats we try at all.

Converters never raise for a bad file: they return a :class:`ConversionFailure` beside the
documents they did produce, so that ``core`` can quarantine exactly that file with a reason an
archivist can act on. The reason always names the file, because it ends up in reports that list
many files at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from schemas import meta as meta_keys
from schemas.ingest import QuarantineCode

PDF_MIME = "application/pdf"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSM_MIME = "application/vnd.ms-excel.sheet.macroEnabled.12"
XLS_MIME = "application/vnd.ms-excel"
TEXT_MIME = "text/plain"
CSV_MIME = "text/csv"
MARKDOWN_MIME = "text/markdown"
JPEG_MIME = "image/jpeg"
PNG_MIME = "image/png"
TIFF_MIME = "image/tiff"
DOC_MIME = "application/msword"
WPS_MIME = "application/vnd.ms-works"
OFD_MIME = "application/ofd"
DXF_MIME = "image/vnd.dxf"
DWG_MIME = "image/vnd.dwg"

# Extension → mime type. Only what a converter here can read; everything else is unsupported.
MIME_TYPES_BY_EXTENSION: dict[str, str] = {
    ".pdf": PDF_MIME,
    ".docx": DOCX_MIME,
    ".xlsx": XLSX_MIME,
    ".xlsm": XLSM_MIME,
    ".xls": XLS_MIME,
    ".txt": TEXT_MIME,
    ".csv": CSV_MIME,
    ".md": MARKDOWN_MIME,
    ".jpg": JPEG_MIME,
    ".jpeg": JPEG_MIME,
    ".png": PNG_MIME,
    ".tif": TIFF_MIME,
    ".tiff": TIFF_MIME,
    ".doc": DOC_MIME,
    ".wps": WPS_MIME,
    ".ofd": OFD_MIME,
    ".dxf": DXF_MIME,
    ".dwg": DWG_MIME,
}

SUPPORTED_MIME_TYPES: tuple[str, ...] = tuple(dict.fromkeys(MIME_TYPES_BY_EXTENSION.values()))

# Which converter reads which mime types. FileTypeRouter accepts regular expressions, so a
# converter that reads several types can sit behind one router output (e.g. TEXT_ROUTE).
PDF_ROUTE = PDF_MIME
DOCX_ROUTE = DOCX_MIME
XLSX_ROUTE = "application/vnd\\.(openxmlformats-officedocument\\.spreadsheetml\\.sheet|ms-excel\\.sheet\\.macroEnabled\\.12)"
XLS_ROUTE = XLS_MIME
TEXT_ROUTE = "text/(plain|csv|markdown)"
IMAGE_ROUTE = "image/(jpeg|png|tiff)"
LEGACY_WORD_ROUTE = "application/(msword|vnd\\.ms-works)"
OFD_ROUTE = OFD_MIME
DXF_ROUTE = DXF_MIME
DWG_ROUTE = DWG_MIME


def mime_type_for(name: str) -> str | None:
    """The mime type we route a file by, from its name; None when no converter reads it.

    Decided by extension (case-insensitive) rather than by sniffing, because the name is what the
    archivist sees and can fix; the converters still check the bytes and report a mismatch.
    """
    return MIME_TYPES_BY_EXTENSION.get(PurePath(name).suffix.lower())


@dataclass
class ConversionFailure:
    """One file that produced no usable text, with the quarantine code and a specific reason."""

    source_name: str
    code: QuarantineCode
    reason: str
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"source_name": self.source_name, "code": self.code.value, "reason": self.reason}


class ConversionError(Exception):
    """Raised inside a converter for a file it cannot read; turned into a ConversionFailure.

    ``detail`` completes the sentence that starts with the file name, e.g. "is encrypted
    (password required)".
    """

    def __init__(self, code: QuarantineCode, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


def failure_reason(source_name: str, detail: str) -> str:
    """The one sentence format for every reason: 《name》detail."""
    return f"《{source_name}》{detail}"


def make_failure(
    source_name: str, code: QuarantineCode, detail: str, meta: dict[str, Any] | None = None
) -> ConversionFailure:
    return ConversionFailure(
        source_name=source_name, code=code, reason=failure_reason(source_name, detail), meta=dict(meta or {})
    )


def source_name_from_meta(meta: dict[str, Any], fallback: str = "<unnamed>") -> str:
    """The name the archivist knows the file by: the original name, else the path it came from."""
    for key in (meta_keys.ORIGINAL_NAME, "file_path", meta_keys.SOURCE_PATH):
        value = meta.get(key)
        if value:
            return str(value)
    return fallback
