"""The query string of a document list (browsing without a keyword), shared by the page and the API."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import Query

from core.errors import InputError
from schemas.browsing import BrowseQuery

DAY = r"^(\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))?$"  # empty (no filter) or a calendar-shaped date
SORT_NAMES = {"archive_code": "档号", "date": "文件日期", "title": "题名", "arrival": "接收时间"}
STATES = {"processed": "processed", "quarantined": "quarantined", "received": "received"}


def typed_date(text: str | None) -> date | None:
    """A date typed into a form (``YYYY-MM-DD``; empty: none); anything else is a Chinese refusal."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"日期格式应为 YYYY-MM-DD：{text!r}", date=text) from None


def browse_query(
    project: Annotated[str, Query(max_length=64, examples=["JD-2024-001"])] = "",
    class_code: Annotated[str, Query(max_length=8, examples=["C2"], description="a class letter or sub-class")] = "",
    volume: Annotated[str, Query(max_length=120, examples=["JD-2024-001-C2-003"], description="a 案卷档号")] = "",
    doc_type: Annotated[str, Query(max_length=64, examples=["设计变更通知单"])] = "",
    date_from: Annotated[str, Query(max_length=10, pattern=DAY, examples=["2024-03-01"], description="YYYY-MM-DD")] = "",
    date_to: Annotated[str, Query(max_length=10, pattern=DAY, examples=["2024-03-31"], description="YYYY-MM-DD")] = "",
    status: Annotated[Literal["", "processed", "quarantined", "received"], Query()] = "",
    review: Annotated[Literal["", "yes", "no"], Query(description="needs review: yes / no")] = "",
    sort: Annotated[Literal["archive_code", "date", "title", "arrival"], Query()] = "archive_code",
    desc: Annotated[bool, Query(description="reverse the order")] = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> BrowseQuery:
    return BrowseQuery(project=project or None, class_code=class_code or None, volume=volume or None,
                       doc_type=doc_type or None, date_from=typed_date(date_from), date_to=typed_date(date_to),
                       status=status or None, needs_review={"yes": True, "no": False}.get(review),
                       sort=sort, descending=desc, limit=limit, offset=offset)


def query_string(query: BrowseQuery, **override: object) -> dict[str, str]:
    """The filters of ``query`` as URL parameters (paging left out unless overridden)."""
    values: dict[str, object] = {
        "class_code": query.class_code, "volume": query.volume, "doc_type": query.doc_type,
        "date_from": query.date_from, "date_to": query.date_to, "status": query.status,
        "review": {True: "yes", False: "no"}.get(query.needs_review) if query.needs_review is not None else None,
        "sort": query.sort if query.sort != "archive_code" else None, "desc": "true" if query.descending else None,
    }
    values.update(override)
    return {k: str(v) for k, v in values.items() if v not in (None, "")}
