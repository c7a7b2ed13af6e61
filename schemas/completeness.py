"""Completeness: the checklist data file's shape and the report an archive inspector receives.

``ChecklistRules`` describes ``classify/data/checklist.yaml`` (which items are required, when a
conditional item applies, the project stages, the DA/T 28-2018 mapping, the 档号 pattern, the
formats the 四性 checks accept). ``CompletenessReport`` is what ``jiandang completeness`` prints.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field

from schemas.base import Schema
from schemas.timestamps import UtcDateTime

Texts = tuple[str, ...]
ItemStatus = Literal["present", "missing", "not_applicable", "waived"]
STAGES = ("立项", "设计", "招标", "施工", "竣工")


class _Frozen(Schema):
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
    """档号 structure: 项目代号-分类号-案卷号-件号 (DA/T 13 building blocks; this archive's 分类方案).

    The defaults are the scheme the handover bundle documents, so a caller without the checklist
    (``classify.archival_code.volume_codes``) gets the same codes.
    """

    volume_pattern: str = Field(default="{project}-{subclass}-{volume:03d}",
                                description="案卷档号; fields: project, subclass, volume")
    piece_pattern: str = Field(default="{volume_code}-{piece:04d}",
                               description="件档号; fields: volume_code, project, subclass, volume, piece")
    unfiled_class: str = Field(default="X", description="分类号 of documents not (yet) filed to a sub-class")
    basis: str | None = None
    regex: str = Field(default=r"^[0-9A-Za-z][0-9A-Za-z\-]*-(?:[A-E]\d{1,2}|D|X)-\d{3}-\d{4}$",
                       description="a valid 档号 matches this regex (DA/T 70 GD-1-7 check)")

    def volume_codes(self, project_code: str, class_code: str | None, volume_no: int, pieces: int) -> VolumeCodes:
        """档号 for one volume: its 案卷档号 and the 件档号 of its ``pieces`` documents (件号 from 1).

        The one place codes are formatted: completeness (``classify.archival_code``) and the
        handover plan both call it with the rule the archive's checklist holds, so a document gets
        the same 档号 in the inspector's report and in the bundle. ``class_code=None`` is unfiled.
        """
        if volume_no < 1:
            raise ValueError(f"案卷号 starts at 1, not {volume_no}")
        subclass = class_code or self.unfiled_class
        volume = self.volume_pattern.format(project=project_code, subclass=subclass, volume=volume_no)
        return VolumeCodes(volume=volume, pieces=tuple(
            self.piece_pattern.format(volume_code=volume, project=project_code, subclass=subclass,
                                      volume=volume_no, piece=piece)
            for piece in range(1, pieces + 1)
        ))


class VolumeCodes(_Frozen):
    """The 案卷档号 of one volume and the 件档号 of its documents, in the order they were given.

    Built only by ``ArchivalCodeRule.volume_codes``.
    """

    volume: str
    pieces: tuple[str, ...]


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
    one_copy_forms: Texts = Field(
        default=(),
        description="shared forms (taxonomy shared_form members) of which one copy answers both their B and C "
        "rows; empty: every party files its own copy and a row is satisfied only by documents filed under it",
    )
    archival_code: ArchivalCodeRule
    sixing: SixingRules
    caveats: Texts = ()


class ChecklistOverride(_Frozen):
    """A locality's changes to the checklist (the ``checklist`` block of an override file)."""

    also_required: Texts = ()
    not_required: Texts = ()
    conditions: tuple[Condition, ...] = Field(default=(), description="replace conditions with the same id, add new")
    dat28: tuple[Dat28Mapping, ...] = ()
    one_copy_forms: Texts = Field(default=(), description="added to the shipped list")
    archival_code: dict[str, Any] | None = None


class ProjectProfile(Schema):
    """What the archivist recorded about a project: its type, stage and special features.

    ``features`` None means "not declared": conditional items are then decided from the documents.
    """

    project: str
    building_type: str | None = None
    stage: Literal["立项", "设计", "招标", "施工", "竣工"] = "竣工"
    features: list[str] | None = None
    updated_by: str | None = None
    updated_at: UtcDateTime | None = None


class FiledDocument(Schema):
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


class Waiver(Schema):
    item_code: str
    reason: str
    who: str
    at: UtcDateTime | None = None


class DocumentRef(Schema):
    id: str
    title: str | None = None
    original_name: str = ""
    archival_code: str | None = None
    retention: str | None = None
    via: str | None = Field(default=None, description="how it satisfies the item when not filed under it")


class ItemReport(Schema):
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


class StageSummary(Schema):
    stage: str
    due: bool
    required: int = 0
    present: int = 0
    missing: int = 0
    percent: float = 100.0


class Finding(Schema):
    """A problem found on one document or the whole project (field, revision or 四性 check)."""

    check: str
    document_id: str | None = None
    message: str


class SixingCheck(Schema):
    """One 四性 check: which property, the DA/T 70 item, how many files passed, the problems."""

    property: Literal["真实性", "完整性", "可用性", "安全性"]
    check: str
    dat70: str
    checked: int = 0
    passed: bool = True
    problems: list[Finding] = Field(default_factory=list)


class CompletenessReport(Schema):
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
    generation: int | None = Field(
        default=None, exclude=True,
        description="the catalog generation a page's cached report was computed at (not serialised)")


FieldKind = Literal["value", "date", "month", "section", "person", "seal"]


class FieldRule(_Frozen):
    """How one field or signature slot of a form is recognised and when it counts as filled."""

    labels: Texts = Field(default=(), description="the label and its variants as forms print them; empty: the name")
    kind: FieldKind | None = Field(default=None, description="None: value for fields, person for signatures")
    extracted: str | None = Field(default=None, description="an extracted field (ExtractedFields) that also fills it")
    title_pattern: str | None = Field(default=None, description="a regex on the title that also fills it")
    only_if_title: str | None = Field(default=None, description="asked for only when the title matches this regex")


class FieldRules(_Frozen):
    """The field vocabulary (``classify/data/fields.yaml``): per field and signature name, its labels and kind."""

    format_version: int
    placeholders: Texts = ()
    fields: dict[str, FieldRule] = Field(default_factory=dict)
    signatures: dict[str, FieldRule] = Field(default_factory=dict)
    seal_marks: Texts = ()
