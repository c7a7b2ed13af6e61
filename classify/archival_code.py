"""档号 assignment and retention: the one place that says which code each filed document carries.

Scheme (the archive's 分类方案, DA/T 13 building blocks; the patterns are data in checklist.yaml):
``项目代号-分类号-案卷号-件号``, e.g. ``JD-2024-001-C2-003-0007``. 分类号 is the GB/T 50328
sub-class (``X`` for a document not yet filed); one 案卷 per taxonomy item inside a sub-class,
numbered 001… in the taxonomy's order, documents filed to the sub-class only in a volume after the
items; 件号 0001… by date (undated last), then document id.

Completeness and the handover bundle must print the same code for the same document, so both go
through ``ArchivalCodeRule.volume_codes`` (the handover receives the rule in its request); ``assign_codes`` is the completeness side's grouping, the same as the
handover plan's. The code is derived, not stored: it changes when a document is re-filed, which is
what an archive wants until the volumes are bound (固化).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from schemas.completeness import ArchivalCodeRule, ChecklistRules, Dat28Mapping, FiledDocument, VolumeCodes
from schemas.taxonomy import Taxonomy

RETENTION_ORDER = {"永久": 3, "30年": 2, "10年": 1}
DEFAULT_RULE = ArchivalCodeRule()


def volume_codes(
    project_code: str,
    class_code: str | None,
    volume_no: int,
    documents: Sequence[object],
    rule: ArchivalCodeRule = DEFAULT_RULE,
) -> VolumeCodes:
    """档号 for one volume: ``project_code``, its 分类号 (sub-class; None → unfiled), its 1-based
    案卷号 inside the sub-class, and its documents already in 件 order (one code each, 件号 from 1).
    """
    return rule.volume_codes(project_code, class_code, volume_no, len(documents))


def piece_order(document: FiledDocument) -> tuple[bool, str, str]:
    """件 order inside a volume: by date, undated last, then by document id."""
    return (document.doc_date is None, document.doc_date or "", document.id)


def assign_codes(
    rules: ChecklistRules, taxonomy: Taxonomy, project: str, documents: list[FiledDocument]
) -> dict[str, str]:
    """document id → 档号 for every document filed to a sub-class of the taxonomy."""
    subclass_order = [s.code for s in taxonomy.subclasses()]
    item_order = {item.code: n for n, (_, item) in enumerate(taxonomy.items())}
    volumes: dict[str, dict[str | None, list[FiledDocument]]] = defaultdict(lambda: defaultdict(list))
    for document in documents:
        if document.class_code in subclass_order:
            item = document.item_code if document.item_code in item_order else None
            volumes[document.class_code][item].append(document)
    codes: dict[str, str] = {}
    for subclass in (s for s in subclass_order if s in volumes):
        items = sorted(volumes[subclass], key=lambda i: (i is None, item_order.get(i or "", 0)))
        for volume_no, item in enumerate(items, start=1):
            pieces = sorted(volumes[subclass][item], key=piece_order)
            numbered = volume_codes(project, subclass, volume_no, pieces, rules.archival_code)
            codes.update(zip((d.id for d in pieces), numbered.pieces, strict=True))
    return codes


def dat28_for(rules: ChecklistRules, item_code: str | None, subclass: str | None) -> Dat28Mapping | None:
    """The mapping of the item if it has its own, else of its sub-class."""
    table = {m.code: m for m in rules.dat28}
    return table.get(item_code or "") or table.get(subclass or "")


def valid_code(rules: ChecklistRules, code: str) -> bool:
    """DA/T 70 GD-1-7 档号规范性: the code matches this archive's pattern."""
    return re.match(rules.archival_code.regex, code) is not None


def longest(retentions: list[str | None]) -> str | None:
    """A volume mixing retentions takes the longest (DA/T 28-2002 §7.2.3)."""
    known = [r for r in retentions if r in RETENTION_ORDER]
    return max(known, key=RETENTION_ORDER.__getitem__) if known else None
