"""Disclosure items from a project's facts, before redaction: which documents each item stands on,
and each field's text as the documents state it (or nothing, when they do not).

Nothing is invented: a field no document states is missing (None), and says so on the page; an
item of a per-project kind (参建单位 …) exists only once one of its fields is found, so a project
still in construction shows no empty 竣工 block, only the category's own "nothing yet" note.
Corrections made by auditors in the oversight room count (``oversight.project.effective``).
"""

from __future__ import annotations

import contextlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from disclosure.catalogue import Catalogue, CategorySpec, FieldSpec, ItemSpec
from oversight.project import effective
from schemas.oversight import DocumentFacts, Fact, FactValue, ProjectFacts


@dataclass
class RawField:
    label: str
    text: str | None
    documents: list[str]
    person: bool = False


@dataclass
class RawItem:
    key: str
    category: str
    name: str
    spec: ItemSpec
    fields: list[RawField]
    documents: list[DocumentFacts] = field(default_factory=list)

    @property
    def formed(self) -> date | None:
        """When the information was formed or last changed: the latest of its documents' dates."""
        dates = [doc.date for doc in self.documents if doc.date is not None]
        return max(dates) if dates else None


@dataclass(frozen=True)
class ProjectRecord:
    code: str
    name: str | None


@dataclass(frozen=True)
class Sources:
    """What the planner reads: the facts, and per document the fields the archive read at ingest."""

    facts: ProjectFacts
    fields: dict[str, dict[str, object]]


def format_value(fact: Fact) -> str:
    """A fact's value as a notice prints it: 12,864,500.00元, 2024年3月5日, 3.5%, 365天."""
    value = effective(fact)
    return format_plain(value, fact.type)


def format_plain(value: FactValue, kind: str) -> str:
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    if kind == "money" and isinstance(value, int | float):
        return f"{float(value):,.2f}元"
    if kind == "percent" and isinstance(value, int | float):
        return f"{float(value):g}%"
    if kind == "days" and isinstance(value, int | float):
        return f"{int(value)}天"
    return str(value).strip()


def _first_fact(docs: list[DocumentFacts], name: str) -> tuple[Fact, DocumentFacts] | None:
    for doc in docs:
        found = doc.first(name)
        if found is not None:
            return found, doc
    return None


def _of_kinds(facts: ProjectFacts, kinds: tuple[str, ...], contract_type: str | None) -> list[DocumentFacts]:
    """The project's documents of the kinds; with a contract type, those of that type first, then
    those whose title names it ("勘察设计合同" is typed 勘察 but is the 设计 contract too).
    """
    docs = facts.of_kind(*kinds)
    if contract_type is None:
        return docs
    exact = [doc for doc in docs if doc.contract_type == contract_type]
    return exact + [doc for doc in docs if doc not in exact and contract_type in (doc.title or "")]


def _budget_increase(doc: DocumentFacts) -> str | None:
    adjusted, original = doc.first("adjusted_budget"), doc.first("approved_budget")
    if adjusted is None or original is None:
        return None
    increase = float(effective(adjusted)) - float(effective(original))  # type: ignore[arg-type]
    return format_plain(increase, "money")


def _ingest_field(spec: FieldSpec, own: list[DocumentFacts], sources: Sources) -> tuple[str | None, list[str]]:
    if spec.or_field is None or not own:
        return None, []
    value = sources.fields.get(own[0].document_id, {}).get(spec.or_field)
    if value is None or not str(value).strip():
        return None, []
    if spec.or_field == "date":
        with contextlib.suppress(ValueError):
            value = date.fromisoformat(str(value))
    return format_plain(value, "date" if isinstance(value, date) else "text"), [own[0].document_id]  # type: ignore[arg-type]


def _field(spec: FieldSpec, own: list[DocumentFacts], sources: Sources, project: ProjectRecord,
           agency: dict[str, str], used: list[DocumentFacts]) -> RawField | None:
    """One field's text and its documents; None for an optional field that is not found."""
    text: str | None = None
    documents: list[str] = []
    if spec.fact is not None:
        pool = _of_kinds(sources.facts, spec.kinds, spec.contract_type) if spec.kinds else own
        hit = _first_fact(pool, spec.fact)
        if hit is not None:
            fact, doc = hit
            text, documents = format_value(fact), [doc.document_id]
            if doc not in used:
                used.append(doc)
        else:
            text, documents = _ingest_field(spec, own, sources)
    elif spec.project is not None:
        text = project.name if spec.project == "name" else project.code
    elif spec.agency is not None:
        text = (agency.get(spec.agency) or "").strip() or None
    elif spec.derived == "budget_increase" and own:
        text, documents = _budget_increase(own[0]), [own[0].document_id]
    if text is None and spec.optional:
        return None
    return RawField(spec.label, text or None, documents, spec.person)


def _item(category: CategorySpec, spec: ItemSpec, own: list[DocumentFacts], sources: Sources,
          project: ProjectRecord, agency: dict[str, str]) -> RawItem:
    used = list(own)
    fields = [f for s in spec.fields if (f := _field(s, own, sources, project, agency, used)) is not None]
    key = f"{category.id}/{spec.id}" + (f"/{own[0].document_id}" if spec.per == "document" else "")
    name = spec.name
    if spec.typed and own and own[0].contract_type:
        name = f"{spec.name}（{own[0].contract_type}）"
    return RawItem(key, category.id, name, spec, fields, used)


def plan_category(category: CategorySpec, sources: Sources, project: ProjectRecord,
                  agency: dict[str, str]) -> list[RawItem]:
    """The category's items as the documents state them, in date order within each item kind."""
    items: list[RawItem] = []
    for spec in category.items:
        if spec.per == "document":
            items += [_item(category, spec, [doc], sources, project, agency)
                      for doc in sources.facts.of_kind(*spec.kinds)]
            continue
        item = _item(category, spec, [], sources, project, agency)
        if any(f.text is not None for f in item.fields):
            items.append(item)
    return items


def project_name(project: ProjectRecord, fields: dict[str, dict[str, object]]) -> str | None:
    """The project's name: the catalog's, unless it is only the code; else the 工程名称 most of its
    documents state (read at ingest).
    """
    if project.name and project.name != project.code:
        return project.name
    named = Counter(str(f["project_name"]).strip() for f in fields.values() if f.get("project_name"))
    return named.most_common(1)[0][0] if named else None


def is_office_building(catalogue: Catalogue, project: ProjectRecord, facts: ProjectFacts,
                       titles: dict[str, str]) -> bool:
    """A 机关 office building when the project's name or one of its approvals' titles says so."""
    approvals = ("proposal_approval", "feasibility_approval", "budget_approval")
    names = [project.name or ""] + [titles.get(doc.document_id, doc.title or "") for doc in facts.of_kind(*approvals)]
    return any(word in text for text in names for word in catalogue.office_building.words)
