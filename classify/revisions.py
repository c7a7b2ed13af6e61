"""Revision checks on the 竣工图 set (standards.md §1.4, §2.3; prior-art §3.5).

Two things an inspector checks on the drawings, both from text alone:

* a sheet (图号) that appears more than once in the 竣工图 set: the set still holds a superseded
  sheet — only the latest revision (or, without revision marks, the latest date) belongs in it;
* a drawing changed by a 设计变更 / 工程洽商 (the change lists it under 涉及图号 / 图号) whose 竣工图
  does not cite the change's number: the amendment basis is missing from the sheet.
"""

from __future__ import annotations

import re
from collections import defaultdict

from schemas.completeness import FiledDocument, Finding

DRAWING_NUMBER = re.compile(r"[建结水暖电智装总幕景]施-?\d{1,3}[A-Za-z]?")
_SHEET_NUMBER = re.compile(r"图号[|:：\s]*(" + DRAWING_NUMBER.pattern + ")")
_CHANGE_NUMBER = re.compile(r"(?:变更编号|洽商编号|核定编号|编号)[|:：\s]*([^\s|，,。；;]+)")
_REVISION = re.compile(r"(?:版本号?|版次|修改版次|REV\.?)[|:：\s]*([A-Za-z]?\d{0,3}[A-Za-z]?)", re.IGNORECASE)
_SPACE = re.compile(r"\s+")

CHANGE_ITEMS = ("C2-6", "C2-7")


def sheet_number(document: FiledDocument) -> str | None:
    found = _SHEET_NUMBER.search(document.text) or _SHEET_NUMBER.search(_SPACE.sub("", document.text))
    if found:
        return found.group(1)
    return document.fields.get("drawing_number") if document.class_code == "D" else None


def revision_of(document: FiledDocument) -> str:
    found = _REVISION.search(document.text)
    return (found.group(1) if found else "") or str(document.fields.get("revision") or "")


def change_number(document: FiledDocument) -> str | None:
    found = _CHANGE_NUMBER.search(document.text)
    return found.group(1) if found else None


def check_revisions(documents: list[FiledDocument]) -> list[Finding]:
    drawings = [d for d in documents if d.class_code == "D" and d.status == "processed"]
    changes = [d for d in documents if d.item_code in CHANGE_ITEMS and d.status == "processed"]
    return _superseded(drawings) + _uncited_changes(drawings, changes)


def _superseded(drawings: list[FiledDocument]) -> list[Finding]:
    by_sheet: dict[str, list[FiledDocument]] = defaultdict(list)
    for drawing in drawings:
        number = sheet_number(drawing)
        if number:
            by_sheet[number].append(drawing)
    findings = []
    for number, sheets in sorted(by_sheet.items()):
        if len(sheets) < 2:
            continue
        ordered = sorted(sheets, key=lambda d: (_revision_key(revision_of(d)), d.doc_date or "", d.id))
        latest = ordered[-1]
        for old in ordered[:-1]:
            findings.append(Finding(
                check="superseded_sheet", document_id=old.id,
                message=(f"竣工图 {number}《{old.title or old.original_name}》版本「{revision_of(old) or '未标'}」"
                         f"已被《{latest.title or latest.original_name}》（{latest.id}，版本「{revision_of(latest) or '未标'}」）"
                         "取代，旧版不应留在竣工图中"),
            ))
    return findings


def _uncited_changes(drawings: list[FiledDocument], changes: list[FiledDocument]) -> list[Finding]:
    sheets = {sheet_number(d): d for d in drawings}
    findings = []
    for change in changes:
        number = change_number(change)
        if not number:
            continue
        cited = set(DRAWING_NUMBER.findall(_SPACE.sub("", change.text)))
        for sheet in sorted(cited):
            drawing = sheets.get(sheet)
            if drawing is None or number in _SPACE.sub("", drawing.text):
                continue
            findings.append(Finding(
                check="change_not_cited", document_id=drawing.id,
                message=(f"竣工图 {sheet}《{drawing.title or drawing.original_name}》未注明变更依据："
                         f"《{change.title}》{number}（{change.id}）涉及该图"),
            ))
    return findings


def _revision_key(revision: str) -> tuple[int, str]:
    digits = re.sub(r"\D", "", revision)
    return (int(digits) if digits else -1, revision)
