"""How much more memory this process may take before its data-segment limit, and what a page needs.

Why OCR asks: a read can run under a memory budget (``RLIMIT_DATA`` set to what the process uses
plus ``read_memory_mb``, by core while one file is read). One A4 page OCR'd with the detector at
160 dpi grows the data segment by about 590 MB (measured 2026-12-07; the detector's activations
dominate, so the need scales with the pixels it sees), two pages at once by about 1,220 MB: over
the default budget of 1,024 MB, where an allocation inside onnxruntime fails and the page loses
its text. So a second page of a document starts only when the room left covers every page in
flight; without a limit (or with a larger budget) pages run on every OCR slot.
"""

from __future__ import annotations

import resource

# Data-segment growth per pixel the detector sees: 591 MB for 1856 × 1312 (A4 at 160 dpi), with
# room to spare for the recogniser and a second engine's first run.
BYTES_PER_DETECTOR_PIXEL = 300


def page_bytes(height: int, width: int, detect_side: int | None, max_side: int) -> int:
    """Data-segment growth to expect while one page of this size is OCR'd."""
    longest = max(height, width, 1)
    side = min(detect_side or longest, max_side, longest)
    scale = side / longest
    return int(height * width * scale * scale * BYTES_PER_DETECTOR_PIXEL)


def _data_segment_bytes() -> int:
    with open("/proc/self/status", encoding="ascii", errors="replace") as status:
        for line in status:
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    return 0


def headroom() -> int | None:
    """Bytes the data segment may still grow by under its soft limit; None: no limit."""
    try:
        soft, _hard = resource.getrlimit(resource.RLIMIT_DATA)
        if soft == resource.RLIM_INFINITY:
            return None
        return max(0, soft - _data_segment_bytes())
    except (OSError, ValueError):  # no /proc or no RLIMIT_DATA here: nothing to respect
        return None
