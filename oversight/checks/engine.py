"""The checks engine: checks are data (``data/checks.yaml``: rule, basis, severities, parameters,
messages), their logic is a function per id registered here, and a locality may change any
parameter, severity or message, or switch a check off.

A check function sees the project's facts, ledger, contracts, changes and payments through a
``Context`` and yields ``Finding``s (which finding, the values compared, the evidence documents);
the engine turns each into a ``Flag`` with the message and basis the data gives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from oversight.datafiles import DataFileError, load_yaml, merge, validate
from oversight.labels import SEVERITY_ORDER, yuan
from oversight.ledger import Built
from oversight.workdays import WorkCalendar, shipped_calendar
from schemas.oversight import DocumentFacts, Flag, ProjectFacts

CHECKS_FILE = Path(__file__).resolve().parents[1] / "data" / "checks.yaml"


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
        config = self.config or shipped_checks()
        return config.checks[check_id].params

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


def months_between(start: date, end: date) -> float:
    return (end.year - start.year) * 12 + (end.month - start.month) + (end.day - start.day) / 30.0


CheckFunction = Callable[[Context], Iterable[Finding]]
REGISTRY: dict[str, CheckFunction] = {}


def check(check_id: str) -> Callable[[CheckFunction], CheckFunction]:
    def register(function: CheckFunction) -> CheckFunction:
        REGISTRY[check_id] = function
        return function

    return register


def load_checks(override: Path | None = None) -> ChecksFile:
    """The shipped checks with a locality's file (its ``checks:`` block, same shape) merged on top."""
    raw = load_yaml(CHECKS_FILE)
    source = str(CHECKS_FILE)
    if override is not None:
        local = load_yaml(override) or {}
        raw = merge(raw, {key: local[key] for key in ("checks", "locality") if key in local})
        source = f"{CHECKS_FILE} + {override}"
    checks = validate(raw, ChecksFile, source)
    if override is not None:
        _same_param_types(validate(load_yaml(CHECKS_FILE), ChecksFile, str(CHECKS_FILE)), checks, source)
    _register_all()
    unknown = sorted(set(checks.checks) - set(REGISTRY))
    if unknown:
        raise DataFileError(f"{source}: checks {unknown} have no implementation")
    return checks


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def _same_param_types(shipped: ChecksFile, merged: ChecksFile, source: str) -> None:
    """A locality may change a threshold's value, not its kind ("ratio: high" is refused on load)."""
    for check_id, definition in shipped.checks.items():
        for name, default in definition.params.items():
            given = merged.checks[check_id].params.get(name)
            if given is not None and _kind(given) != _kind(default):
                raise DataFileError(f"{source}: checks.{check_id}.params.{name}: expected a {_kind(default)}, "
                                    f"got {given!r}")


@lru_cache(maxsize=1)
def shipped_checks() -> ChecksFile:
    return load_checks()


def _register_all() -> None:
    """Import the modules whose functions register themselves (kept out of the import graph's top)."""
    from oversight.checks import amounts, changes, clauses, order, tendering  # noqa: F401


def _flag(check_id: str, definition: CheckDef, finding: Finding) -> Flag:
    try:
        spec = definition.findings[finding.key]
    except KeyError as exc:
        raise DataFileError(f"checks.yaml: {check_id} has no finding {finding.key!r}") from exc
    fields = {**finding.values, **finding.text}
    try:
        message = spec.message.format(**fields)
    except (KeyError, IndexError, ValueError) as exc:
        raise DataFileError(f"checks.yaml: {check_id}.{finding.key}: message needs {exc}") from exc
    values = {key: (v.isoformat() if isinstance(v, date) else v) for key, v in finding.values.items()}
    return Flag(check=check_id, severity=spec.severity, message=message, values=values,
                documents=list(dict.fromkeys(finding.documents)), basis=f"{definition.basis}（{definition.tag}）")


def run_checks(facts: ProjectFacts, built: Built, checks: ChecksFile | None = None,
               calendar: WorkCalendar | None = None) -> list[Flag]:
    """Every enabled check over one project; flags ordered by severity, then check id."""
    checks = checks or shipped_checks()
    _register_all()
    context = Context(facts, built, calendar or shipped_calendar(), checks)
    flags: list[Flag] = []
    for check_id, definition in checks.checks.items():
        if not definition.enabled:
            continue
        context.params = definition.params
        flags.extend(_flag(check_id, definition, finding) for finding in REGISTRY[check_id](context))
    flags.sort(key=lambda flag: (SEVERITY_ORDER[flag.severity], flag.check))
    return flags


def findings_of(items: Iterable[Finding]) -> Iterator[Finding]:
    """Drop exact repeats (the same finding on the same documents) a check may produce twice."""
    seen: set[tuple] = set()
    for item in items:
        key = (item.key, tuple(item.documents), tuple(sorted(map(str, item.values.items()))))
        if key not in seen:
            seen.add(key)
            yield item
