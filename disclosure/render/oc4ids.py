"""An OC4IDS-shaped view of the content (Open Contracting for Infrastructure Data Standards,
project level), so outside tools can read the disclosure: the project, its budget, one contracting
process per contract with its supplier and value, the design changes as modifications, completion.

Built from the published (redacted) texts only; amounts are read back from their printed form
("12,864,500.00元"), which holds no personal data.
"""

from __future__ import annotations

import re
from typing import Any

from schemas.disclosure import DisclosureContent, DisclosureItem

_AMOUNT = re.compile(r"^(-?[\d,]+(?:\.\d+)?)元$")
_DAYS = re.compile(r"^(\d+)天$")
_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")


def _field(item: DisclosureItem, label: str) -> str | None:
    return next((f.value for f in item.fields if f.label == label and f.value is not None), None)


def _amount(text: str | None) -> dict[str, Any] | None:
    match = _AMOUNT.match(text or "")
    return {"amount": float(match.group(1).replace(",", "")), "currency": "CNY"} if match else None


def _iso(text: str | None) -> str | None:
    match = _DATE.match(text or "")
    return f"{int(match.group(1)):04d}-{int(match.group(2)):02d}-{int(match.group(3)):02d}" if match else None


def _items(content: DisclosureContent, category: str, prefix: str) -> list[DisclosureItem]:
    return [item for c in content.categories if c.id == category for item in c.published_items
            if item.key.split("/")[1] == prefix]


def _process(contract: DisclosureItem, public_id: str) -> dict[str, Any]:
    summary: dict[str, Any] = {"title": contract.name}
    if (supplier := _field(contract, "承包人")) is not None:
        summary["suppliers"] = [{"name": supplier}]
    if (value := _amount(_field(contract, "合同价"))) is not None:
        summary["contractValue"] = value
    if (days := _DAYS.match(_field(contract, "工期") or "")) is not None:
        summary["contractPeriod"] = {"durationInDays": int(days.group(1))}
    if (signed := _iso(_field(contract, "签订日期"))) is not None:
        summary["contractPeriod"] = {**summary.get("contractPeriod", {}), "startDate": signed}
    return {"id": public_id, "summary": summary}


def oc4ids(content: DisclosureContent, ids: dict[str, str]) -> dict[str, Any]:
    project: dict[str, Any] = {"id": content.project, "title": content.project_name or content.project,
                               "publicAuthority": {"name": content.owner} if content.owner else None}
    budget = next((_amount(_field(i, "核定概算")) for i in _items(content, "approval_result", "budget")), None)
    if budget:
        project["budget"] = {"amount": budget}
    processes = [_process(item, ids[item.key]) for item in _items(content, "bidding", "contract")]
    changes = [{"id": ids[item.key], "type": "scope", "description": _field(item, "变更原因"),
                "date": _iso(_field(item, "变更日期")), "value": _amount(_field(item, "变更金额"))}
               for item in _items(content, "design_change", "change")]
    if processes:
        processes[0]["summary"]["modifications"] = changes
    project["contractingProcesses"] = processes
    accepted = next((_iso(_field(i, "竣工验收日期")) for i in _items(content, "completion", "acceptance")), None)
    final = next((_amount(_field(i, "决算金额")) for i in _items(content, "completion", "final_accounts")), None)
    if accepted or final:
        project["completion"] = {k: v for k, v in (("endDate", accepted), ("finalValue", final)) if v}
    return {k: v for k, v in project.items() if v is not None}
