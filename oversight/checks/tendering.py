"""Checks on tendering: contract = tender (C06), award → contract lag (C07), tender timing (C08),
method vs threshold (C09) and splitting inside one project (C10; across projects see
``oversight.across``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from oversight.checks.base import Context, Finding, check, money
from oversight.project import counterparty, number
from schemas.oversight import ContractLine, DocumentFacts

MONEY_TOLERANCE = 1.0  # 元


def _award_for(ctx: Context, contract: DocumentFacts) -> DocumentFacts | None:
    """The award of the same contract type (and party, when both name it) as the contract."""
    kind_type = contract.contract_type or "施工"
    party = counterparty(contract)
    awards = [a for a in ctx.docs(f"award:{kind_type}") if party is None or counterparty(a) in (None, party)]
    return min(awards, key=lambda a: a.date or contract.date) if awards else None


@check("C06")
def contract_matches_award(ctx: Context) -> Iterator[Finding]:
    for contract in ctx.docs("contract"):
        award = _award_for(ctx, contract)
        if award is None:
            continue
        kind_type = contract.contract_type or "施工"
        price, bid = number(contract, "contract_price"), number(award, "bid_price")
        if price is not None and bid is not None and abs(price - bid) > MONEY_TOLERANCE:
            yield Finding("price", [contract.document_id, award.document_id],
                          {"contract_price": price, "bid_price": bid, "difference": round(price - bid, 2)},
                          {"type": kind_type, "contract_price": money(price), "bid_price": money(bid),
                           "difference": money(price - bid)})
        days, bid_days = number(contract, "duration_days"), number(award, "duration_days")
        if days is not None and bid_days is not None and days != bid_days:
            yield Finding("duration", [contract.document_id, award.document_id],
                          {"contract_days": int(days), "bid_days": int(bid_days)}, {"type": kind_type})
    main = ctx.earliest("contract:施工")
    if main is None:
        return
    for supplement in ctx.docs("supplement"):
        if supplement.date is None or (supplement.date - main.date).days > ctx.params["supplement_days"]:
            continue
        change = number(supplement, "price_change")
        new_price, old_price = number(supplement, "contract_price"), number(main, "contract_price")
        if change is None and new_price is not None and old_price is not None:
            change = new_price - old_price
        if change is not None and change < -MONEY_TOLERANCE:
            days = (supplement.date - main.date).days
            yield Finding("supplement_lowers", [supplement.document_id, main.document_id],
                          {"change": round(change, 2), "days": days}, {"change": money(change)})


@check("C07")
def award_to_contract(ctx: Context) -> Iterator[Finding]:
    for contract in ctx.docs("contract"):
        award = _award_for(ctx, contract)
        if award is None or award.date is None or contract.date is None:
            continue
        days = (contract.date - award.date).days
        if days > ctx.params["days"]:
            yield Finding("late", [contract.document_id, award.document_id],
                          {"award_date": award.date, "contract_date": contract.date, "days": days,
                           "limit": ctx.params["days"]}, {"type": contract.contract_type or "施工"})


@check("C08")
def tender_timing(ctx: Context) -> Iterator[Finding]:
    for tender in ctx.docs("tender"):
        issued, deadline = tender.first("issue_date"), tender.first("bid_deadline")
        if issued is None or deadline is None:
            continue
        days = (deadline.value - issued.value).days
        if 0 <= days < ctx.params["min_days"]:
            yield Finding("short", [tender.document_id], {"issue_date": issued.value, "deadline": deadline.value,
                                                          "days": days, "limit": ctx.params["min_days"]})


def _method(ctx: Context, contract: ContractLine) -> str | None:
    """How the contract was bought, as its tender, award or contract says."""
    for spec in (f"award:{contract.contract_type}", f"tender:{contract.contract_type}"):
        for doc in ctx.docs(spec):
            if contract.counterparty is None or counterparty(doc) in (None, contract.counterparty):
                method = next((str(f.value) for f in doc.facts if f.name == "method"), None)
                if method:
                    return method
    return contract.method


@check("C09")
def method_and_threshold(ctx: Context) -> Iterator[Finding]:
    thresholds = ctx.params["thresholds"]
    for contract in ctx.built.contracts:
        threshold = thresholds.get(contract.contract_type or "")
        if threshold is None or contract.price is None or contract.price < threshold:
            continue
        shown = {"type": contract.contract_type, "price": money(contract.price), "threshold": money(threshold)}
        values = {"price": contract.price, "threshold": threshold}
        method = _method(ctx, contract)
        if not contract.tendered and method in (None, ctx.params["open_method"]):
            yield Finding("untendered", [contract.document_id], values, shown)
        elif method == ctx.params["invited_method"]:
            yield Finding("invited", [contract.document_id], {**values, "method": method}, shown)
        elif method not in (None, ctx.params["open_method"]):
            yield Finding("other_method", [contract.document_id], {**values, "method": method}, {**shown, "method": method})


def split_groups(contracts: list[ContractLine], thresholds: dict[str, float]) -> Iterator[tuple[str, list[ContractLine]]]:
    """Untendered contracts of one type, each under its threshold, whose total reaches it."""
    by_type: dict[str, list[ContractLine]] = defaultdict(list)
    for contract in contracts:
        threshold = thresholds.get(contract.contract_type or "")
        if threshold and not contract.tendered and contract.price is not None and contract.price < threshold:
            by_type[contract.contract_type].append(contract)
    for kind_type, group in by_type.items():
        if len(group) > 1 and sum(c.price for c in group) >= thresholds[kind_type]:
            yield kind_type, group


@check("C10")
def splitting_in_project(ctx: Context) -> Iterator[Finding]:
    thresholds = ctx.params_of("C09")["thresholds"]
    for kind_type, group in split_groups(ctx.built.contracts, thresholds):
        parties = {c.counterparty for c in group}
        same = len(parties) == 1 and None not in parties
        total = sum(c.price for c in group)
        yield Finding("split_same_party" if same else "split_combinable", [c.document_id for c in group],
                      {"count": len(group), "total": total, "threshold": thresholds[kind_type],
                       "prices": [c.price for c in group]},
                      {"type": kind_type, "party": next(iter(parties)) if same else "多家", "total": money(total),
                       "threshold": money(thresholds[kind_type])})

