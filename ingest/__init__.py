"""Ingest: turn one stored original into clean text with its title and fields.

Haystack components for the ingest pipeline (core wires them): a converter per format that never
raises for a bad file and reports a :class:`ConversionFailure` instead, the text cleaner, and the
field extractor. The watcher and job queue live in their own modules.
"""

from ingest.cleaning import TextCleaner, clean_text
from ingest.docx import DocxConverter
from ingest.failures import SUPPORTED_MIME_TYPES, ConversionFailure, mime_type_for
from ingest.fields import FieldExtractor, extract_fields
from ingest.pdf import PdfConverter
from ingest.text import TextConverter
from ingest.titles import find_title
from ingest.unsupported import UnsupportedFileReporter
from ingest.xlsx import XlsConverter, XlsxConverter

__all__ = [
    "SUPPORTED_MIME_TYPES",
    "ConversionFailure",
    "DocxConverter",
    "FieldExtractor",
    "PdfConverter",
    "TextCleaner",
    "TextConverter",
    "UnsupportedFileReporter",
    "XlsConverter",
    "XlsxConverter",
    "clean_text",
    "extract_fields",
    "find_title",
    "mime_type_for",
]
