"""Assigning 档号: which 案卷 (volume) each document goes in, and its 件号 inside it.

The scheme is documented in every bundle (``manifest.json`` → ``archive_code_scheme``) and kept
stable, as DA/T 13 asks (唯一性, 稳定性):

* ``项目代号-分类号-案卷号-件号``, e.g. ``JD-2024-001-C2-003-0007``;
* 分类号 is the GB/T 50328 sub-class (A1 … E4, D); documents the archive could not file go to
  ``X`` (未归类, to be reviewed before the handover is signed);
* one 案卷 per taxonomy item inside a sub-class (documents filed to the sub-class but no item get
  a volume of their own after the items), numbered 001… in the taxonomy's order;
* 件号 0001… inside a volume, by the document's date (undated last), then by document id.

Everything is derived from the catalog rows alone, so an unchanged project gets the same 档号 on
every export.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from handover.names import payload_file_name, safe_component
from schemas.completeness import ArchivalCodeRule
from schemas.handover import FilingPlan, HandoverDocument

UNFILED_CLASS = ArchivalCodeRule().unfiled_class  # the default scheme's; a request may name its own
UNFILED_NAME = "未归类（待复核）"
ORIGINALS_DIR = "档案"
ARCHIVE_CODE_SCHEME = "项目代号-分类号-案卷号-件号（分类号为 GB/T 50328 二级类目，X 为未归类；案卷按条目组卷，件号按日期、文件标识排列）"

_RETENTION_RANK = {"永久": 4, "长期": 3, "30年": 2, "定期30年": 2, "短期": 1, "10年": 1, "定期10年": 1}


@dataclass
class PlannedDocument:
    doc: HandoverDocument
    archive_code: str
    item_no: int
    path: str  # relative to the bag root, starting with data/
    retention: str | None
    start_page: int | None = None


@dataclass
class Volume:
    class_code: str
    class_name: str
    item_code: str | None
    item_name: str
    volume_no: int
    code: str
    title: str
    documents: list[PlannedDocument] = field(default_factory=list)
    unfiled: bool = False  # the 未归类 volume: documents the archive could not file

    @property
    def retention(self) -> str | None:
        """A volume keeps its documents for the longest of their retention periods (DA/T 28 组卷)."""
        values = [d.retention for d in self.documents if d.retention]
        return max(values, key=retention_rank) if values else None

    @property
    def pages(self) -> int | None:
        pages = [d.doc.pages for d in self.documents]
        return sum(p for p in pages if p) if pages and all(p for p in pages) else None

    @property
    def date_range(self) -> tuple[str | None, str | None]:
        dates = sorted(d.doc.doc_date for d in self.documents if d.doc.doc_date)
        if not dates:
            return None, None
        return dates[0].isoformat(), dates[-1].isoformat()

    @property
    def bytes(self) -> int:
        return sum(d.doc.size for d in self.documents)


def retention_rank(value: str) -> int:
    """永久 > 长期 > 短期; a hint such as ``永久/长期`` counts as its longest part."""
    return max((_RETENTION_RANK.get(part.strip(), 0) for part in re.split(r"[/、或]", value)), default=0)


def matches_only(doc: HandoverDocument, only: list[str] | None) -> bool:
    """``--only C,D2,E2-x``: a class letter, a sub-class or an item code selects a document."""
    if not only:
        return True
    code = doc.class_code or UNFILED_CLASS
    return any(
        wanted in (code, doc.item_code) or (len(wanted) == 1 and code.startswith(wanted)) for wanted in only
    )


def _natural(code: str) -> tuple[object, ...]:
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code))


def plan_volumes(project_code: str, project_name: str, documents: list[HandoverDocument],
                 plan: FilingPlan, rule: ArchivalCodeRule | None = None) -> list[Volume]:
    """Group documents into volumes in 档号 order and give every document its 档号 and path.

    The codes come from ``rule.volume_codes`` (the archive's scheme, the same call completeness
    makes); the grouping and order are the ones the module docstring describes.
    """
    rule = rule or ArchivalCodeRule()
    sub_order = {s.code: n for n, s in enumerate(plan.subclasses)}
    sub_names = {s.code: s.name for s in plan.subclasses}
    item_order = {i.code: n for s in plan.subclasses for n, i in enumerate(s.items)}
    item_info = {i.code: i for s in plan.subclasses for i in s.items}

    groups: dict[tuple[str, str | None], list[HandoverDocument]] = defaultdict(list)
    for doc in documents:
        class_code = doc.class_code or rule.unfiled_class
        item = doc.item_code if doc.class_code and doc.item_code else None
        groups[(class_code, item)].append(doc)

    def class_key(code: str) -> tuple[int, tuple[object, ...]]:
        if code == rule.unfiled_class:
            return (2, ())
        return (0, (sub_order[code],)) if code in sub_order else (1, _natural(code))

    def item_key(item: str | None) -> tuple[int, int, tuple[object, ...]]:
        if item is None:
            return (2, 0, ())
        return (0, item_order[item], ()) if item in item_order else (1, 0, _natural(item))

    volumes: list[Volume] = []
    by_class: dict[str, list[str | None]] = defaultdict(list)
    for class_code, item in groups:
        by_class[class_code].append(item)
    for class_code in sorted(by_class, key=class_key):
        unfiled = class_code == rule.unfiled_class
        class_name = UNFILED_NAME if unfiled else sub_names.get(class_code, class_code)
        for volume_no, item in enumerate(sorted(by_class[class_code], key=item_key), start=1):
            info = item_info.get(item) if item else None
            item_name = info.name if info else (item or class_name)
            members = sorted(groups[(class_code, item)],
                             key=lambda d: (d.doc_date is None, d.doc_date or 0, d.id))
            codes = rule.volume_codes(project_code, None if unfiled else class_code, volume_no, len(members))
            code = codes.volume
            volume = Volume(class_code, class_name, item, item_name, volume_no, code,
                            f"{project_name}·{item_name}", unfiled=unfiled)
            folder = f"data/{ORIGINALS_DIR}/{safe_component(class_code)}/{safe_component(code)}"
            page = 1
            for item_no, (doc, a_code) in enumerate(zip(members, codes.pieces, strict=True), start=1):
                # an archivist's 保管期限 for this document wins over the filing plan's for its item
                retention = doc.retention or (info.retention if info else None)
                planned = PlannedDocument(doc, a_code, item_no,
                                          f"{folder}/{payload_file_name(a_code, doc.original_name)}",
                                          retention, start_page=page if page else None)
                page = page + doc.pages if page and doc.pages else 0
                volume.documents.append(planned)
            volumes.append(volume)
    return volumes
