"""The checks engine: checks are data (``data/checks.yaml``: rule, basis, severities, parameters,
messages), their logic is a function per id (the modules of this package register them), and a
locality may change any
parameter, severity or message, or switch a check off.

A check function sees the project's facts, ledger, contracts, changes and payments through a
``Context`` and yields ``Finding``s (which finding, the values compared, the evidence documents);
the engine turns each into a ``Flag`` with the message and basis the data gives.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from oversight.checks import (  # noqa: F401 - they register themselves
    amounts,
    changes,
    clauses,
    decisions,
    durations,
    order,
    tendering,
)
from oversight.checks.base import REGISTRY, CheckDef, ChecksFile, Context, Finding
from oversight.datafiles import DataFileError, load_yaml, merge, validate
from oversight.labels import SEVERITY_ORDER
from oversight.ledger import Built
from oversight.workdays import WorkCalendar, shipped_calendar
from schemas.oversight import Flag, ProjectFacts

CHECKS_FILE = Path(__file__).resolve().parents[1] / "data" / "checks.yaml"


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
    context = Context(facts, built, calendar or shipped_calendar(), checks)
    flags: list[Flag] = []
    for check_id, definition in checks.checks.items():
        if not definition.enabled:
            continue
        context.params = definition.params
        flags.extend(_flag(check_id, definition, finding) for finding in REGISTRY[check_id](context))
    flags.sort(key=lambda flag: (SEVERITY_ORDER[flag.severity], flag.check))
    return flags
