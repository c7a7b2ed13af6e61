"""Health, the caller, the audit trail, users and tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from api.auditing import audit
from api.routes_documents import ERRORS, Limit, Offset
from api.security import principal_of
from core.browsing.listing import DocumentFilter
from core.security.accounts import USERNAME
from core.security.audit import AuditAction
from schemas.api import (
    AuditPage,
    AuditVerifyReport,
    ErrorBody,
    HealthReport,
    IssuedToken,
    Principal,
    Role,
    TokenRecord,
    UserPage,
    UserRecord,
)

router = APIRouter(prefix="/api", responses=ERRORS)


@router.get("/health", name="health", response_model=HealthReport, tags=["system"])
def health(request: Request) -> HealthReport:
    """Liveness and a document count; needs no login."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        release = version("jiandang")
    except PackageNotFoundError:
        release = "dev"
    documents = request.app.state.service.list_documents(DocumentFilter(), limit=1).total
    return HealthReport(version=release, documents=documents)


@router.get("/me", name="me", response_model=Principal, tags=["accounts"])
def me(request: Request) -> Principal:
    """Who the credentials belong to, and how they were sent."""
    return principal_of(request)


@router.get("/audit", name="read_audit_log", response_model=AuditPage, tags=["audit"])
def read_audit_log(
    request: Request,
    actor: Annotated[str | None, Query(max_length=128, examples=["auditor-张"])] = None,
    action: Annotated[str | None, Query(max_length=64, description="prefix: 'admin.' matches all admin actions",
                                        examples=["original.download"])] = None,
    target: Annotated[str | None, Query(max_length=200, examples=["JD-2024-001"])] = None,
    since: Annotated[str | None, Query(max_length=32, examples=["2026-11-01T00:00:00"])] = None,
    until: Annotated[str | None, Query(max_length=32, examples=["2026-12-01T00:00:00"])] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> AuditPage:
    """Audit entries newest first; filters by actor, action prefix, target and UTC time range."""
    return request.app.state.service.audit.page(actor=actor, action=action, target=target, since=since,
                                                until=until, limit=limit, offset=offset)


@router.get("/audit/verify", name="verify_audit_log", response_model=AuditVerifyReport, tags=["audit"])
def verify_audit_log(request: Request) -> AuditVerifyReport:
    """Walk the hash chain; ``valid`` is false and ``problems`` name entries if anything was altered."""
    report = request.app.state.service.audit.verify()
    audit(request, AuditAction.AUDIT_VERIFY, None, valid=report.valid, checked=report.checked)
    return report


class NewUser(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"username": "zhangsan", "role": "auditor", "password": "至少八个字符的口令", "display_name": "张三"}]})

    username: str = Field(pattern=USERNAME.pattern, examples=["zhangsan"],
                          description="letters (Chinese too), digits, '.', '@', '-' or '_'")
    role: Role
    password: str = Field(min_length=8, max_length=256)
    display_name: str | None = Field(default=None, max_length=128, examples=["张三"])


class NewToken(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(pattern=USERNAME.pattern, examples=["zhangsan"])
    label: str | None = Field(default=None, max_length=128, examples=["夜间导出脚本"])


@router.get("/users", name="list_users", response_model=UserPage, tags=["accounts"])
def list_users(request: Request, limit: Limit = 50, offset: Offset = 0) -> UserPage:
    """Accounts in name order (no secrets)."""
    users = request.app.state.service.accounts.users()
    return UserPage(total=len(users), limit=limit, offset=offset, items=users[offset:offset + limit])


@router.post("/users", name="add_user", response_model=UserRecord, status_code=201, tags=["accounts"],
             responses={409: {"model": ErrorBody, "description": "the user name is taken"}})
def add_user(request: Request, body: NewUser) -> UserRecord:
    user = request.app.state.service.accounts.add_user(body.username, body.role, body.password, body.display_name)
    audit(request, AuditAction.USER_ADD, user.username, role=user.role.value)
    return user


@router.post("/tokens", name="issue_token", response_model=IssuedToken, status_code=201, tags=["accounts"])
def issue_token(request: Request, body: NewToken) -> IssuedToken:
    """A new API token for a user; the secret is in this answer only."""
    issued = request.app.state.service.accounts.issue_token(body.username, body.label)
    audit(request, AuditAction.TOKEN_ISSUE, body.username, token_id=issued.record.id, prefix=issued.record.prefix)
    return issued


@router.delete("/tokens/{token_id}", name="revoke_token", response_model=TokenRecord, tags=["accounts"])
def revoke_token(request: Request,
                 token_id: Annotated[int, Path(ge=1, le=2**31 - 1)]) -> TokenRecord:  # the id is an int4 in PostgreSQL
    record = request.app.state.service.accounts.revoke(token_id)
    audit(request, AuditAction.TOKEN_REVOKE, record.username, token_id=record.id)
    return record
