"""Checks on the order and timing of steps: 先立项后实施 (C01), 施工许可 (C02), 竣工期限 (C22) and the
acceptance file set (C23). All compare document dates; each names the documents it compared.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from oversight.checks.base import Context, Finding, check, money, months_between
from oversight.rules import shipped_rules


def _name(spec: str) -> str:
    kind, _, wanted = spec.partition(":")
    rules = shipped_rules()
    name = next((k.definition.name for k in rules.kinds if k.definition.id == kind), kind)
    return f"{wanted}{name}" if wanted and wanted not in name else name


@check("C01")
def approvals_first(ctx: Context) -> Iterator[Finding]:
    for earlier_spec, later_spec in ctx.params["order"]:
        earlier, later = ctx.earliest(earlier_spec), ctx.earliest(later_spec)
        if earlier is None or later is None or later.date >= earlier.date:
            continue
        yield Finding("out_of_order", [later.document_id, earlier.document_id],
                      {"earlier_date": earlier.date, "later_date": later.date},
                      {"earlier": _name(earlier_spec), "later": _name(later_spec)})
    present = [spec for spec in ctx.params["required_when"] if ctx.docs(spec)]
    if not present:
        return
    for required in ctx.params["required"]:
        if not ctx.docs(required):
            evidence = [doc.document_id for spec in present for doc in ctx.docs(spec)][:5]
            yield Finding("missing", evidence, {"missing_kind": required},
                          {"missing": _name(required), "present": "、".join(_name(spec) for spec in present)})


@check("C02")
def construction_permit(ctx: Context) -> Iterator[Finding]:
    permit = ctx.earliest("permit")
    start = ctx.earliest("start_order")
    price = ctx.ledger.contract_price
    if permit is None:
        later = [doc for spec in ("start_order", "payment_certificate", "acceptance") for doc in ctx.docs(spec)]
        if later and price is not None and price > ctx.params["exempt_amount"]:
            yield Finding("missing", [doc.document_id for doc in later][:5],
                          {"contract_price": price, "exempt_amount": ctx.params["exempt_amount"]},
                          {"contract_price": money(price), "exempt_amount": money(ctx.params["exempt_amount"]),
                           "evidence": "、".join(dict.fromkeys(doc.kind_name for doc in later))})
        return
    if start is None:
        return
    if start.date < permit.date:
        yield Finding("start_before_permit", [start.document_id, permit.document_id],
                      {"start_date": start.date, "permit_date": permit.date})
        return
    months = months_between(permit.date, start.date)
    if months > ctx.params["start_within_months"]:
        yield Finding("late_start", [start.document_id, permit.document_id],
                      {"start_date": start.date, "permit_date": permit.date, "months": round(months, 1),
                       "limit": ctx.params["start_within_months"]})


def _project_as_of(ctx: Context) -> date | None:
    dated = [doc.date for doc in ctx.facts.documents if doc.date is not None]
    return max(dated) if dated else None


@check("C22")
def completion_deadlines(ctx: Context) -> Iterator[Finding]:
    acceptance = ctx.acceptance()
    if acceptance is None:
        return
    filing = ctx.earliest("filing")
    limit = ctx.params["filing_days"]
    if filing is not None:
        days = (filing.date - acceptance.date).days
        if days > limit:
            yield Finding("late_filing", [filing.document_id, acceptance.document_id],
                          {"acceptance_date": acceptance.date, "filing_date": filing.date, "days": days, "limit": limit})
    else:
        as_of = _project_as_of(ctx)
        if as_of is not None and (as_of - acceptance.date).days > limit:
            yield Finding("no_filing", [acceptance.document_id],
                          {"acceptance_date": acceptance.date, "days": (as_of - acceptance.date).days})
    final = ctx.earliest("final_accounts")
    allowed = ctx.params["final_months"] + ctx.params["final_extension_months"]
    if final is not None:
        months = months_between(acceptance.date, final.date)
        if months > allowed:
            yield Finding("late_final", [final.document_id, acceptance.document_id],
                          {"acceptance_date": acceptance.date, "final_date": final.date, "months": round(months, 1),
                           "limit": allowed})


@check("C23")
def acceptance_file_set(ctx: Context) -> Iterator[Finding]:
    acceptance = ctx.acceptance()
    if acceptance is None:
        return
    missing = [kind for kind in ctx.params["required"] if not ctx.docs(kind)]
    if missing:
        yield Finding("missing", [acceptance.document_id], {"acceptance_date": acceptance.date, "missing_kinds": missing},
                      {"missing": "、".join(_name(kind) for kind in missing)})
    for kind in ctx.params["required"]:
        doc = ctx.earliest(kind)
        if doc is not None and doc.date > acceptance.date:
            yield Finding("after", [doc.document_id, acceptance.document_id],
                          {"acceptance_date": acceptance.date, "date": doc.date}, {"name": _name(kind)})
