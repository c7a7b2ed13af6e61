"""Audit work around search: who searched for what, who read which original, saved searches, exports.

Auditors' own actions go on the hash-chained audit trail (``core.security.audit``) like every other
access: a search records the query, the total and the ids that came back; an export records the
file; reading an original is also an event in that document's own history, so ``jiandang show``
says who has read it. The HTTP API audits its requests itself; these helpers are for the other
callers (the command line), which name the actor explicitly.

``who`` is the ``--user`` given on the command line, else ``JIANDANG_USER``, else the operating
system account, until the command line logs in with jiandang's own accounts.

Saved searches are a small JSON file in the archive home (they are the auditor's working notes,
not archive records, so they do not need the catalog's migrations).
"""

from __future__ import annotations

import csv
import getpass
import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from core.catalog import Catalog
from core.catalog.history import record
from core.errors import InputError, NotFound
from core.security.audit import AuditAction, AuditLog
from core.storage.atomic_files import replace_text
from core.storage.full import store_error
from core.storage.locks import file_lock
from schemas.cells import csv_cell, formula_like, xml_text
from schemas.search import SavedSearch, SavedSearchList, SearchQuery, SearchResult

if TYPE_CHECKING:
    from openpyxl import Workbook

logger = logging.getLogger(__name__)

ORIGINAL_READ = "original_read"
SAVED_FILE = "saved_searches.json"
RECORDED_HIT_IDS = 50  # how many result ids a search event keeps (the first page and a bit)
EXPORT_COLUMNS = (  # Chinese headers: the working paper is read by people (the ids stay in the first column)
    "文件标识", "题名", "原始文件名", "项目", "类别", "相关度", "链接", "命中摘要",
)


def current_user(explicit: str | None = None) -> str:
    """Who is acting: an explicit name, else ``JIANDANG_USER``, else the OS account."""
    if explicit and explicit.strip():
        return explicit.strip()
    from_env = os.environ.get("JIANDANG_USER", "").strip()
    if from_env:
        return from_env
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def query_detail(query: SearchQuery) -> dict[str, object]:
    """The parts of a query worth keeping in the record (the defaults left out)."""
    return query.model_dump(mode="json", exclude_defaults=True) | {"text": query.text}


def record_search(audit: AuditLog, user: str, query: SearchQuery, result: SearchResult) -> None:
    audit.append(user, AuditAction.SEARCH, None, query=query_detail(query), total=result.total,
                 hits=[hit.id for hit in result.hits[:RECORDED_HIT_IDS]], via="cli")


def record_export(audit: AuditLog, user: str, query: SearchQuery, path: Path, rows: int) -> None:
    audit.append(user, AuditAction.EXPORT, None, what="search results", query=query_detail(query),
                 path=str(path), rows=rows, via="cli")


def record_original_read(
    catalog: Catalog, audit: AuditLog | None, user: str, doc_id: str, purpose: str
) -> None:
    """Audit-trail entry (unless the caller, e.g. the API, writes its own) and a history event."""
    if audit is not None:
        audit.append(user, AuditAction.ORIGINAL_DOWNLOAD, doc_id, purpose=purpose, via="cli")
    with catalog.session() as session:
        record(session, doc_id, ORIGINAL_READ, user=user, purpose=purpose)


# --- export -------------------------------------------------------------------------------------
def document_link(link_base: str, doc_id: str) -> str:
    return f"{link_base.rstrip('/')}/{doc_id}"


def export_rows(result: SearchResult, link_base: str) -> list[list[object]]:
    rows: list[list[object]] = []
    for hit in result.hits:
        snippet = hit.highlights[0].replace("<mark>", "【").replace("</mark>", "】") if hit.highlights else ""
        rows.append([hit.id, hit.title or "", hit.original_name or "", hit.project or "",
                     hit.class_code or "", hit.score, document_link(link_base, hit.id), snippet])
    return rows


def write_export(path: Path, rows: list[list[object]]) -> None:
    """A working-paper file: CSV (UTF-8 with BOM so Excel reads the Chinese) or XLSX.

    Text that looks like a formula stays text (``schemas.cells``): titles and names come from
    whoever put a file in a share. The file is written under a temporary name and renamed, so a
    full disk leaves no half-written export under the name asked for (``DiskFull`` names it).
    """
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InputError(f"export file {path.name!r}: use a .csv or .xlsx name", path=str(path))
    if not path.parent.is_dir():
        raise InputError(f"export folder {path.parent} does not exist", path=str(path))
    partial = path.with_name(f".{path.name}.partial")
    try:
        if suffix == ".csv":
            with partial.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(EXPORT_COLUMNS)
                writer.writerows([csv_cell(value) for value in row] for row in rows)
        else:
            _workbook(rows).save(partial)
        os.replace(partial, path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise store_error(error, path, "writing the export") from error


def _workbook(rows: list[list[object]]) -> Workbook:
    from openpyxl import Workbook  # only an export writes a workbook (openpyxl is ~0.5 s of start-up)

    book = Workbook()
    sheet = book.active
    sheet.title = "检索结果"
    sheet.append(list(EXPORT_COLUMNS))
    for row in rows:
        sheet.append([xml_text(value) for value in row])
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f" and formula_like(cell.value):
                cell.data_type = "s"
    return book


# --- saved searches ------------------------------------------------------------------------------
class SavedSearches:
    """Named queries kept in ``home/saved_searches.json`` (written atomically)."""

    def __init__(self, home: Path) -> None:
        self._path = home / SAVED_FILE

    def list(self) -> SavedSearchList:
        if not self._path.exists():
            return SavedSearchList()
        try:
            return SavedSearchList.model_validate(json.loads(self._path.read_text(encoding="utf-8")))
        except ValueError as exc:
            raise InputError(f"saved searches file {self._path} is damaged: {exc}", path=str(self._path)) from exc

    def get(self, name: str) -> SavedSearch:
        for saved in self.list().searches:
            if saved.name == name:
                return saved
        raise NotFound(f"no saved search named {name!r}", name=name)

    def add(self, name: str, query: SearchQuery, user: str) -> SavedSearch:
        if not name.strip():
            raise InputError("a saved search needs a name")
        saved = SavedSearch(name=name, query=query, created_by=user,
                            created_at=datetime.now(UTC).isoformat(timespec="seconds"))
        with self._editing() as current:
            current[:] = [*(s for s in current if s.name != name), saved]
        return saved

    def remove(self, name: str) -> None:
        with self._editing() as current:
            if not any(s.name == name for s in current):
                raise NotFound(f"no saved search named {name!r}", name=name)
            current[:] = [s for s in current if s.name != name]

    @contextmanager
    def _editing(self) -> Iterator[list[SavedSearch]]:
        """Read, let the caller change, write back, all under one lock.

        Two auditors saving at the same moment (two server threads, or the server and the CLI) each
        see the other's search: without the lock the later write dropped the earlier one. The new
        file is written under a unique temporary name and renamed over the old one.
        """
        with file_lock(self._path.with_name(SAVED_FILE + ".lock")):
            searches = list(self.list().searches)
            yield searches
            replace_text(self._path, SavedSearchList(searches=searches).model_dump_json(indent=2))
