"""The search contract: what a caller asks and what comes back, independent of the engine."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class SearchQuery(BaseModel):
    """A keyword search with filters. ``text`` is our own query language, parsed in ``search``."""

    text: str
    project: str | None = None
    class_code: str | None = Field(default=None, description="a class letter (C) or a sub-class (C2)")
    doc_type: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    amount_min: float | None = None
    amount_max: float | None = None
    limit: int = Field(default=10, ge=1, le=1000)
    offset: int = Field(default=0, ge=0)


class SearchHit(BaseModel):
    id: str
    title: str | None
    original_name: str | None
    project: str | None
    class_code: str | None
    score: float
    highlights: list[str] = Field(default_factory=list)


class SearchResult(BaseModel):
    total: int
    hits: list[SearchHit] = Field(default_factory=list)
