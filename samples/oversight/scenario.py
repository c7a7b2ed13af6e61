"""One generated project's money chain and timeline, clean by construction, and the seeds that
break exactly one rule each.

A clean scenario keeps every check comfortably inside its line (概算 ≈ 估算, contracts within 85%
of 概算, award → contract in under 30 days, changes 2–6% of the contract, settlement growth
explained by the changes, every payment ≥ 80% of the work done, 备案 within 15 days …). A seed
changes the scenario in one place and says which checks must then fire, so a test compares the
flags the archive raises with the ones the scenario was built to raise.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

OWNERS = ("市机关事务管理局", "区机关事务服务中心", "市档案局", "区行政审批服务局", "市财政局")
BUILDERS = ("建设集团有限公司", "建筑工程有限公司", "建工集团有限公司", "建设工程有限公司")
SUPERVISION = ("工程建设监理有限公司", "工程项目管理有限公司", "建设监理咨询有限公司")
DESIGN = ("建筑设计研究院有限公司", "工程设计有限公司", "建筑设计院有限公司")
PLACES = "江城宏达中恒鼎盛城投华建正衡建宇信达远景中联明诚国信安邦捷通华冷天元东方北辰南洋西岭新科恒泰"
WORKS = ("外墙保温改造", "设备用房新建", "屋面防水翻新", "空调冷热源更换", "配电系统改造", "电梯更新", "消防系统改造")


def _round(amount: float, unit: int = 100) -> float:
    return float(round(amount / unit) * unit)


@dataclass
class Change:
    kind: str  # design_change | negotiation | visa
    number: str
    date: date
    amount: float
    work_date: date | None = None  # 签证: when the work was done
    note: str | None = None  # a sentence of what changed (a 较大变更 of scope says so here)


@dataclass
class Payment:
    period: int
    date: date
    work_done: float
    paid: float
    cumulative: float


@dataclass
class SideContract:
    """A contract besides the main 施工 contract: 监理, 设计, or equipment bought without tender."""

    kind: str  # 监理 / 设计 / 货物 / 施工
    party: str
    price: float
    date: date
    tendered: bool
    title: str
    method: str | None = None  # 采购方式 written in the contract (竞争性磋商 …), None: not written
    supplements: list[tuple[date, float]] = field(default_factory=list)  # 补充合同: (signed, amount added)


@dataclass
class Scenario:
    code: str
    name: str
    owner: str
    contractor: str
    seed: int
    estimate: float
    budget: float
    control: float
    bid: float
    contract: float
    duration: int
    dates: dict[str, date]
    changes: list[Change]
    payments: list[Payment]
    side: list[SideContract]
    submitted: float
    approved: float
    final: float
    bid_bond: float
    retention_pct: float = 3.0
    perf_bond_pct: float = 10.0
    contract_duration: int | None = None
    contract_upper: float | None = None  # the 大写 written in the contract when it disagrees with the figure
    adjusted_budget: float | None = None
    clauses: list[str] = field(default_factory=list)
    project_code: str = ""  # the 投资项目在线审批监管平台 code on the approvals, permit and contract
    contract_code: str | None = None  # the code the works contract prints when it is not the project's
    meeting: date | None = None  # the 三重一大 meeting before the contracts (None: the day after the 可研批复)
    meetings: list[date] = field(default_factory=list)  # further meetings (before a large change)
    publicity_days: int | None = None  # 中标候选人公示 length (None: 3–5 days, as the award date allows)
    missing: set[str] = field(default_factory=set)  # document kinds left out of the archive
    expected: set[str] = field(default_factory=set)  # check ids the archive must raise, no more, no fewer

    @property
    def changes_total(self) -> float:
        return round(sum(change.amount for change in self.changes), 2)

    def expected_ledger(self) -> dict[str, float | None]:
        works = self.contract + sum(s.price for s in self.side if s.kind == "施工")
        return {
            "estimate": self.estimate, "approved_budget": self.adjusted_budget or self.budget,
            "control_price": self.control, "bid_price": self.bid, "contract_price": works,
            "changes_total": self.changes_total, "settlement_submitted": self.submitted,
            "settlement_approved": self.approved, "final_accounts": self.final,
            "paid_total": self.payments[-1].cumulative if self.payments else None,
        }


def project_code(rng: random.Random, year: int) -> str:
    """A code in the platform's shape: year, 行政区划, 行业, 项目类型, serial and check digit."""
    area = rng.choice(("320102", "320115", "420106", "330106", "510104"))
    return f"{year}-{area}-{rng.choice(('47', '48', '92'))}-{rng.choice(('01', '02', '03'))}-{rng.randint(100000, 999999)}"


def _party(rng: random.Random, tail: tuple[str, ...], used: set[str]) -> str:
    while True:
        name = "".join(rng.sample(PLACES, 2)) + rng.choice(tail)
        if name not in used:
            used.add(name)
            return name


def clean_scenario(code: str, seed: int, start: date, used: set[str]) -> Scenario:
    """A project that keeps every rule, with margins (see the module docstring)."""
    rng = random.Random(seed)
    estimate = _round(rng.uniform(1.2e7, 3.0e7), 10000)
    budget = _round(estimate * rng.uniform(0.96, 1.04))
    control = _round(budget * 0.85)
    bid = _round(control * rng.uniform(0.92, 0.97))
    days = {"proposal": 0}
    offsets = [("feasibility", 20, 40), ("budget", 25, 50), ("tender", 10, 25), ("deadline", 21, 30), ("award", 5, 12),
               ("contract", 5, 25), ("permit", 5, 20), ("start", 3, 25)]
    for key, low, high in offsets:
        days[key] = days[list(days)[-1]] + rng.randint(low, high)
    duration = rng.randint(200, 320)
    days["acceptance"] = days["start"] + duration + rng.randint(-10, 10)
    for key, low, high in (("filing", 3, 12), ("submitted", 20, 40), ("review", 10, 19), ("final", 50, 80)):
        base = "submitted" if key == "review" else "acceptance"
        days[key] = days[base] + rng.randint(low, high)
    dates = {key: start + timedelta(days=offset) for key, offset in days.items()}
    works_start, works_end = dates["start"], dates["acceptance"] - timedelta(days=15)
    span = (works_end - works_start).days
    changes = []
    for n in range(rng.randint(3, 5)):
        kind = ("design_change", "negotiation", "visa")[n % 3]
        when = works_start + timedelta(days=rng.randint(10, span))
        amount = round(bid * rng.uniform(0.004, 0.012) * (-1 if n == 1 else 1), 2)
        work = when - timedelta(days=rng.randint(1, 5)) if kind == "visa" else None
        prefix = {"design_change": "BG", "negotiation": "QS", "visa": "QZ"}[kind]
        changes.append(Change(kind, f"{prefix}-{n + 1:03d}", when, amount, work))
    changes.sort(key=lambda c: c.date)
    total = sum(c.amount for c in changes)
    payments, cumulative = [], 0.0
    for period in range(1, 5):
        when = works_start + timedelta(days=span * period // 5)
        work = _round((bid + total) * rng.uniform(0.15, 0.2), 1)
        paid = _round(work * rng.uniform(0.82, 0.88), 1)
        cumulative = round(cumulative + paid, 2)
        payments.append(Payment(period, when, work, paid, cumulative))
    approved = round(bid + total + bid * rng.uniform(-0.004, 0.015), 2)
    submitted = round(approved * rng.uniform(1.01, 1.05), 2)
    contractor = _party(rng, BUILDERS, used)
    side = [SideContract("监理", _party(rng, SUPERVISION, used), _round(bid * rng.uniform(0.018, 0.03)),
                         dates["contract"] - timedelta(days=rng.randint(3, 20)), False, "建设工程监理合同"),
            SideContract("设计", _party(rng, DESIGN, used), _round(bid * rng.uniform(0.015, 0.025)),
                         dates["feasibility"] + timedelta(days=rng.randint(3, 10)), False, "建设工程设计合同")]
    final = round(approved + sum(s.price for s in side) + budget * rng.uniform(0.005, 0.015), 2)
    name = f"{rng.choice(OWNERS)[:2]}{rng.choice(('办公楼', '业务用房', '综合楼', '档案楼'))}{rng.choice(WORKS)}工程"
    return Scenario(project_code=project_code(random.Random(f"{seed}:code"), start.year), code=code, name=name, owner=rng.choice(OWNERS), contractor=contractor, seed=seed, estimate=estimate,
                    budget=budget, control=control, bid=bid, contract=bid, duration=duration, dates=dates,
                    changes=changes, payments=payments, side=side, submitted=submitted, approved=approved, final=final,
                    bid_bond=_round(control * rng.uniform(0.005, 0.015), 1000))
