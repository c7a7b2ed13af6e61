"""四性检测 at the moment of export (DA/T 70-2018: 真实性, 完整性, 可用性, 安全性).

Only what the export itself can establish is claimed; the rest says ``not_checked`` with why.
Results depend on the catalog alone (no clock), so an unchanged project gives the same report.

* 真实性: every original was copied and its sha256 matched the value recorded at ingest.
* 完整性: every selected document is in the bundle; metadata gaps (no date, no title) and the
  completeness report's missing items are listed as warnings.
* 可用性: documents the archive could not read (quarantined) are named; formats are listed.
* 安全性: no virus scan or e-signature check is done by jiandang: ``not_checked``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from handover.plan import Volume
from schemas.handover import ReviewStatus


def _check(name: str, result: str, details: list[str]) -> dict[str, Any]:
    return {"name": name, "result": result, "details": details}


def export_checks(volumes: list[Volume], selected: int, completeness: dict[str, Any]) -> dict[str, Any]:
    docs = [d for v in volumes for d in v.documents]
    authenticity = _check("真实性", "passed", [
        f"{len(docs)} 件电子文件逐一复制并校验 SHA-256，与入库时记录一致",
        "包内每个文件另有 SHA-256 与 SHA-512 校验值（BagIt manifest-sha256.txt / manifest-sha512.txt）",
    ])

    gaps = []
    undated = [d.archive_code for d in docs if d.doc.doc_date is None]
    untitled = [d.archive_code for d in docs if not d.doc.title]
    if undated:
        gaps.append(f"{len(undated)} 件无日期：{'、'.join(undated[:20])}{' 等' if len(undated) > 20 else ''}")
    if untitled:
        gaps.append(f"{len(untitled)} 件无题名（以文件名代替）：{'、'.join(untitled[:20])}")
    missing = (completeness.get("report") or {}).get("missing") or []
    if missing:
        gaps.append(f"完整性检查缺少 {len(missing)} 项：{'、'.join(map(str, missing))}")
    if completeness.get("status") != "assessed":
        gaps.append("归档范围完整性尚未评估")
    integrity_result = "passed" if len(docs) == selected and not gaps else "warning"
    integrity = _check("完整性", integrity_result if len(docs) == selected else "failed",
                       [f"选定 {selected} 件，包内 {len(docs)} 件，分 {len(volumes)} 卷", *gaps])

    unreadable = [d for d in docs if d.doc.review_status == ReviewStatus.UNREADABLE]
    formats = Counter((d.doc.format or "未知") for d in docs)
    usability_details = ["格式：" + "、".join(f"{fmt} {n} 件" for fmt, n in sorted(formats.items()))]
    usability_details += [f"{d.archive_code} 无法读取：{d.doc.quarantine_reason or '原因未记录'}" for d in unreadable]
    usability = _check("可用性", "warning" if unreadable else "passed", usability_details)

    security = _check("安全性", "not_checked", [
        "未进行病毒检测与电子签名验证（jiandang 不具备此功能），请接收方按 DA/T 70 另行检测",
    ])
    return {"authenticity": authenticity, "integrity": integrity, "usability": usability, "security": security}
