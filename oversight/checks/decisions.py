"""Checks that the decisions behind the spending are on file: one 项目代码 on every approval and
contract (C03), a 较大变更 of scope approved by the original approver (C14), and the 三重一大
meeting minutes before a large sum is committed (C21).

They look for a document, never at a sum's size against another sum: a missing document is a
reason to open the file (it may sit in another archive), so none of them is high.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from oversight.checks.base import Context, Finding, check, money
from oversight.project import value
from schemas.oversight import DocumentFacts

# full-width and long dashes that documents print inside a code
_DASHES = str.maketrans({"－": "-", "—": "-", "–": "-", "‐": "-"})
_CODE_CORE = re.compile(r"[0-9A-Za-z][0-9A-Za-z-]*[0-9A-Za-z]")


def normal_code(raw: str) -> str:
    """A code as printed ("2023－320102－47－01－123456号") reduced to its letters, digits and dashes."""
    found = _CODE_CORE.search(raw.translate(_DASHES))
    return found.group(0) if found else raw.strip()


@check("C03")
def project_code(ctx: Context) -> Iterator[Finding]:
    pattern = re.compile(ctx.params["pattern"])
    documents = [doc for kind in ctx.params["kinds"] for doc in ctx.docs(kind)]
    by_code: dict[str, list[DocumentFacts]] = defaultdict(list)
    for doc in documents:
        raw = value(doc, "project_code")
        if raw is not None:
            by_code[normal_code(str(raw))].append(doc)
    if documents and not by_code:
        yield Finding("missing", [doc.document_id for doc in documents][:5], {"count": len(documents)})
        return
    for code, holders in by_code.items():
        if not pattern.match(code):
            for doc in holders:
                yield Finding("malformed", [doc.document_id], {"code": code}, {"title": doc.title or doc.kind_name})
    if len(by_code) > 1:
        listed = "；".join(f"{code}（{'、'.join(dict.fromkeys(doc.kind_name for doc in holders))}）"
                          for code, holders in by_code.items())
        yield Finding("several", [doc.document_id for holders in by_code.values() for doc in holders],
                      {"count": len(by_code), "codes": sorted(by_code)}, {"listed": listed})


@check("C14")
def scope_change_approved(ctx: Context) -> Iterator[Finding]:
    approvals = sorted((doc for kind in ctx.params["approvals"] for doc in ctx.docs(kind) if doc.date is not None),
                       key=lambda doc: doc.date)
    for kind in ctx.params["change_kinds"]:
        for change in ctx.docs(kind):
            clause = value(change, "clause_scope_change")
            if clause is None or change.date is None or any(doc.date <= change.date for doc in approvals):
                continue
            later = [doc for doc in approvals if doc.date > change.date]
            note = f"（{later[0].kind_name}{later[0].date.isoformat()}才出具）" if later else ""
            label = f"{change.kind_name}{value(change, 'number') or ''}"
            yield Finding("unapproved", [change.document_id, *(doc.document_id for doc in later)],
                          {"clause": str(clause), "change_date": change.date}, {"change": label, "later": note})


def _large_items(ctx: Context, limit: float) -> Iterator[tuple[str, float, date, str]]:
    """(what, amount, signed on, document) for every contract and change of at least ``limit``."""
    for contract in ctx.built.contracts:
        if contract.price is not None and contract.date is not None and contract.price >= limit:
            yield f"{contract.contract_type or ''}合同", contract.price, contract.date, contract.document_id
    for change in ctx.built.changes:
        if change.amount is not None and change.date is not None and change.amount >= limit:
            yield f"{change.kind}{change.number or ''}", change.amount, change.date, change.document_id


@check("C21")
def collective_decision(ctx: Context) -> Iterator[Finding]:
    limit, window = ctx.params["amount"], ctx.params["window_days"]
    minutes = sorted((doc for doc in ctx.docs("minutes") if doc.date is not None), key=lambda doc: doc.date)
    for what, amount, signed, document_id in _large_items(ctx, limit):
        if any(0 <= (signed - doc.date).days <= window for doc in minutes):
            continue
        values = {"amount": amount, "date": signed, "limit": limit}
        shown = {"what": what, "amount": money(amount), "limit": money(limit), "window": window}
        after = next((doc for doc in minutes if doc.date > signed), None)
        if after is not None:
            yield Finding("minutes_after", [document_id, after.document_id], {**values, "minutes_date": after.date}, shown)
        else:
            yield Finding("no_minutes", [document_id], values, shown)
