"""Generated projects for oversight tests and benchmarks: a clean money chain, or one seeded with a
check's anomaly, written as real PDF/DOCX/XLSX files by the sample project's writers.

``generate_oversight_projects(root, plan)`` writes one folder per project code (``plan`` maps codes
to seed names of ``SEEDS``) and returns each project's scenario, whose ``expected`` says which
checks must fire and ``expected_ledger()`` which ledger values the archive must show. Wording,
layout, number formats (大写, 万元, ¥) and date formats (2025.07.03, 二〇二五年七月三日 …) vary per
document so no value sits at a fixed place.

(To move with ``core/sample_project`` to ``samples/`` as ``samples/oversight_projects``.)
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from samples.model import Doc
from samples.oversight import approvals, procedure, works
from samples.oversight.paper import Paper
from samples.oversight.scenario import Scenario, clean_scenario
from samples.oversight.seeds import SEEDS
from samples.writer import Renderer, safe_stem, write_file

__all__ = ["SEEDS", "Scenario", "build_documents", "generate_oversight_projects", "scenario_for"]

FIRST_START = date(2023, 3, 1)


def scenario_for(code: str, seed_name: str, seed: int, used: set[str]) -> Scenario:
    """The clean scenario of ``code`` with the named seed applied (dates spread over 2023–2025)."""
    rng = random.Random(f"{seed}:{code}")
    start = FIRST_START + timedelta(days=rng.randint(0, 600))
    if seed_name == "C20-audit":  # the clause counts only in contracts signed from 2025-06-01
        start = date(2025, 3, 1) + timedelta(days=rng.randint(0, 60))
    elif seed_name == "C10-across":  # the pair's contracts fall within one year of each other
        start = date(2024, 3, 1) + timedelta(days=rng.randint(0, 60))
    scenario = clean_scenario(code, rng.randint(0, 2**31), start, used)
    SEEDS[seed_name](scenario, rng, used)
    return scenario


def build_documents(scenario: Scenario) -> list[Doc]:
    p = Paper(scenario, random.Random(scenario.seed + 1))
    steps = {"proposal_approval": approvals.proposal_approval, "feasibility_approval": approvals.feasibility_approval,
             "budget_approval": approvals.budget_approval, "tender": approvals.tender, "award": approvals.award,
             "contract": approvals.works_contract, "permit": approvals.permit, "start_order": approvals.start_order,
             "acceptance": works.acceptance, "filing": works.filing, "settlement_submission": works.settlement_submission,
             "settlement_review": works.settlement_review, "final_accounts": works.final_accounts}
    docs = [build(p) for kind, build in steps.items() if kind not in scenario.missing]
    if scenario.adjusted_budget is not None:
        docs.append(approvals.budget_adjustment(p))
    docs += [approvals.side_contract(p, contract, n) for n, contract in enumerate(scenario.side, start=1)]
    docs += [procedure.supplement(p, contract, signed, added, n) for n, (contract, (signed, added))
             in enumerate(((c, row) for c in scenario.side for row in c.supplements), start=1)]
    if "award" not in scenario.missing:
        docs.append(procedure.candidate_notice(p))
    meetings = [scenario.meeting or scenario.dates["feasibility"] + timedelta(days=1), *scenario.meetings]
    docs += [procedure.minutes(p, when, n) for n, when in enumerate(meetings, start=1)]
    docs += [works.change(p, entry) for entry in scenario.changes]
    docs += [works.payment(p, row) for row in scenario.payments]
    docs += [works.acceptance_file(p, kind) for kind in works.ACCEPTANCE_SET if kind not in scenario.missing]
    span = (scenario.dates["acceptance"] - scenario.dates["start"]).days
    docs += [works.filler(p, scenario.dates["start"] + timedelta(days=p.rng.randint(1, span)), n) for n in range(3)]
    return docs


def write_documents(root: Path, docs: list[Doc]) -> list[Path]:
    render = Renderer()
    written, taken = [], set()
    for doc in docs:
        stem = safe_stem(doc.file_stem)
        name, copy = f"{stem}.{doc.format}", 2
        while name in taken:
            name, copy = f"{stem}（{copy}）.{doc.format}", copy + 1
        taken.add(name)
        write_file(root / name, render(doc))
        written.append(root / name)
    return written


def generate_oversight_projects(root: Path, plan: dict[str, str], seed: int = 17) -> dict[str, Scenario]:
    """Write one folder per project code under ``root``; returns the scenarios (expected flags, ledger)."""
    used: set[str] = set()
    scenarios = {}
    for code, seed_name in plan.items():
        scenario = scenario_for(code, seed_name, seed, used)
        write_documents(root / code, build_documents(scenario))
        scenarios[code] = scenario
    return scenarios
