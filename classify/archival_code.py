"""档号 assignment and retention: where each filed document sits in the agency's DA/T 28 scheme.

Structure (DA/T 13 building blocks, this archive's own combination — see checklist.yaml):
全宗号-门类代码·年度-项目号-分类号-案卷号-件号. The 分类号 is the DA/T 28-2018 category of the
document's GB/T 50328 sub-class; one 案卷 per sub-class, numbered in tree order; 件号 in date order.
The code is derived, not stored: it changes when a document is re-filed, which is what an archive
wants until the volumes are bound (固化).
"""

from __future__ import annotations

import re
from collections import defaultdict

from schemas.completeness import ChecklistRules, Dat28Mapping, FiledDocument
from schemas.taxonomy import Taxonomy

RETENTION_ORDER = {"永久": 3, "30年": 2, "10年": 1}


def dat28_for(rules: ChecklistRules, item_code: str | None, subclass: str | None) -> Dat28Mapping | None:
    """The mapping of the item if it has its own, else of its sub-class."""
    table = {m.code: m for m in rules.dat28}
    return table.get(item_code or "") or table.get(subclass or "")


def assign_codes(
    rules: ChecklistRules, taxonomy: Taxonomy, project: str, documents: list[FiledDocument]
) -> dict[str, str]:
    """document id → 档号 for every filed document (sub-class known)."""
    order = [s.code for s in taxonomy.subclasses()]
    volumes: dict[str, list[FiledDocument]] = defaultdict(list)
    for document in documents:
        if document.class_code in order:
            volumes[document.class_code].append(document)
    codes: dict[str, str] = {}
    rule = rules.archival_code
    for volume, subclass in enumerate((s for s in order if s in volumes), start=1):
        pieces = sorted(volumes[subclass], key=lambda d: (d.doc_date or "9999", d.id))
        years = [d.doc_date[:4] for d in pieces if d.doc_date]
        year = max(years) if years else "0000"
        for piece, document in enumerate(pieces, start=1):
            mapping = dat28_for(rules, document.item_code, subclass)
            codes[document.id] = rule.pattern.format(
                fonds=rule.fonds, category_code=rule.category_code, year=year, project=project,
                category=mapping.category if mapping else "0", volume=volume, piece=piece,
            )
    return codes


def valid_code(rules: ChecklistRules, code: str) -> bool:
    """DA/T 70 GD-1-7 档号规范性: the code matches this archive's pattern."""
    return re.match(rules.archival_code.regex, code) is not None


def longest(retentions: list[str | None]) -> str | None:
    """A volume mixing retentions takes the longest (DA/T 28-2002 §7.2.3)."""
    known = [r for r in retentions if r in RETENTION_ORDER]
    return max(known, key=RETENTION_ORDER.__getitem__) if known else None
