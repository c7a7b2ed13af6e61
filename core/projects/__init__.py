"""Projects as records, and the archivist's changes to documents' records.

- ``book``: create, list, rename and merge projects; trays (INBOX) that are not projects;
  a clear refusal with a suggestion for a code that does not exist;
- ``moves``: moving documents from one project (or tray) to another;
- ``edits``: correcting a document's record (题名, 日期, 编号, 金额, 责任者, 保管期限, 密级) with a reason;
- ``desk``: the one object the service hands out, doing each change as the archive's one writer
  and bringing the search index along.

Every change is an event in the catalog (who, when, before and after); the skins put it on the
audit trail with the client's address.

May import: ``core.catalog``, ``core.indexing``, ``core.storage``, ``core.errors``, ``core.settings``,
``schemas``.
"""

from core.projects.desk import ProjectDesk

__all__ = ["ProjectDesk"]
