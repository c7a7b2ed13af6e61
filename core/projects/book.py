"""Project records: created on purpose, renamed, merged; a typo never becomes a project.

Trays (``kind = tray``: INBOX) hold files nobody has filed yet. They have no completeness, no
档号 and no handover; documents leave them by being moved into a project.
"""

from __future__ import annotations

import difflib

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from core.catalog import Document, Project
from core.catalog.history import now, record, record_many
from core.catalog.models import ProjectProfile, Waiver
from core.errors import AlreadyExists, InputError, ProjectNotFound
from schemas.projects import PROJECT_CODE, NewProject, ProjectChange, ProjectKind

PROJECT_ADDED = "project_added"
PROJECT_RENAMED = "project_renamed"
PROJECT_MERGED = "project_merged"
MOVED = "moved"  # a document now in another project (core/projects/moves.py)


def find_project(session: Session, code: str) -> Project:
    """The project with this code, or a refusal that names the nearest codes and names."""
    project = session.scalar(select(Project).where(Project.code == code))
    if project is None:
        hint = suggestion(session, code)
        message = f"no project {code!r} in the archive" + (f"; did you mean {hint}?" if hint else "")
        raise ProjectNotFound(message + "; a new project is created first (jiandang project add, POST /api/projects)",
                              project=code, suggestion=_chinese_hint(hint))
    return project


def suggestion(session: Session, code: str) -> str:
    """The closest existing projects to a mistyped code (by code, then by name), for the refusal."""
    rows = session.execute(select(Project.code, Project.name).where(Project.kind == ProjectKind.PROJECT)).all()
    codes = dict(rows)
    close = difflib.get_close_matches(code, list(codes), n=3, cutoff=0.6)
    close += [c for c, n in rows if n and code in n and c not in close]
    return "、".join(f"{c}（{codes[c]}）" if codes[c] and codes[c] != c else c for c in close[:3])


def _chinese_hint(hint: str) -> str:
    return f"您是不是要找 {hint}？" if hint else "如果这是新项目，请先在「项目」页新建。"


def ensure_tray(session: Session, code: str) -> Project:
    """The tray files without a project go to (INBOX); made a tray if it exists as a project row."""
    tray = session.scalar(select(Project).where(Project.code == code))
    if tray is None:
        tray = Project(code=code, name="收件箱", kind=ProjectKind.TRAY, created_at=now())
        session.add(tray)
        session.flush()
    elif tray.kind != ProjectKind.TRAY:
        tray.kind = ProjectKind.TRAY
    return tray


def add(session: Session, new: NewProject, who: str) -> Project:
    if session.scalar(select(Project.id).where(Project.code == new.code)) is not None:
        raise AlreadyExists(f"project {new.code!r} already exists", project=new.code)
    stamp = now()
    project = Project(code=new.code, name=new.name, owner=new.owner or None, figures=dict(new.figures) or None,
                      kind=ProjectKind.PROJECT, created_at=stamp, updated_at=stamp)
    session.add(project)
    session.flush()
    record(session, None, PROJECT_ADDED, project=new.code, name=new.name, owner=new.owner, who=who)
    return project


def change(session: Session, code: str, wanted: ProjectChange, who: str) -> tuple[Project, dict[str, list[object]]]:
    """Apply a rename (code and/or name, 建设单位, figures); returns the project and what changed."""
    project = find_project(session, code)
    changed: dict[str, list[object]] = {}
    if wanted.code is not None and wanted.code != project.code:
        if not PROJECT_CODE.match(wanted.code):
            raise InputError(f"project code {wanted.code!r}: use letters, digits, '.', '-' or '_'", code=wanted.code)
        if session.scalar(select(Project.id).where(Project.code == wanted.code)) is not None:
            raise AlreadyExists(f"project {wanted.code!r} already exists: merge the two instead", project=wanted.code)
        changed["code"] = [project.code, wanted.code]
        project.code = wanted.code
    for field in ("name", "owner", "figures"):
        value = getattr(wanted, field)
        if value is None:
            continue
        value = (value.strip() or None) if isinstance(value, str) else (dict(value) or None)
        if value != getattr(project, field):
            changed[field] = [getattr(project, field), value]
            setattr(project, field, value)
    if changed:
        project.updated_at = now()
        record(session, None, PROJECT_RENAMED, project=project.code, changed=changed, who=who)
    return project, changed


def merge(session: Session, source_code: str, target_code: str, who: str) -> tuple[list[str], bool]:
    """Every document of ``source`` into ``target``; a project source is removed, a tray stays.

    Waivers and the profile follow the documents where the target has none of its own (the
    target's decisions win); the event names what was dropped.
    """
    if source_code == target_code:
        raise InputError("a project cannot be merged into itself", project=source_code)
    source, target = find_project(session, source_code), find_project(session, target_code)
    if target.kind == ProjectKind.TRAY:
        raise InputError(f"{target_code} is a tray, not a project: merge into a building project", project=target_code)
    ids = list(session.scalars(select(Document.id).where(Document.project_id == source.id)))
    dropped: list[str] = []
    if source.kind == ProjectKind.PROJECT:
        held = set(session.scalars(select(Waiver.item_code).where(Waiver.project_id == target.id)))
        for waiver in session.scalars(select(Waiver).where(Waiver.project_id == source.id)):
            if waiver.item_code in held:
                dropped.append(f"waiver {waiver.item_code}")
                session.delete(waiver)
            else:
                waiver.project_id = target.id
        profile = session.get(ProjectProfile, source.id)
        if profile is not None:
            if session.get(ProjectProfile, target.id) is None:
                session.add(ProjectProfile(project_id=target.id, building_type=profile.building_type,
                                           stage=profile.stage, features=profile.features,
                                           updated_by=profile.updated_by, updated_at=profile.updated_at))
            else:
                dropped.append("profile")
            session.delete(profile)
    # indexed_at: the index holds the project code, so every moved document is written again
    session.execute(update(Document).where(Document.project_id == source.id)
                    .values(project_id=target.id, updated_at=now(), indexed_at=None))
    record_many(session, MOVED, {doc_id: {"from": source_code, "to": target_code, "reason": "项目合并", "who": who}
                                 for doc_id in ids})
    kept = source.kind == ProjectKind.TRAY
    record(session, None, PROJECT_MERGED, source=source_code, target=target_code, documents=len(ids),
           dropped=dropped, who=who)
    if not kept:
        session.flush()
        session.execute(delete(Project).where(Project.id == source.id))
    return ids, kept
