"""The redaction rules (``data/redaction.yaml``): what counts as personal data and which roles'
names are published. Validated on load and compiled once; a locality's ``redaction:`` block is
merged on (mappings key by key, lists replaced).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, field_validator

from oversight.datafiles import DataFileError, load_yaml, merge, validate

REDACTION_FILE = Path(__file__).parent / "data" / "redaction.yaml"
NAME_END = r"(?=$|[^\u4e00-\u9fff]|等|同志|先生|女士)"
KINDS = ("id_number", "id_suspect", "mobile", "bank_account", "address", "person_name", "manual")


class RedactionFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    format_version: Literal[1]
    replacement: str
    kinds: dict[str, str]
    published_roles: tuple[str, ...]
    person_labels: tuple[str, ...]
    surnames: str
    compound_surnames: tuple[str, ...]
    not_person_endings: tuple[str, ...]
    not_names: tuple[str, ...] = ()
    address_labels: tuple[str, ...]
    bank_labels: tuple[str, ...]

    @field_validator("kinds")
    @classmethod
    def _every_kind_named(cls, value: dict[str, str]) -> dict[str, str]:
        missing = [kind for kind in KINDS if kind not in value]
        unknown = [kind for kind in value if kind not in KINDS]
        if missing or unknown:
            raise ValueError(f"kinds must name exactly {', '.join(KINDS)} (missing {missing}, unknown {unknown})")
        return value

    @field_validator("replacement")
    @classmethod
    def _has_kind_slot(cls, value: str) -> str:
        if "{kind}" not in value:
            raise ValueError("replacement must contain {kind}")
        return value

    @field_validator("surnames")
    @classmethod
    def _only_characters(cls, value: str) -> str:
        compact = "".join(value.split())
        if not compact or not re.fullmatch(r"[\u4e00-\u9fff]+", compact):
            raise ValueError("surnames must be Chinese characters only")
        return compact


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(r"\s*".join(re.escape(ch) for ch in word) for word in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class RedactionRules:
    """The rules compiled: label regexes, the person pattern, the published roles."""

    source: RedactionFile
    person_regex: re.Pattern[str] | None
    address_regex: re.Pattern[str] | None
    bank_regex: re.Pattern[str] | None

    @property
    def surnames(self) -> str:
        return self.source.surnames

    @property
    def compound_surnames(self) -> tuple[str, ...]:
        return self.source.compound_surnames

    @property
    def not_person_endings(self) -> tuple[str, ...]:
        return self.source.not_person_endings

    def is_name(self, text: str) -> bool:
        """A name found after a person label, unless it ends like a post or an organisation or is a
        word the corpora showed is not a name.
        """
        return not text.endswith(self.source.not_person_endings) and not text.startswith(self.source.not_names)

    def kind_name(self, kind: str) -> str:
        return self.source.kinds[kind]

    def replacement(self, kind: str) -> str:
        return self.source.replacement.format(kind=self.kind_name(kind))

    def is_published_role(self, label: str) -> bool:
        compact = "".join(label.split())
        return compact.endswith(self.source.published_roles)


def name_pattern(source: RedactionFile) -> str:
    """A 2–4 character Chinese name starting with a family name, ending where a name must end
    (not inside a longer run of characters: "张三负责" is not read as a name).
    """
    compound = "|".join(re.escape(name) for name in source.compound_surnames)
    single = "".join(sorted(set(source.surnames)))
    return rf"(?:(?:{compound})[\u4e00-\u9fff]{{1,2}}|[{single}][\u4e00-\u9fff]{{1,2}}){NAME_END}"


def compile_rules(source: RedactionFile) -> RedactionRules:
    def labels(words: tuple[str, ...]) -> re.Pattern[str] | None:
        return re.compile(f"(?:{_alternation(words)})") if words else None

    compiled = RedactionRules(source, None, labels(source.address_labels), labels(source.bank_labels))
    if source.person_labels:
        # no separator is needed ("相邻住户孙某（电话…）"); the name must end where a name ends, and
        # the labels, post endings and not_names keep running text ("业主方有", "负责人安全") out
        person = re.compile(rf"(?P<role>{_alternation(source.person_labels)})[ \t:：|（(]*(?P<name>{name_pattern(source)})")
        compiled = RedactionRules(source, person, compiled.address_regex, compiled.bank_regex)
    return compiled


def load_redaction_rules(local: dict[str, Any] | None = None) -> RedactionRules:
    """The shipped rules with a locality's ``redaction:`` block merged on."""
    raw = load_yaml(REDACTION_FILE)
    source = str(REDACTION_FILE)
    if local:
        raw = merge(raw, local)
        source = f"{REDACTION_FILE} + locality redaction rules"
    try:
        return compile_rules(validate(raw, RedactionFile, source))
    except re.error as exc:
        raise DataFileError(f"{source}: a label makes a bad pattern ({exc})") from exc


@lru_cache(maxsize=1)
def shipped_redaction_rules() -> RedactionRules:
    return load_redaction_rules()
