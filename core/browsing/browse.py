"""Lists of documents without a keyword: a project's filing tree, its 案卷, and documents in order.

Inside one project the list is cut from the project's filing (``volumes.ArchiveTree``): filtered
and ordered in memory (档号, date, title or arrival), then only the page's rows are read in full.
Across projects (no project chosen) the catalog filters, orders and pages; 档号 are added for the
rows shown.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from sqlalchemy import func, select

from core.browsing.listing import summary_fields
from core.browsing.volumes import ArchiveTree, Lite, ProjectFiling
from core.catalog import Catalog, Document, Project
from core.errors import ProjectNotFound
from schemas.browsing import (
    BrowsePage,
    BrowseQuery,
    BrowseRow,
    ClassNode,
    FilingTree,
    Placement,
    SubClassNode,
    VolumeRow,
)


def _keep(lite: Lite, query: BrowseQuery) -> bool:
    if query.class_code and not (lite.class_code or "X").startswith(query.class_code):
        return False
    if query.doc_type and lite.doc_type != query.doc_type:
        return False
    if query.date_from and (lite.doc_date is None or lite.doc_date < query.date_from):
        return False
    if query.date_to and (lite.doc_date is None or lite.doc_date > query.date_to):
        return False
    if query.status and lite.status != query.status:
        return False
    return query.needs_review is None or lite.needs_review == query.needs_review


def _ordered(lites: list[Lite], query: BrowseQuery) -> list[Lite]:
    """档号 order is the filing's own; the others sort, undated and untitled last, 档号 breaking ties."""
    if query.sort == "archive_code":
        return list(reversed(lites)) if query.descending else lites
    rank = {lite.id: n for n, lite in enumerate(lites)}
    if query.sort == "date":
        dated = sorted((x for x in lites if x.doc_date), key=lambda x: (x.doc_date, rank[x.id]),
                       reverse=query.descending)
        return dated + [x for x in lites if not x.doc_date]
    if query.sort == "title":
        return sorted(lites, key=lambda x: (x.title, rank[x.id]), reverse=query.descending)
    return sorted(lites, key=lambda x: (x.received_at, x.id), reverse=not query.descending)  # arrival: newest first


def browse_project(catalog: Catalog, filing: ProjectFiling, query: BrowseQuery) -> BrowsePage:
    chosen = filing.order
    if query.volume:
        chosen = [x for x in chosen if x.id in filing.codes and filing.codes[x.id][1].code == query.volume]
    chosen = _ordered([x for x in chosen if _keep(x, query)], query)
    page_ids = [x.id for x in chosen[query.offset: query.offset + query.limit]]
    return BrowsePage(total=len(chosen), limit=query.limit, offset=query.offset, sort=query.sort,
                      items=rows_for(catalog, page_ids, {filing.code: filing}))


def browse_all(catalog: Catalog, tree: ArchiveTree, query: BrowseQuery) -> BrowsePage:
    """Across every project: the catalog filters and pages; 档号 come from each shown project's filing."""
    wanted = select(Document.id).join(Project)
    if query.class_code:
        wanted = wanted.where(Document.class_code.startswith(query.class_code, autoescape=True))
    for column, value in ((Document.doc_type, query.doc_type), (Document.status, query.status)):
        if value:
            wanted = wanted.where(column == value)
    if query.needs_review is not None:
        wanted = wanted.where(Document.needs_review.is_(query.needs_review))
    if query.date_from:
        wanted = wanted.where(Document.doc_date >= query.date_from)
    if query.date_to:
        wanted = wanted.where(Document.doc_date <= query.date_to)
    order = {"date": [Document.doc_date.is_(None), Document.doc_date], "title": [Document.title],
             "archive_code": [Project.code, Document.class_code, Document.item_code, Document.doc_date]}
    columns = order.get(query.sort, [Document.received_at])
    descending = query.descending != (query.sort == "arrival")  # arrival: newest first unless asked
    columns = [c.desc() if descending and c is not Document.doc_date.is_(None) else c for c in columns]
    with catalog.session() as session:
        total = session.scalar(select(func.count()).select_from(wanted.subquery())) or 0
        ids = list(session.scalars(wanted.order_by(*columns, Document.id).limit(query.limit).offset(query.offset)))
        projects = set(session.scalars(select(Project.code).join(Document).where(Document.id.in_(ids))))
    filings = {code: f for code in projects if (f := tree.filing(code)) is not None}
    return BrowsePage(total=total, limit=query.limit, offset=query.offset, sort=query.sort,
                      items=rows_for(catalog, ids, filings))


def rows_for(catalog: Catalog, ids: list[str], filings: dict[str, ProjectFiling]) -> list[BrowseRow]:
    if not ids:
        return []
    with catalog.session() as session:
        found = {d.id: d for d in session.scalars(select(Document).where(Document.id.in_(ids)))}
        rows = []
        for doc_id in ids:
            doc = found[doc_id]
            filing = filings.get(doc.project.code)
            placed = filing.codes.get(doc_id) if filing else None
            fields = doc.fields or {}
            rows.append(BrowseRow(
                **summary_fields(doc), archive_code=placed[0] if placed else None,
                volume=placed[1].code if placed else None,
                retention=(placed[3] if placed else None) or doc.retention, secrecy=doc.secrecy,
                number=fields.get("number") or fields.get("drawing_number"), amount=doc.amount,
            ))
    return rows


def filing_tree(filing: ProjectFiling, class_names: dict[str, str], subclass_names: dict[str, str]) -> FilingTree:
    """Classes (A–E, then 未归类) and their sub-classes with document and volume counts."""
    documents: Counter[str] = Counter()
    volumes: Counter[str] = Counter()
    for volume in filing.volumes:
        documents[volume.class_code] += len(volume.documents)
        volumes[volume.class_code] += 1
    by_class: dict[str, list[SubClassNode]] = defaultdict(list)
    for volume in filing.volumes:
        sub = volume.class_code
        if by_class[sub[0]] and by_class[sub[0]][-1].code == sub:
            continue
        by_class[sub[0]].append(SubClassNode(code=sub, name=subclass_names.get(sub, volume.class_name),
                                             documents=documents[sub], volumes=volumes[sub]))
    classes = [ClassNode(code=letter, name=class_names.get(letter, subs[0].name),
                         documents=sum(s.documents for s in subs), subclasses=subs)
               for letter, subs in by_class.items()]
    types = sorted({x.doc_type for x in filing.order if x.doc_type})
    return FilingTree(project=filing.code, documents=len(filing.order), classes=classes, doc_types=types)


def volume_rows(filing: ProjectFiling, class_code: str | None = None) -> list[VolumeRow]:
    """The 案卷目录 of the project (or of one class / sub-class)."""
    rows = []
    for v in filing.volumes:
        if class_code and not v.class_code.startswith(class_code):
            continue
        start, end = v.date_range
        rows.append(VolumeRow(code=v.code, class_code=v.class_code, class_name=v.class_name, item_code=v.item_code,
                              item_name=v.item_name, title=v.title, documents=len(v.documents), date_from=start,
                              date_to=end, retention=v.retention, unfiled=v.unfiled))
    return rows


def placement(filing: ProjectFiling | None, doc_id: str) -> Placement:
    placed = filing.codes.get(doc_id) if filing else None
    if placed is None:
        return Placement()
    code, volume, piece, retention = placed
    return Placement(archive_code=code, volume=volume.code, volume_title=volume.title, piece=piece,
                     retention=retention)


def require_filing(tree: ArchiveTree, project: str) -> ProjectFiling:
    filing = tree.filing(project)
    if filing is None:
        raise ProjectNotFound(f"no project {project!r} in the archive", project=project)
    return filing
