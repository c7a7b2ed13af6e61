"""What an auditor types in the audit page's 文件 field, turned into the entries' targets.

Audit entries name a document by its id, but a person looking for "who read the 设计变更通知单"
types a title, a file name, the 编号 printed on the paper or its 档号, not a hex id. This finds the
documents that text names — title or original file name containing it, a recorded field (编号,
责任者 …) containing it, an id starting with it, a 档号 containing it — and returns their ids, with
the text itself kept (entries about a project, a user or a task carry that as their target).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from sqlalchemy import String, cast, or_, select

from core.catalog import Catalog, Document

MAX_DOCUMENTS = 500  # a word found in more titles than this narrows nothing; the page says how many entries


def matching(catalog: Catalog, text: str, projects: Iterable[str], archive_codes: Callable[[str], dict[str, str]]
             ) -> list[str]:
    """The text itself, then the ids of up to ``MAX_DOCUMENTS`` documents it names."""
    text = text.strip()
    if not text:
        return []
    found: dict[str, None] = {text: None}
    escaped = json.dumps(text)[1:-1]  # how the catalog stores it inside the fields' JSON (\\uXXXX for Chinese)
    with catalog.read_session() as session:
        rows = session.scalars(
            select(Document.id).where(or_(
                Document.id.startswith(text.lower(), autoescape=True),
                Document.title.contains(text, autoescape=True),
                Document.original_name.contains(text, autoescape=True),
                cast(Document.fields, String).contains(escaped, autoescape=True),
            )).order_by(Document.id).limit(MAX_DOCUMENTS))
        found.update(dict.fromkeys(rows))
    for project in projects:
        if len(found) > MAX_DOCUMENTS:
            break
        found.update(dict.fromkeys(doc_id for doc_id, code in archive_codes(project).items() if text in code))
    return list(found)[: MAX_DOCUMENTS + 1]
