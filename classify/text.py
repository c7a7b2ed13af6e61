"""Text as the classifier sees it: normalised, compacted, and cut into title / head / body zones.

Converters hand us very different layouts for the same form: a DOCX heading, a spreadsheet row
split over merged cells (``单位,（子单位）,工程质量验收记录``), a PDF line with letter-spaced
words (``监  理  规  划``). Matching is done on a *compact* form of the text — NFKC-normalised
(full-width brackets and colons become ASCII) with white space and cell separators removed — so
one pattern fits all of them.

Where a phrase stands matters more than whether it occurs: the title of a 隐蔽工程验收记录 names
its type, while its body may cite a 设计变更 number as the basis of the work. So the text is cut
into zones that the scorer weighs differently.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

HEAD_LINES = 15  # lines after which a phrase no longer counts as part of the heading block
TITLE_LINE_MAX_CHARS = 50  # a compact line longer than this is a table row or prose, not a title
HEAD_LINE_MAX_CHARS = 400  # a longer "line" is a paragraph or a flattened table; its start is enough
BODY_MAX_CHARS = 60_000  # enough for any form; long reports are decided by their head anyway

_SEPARATORS = re.compile(r"[\s,|;_\u200b\ufeff]+")
_SEGMENT_BREAKS = re.compile(r"\s*[|,，\t:：]\s*|\s{2,}|\s(?=\S{2,})")
_ENUMERATOR = re.compile(
    r"^(?:\d+(?:\.\d+)*[.、)]?|\(\d+\)|[(（]?[一二三四五六七八九十]+[)）、]|第.{1,3}[章节条部分])"
)
_FIELD_LABEL = re.compile(r"^[^:]{1,8}:")
SEGMENT_CHARS = 20  # a heading or a form label is short; longer segments are sentences
_NUMBERED_NAME = re.compile(r"^\d{1,4}[-_.、\s]+")
# Fields of blank templates: ${bean.name}, «Field», <party_a_name>, $name$, {{x}}, runs of * or X.
_PLACEHOLDER = re.compile(
    r"\$\{[^}\n]{0,60}\}|«[^»\n]{0,60}»|<[A-Za-z_][A-Za-z0-9_.]{0,40}>|\$[A-Za-z_][A-Za-z0-9_]{0,40}\$"
    r"|\{\{[^}\n]{0,60}\}\}|\*{3,}|X{3,}"
)
LATE_SCAN_LINES = 400  # how far past the head a stand-alone title line is looked for
LATE_TITLE_MAX_CHARS = 30
LATE_TITLES = 60


def normalise(text: str) -> str:
    """NFKC: full-width letters, digits, brackets and colons become their ASCII forms."""
    return unicodedata.normalize("NFKC", text)


def compact(text: str) -> str:
    """Normalised text without white space and table-cell separators."""
    return _SEPARATORS.sub("", normalise(text))


@dataclass(frozen=True)
class Zones:
    """The parts of a document, compacted. ``lines`` are the first non-empty lines of the text."""

    title: str | None
    lines: tuple[str, ...]
    body: str
    prose: tuple[bool, ...] = ()  # per line: written as sentences (。 or several ，), so not a title
    segments: tuple[str, ...] = ()  # starts of headings, table cells and labels (for form markers)
    sentences: int = 0  # full stops (。) in the text: many means running prose, few means a form
    late_lines: tuple[str, ...] = ()  # short stand-alone lines after the head (a title behind a cover)

    def may_be_title(self, index: int) -> bool:
        """A short line that is neither a sentence, a numbered section nor a ``label: value`` field."""
        line = self.lines[index]
        if len(line) > TITLE_LINE_MAX_CHARS or (self.prose and self.prose[index]):
            return False
        return not (_ENUMERATOR.match(line) or _FIELD_LABEL.match(line))

    def numbered(self, index: int) -> bool:
        """A numbered section heading (3.1, （二）, 第三章 …)."""
        return bool(_ENUMERATOR.match(self.lines[index]))

    @property
    def full(self) -> str:
        return "".join(self.lines) + self.body


def split_zones(title: str | None, text: str) -> Zones:
    """Cut a document into an explicit title (if any), its heading lines and the rest."""
    text = _PLACEHOLDER.sub("", text)
    lines: list[str] = []
    prose: list[bool] = []
    rest_at = 0
    offset = 0
    stacked = False  # the last line is a run of single characters
    for raw_line in text.splitlines(keepends=True):
        offset += len(raw_line)
        line = compact(raw_line[: HEAD_LINE_MAX_CHARS * 2])[:HEAD_LINE_MAX_CHARS]
        if not line:
            continue
        if _is_letter(line) and stacked:
            lines[-1] += line  # a cover title set one character per line (监 / 理 / 规 / 划)
            continue
        stacked = _is_letter(line)
        lines.append(line)
        prose.append(_is_prose(raw_line))
        if len(lines) >= HEAD_LINES:
            rest_at = offset
            break
    else:
        rest_at = len(text)
    rest = text[rest_at : rest_at + BODY_MAX_CHARS]
    clean_title = compact(title) if title and title.strip() else None
    return Zones(
        title=clean_title or None,
        lines=tuple(lines),
        body=compact(rest),
        prose=tuple(prose),
        segments=tuple(_segments(text[: rest_at + BODY_MAX_CHARS])),
        sentences=text.count("。"),
        late_lines=tuple(_late_lines(rest)),
    )


def _is_letter(line: str) -> bool:
    return len(line) == 1 and "\u4e00" <= line <= "\u9fff"


def _late_lines(rest: str) -> list[str]:
    """Short stand-alone lines after the head: the title of a form behind a cover or a task sheet."""
    found = []
    for raw_line in rest.splitlines()[:LATE_SCAN_LINES]:
        raw_line = raw_line.split("|", 1)[0]  # a title cell of a table row
        line = compact(raw_line)
        if 4 <= len(line) <= LATE_TITLE_MAX_CHARS and not _is_prose(raw_line) and not _ENUMERATOR.match(line) \
                and not _FIELD_LABEL.match(line):
            found.append(line)
            if len(found) >= LATE_TITLES:
                break
    return found


def _segments(text: str) -> list[str]:
    """Heading and cell starts: where a form's field labels and a report's chapter titles stand."""
    found = []
    for raw_line in normalise(text).splitlines():
        for part in _SEGMENT_BREAKS.split(raw_line.strip()):
            part = _ENUMERATOR.sub("", compact(part))
            if part and len(part) <= SEGMENT_CHARS and not part.endswith(("。", ";", "；")):
                found.append(part)
    return found


def _is_prose(raw_line: str) -> bool:
    return "。" in raw_line or raw_line.count("，") >= 2


def file_name_title(file_name: str | None) -> str | None:
    """A file name as a weak title: extension and a leading running number removed."""
    if not file_name:
        return None
    stem = PurePath(file_name).stem
    stem = _NUMBERED_NAME.sub("", stem)
    cleaned = compact(stem)
    return cleaned or None


def folder_titles(folder_hints: list[str] | tuple[str, ...]) -> list[str]:
    """Folder names, nearest first, compacted; empty names dropped."""
    return [c for c in (compact(hint) for hint in folder_hints if hint) if c]
