"""Evaluations run by ``make eval``: classification, relevance and OCR against labelled sets."""

from __future__ import annotations

import os
from pathlib import Path


def eval_ocr_cache() -> Path:
    """Where evaluations keep OCR results between runs (by file hash; ``JIANDANG_EVAL_OCR_CACHE``).

    The real corpus's scans take minutes to OCR on 2 cores; every evaluation reads them, so all
    of them share one cache and only the first run pays.
    """
    return Path(os.environ.get("JIANDANG_EVAL_OCR_CACHE", "~/.cache/jiandang/eval-ocr")).expanduser()
