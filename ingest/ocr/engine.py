"""The OCR engine behind one small interface, imported only when a scan actually needs it.

rapidocr-onnxruntime (with onnxruntime and OpenCV) is an optional install of several hundred MB,
so nothing here imports it at module load: a born-digital-only installation never pays for it,
and when it is missing :func:`load_engine` raises :class:`OcrUnavailable` and the converters keep
the scan with the status "OCR not installed" instead of failing.
"""

from __future__ import annotations

import logging
from importlib import metadata
from typing import Any, Protocol

import numpy as np

from ingest.layout import TextBox
from ingest.ocr.options import DEFAULT_REC_BATCH

logger = logging.getLogger(__name__)

ENGINE_PACKAGE = "rapidocr-onnxruntime"


class OcrUnavailable(RuntimeError):
    """The OCR engine is not installed (or cannot start) on this machine."""


class OcrEngine(Protocol):
    name: str

    def recognise(self, image: np.ndarray) -> list[TextBox]:
        """Lines of text found in an RGB or grayscale image, in the engine's reading order."""
        ...


def recognise(engine: OcrEngine, image: np.ndarray, detect_side: int | None) -> list[TextBox]:
    """``engine.recognise``, with the detector's long side capped at ``detect_side`` when the
    engine can do that (rapidocr can; a test's fake engine need not).
    """
    if detect_side is not None and isinstance(engine, RapidOcrEngine):
        return engine.recognise(image, detect_side)
    return engine.recognise(image)


class RapidOcrEngine:
    """rapidocr-onnxruntime with its bundled PP-OCRv4 Chinese models; never downloads anything."""

    def __init__(self, threads: int = 1, max_side: int = 3000, rec_batch: int = DEFAULT_REC_BATCH) -> None:
        try:
            from rapidocr_onnxruntime import RapidOCR
            from rapidocr_onnxruntime.ch_ppocr_det.utils import DetPreProcess
        except ImportError as exc:
            raise OcrUnavailable(f"{ENGINE_PACKAGE} is not installed") from exc
        try:
            self._ocr: Any = RapidOCR(
                intra_op_num_threads=threads, inter_op_num_threads=1, max_side_len=max_side
            )
        except Exception as exc:  # e.g. onnxruntime missing its native library
            raise OcrUnavailable(f"{ENGINE_PACKAGE} cannot start ({type(exc).__name__}: {exc})") from exc
        try:
            version = metadata.version(ENGINE_PACKAGE)
        except metadata.PackageNotFoundError:
            version = "?"
        self.name = f"rapidocr-onnxruntime {version}"
        self._det_preprocess = DetPreProcess  # the detector's resizer, for a smaller detection size
        self._ocr.text_rec.rec_batch_num = max(1, rec_batch)  # padding costs more than batching saves
        detector = self._ocr.text_det
        # float32, not the float64 a list becomes: the page is normalised in half the memory
        # traffic (a tenth of a second an A4 page, the same tensor to the last bit)
        detector.mean = np.asarray(detector.mean, dtype=np.float32)
        detector.std = np.asarray(detector.std, dtype=np.float32)

    def recognise(self, image: np.ndarray, detect_side: int | None = None) -> list[TextBox]:
        """``detect_side``: the text detector sees the page shrunk to this long side (the lines it
        finds are cut from the full image for the recogniser); None: rapidocr's own choice.
        """
        detector = self._ocr.text_det
        if detect_side is not None and detect_side < max(image.shape[:2]):
            preprocess = self._det_preprocess(detect_side, "max", detector.mean, detector.std)
            detector.get_preprocess = lambda _longest: preprocess
        else:
            detector.__dict__.pop("get_preprocess", None)  # the class's own: rapidocr's sizes
        raw, _elapsed = self._ocr(image)
        return [_line(box, text, score) for box, text, score in raw or []]


def _line(points: list[list[float]], text: str, score: float | str) -> TextBox:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    box = (round(min(xs)), round(min(ys)), round(max(xs)), round(max(ys)))
    return TextBox(box=box, text=str(text), score=round(float(score), 3))  # as kept in meta and cache


def load_engine(threads: int = 1, max_side: int = 3000, rec_batch: int = DEFAULT_REC_BATCH) -> OcrEngine:
    """The installed engine; raises OcrUnavailable when OCR cannot run here."""
    return RapidOcrEngine(threads=threads, max_side=max_side, rec_batch=rec_batch)
