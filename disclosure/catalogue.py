"""The disclosure categories (``data/categories.yaml``): each 94号 category, its items and each
item's fields, and the columns of the 基层政务公开标准目录 table. Validated on load, including
against the oversight reading rules: a field that names a fact or a document kind the reader does
not know would only ever show as missing, so it is refused with its place named.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from oversight.datafiles import DataFileError, load_yaml, merge, validate

CATEGORIES_FILE = Path(__file__).parent / "data" / "categories.yaml"
KNOWN_COLUMNS = ("序号", "一级事项", "二级事项", "公开内容（要素）", "公开依据", "公开时限", "公开主体", "公开渠道和载体",
                 "公开对象", "公开方式（主动/依申请）", "公开层级", "信息形成日期", "应公开日期", "来源文件")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldSpec(_Strict):
    label: str
    fact: str | None = None
    project: Literal["name", "code"] | None = None
    agency: str | None = None
    derived: Literal["budget_increase"] | None = None
    kinds: tuple[str, ...] = Field(default=(), description="read from the project's documents of these kinds")
    contract_type: str | None = None
    or_field: Literal["number", "date"] | None = Field(
        default=None, description="when no fact is found: the field the archive read at ingest (文号 on its own line)")
    person: bool = False
    optional: bool = Field(default=False, description="left out, not shown as missing, when not found")

    @model_validator(mode="after")
    def _one_source(self) -> FieldSpec:
        sources = [name for name in ("fact", "project", "agency", "derived") if getattr(self, name) is not None]
        if len(sources) != 1:
            raise ValueError(f"field {self.label!r} needs exactly one of fact, project, agency, derived (has {sources})")
        return self


class ItemSpec(_Strict):
    id: str
    name: str
    per: Literal["document", "project", "agency"] = "document"
    kinds: tuple[str, ...] = ()
    typed: bool = Field(default=False, description="name the contract type: 中标结果（施工）")
    licensing: bool = Field(default=False, description="a 行政许可 decision: the shorter limit applies")
    fields: tuple[FieldSpec, ...]

    @model_validator(mode="after")
    def _sources_fit(self) -> ItemSpec:
        if self.per == "document" and not self.kinds:
            raise ValueError(f"item {self.id!r} is per document but names no kinds")
        if self.per == "project" and any(f.fact and not f.kinds for f in self.fields):
            raise ValueError(f"item {self.id!r} is per project: each fact field must name its kinds")
        if self.per == "agency" and any(f.agency is None for f in self.fields):
            raise ValueError(f"item {self.id!r} is per agency: every field must come from the agency block")
        return self


class CategorySpec(_Strict):
    id: str
    name: str
    basis: str
    empty: str
    subject: str | None = None
    only: Literal["office_building"] | None = None
    items: tuple[ItemSpec, ...]


class Defaults(_Strict):
    first_level: str
    basis: str
    subject: str
    channel: str
    audience: str
    mode: str
    level: str
    limit_days: int = Field(ge=1, le=60)
    licensing_days: int = Field(ge=1, le=60)
    limit_text: str

    @field_validator("limit_text")
    @classmethod
    def _days_slot(cls, value: str) -> str:
        if "{days}" not in value:
            raise ValueError("limit_text must contain {days}")
        return value


class OfficeBuilding(_Strict):
    words: tuple[str, ...]


class Catalogue(_Strict):
    format_version: Literal[1]
    columns: tuple[str, ...]
    defaults: Defaults
    office_building: OfficeBuilding
    categories: tuple[CategorySpec, ...]

    @field_validator("columns")
    @classmethod
    def _known_columns(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [column for column in value if column not in KNOWN_COLUMNS]
        if unknown:
            raise ValueError(f"unknown columns {unknown}; known: {', '.join(KNOWN_COLUMNS)}")
        return value

    @model_validator(mode="after")
    def _unique_ids(self) -> Catalogue:
        seen: set[str] = set()
        for category in self.categories:
            if category.id in seen:
                raise ValueError(f"duplicate category id {category.id!r}")
            seen.add(category.id)
            items = [item.id for item in category.items]
            if len(items) != len(set(items)):
                raise ValueError(f"category {category.id!r} has duplicate item ids")
        return self

    def limit_for(self, item: ItemSpec) -> int:
        return self.defaults.licensing_days if item.licensing else self.defaults.limit_days


def check_against(catalogue: Catalogue, facts: set[str], kinds: set[str], source: str) -> None:
    """Every fact and kind the categories name must be one the oversight reader knows."""
    for category in catalogue.categories:
        for item in category.items:
            where = f"{source}: categories.{category.id}.items.{item.id}"
            for kind in item.kinds:
                if kind not in kinds:
                    raise DataFileError(f"{where}.kinds: unknown document kind {kind!r}")
            for spec in item.fields:
                if spec.fact is not None and spec.fact not in facts:
                    raise DataFileError(f"{where}.fields[{spec.label}]: unknown fact {spec.fact!r}")
                for kind in spec.kinds:
                    if kind not in kinds:
                        raise DataFileError(f"{where}.fields[{spec.label}].kinds: unknown document kind {kind!r}")


def _merge_categories(base: list[dict[str, Any]], local: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A locality's categories by id: an existing one merged key by key (its `items` replaced), a
    new one appended.
    """
    by_id = {category.get("id"): category for category in local}
    merged = [merge(category, by_id.pop(category["id"])) if category["id"] in by_id else category for category in base]
    return merged + list(by_id.values())


def load_catalogue(facts: set[str], kinds: set[str], local: dict[str, Any] | None = None) -> Catalogue:
    """The shipped categories with a locality's block merged on, validated against the reader's
    facts and kinds.
    """
    raw = load_yaml(CATEGORIES_FILE)
    source = str(CATEGORIES_FILE)
    if local:
        local = dict(local)
        if "categories" in local:
            raw["categories"] = _merge_categories(raw["categories"], list(local.pop("categories") or []))
        raw = merge(raw, local)
        source = f"{CATEGORIES_FILE} + locality categories"
    catalogue = validate(raw, Catalogue, source)
    check_against(catalogue, facts, kinds, source)
    return catalogue


@lru_cache(maxsize=1)
def shipped_catalogue() -> Catalogue:
    from oversight.rules import shipped_rules

    rules = shipped_rules()
    return load_catalogue(set(rules.source.facts), {kind.definition.id for kind in rules.kinds})
