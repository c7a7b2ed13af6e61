"""How OCR runs on this installation: built by core from Settings, handed to the OCR converters.

A plain dataclass (not Settings) because ingest must not import core; core copies the values in.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# A1 at 150 dpi is about 15 MP; A4 at 200 dpi is 3.9 MP. Above the cap a page is rendered at a
# lower resolution instead, so an A0 sheet costs about what an A1 sheet does and never the
# 60+ MP (≈180 MB of RGB pixels, and several GB inside the detector) a full-resolution render would.
DEFAULT_MAX_PIXELS = 12_000_000
DEFAULT_DPI = 200
# rapidocr shrinks any image whose long side exceeds this before detection. Its own default
# (2000) makes the small print of A1 title blocks unreadable; 3000 reads it at about twice the cost.
DEFAULT_MAX_SIDE = 3000
# The text detector does not need the recogniser's resolution: on pages up to A3 it runs at this
# many dots per inch (the recogniser still reads each line from the full-resolution page). The
# detector was about a third of an A4 page's OCR time at 200 dpi. Larger sheets (drawings, whose
# title-block lettering is small) are detected at full resolution. 160, not lower: on the real scans
# (``eval.ocr``) 160 dpi keeps the character error rate at 1.5 %, as at 200; 120 dpi doubled it (3.0 %).
DEFAULT_DETECT_DPI = 160
# Lines the recogniser reads per onnxruntime call. rapidocr's default batches 6 lines, each padded
# to the widest; on one thread a batch of one is faster (2026-12-07, a 22-line generated A4 page:
# 2.4 s against 3.7 s for the recogniser, the same text; batches of 2 and 3 were in between, 12 and
# 24 slower still) and a page's lines of very different widths are never padded.
DEFAULT_REC_BATCH = 1
A3_LONG_SIDE_PT = 1191 * 1.05  # A3's long side in PDF points, with room for scanner margins


@dataclass(frozen=True)
class OcrOptions:
    """OCR knobs; the defaults suit a 2-core machine that also ingests born-digital files (core sets ``slots``)."""

    enabled: bool = True
    threads: int = 1  # onnxruntime threads per OCR call
    slots: int = 1  # OCR pages running at once across every process sharing ``slot_dir``
    nice: int = 10  # OCR runs on a thread this much nicer: born-digital reading keeps the CPU first
    detect_dpi: int = DEFAULT_DETECT_DPI  # 0: detect at the render resolution
    dpi: int = DEFAULT_DPI
    max_pixels: int = DEFAULT_MAX_PIXELS
    max_side: int = DEFAULT_MAX_SIDE
    rec_batch: int = DEFAULT_REC_BATCH  # text lines per recogniser call
    cache_dir: Path | None = None  # OCR results by file sha256; None: no cache
    slot_dir: Path | None = None  # lock files bounding OCR across processes; None: per process

    def profile(self) -> str:
        """What changes OCR output; part of the cache key so a new setting never reuses old text."""
        detect = f"-det{self.detect_dpi}" if self.detect_dpi else ""
        return f"dpi{self.dpi}-px{self.max_pixels}-side{self.max_side}{detect}-rec{self.rec_batch}"
