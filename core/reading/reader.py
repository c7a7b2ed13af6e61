"""Reading one stored original: run the extraction pipeline and say what came out.

The pipeline (built in ``core.reading.pipelines``) is run one file at a time so that every failure is
attributable to exactly one file; a failure is data (code + reason), never an exception that
could stop a batch.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from haystack import Document
from haystack.dataclasses import ByteStream

from core.reading.direct_run import DirectRun, UnsupportedGraph
from core.reading.outcomes import ReadOutcome
from core.reading.pipelines import build_reading_pipeline
from core.settings import Settings
from ingest import mime_type_for
from ingest.ocr import OcrOptions
from schemas import meta as M
from schemas.ingest import QuarantineCode

logger = logging.getLogger(__name__)


class DocumentReader:
    """Owns a warmed-up reading pipeline; ``read`` is safe to call for any bytes."""

    def __init__(
        self,
        taxonomy_override: str | None = None,
        review_threshold: float = 0.5,
        neutralise_file_names: bool = False,
        ocr: OcrOptions | None = None,
    ) -> None:
        self._pipeline = build_reading_pipeline(taxonomy_override, review_threshold, neutralise_file_names, ocr)
        self._pipeline.warm_up()
        try:
            self._run = DirectRun(self._pipeline).run  # the same graph, without the scheduler's copies
        except UnsupportedGraph as exc:
            logger.warning("reading pipeline run by Haystack's scheduler: %s", exc)
            self._run = self._pipeline.run

    def read(self, path: Path, original_name: str, meta: dict[str, Any]) -> ReadOutcome:
        mime = mime_type_for(original_name)  # None → the router's "unclassified" → unsupported
        source = ByteStream.from_file_path(path, mime_type=mime, meta={**meta, M.ORIGINAL_NAME: original_name})
        try:
            result = self._run({"router": {"sources": [source]}})
        except MemoryError:
            logger.warning("reading %s ran out of memory", original_name)
            return ReadOutcome(code=QuarantineCode.TOO_LARGE, reason=(
                f"《{original_name}》读取时所需内存超过了上限（压缩炸弹或异常庞大的文件），已拒绝读取"))
        except Exception as exc:  # a converter bug must not stop the batch; the file is quarantined
            logger.warning("reading %s failed in the pipeline: %s: %s", original_name, type(exc).__name__, exc)
            logger.debug("the pipeline's traceback for %s", original_name, exc_info=True)
            return ReadOutcome(
                code=QuarantineCode.UNREADABLE,
                reason=f"《{original_name}》: reader failed ({type(exc).__name__}: {exc})",
            )
        return _outcome(result, original_name)


def ocr_options(settings: Settings) -> OcrOptions:
    """OCR knobs of this installation, with the cache and the OCR slots under the archive home."""
    return OcrOptions(
        enabled=settings.ocr_enabled,
        threads=settings.ocr_threads,
        slots=settings.ocr_slots or os.cpu_count() or 1,
        nice=settings.ocr_nice,
        detect_dpi=settings.ocr_detect_dpi,
        dpi=settings.ocr_dpi,
        max_pixels=settings.ocr_max_pixels,
        rec_batch=settings.ocr_rec_batch,
        cache_dir=settings.ocr_cache_path,
        slot_dir=settings.ocr_slots_path,
    )


def _outcome(result: dict[str, Any], original_name: str) -> ReadOutcome:
    for outputs in result.values():
        for failure in outputs.get("failures", []) or []:
            return ReadOutcome(code=failure.code, reason=failure.reason)
    documents = result.get("classify", {}).get("documents", [])
    if not documents:
        return ReadOutcome(code=QuarantineCode.NO_TEXT, reason=f"《{original_name}》: no text could be read")
    return ReadOutcome(document=_merge(documents))


def _merge(documents: list[Document]) -> Document:
    """Converters emit one Document per file; keep the first if one ever emits more."""
    if len(documents) > 1:
        logger.warning("reader produced %d documents for one file; keeping the first", len(documents))
    return documents[0]
