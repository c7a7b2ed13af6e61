"""What every check works with: the checks file's shape, the ``Context`` a check reads the project
through, the ``Finding`` it yields, the registry its function joins (``@check("C05")``), and the
few formatters messages use. The engine (``engine.py``) loads the data and runs the functions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from oversight.labels import yuan
from oversight.ledger import Built
from oversight.workdays import WorkCalendar
from schemas.oversight import DocumentFacts, ProjectFacts


class FindingDef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    severity: Literal["high", "medium", "low"]
    message: str


class CheckDef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    rule: str
    basis: str
    tag: str
    enabled: bool = True
    params: dict[str, Any] = {}
    local_params: tuple[str, ...] = ()
    findings: dict[str, FindingDef]


class ChecksFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    format_version: Literal[1]
    locality: dict[str, str] | None = None
    checks: dict[str, CheckDef]


@dataclass
class Finding:
    """What a check found: which of its findings, the values compared, and where to look."""

    key: str
    documents: list[str]
    values: dict[str, Any]
    text: dict[str, Any] = field(default_factory=dict)  # message fields not in ``values`` (formatted)


@dataclass
class Context:
    facts: ProjectFacts
    built: Built
    calendar: WorkCalendar
    config: ChecksFile | None = None
    params: dict[str, Any] = field(default_factory=dict)

    def params_of(self, check_id: str) -> dict[str, Any]:
        """Another check's parameters (C10 uses C09's thresholds), as this locality sets them."""
        if self.config is None:
            raise KeyError(f"no checks configuration to read {check_id}'s parameters from")
        return self.config.checks[check_id].params

    def docs(self, spec: str) -> list[DocumentFacts]:
        """Documents of a kind, or of a kind and contract type ("contract:施工")."""
        kind, _, wanted = spec.partition(":")
        return [doc for doc in self.facts.of_kind(kind) if not wanted or (doc.contract_type or "施工") == wanted]

    def earliest(self, spec: str) -> DocumentFacts | None:
        dated = [doc for doc in self.docs(spec) if doc.date is not None]
        return min(dated, key=lambda doc: doc.date) if dated else None

    def acceptance(self) -> DocumentFacts | None:
        return self.earliest("acceptance")

    @property
    def ledger(self):
        return self.built.ledger


def money(amount: float | None) -> str:
    return yuan(amount)


def percent(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio * 100:.1f}%"


def as_date(param: object) -> date:
    """A date parameter as YAML gives it (a date) or as a locality may write it (text)."""
    return param if isinstance(param, date) else date.fromisoformat(str(param))


def months_between(start: date, end: date) -> float:
    return (end.year - start.year) * 12 + (end.month - start.month) + (end.day - start.day) / 30.0


CheckFunction = Callable[[Context], Iterable[Finding]]
REGISTRY: dict[str, CheckFunction] = {}


def check(check_id: str) -> Callable[[CheckFunction], CheckFunction]:
    def register(function: CheckFunction) -> CheckFunction:
        REGISTRY[check_id] = function
        return function

    return register


