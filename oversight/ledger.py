"""The money chain: 估算 → 概算 → 招标控制价 → 中标价 → 合同价 → Σ变更/签证 → 送审 → 审定 → 决算,
and what was paid against it.

The original contract price is the baseline, taken once from the contracts themselves (never
rebuilt from a settlement minus its changes); changes and 签证 are their own layer on top of it;
补充协议 are kept apart. Each line says which documents it came from, whether an auditor corrected
it, and whether documents disagree on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from oversight.labels import CHANGE_KINDS, LEDGER_LABELS
from oversight.project import counterparty, effective, number
from schemas.oversight import (
    ChangeEntry,
    ContractLine,
    Correction,
    DocumentFacts,
    Ledger,
    LedgerLine,
    ProjectFacts,
)

WORKS = "施工"
# where each ledger value is read, in order of preference: (kind, fact)
SOURCES = {
    "estimate": [("feasibility_approval", "estimate"), ("proposal_approval", "estimate"), ("estimate_sheet", "estimate")],
    "control_price": [("tender", "control_price"), ("control_price_sheet", "control_price")],
    "bid_price": [("award", "bid_price")],
    "settlement_submitted": [("settlement_review", "settlement_submitted"), ("settlement_submission", "settlement_submitted")],
    "settlement_approved": [("settlement_review", "settlement_approved")],
    "final_accounts": [("final_accounts", "final_accounts")],
}


@dataclass
class Built:
    ledger: Ledger
    lines: list[LedgerLine]
    contracts: list[ContractLine]
    changes: list[ChangeEntry]
    payments: list[dict] = field(default_factory=list)


def _typed(doc: DocumentFacts, wanted: str | None) -> bool:
    return wanted is None or (doc.contract_type or WORKS) == wanted


def _first(facts: ProjectFacts, sources: list[tuple[str, str]], contract_type: str | None = WORKS):
    for kind, name in sources:
        for doc in facts.of_kind(kind):
            value = number(doc, name)
            if value is not None and (kind not in ("tender", "award", "control_price_sheet") or _typed(doc, contract_type)):
                return value, [doc.document_id]
    return None, []


def _tendered(facts: ProjectFacts, kind_type: str, party: str | None, alone: bool) -> bool:
    """Was this contract tendered? An award naming its party says so; an award or tender naming
    nobody says so only for the one contract of its type (it cannot be about another).
    """
    for doc in facts.of_kind("award", "tender"):
        if (doc.contract_type or WORKS) != kind_type:
            continue
        named = counterparty(doc)
        if (named is not None and named == party) or (named is None and alone):
            return True
    return False


def contracts_of(facts: ProjectFacts) -> list[ContractLine]:
    """Every contract once (a second copy with the same number, or party and price, is the same)."""
    seen: set[tuple] = set()
    unique = []
    for doc in facts.of_kind("contract"):
        numbered, party, price = doc.first("number"), counterparty(doc), number(doc, "contract_price")
        key = ("n", str(effective(numbered))) if numbered else ("p", party, price)
        if key not in seen:
            seen.add(key)
            unique.append((doc, party, price))
    per_type: dict[str, int] = {}
    for doc, _, _ in unique:
        per_type[doc.contract_type or WORKS] = per_type.get(doc.contract_type or WORKS, 0) + 1
    lines = []
    for doc, party, price in unique:
        kind_type = doc.contract_type or WORKS
        method = next((str(effective(f)) for f in doc.facts if f.name == "method"), None)
        lines.append(ContractLine(document_id=doc.document_id, contract_type=kind_type, counterparty=party, price=price,
                                  date=doc.date, method=method,
                                  tendered=_tendered(facts, kind_type, party, per_type[kind_type] == 1)))
    _one_contract_per_award(facts, lines)
    return lines


def _one_contract_per_award(facts: ProjectFacts, lines: list[ContractLine]) -> None:
    """An award leads to one contract: when a party holds more contracts of a type than awards
    name it for, only its earliest contracts are the tendered ones; the later ones were given
    without a tender of their own (C10's adjacent scope, C09's thresholds look at them).
    """
    awards: dict[tuple[str, str], int] = {}
    for doc in facts.of_kind("award"):
        party = counterparty(doc)
        if party is not None:
            key = (doc.contract_type or WORKS, party)
            awards[key] = awards.get(key, 0) + 1
    held: dict[tuple[str, str], list[ContractLine]] = {}
    for line in lines:
        if line.tendered and line.counterparty is not None:
            held.setdefault((line.contract_type or WORKS, line.counterparty), []).append(line)
    for key, group in held.items():
        if key in awards and len(group) > awards[key]:
            group.sort(key=lambda line: line.date or date.max)
            for line in group[awards[key]:]:
                line.tendered = False


def changes_of(facts: ProjectFacts) -> list[ChangeEntry]:
    seen: set[tuple] = set()
    entries = []
    for doc in facts.documents:
        if doc.kind not in CHANGE_KINDS:
            continue
        numbered = doc.first("number")
        key = (doc.kind, str(effective(numbered))) if numbered else (doc.kind, doc.document_id)
        if key in seen:
            continue
        seen.add(key)
        entries.append(ChangeEntry(document_id=doc.document_id, kind=CHANGE_KINDS[doc.kind],
                                   number=str(effective(numbered)) if numbered else None, date=doc.date,
                                   amount=number(doc, "amount")))
    entries.sort(key=lambda entry: (entry.date is None, entry.date, entry.number or ""))
    return entries


def payments_of(facts: ProjectFacts) -> list[dict]:
    seen: set[str] = set()
    rows = []
    for doc in facts.of_kind("payment_certificate"):
        numbered = doc.first("period") or doc.first("number")
        key = str(effective(numbered)) if numbered else doc.document_id
        if key in seen:
            continue
        seen.add(key)
        rows.append({"document_id": doc.document_id, "period": effective(numbered) if numbered else None, "date": doc.date,
                     "work_done": number(doc, "work_done"), "paid_this": number(doc, "paid_this"),
                     "paid_cumulative": number(doc, "paid_cumulative")})
    rows.sort(key=lambda row: (row["date"] is None, row["date"]))
    return rows


def _budget(facts: ProjectFacts) -> tuple[float | None, list[str], str | None]:
    adjusted = [(doc.date, number(doc, "adjusted_budget"), doc.document_id) for doc in facts.of_kind("budget_adjustment")]
    adjusted = [entry for entry in adjusted if entry[1] is not None]
    if adjusted:
        adjusted.sort(key=lambda entry: (entry[0] is None, entry[0]))
        _, value, doc_id = adjusted[-1]
        return value, [doc_id], "按概算调整批复"
    value, docs = _first(facts, [("budget_approval", "approved_budget"), ("budget_sheet", "approved_budget")], None)
    return value, docs, None


def build(facts: ProjectFacts) -> Built:
    contracts = contracts_of(facts)
    changes = changes_of(facts)
    payments = payments_of(facts)
    values: dict[str, tuple[float | None, list[str], str | None]] = {}
    for key, sources in SOURCES.items():
        value, docs = _first(facts, sources)
        values[key] = (value, docs, None)
    values["approved_budget"] = _budget(facts)
    works = [c for c in contracts if c.contract_type == WORKS and c.price is not None]
    values["contract_price"] = (sum(c.price for c in works), [c.document_id for c in works], None) if works else (None, [], None)
    priced = [c for c in changes if c.amount is not None]
    values["changes_total"] = (round(sum(c.amount for c in priced), 2), [c.document_id for c in priced], None) if priced \
        else (None, [], None)
    values["paid_total"] = _paid(payments)
    if values["bid_price"][0] is None:
        values["bid_price"] = _bid_from_rate(facts, values["control_price"][0])
    return _finish(facts, values, contracts, changes, payments)


def _paid(payments: list[dict]) -> tuple[float | None, list[str], str | None]:
    cumulative = [row for row in payments if row["paid_cumulative"] is not None]
    if cumulative:
        row = max(cumulative, key=lambda r: r["paid_cumulative"])
        return row["paid_cumulative"], [row["document_id"]], "按最近一期累计支付"
    paid = [row for row in payments if row["paid_this"] is not None]
    if not paid:
        return None, [], None
    return round(sum(row["paid_this"] for row in paid), 2), [row["document_id"] for row in paid], "各期本期支付之和"


def _bid_from_rate(facts: ProjectFacts, control: float | None) -> tuple[float | None, list[str], str | None]:
    for doc in facts.of_kind("award"):
        rate = number(doc, "discount_rate")
        if rate is not None and control is not None and _typed(doc, WORKS):
            return round(control * (1 - rate / 100), 2), [doc.document_id], f"按下浮率 {rate:g}% 折算"
    return None, [], None


def _finish(facts: ProjectFacts, values, contracts, changes, payments) -> Built:
    ledger_corrections: dict[str, Correction] = {}
    for correction in sorted(facts.corrections, key=lambda c: (c.at, c.id or 0)):
        if correction.document_id is None and correction.name in LEDGER_LABELS:
            ledger_corrections[correction.name] = correction
    conflicted = {conflict.name for conflict in facts.conflicts}
    lines, ledger = [], {}
    for key, label in LEDGER_LABELS.items():
        value, docs, note = values[key]
        correction = ledger_corrections.get(key)
        shown = float(correction.value) if correction is not None and correction.value is not None else value
        if correction is not None:
            correction = correction.model_copy(update={"replaces": value})
        ledger[key] = shown
        lines.append(LedgerLine(key=key, label=label, value=shown, documents=docs, extracted=value,
                                correction=correction, conflict=key in conflicted, note=note))
    return Built(Ledger(**ledger), lines, contracts, changes, payments)
