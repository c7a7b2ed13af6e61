"""Per-document field completeness (standards.md §4, §5.3): the fields and signatures a type carries.

Each document type in the taxonomy lists ``fields`` (编号, 日期, 工程名称, …) and ``sign`` (the
parties who sign or seal). A filed document is checked for each: the label must appear in its text
(or the field must have been extracted), and a conclusion field must not be left blank. A missing
field is a finding for the archivist, never a reason to refuse or re-file the document.
"""

from __future__ import annotations

import re

from schemas.completeness import FiledDocument, Finding
from schemas.taxonomy import DocType, Taxonomy

_SPACE = re.compile(r"[\s|]+")
# field label in the taxonomy → extracted field that also satisfies it
_EXTRACTED = {
    "工程名称": "project_name", "项目名称": "project_name", "编号": "number", "文号": "number",
    "日期": "date", "签发日期": "date", "金额": "amount", "图号": "drawing_number", "版本": "revision",
}
# words that stand for a label in common variants (表号 for 编号 …)
_ALIASES = {
    "编号": ("编号", "表号", "文号", "No"), "日期": ("日期", "时间", "年", "月"),
    "工程名称": ("工程名称", "项目名称", "工程"), "项目名称": ("项目名称", "工程名称", "项目"),
}
_BLANK_AFTER = re.compile(r"(验收结论|检查结论|结论)[:：]?(\s*$|\s*[（(]?签)", re.MULTILINE)


def doc_types_by_name(taxonomy: Taxonomy) -> dict[str, DocType]:
    return {doc_type.name: doc_type for _, _, doc_type in taxonomy.doc_types()}


def check_fields(documents: list[FiledDocument], types: dict[str, DocType]) -> list[Finding]:
    findings = []
    for document in documents:
        doc_type = types.get(document.doc_type or "")
        if doc_type is None or document.status != "processed":
            continue
        flat = _SPACE.sub("", document.text)
        lacking = [f for f in doc_type.fields if not _has_field(f, flat, document.fields)]
        unsigned = [s for s in doc_type.sign if not _has_party(s, flat)]
        if lacking:
            findings.append(Finding(check="fields", document_id=document.id,
                                    message=f"《{document.title or document.original_name}》缺少栏目：{'、'.join(lacking)}"))
        if unsigned:
            findings.append(Finding(check="signatures", document_id=document.id,
                                    message=f"《{document.title or document.original_name}》未见签署/盖章：{'、'.join(unsigned)}"))
        if _BLANK_AFTER.search(document.text):
            findings.append(Finding(check="conclusion", document_id=document.id,
                                    message=f"《{document.title or document.original_name}》结论栏为空"))
    return findings


def _has_field(label: str, flat: str, extracted: dict[str, object]) -> bool:
    key = _EXTRACTED.get(label)
    if key and extracted.get(key):
        return True
    return any(alias in flat for alias in _ALIASES.get(label, (label,)))


def _has_party(party: str, flat: str) -> bool:
    """A party counts as signed when its role word stands in the text (印章/签名 suffixes dropped)."""
    core = re.sub(r"(印章|公章|签名|签字|签章|盖章|\(.*\)|（.*）)$", "", party) or party
    return core in flat
