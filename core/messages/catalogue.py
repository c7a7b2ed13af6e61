"""The message catalogue: one data file of Chinese names, loaded once and checked before use.

Why a data file: the words on the screen are a domain rule like the taxonomy (a locality says
「归档」 where another says 「入库」), and one file is the only way to be sure no English code
slips through — the service checks on load that every status, event, action and error the code
can produce has its entry (``require``), so a new code without a name fails at start, not in
front of an auditor.
"""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.errors import ConfigError

DEFAULT_FILE = Path(__file__).parent / "data" / "zh-CN.yaml"
OTHER = "其他"
Names = dict[str, str]


def _placeholders(template: str) -> set[str]:
    return {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}


class Catalogue(BaseModel):
    """Every section of the data file; ``name(section, code)`` is what templates call."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format_version: Literal[1]
    locale: str
    statuses: Names
    ingest_outcomes: Names
    ingest_notes: Names
    quarantine_codes: Names
    text_statuses: Names
    sources: Names
    task_states: Names
    task_kinds: Names
    roles: Names
    project_kinds: Names
    events: Names
    actions: Names
    export_kinds: Names
    query_fields: Names
    sort_orders: Names
    document_fields: Names
    retention_periods: list[str] = Field(min_length=1)
    secrecy_levels: list[str] = Field(min_length=1)
    errors: Names
    errors_by_subject: dict[str, Names]
    http_statuses: dict[int, str]

    @field_validator("*", mode="after")
    @classmethod
    def _no_blank_names(cls, value: Any) -> Any:
        texts = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
        for text in texts:
            inner = text.values() if isinstance(text, dict) else [text]
            if any(not isinstance(t, str) or not t.strip() for t in inner):
                raise ValueError("every name must be a non-empty text")
        return value

    @field_validator("errors", "errors_by_subject", mode="after")
    @classmethod
    def _templates_parse(cls, value: Any) -> Any:
        flat = [t for v in value.values() for t in (v.values() if isinstance(v, dict) else [v])]
        for template in flat:
            try:
                names = _placeholders(template)
            except ValueError as exc:
                raise ValueError(f"template {template!r}: {exc}") from None
            if any(not n.isidentifier() for n in names):
                raise ValueError(f"template {template!r}: placeholders are {{name}} only")
        return value

    # --- lookups -----------------------------------------------------------------------------
    def name(self, section: str, code: object, default: str = OTHER) -> str:
        """The Chinese name of ``code`` in ``section``; ``default`` for a code the file lacks."""
        if code is None:
            return ""
        table: dict[Any, str] = getattr(self, section)
        return table.get(code if isinstance(code, int) and section == "http_statuses" else str(code), default)

    def action(self, code: str) -> str:
        """An audit action; an unknown one is named by its known prefix (``admin.x`` → 管理操作)."""
        if code in self.actions:
            return self.actions[code]
        return f"{OTHER}操作"

    def error(self, code: str, subject: dict[str, Any] | None = None, status: int = 400) -> str:
        """The sentence for an error: the subject-specific one, the code's, else the status's."""
        subject = {k: v for k, v in (subject or {}).items() if v not in (None, "")}
        for key in subject:
            template = self.errors_by_subject.get(code, {}).get(key)
            if template and _placeholders(template) <= subject.keys():
                return template.format_map(subject)
        template = self.errors.get(code)
        if template and _placeholders(template) <= subject.keys():
            return template.format_map(subject)
        generic = {400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found",
                   409: "already_exists", 413: "too_large", 422: "invalid_input", 429: "too_many_requests",
                   503: "search_index_error"}.get(status, "internal_error")
        return self.errors[generic] if _placeholders(self.errors[generic]) <= subject.keys() else self.errors["http_error"]

    # --- checks ------------------------------------------------------------------------------
    def require(self, section: str, codes: object) -> None:
        """Refuse to start when a code the archive can produce has no name in ``section``."""
        table = getattr(self, section)
        missing = sorted(str(c) for c in codes if str(c) not in table)  # type: ignore[attr-defined]
        if missing:
            raise ConfigError(f"message catalogue: section {section!r} lacks {', '.join(missing)}",
                              section=section)


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        merged[key] = _merge(base[key], value) if isinstance(value, dict) and isinstance(base.get(key), dict) else value
    return merged


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"message catalogue {path}: {exc}", path=str(path)) from exc
    if not isinstance(data, dict):
        raise ConfigError(f"message catalogue {path}: expected a mapping at the top", path=str(path))
    return data


def load_catalogue(override: Path | None = None) -> Catalogue:
    """The built-in catalogue, with a locality's file merged over it (section by section)."""
    data = _read(DEFAULT_FILE)
    if override is not None:
        data = _merge(data, _read(override))
    try:
        return Catalogue.model_validate(data)
    except ValidationError as exc:
        where = override or DEFAULT_FILE
        raise ConfigError(f"message catalogue {where}: {exc.errors()[0]['loc']}: {exc.errors()[0]['msg']}",
                          path=str(where)) from exc
