"""Completeness: the checklist data file's shape and the report an archive inspector receives.

``ChecklistRules`` describes ``classify/data/checklist.yaml`` (which items are required, when a
conditional item applies, the project stages, the DA/T 28-2018 mapping, the 档号 pattern, the
formats the 四性 checks accept). ``CompletenessReport`` is what ``jiandang completeness`` prints.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas.timestamps import UtcDateTime

Texts = tuple[str, ...]
ItemStatus = Literal["present", "missing", "not_applicable", "waived"]
STAGES = ("立项", "设计", "招标", "施工", "竣工")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Condition(_Frozen):
    """A conditional (cond) group of items: required only when the project has the feature.

    The project profile decides (``feature`` listed or not, or ``building_types``); when the profile
    says nothing about features, the project's own documents decide (a ``triggers`` term in them).
    """

    id: str
    name: str
    feature: str | None = Field(default=None, description="feature word in the project profile, e.g. 预应力")
    building_types: Texts = Field(default=(), description="applies to these building types only, e.g. 住宅")
    triggers: Texts = Field(default=(), description="terms in the project's documents that show the feature")
    items: Texts
    confidence: str = "unconfirmed"
    note: str | None = None


class StageRule(_Frozen):
    name: Literal["立项", "设计", "招标", "施工", "竣工"]
    subclasses: Texts = ()
    items: Texts = Field(default=(), description="items filed elsewhere that fall due at this stage")


class Dat28Mapping(_Frozen):
    """A GB/T 50328 sub-class (or item) → DA/T 28-2018 category and retention (永久/30年/10年)."""

    code: str
    category: str
    retention: Literal["永久", "30年", "10年"]
    confidence: str = "unconfirmed"


class ArchivalCodeRule(_Frozen):
    """档号 structure (DA/T 13): the pattern and the parts this agency fixes."""

    pattern: str = "{fonds}-{category_code}·{year}-{project}-{category}-{volume:03d}-{piece:03d}"
    fonds: str = "0001"
    category_code: str = "JJ"
    basis: str | None = None
    regex: str = Field(description="a valid 档号 matches this regex (DA/T 70 GD-1-7 check)")


class SixingRules(_Frozen):
    """What the 四性 checks accept (GB/T 18894-2016 §8.3, DA/T 70-2018 3-3 / 3-8)."""

    archival_formats: Texts
    macro_formats: Texts = ("xlsm", "docm", "pptm", "xltm", "dotm")
    required_metadata: Texts = ("title", "format", "size", "class_code", "doc_date")


class ChecklistRules(_Frozen):
    """The checklist data file (after a locality's ``checklist`` block was merged in)."""

    format_version: int
    required_keeper: str = Field(description="party in taxonomy meta.keep_order whose R flag makes an item required")
    required_flags: Texts = ("R",)
    also_required: Texts = Field(default=(), description="items required whatever their keeper flags")
    not_required: Texts = Field(default=(), description="items never required (a locality's choice)")
    conditions: tuple[Condition, ...] = ()
    building_types: Texts = ()
    stages: tuple[StageRule, ...] = ()
    dat28: tuple[Dat28Mapping, ...] = ()
    archival_code: ArchivalCodeRule
    sixing: SixingRules
    caveats: Texts = ()


class ChecklistOverride(_Frozen):
    """A locality's changes to the checklist (the ``checklist`` block of an override file)."""

    also_required: Texts = ()
    not_required: Texts = ()
    conditions: tuple[Condition, ...] = Field(default=(), description="replace conditions with the same id, add new")
    dat28: tuple[Dat28Mapping, ...] = ()
    archival_code: dict[str, Any] | None = None


class ProjectProfile(BaseModel):
    """What the archivist recorded about a project: its type, stage and special features.

    ``features`` None means "not declared": conditional items are then decided from the documents.
    """

    project: str
    building_type: str | None = None
    stage: Literal["立项", "设计", "招标", "施工", "竣工"] = "竣工"
    features: list[str] | None = None
    updated_by: str | None = None
    updated_at: UtcDateTime | None = None


class FiledDocument(BaseModel):
    """One document as the completeness check sees it (from the catalog)."""

    id: str
    title: str | None = None
    original_name: str = ""
    format: str | None = None
    size: int = 0
    status: str = "processed"
    quarantine_code: str | None = None
    class_code: str | None = None
    item_code: str | None = None
    doc_type: str | None = None
    confirmed: bool = False
    doc_date: str | None = None
    fields: dict[str, Any] = Field(default_factory=dict)
    text: str = ""


class Waiver(BaseModel):
    item_code: str
    reason: str
    who: str
    at: UtcDateTime | None = None


class DocumentRef(BaseModel):
    id: str
    title: str | None = None
    original_name: str = ""
    archival_code: str | None = None
    retention: str | None = None
    via: str | None = Field(default=None, description="how it satisfies the item when not filed under it")


class ItemReport(BaseModel):
    code: str
    name: str
    status: ItemStatus
    required: bool = True
    stage: str | None = None
    dat28_category: str | None = None
    retention: str | None = None
    reason: str | None = None
    waiver: Waiver | None = None
    documents: list[DocumentRef] = Field(default_factory=list)


class StageSummary(BaseModel):
    stage: str
    due: bool
    required: int = 0
    present: int = 0
    missing: int = 0
    percent: float = 100.0


class Finding(BaseModel):
    """A problem found on one document or the whole project (field, revision or 四性 check)."""

    check: str
    document_id: str | None = None
    message: str


class SixingCheck(BaseModel):
    """One 四性 check: which property, the DA/T 70 item, how many files passed, the problems."""

    property: Literal["真实性", "完整性", "可用性", "安全性"]
    check: str
    dat70: str
    checked: int = 0
    passed: bool = True
    problems: list[Finding] = Field(default_factory=list)


class CompletenessReport(BaseModel):
    """``jiandang completeness PROJECT``."""

    project: str
    profile: ProjectProfile | None = None
    items: list[ItemReport] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    stages: list[StageSummary] = Field(default_factory=list)
    conditions: list[dict[str, Any]] = Field(default_factory=list)
    unplaced: list[DocumentRef] = Field(default_factory=list, description="filed to a sub-class but no item")
    field_findings: list[Finding] = Field(default_factory=list)
    revision_findings: list[Finding] = Field(default_factory=list)
    sixing: list[SixingCheck] = Field(default_factory=list)
    documents: int = 0
