"""What a draft is built from, read from the catalog: the project's record, its facts (from the
oversight room, auditors' corrections included), its documents' titles and stored texts, and the
reviewer's decisions carried on the version.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core.catalog import Catalog, Document, DocumentStatus, DocumentText, Project
from core.errors import ProjectNotFound
from core.oversight import OversightRoom
from core.oversight.corrections import Corrections
from disclosure.content import DraftInput
from disclosure.items import ProjectRecord
from disclosure.redactor import ManualRedaction
from oversight.project import assemble
from schemas.projects import ProjectKind

MAX_TEXT_CHARS = 400_000  # per document, as the oversight reader: personal data sit in the pages it reads


def project_row(catalog: Catalog, code: str) -> tuple[int, ProjectRecord]:
    with catalog.session() as session:
        row = session.execute(select(Project.id, Project.code, Project.name).where(Project.code == code)).first()
    if row is None:
        raise ProjectNotFound(f"没有项目 {code!r}", project=code)
    return row.id, ProjectRecord(row.code, row.name)


def titles(catalog: Catalog, project_id: int) -> dict[str, str]:
    with catalog.session() as session:
        rows = session.execute(select(Document.id, Document.title, Document.original_name)
                               .where(Document.project_id == project_id)).all()
    return {doc_id: title or name for doc_id, title, name in rows}


def document_fields(catalog: Catalog, project_id: int) -> dict[str, dict[str, Any]]:
    with catalog.session() as session:
        rows = session.execute(select(Document.id, Document.fields).where(Document.project_id == project_id)).all()
    return {doc_id: dict(fields or {}) for doc_id, fields in rows}


def texts(catalog: Catalog, project_id: int) -> dict[str, str]:
    with catalog.session() as session:
        rows = session.execute(select(DocumentText.document_id, DocumentText.content)
                               .join(Document, Document.id == DocumentText.document_id)
                               .where(Document.project_id == project_id,
                                      Document.status == DocumentStatus.PROCESSED)).all()
    return {doc_id: (content or "")[:MAX_TEXT_CHARS] for doc_id, content in rows}


def decisions_of(raw: dict[str, Any] | None) -> tuple[tuple[ManualRedaction, ...], dict[str, str], bool | None]:
    raw = raw or {}
    manual = tuple(ManualRedaction(m["text"], m["by"], m.get("reason")) for m in raw.get("manual", []))
    withheld = {key: value["reason"] for key, value in (raw.get("withheld") or {}).items()}
    return manual, withheld, raw.get("office_building")


def draft_input(catalog: Catalog, oversight: OversightRoom, code: str, agency: dict[str, str],
                decisions: dict[str, Any] | None, *, with_texts: bool = True) -> DraftInput:
    project_id, project = project_row(catalog, code)
    manual, withheld, office = decisions_of(decisions)
    return DraftInput(project=project, facts=oversight.facts(code, who=None), titles=titles(catalog, project_id),
                      texts=texts(catalog, project_id) if with_texts else {},
                      fields=document_fields(catalog, project_id), agency=agency, manual=manual,
                      withheld=withheld, office_building=office)


def all_inputs(catalog: Catalog, oversight: OversightRoom, agency: dict[str, str],
               decisions: dict[int, dict[str, Any]]) -> list[tuple[int, DraftInput]]:
    """(project id, input without texts) of every project, from one read of the stored facts, the
    corrections and the documents' titles and fields — the due list across the archive.
    """
    grouped = oversight.store.all_documents()
    corrections = oversight.corrections.by_project()
    with catalog.session() as session:
        projects = session.execute(select(Project.id, Project.code, Project.name)
                                   .where(Project.kind == ProjectKind.PROJECT).order_by(Project.code)).all()
        documents = session.execute(select(Document.project_id, Document.id, Document.title, Document.original_name,
                                           Document.fields)).all()
    titles_of: dict[int, dict[str, str]] = {}
    fields_of: dict[int, dict[str, dict[str, Any]]] = {}
    for project_id, doc_id, title, name, fields in documents:
        titles_of.setdefault(project_id, {})[doc_id] = title or name
        fields_of.setdefault(project_id, {})[doc_id] = dict(fields or {})
    inputs = []
    for project_id, code, name in projects:
        found = [Corrections.as_model(row, code) for row in corrections.get(project_id, [])]
        facts = assemble(code, grouped.get(code, []), found, oversight.rulebook.reading)
        manual, withheld, office = decisions_of(decisions.get(project_id))
        inputs.append((project_id, DraftInput(project=ProjectRecord(code, name), facts=facts,
                                              titles=titles_of.get(project_id, {}), texts={},
                                              fields=fields_of.get(project_id, {}), agency=agency, manual=manual,
                                              withheld=withheld, office_building=office)))
    return inputs
