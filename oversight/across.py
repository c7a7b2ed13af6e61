"""Across projects: splitting (C10) over the agency's contracts, and the per-contractor view.

Splitting is rarely visible inside one project: the same builder gets two 施工 contracts of 380万
under two project codes in one year, each below the 400万 line. Here every untendered contract
of the agency is grouped by type and counterparty; a group of contracts signed within the window
whose total reaches the threshold is a flag naming every contract. Contracts sitting just under a
threshold are listed too. The contractor view sums, per contractor, contracts and settlements.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from oversight.checks import ChecksFile, shipped_checks
from oversight.checks.base import money
from oversight.labels import SEVERITY_ORDER
from schemas.oversight import AgencyFlag, AgencyOverview, ContractLine, ContractorSummary, OversightDetail


@dataclass(frozen=True)
class Placed:
    project: str
    contract: ContractLine


def _windows(items: list[Placed], days: int) -> Iterator[list[Placed]]:
    """Maximal runs of contracts whose dates lie within ``days`` of the run's first one."""
    dated = sorted((p for p in items if p.contract.date is not None), key=lambda p: p.contract.date)
    start = 0
    for end in range(len(dated)):
        while (dated[end].contract.date - dated[start].contract.date).days > days:
            start += 1
        closes = end == len(dated) - 1 or (dated[end + 1].contract.date - dated[start].contract.date).days > days
        if closes and end > start:
            yield dated[start : end + 1]


def _flag(checks: ChecksFile, key: str, group: list[Placed], values: dict, text: dict) -> AgencyFlag:
    definition = checks.checks["C10"]
    spec = definition.findings[key]
    return AgencyFlag(check="C10", severity=spec.severity, message=spec.message.format(**{**values, **text}),
                      values=values, documents=[p.contract.document_id for p in group],
                      basis=f"{definition.basis}（{definition.tag}）", project=None,
                      document_projects={p.contract.document_id: p.project for p in group})


def splitting_across(details: dict[str, OversightDetail], checks: ChecksFile | None = None) -> list[AgencyFlag]:
    checks = checks or shipped_checks()
    thresholds = checks.checks["C09"].params["thresholds"]
    params = checks.checks["C10"].params
    groups: dict[tuple[str, str], list[Placed]] = defaultdict(list)
    near: dict[str, list[Placed]] = defaultdict(list)
    for code, detail in details.items():
        for contract in detail.contracts:
            threshold = thresholds.get(contract.contract_type or "")
            if not threshold or contract.price is None or contract.tendered or contract.price >= threshold:
                continue
            if contract.counterparty:
                groups[(contract.contract_type, contract.counterparty)].append(Placed(code, contract))
            if contract.price >= threshold * params["near_threshold"]:
                near[contract.contract_type].append(Placed(code, contract))
    flags: list[AgencyFlag] = []
    flagged: set[str] = set()
    for (kind_type, party), placed in groups.items():
        for run in _windows(placed, params["window_days"]):
            total = sum(p.contract.price for p in run)
            if total >= thresholds[kind_type] and len({p.project for p in run}) > 1:
                flagged.update(p.contract.document_id for p in run)
                flags.append(_flag(checks, "split_same_party", run,
                                   {"count": len(run), "total": total, "threshold": thresholds[kind_type],
                                    "projects": sorted({p.project for p in run})},
                                   {"type": kind_type, "party": party, "total": money(total),
                                    "threshold": money(thresholds[kind_type])}))
    for kind_type, placed in near.items():
        for run in _windows(placed, params["window_days"]):
            if len(run) >= params["min_cluster"] and not {p.contract.document_id for p in run} <= flagged:
                prices = [p.contract.price for p in run]
                flags.append(_flag(checks, "near_threshold", run,
                                   {"count": len(run), "threshold": thresholds[kind_type], "prices": prices,
                                    "projects": sorted({p.project for p in run})},
                                   {"type": kind_type, "threshold": money(thresholds[kind_type]),
                                    "prices": "、".join(money(p) for p in prices)}))
    return flags


def contractors(details: dict[str, OversightDetail]) -> list[ContractorSummary]:
    """Per contractor: projects, number and total of contracts, and settlement growth where settled."""
    rows: dict[str, dict] = defaultdict(lambda: {"projects": set(), "contracts": 0, "total": 0.0,
                                                 "settled_contract": 0.0, "settled": 0.0})
    for code, detail in details.items():
        ledger = detail.report.ledger
        for contract in detail.contracts:
            if not contract.counterparty:
                continue
            row = rows[contract.counterparty]
            row["projects"].add(code)
            row["contracts"] += 1
            row["total"] += contract.price or 0.0
        works = [c for c in detail.contracts if c.contract_type == "施工" and c.counterparty]
        if len({c.counterparty for c in works}) == 1 and ledger.settlement_approved and ledger.contract_price:
            row = rows[works[0].counterparty]
            row["settled_contract"] += ledger.contract_price
            row["settled"] += ledger.settlement_approved
    summaries = [
        ContractorSummary(contractor=name, projects=sorted(row["projects"]), contracts=row["contracts"],
                          contract_total=round(row["total"], 2),
                          settlement_approved_total=round(row["settled"], 2) if row["settled"] else None,
                          settlement_growth=round(row["settled"] / row["settled_contract"] - 1, 4)
                          if row["settled_contract"] else None)
        for name, row in rows.items()
    ]
    summaries.sort(key=lambda s: (-s.contract_total, s.contractor))
    return summaries


def overview(details: dict[str, OversightDetail], checks: ChecksFile | None = None) -> AgencyOverview:
    flags = [AgencyFlag(**flag.model_dump(), project=code, document_projects=dict.fromkeys(flag.documents, code))
             for code, detail in details.items() for flag in detail.report.flags]
    flags += splitting_across(details, checks)
    flags.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.check, f.project or ""))
    return AgencyOverview(projects=len(details), flags=flags, contractors=contractors(details))

