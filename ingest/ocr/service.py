"""OCR of the pages that need it: cache first, then each page under an OCR slot.

One :class:`PageOcr` lives in each reading pipeline (the converters share it); the engine is
loaded on the first page that is not cached, so pipelines that never see a scan never load it.

The engines run on OCR threads of their own whose scheduling priority is lowered (``nice``, 10 by
default) once, when each starts: with one OCR slot per core a drop of scans uses every core, yet
a reader converting a born-digital file at normal priority gets the CPU first, so born-digital
work is not held up by scans (the kernel gives a nice-10 thread about a tenth of a contended
core). Lowering, unlike raising, needs no privilege; a thread is never raised back.

The pages of one document are OCR'd on up to ``slots`` such threads at once, each with an engine
of its own (rapidocr keeps per-call state on its detector, so one engine never runs two pages at
once): a single multi-page scan uses both cores of a 2-core machine instead of one. The slots
still bound OCR across every process, so two readers with a scan each do not run four pages.
Pages are rendered on the calling thread (pdfium is not thread-safe), and at most one page per
OCR thread is held in memory. A second page starts only when the process's memory limit (a
read's budget) leaves room for every page in flight (:mod:`ingest.ocr.headroom`); otherwise the
document's pages run one at a time, as before.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from ingest.layout import TextBox
from ingest.ocr.cache import OcrCache
from ingest.ocr.engine import OcrEngine, OcrUnavailable, load_engine, recognise
from ingest.ocr.headroom import headroom, page_bytes
from ingest.ocr.heap import trim_heap
from ingest.ocr.options import A3_LONG_SIDE_PT, OcrOptions
from ingest.ocr.raster import Raster
from ingest.ocr.results import PageResult
from ingest.ocr.slots import OcrSlots
from schemas.ingest import TextStatus

logger = logging.getLogger(__name__)

T = TypeVar("T")
Render = Callable[[list[int]], Iterator[Raster]]
EngineFactory = Callable[[OcrOptions], OcrEngine]


def _installed_engine(options: OcrOptions) -> OcrEngine:
    return load_engine(threads=options.threads, max_side=options.max_side, rec_batch=options.rec_batch)


def _lower_priority(nice: int) -> None:
    """Make the calling thread (the OCR thread; Linux schedules threads one by one) nicer."""
    if nice <= 0 or not hasattr(os, "setpriority"):
        return
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + nice))
    except OSError:  # not permitted here (a sandbox): OCR runs at normal priority
        logger.debug("could not lower the OCR thread's priority", exc_info=True)


def detect_side(raster: Raster, detect_dpi: int) -> int | None:
    """The long side (pixels) the text detector should see for this page, or None for the full page.

    Pages up to A3 rendered finer than ``detect_dpi`` are detected at ``detect_dpi``; drawings
    larger than A3 and images (no page size known) are detected as rendered.
    """
    dpi = raster.scale * 72
    longest = max(raster.pixels.shape[:2])
    if not detect_dpi or dpi <= detect_dpi or longest / raster.scale > A3_LONG_SIDE_PT:
        return None
    return round(longest * detect_dpi / dpi)


class PageOcr:
    """Recognises pages, reusing cached results by file sha256.

    ``engine_factory`` is called once per OCR thread that needs an engine (up to ``slots``): with
    more than one slot it must return a new engine each time.
    """

    def __init__(self, options: OcrOptions | None = None, engine_factory: EngineFactory | None = None) -> None:
        self.options = options or OcrOptions()
        self._factory = engine_factory or _installed_engine
        self._engine: OcrEngine | None = None  # the first engine: its name, and proof one can start
        self._idle: list[OcrEngine] = []  # engines not running a page just now
        self._unavailable: str | None = None if self.options.enabled else "OCR is switched off in the settings"
        self._lock = threading.Lock()  # loading the first engine
        self._idle_lock = threading.Lock()
        self._cache = OcrCache(self.options.cache_dir, self.options.profile()) if self.options.cache_dir else None
        self._slots = OcrSlots(self.options.slots, self.options.slot_dir)
        self._workers = self._slots.count  # pages of one document in flight at once
        self._threads: ThreadPoolExecutor | None = None  # the OCR threads, at lower priority

    def _submit(self, work: Callable[[], T]) -> Future[T]:
        """Start ``work`` on an OCR thread."""
        if self._threads is None:
            self._threads = ThreadPoolExecutor(self._workers, thread_name_prefix="ocr", initializer=_lower_priority,
                                               initargs=(self.options.nice,))
        return self._threads.submit(work)

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
                # built on an OCR thread, so that onnxruntime's own threads inherit its priority
                self._engine = self._submit(lambda: self._factory(self.options)).result()
            except OcrUnavailable as exc:
                self._unavailable = str(exc)
                logger.warning("OCR unavailable: %s; scans are kept without text", exc)
                raise
            with self._idle_lock:
                self._idle.append(self._engine)
            return self._engine

    def _page(self, raster: Raster) -> list[TextBox]:
        """OCR one page; runs on an OCR thread, under a slot, with an engine no other page is using."""
        side = detect_side(raster, self.options.detect_dpi)
        with self._slots.hold():
            with self._idle_lock:
                engine = self._idle.pop() if self._idle else None
            if engine is None:
                engine = self._factory(self.options)  # a second OCR thread's own engine
            try:
                return recognise(engine, raster.pixels, side)
            finally:
                with self._idle_lock:
                    self._idle.append(engine)

    def _pages(self, rasters: Iterator[Raster], sha256: str) -> Iterator[tuple[Raster, list[TextBox] | None]]:
        """(page, lines or None when the engine failed on it), in page order, up to ``slots`` at once."""
        pending: deque[tuple[Raster, Future[list[TextBox]]]] = deque()

        def finish() -> tuple[Raster, list[TextBox] | None]:
            raster, future = pending.popleft()
            try:
                return raster, future.result()
            except Exception:  # one page the engine chokes on must not cost the other pages
                logger.warning("OCR failed on page %d of %s; it is kept without text", raster.index + 1,
                               sha256[:16], exc_info=True)
                return raster, None

        try:
            for raster in rasters:
                while pending and not self._room_for([raster] + [page for page, _future in pending]):
                    yield finish()  # under a memory budget too small for two pages: one at a time
                pending.append((raster, self._submit(lambda raster=raster: self._page(raster))))
                if len(pending) >= self._workers:
                    yield finish()
            while pending:
                yield finish()
        finally:  # interrupted (a time limit): let the pages already started finish, unread
            for _raster, future in pending:
                future.cancel()

    def _room_for(self, rasters: list[Raster]) -> bool:
        """May these pages be OCR'd at once under the process's memory limit (if it has one)?"""
        room = headroom()
        if room is None:
            return True
        need = sum(page_bytes(*raster.pixels.shape[:2], detect_side(raster, self.options.detect_dpi),
                              self.options.max_side) for raster in rasters)
        return need <= room

    def recognise(self, sha256: str, indexes: list[int], render: Render) -> tuple[str, list[PageResult]]:
        """(engine name, results for ``indexes`` in order); pages not cached are rendered and OCR'd.

        Raises OcrUnavailable when some page is not cached and no engine can run.
        """
        engine_name, cached = self._cache.load(sha256) if self._cache else (None, {})
        missing = [index for index in indexes if index not in cached]
        if missing:
            engine_name = self.engine().name
            for raster, lines in self._pages(render(missing), sha256):
                height, width = raster.pixels.shape[:2]
                page = PageResult(index=raster.index, lines=lines or [], width=width, height=height,
                                  scale=raster.scale)
                del raster  # no page's pixels kept beyond its OCR
                trim_heap()
                cached[page.index] = page
                if self._cache and lines is not None:  # a failed page is tried again on the next read
                    self._cache.append(sha256, engine_name, page)
        return engine_name or "cache", [cached[index] for index in indexes if index in cached]
