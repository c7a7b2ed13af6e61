"""The rules one archive discloses with: the categories, the redaction rules, the agency's own
statements (受理机构, 监督举报方式 …) and the holiday calendar (the oversight room's, so the due
dates of disclosure and oversight never disagree).

A locality's file is ``disclosure.yaml`` in the archive home, or the file named by
``JIANDANG_DISCLOSURE_RULES``; its ``categories`` / ``columns`` / ``defaults`` / ``office_building``
keys go onto the categories, ``redaction:`` onto the redaction rules, ``agency:`` is the agency block.
A bad file is a ConfigError naming the file and the place.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import ConfigError
from disclosure.catalogue import Catalogue, load_catalogue
from disclosure.redaction_rules import RedactionRules, load_redaction_rules
from oversight.datafiles import DataFileError, load_yaml
from oversight.rules import CompiledRules
from oversight.workdays import WorkCalendar

RULES_FILE = "disclosure.yaml"
RULES_ENV = "JIANDANG_DISCLOSURE_RULES"
LOCAL_KEYS = frozenset({"format_version", "columns", "defaults", "office_building", "categories", "redaction", "agency"})


@dataclass(frozen=True)
class DisclosureRules:
    catalogue: Catalogue
    redaction: RedactionRules
    calendar: WorkCalendar
    agency: dict[str, str] = field(default_factory=dict)


def locality_file(home: Path) -> Path | None:
    configured = os.environ.get(RULES_ENV)
    if configured:
        return Path(configured).expanduser()
    candidate = home / RULES_FILE
    return candidate if candidate.is_file() else None


def load_rules(path: Path | None, reading: CompiledRules, calendar: WorkCalendar) -> DisclosureRules:
    facts = set(reading.source.facts)
    kinds = {kind.definition.id for kind in reading.kinds}
    try:
        local = (load_yaml(path) or {}) if path is not None else {}
        if not isinstance(local, dict) or set(local) - LOCAL_KEYS:
            unknown = sorted(set(local) - LOCAL_KEYS) if isinstance(local, dict) else local
            raise DataFileError(f"{path}: unknown keys {unknown} (allowed: {', '.join(sorted(LOCAL_KEYS))})")
        agency = local.pop("agency", None) or {}
        redaction = local.pop("redaction", None)
        local.pop("format_version", None)
        if not isinstance(agency, dict) or not all(isinstance(v, str) for v in agency.values()):
            raise DataFileError(f"{path}: agency: expected KEY: text pairs")
        return DisclosureRules(load_catalogue(facts, kinds, local or None), load_redaction_rules(redaction), calendar,
                               {str(k): v for k, v in agency.items()})
    except DataFileError as exc:
        raise ConfigError(f"disclosure rules: {exc}", path=str(path)) from exc
