"""Legacy word-processor files (.doc, .wps) → text, whichever of their real formats they are in.

A file named .doc in an agency share is usually a Word 97–2003 OLE file, but may be WordML (the
XML Word 2003 wrote), a DOCX someone renamed, an RTF or a web page; a .wps from WPS Office is
usually the same OLE layout as .doc. We look at the bytes, read the formats we can, and for the
others say exactly what the file is so the archivist knows what to do with it.
"""

from __future__ import annotations

from pathlib import PurePath

from haystack import Document, component

from ingest.docx import convert_docx
from ingest.failures import ConversionError, ConversionFailure
from ingest.legacy.word_binary import convert_word_binary
from ingest.legacy.wordml import convert_wordml, is_wordml
from ingest.sources import OLE_MAGIC, ZIP_MAGIC, ConvertedText, Source, convert_sources, describe_container
from schemas.ingest import QuarantineCode


def _kind(name: str) -> str:
    return "wps" if PurePath(name).suffix.lower() == ".wps" else "doc"


def convert_legacy_word(data: bytes, name: str) -> ConvertedText:
    kind = _kind(name)
    if data.startswith(OLE_MAGIC):
        return ConvertedText(text=convert_word_binary(data), format=kind, extractor="word97-binary")
    if is_wordml(data):
        return ConvertedText(text=convert_wordml(data), format=kind, extractor="wordml")
    if data.startswith(ZIP_MAGIC):
        converted = convert_docx(data, name)  # a DOCX saved (or renamed) with the old extension
        converted.format = kind
        return converted
    head = data[:2048].lstrip().lower()
    if head.startswith(b"{\\rtf"):
        raise ConversionError(QuarantineCode.UNSUPPORTED, f"is an RTF document with a .{kind} name; save it as .docx")
    if head.startswith((b"mime-version", b"<html", b"<!doctype html")) or b"<html" in head:
        raise ConversionError(
            QuarantineCode.UNSUPPORTED, f"is a web page (HTML/MHT) with a .{kind} name; save it as .docx or PDF"
        )
    what = describe_container(data) or "not a Word 97–2003, WordML or WPS (Word-compatible) document"
    hint = " (an older WPS format; open it in WPS Office and save it as .docx)" if kind == "wps" else ""
    raise ConversionError(QuarantineCode.CORRUPT, f"cannot be read as .{kind}: the content is {what}{hint}")


@component
class LegacyWordConverter:
    """Haystack converter for .doc/.wps files; reports unreadable files instead of raising."""

    @component.output_types(documents=list[Document], failures=list[ConversionFailure])
    def run(self, sources: list[Source], meta: dict | list[dict] | None = None) -> dict:
        """Convert each file; one Document per readable file, one ConversionFailure per other file."""
        return convert_sources(sources, meta, convert_legacy_word, kind="Word document")
