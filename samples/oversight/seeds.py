"""Seeds: each changes a clean scenario in one place and names the checks that must then fire.

The expectations are written by hand from the rules (checks.yaml), not computed by the checker:
a seed that raises a contract above the 概算 says "C05", and the test fails if the archive raises
anything else or nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

from samples.oversight.scenario import Change, Scenario, SideContract, _party, _round

Seed = Callable[[Scenario, random.Random, set[str]], None]


def _shift_after(s: Scenario, step: str, days: int) -> None:
    """Move every step after ``step`` (and the changes and payments of the works) by ``days``."""
    pivot = s.dates[step]
    for key, when in s.dates.items():
        if when > pivot:
            s.dates[key] = when + timedelta(days=days)
    for change in s.changes:
        change.date += timedelta(days=days)
        if change.work_date is not None:
            change.work_date += timedelta(days=days)
    for payment in s.payments:
        payment.date += timedelta(days=days)


def _cover_budget(s: Scenario) -> None:
    """Keep the 概算 above what a seed added elsewhere (and the 估算 in step), so only the seed fires."""
    s.final = round(s.approved + sum(c.price for c in s.side) + s.budget * 0.005, 2)
    contracts = s.contract + sum(c.price for c in s.side)
    s.budget = max(s.budget, _round(max(s.final, contracts) * 1.04))
    s.estimate = max(s.estimate, _round(s.budget / 1.05, 10000))


def c01_tender_before_feasibility(s: Scenario, rng: random.Random, used: set[str]) -> None:
    """The 可研批复 arrives after the tender was issued (先实施后立项)."""
    s.dates["feasibility"] = s.dates["tender"] + timedelta(days=rng.randint(3, 8))
    s.dates["proposal"] = min(s.dates["proposal"], s.dates["feasibility"] - timedelta(days=10))
    s.dates["budget"] = s.dates["feasibility"] + timedelta(days=2)  # still before 开工
    s.side[1].date = s.dates["feasibility"] + timedelta(days=1)
    s.expected = {"C01"}


def c02_no_permit(s: Scenario, rng: random.Random, used: set[str]) -> None:
    s.missing.add("permit")
    s.expected = {"C02"}


def c04_budget_over_estimate(s: Scenario, rng: random.Random, used: set[str]) -> None:
    s.budget = _round(s.estimate * rng.uniform(1.15, 1.25))
    s.expected = {"C04"}


def c05_over_budget(s: Scenario, rng: random.Random, used: set[str]) -> None:
    """The 概算 was approved lower than what was then contracted and settled, with no adjustment."""
    s.budget = _round(s.contract * rng.uniform(0.9, 0.95))
    s.estimate = _round(s.budget * rng.uniform(0.97, 1.02), 10000)
    s.expected = {"C05"}


def c05_adjusted_in_time(s: Scenario, rng: random.Random, used: set[str]) -> None:
    """As above, but a 概算调整批复 dated before the contract covers it: nothing to flag."""
    c05_over_budget(s, rng, used)
    s.adjusted_budget = _round(s.final * rng.uniform(1.03, 1.08))
    s.dates["adjustment"] = s.dates["award"] - timedelta(days=2)
    s.expected = set()


def c06_contract_differs(s: Scenario, rng: random.Random, used: set[str]) -> None:
    """The contract is signed at more than the 中标价 (the tender's price is not what was agreed)."""
    s.contract = _round(s.bid * rng.uniform(1.04, 1.08))
    s.approved = round(s.contract + s.changes_total + s.contract * 0.005, 2)
    s.submitted = round(s.approved * 1.02, 2)
    _cover_budget(s)
    s.expected = {"C06"}


def c07_late_contract(s: Scenario, rng: random.Random, used: set[str]) -> None:
    gap = rng.randint(40, 60) - (s.dates["contract"] - s.dates["award"]).days
    _shift_after(s, "award", gap)
    s.expected = {"C07"}


def c08_short_tender(s: Scenario, rng: random.Random, used: set[str]) -> None:
    s.dates["deadline"] = s.dates["tender"] + timedelta(days=rng.randint(10, 15))
    s.expected = {"C08"}


def c09_untendered_supervision(s: Scenario, rng: random.Random, used: set[str]) -> None:
    s.side[0].price = _round(rng.uniform(1.3e6, 1.8e6))
    _cover_budget(s)
    s.expected = {"C09"}


def c10_split_purchase(s: Scenario, rng: random.Random, used: set[str]) -> None:
    """Two equipment purchases from one supplier, each under 200万, together over it, not tendered."""
    supplier = _party(rng, ("机电设备有限公司",), used)
    for n, share in enumerate((rng.uniform(0.55, 0.6), rng.uniform(0.5, 0.55))):
        when = s.dates["start"] + timedelta(days=30 + 20 * n)
        s.side.append(SideContract("货物", supplier, _round(2e6 * share), when, False, "设备采购合同"))
    _cover_budget(s)
    s.expected = {"C10"}


def c12_many_changes(s: Scenario, rng: random.Random, used: set[str]) -> None:
    """Changes and 签证 add 12–14% to the contract (over the 10% approval line)."""
    target = s.contract * rng.uniform(0.12, 0.14) - s.changes_total
    last = s.changes[-1]
    s.changes.append(Change("design_change", "BG-099", last.date + timedelta(days=3), round(target, 2)))
    s.approved = round(s.contract + s.changes_total + s.contract * 0.003, 2)
    s.submitted = round(s.approved * 1.02, 2)
    _cover_budget(s)
    s.expected = {"C12"}


def c13_late_visa(s: Scenario, rng: random.Random, used: set[str]) -> None:
    visa = next(c for c in s.changes if c.kind == "visa")
    visa.work_date = visa.date - timedelta(days=rng.randint(20, 35))
    s.expected = {"C13"}


def c16_settlement_growth(s: Scenario, rng: random.Random, used: set[str]) -> None:
    """The settlement grows 10–12% over the contract with only the small recorded changes behind it."""
    s.approved = round(s.contract * rng.uniform(1.10, 1.12) + s.changes_total, 2)
    s.submitted = round(s.approved * 1.03, 2)
    _cover_budget(s)
    s.expected = {"C16"}


def c18_low_progress_payment(s: Scenario, rng: random.Random, used: set[str]) -> None:
    payment = s.payments[1]
    lowered = _round(payment.work_done * rng.uniform(0.6, 0.7), 1)
    delta = payment.paid - lowered
    payment.paid = lowered
    for later in s.payments[1:]:
        later.cumulative = round(later.cumulative - delta, 2)
    s.expected = {"C18"}


def c19_retention(s: Scenario, rng: random.Random, used: set[str]) -> None:
    s.retention_pct = rng.choice((5.0, 6.0))
    s.expected = {"C19"}


def c20_audit_clause(s: Scenario, rng: random.Random, used: set[str]) -> None:
    s.clauses.append("双方同意以审计部门审定的结算金额作为竣工结算的依据。")
    s.expected = {"C20"} if s.dates["contract"].isoformat() >= "2025-06-01" else set()


def c20_advance_funding(s: Scenario, rng: random.Random, used: set[str]) -> None:
    s.clauses.append("承包人垫资施工至主体结构封顶，发包人于主体验收后支付已完工程款。")
    s.expected = {"C20"}


def c22_late_filing(s: Scenario, rng: random.Random, used: set[str]) -> None:
    s.dates["filing"] = s.dates["acceptance"] + timedelta(days=rng.randint(30, 45))
    s.expected = {"C22"}


def c23_no_assessment(s: Scenario, rng: random.Random, used: set[str]) -> None:
    s.missing.add("supervision_assessment")
    s.expected = {"C23"}


def c00_upper_differs(s: Scenario, rng: random.Random, used: set[str]) -> None:
    """The contract's 大写 says another sum than its figure."""
    s.contract_upper = s.contract + rng.choice((10000.0, 100000.0, -10000.0))
    s.expected = {"C00"}


ACROSS_PARTY = "北辰恒泰市政工程有限公司"


def c10_across_projects(s: Scenario, rng: random.Random, used: set[str]) -> None:
    """One untendered 施工 contract under 400万 to a builder who gets another in a sibling project:
    nothing to see inside this project; the agency-wide scan must flag the pair (C10).
    """
    used.add(ACROSS_PARTY)
    s.side.append(SideContract("施工", ACROSS_PARTY, _round(rng.uniform(2.2e6, 2.8e6)),
                               s.dates["start"] + timedelta(days=30), False, "室外配套工程施工合同"))
    _cover_budget(s)
    s.expected = set()


SEEDS: dict[str, Seed] = {
    "clean": lambda s, rng, used: None,
    "C00": c00_upper_differs, "C01": c01_tender_before_feasibility, "C02": c02_no_permit,
    "C04": c04_budget_over_estimate, "C05": c05_over_budget, "C05-adjusted": c05_adjusted_in_time,
    "C06": c06_contract_differs, "C07": c07_late_contract, "C08": c08_short_tender,
    "C09": c09_untendered_supervision, "C10": c10_split_purchase, "C12": c12_many_changes,
    "C13": c13_late_visa, "C16": c16_settlement_growth, "C18": c18_low_progress_payment, "C19": c19_retention,
    "C10-across": c10_across_projects, "C20": c20_advance_funding, "C20-audit": c20_audit_clause, "C22": c22_late_filing, "C23": c23_no_assessment,
}
