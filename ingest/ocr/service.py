"""OCR of the pages that need it: cache first, then one page at a time under an OCR slot.

One :class:`PageOcr` lives in each reading pipeline (the converters share it); the engine is
loaded on the first page that is not cached, so pipelines that never see a scan never load it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator

from ingest.ocr.cache import OcrCache
from ingest.ocr.engine import OcrEngine, OcrUnavailable, load_engine
from ingest.ocr.heap import trim_heap
from ingest.ocr.options import OcrOptions
from ingest.ocr.raster import Raster
from ingest.ocr.results import PageResult
from ingest.ocr.slots import OcrSlots
from schemas.ingest import TextStatus

logger = logging.getLogger(__name__)

Render = Callable[[list[int]], Iterator[Raster]]
EngineFactory = Callable[[OcrOptions], OcrEngine]


def _installed_engine(options: OcrOptions) -> OcrEngine:
    return load_engine(threads=options.threads, max_side=options.max_side)


class PageOcr:
    """Recognises pages, reusing cached results by file sha256."""

    def __init__(self, options: OcrOptions | None = None, engine_factory: EngineFactory | None = None) -> None:
        self.options = options or OcrOptions()
        self._factory = engine_factory or _installed_engine
        self._engine: OcrEngine | None = None
        self._unavailable: str | None = None if self.options.enabled else "OCR is switched off in the settings"
        self._lock = threading.Lock()
        self._cache = OcrCache(self.options.cache_dir, self.options.profile()) if self.options.cache_dir else None
        self._slots = OcrSlots(self.options.slots, self.options.slot_dir)

    def unavailable_status(self) -> TextStatus:
        """Why a page needing OCR got none: switched off here, or the engine is not installed."""
        return TextStatus.OCR_NOT_INSTALLED if self.options.enabled else TextStatus.OCR_DISABLED

    def engine(self) -> OcrEngine:
        """The loaded engine; raises OcrUnavailable (remembered, so it is tried only once)."""
        with self._lock:
            if self._engine is not None:
                return self._engine
            if self._unavailable is not None:
                raise OcrUnavailable(self._unavailable)
            try:
                self._engine = self._factory(self.options)
            except OcrUnavailable as exc:
                self._unavailable = str(exc)
                logger.warning("OCR unavailable: %s; scans are kept without text", exc)
                raise
            return self._engine

    def recognise(self, sha256: str, indexes: list[int], render: Render) -> tuple[str, list[PageResult]]:
        """(engine name, results for ``indexes`` in order); pages not cached are rendered and OCR'd.

        Raises OcrUnavailable when some page is not cached and no engine can run.
        """
        engine_name, cached = self._cache.load(sha256) if self._cache else (None, {})
        missing = [index for index in indexes if index not in cached]
        if missing:
            engine = self.engine()
            engine_name = engine.name
            for raster in render(missing):
                try:
                    with self._slots.hold():
                        lines = engine.recognise(raster.pixels)
                except Exception:  # one page the engine chokes on must not cost the other pages
                    logger.warning("OCR failed on page %d of %s; it is kept without text", raster.index + 1,
                                   sha256[:16], exc_info=True)
                    lines, failed = [], True
                else:
                    failed = False
                height, width = raster.pixels.shape[:2]
                page = PageResult(index=raster.index, lines=lines, width=width, height=height, scale=raster.scale)
                del raster  # one page of pixels alive at a time
                trim_heap()
                cached[page.index] = page
                if self._cache and not failed:  # a failed page is tried again on the next read
                    self._cache.append(sha256, engine_name, page)
        return engine_name or "cache", [cached[index] for index in indexes if index in cached]
