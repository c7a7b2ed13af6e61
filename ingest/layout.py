"""Text boxes → page text in reading order, rows of a table on one line.

OCR returns one box per detected text line; OFD pages and CAD drawings give text objects with
positions too, so they share this ordering. A form scanned as a table comes back as
separate cells ("工程名称", "某某小区1#楼"), and field extraction expects a label and its value on
one line, as the DOCX and spreadsheet converters write them. So boxes whose vertical centres are
within half a line height are one row, ordered left to right; cells far apart are joined with
the table cell separator, fragments close together with nothing (Chinese has no spaces).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from ingest.sources import CELL_SEPARATOR


@dataclass(frozen=True)
class TextBox:
    """A run of text and its box (left, top, right, bottom; y grows downwards) with a score (OCR)."""

    box: tuple[int, int, int, int]
    text: str
    score: float = 1.0

# Horizontal gap (in line heights) above which two boxes on one row are separate cells.
CELL_GAP = 1.0


def group_rows(lines: list[TextBox]) -> list[list[TextBox]]:
    """Lines grouped into rows, top to bottom; each row sorted left to right."""
    rows: list[list[TextBox]] = []
    for line in sorted(lines, key=lambda item: (_centre(item), item.box[0])):
        if rows and _same_row(rows[-1], line):
            rows[-1].append(line)
        else:
            rows.append([line])
    return [sorted(row, key=lambda item: item.box[0]) for row in rows]


def page_text(lines: list[TextBox]) -> str:
    """The text of one page: one row per line, cells joined by the table separator."""
    return "\n".join(_row_text(row) for row in group_rows(lines))


def _row_text(row: list[TextBox]) -> str:
    parts = [row[0].text]
    for previous, line in pairwise(row):
        gap = line.box[0] - previous.box[2]
        height = max(_height(previous), _height(line), 1)
        parts.append(CELL_SEPARATOR if gap > CELL_GAP * height else "")
        parts.append(line.text)
    return "".join(parts)


def _centre(line: TextBox) -> float:
    return (line.box[1] + line.box[3]) / 2


def _height(line: TextBox) -> int:
    return line.box[3] - line.box[1]


def _same_row(row: list[TextBox], line: TextBox) -> bool:
    row_centre = sum(_centre(item) for item in row) / len(row)
    height = max(max(_height(item) for item in row), _height(line), 1)
    return abs(_centre(line) - row_centre) <= height / 2
