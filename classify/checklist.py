"""Load the completeness checklist (``classify/data/checklist.yaml``) and a locality's changes to it.

The checklist is data for the same reason the taxonomy is: what an inspector expects differs by
province and agency, and the standards behind it are partly unconfirmed. A locality writes one
override file for both: its ``items``/``remove_items`` change the taxonomy (and so which items can
be required), its ``checklist`` block changes the checklist itself.
"""

from __future__ import annotations

import logging
import re
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from classify.taxonomy import TaxonomyError
from schemas.completeness import ChecklistOverride, ChecklistRules, Condition
from schemas.taxonomy import Taxonomy

logger = logging.getLogger(__name__)

SHIPPED_RESOURCE = "checklist.yaml"


def load_checklist(override: str | Path | None = None, taxonomy: Taxonomy | None = None) -> ChecklistRules:
    """The shipped checklist with the ``checklist`` block of a locality override file merged in.

    With ``taxonomy`` given, every item code the checklist names must exist in it (after the same
    override), so a typo stops start-up instead of silently never being checked.
    """
    text = resources.files("classify").joinpath("data", SHIPPED_RESOURCE).read_text(encoding="utf-8")
    raw = _parse(text, "(shipped checklist)")
    source = "(shipped checklist)"
    if override is not None:
        override_raw = _parse(Path(override).read_text(encoding="utf-8"), str(override))
        block = override_raw.get("checklist")
        if block:
            raw = merge_checklist(raw, block, str(override))
            source = f"{source} + {override}"
    try:
        rules = ChecklistRules.model_validate(raw)
    except ValidationError as exc:
        raise TaxonomyError(source, [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]) from None
    problems = check_checklist(rules, taxonomy) if taxonomy is not None else []
    if problems:
        raise TaxonomyError(source, problems)
    return rules


def merge_checklist(raw: dict[str, Any], block: dict[str, Any], source: str) -> dict[str, Any]:
    """Apply a locality's ``checklist`` block: add/remove required items, replace conditions by id."""
    try:
        patch = ChecklistOverride.model_validate(block)
    except ValidationError as exc:
        problems = [f"checklist.{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
        raise TaxonomyError(source, problems) from None
    merged = dict(raw)
    merged["also_required"] = [*raw.get("also_required", []), *patch.also_required]
    merged["not_required"] = [*raw.get("not_required", []), *patch.not_required]
    merged["one_copy_forms"] = [*raw.get("one_copy_forms", []), *patch.one_copy_forms]
    conditions: dict[str, Any] = {c["id"]: c for c in raw.get("conditions", [])}
    for condition in patch.conditions:
        conditions[condition.id] = condition.model_dump(mode="json")
    merged["conditions"] = list(conditions.values())
    mapping = {m["code"]: m for m in raw.get("dat28", [])}
    for entry in patch.dat28:
        mapping[entry.code] = entry.model_dump(mode="json")
    merged["dat28"] = list(mapping.values())
    if patch.archival_code:
        merged["archival_code"] = {**raw.get("archival_code", {}), **patch.archival_code}
    logger.info("checklist override from %s merged", source)
    return merged


def check_checklist(rules: ChecklistRules, taxonomy: Taxonomy) -> list[str]:
    """Problems that need the whole tree: unknown item codes, keeper, sub-classes, a bad 档号 regex."""
    codes = {item.code for _, item in taxonomy.items()}
    subclasses = {s.code for s in taxonomy.subclasses()}
    problems = []
    if rules.required_keeper not in taxonomy.meta.keep_order:
        problems.append(f"required_keeper: {rules.required_keeper} is not in meta.keep_order")
    for field in ("also_required", "not_required"):
        problems += [f"{field}: no item {c}" for c in getattr(rules, field) if c not in codes]
    for index, condition in enumerate(rules.conditions):
        problems += _condition_problems(index, condition, codes)
    for stage in rules.stages:
        problems += [f"stages[{stage.name}]: no sub-class {c}" for c in stage.subclasses if c not in subclasses]
        problems += [f"stages[{stage.name}]: no item {c}" for c in stage.items if c not in codes]
    problems += [
        f"dat28: no sub-class or item {m.code}" for m in rules.dat28 if m.code not in codes | subclasses
    ]
    shared = {m.doc_type for rule in taxonomy.disambiguation if rule.kind == "shared_form" for m in rule.members}
    problems += [
        f"one_copy_forms: {name} is not a shared form (taxonomy shared_form members)"
        for name in rules.one_copy_forms if name not in shared
    ]
    try:
        re.compile(rules.archival_code.regex)
    except re.error as exc:
        problems.append(f"archival_code.regex: {exc}")
    return problems


def _condition_problems(index: int, condition: Condition, codes: set[str]) -> list[str]:
    where = f"conditions[{index}] ({condition.id})"
    problems = [f"{where}: no item {c}" for c in condition.items if c not in codes]
    if not condition.feature and not condition.building_types:
        problems.append(f"{where}: needs a feature or building_types")
    return problems


def _parse(text: str, source: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TaxonomyError(source, [f"not valid YAML ({exc})"]) from None
    if not isinstance(data, dict):
        raise TaxonomyError(source, ["(root): expected a mapping at the top level"])
    return data
