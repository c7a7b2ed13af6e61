"""Seeds: each changes a clean scenario in one place and names the checks that must then fire.

The expectations are written by hand from the rules (checks.yaml), not computed by the checker:
a seed that raises a contract above the 概算 says "C05", and the test fails if the archive raises
anything else or nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

from samples.oversight.scenario import Change, Payment, Scenario, SideContract, _party, _round

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
    _changes_reach(s, rng, rng.uniform(0.12, 0.14), "BG-099")
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


def _large_change(s: Scenario, rng: random.Random, target: float, number: str, note: str | None = None) -> None:
    """A design change of ``target`` 元 after the last one, decided at a meeting a few days before
    (so that only the seed's own check fires, not C21's 三重一大).
    """
    when = s.changes[-1].date + timedelta(days=3)
    s.changes.append(Change("design_change", number, when, round(target, 2), note=note))
    s.meetings.append(when - timedelta(days=rng.randint(2, 6)))


def _changes_reach(s: Scenario, rng: random.Random, share: float, number: str) -> None:
    """Changes and 签证 add up to ``share`` of the contract (one large change on top), and the
    settlement follows them exactly, so nothing but the changes' size is out of line.
    """
    _large_change(s, rng, s.contract * share - s.changes_total, number)
    s.approved = round(s.contract + s.changes_total + s.contract * 0.003, 2)
    s.submitted = round(s.approved * 1.02, 2)
    _cover_budget(s)


def c03_code_differs(s: Scenario, rng: random.Random, used: set[str]) -> None:
    """The works contract prints another project's code (a contract copied from another file)."""
    year, area, industry, kind, serial = s.project_code.split("-")
    s.contract_code = f"{year}-{area}-{industry}-{kind}-{(int(serial) + rng.randint(1, 9999)) % 900000 + 100000}"
    s.expected = {"C03"}


def c08_short_publicity(s: Scenario, rng: random.Random, used: set[str]) -> None:
    s.publicity_days = rng.choice((1, 2))
    s.expected = {"C08"}


def c10_adjacent_scope(s: Scenario, rng: random.Random, used: set[str]) -> None:
    """The tender's winner is then given the 室外 works next to its scope, under 400万, untendered."""
    when = s.dates["start"] + timedelta(days=rng.randint(30, 60))
    title = rng.choice(("室外附属工程施工合同", "配套道路及管网工程施工合同", "连廊及附属用房施工合同"))
    s.side.append(SideContract("施工", s.contractor, _round(rng.uniform(1.2e6, 3.2e6)), when, False, title))
    _cover_budget(s)
    s.expected = {"C10"}


def _bought_by_negotiation(s: Scenario, rng: random.Random, used: set[str], share: float) -> None:
    """Equipment bought by 竞争性磋商 (under the 200万 tender line) and topped up by a 补充合同."""
    supplier = _party(rng, ("智能科技有限公司", "机电设备有限公司"), used)
    price = _round(rng.uniform(0.8e6, 1.6e6))
    signed = s.dates["start"] + timedelta(days=rng.randint(20, 40))
    contract = SideContract("货物", supplier, price, signed, False, "设备采购合同",
                            method=rng.choice(("竞争性磋商", "竞争性谈判", "单一来源")))
    contract.supplements.append((signed + timedelta(days=rng.randint(60, 120)), _round(price * share)))
    s.side.append(contract)
    _cover_budget(s)


def c11_add_on_over(s: Scenario, rng: random.Random, used: set[str]) -> None:
    _bought_by_negotiation(s, rng, used, rng.uniform(0.13, 0.2))
    s.expected = {"C11"}


def c11_add_on_within(s: Scenario, rng: random.Random, used: set[str]) -> None:
    _bought_by_negotiation(s, rng, used, rng.uniform(0.04, 0.08))
    s.expected = set()


SCOPE_NOTES = ("根据使用单位要求，增加建筑面积约{n}平方米。", "应建设单位要求，增加一层作为档案库房。",
               "三层使用功能由办公用房调整为档案库房。", "变更建设内容，增设地下停车库{n}平方米。")


def c14_scope_change(s: Scenario, rng: random.Random, used: set[str]) -> None:
    """A design change that enlarges the building, with no 原审批部门 approval on file."""
    change = next(c for c in s.changes if c.kind == "design_change")
    change.note = rng.choice(SCOPE_NOTES).format(n=rng.randint(120, 600))
    s.expected = {"C14"}


def c15_low_bid_then_growth(s: Scenario, rng: random.Random, used: set[str]) -> None:
    """Won at 78–82% of the control price, then grown 6–8% by changes (under every other line)."""
    s.bid = s.contract = _round(s.control * rng.uniform(0.78, 0.82))
    _changes_reach(s, rng, rng.uniform(0.06, 0.08), "BG-098")
    s.expected = {"C15"}


def c17_slow_review(s: Scenario, rng: random.Random, used: set[str]) -> None:
    """The owner took 70–90 days over the settlement (the longest band allows 60)."""
    s.dates["review"] = s.dates["submitted"] + timedelta(days=rng.randint(70, 90))
    s.expected = {"C17"}


def c18_late_final_payment(s: Scenario, rng: random.Random, used: set[str]) -> None:
    """The settlement is paid (less the 3% 质保金) 70–90 days after it was approved."""
    last = s.payments[-1]
    work = round(s.approved - sum(row.work_done for row in s.payments), 2)
    paid = round(s.approved * (1 - s.retention_pct / 100) - last.cumulative, 2)
    when = s.dates["review"] + timedelta(days=rng.randint(70, 90))
    s.payments.append(Payment(last.period + 1, when, work, paid, round(last.cumulative + paid, 2)))
    s.expected = {"C18"}


def c21_minutes_after(s: Scenario, rng: random.Random, used: set[str]) -> None:
    """The 三重一大 meeting was held after the works contract was signed."""
    s.meeting = s.dates["contract"] + timedelta(days=rng.randint(5, 15))
    s.expected = {"C21"}


def c25_late_completion(s: Scenario, rng: random.Random, used: set[str]) -> None:
    """The works take 30–40% longer than the contract's 工期; everything after moves with them."""
    delay = int(s.duration * rng.uniform(0.3, 0.4)) + 10
    for key in ("acceptance", "filing", "submitted", "review", "final"):
        s.dates[key] += timedelta(days=delay)
    s.expected = {"C25"}


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
    "C03": c03_code_differs, "C08-publicity": c08_short_publicity, "C10-adjacent": c10_adjacent_scope,
    "C11": c11_add_on_over, "C11-within": c11_add_on_within, "C14": c14_scope_change, "C15": c15_low_bid_then_growth,
    "C17": c17_slow_review, "C18-late": c18_late_final_payment, "C21": c21_minutes_after, "C25": c25_late_completion,
}
