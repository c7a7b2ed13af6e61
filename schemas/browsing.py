"""Browsing without a keyword: a project's filing as 类 → 属类 → 案卷 → 卷内, with the bundle's 档号.

The 档号 here are exactly those the handover bundle would print today (the same plan, the same
rule), so an archivist can read a code off the screen and find it in the bundle's 卷内目录.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from schemas.api import DocumentSummary
from schemas.base import Schema

BrowseSort = Literal["archive_code", "date", "title", "arrival"]


class BrowseQuery(Schema):
    """Filters and order of a document list; every filter is optional."""

    project: str | None = None
    class_code: str | None = Field(default=None, description="a class letter (C) or a sub-class (C2)")
    volume: str | None = Field(default=None, description="a 案卷档号: that volume's documents only")
    doc_type: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    status: str | None = Field(default=None, description="received, processed or quarantined")
    needs_review: bool | None = None
    sort: BrowseSort = "archive_code"
    descending: bool = False
    limit: int = Field(default=50, ge=1, le=500)
    offset: int = Field(default=0, ge=0)


class BrowseRow(DocumentSummary):
    archive_code: str | None = Field(default=None, description="档号 as the handover bundle assigns it today")
    volume: str | None = Field(default=None, description="案卷档号")
    retention: str | None = Field(default=None, description="保管期限 (the archivist's, else the filing plan's)")
    secrecy: str | None = None
    number: str | None = Field(default=None, description="文件编号 / 图号")
    amount: float | None = None


class BrowsePage(Schema):
    total: int
    limit: int
    offset: int
    sort: BrowseSort = "archive_code"
    items: list[BrowseRow] = Field(default_factory=list)


class VolumeRow(Schema):
    """One 案卷 of a project: its 档号, title, how many 件, dates and 保管期限."""

    code: str
    class_code: str
    class_name: str
    item_code: str | None = None
    item_name: str
    title: str
    documents: int
    date_from: str | None = None
    date_to: str | None = None
    retention: str | None = None
    unfiled: bool = False


class VolumePage(Schema):
    total: int
    limit: int
    offset: int
    items: list[VolumeRow] = Field(default_factory=list)


class SubClassNode(Schema):
    code: str
    name: str
    documents: int = 0
    volumes: int = 0


class ClassNode(Schema):
    code: str
    name: str
    documents: int = 0
    subclasses: list[SubClassNode] = Field(default_factory=list)


class FilingTree(Schema):
    """A project's classes and sub-classes with counts (only the ones that hold documents)."""

    project: str
    documents: int
    classes: list[ClassNode] = Field(default_factory=list)
    doc_types: list[str] = Field(default_factory=list, description="document types present, for the filter")


class Placement(Schema):
    """Where one document sits in its project's filing (the document page's 档号 line)."""

    archive_code: str | None = None
    volume: str | None = None
    volume_title: str | None = None
    piece: int | None = None
    retention: str | None = None
