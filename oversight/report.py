"""One project's oversight: facts (with corrections and conflicts) → ledger → checks → the report.

``oversee`` is pure: it takes the stored facts of the project's documents and the auditors'
corrections and returns everything the page, the CLI, the API and the 审计底稿 show.
"""

from __future__ import annotations

from dataclasses import dataclass

from oversight import ledger
from oversight.checks import ChecksFile, run_checks, shipped_checks
from oversight.project import assemble
from oversight.rules import CompiledRules, shipped_rules
from oversight.workdays import WorkCalendar, shipped_calendar
from schemas.oversight import Correction, DocumentFacts, OversightDetail, OversightReport


@dataclass(frozen=True)
class Rulebook:
    """The rules one archive runs with: reading rules, checks and holiday calendar (a locality's)."""

    reading: CompiledRules
    checks: ChecksFile
    calendar: WorkCalendar

    @classmethod
    def shipped(cls) -> Rulebook:
        return cls(shipped_rules(), shipped_checks(), shipped_calendar())


def oversee(project: str, documents: list[DocumentFacts], corrections: list[Correction],
            rulebook: Rulebook | None = None, name: str | None = None) -> OversightDetail:
    rulebook = rulebook or Rulebook.shipped()
    facts = assemble(project, documents, corrections, rulebook.reading)
    built = ledger.build(facts)
    flags = run_checks(facts, built, rulebook.checks, rulebook.calendar)
    report = OversightReport(project=project, ledger=built.ledger, changes=built.changes, flags=flags)
    return OversightDetail(report=report, name=name, lines=built.lines, contracts=built.contracts,
                           payments=built.payments, facts=facts)
