"""Search extras for auditors over HTTP: export a result list, saved searches, "more like this".

Thin: each route calls what the command line already uses (``ArchiveService.export_search``,
``saved_searches``, ``more_like_this``) and writes its own audit entry with the client's address.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path as FilePath
from typing import Annotated, Literal

from annotated_types import Interval
from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict
from starlette.background import BackgroundTask

from api.auditing import audit
from api.nul import VISIBLE
from api.routes_documents import ERRORS, DocId, Limit, Offset, content_disposition
from api.search_params import IsoDate, search_filters
from api.security import principal_of
from core.errors import InputError, PermissionDenied
from core.searching.search_audit import query_detail
from core.security.audit import AuditAction
from schemas.api import SavedSearchPage
from schemas.search import SavedSearch, SearchQuery, SearchResult

router = APIRouter(prefix="/api", responses=ERRORS)
SavedName = Annotated[str, Path(min_length=1, max_length=100, examples=["2024年设计变更"])]
EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.get("/search/export", name="export_search", response_class=FileResponse, tags=["search"],
            responses={200: {"content": {media: {} for media in EXPORT_TYPES.values()},
                             "description": "every match as a working paper"}})
def export_search(
    request: Request,
    filters: Annotated[SearchQuery, Depends(search_filters)],
    format: Annotated[Literal["csv", "xlsx"], Query(description="csv (UTF-8, Excel-readable) or xlsx")] = "xlsx",
) -> FileResponse:
    """Every match of the search (all pages) as CSV or XLSX with links back to each document. Audited."""
    principal = principal_of(request)
    folder = FilePath(tempfile.mkdtemp(prefix="jiandang-export-"))
    name = f"检索结果-{datetime.now(UTC):%Y%m%d-%H%M%S}.{format}"
    try:
        report = request.app.state.service.export_search(filters, folder / name, principal.username,
                                                         audit_trail=False,
                                                         link_base=str(request.base_url).rstrip("/") + "/documents")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    audit(request, AuditAction.EXPORT, None, what="search results", query=query_detail(filters), rows=report.rows,
          format=format)
    return FileResponse(folder / name, media_type=EXPORT_TYPES[format],
                        headers={"Content-Disposition": content_disposition("attachment", name)},
                        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True))


@router.get("/documents/{doc_id}/similar", name="similar_documents", response_model=SearchResult, tags=["search"])
def similar_documents(request: Request, doc_id: DocId,
                      limit: Annotated[int, Query(ge=1, le=100, description="page size")] = 10) -> SearchResult:
    """Documents most like this one (shared telling words), best first. Audited as a search."""
    result = request.app.state.service.more_like_this(doc_id, limit=limit)
    audit(request, AuditAction.SEARCH, None, query={"text": f"more-like:{doc_id}"}, total=result.total)
    return result


StrictAmount = Annotated[float, Strict(), Interval(ge=-1e15, le=1e15)]


def _json_number_only(value: object) -> object:
    """JSON Schema's integer: 2024 or 2024.0, but neither "2024" nor true (pydantic's lax mode takes both)."""
    if isinstance(value, bool | str):
        raise ValueError("a year is a number, like 2024")
    return value


Year = Annotated[int, Interval(ge=1900, le=2200), BeforeValidator(_json_number_only)]


class SavedQuery(BaseModel):
    """What a saved search keeps: the words and the filters, never a page position."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=500, description="the query language, as in /api/search?q=")
    project: str | None = Field(default=None, max_length=64)
    class_code: str | None = Field(default=None, max_length=8)
    doc_type: str | None = Field(default=None, max_length=64)
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None
    amount_min: StrictAmount | None = None
    amount_max: StrictAmount | None = None
    contractor: str | None = Field(default=None, max_length=128)
    year: Year | None = None
    sort: Literal["relevance", "date"] | None = None

    def search_query(self) -> SearchQuery:
        return SearchQuery(**self.model_dump())


class NewSavedSearch(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"name": "2024年设计变更", "query": {"text": "设计变更", "project": "JD-2024-001", "class_code": "C"}}]})

    name: str = Field(min_length=1, max_length=100, pattern=VISIBLE)
    query: SavedQuery


@router.get("/saved-searches", name="list_saved_searches", response_model=SavedSearchPage, tags=["search"])
def list_saved_searches(request: Request, limit: Limit = 50, offset: Offset = 0) -> SavedSearchPage:
    """Named queries the auditors keep (shared by everyone who may search)."""
    searches = request.app.state.service.saved_searches.list().searches
    return SavedSearchPage(total=len(searches), limit=limit, offset=offset, items=searches[offset:offset + limit])


@router.post("/saved-searches", name="save_search", response_model=SavedSearch, status_code=201, tags=["search"])
def save_search(request: Request, body: NewSavedSearch) -> SavedSearch:
    """Save a query under a name (replacing one of the same name); the query is checked first. Audited."""
    if not body.name.strip():
        raise InputError("a saved search needs a name", field="name")
    service = request.app.state.service
    query = body.query.search_query()
    service.search(query.model_copy(update={"limit": 1, "facets": False}))
    saved = service.saved_searches.add(body.name.strip(), query, principal_of(request).username)
    audit(request, "search.save", saved.name, query=query_detail(saved.query))
    return saved


@router.get("/saved-searches/{name}/results", name="run_saved_search", response_model=SearchResult,
            tags=["search"])
def run_saved_search(request: Request, name: SavedName, limit: Limit = 10, offset: Offset = 0) -> SearchResult:
    """Run a saved search (audited like any search)."""
    service = request.app.state.service
    query = service.saved_searches.get(name).query.model_copy(update={"limit": limit, "offset": offset})
    result = service.search(query)
    audit(request, AuditAction.SEARCH, None, saved=name, query=query_detail(query), total=result.total)
    return result


@router.delete("/saved-searches/{name}", name="remove_saved_search", response_model=SavedSearch, tags=["search"])
def remove_saved_search(request: Request, name: SavedName) -> SavedSearch:
    """Forget a saved search: its author or an admin may. Audited."""
    principal = principal_of(request)
    saved = request.app.state.service.saved_searches.get(name)
    if saved.created_by != principal.username and principal.role.value != "admin":
        raise PermissionDenied(f"saved search {name!r} belongs to {saved.created_by}", name=name)
    request.app.state.service.saved_searches.remove(name)
    audit(request, "search.saved_remove", name)
    return saved
