"""Checks on the change layer: the change ledger against the contract (C12) and late or batched
现场签证 (C13).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from oversight.checks.base import Context, Finding, check, money, percent
from oversight.project import value


@check("C12")
def change_ledger(ctx: Context) -> Iterator[Finding]:
    changes = [c for c in ctx.built.changes if c.amount is not None]
    contract = ctx.ledger.contract_price
    if changes and contract:
        total = sum(c.amount for c in changes)
        ratio = total / contract
        values = {"count": len(changes), "total": round(total, 2), "contract_price": contract, "ratio": round(ratio, 4)}
        shown = {"total": money(total), "contract_price": money(contract), "ratio": percent(ratio)}
        docs = [c.document_id for c in changes]
        if ratio > ctx.params["ratio_high"] and len(changes) > ctx.params["count_high"]:
            yield Finding("over_high", docs, values, {**shown, "limit": percent(ctx.params["ratio_high"])})
        elif ratio > ctx.params["ratio"]:
            yield Finding("over", docs, values, {**shown, "limit": percent(ctx.params["ratio"])})
    acceptance = ctx.acceptance()
    if acceptance is None:
        return
    late = [c for c in ctx.built.changes if c.date is not None and c.date > acceptance.date]
    if late:
        total = sum(c.amount or 0.0 for c in late)
        yield Finding("after_acceptance", [*(c.document_id for c in late), acceptance.document_id],
                      {"acceptance_date": acceptance.date, "count": len(late), "total": round(total, 2)},
                      {"total": money(total)})


@check("C13")
def late_visas(ctx: Context) -> Iterator[Finding]:
    visas = [doc for doc in ctx.docs("visa") if doc.date is not None]
    acceptance = ctx.acceptance()
    for visa in visas:
        number = value(visa, "number") or "（无编号）"
        work = value(visa, "work_date")
        if acceptance is not None and visa.date > acceptance.date:
            yield Finding("after_acceptance", [visa.document_id, acceptance.document_id],
                          {"number": number, "visa_date": visa.date, "acceptance_date": acceptance.date})
        elif work is not None and (visa.date - work).days > ctx.params["days"]:
            yield Finding("late", [visa.document_id], {"number": number, "visa_date": visa.date, "work_date": work,
                                                       "days": (visa.date - work).days, "limit": ctx.params["days"]})
    settlement = ctx.earliest("settlement_submission") or ctx.earliest("settlement_review")
    if settlement is None:
        return
    by_day = defaultdict(list)
    for visa in visas:
        by_day[visa.date].append(visa)
    for day, group in sorted(by_day.items()):
        days = (settlement.date - day).days
        if len(group) >= ctx.params["batch"] and 0 <= days <= ctx.params["batch_window_days"]:
            yield Finding("batch", [*(v.document_id for v in group), settlement.document_id],
                          {"count": len(group), "visa_date": day, "settlement_date": settlement.date, "days": days})
