"""The disclosure room: ``ArchiveService.disclosure`` — drafts built from the archive, the reviewer's
redactions and withheld items, the workflow to publication, packages, the due list.

Every action is checked twice: the skin checks the caller's role (API route permissions), and the
room checks that the named person holds the permission the step needs (so ``--by`` on the command
line cannot approve as someone who may not). Every action goes on the audit trail; publishing
records the package's sha256 there.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from core.catalog import Catalog
from core.disclosure import gather
from core.disclosure.rules import DisclosureRules, load_rules, locality_file
from core.disclosure.tables import DisclosureVersionRow
from core.disclosure.versions import EMPTY_DECISIONS, VersionStore, as_model
from core.errors import InputError, PermissionDenied, StateConflict
from core.oversight import OversightRoom
from core.security.accounts import AccountBook, allowed
from core.security.audit import AuditLog
from disclosure.content import DraftInput, build_content, plan
from disclosure.due import WorkdayIndex, due_list
from disclosure.render import LeakFound, PackageMeta, render_package
from disclosure.render.meta import LOCAL_TIME
from disclosure.workflow import OPEN_STATES, WorkflowRefused, editable, step
from schemas.api import Permission
from schemas.disclosure import (
    DisclosureContent,
    DisclosureHistoryEntry,
    DisclosureState,
    DisclosureVersion,
    DueItem,
)
from schemas.timestamps import as_utc

MAX_REDACTION_CHARS = 200


class DisclosureAction:
    """Audit-trail action names of the disclosure room."""

    DRAFT = "disclosure.draft"
    REDACT = "disclosure.redact"
    WITHHOLD = "disclosure.withhold"
    REVIEW = "disclosure.review"
    RETURN = "disclosure.return"
    APPROVE = "disclosure.approve"
    PUBLISH = "disclosure.publish"
    RETRACT = "disclosure.retract"
    EXPORT = "disclosure.export"


STEP_PERMISSION = {"review": Permission.DISCLOSE, "return": Permission.DISCLOSE, "approve": Permission.APPROVE,
                   "publish": Permission.DISCLOSE, "retract": Permission.APPROVE}
STEP_ACTION = {"review": DisclosureAction.REVIEW, "return": DisclosureAction.RETURN, "approve": DisclosureAction.APPROVE,
               "publish": DisclosureAction.PUBLISH, "retract": DisclosureAction.RETRACT}


def now() -> datetime:
    return datetime.now(UTC)


def local_today() -> date:
    return datetime.now(LOCAL_TIME).date()


class DisclosureRoom:
    def __init__(self, catalog: Catalog, oversight: OversightRoom, accounts: Callable[[], AccountBook],
                 audit: Callable[[], AuditLog], home: Path) -> None:
        self.catalog = catalog
        self.oversight = oversight
        self._accounts = accounts
        self._audit = audit
        rulebook = oversight.rulebook
        self.rules: DisclosureRules = load_rules(locality_file(home), rulebook.reading, rulebook.calendar)
        self.versions = VersionStore(catalog)

    # -- who -------------------------------------------------------------------------------------
    def _require(self, who: str, permission: Permission) -> None:
        user = next((u for u in self._accounts().users() if u.username == who and u.active), None)
        if user is None:
            raise PermissionDenied(f"{who!r} 不是本档案室的有效用户，不能办理公开事项", user=who)
        if not allowed(user.role, permission):
            raise PermissionDenied(f"{who}（{user.role.value}）没有“{permission.value}”权限", user=who,
                                   permission=permission.value)

    def _record(self, who: str, action: str, project: str, **detail: Any) -> None:
        self._audit().append(who, action, project, **detail)

    # -- building -------------------------------------------------------------------------------
    def _content(self, code: str, decisions: dict[str, Any] | None) -> DisclosureContent:
        inp = gather.draft_input(self.catalog, self.oversight, code, self.rules.agency, decisions)
        return build_content(inp, self.rules.catalogue, self.rules.redaction, self.rules.calendar, now(),
                             today=local_today())

    def preview(self, code: str) -> DisclosureContent:
        """The archive as it stands now, with the open version's decisions: nothing is stored."""
        project_id, _ = gather.project_row(self.catalog, code)
        with self.versions.session() as session:
            latest = self.versions.latest(session, project_id)
            decisions = latest.decisions if latest is not None else None
        return self._content(code, decisions)

    def draft(self, code: str, who: str) -> DisclosureVersion:
        """Build the draft from the archive: the open draft is rebuilt in place; a reviewed or
        approved version is superseded by a new draft (its approval covered other content).
        """
        self._require(who, Permission.DISCLOSE)
        project_id, _ = gather.project_row(self.catalog, code)
        with self.versions.session() as session:
            latest = self.versions.latest(session, project_id)
            decisions = dict(latest.decisions) if latest is not None else dict(EMPTY_DECISIONS)
        content = self._content(code, decisions)
        with self.versions.session() as session:
            latest = self.versions.latest(session, project_id)
            if latest is not None and latest.state == DisclosureState.DRAFT.value:
                latest.content, latest.decisions = content.model_dump(mode="json"), decisions
                latest.created_by, latest.created_at = who, now()
                row = latest
            else:
                if latest is not None and latest.state in (DisclosureState.REVIEWED.value, DisclosureState.APPROVED.value):
                    latest.state = DisclosureState.SUPERSEDED.value
                row = self.versions.create(session, project_id, content, decisions, who, now())
            version = as_model(row, code)
        self._record(who, DisclosureAction.DRAFT, code, version=version.number, redactions=len(content.redactions))
        return version

    def _edit_draft(self, code: str, who: str, change: Callable[[dict[str, Any]], None]) -> DisclosureVersion:
        self._require(who, Permission.DISCLOSE)
        project_id, _ = gather.project_row(self.catalog, code)
        with self.versions.session() as session:
            latest = self.versions.latest(session, project_id)
            if latest is None:
                raise StateConflict(f"项目 {code} 还没有公开草稿；请先生成草稿", project=code)
            _refuse_workflow(lambda: editable(DisclosureState(latest.state)))
            decisions = {**EMPTY_DECISIONS, **dict(latest.decisions)}
        change(decisions)
        content = self._content(code, decisions)
        with self.versions.session() as session:
            row = self.versions.latest(session, project_id)
            assert row is not None
            row.content, row.decisions = content.model_dump(mode="json"), decisions
            return as_model(row, code)

    def add_redaction(self, code: str, text: str, reason: str | None, who: str) -> DisclosureVersion:
        """Hide a text wherever it appears in the draft (the reviewer's own addition)."""
        text = text.strip()
        if not 2 <= len(text) <= MAX_REDACTION_CHARS:
            raise InputError(f"要隐去的内容须为 2–{MAX_REDACTION_CHARS} 个字符", length=len(text))
        entry = {"text": text, "by": who, "reason": (reason or "").strip() or None, "at": now().isoformat()}
        version = self._edit_draft(code, who, lambda d: d.__setitem__("manual", [*d.get("manual", []), entry]))
        self._record(who, DisclosureAction.REDACT, code, version=version.number, length=len(text), reason=entry["reason"])
        return version

    def withhold(self, code: str, item_key: str, reason: str | None, who: str) -> DisclosureVersion:
        """Keep an item out of publication with a reason (``reason`` None releases it again)."""
        def change(decisions: dict[str, Any]) -> None:
            withheld = dict(decisions.get("withheld") or {})
            if reason is None:
                withheld.pop(item_key, None)
            else:
                if len(reason.strip()) < 2:
                    raise InputError("不予公开须写明理由")
                withheld[item_key] = {"reason": reason.strip(), "by": who, "at": now().isoformat()}
            decisions["withheld"] = withheld
        version = self._edit_draft(code, who, change)
        self._record(who, DisclosureAction.WITHHOLD, code, version=version.number, item=item_key, reason=reason)
        return version

    # -- the workflow -------------------------------------------------------------------------------
    def act(self, code: str, number: int, action: str, who: str, reason: str | None = None) -> DisclosureVersion:
        """review / return / approve / publish / retract a version, as ``disclosure.workflow`` allows."""
        self._require(who, STEP_PERMISSION.get(action, Permission.ADMIN))
        project_id, _ = gather.project_row(self.catalog, code)
        at, detail = now(), {}
        with self.versions.session() as session:
            row = self.versions.get(session, project_id, number, code)
            taken = _refuse_workflow(lambda: step(action, DisclosureState(row.state), who,
                                                  reviewed_by=row.reviewed_by, reason=reason))
            if action == "publish":
                detail = self._publish(session, row, code, who, at)
            _apply(row, action, who, at, reason)
            row.state = taken.target.value
            version = as_model(row, code, self.versions.listing(session, row))
        self._record(who, STEP_ACTION[action], code, version=number, state=version.state.value,
                     reason=reason, **detail)
        return version

    def _publish(self, session: Any, row: DisclosureVersionRow, code: str, who: str, at: datetime) -> dict[str, Any]:
        """Render the approved content once, check it, store the files; they are what is published."""
        content = DisclosureContent.model_validate(row.content)
        meta = PackageMeta(row.number, DisclosureState.PUBLISHED, at, self.rules.agency.get("report_channel"))
        files = _render(content, self.rules, meta)
        listed = self.versions.store_files(session, row, files)
        manifest = next(f for f in listed if f.name == "manifest.json")
        row.package_sha256 = manifest.sha256
        return {"package_sha256": manifest.sha256, "files": {f.name: f.sha256 for f in listed}}

    # -- reading ------------------------------------------------------------------------------------
    def version(self, code: str, number: int | None = None) -> DisclosureVersion | None:
        """One version (the latest when ``number`` is None), with its files' listing."""
        project_id, _ = gather.project_row(self.catalog, code)
        with self.versions.session() as session:
            row = (self.versions.get(session, project_id, number, code) if number is not None
                   else self.versions.latest(session, project_id))
            return None if row is None else as_model(row, code, self.versions.listing(session, row))

    def history(self, code: str) -> list[DisclosureHistoryEntry]:
        project_id, _ = gather.project_row(self.catalog, code)
        return self.versions.history(project_id)

    def package(self, code: str, number: int | None = None, *, draft: bool = False) -> tuple[dict[str, bytes], DisclosureContent, PackageMeta]:
        """The files to hand out: a published version's stored bytes (sha256 checked), or — for any
        other version, or ``draft`` — a preview rendered now and marked 草稿 on every page.
        """
        project_id, _ = gather.project_row(self.catalog, code)
        with self.versions.session() as session:
            if number is not None:
                row = self.versions.get(session, project_id, number, code)
            else:
                row = None if draft else self.versions.standing_row(session, project_id)
            if row is not None and row.state in (DisclosureState.PUBLISHED.value, DisclosureState.RETRACTED.value):
                content = DisclosureContent.model_validate(row.content)
                meta = PackageMeta(row.number, DisclosureState(row.state),
                                   as_utc(row.published_at) if row.published_at else None,
                                   self.rules.agency.get("report_channel"))
                return self.versions.files(session, row), content, meta
            latest = self.versions.latest(session, project_id)
            base = row or latest
            state = DisclosureState(base.state) if base is not None else DisclosureState.DRAFT
            number_shown = base.number if base is not None else 0
            frozen = DisclosureContent.model_validate(row.content) if row is not None else None
        content = frozen or self.preview(code)
        meta = PackageMeta(number_shown, state if state in OPEN_STATES else DisclosureState.DRAFT, None,
                           self.rules.agency.get("report_channel"))
        return _render(content, self.rules, meta), content, meta

    def export(self, code: str, out: Path, who: str, number: int | None = None, *, draft: bool = False) -> tuple[Path, DisclosureContent, PackageMeta]:
        files, content, meta = self.package(code, number, draft=draft)
        out.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (out / name).write_bytes(data)
        self._record(who, DisclosureAction.EXPORT, code, version=meta.version, state=meta.state.value, path=str(out))
        return out, content, meta

    # -- the due list (C24) -----------------------------------------------------------------------------
    def due(self, code: str, today: date | None = None) -> list[DueItem]:
        project_id, _ = gather.project_row(self.catalog, code)
        with self.versions.session() as session:
            latest = self.versions.latest(session, project_id)
            decisions = latest.decisions if latest is not None else None
        inp = gather.draft_input(self.catalog, self.oversight, code, self.rules.agency, decisions, with_texts=False)
        return self._due(inp, self.versions.standing([project_id]), today or local_today())

    def _due(self, inp: DraftInput, standing: list[tuple[int, datetime, dict[str, Any]]], today: date,
             index: WorkdayIndex | None = None) -> list[DueItem]:
        _office, planned = plan(inp, self.rules.catalogue)
        published: dict[str, datetime] = {}
        for _pid, at, content in standing:
            for category in content.get("categories", []):
                for item in category.get("items", []):
                    key = item["key"]
                    if not item.get("withheld") and (key not in published or at < published[key]):
                        published[key] = at
        return due_list(inp.project.code, planned, self.rules.catalogue, self.rules.calendar, published,
                        inp.withheld, today, index)

    def overdue(self, today: date | None = None) -> list[DueItem]:
        """Every project's items past their due date with no standing publication (the dashboard's
        list), the longest overdue first. A handful of queries for the whole archive.
        """
        today = today or local_today()
        inputs = gather.all_inputs(self.catalog, self.oversight, self.rules.agency,
                                   self.versions.latest_decisions())
        standing: dict[int, list[tuple[int, datetime, dict[str, Any]]]] = {}
        for row in self.versions.standing():
            standing.setdefault(row[0], []).append(row)
        index = WorkdayIndex(self.rules.calendar)
        rows = [row for project_id, inp in inputs
                for row in self._due(inp, standing.get(project_id, []), today, index) if row.status == "overdue"]
        rows.sort(key=lambda r: (-(r.overdue_days or 0), r.project, r.key))
        return rows


def _refuse_workflow(action: Callable[[], Any]) -> Any:
    try:
        return action()
    except WorkflowRefused as exc:
        raise StateConflict(str(exc)) from exc


def _render(content: DisclosureContent, rules: DisclosureRules, meta: PackageMeta) -> dict[str, bytes]:
    try:
        return render_package(content, rules.catalogue, meta, rules.redaction, local_today())
    except LeakFound as exc:
        raise StateConflict(str(exc), findings=[f"{name}: {kind}" for name, kind in exc.findings]) from exc


def _apply(row: DisclosureVersionRow, action: str, who: str, at: datetime, reason: str | None) -> None:
    if action == "review":
        row.reviewed_by, row.reviewed_at = who, at
    elif action == "approve":
        row.approved_by, row.approved_at = who, at
    elif action == "publish":
        row.published_by, row.published_at = who, at
    elif action == "retract":
        row.retracted_by, row.retracted_at, row.retraction_reason = who, at, (reason or "").strip()
    elif action == "return":
        row.reviewed_by = row.reviewed_at = row.approved_by = row.approved_at = None
