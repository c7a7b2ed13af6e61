"""The performance sheet (C25) of a project: the indicators a 项目总结报告 or a 绩效评价 quotes,
computed from the ledger and the dates the documents give — 概算执行率, 中标下浮率, 合同变更率,
结算增幅, 审减率, 支付进度, 工期偏差.

The formulas are standard practice (audit reference §5, after 财预〔2020〕10号's indicator tree); no
national threshold goes with them, so the sheet states values and the one line a locality sets
(C25's 工期偏差) is a check. An indicator whose inputs the archive lacks is None, never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass

from oversight.project import number
from schemas.oversight import DocumentFacts, Ledger, ProjectFacts


@dataclass(frozen=True)
class Schedule:
    """The works against the contract's 工期: start (开工令) to 竣工验收, in calendar days."""

    start: DocumentFacts
    acceptance: DocumentFacts
    contract: DocumentFacts
    contract_days: int

    @property
    def actual_days(self) -> int:
        return (self.acceptance.date - self.start.date).days

    @property
    def deviation(self) -> float:
        return (self.actual_days - self.contract_days) / self.contract_days


def _earliest(facts: ProjectFacts, kind: str, contract_type: str | None = None) -> DocumentFacts | None:
    dated = [doc for doc in facts.of_kind(kind) if doc.date is not None
             and (contract_type is None or (doc.contract_type or "施工") == contract_type)]
    return min(dated, key=lambda doc: doc.date) if dated else None


def schedule(facts: ProjectFacts) -> Schedule | None:
    start, acceptance = _earliest(facts, "start_order"), _earliest(facts, "acceptance")
    contract = _earliest(facts, "contract", "施工")
    days = number(contract, "duration_days") if contract is not None else None
    if start is None or acceptance is None or not days:
        return None
    return Schedule(start, acceptance, contract, int(days))


def _ratio(part: float | None, whole: float | None) -> float | None:
    return None if part is None or not whole else round(part / whole, 4)


def indicators(ledger: Ledger, facts: ProjectFacts) -> list[tuple[str, float | None, str]]:
    """(indicator, value as a ratio or None, how it is computed), in the order the sheet shows them."""
    contract, changes = ledger.contract_price, ledger.changes_total or 0.0
    approved, submitted = ledger.settlement_approved, ledger.settlement_submitted
    works = schedule(facts)
    return [
        ("概算执行率", _ratio(ledger.final_accounts, ledger.approved_budget), "竣工决算 ÷ 批复概算"),
        ("中标下浮率", None if ledger.bid_price is None or not ledger.control_price
         else round(1 - ledger.bid_price / ledger.control_price, 4), "1 − 中标价 ÷ 招标控制价"),
        ("合同变更率", _ratio(ledger.changes_total, contract), "变更及签证合计 ÷ 合同价"),
        ("结算增幅", None if approved is None else _ratio(approved - (contract or 0.0), contract), "（审定结算 − 合同价）÷ 合同价"),
        ("审减率", None if approved is None else _ratio((submitted or 0.0) - approved, submitted), "（送审 − 审定）÷ 送审"),
        ("支付进度", _ratio(ledger.paid_total, None if contract is None else contract + max(changes, 0.0)),
         "累计支付 ÷（合同价 + 变更签证）"),
        ("工期偏差", None if works is None else round(works.deviation, 4), "（实际工期 − 合同工期）÷ 合同工期"),
    ]

