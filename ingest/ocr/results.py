"""What OCR found on one page, and the compact form kept in document meta and in the cache.

Boxes are kept so search hits can later be highlighted on the page image; they are stored as
``[left, top, right, bottom, text]`` lists in page-image pixels with the page's pixel size and
its pixels-per-PDF-point scale, which is a few dozen bytes a line instead of a dict per box.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ingest.layout import TextBox, page_text


@dataclass(frozen=True)
class PageResult:
    """OCR output for one page (or image frame)."""

    index: int  # 0-based
    lines: list[TextBox] = field(default_factory=list)
    width: int = 0
    height: int = 0
    scale: float = 1.0  # pixels per PDF point; 1.0 for images

    @property
    def text(self) -> str:
        return page_text(self.lines)

    @property
    def confidence(self) -> float | None:
        """Mean line score weighted by characters; None for a page without text."""
        chars = sum(len(line.text) for line in self.lines)
        if not chars:
            return None
        return sum(line.score * len(line.text) for line in self.lines) / chars

    def to_compact(self) -> dict[str, Any]:
        confidence = self.confidence
        return {
            "page": self.index + 1,
            "confidence": round(confidence, 4) if confidence is not None else None,
            "size": [self.width, self.height],
            "scale": round(self.scale, 4),
            "lines": [[*line.box, line.text, round(line.score, 3)] for line in self.lines],
        }

    @classmethod
    def from_compact(cls, data: dict[str, Any]) -> PageResult:
        lines = [
            TextBox(box=(int(x0), int(y0), int(x1), int(y1)), text=str(text), score=float(score))
            for x0, y0, x1, y1, text, score in data.get("lines", [])
        ]
        width, height = data.get("size", [0, 0])
        return cls(
            index=int(data["page"]) - 1, lines=lines, width=int(width), height=int(height),
            scale=float(data.get("scale", 1.0)),
        )


def ocr_meta(engine: str, pages: list[PageResult]) -> dict[str, Any]:
    """The document-meta summary: engine, mean confidence, and every OCR'd page with its boxes."""
    scored = [page.confidence for page in pages if page.confidence is not None]
    return {
        "engine": engine,
        "pages_ocred": len(pages),
        "confidence": round(sum(scored) / len(scored), 4) if scored else None,
        "pages": [page.to_compact() for page in pages],
    }
