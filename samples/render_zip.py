"""Zip output for Office files: fixed entry times, so the same content gives the same bytes.

python-docx and openpyxl both stamp "now" into every zip entry (and openpyxl into the modified
property). The generator promises that one seed gives identical files, so both writers save
through ``FixedTimeZipFile`` and stamp the document's own date as its created/modified time.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

_ZIP_TIME = (2024, 1, 1, 0, 0, 0)


def stamp(when: date, hour: int = 9) -> datetime:
    """The time a document's properties claim it was saved: its own date, in office hours."""
    return datetime(when.year, when.month, when.day, hour, 30, 0)


class FixedTimeZipFile(zipfile.ZipFile):
    """A zip whose entries all carry one fixed time, so equal content gives equal bytes.

    Level-1 deflate: Office files are mostly repetitive XML, and generation speed matters more here
    than the last few percent of size.
    """

    def __init__(self, stream: io.BytesIO) -> None:
        super().__init__(stream, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None) -> None:  # type: ignore[no-untyped-def,override]
        if isinstance(zinfo_or_arcname, str):
            entry = zipfile.ZipInfo(zinfo_or_arcname, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            zinfo_or_arcname = entry
        # ZipFile applies its own level only to entries it names itself, so pass it on explicitly
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel or 1)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None) -> None:  # type: ignore[no-untyped-def,override]
        """openpyxl writes each worksheet to a temporary file first; take its bytes, not its mtime."""
        with open(filename, "rb") as handle:
            self.writestr(arcname or str(filename), handle.read())
