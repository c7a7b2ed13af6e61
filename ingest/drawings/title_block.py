"""A drawing's title block (图签): 图号, 图名, 专业, 版本/修改号, 日期, 设计单位, read by position.

Title blocks are tables in the bottom-right corner (or a strip down the right edge) of a sheet:
a label cell ("图号", often with "DRAWING NO." under it) and the value in the cell to its right
or just below. We look only at the right part of the lower sheet, find label cells, and take the
nearest non-label text to the right on the same row, else directly below. Labels written with
their value ("图号：结施-03") are split in place. Anything not found stays absent.
"""

from __future__ import annotations

import re

from ingest.drawings.positioned import Sheet
from ingest.layout import TextBox

# Share of the sheet, from the left and from the top, where the title-block region starts.
REGION_LEFT = 0.55
REGION_TOP = 0.35

_LABELS: dict[str, str] = {
    "drawing_number": r"图\s*号",
    "drawing_title": r"图\s*(?:纸\s*)?名(?:\s*称)?",
    "discipline": r"专\s*业(?!\s*负\s*责)",
    "revision": r"(?:版\s*本\s*号?|版\s*次|修\s*改\s*号|修\s*改\s*版\s*次)",
    "date": r"(?:出\s*图\s*)?日\s*期",
    "design_org": r"设\s*计\s*(?:单\s*位|院)",
}
_LABEL = {key: re.compile(rf"^\s*{pattern}\s*[:：]?\s*(?P<rest>.*)$") for key, pattern in _LABELS.items()}
_LABEL_START = re.compile(r"^\s*(?:" + "|".join(_LABELS.values()) + r"|设\s*计\s*号|比\s*例)")
_ANY_LABEL = re.compile(r"^\s*(?:" + "|".join(_LABELS.values()) + r"|专\s*业\s*负\s*责\s*人|审\s*定|审\s*核|校\s*核|设\s*计\s*人?|制\s*图|比\s*例|设计号)\s*[:：]?\s*$")
# English label cells ("DRAWING NO.", "SCALE"); a short code like "B" or "A1" stays a value.
_LATIN_ONLY = re.compile(r"^[\sA-Za-z.:/()'&-]*[A-Za-z]{3,}[\sA-Za-z.:/()'&-]*$")


def _is_value(line: TextBox) -> bool:
    text = line.text.strip()
    return bool(text) and not _ANY_LABEL.match(text) and not _LATIN_ONLY.match(text)


def _right_of(label: TextBox, candidates: list[TextBox]) -> TextBox | None:
    height = max(label.box[3] - label.box[1], 1)
    centre = (label.box[1] + label.box[3]) / 2
    same_row = [
        line for line in candidates
        if line.box[0] >= label.box[2] - height * 0.3
        and abs((line.box[1] + line.box[3]) / 2 - centre) <= height * 0.6
        and line.box[0] - label.box[2] <= height * 15
    ]
    return min(same_row, key=lambda line: line.box[0], default=None)


def _below(label: TextBox, candidates: list[TextBox]) -> TextBox | None:
    height = max(label.box[3] - label.box[1], 1)
    under = [
        line for line in candidates
        if line.box[1] >= label.box[3] - height * 0.2
        and line.box[1] - label.box[3] <= height * 2.5
        and line.box[0] < label.box[2] and line.box[2] > label.box[0]
    ]
    return min(under, key=lambda line: line.box[1], default=None)


# Fields whose value may wrap onto a second line inside its cell (long drawing titles, names).
_WRAPPING = ("drawing_title", "design_org")


def _labelled_row(line: TextBox, labels: list[TextBox]) -> bool:
    """True when a label sits on the same row, left of the line: it is the next field's value."""
    centre = (line.box[1] + line.box[3]) / 2
    return any(label.box[2] <= line.box[0] and label.box[1] <= centre <= label.box[3] for label in labels)


def _with_continuation(first: TextBox, candidates: list[TextBox], labels: list[TextBox]) -> str:
    """The value and the lines directly under it in the same cell ("…和PHC管桩" / "处理示意图")."""
    parts, current = [first.text.strip()], first
    while True:
        height = max(current.box[3] - current.box[1], 1)
        centre = (current.box[0] + current.box[2]) / 2
        following = [
            line for line in candidates
            if -height * 0.3 <= line.box[1] - current.box[3] <= height * 0.8 and line is not current
            and line.box[0] <= centre <= line.box[2]
            and not _LABEL_START.match(line.text)
            and not _labelled_row(line, labels)
        ]
        if not following:
            return "".join(parts)
        current = min(following, key=lambda line: line.box[1])
        parts.append(current.text.strip())


def title_block(sheet: Sheet) -> dict[str, str]:
    """The title-block fields found on one sheet (keys of ``_LABELS``)."""
    region = [
        line for line in sheet.lines
        if line.box[0] >= sheet.width * REGION_LEFT and line.box[1] >= sheet.height * REGION_TOP
    ]
    values = [line for line in region if _is_value(line)]
    labels = [line for line in region if _LABEL_START.match(line.text)]
    found: dict[str, str] = {}
    for line in sorted(region, key=lambda item: (item.box[1], item.box[0])):
        for key, pattern in _LABEL.items():
            if key in found:
                continue
            match = pattern.match(line.text)
            if not match:
                continue
            rest = match.group("rest").strip()
            if rest and not _LATIN_ONLY.match(rest):
                found[key] = rest
            else:
                value = _right_of(line, values) or _below(line, values)
                if value is not None:
                    found[key] = _with_continuation(value, values, labels) if key in _WRAPPING else value.text.strip()
            break
    return found
