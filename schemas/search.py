"""The search contract: what a caller asks and what comes back, independent of the engine."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from schemas.base import Schema

# meta key of the index document that carries the 施工单位 party (contractor: filter)
CONTRACTOR = "contractor"
FACET_FIELDS = ("project", "class_code", "year", "doc_type")


class SearchQuery(Schema):
    """A keyword search with filters. ``text`` is our own query language, parsed in ``search``."""

    text: str
    project: str | None = None
    class_code: str | None = Field(default=None, description="a class letter (C) or a sub-class (C2)")
    doc_type: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    amount_min: float | None = None
    amount_max: float | None = None
    contractor: str | None = Field(default=None, description="施工单位 (a part of the name is enough)")
    year: int | None = None
    sort: Literal["relevance", "date"] | None = Field(
        default=None, description="None: as the query text says (sort:date), else relevance"
    )
    facets: bool = Field(default=True, description="count matches by project, class, year and type")
    limit: int = Field(default=10, ge=1, le=1000)
    offset: int = Field(default=0, ge=0)


class SearchHit(Schema):
    id: str
    title: str | None
    original_name: str | None
    project: str | None
    class_code: str | None
    score: float
    highlights: list[str] = Field(default_factory=list)


class SearchResult(Schema):
    total: int
    hits: list[SearchHit] = Field(default_factory=list)
    sort: Literal["relevance", "date"] = "relevance"
    facets: dict[str, dict[str, int]] = Field(
        default_factory=dict, description="facet (project, class_code, year, doc_type) → value → matches"
    )


class SavedSearch(Schema):
    """A named query an auditor runs again (``jiandang saved``)."""

    name: str
    query: SearchQuery
    created_by: str
    created_at: str


class SavedSearchList(Schema):
    searches: list[SavedSearch] = Field(default_factory=list)


class ExportReport(Schema):
    path: str
    rows: int
    total: int


class IndexCheckReport(Schema):
    """``jiandang check-index``: where the index and the catalog disagree, and what was repaired."""

    catalog: int
    index: int
    missing_from_index: list[str] = Field(default_factory=list)
    not_in_catalog: list[str] = Field(default_factory=list)
    stale: list[str] = Field(default_factory=list, description="marked indexed in the catalog but absent")
    repaired: bool = False
    in_sync: bool = True
