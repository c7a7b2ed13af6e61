"""OCR results on disk, keyed by the file's sha256, so reading the same bytes again is free.

One JSON-lines file per (file, OCR profile): a header line naming the engine, then one line per
page appended as soon as that page is done. Appending means a crash or restart in the middle of
a 200-page scan keeps the pages already done; a torn last line is simply ignored. The profile
(dpi, pixel cap, …) is part of the file name, so changing a setting never serves stale text.
Stored originals are immutable and content-addressed, so an entry never needs invalidating.
"""

from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path

from ingest.ocr.results import PageResult

logger = logging.getLogger(__name__)

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class OcrCache:
    """Per-file page results under ``root``; every method is a no-op for an unusable key."""

    def __init__(self, root: Path, profile: str) -> None:
        self._root = root
        self._profile = profile

    def path_for(self, sha256: str) -> Path:
        return self._root / sha256[:2] / f"{sha256}.{self._profile}.jsonl"

    def load(self, sha256: str) -> tuple[str | None, dict[int, PageResult]]:
        """(engine name, page index → result) cached for this file; empty when nothing is."""
        if not _SHA256.match(sha256 or ""):
            return None, {}
        path = self.path_for(sha256)
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return None, {}
        except OSError:
            logger.warning("OCR cache entry %s is unreadable; OCR runs again", path, exc_info=True)
            return None, {}
        engine: str | None = None
        pages: dict[int, PageResult] = {}
        for line in lines:
            try:
                record = json.loads(line)
                if "engine" in record:
                    engine = str(record["engine"])
                else:
                    page = PageResult.from_compact(record)
                    pages[page.index] = page
            except (ValueError, KeyError, TypeError):
                continue  # a torn last line from an interrupted run
        return engine, pages

    def append(self, sha256: str, engine: str, page: PageResult) -> None:
        """Add one finished page; never raises (a cache that cannot be written only costs time)."""
        if not _SHA256.match(sha256 or ""):
            return
        path = self.path_for(sha256)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            new = not path.exists()
            with path.open("a", encoding="utf-8") as handle:
                if new:
                    handle.write(json.dumps({"engine": engine}, ensure_ascii=False) + "\n")
                handle.write(json.dumps(page.to_compact(), ensure_ascii=False) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
        except OSError:
            logger.warning("cannot write the OCR cache entry %s", path, exc_info=True)
