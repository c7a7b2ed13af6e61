"""The query-string form of a search, shared by every endpoint that runs one (search, export)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from fastapi import Query
from pydantic import BeforeValidator

from core.errors import InputError
from schemas.search import SearchQuery

QUERY_TEXT = Query(min_length=1, max_length=500, description='keywords; "phrase", OR, -exclude, sort:date',
                   examples=["设计变更"])
PROJECT = Query(max_length=64, examples=["JD-2024-001"])
CLASS = Query(max_length=8, description="a class letter (C) or sub-class (C2)", examples=["C"])
AMOUNT = Query(ge=-1e15, le=1e15, description="金额 in yuan")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date_only(value: object) -> object:
    """Only ``YYYY-MM-DD``: pydantic would also take ``0`` (a Unix time) or ``2024-01-01T00:00``."""
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.match(value)):
        return value
    raise ValueError("a date is written YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]


async def search_filters(
    q: Annotated[str, QUERY_TEXT],
    project: Annotated[str | None, PROJECT] = None,
    class_code: Annotated[str | None, CLASS] = None,
    doc_type: Annotated[str | None, Query(max_length=64, examples=["验收记录"])] = None,
    date_from: Annotated[IsoDate | None, Query(examples=["2024-01-01"])] = None,
    date_to: Annotated[IsoDate | None, Query(examples=["2024-12-31"])] = None,
    amount_min: Annotated[float | None, AMOUNT] = None,
    amount_max: Annotated[float | None, AMOUNT] = None,
) -> SearchQuery:
    """A ``SearchQuery`` without paging (each endpoint pages its own way).

    ``async`` only so that it runs on the event loop: it never blocks, and a plain ``def``
    dependency would cost every search a hand-over to a worker thread and back.
    """
    if not q.strip():
        raise InputError("the query is empty: give at least one keyword", field="q")
    return SearchQuery(text=q, project=project, class_code=class_code, doc_type=doc_type, date_from=date_from,
                       date_to=date_to, amount_min=amount_min, amount_max=amount_max)
