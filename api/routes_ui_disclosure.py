"""The disclosure page: a project's 阳光工程 disclosure as it will be published (the package's own
index.html, framed), every redaction with what it hid, the reviewer's additions and withheld
items, the workflow buttons the viewer's role may use, the due list and the version history.

Forms post back here (CSRF-checked by ``authorize``) and redirect to the page; a refused step (an
unapproved version cannot be published, a reviewer cannot approve their own review) comes back
as a message on the page, in Chinese.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.auditing import audit
from api.routes_disclosure import STEPS, VIEW, FileName, Number, as_seen_by, media_type
from api.routes_ui import page
from api.security import principal_of
from core.errors import ArchiveError
from schemas.disclosure import DisclosureState

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
Code = Annotated[str, Path(min_length=1, max_length=64)]
LOCAL_TIME = ZoneInfo("Asia/Shanghai")
STATE_ZH = {DisclosureState.DRAFT: "草稿", DisclosureState.REVIEWED: "已审核，待批准",
            DisclosureState.APPROVED: "已批准，待发布", DisclosureState.PUBLISHED: "已发布",
            DisclosureState.RETRACTED: "已撤回", DisclosureState.SUPERSEDED: "已被新草稿取代"}
STATUS_ZH = {"disclosed": "已按时公开", "disclosed_late": "逾期后公开", "overdue": "逾期未公开", "pending": "待公开",
             "withheld": "不予公开", "undated": "无形成日期"}
WHERE_ZH = {"content": "公开内容中", "source": "来源文件正文（不公开）"}
STEP_ZH = {"review": "审核通过", "return": "退回修改", "approve": "批准发布", "publish": "发布", "retract": "撤回"}


def local(moment: datetime | None) -> str:
    if moment is None:
        return "—"
    aware = moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("UTC"))
    return aware.astimezone(LOCAL_TIME).strftime("%Y-%m-%d %H:%M")


def _target(code: str, message: str | None = None) -> RedirectResponse:
    url = f"/projects/{quote(code)}/disclosure" + (f"?error={quote(message[:300])}" if message else "")
    return RedirectResponse(url, status_code=303)


@router.get("/projects/{code}/disclosure", name="ui_disclosure")
def ui_disclosure(request: Request, code: Code, error: str = "") -> Response:
    room = request.app.state.service.disclosure
    version = room.version(code)
    if version is not None:
        audit(request, VIEW, code, version=version.number, via_ui=True)
        version = as_seen_by(request, version)
    items = [item for category in version.content.categories for item in category.items] if version else []
    names = {item.key: item.name for item in items}
    sources = {s.document_id: s.title for item in items for s in item.sources}
    return page(request, "disclosure.html", code=code, version=version, items=items, names=names, sources=sources,
                history=room.history(code), due=room.due(code), state_zh=STATE_ZH, status_zh=STATUS_ZH,
                where_zh=WHERE_ZH, step_zh=STEP_ZH, local=local, error=error[:300],
                editable=version is not None and version.state is DisclosureState.DRAFT)


def _run(request: Request, code: str, call) -> Response:  # type: ignore[no-untyped-def]
    try:
        call(principal_of(request).username)
    except ArchiveError as exc:
        return _target(code, exc.message)
    return _target(code)


@router.post("/projects/{code}/disclosure/draft", name="ui_disclosure_draft")
def ui_disclosure_draft(request: Request, code: Code) -> Response:
    return _run(request, code, lambda who: request.app.state.service.disclosure.draft(code, who))


@router.post("/projects/{code}/disclosure/redactions", name="ui_disclosure_redact")
def ui_disclosure_redact(request: Request, code: Code, text: Annotated[str, Form(max_length=200)],
                         reason: Annotated[str, Form(max_length=500)] = "") -> Response:
    return _run(request, code, lambda who: request.app.state.service.disclosure.add_redaction(
        code, text, reason or None, who))


@router.post("/projects/{code}/disclosure/withheld", name="ui_disclosure_withhold")
def ui_disclosure_withhold(request: Request, code: Code, item: Annotated[str, Form(max_length=200)],
                           reason: Annotated[str, Form(max_length=500)] = "",
                           release: Annotated[str, Form(max_length=5)] = "") -> Response:
    return _run(request, code, lambda who: request.app.state.service.disclosure.withhold(
        code, item, None if release else reason, who))


def _ui_step(action: str) -> None:
    def take_step(request: Request, code: Code, number: Number,
                  reason: Annotated[str, Form(max_length=500)] = "") -> Response:
        return _run(request, code, lambda who: request.app.state.service.disclosure.act(
            code, number, action, who, reason or None))

    router.add_api_route(f"/projects/{{code}}/disclosure/{{number}}/{action}", take_step, methods=["POST"],
                         name=f"ui_disclosure_{action}")


for _action in STEPS:
    _ui_step(_action)


@router.get("/projects/{code}/disclosure/{number}/files/{name}", name="ui_disclosure_file")
def ui_disclosure_file(request: Request, code: Code, number: Number, name: FileName) -> Response:
    """A package file as the public will get it (a version not yet published is marked 草稿)."""
    files, _content, _meta = request.app.state.service.disclosure.package(code, number)
    audit(request, VIEW, code, version=number, file=name.value, via_ui=True)
    disposition = "inline" if name.value.endswith((".html", ".json")) else "attachment"
    return Response(files[name.value], media_type=media_type(name.value),
                    headers={"content-disposition": f'{disposition}; filename="{name.value}"',
                             "x-frame-options": "SAMEORIGIN"})
