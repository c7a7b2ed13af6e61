"""DXF drawings → text: TEXT, MTEXT and the attributes (ATTRIB) of block references, by position.

The lettering of a CAD drawing is spread over entities in model space and in the paper-space
layouts (where the title block usually is). We collect the plain text of every TEXT and MTEXT
and every attribute value of every INSERT (title blocks are mostly blocks with attributes),
place each at its insertion point, and order them into rows like OCR lines, layout by layout.
The positions also feed the title-block reader. ezdxf's recover mode reads damaged files and
decodes the code page ($DWGCODEPAGE, e.g. ANSI_936 for Chinese) of pre-2007 files.
"""

from __future__ import annotations

import io
import logging
from typing import Any

from haystack import Document, component

from ingest.drawings.positioned import Sheet
from ingest.drawings.stamp import as_built_stamp
from ingest.drawings.title_block import title_block
from ingest.failures import ConversionError, ConversionFailure
from ingest.layout import TextBox, page_text
from ingest.sources import PAGE_SEPARATOR, ConvertedText, Source, convert_sources
from schemas import meta as meta_keys
from schemas.ingest import QuarantineCode

logger = logging.getLogger(__name__)

UNIT = 100  # drawing units → integer box coordinates (keeps two decimals)


def _entity_text(entity: Any) -> tuple[str, float]:
    kind = entity.dxftype()
    if kind == "MTEXT":
        return entity.plain_text(), float(entity.dxf.get("char_height", 2.5) or 2.5)
    if kind in ("TEXT", "ATTRIB"):
        return entity.plain_text(), float(entity.dxf.get("height", 2.5) or 2.5)
    return "", 0.0


def _line(entity: Any) -> TextBox | None:
    text, height = _entity_text(entity)
    text = " ".join(text.split())
    if not text:
        return None
    point = entity.dxf.get("insert")
    x, y = (float(point[0]), float(point[1])) if point is not None else (0.0, 0.0)
    width = height * len(text)
    box = (round(x * UNIT), round(-(y + height) * UNIT), round((x + width) * UNIT), round(-y * UNIT))
    return TextBox(box=box, text=text, score=1.0)


def _layout_lines(layout: Any) -> list[TextBox]:
    lines = []
    for entity in layout:
        kind = entity.dxftype()
        if kind in ("TEXT", "MTEXT"):
            lines.append(_line(entity))
        elif kind == "INSERT":
            lines.extend(_line(attrib) for attrib in entity.attribs)
    return [line for line in lines if line is not None]


def _sheet(lines: list[TextBox]) -> Sheet:
    """Shift boxes so the drawing's extent starts at 0,0 (title-block regions are relative)."""
    left = min(line.box[0] for line in lines)
    top = min(line.box[1] for line in lines)
    moved = [
        TextBox(box=(b[0] - left, b[1] - top, b[2] - left, b[3] - top), text=line.text, score=line.score)
        for line in lines
        for b in (line.box,)
    ]
    width = max(line.box[2] for line in moved) or 1
    height = max(line.box[3] for line in moved) or 1
    return Sheet(lines=moved, width=width, height=height)


def convert_dxf(data: bytes, name: str) -> ConvertedText:
    # Imported here, not at the top: importing ezdxf writes its font cache (under XDG_CACHE_HOME),
    # which the command line points into the archive home only once its settings are built.
    import ezdxf
    from ezdxf import recover

    try:
        document, auditor = recover.read(io.BytesIO(data))
    except ezdxf.DXFStructureError as exc:
        raise ConversionError(QuarantineCode.CORRUPT, f"is not a readable DXF drawing ({exc})") from exc
    if auditor.has_errors:
        logger.info("%s: ezdxf recovered %d error(s)", name, len(auditor.errors))
    pages, sheets = [], []
    for layout in document.layouts:  # model space first, then the paper-space layouts
        lines = _layout_lines(layout)
        if lines:
            pages.append(page_text(lines))
            sheets.append(_sheet(lines))
    text = PAGE_SEPARATOR.join(pages)
    extra: dict[str, Any] = {}
    for sheet in sheets:
        block = title_block(sheet)
        if block:
            extra[meta_keys.TITLE_BLOCK] = block
            break
    stamp = as_built_stamp(text)
    if stamp:
        extra[meta_keys.AS_BUILT_STAMP] = stamp
    return ConvertedText(text=text, format="dxf", extractor=f"ezdxf {ezdxf.__version__}", extra_meta=extra)


@component
class DxfConverter:
    """Haystack converter for DXF drawings; reports unreadable files instead of raising."""

    @component.output_types(documents=list[Document], failures=list[ConversionFailure])
    def run(self, sources: list[Source], meta: dict | list[dict] | None = None) -> dict:
        """Convert each DXF; one Document per readable file, one ConversionFailure per other file."""
        return convert_sources(sources, meta, convert_dxf, kind="DXF")
