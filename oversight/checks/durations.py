"""Checks on how long a step took against the time the rules or the contract allow: the owner's
review of the 竣工结算 (C17, days by amount band) and the works themselves against the contract's
工期 (C25, the 时效 indicator of the performance sheet).
"""

from __future__ import annotations

from collections.abc import Iterator

from oversight.checks.base import Context, Finding, check, money, percent
from oversight.project import number


def review_limit(bands: list[list[float | None]], amount: float) -> int:
    """The days allowed for an amount: the first band whose ceiling (元, None = no ceiling) holds it."""
    for ceiling, days in bands:
        if ceiling is None or amount <= ceiling:
            return int(days)
    raise ValueError(f"no band holds {amount}: the last band needs a null ceiling")


@check("C17")
def settlement_review_lag(ctx: Context) -> Iterator[Finding]:
    submission, review = ctx.earliest("settlement_submission"), ctx.earliest("settlement_review")
    submitted = ctx.ledger.settlement_submitted
    if submission is None or review is None or not submitted:
        return
    days = (review.date - submission.date).days
    limit = review_limit(ctx.params["bands"], submitted)
    if days > limit:
        yield Finding("late", [review.document_id, submission.document_id],
                      {"submitted_date": submission.date, "review_date": review.date, "days": days, "limit": limit,
                       "submitted": submitted}, {"submitted": money(submitted)})


@check("C25")
def schedule_deviation(ctx: Context) -> Iterator[Finding]:
    start, acceptance, contract = ctx.earliest("start_order"), ctx.acceptance(), ctx.earliest("contract:施工")
    contract_days = number(contract, "duration_days") if contract is not None else None
    if start is None or acceptance is None or not contract_days:
        return
    actual = (acceptance.date - start.date).days
    deviation = (actual - contract_days) / contract_days
    if deviation > ctx.params["schedule_ratio"]:
        yield Finding("schedule_overrun", [acceptance.document_id, start.document_id, contract.document_id],
                      {"start_date": start.date, "acceptance_date": acceptance.date, "actual_days": actual,
                       "contract_days": int(contract_days), "deviation": round(deviation, 4)},
                      {"deviation": percent(deviation), "limit": percent(ctx.params["schedule_ratio"])})
