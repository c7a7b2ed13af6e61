"""The one place where ingest, classify and search components are wired into Haystack pipelines.

Reading pipeline (one file per run)::

    router ─┬─ application/pdf ──────────► pdf ──┐  (text layer; OCR for pages without one)
            ├─ …wordprocessingml ────────► docx ─┤
            ├─ …spreadsheetml ───────────► xlsx ─┼─► join ─► clean ─► fields ─► classify
            ├─ application/vnd.ms-excel ─► xls ──┤
            ├─ text/(plain|csv|markdown) ► text ─┤
            ├─ image/(jpeg|png|tiff) ────► image ┤  (OCR; EXIF of site photos)
            ├─ .doc / .wps ──────────────► legacy_word ┤  (Word 97–2003 OLE, WordML)
            ├─ application/ofd ──────────► ofd ──┤
            ├─ image/vnd.dxf ────────────► dxf ──┤  (text, title block, 竣工图章)
            ├─ image/vnd.dwg ────────────► dwg ──┘  (kept: "no text extracted")
            └─ unclassified ─────────────► unsupported (a failure with a hint: ".doc → save as .docx")

Converters and the cleaner have a ``failures`` output that stays unconnected, so Haystack returns
it as a pipeline output and the caller can quarantine the file with the converter's own reason.
"""

from __future__ import annotations

import os

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

from haystack import Pipeline
from haystack.components.joiners import DocumentJoiner
from haystack.components.routers import FileTypeRouter

from classify import DocumentClassifier
from ingest import (
    DocxConverter,
    FieldExtractor,
    TextCleaner,
    TextConverter,
    UnsupportedFileReporter,
    XlsConverter,
    XlsxConverter,
)
from ingest.drawings import DwgCataloguer, DxfConverter
from ingest.failures import (
    DOCX_ROUTE,
    DWG_ROUTE,
    DXF_ROUTE,
    IMAGE_ROUTE,
    LEGACY_WORD_ROUTE,
    OFD_ROUTE,
    PDF_ROUTE,
    TEXT_ROUTE,
    XLS_ROUTE,
    XLSX_ROUTE,
)
from ingest.legacy import LegacyWordConverter, OfdConverter
from ingest.ocr import ImageConverter, OcrOptions, PageOcr, ScanAwarePdfConverter

ROUTES = {
    PDF_ROUTE: "pdf", DOCX_ROUTE: "docx", XLSX_ROUTE: "xlsx", XLS_ROUTE: "xls", TEXT_ROUTE: "text",
    IMAGE_ROUTE: "image", LEGACY_WORD_ROUTE: "legacy_word", OFD_ROUTE: "ofd", DXF_ROUTE: "dxf", DWG_ROUTE: "dwg",
}


def build_reading_pipeline(
    taxonomy_override: str | None = None,
    review_threshold: float = 0.5,
    neutralise_file_names: bool = False,
    ocr: OcrOptions | None = None,
) -> Pipeline:
    """Router → converters → join → clean → fields → classify, for one file at a time."""
    pipeline = Pipeline()
    pipeline.add_component("router", FileTypeRouter(mime_types=list(ROUTES)))
    page_ocr = PageOcr(ocr)  # one engine (loaded on the first scan) shared by the OCR converters
    converters = {
        "pdf": ScanAwarePdfConverter(page_ocr),
        "docx": DocxConverter(),
        "xlsx": XlsxConverter(),
        "xls": XlsConverter(),
        "text": TextConverter(),
        "image": ImageConverter(page_ocr),
        "legacy_word": LegacyWordConverter(),
        "ofd": OfdConverter(),
        "dxf": DxfConverter(),
        "dwg": DwgCataloguer(),
    }
    for name, converter in converters.items():
        pipeline.add_component(name, converter)
    pipeline.add_component("unsupported", UnsupportedFileReporter())
    pipeline.add_component("join", DocumentJoiner())
    pipeline.add_component("clean", TextCleaner())
    pipeline.add_component("fields", FieldExtractor())
    pipeline.add_component(
        "classify",
        DocumentClassifier(
            taxonomy_path=taxonomy_override,
            review_threshold=review_threshold,
            neutralise_file_names=neutralise_file_names,
        ),
    )
    for route, name in ROUTES.items():
        pipeline.connect(f"router.{route}", f"{name}.sources")
        pipeline.connect(f"{name}.documents", "join.documents")
    pipeline.connect("router.unclassified", "unsupported.sources")
    pipeline.connect("join.documents", "clean.documents")
    pipeline.connect("clean.documents", "fields.documents")
    pipeline.connect("fields.documents", "classify.documents")
    return pipeline
