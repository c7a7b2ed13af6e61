"""阳光工程 disclosure: a project's key-node information per 国办发〔2017〕94号 category, redacted,
approved and publishable (issue 18).

``DisclosureSummary`` is the ``jiandang disclose --json`` contract and must keep its keys: scripts
depend on ``path``, ``categories[].name`` / ``categories[].items`` (a count) and ``redactions`` (a
count). Everything richer — each item with its fields and source documents, each redaction with
what it hid — is in ``DisclosureContent``; a version of it moves through ``DisclosureState``.

Every text in a ``DisclosureContent`` has passed redaction (``disclosure.redactor``): the content
is what may leave the archive. The redaction list (``Redaction.original``) is the one place the
hidden values stay, and it is kept in the catalog for the reviewer; it never goes into a package.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import Field

from schemas.base import Schema
from schemas.timestamps import UtcDateTime


class DisclosureState(StrEnum):
    """draft → reviewed (archivist) → approved (approver) → published; published → retracted."""

    DRAFT = "draft"
    REVIEWED = "reviewed"
    APPROVED = "approved"
    PUBLISHED = "published"
    RETRACTED = "retracted"
    SUPERSEDED = "superseded"  # an unpublished version replaced by a newer draft


DueStatus = Literal["disclosed", "disclosed_late", "overdue", "pending", "withheld", "undated"]
RedactionKind = Literal["id_number", "id_suspect", "mobile", "bank_account", "address", "person_name", "manual"]


class DisclosureField(Schema):
    """One element of an item (批复文号, 中标人 …): its text as published, or missing."""

    label: str
    value: str | None = Field(default=None, description="the text as published (redacted); None when missing")
    documents: list[str] = Field(default_factory=list, description="ids of the documents it was read from")

    @property
    def missing(self) -> bool:
        return self.value is None


class SourceDocument(Schema):
    document_id: str
    title: str = Field(description="the document's title as published (redacted)")
    date: dt.date | None = None


class DisclosureItem(Schema):
    """One disclosable piece of information (a 批复, the 中标结果, one 重大设计变更 …)."""

    key: str = Field(description="stable across versions: category/item[/document id]")
    category: str = Field(description="category id (disclosure/data/categories.yaml)")
    name: str = Field(description="the item's Chinese name, e.g. 中标结果")
    fields: list[DisclosureField]
    sources: list[SourceDocument] = Field(default_factory=list)
    formed: dt.date | None = Field(default=None, description="when the information was formed or last changed")
    limit_days: int = Field(ge=1, description="working days allowed: 20, or 7 for 行政许可/处罚")
    due: dt.date | None = None
    due_approximate: bool = Field(default=False, description="the count crossed a year the holiday calendar lacks")
    withheld: str | None = Field(default=None, description="the reviewer's reason for not publishing it")

    @property
    def missing(self) -> list[str]:
        return [f.label for f in self.fields if f.value is None]


class DisclosureCategory(Schema):
    id: str
    name: str = Field(description="the category's Chinese name, e.g. 招标投标信息")
    basis: str
    empty_note: str = Field(description="what the page says when the archive holds nothing of this category")
    items: list[DisclosureItem] = Field(default_factory=list)

    @property
    def published_items(self) -> list[DisclosureItem]:
        return [item for item in self.items if item.withheld is None]


class Redaction(Schema):
    """A value kept out of the package: what kind, where it was, and what stands in its place."""

    id: int
    kind: RedactionKind
    kind_name: str = Field(description="e.g. 身份证号")
    original: str = Field(description="the hidden text (catalog and reviewer only; never in a package)")
    replacement: str
    where: Literal["content", "source"] = Field(
        description="content: it stood in a published text and was replaced; source: it is in a source "
                    "document's body, which is not published (listed so the reviewer sees it)")
    item_key: str | None = None
    field: str | None = None
    document_id: str | None = None
    by: str = Field(default="自动", description="自动 (the rules) or the reviewer who added it")
    reason: str | None = None


class DisclosureContent(Schema):
    """What a version freezes: the items per category and the redactions made to produce them."""

    project: str
    project_name: str | None = None
    owner: str | None = Field(default=None, description="建设单位 (公开主体)")
    office_building: bool = Field(description="a 机关 office building: 楼堂馆所管理条例 第十九条 items apply")
    generated_at: UtcDateTime
    categories: list[DisclosureCategory]
    redactions: list[Redaction] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list, description="what the package says about itself")


class PackageFile(Schema):
    name: str
    sha256: str
    size: int


class VersionStamps(Schema):
    """Who moved a version through the workflow, and when (shared by a version and its history line)."""

    number: int
    state: DisclosureState
    created_by: str
    created_at: UtcDateTime
    reviewed_by: str | None = None
    reviewed_at: UtcDateTime | None = None
    approved_by: str | None = None
    approved_at: UtcDateTime | None = None
    published_by: str | None = None
    published_at: UtcDateTime | None = None
    retracted_by: str | None = None
    retracted_at: UtcDateTime | None = None
    retraction_reason: str | None = None
    package_sha256: str | None = Field(default=None, description="sha256 of the package manifest (published only)")


class DisclosureVersion(VersionStamps):
    """One version of a project's disclosure and where it stands in the workflow."""

    project: str
    files: list[PackageFile] = Field(default_factory=list)
    content: DisclosureContent


class DisclosureHistoryEntry(VersionStamps):
    """A version without its content, for the history list."""

    items: int = 0
    redactions: int = 0


class CategoryCount(Schema):
    name: str
    items: int


class DisclosureSummary(Schema):
    """The ``jiandang disclose --json`` contract: scripts depend on exactly these keys."""

    path: str
    categories: list[CategoryCount]
    redactions: int

    @classmethod
    def of(cls, path: str, content: DisclosureContent) -> DisclosureSummary:
        """Counts as published: a withheld item is not one of a category's items."""
        return cls(path=path, redactions=len(content.redactions),
                   categories=[CategoryCount(name=c.name, items=len(c.published_items)) for c in content.categories])


class DueItem(Schema):
    """C24: one disclosable item's deadline and whether a published version met it."""

    project: str
    key: str
    category: str
    category_name: str
    item: str
    formed: dt.date | None
    limit_days: int
    due: dt.date | None
    approximate: bool = False
    status: DueStatus
    published_at: UtcDateTime | None = None
    overdue_days: int | None = Field(default=None, description="working days past the due date (overdue / late)")


class DisclosureHistoryPage(Schema):
    total: int
    limit: int
    offset: int
    items: list[DisclosureHistoryEntry] = Field(default_factory=list)


class DuePage(Schema):
    """A page of the due list (one project's, or every project's overdue items)."""

    total: int
    limit: int
    offset: int
    items: list[DueItem] = Field(default_factory=list)
