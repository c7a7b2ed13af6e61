"""What the generator hands out (``SampleFile``/``SampleProject``) and what its builders hand in (``Doc``).

Builders describe a document once, as a list of format-neutral blocks; the PDF, DOCX and XLSX
writers each lay those blocks out their own way. Keeping content apart from layout is what lets the
same 检验批 record come out as a spreadsheet in the sample project and as a PDF in a benchmark corpus.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

FORMATS = ("pdf", "docx", "xlsx")


@dataclass(frozen=True)
class SampleFile:
    """One generated file and the filing an archivist would give it."""

    relative_path: str  # POSIX-style, relative to the project/corpus root
    class_code: str  # sub-class: "A1".."A7", "B1".."B6", "C1".."C8", "D", "E1".."E4"
    item_code: str  # item code of the reference taxonomy, e.g. "C2-6"
    doc_type: str  # e.g. "设计变更通知单"
    format: str  # "pdf" | "docx" | "xlsx"
    title: str  # the title printed on the document itself


@dataclass(frozen=True)
class SampleProject:
    code: str
    name: str
    root: Path
    files: list[SampleFile]
    omitted_items: frozenset[str]

    @property
    def item_codes(self) -> frozenset[str]:
        """Items the generated archive holds at least one document for."""
        return frozenset(f.item_code for f in self.files)


# ---- format-neutral content blocks -------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1 = the document title, 2 = a section heading


@dataclass(frozen=True)
class Para:
    text: str


@dataclass(frozen=True)
class Fields:
    """Label/value pairs of a form header (工程名称, 编号, 日期 …), laid out as a grid."""

    pairs: tuple[tuple[str, str], ...]
    columns: int = 2  # label/value pairs per row


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Signatures:
    """The signature block: (unit or role, person, date) per line, optionally a seal note."""

    lines: tuple[tuple[str, str, str], ...]
    seal: str = ""


@dataclass(frozen=True)
class Drawing:
    """A drawing sheet: plan geometry, title block and (for 竣工图) the 竣工图章."""

    sheet_name: str  # 图名, e.g. 一层平面图
    drawing_number: str  # 图号, e.g. 建施-01
    discipline: str  # 建筑 / 结构 / 给排水 …
    title_block: tuple[tuple[str, str], ...]
    stamp: tuple[tuple[str, str], ...]  # 竣工图章 fields; empty for an ordinary 施工图
    notes: tuple[str, ...]
    rooms: tuple[str, ...]
    scale: str = "1:100"


Block = Heading | Para | Fields | Table | Signatures | Drawing


@dataclass
class Doc:
    """A document as a builder describes it, before any writer lays it out."""

    item_code: str
    doc_type: str
    title: str
    format: str
    blocks: list[Block]
    file_stem: str  # Chinese file name without extension
    when: date  # the document's own date; also used for the file's embedded timestamps
    author: str = ""
    embedded_title: str | None = None  # None → the title; "" → leave the property empty
    variant: int = 0  # picks among layout variants in the writers
    sheet_name: str = ""  # XLSX sheet title

    @property
    def class_code(self) -> str:
        return self.item_code.split("-", 1)[0]

    def text_length(self) -> int:
        """Rough count of characters the document will carry (for corpus sizing)."""
        total = len(self.title)
        for block in self.blocks:
            if isinstance(block, Heading | Para):
                total += len(block.text)
            elif isinstance(block, Fields):
                total += sum(len(a) + len(b) for a, b in block.pairs)
            elif isinstance(block, Table):
                total += sum(len(c) for c in block.header) + sum(len(c) for r in block.rows for c in r)
            elif isinstance(block, Signatures):
                total += sum(len(a) + len(b) + len(c) for a, b, c in block.lines)
            elif isinstance(block, Drawing):
                total += sum(len(n) for n in block.notes) + 200
        return total
