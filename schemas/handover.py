"""Handover bundles: what core hands to ``handover`` and what comes back.

``core`` reads the catalog and the taxonomy and maps them into these plain shapes, so the bundle
builder never sees SQLAlchemy rows or the classifier. The bundle's own ``manifest.json`` is *not*
described here: it is a published JSON Schema (``handover/schema/manifest.schema.json``) because
its readers, years from now, will not have jiandang or pydantic.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import Field

from schemas.base import Schema
from schemas.completeness import ArchivalCodeRule


class ReviewStatus:
    """How far a document's filing can be trusted; written into every inventory row."""

    CONFIRMED = "confirmed"  # an archivist confirmed (or set) the filing
    FILED = "filed"  # classified by the rules with enough confidence
    NEEDS_REVIEW = "needs_review"  # classified, but a person should confirm it
    UNREADABLE = "unreadable"  # stored but could not be read (quarantined): filed as 未归类

    ALL = (CONFIRMED, FILED, NEEDS_REVIEW, UNREADABLE)


class TaxonomyItem(Schema):
    code: str
    name: str
    retention: str | None = Field(default=None, description="the taxonomy's retention_hint (永久, 长期 …)")


class TaxonomySubClass(Schema):
    code: str
    name: str
    items: list[TaxonomyItem] = Field(default_factory=list)


class FilingPlan(Schema):
    """The taxonomy's order and names, which decide 分类号 order and 案卷 order in the bundle."""

    subclasses: list[TaxonomySubClass] = Field(default_factory=list)


class HandoverDocument(Schema):
    """One archived document as the bundle sees it, with the path of its stored original."""

    id: str
    sha256: str
    size: int
    original_name: str
    format: str | None = None
    source: Path = Field(description="the stored original (read only, never modified)")
    title: str | None = None
    class_code: str | None = None
    item_code: str | None = None
    doc_type: str | None = None
    doc_date: dt.date | None = None
    dates: list[dt.date] = Field(default_factory=list)
    number: str | None = Field(default=None, description="文件编号 / 图号")
    revision: str | None = None
    parties: dict[str, str] = Field(default_factory=dict)
    amount: float | None = None
    pages: int | None = None
    confidence: float = 0.0
    reasons: list[str] = Field(default_factory=list)
    review_status: str = ReviewStatus.NEEDS_REVIEW
    quarantine_reason: str | None = None
    retention: str | None = Field(default=None, description="保管期限 set by an archivist (else the plan's)")


class HandoverProject(Schema):
    code: str
    name: str
    agency: str = Field(description="移交单位 / BagIt Source-Organization")


class HandoverRequest(Schema):
    """Everything needed to write one bundle; built by core, consumed by ``handover.build_bundle``."""

    project: HandoverProject
    documents: list[HandoverDocument]
    plan: FilingPlan
    out: Path
    zip: bool = False
    only: list[str] | None = Field(default=None, description="class or sub-class codes (C, C2, D) to include")
    asset: str | None = Field(default=None, description="the asset this handover is for (资产名称)")
    archival_code: ArchivalCodeRule = Field(
        default_factory=ArchivalCodeRule, description="the archive's 档号 scheme (checklist.yaml, locality overrides)"
    )
    eep: bool = Field(default=False, description="also write a DA/T 48-style EEP XML per document under data/EEP/")
    catalog_as_of: dt.datetime | None = Field(
        default=None,
        description="latest change of the included rows; fixed timestamps inside the bundle come from it",
    )
    bagging_date: dt.date | None = Field(default=None, description="defaults to today (tag file only)")
    processes: int = Field(default=1, ge=1, description="processes bagit uses to hash the payload")
    software: str = "jiandang"


class HandoverReport(Schema):
    """``jiandang handover --json``."""

    path: str
    documents: int
    bytes: int
    volumes: int = 0
    resumed_files: int = Field(default=0, description="originals already copied by an interrupted run")
    archive_codes: dict[str, str] = Field(default_factory=dict, exclude=True,
                                          description="document id → 档号 (for the event log; not printed)")


class BundleProblem(Schema):
    file: str | None = Field(default=None, description="the file (path inside the bundle) the problem is about")
    kind: str
    message: str


class VerifyBundleReport(Schema):
    """``jiandang verify-bundle --json``."""

    path: str
    valid: bool
    problems: list[BundleProblem] = Field(default_factory=list)
    documents: int = 0
