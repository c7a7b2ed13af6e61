"""Which documents a sample project holds, how many of each, and the folders an office files them in."""

from __future__ import annotations

from samples import (
    items_a_approvals,
    items_a_contracts,
    items_b_control,
    items_b_management,
    items_c_accept,
    items_c_management,
    items_c_records,
    items_c_technical,
    items_d,
    items_e,
)
from samples.kit import Template

TEMPLATES: tuple[Template, ...] = (
    *items_a_approvals.TEMPLATES,
    *items_a_contracts.TEMPLATES,
    *items_b_management.TEMPLATES,
    *items_b_control.TEMPLATES,
    *items_c_management.TEMPLATES,
    *items_c_technical.TEMPLATES,
    *items_c_records.TEMPLATES,
    *items_c_accept.TEMPLATES,
    *items_d.TEMPLATES,
    *items_e.TEMPLATES,
)

# Busy items get several documents, the way a real project's archive does; everything else one.
COPIES: dict[str, int] = {
    "B1-2": 2, "B1-3": 3, "B1-4": 2, "B1-8": 2, "B3-2": 2, "B4-1": 2,
    "C1-3": 2, "C1-9": 2, "C2-3": 2, "C2-4": 2, "C2-6": 3, "C2-7": 2, "C5-1": 3,
    "C7-1": 4, "C7-2": 2, "C7-3": 2,
    "D-1": 2, "D-2": 2, "D-7": 2, "D-9": 2,
    "E1-9": 2, "E3-1": 2,
}

CLASS_NAMES = {
    "A": "工程准备阶段文件", "B": "监理文件", "C": "施工文件", "D": "竣工图", "E": "工程竣工验收文件",
}
SUBCLASS_NAMES = {
    "A1": "立项文件", "A2": "建设用地、拆迁文件", "A3": "勘察、设计文件", "A4": "招投标文件", "A5": "开工审批文件",
    "A6": "工程造价文件", "A7": "工程建设基本信息",
    "B1": "监理管理文件", "B2": "进度控制文件", "B3": "质量控制文件", "B4": "造价控制文件", "B5": "工期管理文件",
    "B6": "监理验收文件",
    "C1": "施工管理文件", "C2": "施工技术文件", "C3": "进度造价文件", "C4": "施工物资出厂质量证明及进场检测文件",
    "C5": "施工记录文件", "C6": "施工试验记录及检测文件", "C7": "施工质量验收文件", "C8": "施工验收文件",
    "E1": "竣工验收与备案文件", "E2": "竣工决算文件", "E3": "工程声像资料等", "E4": "其他工程文件",
}
ALL_SUBCLASSES = (*SUBCLASS_NAMES.keys(), "D")


def class_folder(class_code: str) -> str:
    """``C2`` → ``C 施工文件/C2 施工技术文件``; ``D`` → ``D 竣工图``."""
    letter = class_code[0]
    top = f"{letter} {CLASS_NAMES[letter]}"
    if class_code == "D":
        return top
    return f"{top}/{class_code} {SUBCLASS_NAMES[class_code]}"


def project_plan() -> list[tuple[Template, int]]:
    """(template, copy number) for every document of the sample project, in order."""
    plan = []
    seen: set[str] = set()
    for template in TEMPLATES:
        # an item with two templates (A4-3: 招标文件 and 中标通知书) gets one copy of each
        copies = 1 if template.item in seen else COPIES.get(template.item, 1)
        seen.add(template.item)
        plan.extend((template, n) for n in range(copies))
    return plan


def sample_items() -> frozenset[str]:
    """Every item code the full sample project has documents for."""
    return frozenset(t.item for t in TEMPLATES)
