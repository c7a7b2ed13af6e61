"""Versions of a project's disclosure in the catalog: reading them back as schema models, creating
and moving them, and keeping each published package's files with their sha256.

A published version's files are read back only after their sha256 is checked again: a package
that no longer matches what was published is a FixityError, never handed out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.catalog import Catalog
from core.disclosure.tables import DisclosureFileRow, DisclosureVersionRow
from core.errors import FixityError, NotFound
from schemas.disclosure import (
    DisclosureContent,
    DisclosureHistoryEntry,
    DisclosureState,
    DisclosureVersion,
    PackageFile,
)

EMPTY_DECISIONS: dict[str, Any] = {"manual": [], "withheld": {}, "office_building": None}


STAMPS = ("number", "state", "created_by", "created_at", "reviewed_by", "reviewed_at", "approved_by", "approved_at",
          "published_by", "published_at", "retracted_by", "retracted_at", "retraction_reason", "package_sha256")


def _stamps(row: DisclosureVersionRow) -> dict[str, Any]:
    return {name: getattr(row, name) for name in STAMPS}


def as_model(row: DisclosureVersionRow, project: str, files: list[PackageFile] | None = None) -> DisclosureVersion:
    return DisclosureVersion(**_stamps(row), project=project, files=files or [],
                             content=DisclosureContent.model_validate(row.content))


def as_entry(row: DisclosureVersionRow) -> DisclosureHistoryEntry:
    content = row.content or {}
    items = sum(1 for c in content.get("categories", []) for i in c.get("items", []) if not i.get("withheld"))
    return DisclosureHistoryEntry(**_stamps(row), items=items, redactions=len(content.get("redactions", [])))


class VersionStore:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.catalog.session() as session:
            yield session

    def latest(self, session: Session, project_id: int) -> DisclosureVersionRow | None:
        return session.scalars(select(DisclosureVersionRow).where(DisclosureVersionRow.project_id == project_id)
                               .order_by(DisclosureVersionRow.number.desc()).limit(1)).first()

    def standing_row(self, session: Session, project_id: int) -> DisclosureVersionRow | None:
        """The latest published version that was not retracted."""
        return session.scalars(select(DisclosureVersionRow).where(
            DisclosureVersionRow.project_id == project_id, DisclosureVersionRow.state == DisclosureState.PUBLISHED.value)
            .order_by(DisclosureVersionRow.number.desc()).limit(1)).first()

    def get(self, session: Session, project_id: int, number: int, project: str) -> DisclosureVersionRow:
        row = session.scalars(select(DisclosureVersionRow).where(DisclosureVersionRow.project_id == project_id,
                                                                 DisclosureVersionRow.number == number)).first()
        if row is None:
            raise NotFound(f"项目 {project} 没有第 {number} 版公开信息", project=project, version=number)
        return row

    def create(self, session: Session, project_id: int, content: DisclosureContent, decisions: dict[str, Any],
               who: str, at: datetime) -> DisclosureVersionRow:
        number = (session.scalar(select(func.max(DisclosureVersionRow.number))
                                 .where(DisclosureVersionRow.project_id == project_id)) or 0) + 1
        row = DisclosureVersionRow(project_id=project_id, number=number, state=DisclosureState.DRAFT.value,
                                   content=content.model_dump(mode="json"), decisions=decisions, created_by=who,
                                   created_at=at)
        session.add(row)
        session.flush()
        return row

    def latest_decisions(self) -> dict[int, dict[str, Any]]:
        """Project id → the decisions carried by its latest version (withheld items …)."""
        newest = select(DisclosureVersionRow.project_id, func.max(DisclosureVersionRow.number).label("number")) \
            .group_by(DisclosureVersionRow.project_id).subquery()
        query = select(DisclosureVersionRow.project_id, DisclosureVersionRow.decisions).join(
            newest, (newest.c.project_id == DisclosureVersionRow.project_id) & (newest.c.number == DisclosureVersionRow.number))
        with self.session() as session:
            return dict(session.execute(query).all())  # type: ignore[arg-type]

    def history(self, project_id: int) -> list[DisclosureHistoryEntry]:
        with self.session() as session:
            rows = session.scalars(select(DisclosureVersionRow).where(DisclosureVersionRow.project_id == project_id)
                                   .order_by(DisclosureVersionRow.number.desc())).all()
            return [as_entry(row) for row in rows]

    def standing(self, project_ids: list[int] | None = None) -> list[tuple[int, datetime, dict[str, Any]]]:
        """(project id, published at, content) of every published, not retracted, version."""
        query = select(DisclosureVersionRow.project_id, DisclosureVersionRow.published_at,
                       DisclosureVersionRow.content).where(DisclosureVersionRow.state == DisclosureState.PUBLISHED.value)
        if project_ids is not None:
            query = query.where(DisclosureVersionRow.project_id.in_(project_ids))
        with self.session() as session:
            return [(pid, at, content) for pid, at, content in session.execute(query).all()]

    # -- files ------------------------------------------------------------------------------------
    def store_files(self, session: Session, row: DisclosureVersionRow, files: dict[str, bytes]) -> list[PackageFile]:
        listed = []
        for name, data in sorted(files.items()):
            digest = hashlib.sha256(data).hexdigest()
            session.add(DisclosureFileRow(version_id=row.id, name=name, sha256=digest, size=len(data), data=data))
            listed.append(PackageFile(name=name, sha256=digest, size=len(data)))
        return listed

    def files(self, session: Session, row: DisclosureVersionRow) -> dict[str, bytes]:
        found = session.scalars(select(DisclosureFileRow).where(DisclosureFileRow.version_id == row.id)
                                .order_by(DisclosureFileRow.name)).all()
        out = {}
        for file in found:
            if hashlib.sha256(file.data).hexdigest() != file.sha256:
                raise FixityError(f"公开包文件 {file.name}（第 {row.number} 版）与发布时的 sha256 不符",
                                  version=row.number, file=file.name)
            out[file.name] = file.data
        return out

    def listing(self, session: Session, row: DisclosureVersionRow) -> list[PackageFile]:
        found = session.execute(select(DisclosureFileRow.name, DisclosureFileRow.sha256, DisclosureFileRow.size)
                                .where(DisclosureFileRow.version_id == row.id).order_by(DisclosureFileRow.name)).all()
        return [PackageFile(name=name, sha256=digest, size=size) for name, digest, size in found]
