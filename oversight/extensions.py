"""Shipped additions to the reading rules (``data/kinds.*.yaml`` besides ``kinds.yaml``): facts,
more fact rules for existing kinds, and new kinds, kept in their own files so the work that needs
them (the disclosure of issue 18: ``kinds.disclosure.yaml``) does not rewrite ``kinds.yaml``.

An addition may only add: a fact, a kind or a kind's fact rule that is already there is refused
with the file and the place named, so two files can never silently disagree about one rule.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from oversight.datafiles import DataFileError, load_yaml

DATA = Path(__file__).parent / "data"
ALLOWED_KEYS = frozenset({"format_version", "facts", "extend", "kinds"})


def extension_files() -> list[Path]:
    return sorted(path for path in DATA.glob("kinds.*.yaml") if path.name != "kinds.yaml")


def _extend_kinds(kinds: list[dict[str, Any]], extend: dict[str, Any], where: str) -> None:
    by_id = {kind["id"]: kind for kind in kinds}
    for kind_id, rules in (extend or {}).items():
        if kind_id not in by_id:
            raise DataFileError(f"{where}: extend.{kind_id}: no such kind in kinds.yaml")
        facts = dict(by_id[kind_id].get("facts") or {})
        for fact, rule in (rules or {}).items():
            if fact in facts:
                raise DataFileError(f"{where}: extend.{kind_id}.{fact}: the kind already reads this fact")
            facts[fact] = rule
        by_id[kind_id]["facts"] = facts


def apply_extension(raw: dict[str, Any], addition: dict[str, Any], where: str) -> dict[str, Any]:
    """``raw`` (kinds.yaml as read) with one addition file's content added."""
    unknown = set(addition) - ALLOWED_KEYS
    if unknown:
        raise DataFileError(f"{where}: unknown keys {sorted(unknown)}")
    if addition.get("format_version") != raw.get("format_version"):
        raise DataFileError(f"{where}: format_version {addition.get('format_version')} does not match kinds.yaml")
    merged = dict(raw)
    facts = dict(raw.get("facts") or {})
    for name, definition in (addition.get("facts") or {}).items():
        if name in facts:
            raise DataFileError(f"{where}: facts.{name}: already declared in kinds.yaml")
        facts[name] = definition
    merged["facts"] = facts
    kinds = [dict(kind) for kind in raw.get("kinds") or []]
    _extend_kinds(kinds, addition.get("extend") or {}, where)
    known = {kind["id"] for kind in kinds}
    for kind in addition.get("kinds") or []:
        if kind.get("id") in known:
            raise DataFileError(f"{where}: kinds: {kind.get('id')!r} is already a kind of kinds.yaml")
        kinds.append(kind)
    merged["kinds"] = kinds
    return merged


def with_extensions(raw: dict[str, Any]) -> dict[str, Any]:
    for path in extension_files():
        raw = apply_extension(raw, load_yaml(path) or {}, str(path))
    return raw
