"""Projects and browsing by filing: the project list (and 新建项目), a project's page with its 类 → 案卷 →
卷内 tree and document list (档号 as in the handover bundle), 案卷目录, renaming and merging projects,
and the archive-wide document list for browsing without a keyword.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.auditing import audit
from api.browse_params import SORT_NAMES, browse_query, query_string
from api.pages import page
from api.security import principal_of
from core.errors import ArchiveError
from schemas.browsing import BrowseQuery
from schemas.projects import NewProject, ProjectChange

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
ProjectCode = Annotated[str, Path(min_length=1, max_length=64)]
Text = Annotated[str, Form(max_length=255)]


@router.get("/projects", name="ui_projects")
def ui_projects(request: Request) -> Response:
    return page(request, "projects.html", projects=request.app.state.service.list_projects(), error=None, form={})


@router.post("/projects", name="ui_add_project")
def ui_add_project(request: Request, code: Annotated[str, Form(max_length=64)], name: Text, owner: Text = "",
                   area: Annotated[str, Form(max_length=100)] = "",
                   investment: Annotated[str, Form(max_length=100)] = "",
                   location: Annotated[str, Form(max_length=200)] = "") -> Response:
    """新建项目: refused with the reason on the same form (the form keeps what was typed)."""
    service = request.app.state.service
    figures = {k: v.strip() for k, v in (("建筑面积", area), ("投资额", investment), ("建设地点", location)) if v.strip()}
    try:
        new = NewProject(code=code.strip(), name=name, owner=owner or None, figures=figures)
        summary = service.projects.add(new, principal_of(request).username)
    except (ArchiveError, ValueError) as exc:
        message = (service.catalogue.error("input_error", {"code": code}) if isinstance(exc, ValueError)
                   else service.catalogue.error("already_exists", {"project": code}, 409))
        form = {"code": code, "name": name, "owner": owner, "area": area, "investment": investment,
                "location": location}
        return page(request, "projects.html", status_code=400, projects=service.list_projects(), error=message,
                    form=form)
    audit(request, "project.add", summary.code, name=summary.name, owner=summary.owner, figures=figures)
    return RedirectResponse(f"/projects/{quote(summary.code)}", status_code=303)


@router.get("/projects/{code}", name="ui_project")
def ui_project(request: Request, code: ProjectCode, query: Annotated[BrowseQuery, Depends(browse_query)]) -> Response:
    """The project: its record, completeness at a glance, the filing tree and the documents in 档号 order."""
    service = request.app.state.service
    summary = service.projects.summary(code)
    query = query.model_copy(update={"project": code})
    listing = service.workbench.browse(query)
    tree = service.workbench.filing_tree(code) if summary.kind == "project" else None
    return page(request, "project.html", project=summary, listing=listing, tree=tree, query=query,
                sort_names=SORT_NAMES,
                filters=query_string(query), projects=service.list_projects(),
                here=f"/projects/{quote(code)}?" + urlencode(query_string(query, offset=query.offset or None)),
                subclasses=service.filing_subclasses())


@router.get("/projects/{code}/completeness", name="ui_completeness")
def ui_completeness(request: Request, code: ProjectCode) -> Response:
    """完整性: what the project's archive has and lacks, by checklist item and stage.

    Its own page, not part of the project page: the check reads every document of the project
    (seconds on 10,000 documents); core keeps the report per catalog generation, so only the first
    view after a change pays, and a slow recompute shows the previous report meanwhile.
    """
    service = request.app.state.service
    summary = service.projects.summary(code)
    report, error = None, None
    try:
        report = service.completeness(code, rehash_originals=False, cached=True)
    except ArchiveError as exc:
        error = service.catalogue.error("input_error", {}) if summary.kind == "tray" else exc.message
    return page(request, "completeness.html", project=summary, completeness=report, completeness_error=error)


@router.get("/projects/{code}/volumes", name="ui_volumes")
def ui_volumes(request: Request, code: ProjectCode, class_code: Annotated[str, Query(max_length=8)] = "") -> Response:
    """案卷目录: one row per volume, with its 档号, 件数, dates and 保管期限."""
    service = request.app.state.service
    summary = service.projects.summary(code)
    return page(request, "volumes.html", project=summary, class_code=class_code,
                volumes=service.workbench.volumes(code, class_code or None), tree=service.workbench.filing_tree(code))


@router.get("/projects/{code}/edit", name="ui_project_edit")
def ui_project_edit(request: Request, code: ProjectCode) -> Response:
    service = request.app.state.service
    return page(request, "project_edit.html", project=service.projects.summary(code),
                projects=[p for p in service.list_projects() if p.kind == "project" and p.code != code])


@router.post("/projects/{code}/edit", name="ui_change_project")
def ui_change_project(request: Request, code: ProjectCode, new_code: Annotated[str, Form(max_length=64)] = "",
                      name: Text = "", owner: Text = "", area: Annotated[str, Form(max_length=100)] = "",
                      investment: Annotated[str, Form(max_length=100)] = "",
                      location: Annotated[str, Form(max_length=200)] = "") -> Response:
    service = request.app.state.service
    figures = {k: v.strip() for k, v in (("建筑面积", area), ("投资额", investment), ("建设地点", location)) if v.strip()}
    wanted = ProjectChange(code=new_code.strip() or None, name=name.strip() or None, owner=owner.strip(),
                           figures=figures)
    summary, changed = service.projects.change(code, wanted, principal_of(request).username)
    if changed:
        audit(request, "project.rename", summary.code, changed=changed)
    return RedirectResponse(f"/projects/{quote(summary.code)}", status_code=303)


@router.post("/projects/{code}/merge", name="ui_merge_project")
def ui_merge_project(request: Request, code: ProjectCode, into: Annotated[str, Form(min_length=1, max_length=64)]) -> Response:
    service = request.app.state.service
    report = service.projects.merge(code, into, principal_of(request).username)
    audit(request, "project.merge", code, into=into, moved=report.moved)
    return RedirectResponse(f"/projects/{quote(into)}", status_code=303)


@router.get("/documents", name="ui_browse")
def ui_browse(request: Request, query: Annotated[BrowseQuery, Depends(browse_query)],
              project: Annotated[str, Query(max_length=64)] = "") -> Response:
    """Every document, no keyword needed: filter by project, class, type, dates, status, review; sort; page."""
    service = request.app.state.service
    if project:
        target = f"/projects/{quote(project)}"
        params = query_string(query)
        return RedirectResponse(target + ("?" + urlencode(params) if params else ""), status_code=303)
    if query.sort == "archive_code":
        query = query.model_copy(update={"sort": "arrival"})  # 档号 order is a project's; across projects: newest first
    listing = service.workbench.browse(query)
    return page(request, "browse.html", listing=listing, query=query, sort_names=SORT_NAMES,
                filters=query_string(query), projects=service.list_projects(),
                here="/documents?" + urlencode(query_string(query, offset=query.offset or None)),
                subclasses=service.filing_subclasses())
