"""Checks on what documents say rather than what they add up to: contract-clause red flags (C20)
and documents that disagree with each other or with themselves (C00, conflicting values).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from oversight.checks.base import Context, Finding, as_date, check, money


@check("C20")
def clause_red_flags(ctx: Context) -> Iterator[Finding]:
    audit_from = as_date(ctx.params["audit_clause_from"])
    for contract in [*ctx.docs("contract"), *ctx.docs("supplement")]:
        for fact in contract.facts:
            if fact.name == "clause_audit_settlement" and contract.date is not None and contract.date >= audit_from:
                yield Finding("audit_settlement", [contract.document_id],
                              {"clause": fact.value, "contract_date": contract.date})
            elif fact.name == "clause_advance_funding":
                yield Finding("advance_funding", [contract.document_id], {"clause": fact.value})
            elif fact.name == "clause_pay_after_audit":
                yield Finding("pay_after_audit", [contract.document_id], {"clause": fact.value})
    for tender in ctx.docs("tender"):
        for fact in tender.facts:
            if fact.name == "clause_min_bid_price":
                yield Finding("min_bid_price", [tender.document_id], {"clause": fact.value})


def _shown(value: object) -> str:
    if isinstance(value, float):
        return money(value)
    return value.isoformat() if isinstance(value, date) else str(value)


@check("C00")
def conflicting_values(ctx: Context) -> Iterator[Finding]:
    titles = {doc.document_id: doc.title or doc.kind_name for doc in ctx.facts.documents}
    for conflict in ctx.facts.conflicts:
        listed = "；".join(f"《{titles.get(doc_id, doc_id)}》{_shown(value)}" for value, doc_id in conflict.values)
        yield Finding("conflict", [doc_id for _, doc_id in conflict.values],
                      {"fact": conflict.name, "values": [[_shown(v), d] for v, d in conflict.values]},
                      {"label": conflict.label, "count": len(conflict.values), "listed": listed,
                       "scope": conflict.scope_key})
    for doc in ctx.facts.documents:
        for detail in doc.inconsistencies:
            yield Finding("twins", [doc.document_id], {"detail": f"《{titles[doc.document_id]}》{detail}"})
