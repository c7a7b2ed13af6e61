"""Rendering a web UI page: the template, the signed-in person, and the Chinese words of the catalogue.

Every page (error pages too) gets the same context, so the navigation bar, the 退出 button and
the names of statuses and actions are always there. Words come from the message catalogue
(``core/messages/data/zh-CN.yaml``) through the filters installed here, never from strings
scattered through templates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates

from api.security import csrf_token_for
from core.security.accounts import allowed
from schemas.api import Permission

_CJK = re.compile(r"[\u4e00-\u9fff]")
HEX_ID = re.compile(r"^[0-9a-fA-F]{4,32}$")


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    principal = getattr(request.state, "principal", None)
    secret = getattr(request.state, "session_secret", None)

    def can(permission: str) -> bool:
        """For templates: show a button only to those whose role may use it (the server checks anyway)."""
        return principal is not None and allowed(principal.role, Permission(permission))

    service = request.app.state.service
    context.update(principal=principal, csrf=csrf_token_for(secret) if secret else "", can=can,
                   display_name=_display_name(request, principal), here_path=request.url.path,
                   class_names=ReadWhenUsed(lambda: service.workbench.class_names))
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status_code)


class ReadWhenUsed(Mapping[str, str]):
    """A mapping built the first time a template reads it.

    The class names come from the filing rules, which a starting server builds on its warm-up
    thread (seconds of imports); a page that shows no class (the login page) must not wait for
    them: it did, and ``/login`` answered only when the warm-up was done.
    """

    def __init__(self, build: Callable[[], Mapping[str, str]]) -> None:
        self._build = build
        self._mapping: Mapping[str, str] | None = None

    def _read(self) -> Mapping[str, str]:
        if self._mapping is None:
            self._mapping = self._build()
        return self._mapping

    def __getitem__(self, key: str) -> str:
        return self._read()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())


def _display_name(request: Request, principal: Any) -> str:
    if principal is None:
        return ""
    cached = getattr(request.app.state, "display_names", None)
    if cached is None or principal.username not in cached:
        cached = {u.username: u.display_name or u.username for u in request.app.state.service.accounts.users()}
        request.app.state.display_names = cached
    return cached.get(principal.username, principal.username)


def display_names(service: Any) -> dict[str, str]:
    """User name → display name (李档案 for lidangan), for who did what on a page."""
    return {u.username: u.display_name or u.username for u in service.accounts.users()}


def safe_next(target: str | None) -> str:
    """Only local paths: never an open redirect to another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def people_message(message: str, code: str, subject: dict[str, Any], status: int, request: Request) -> str:
    """What an error says on a page: a message already written in Chinese, else the catalogue's sentence."""
    if _CJK.search(message) and not re.search(r"[A-Za-z]{4,}", message):
        return message
    return request.app.state.service.catalogue.error(code, subject, status)


def install_filters(templates: Jinja2Templates, request_service: Any) -> None:
    """Template filters and globals that read the catalogue and the local clock of the service."""
    env = templates.env

    def service() -> Any:
        return request_service()

    env.filters["cn"] = lambda code, section: service().catalogue.name(section, code)
    env.filters["action_name"] = lambda code: service().catalogue.action(code)
    env.filters["local"] = lambda moment, seconds=False: service().clock.format(moment, seconds=seconds)
    env.filters["number"] = lambda value: f"{value:,}" if isinstance(value, int) else value
    env.filters["yuan"] = lambda value: f"{value:,.2f} 元" if isinstance(value, int | float) else ""
    env.globals["catalogue"] = lambda: service().catalogue
