"""Checks on money against money: 概算 vs 估算 (C04), overrun of 概算 (C05), the conditions of an
unbalanced bid (C15), settlement growth (C16), payments (C18) and deposits (C19). Amounts are the
ledger's (corrections applied).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from oversight.checks.base import Context, Finding, as_date, check, money, percent
from oversight.project import number, value

TOLERANCE = 1.0  # 元


def _line_docs(ctx: Context, *keys: str) -> list[str]:
    lines = {line.key: line for line in ctx.built.lines}
    return [doc for key in keys for doc in lines[key].documents]


@check("C04")
def budget_over_estimate(ctx: Context) -> Iterator[Finding]:
    approval = next((doc for doc in ctx.docs("budget_approval") if number(doc, "approved_budget")), None)
    estimate = ctx.ledger.estimate
    if approval is None or not estimate:
        return
    budget = number(approval, "approved_budget")
    ratio = budget / estimate
    if ratio > ctx.params["ratio"]:
        yield Finding("over", [approval.document_id, *_line_docs(ctx, "estimate")],
                      {"approved_budget": budget, "estimate": estimate, "ratio": round(ratio, 4)},
                      {"approved_budget": money(budget), "estimate": money(estimate), "ratio": percent(ratio),
                       "limit": percent(ctx.params["ratio"])})


def _budget_on(ctx: Context, day: date | None) -> tuple[float | None, list[str]]:
    """The 概算 in force on a day: the latest adjustment dated on or before it, else the original."""
    adjustments = [doc for doc in ctx.docs("budget_adjustment") if number(doc, "adjusted_budget") is not None
                   and doc.date is not None and (day is None or doc.date <= day)]
    if adjustments:
        latest = max(adjustments, key=lambda doc: doc.date)
        return number(latest, "adjusted_budget"), [latest.document_id]
    approval = next((doc for doc in ctx.docs("budget_approval") if number(doc, "approved_budget") is not None), None)
    if approval is None:
        return None, []
    return number(approval, "approved_budget"), [approval.document_id]


def _over(ctx: Context, key: str, amount: float, day: date | None, docs: list[str], label: str) -> Iterator[Finding]:
    budget, budget_docs = _budget_on(ctx, day)
    if budget is not None and amount > budget + TOLERANCE:
        yield Finding(key, [*docs, *budget_docs], {label: amount, "budget": budget, "over": round(amount - budget, 2)},
                      {label: money(amount), "budget": money(budget), "over": money(amount - budget)})


@check("C05")
def budget_overrun(ctx: Context) -> Iterator[Finding]:
    contracts = [c for c in ctx.built.contracts if c.price is not None]
    total = sum(c.price for c in contracts)
    if contracts:
        last = max((c.date for c in contracts if c.date is not None), default=None)
        yield from _over(ctx, "contracts_over", total, last, [c.document_id for c in contracts], "total")
    review = ctx.earliest("settlement_review")
    if ctx.ledger.settlement_approved is not None:
        yield from _over(ctx, "settlement_over", ctx.ledger.settlement_approved, review.date if review else None,
                         _line_docs(ctx, "settlement_approved"), "settlement")
    if ctx.ledger.final_accounts is not None:
        yield from _over(ctx, "final_over", ctx.ledger.final_accounts, None, _line_docs(ctx, "final_accounts"), "final")
    changes = ctx.ledger.changes_total or 0.0
    budget, budget_docs = _budget_on(ctx, None)
    settled = ctx.ledger.settlement_approved is not None
    if contracts and budget is not None and not settled and total <= budget + TOLERANCE < total + changes:
        yield Finding("forecast_over", [*_line_docs(ctx, "changes_total"), *budget_docs],
                      {"contracts": total, "changes": changes, "total": round(total + changes, 2), "budget": budget},
                      {"contracts": money(total), "changes": money(changes), "total": money(total + changes),
                       "budget": money(budget)})


@check("C15")
def unbalanced_bid_conditions(ctx: Context) -> Iterator[Finding]:
    """Item prices are not among the facts read, so this never says "unbalanced": it says when an
    unbalanced bid would have paid (a low bid, then a price that grew) that only the two 清单 can tell.
    """
    ledger = ctx.ledger
    bid, control, contract = ledger.bid_price, ledger.control_price, ledger.contract_price
    if not (bid and control and contract):
        return
    final = ledger.settlement_approved if ledger.settlement_approved is not None else contract + (ledger.changes_total or 0.0)
    growth = (final - contract) / contract
    if bid / control < ctx.params["bid_ratio"] and growth > ctx.params["growth"]:
        yield Finding("undecided", _line_docs(ctx, "bid_price", "control_price", "changes_total"),
                      {"bid_price": bid, "control_price": control, "bid_ratio": round(bid / control, 4),
                       "growth": round(growth, 4)},
                      {"bid_price": money(bid), "control_price": money(control), "bid_ratio": percent(bid / control),
                       "growth": percent(growth)})


@check("C16")
def settlement_growth(ctx: Context) -> Iterator[Finding]:
    ledger = ctx.ledger
    contract, approved, submitted = ledger.contract_price, ledger.settlement_approved, ledger.settlement_submitted
    docs = _line_docs(ctx, "contract_price", "settlement_approved")
    if contract and approved is not None:
        growth = (approved - contract) / contract
        changes = ledger.changes_total or 0.0
        gap = approved - contract - changes
        values = {"contract_price": contract, "settlement": approved, "growth": round(growth, 4), "changes": changes}
        shown = {"contract_price": money(contract), "settlement": money(approved), "growth": percent(growth),
                 "changes": money(changes)}
        if gap / contract > ctx.params["unexplained"]:
            yield Finding("unexplained", [*docs, *_line_docs(ctx, "changes_total")],
                          {**values, "gap": round(gap, 2)}, {**shown, "gap": money(gap), "gap_ratio": percent(gap / contract)})
        elif growth > ctx.params["growth"]:
            yield Finding("growth", docs, values, {**shown, "limit": percent(ctx.params["growth"])})
    if submitted and approved is not None:
        cut = (submitted - approved) / submitted
        if cut > ctx.params["cut_rate"]:
            yield Finding("cut_rate", _line_docs(ctx, "settlement_submitted", "settlement_approved"),
                          {"submitted": submitted, "approved": approved, "cut_rate": round(cut, 4)},
                          {"submitted": money(submitted), "approved": money(approved), "cut_rate": percent(cut),
                           "limit": percent(ctx.params["cut_rate"])})


@check("C18")
def payments(ctx: Context) -> Iterator[Finding]:
    ledger = ctx.ledger
    limit = (ledger.contract_price or 0.0) + max(ledger.changes_total or 0.0, 0.0)
    if ledger.paid_total is not None and ledger.contract_price and ledger.paid_total > limit + TOLERANCE:
        yield Finding("overpaid", _line_docs(ctx, "paid_total", "contract_price"),
                      {"paid": ledger.paid_total, "contract_price": ledger.contract_price, "changes": ledger.changes_total},
                      {"paid": money(ledger.paid_total), "contract_price": money(ledger.contract_price),
                       "changes": money(ledger.changes_total), "limit": money(limit)})
    contract = ctx.earliest("contract:施工")
    rule_from = ctx.params["rule_from"]
    for row in ctx.built.payments:
        period = row["period"] if row["period"] is not None else "?"
        if contract is not None and row["date"] is not None and row["date"] < contract.date:
            yield Finding("before_contract", [row["document_id"], contract.document_id],
                          {"period": period, "payment_date": row["date"], "contract_date": contract.date},
                          {"payment": _payment_name(row)})
        work, paid = row["work_done"], row["paid_this"]
        applies = contract is not None and contract.date >= as_date(rule_from)
        if applies and work and paid is not None and paid / work < ctx.params["min_ratio"] - 0.005:
            yield Finding("low_ratio", [row["document_id"]],
                          {"period": period, "work_done": work, "paid": paid, "ratio": round(paid / work, 4)},
                          {"work_done": money(work), "paid": money(paid), "ratio": percent(paid / work),
                           "limit": percent(ctx.params["min_ratio"]), "payment": _payment_name(row)})
    yield from _late_settlement_payment(ctx)



def _payment_name(row: dict) -> str:
    """“第3期” when the certificate says which period it pays, else “支付证书”."""
    return f"第{row['period']}期" if row["period"] is not None else "支付证书"


def _late_settlement_payment(ctx: Context) -> Iterator[Finding]:
    """The first payment after the settlement was approved, against the 30 (agreed: 60) days of
    the 款项支付条例; whether the contractor is a 中小企业 the archive cannot say, the message does.
    """
    review = ctx.earliest("settlement_review")
    if review is None:
        return
    after = sorted((row for row in ctx.built.payments if row["date"] is not None and row["date"] >= review.date),
                   key=lambda row: row["date"])
    if not after or after[0]["date"] < as_date(ctx.params["pay_rule_from"]):
        return
    row = after[0]
    days = (row["date"] - review.date).days
    values = {"review_date": review.date, "payment_date": row["date"], "days": days,
              "period": row["period"] if row["period"] is not None else "?"}
    shown = {"payment": _payment_name(row)}
    if days > ctx.params["pay_days_agreed"]:
        yield Finding("late_payment", [row["document_id"], review.document_id],
                      {**values, "limit": ctx.params["pay_days_agreed"]}, shown)
    elif days > ctx.params["pay_days"]:
        yield Finding("late_payment_unless_agreed", [row["document_id"], review.document_id],
                      {**values, "limit": ctx.params["pay_days"]}, shown)


@check("C19")
def deposits(ctx: Context) -> Iterator[Finding]:
    for tender in ctx.docs("tender"):
        base = number(tender, "control_price") or ctx.ledger.control_price
        bond, pct = number(tender, "bid_bond"), number(tender, "bid_bond_pct")
        limit = ctx.params["bid_bond_pct"]
        if (pct is not None and pct > limit) or (bond is not None and base and bond > base * limit / 100 + TOLERANCE):
            yield Finding("bid_bond", [tender.document_id], {"bond": bond, "bond_pct": pct, "base": base, "limit": limit},
                          {"bond": money(bond) if bond is not None else f"{pct:g}%", "base": money(base)})
    for doc in [*ctx.docs("contract"), *ctx.docs("warranty")]:
        price = number(doc, "contract_price")
        bond, pct = number(doc, "perf_bond"), number(doc, "perf_bond_pct")
        limit = ctx.params["perf_bond_pct"]
        if (pct is not None and pct > limit) or (bond is not None and price and bond > price * limit / 100 + TOLERANCE):
            yield Finding("perf_bond", [doc.document_id], {"bond": bond, "bond_pct": pct, "contract_price": price,
                                                           "limit": limit},
                          {"bond": money(bond) if bond is not None else f"{pct:g}%"})
        retention = number(doc, "retention_pct")
        if retention is not None and retention > ctx.params["retention_pct"]:
            yield Finding("retention", [doc.document_id], {"pct": retention, "limit": ctx.params["retention_pct"]})
        other = value(doc, "clause_other_deposit")
        if other:
            yield Finding("other_deposit", [doc.document_id], {"what": other})
