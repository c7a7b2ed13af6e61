"""Checks on how long a step took against the time the rules or the contract allow: the owner's
review of the 竣工结算 (C17, days by amount band) and the works themselves against the contract's
工期 (C25, the 时效 indicator of the performance sheet).
"""

from __future__ import annotations

from collections.abc import Iterator

from oversight.checks.base import Context, Finding, check, money, percent
from oversight.performance import schedule


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
    works = schedule(ctx.facts)
    if works is not None and works.deviation > ctx.params["schedule_ratio"]:
        yield Finding("schedule_overrun",
                      [works.acceptance.document_id, works.start.document_id, works.contract.document_id],
                      {"start_date": works.start.date, "acceptance_date": works.acceptance.date,
                       "actual_days": works.actual_days, "contract_days": works.contract_days,
                       "deviation": round(works.deviation, 4)},
                      {"deviation": percent(works.deviation), "limit": percent(ctx.params["schedule_ratio"])})
