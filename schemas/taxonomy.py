"""The taxonomy file format: the GB/T 50328 filing tree, its matching data and the other standards.

The tree and every rule the classifier applies are data (``classify/data/taxonomy.yaml``) so that a
locality can correct or extend them without touching code. These models only describe the shape;
cross-checks that need the whole tree (unique codes, code prefixes, regexes, rule references) live
in ``classify.taxonomy`` where the error messages can name the offending node.

All models are frozen: a loaded taxonomy is shared by every classification and must not drift.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

from pydantic import ConfigDict, Field

from schemas.base import Schema

Texts = tuple[str, ...]


class _Frozen(Schema):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DocType(_Frozen):
    """A document type (文种) recognisable by its title, e.g. 设计变更通知单 or 检验批质量验收记录."""

    name: str
    title_patterns: Texts = Field(default=(), description="regexes for the title; empty → the name itself")
    not_keywords: Texts = Field(default=(), description="a title containing one of these is not this type")
    markers: Texts = Field(
        default=(), description="regexes of form fields / section headings typical of the type"
    )
    min_markers: int = Field(
        default=3, ge=1, description="distinct markers needed before they count as evidence"
    )
    body_patterns: Texts = Field(
        default=(), description="regexes that identify the type anywhere (e.g. 地字第…号)"
    )
    fields: Texts = Field(default=(), description="fields a completeness check should find")
    sign: Texts = Field(default=(), description="parties whose signature or seal the document needs")
    form: str | None = Field(default=None, description="form reference, e.g. GB/T 50319 C.0.2")
    review: bool = Field(default=False, description="always send to the review queue")
    strength: float | None = Field(
        default=None, ge=0.3, le=1.0,
        description="weight of a title hit; None: 1.0 for an item's type, 0.65 for a family-level type",
    )
    source: str | None = Field(default=None, description="where the title comes from (titles.yaml group)")
    confidence: str | None = None
    note: str | None = None


class Item(_Frozen):
    """One row of Appendix A, e.g. C2-6 设计变更通知单."""

    code: str
    name: str
    group: str | None = None
    name_variants: Texts = ()
    keywords: Texts = ()
    not_keywords: Texts = ()
    form: str | None = None
    keep: str | None = Field(default=None, description="keeper flags per party in meta.keep_order (R/O/-)")
    keep_confidence: str | None = None
    retention_hint: str | None = None
    retention_basis: str | None = None
    evidence: Texts = ()
    note: str | None = None
    source: Literal["draft", "added", "locality"] = "draft"
    catch_all: bool = Field(default=False, description="the 其他… row: used only when no specific row fits")
    doc_types: tuple[DocType, ...] = ()


class SubClass(_Frozen):
    """A sub-class such as C2 施工技术文件; D is both class and sub-class."""

    code: str
    name: str
    name_variants: Texts = ()
    form_standard: str | None = None
    generic_keywords: Texts = ()
    note: str | None = None
    doc_types: tuple[DocType, ...] = Field(
        default=(), description="family-level types that name no single item"
    )
    items: tuple[Item, ...] = ()


class ArchiveClass(_Frozen):
    """One of the five classes A–E."""

    code: str
    name: str
    definition: str | None = None
    keywords: Texts = ()
    form_standard: str | None = None
    decisive_feature: str | None = None
    subclasses: tuple[SubClass, ...] = ()


class RuleMember(_Frozen):
    doc_type: str
    markers: Texts = ()
    level: str | None = None
    alternative: str | None = Field(
        default=None, description="shared_form: the item the other party files it under"
    )


class Discipline(_Frozen):
    item: str
    patterns: Texts


class Voice(_Frozen):
    subclass_prefix: str = Field(description="sub-classes written in this voice, e.g. B for 监理文件")
    term: str = Field(description="the word such documents keep using, e.g. 监理")


class DisambiguationRule(_Frozen):
    """A rule that decides between look-alike document types; its explanation is shown as a reason."""

    id: str
    name: str
    basis: str | None = None
    kind: Literal["origin", "level_order", "drawing_stamp", "shared_form", "voice", "not_filed"]
    explanation: str
    triggers: Texts = ()
    members: tuple[RuleMember, ...] = ()
    default_member: str | None = Field(
        default=None, description="origin: the doc type chosen when the members' evidence is equal"
    )
    drawing_markers: Texts = ()
    min_drawing_markers: int = 3
    drawing_window: int = Field(
        default=300, description="title-block markers must fall within this many characters"
    )
    as_built_markers: Texts = ()
    stamp_fields: Texts = ()
    as_built_subclass: str | None = None
    construction_doc_type: str | None = None
    change_markers: Texts = Field(
        default=(), description="drawing_stamp: a sheet whose number or title block says 变更 belongs to a change"
    )
    change_item: str | None = Field(default=None, description="drawing_stamp: where a change sheet is filed")
    volume_catalogues: Texts = Field(default=(), description="not_filed: titles of one volume's own list (卷内目录)")
    volume_contents: Texts = Field(
        default=(), description="not_filed: such a list naming these (twice or more) goes with its volume (竣工图 → D)"
    )
    volume_subclass: str | None = Field(default=None, description="not_filed: where such a catalogue is filed")
    party_triggers: Texts = Field(
        default=(), description="not_filed: how the parties are named in the first lines (甲方（买方）: a purchase)"
    )
    disciplines: tuple[Discipline, ...] = ()
    voices: tuple[Voice, ...] = Field(
        default=(), description="voice: first voice wins if its term is frequent enough"
    )
    min_share: float = Field(
        default=0.3, description="voice: count(first) / count(second) needed for the first"
    )
    min_mentions: int = Field(default=20, description="voice: below this many mentions the rule stays silent")
    min_sentences: int = Field(
        default=20, description="voice: only for running prose with this many sentences (。)"
    )


class Matching(_Frozen):
    normalisation: str
    field_label_terms: Texts = ()
    title_endings: Texts = Field(default=(), description="words a document title ends with (报告, 记录, 表…)")


class TaxonomyMeta(_Frozen):
    version: int
    source: str | None = None
    caveats: Texts = ()
    keep_order: Texts
    keep_order_zh: Texts = ()
    keep_codes: dict[str, str]
    keep_confidence_default: str | None = None
    keep_confidence_note: str | None = None
    confidence_values: dict[str, str] = Field(default_factory=dict)
    evidence_keys: dict[str, str] = Field(default_factory=dict)
    retention_notes: dict[str, str] = Field(default_factory=dict)
    matching: Matching


class StandardInfo(_Frozen):
    code: str
    title: str
    scope: str | None = None
    class_names_confidence: str | None = None
    subclass_names_confidence: str | None = None
    notes: Texts = ()


class Dat28Category(_Frozen):
    code: str
    name: str
    covers: Texts = ()
    retention_typical: str | None = None
    note: str | None = None


class Dat28(_Frozen):
    """DA/T 28-2018 categories (kept for handover and 档案验收; mostly unconfirmed)."""

    standard: str
    identity_confidence: str | None = None
    retention_scheme: Texts = ()
    retention_scheme_confidence: str | None = None
    retention_rules: Texts = ()
    categories_confidence: str | None = None
    categories: tuple[Dat28Category, ...] = ()
    cross_check_scoring_headings: Texts = ()
    predecessor_dat28_2002_categories_unconfirmed: Texts = ()
    notes: Texts = ()


class Dat70Item(_Frozen):
    number: str
    dim: str
    name: str
    stages: Texts


class Dat70Checks(_Frozen):
    """DA/T 70-2018 check items (confirmed from the full text)."""

    standard: str
    confidence: str | None = None
    stage_prefixes: dict[str, str] = Field(default_factory=dict)
    long_term_policy: str | None = None
    items: tuple[Dat70Item, ...] = ()


class LocalityInfo(_Frozen):
    name: str
    basis: str | None = None
    note: str | None = None


class Taxonomy(_Frozen):
    """The whole taxonomy file, after any locality override was merged in."""

    format_version: int
    meta: TaxonomyMeta
    standard: StandardInfo
    classes: tuple[ArchiveClass, ...]
    disambiguation: tuple[DisambiguationRule, ...] = ()
    dat28_2018: Dat28 | None = None
    dat70_2018_checks: Dat70Checks | None = None
    locality: LocalityInfo | None = None

    def subclasses(self) -> Iterator[SubClass]:
        for archive_class in self.classes:
            yield from archive_class.subclasses

    def items(self) -> Iterator[tuple[SubClass, Item]]:
        for subclass in self.subclasses():
            for item in subclass.items:
                yield subclass, item

    def subclass(self, code: str) -> SubClass | None:
        return next((s for s in self.subclasses() if s.code == code), None)

    def item(self, code: str) -> Item | None:
        return next((i for _, i in self.items() if i.code == code), None)

    def doc_types(self) -> Iterator[tuple[SubClass, Item | None, DocType]]:
        """Every document type with where it files: item types first, then family-level ones."""
        for subclass in self.subclasses():
            for item in subclass.items:
                for doc_type in item.doc_types:
                    yield subclass, item, doc_type
            for doc_type in subclass.doc_types:
                yield subclass, None, doc_type


class ItemPatch(_Frozen):
    """An override entry: a new item (all of name given) or fields replacing those of a shipped item."""

    code: str
    name: str | None = None
    group: str | None = None
    name_variants: Texts | None = None
    keywords: Texts | None = None
    not_keywords: Texts | None = None
    form: str | None = None
    keep: str | None = None
    keep_confidence: str | None = None
    retention_hint: str | None = None
    retention_basis: str | None = None
    evidence: Texts | None = None
    note: str | None = None
    catch_all: bool | None = None
    doc_types: tuple[DocType, ...] | None = None


class SubClassPatch(_Frozen):
    code: str
    name: str | None = None
    name_variants: Texts | None = None
    note: str | None = None
    doc_types: tuple[DocType, ...] | None = None


class TaxonomyOverride(_Frozen):
    """A locality override file: recognised by its top-level ``override`` block."""

    override: LocalityInfo
    subclasses: tuple[SubClassPatch, ...] = ()
    items: tuple[ItemPatch, ...] = ()
    remove_items: Texts = ()
    checklist: dict[str, Any] | None = Field(
        default=None, description="changes to the completeness checklist (schemas.completeness.ChecklistOverride)"
    )
    fields: dict[str, Any] | None = Field(
        default=None, description="field vocabulary entries (fields / signatures) replacing the shipped ones by name"
    )
