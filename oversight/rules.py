"""The reading rules (``data/kinds.yaml``): fact names and types, the document kinds and the labels
each kind prints in front of each fact. Validated on load, compiled once.

Validation is strict because a silent typo in a label list would only show as a fact never found:
every fact a kind names must be declared, pattern facts must have patterns, regexes must compile,
ids must be unique. Errors name the place: ``kinds[3].facts.amount: unknown fact``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from oversight.datafiles import DataFileError, load_yaml, merge, validate
from oversight.extensions import with_extensions

KINDS_FILE = Path(__file__).parent / "data" / "kinds.yaml"
FactType = Literal["money", "date", "percent", "days", "text", "party", "code", "pattern", "number"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FactDef(_Strict):
    label: str
    type: FactType
    scope: Literal["project", "contract", "none"] = "none"


class PatternDef(_Strict):
    regex: tuple[str, ...]
    unless_before: tuple[str, ...] = ()


class FactRule(_Strict):
    """How one kind states one fact: the labels in front of it, and what to do without one."""

    labels: tuple[str, ...] = ()
    fallback: Literal["first", "last", "addressee", "signer"] | None = None
    row: Literal["first", "last"] = "first"
    then: str | None = Field(default=None, description="text that must follow the value (第 3 期)")


class KindDef(_Strict):
    id: str
    name: str
    stage: str
    title: tuple[str, ...]
    not_title: tuple[str, ...] = ()
    item_codes: tuple[str, ...] = ()
    date_fact: str
    contract_typed: bool = False
    facts: dict[str, FactRule]

    @field_validator("facts", mode="before")
    @classmethod
    def _short_form(cls, value: object) -> object:
        """``amount: [增加造价, 变更金额]`` is short for ``amount: {labels: [...]}``."""
        if isinstance(value, dict):
            return {k: {"labels": v} if isinstance(v, list) else (v or {}) for k, v in value.items()}
        return value


class ReadingRules(_Strict):
    format_version: Literal[1]
    facts: dict[str, FactDef]
    agree: dict[str, tuple[str, ...]] = {}
    patterns: dict[str, PatternDef]
    contract_types: dict[str, tuple[str, ...]]
    kinds: tuple[KindDef, ...]


@dataclass(frozen=True)
class CompiledRule:
    fact: str
    definition: FactDef
    rule: FactRule
    label_regex: re.Pattern[str] | None
    negative_labels: frozenset[str]


@dataclass(frozen=True)
class CompiledKind:
    definition: KindDef
    title: tuple[re.Pattern[str], ...]
    not_title: tuple[str, ...]
    rules: tuple[CompiledRule, ...]


@dataclass(frozen=True)
class CompiledRules:
    source: ReadingRules
    kinds: tuple[CompiledKind, ...]
    patterns: dict[str, tuple[tuple[re.Pattern[str], ...], tuple[str, ...]]]

    def kind(self, kind_id: str) -> CompiledKind:
        return next(kind for kind in self.kinds if kind.definition.id == kind_id)

    def label(self, fact: str) -> str:
        return self.source.facts[fact].label


def _label_pattern(label: str) -> str:
    """A label as printed, allowing white space between its characters ("合 同 价")."""
    return r"\s*".join(re.escape(ch) for ch in label)


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise DataFileError(f"{where}: bad regex {pattern!r} ({exc})") from exc


def _compile_rule(fact: str, rule: FactRule, rules: ReadingRules, where: str) -> CompiledRule:
    if fact not in rules.facts:
        raise DataFileError(f"{where}: unknown fact {fact!r} (declare it under `facts`)")
    definition = rules.facts[fact]
    if definition.type == "pattern":
        if fact not in rules.patterns:
            raise DataFileError(f"{where}: pattern fact {fact!r} has no entry under `patterns`")
        return CompiledRule(fact, definition, rule, None, frozenset())
    if not rule.labels and rule.fallback is None:
        raise DataFileError(f"{where}: fact {fact!r} has neither labels nor a fallback")
    negative = frozenset(label[1:] for label in rule.labels if label.startswith("-"))
    plain = sorted((label.lstrip("-") for label in rule.labels), key=len, reverse=True)
    regex = _compile("|".join(f"(?:{_label_pattern(label)})" for label in plain), where) if plain else None
    return CompiledRule(fact, definition, rule, regex, negative)


def compile_rules(rules: ReadingRules, source: str = "kinds.yaml") -> CompiledRules:
    seen: set[str] = set()
    kinds = []
    for index, kind in enumerate(rules.kinds):
        where = f"{source}: kinds[{index}] ({kind.id})"
        if kind.id in seen:
            raise DataFileError(f"{where}: duplicate kind id")
        seen.add(kind.id)
        if kind.date_fact not in kind.facts:
            raise DataFileError(f"{where}: date_fact {kind.date_fact!r} is not one of its facts")
        compiled = tuple(_compile_rule(fact, rule, rules, f"{where}.facts.{fact}") for fact, rule in kind.facts.items())
        titles = tuple(_compile(pattern, f"{where}.title") for pattern in kind.title)
        kinds.append(CompiledKind(kind, titles, kind.not_title, compiled))
    patterns = {
        name: (tuple(_compile(p, f"{source}: patterns.{name}") for p in spec.regex), spec.unless_before)
        for name, spec in rules.patterns.items()
    }
    return CompiledRules(rules, tuple(kinds), patterns)


def load_reading_rules(override: Path | None = None, local: dict | None = None) -> CompiledRules:
    """The shipped rules, with a locality's (a file, or its already-read ``local`` block) merged on top."""
    raw = with_extensions(load_yaml(KINDS_FILE))  # the shipped additions (data/kinds.*.yaml)
    source = str(KINDS_FILE)
    if override is not None:
        local = load_yaml(override) or {}
    if local:
        local = dict(local)
        if "kinds" in local:  # kinds are replaced by id, the others kept in order
            by_id = {kind["id"]: kind for kind in local.pop("kinds")}
            raw["kinds"] = [by_id.pop(kind["id"], kind) for kind in raw["kinds"]] + list(by_id.values())
        raw = merge(raw, local)
        source = f"{KINDS_FILE} + {override or 'locality reading rules'}"
    return compile_rules(validate(raw, ReadingRules, source), source)


@lru_cache(maxsize=1)
def shipped_rules() -> CompiledRules:
    return load_reading_rules()
