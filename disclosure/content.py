"""A project's disclosure content: the planned items, redacted, with due dates — what a version
freezes and what a package renders.

Order matters for redaction: the source documents' bodies are scanned first, so a value found there
(an address, an account) is hidden wherever it turns up in a published text even without its label;
then every field, title and note passes ``Redactor.clean``. Nothing reaches a ``DisclosureContent``
any other way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from disclosure.catalogue import Catalogue
from disclosure.items import ProjectRecord, RawItem, Sources, is_office_building, plan_category, project_name
from disclosure.redaction_rules import RedactionRules
from disclosure.redactor import ManualRedaction, Redactor, known_persons
from oversight.project import effective
from oversight.workdays import WorkCalendar
from schemas.disclosure import (
    DisclosureCategory,
    DisclosureContent,
    DisclosureField,
    DisclosureItem,
    SourceDocument,
)
from schemas.oversight import ProjectFacts

NOTES = (
    "本公开信息由项目档案自动整理，经档案员审核、审批人批准后发布。",
    "身份证号、手机号码、银行账号、个人住址及未列为公开角色的个人姓名已隐去；本公开包不含签名、印章等任何原件图像。",
    "“档案中未载明”表示项目档案中没有该项信息，并非该事项不存在。",
)


@dataclass(frozen=True)
class DraftInput:
    """Everything a draft is built from; ``texts`` holds every document's stored text (the project's
    known persons are read from all of them; the sources' bodies are scanned for personal data).
    """

    project: ProjectRecord
    facts: ProjectFacts
    titles: dict[str, str]
    texts: dict[str, str]
    fields: dict[str, dict[str, object]] = field(default_factory=dict)  # per document, as read at ingest
    agency: dict[str, str] = field(default_factory=dict)
    manual: tuple[ManualRedaction, ...] = ()
    withheld: dict[str, str] = field(default_factory=dict)
    office_building: bool | None = None  # None: decided by the catalogue's words


def named(inp: DraftInput) -> ProjectRecord:
    return ProjectRecord(inp.project.code, project_name(inp.project, inp.fields))


def plan(inp: DraftInput, catalogue: Catalogue) -> tuple[bool, dict[str, list[RawItem]]]:
    """Whether the 楼堂馆所 items apply, and each applicable category's raw items."""
    project = named(inp)
    office = inp.office_building
    if office is None:
        office = is_office_building(catalogue, project, inp.facts, inp.titles)
    sources = Sources(inp.facts, inp.fields)
    planned = {category.id: plan_category(category, sources, project, inp.agency)
               for category in catalogue.categories if category.only is None or office}
    return office, planned


def _owner(facts: ProjectFacts) -> str | None:
    for doc in facts.of_kind("contract"):
        found = doc.first("owner")
        if found is not None:
            return str(effective(found))
    return None


def _item(raw: RawItem, inp: DraftInput, catalogue: Catalogue, calendar: WorkCalendar,
          redactor: Redactor) -> DisclosureItem:
    fields = []
    for f in raw.fields:
        document = f.documents[0] if f.documents else None
        if f.text is None:
            value = None
        elif f.person:
            value = redactor.person(f.text, f.label, item_key=raw.key, document_id=document)
        else:
            value = redactor.clean(f.text, item_key=raw.key, field=f.label, document_id=document)
        fields.append(DisclosureField(label=f.label, value=value, documents=f.documents))
    sources = [SourceDocument(document_id=doc.document_id, date=doc.date,
                              title=redactor.clean(inp.titles.get(doc.document_id) or doc.title or doc.kind_name,
                                                   item_key=raw.key, field="来源文件", document_id=doc.document_id) or "")
               for doc in raw.documents]
    limit = catalogue.limit_for(raw.spec)
    due = calendar.add_working_days(raw.formed, limit) if raw.formed else None
    return DisclosureItem(key=raw.key, category=raw.category, name=raw.name, fields=fields, sources=sources,
                          formed=raw.formed, limit_days=limit, due=due.value if due else None,  # type: ignore[arg-type]
                          due_approximate=bool(due and due.approximate), withheld=inp.withheld.get(raw.key))


def build_content(inp: DraftInput, catalogue: Catalogue, rules: RedactionRules, calendar: WorkCalendar,
                  now: datetime, today: date | None = None) -> DisclosureContent:
    """The redacted content of the project's disclosure as the archive stands now."""
    office, planned = plan(inp, catalogue)
    redactor = Redactor(rules, today or now.date(), known_persons(inp.texts.values(), rules), inp.manual)
    sources = sorted({doc.document_id for items in planned.values() for item in items for doc in item.documents})
    for doc_id in sources:
        redactor.scan_source(inp.texts.get(doc_id, ""), doc_id)
    categories = []
    for spec in catalogue.categories:
        if spec.id not in planned:
            continue
        items = [_item(raw, inp, catalogue, calendar, redactor) for raw in planned[spec.id]]
        categories.append(DisclosureCategory(id=spec.id, name=spec.name, basis=spec.basis, empty_note=spec.empty,
                                             items=items))
    return DisclosureContent(
        project=inp.project.code,
        project_name=redactor.clean(named(inp).name, field="项目名称"),
        owner=redactor.clean(_owner(inp.facts), field="建设单位"),
        office_building=office, generated_at=now, categories=categories,
        redactions=redactor.redactions, notes=list(NOTES))
