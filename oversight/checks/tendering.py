"""Checks on tendering: contract = tender (C06), award → contract lag (C07), tender and 公示
timing (C08), method vs threshold (C09), splitting and adjacent scope inside one project (C10;
across projects see ``oversight.across``) and 政府采购 add-ons over 10% (C11).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from oversight.checks.base import Context, Finding, check, money, percent
from oversight.project import counterparty, number
from schemas.oversight import ContractLine, DocumentFacts

MONEY_TOLERANCE = 1.0  # 元


def _award_for(ctx: Context, contract: DocumentFacts) -> DocumentFacts | None:
    """The award of the same contract type (and party, when both name it) as the contract; an
    award leads to one contract, so a party's later contract of the same type has none.
    """
    kind_type = contract.contract_type or "施工"
    party = counterparty(contract)
    if party is not None and any(other.date is not None and contract.date is not None and other.date < contract.date
                                 and counterparty(other) == party for other in ctx.docs(f"contract:{kind_type}")):
        return None
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
    for notice in ctx.docs("candidate_notice"):
        start, end = notice.first("publicity_start"), notice.first("publicity_end")
        if start is None or end is None:
            continue
        days = (end.value - start.value).days  # the first day is not counted (民法典 第二百零一条)
        if 0 <= days < ctx.params["min_publicity_days"]:
            yield Finding("publicity_short", [notice.document_id], {"start": start.value, "end": end.value, "days": days,
                                                                    "limit": ctx.params["min_publicity_days"]})


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
    grouped = {c.document_id for _, group in split_groups(ctx.built.contracts, thresholds) for c in group}
    yield from _adjacent_scope(ctx, thresholds, grouped)
    for kind_type, group in split_groups(ctx.built.contracts, thresholds):
        parties = {c.counterparty for c in group}
        same = len(parties) == 1 and None not in parties
        total = sum(c.price for c in group)
        yield Finding("split_same_party" if same else "split_combinable", [c.document_id for c in group],
                      {"count": len(group), "total": total, "threshold": thresholds[kind_type],
                       "prices": [c.price for c in group]},
                      {"type": kind_type, "party": next(iter(parties)) if same else "多家", "total": money(total),
                       "threshold": money(thresholds[kind_type])})



def _adjacent_scope(ctx: Context, thresholds: dict[str, float], grouped: set[str]) -> Iterator[Finding]:
    """A party that won a tender and was then given another contract of the same type, under the
    threshold, without one: work next to the tendered scope handed over directly.
    """
    contracts = ctx.built.contracts
    titles = {doc.document_id: doc.title or doc.kind_name for doc in ctx.docs("contract")}
    for line in contracts:
        threshold = thresholds.get(line.contract_type or "")
        if (line.tendered or line.counterparty is None or line.document_id in grouped or line.price is None
                or threshold is None or line.price >= threshold):
            continue
        won = [other for other in contracts if other.tendered and other.contract_type == line.contract_type
               and other.counterparty == line.counterparty]
        if won:
            yield Finding("adjacent_scope", [line.document_id, *(other.document_id for other in won)],
                          {"price": line.price, "adjacent_to": [other.document_id for other in won]},
                          {"party": line.counterparty, "type": line.contract_type, "title": titles.get(line.document_id, ""),
                           "price": money(line.price)})


def _supplements(ctx: Context, line: ContractLine, alone: bool) -> list[DocumentFacts]:
    """The 补充合同 of one contract: same type, naming its party (or naming none when it is alone)."""
    return [doc for doc in ctx.docs(f"supplement:{line.contract_type}")
            if (counterparty(doc) == line.counterparty or (alone and counterparty(doc) is None))
            and (doc.date is None or line.date is None or doc.date >= line.date)]


def _added(supplement: DocumentFacts, original: float) -> float:
    change = number(supplement, "price_change")
    if change is None and (new_price := number(supplement, "contract_price")) is not None:
        change = new_price - original
    return change or 0.0


@check("C11")
def procurement_add_ons(ctx: Context) -> Iterator[Finding]:
    per_type: dict[str, int] = defaultdict(int)
    for line in ctx.built.contracts:
        per_type[line.contract_type or ""] += 1
    for line in ctx.built.contracts:
        if not line.price:
            continue
        supplements = _supplements(ctx, line, per_type[line.contract_type or ""] == 1)
        added = sum(max(_added(doc, line.price), 0.0) for doc in supplements)
        ratio = added / line.price
        if not supplements or ratio <= ctx.params["ratio"]:
            continue
        method = _method(ctx, line)
        if method in ctx.params["tender_methods"]:
            continue  # tendered contracts: C06 compares them with the award
        values = {"contract_price": line.price, "added": round(added, 2), "ratio": round(ratio, 4), "count": len(supplements)}
        shown = {"type": line.contract_type, "contract_price": money(line.price), "added": money(added),
                 "ratio": percent(ratio), "limit": percent(ctx.params["ratio"])}
        documents = [line.document_id, *(doc.document_id for doc in supplements)]
        if method in ctx.params["methods"]:
            yield Finding("over", documents, {**values, "method": method}, {**shown, "method": method})
        elif method is None:
            yield Finding("undecided", documents, values, shown)
