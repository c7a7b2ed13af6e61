"""DWG drawings are stored and catalogued, with the status "no text extracted".

DWG is a closed binary format with no reader among our dependencies (ezdxf reads DXF only;
converting needs the ODA File Converter, a separate install). A DWG is still an archival record:
it is kept, fingerprinted, filed by its name and folder, and shown with a clear status instead of
sitting in quarantine. Its version is read from the 6-byte header ("AC1032" = AutoCAD 2018+).
"""

from __future__ import annotations

from haystack import Document, component

from ingest.failures import ConversionError, ConversionFailure
from ingest.sources import ConvertedText, Source, convert_sources, describe_container
from schemas import meta as meta_keys
from schemas.ingest import QuarantineCode, TextStatus

_VERSIONS = {
    "AC1009": "R11/R12", "AC1012": "R13", "AC1014": "R14", "AC1015": "2000", "AC1018": "2004",
    "AC1021": "2007", "AC1024": "2010", "AC1027": "2013", "AC1032": "2018",
}


def convert_dwg(data: bytes, name: str) -> ConvertedText:
    magic = data[:6].decode("ascii", errors="replace")
    if not magic.startswith("AC") or not magic[2:].isdigit():
        what = describe_container(data) or "not a DWG drawing (no AutoCAD version header)"
        raise ConversionError(QuarantineCode.CORRUPT, f"is not a valid DWG: the content is {what}")
    version = _VERSIONS.get(magic, magic)
    return ConvertedText(
        text="", format="dwg", extractor="none",
        extra_meta={meta_keys.TEXT_STATUS: TextStatus.NO_TEXT_EXTRACTED.value, "dwg_version": f"AutoCAD {version}"},
    )


@component
class DwgCataloguer:
    """Passes DWG files through as documents without text (never quarantined when the header is valid)."""

    @component.output_types(documents=list[Document], failures=list[ConversionFailure])
    def run(self, sources: list[Source], meta: dict | list[dict] | None = None) -> dict:
        """One Document (empty text, status no_text_extracted) per valid DWG, one failure per other file."""
        return convert_sources(sources, meta, convert_dwg, kind="DWG")
