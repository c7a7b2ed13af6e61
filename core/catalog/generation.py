"""The catalog's generation: a counter that moves whenever what the archive holds changes,
and a cache of views (completeness, project counts, the dashboard) keyed on it.

Why: the project page recomputed the whole completeness report (checklist, fields, revisions,
四性 with a re-hash of every original) on every view — 0.4–0.7 s with a few hundred documents,
growing with the project. What a view shows changes only when documents, projects, profiles,
waivers or confirmations change, so a view computed at generation N stays right while the
counter still says N, whichever process (watcher, ``jiandang ingest``, the API) made the change.

How the counter moves: every session of the catalog is watched (``install_generation_bump``). A flush that
writes one of the watched tables, or an ORM ``insert``/``update``/``delete`` statement on one,
runs ``UPDATE catalog_generation SET value = value + 1`` in the *same* transaction, once per
transaction. So the change and the new generation commit together or not at all, and a reader
never sees new rows under an old generation. Plain SQL, no engine-specific feature: SQLite
serialises writers anyway; on PostgreSQL the row lock orders concurrent bumps.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from itertools import chain
from typing import Any, TypeVar

from sqlalchemy import event, text
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

# Tables whose rows a page shows. Not: the event log (a read of an original is an event, and
# changes nothing a page shows; every document change also writes its document row), jobs,
# accounts, tokens and the audit trail.
WATCHED_TABLES = frozenset({
    "documents", "document_texts", "receipts", "projects", "project_profiles", "waivers", "confirmations",
})
_BUMPED = "jiandang_generation_bumped"
_BUMP = text("UPDATE catalog_generation SET value = value + 1 WHERE id = 1")
READ_GENERATION = text("SELECT value FROM catalog_generation WHERE id = 1")

T = TypeVar("T")


def install_generation_bump(sessions: sessionmaker[Session]) -> None:
    """Make every session from ``sessions`` bump the generation with its changes."""
    event.listen(sessions, "before_flush", _on_flush)
    event.listen(sessions, "do_orm_execute", _on_execute)
    event.listen(sessions, "after_transaction_end", _on_transaction_end)


def _bump(session: Session) -> None:
    if session.info.get(_BUMPED):
        return
    session.info[_BUMPED] = True
    session.connection().execute(_BUMP)  # a plain statement: no ORM event fires for it


def _on_flush(session: Session, _context: Any, _instances: Any) -> None:
    for obj in chain(session.new, session.dirty, session.deleted):
        if getattr(obj, "__tablename__", None) in WATCHED_TABLES:
            _bump(session)
            return


def _on_execute(state: ORMExecuteState) -> None:
    if state.is_select or not (state.is_insert or state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    if mapper is not None and getattr(mapper.local_table, "name", None) in WATCHED_TABLES:
        _bump(state.session)


def _on_transaction_end(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # the outermost transaction: the next one bumps again
        session.info.pop(_BUMPED, None)


class ViewCache:
    """Views of the catalog remembered per generation (in this process); safe between threads.

    ``get(key, generation, compute)`` returns the value computed for ``key`` at ``generation``,
    computing it at most once per key and generation even when many requests ask at once (the
    others wait for the first). Older generations are simply replaced.
    """

    def __init__(self) -> None:
        self._values: dict[Hashable, tuple[int, Any]] = {}
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, key: Hashable, generation: int, compute: Callable[[], T]) -> T:
        found = self._values.get(key)
        if found is not None and found[0] == generation:
            return found[1]
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            found = self._values.get(key)
            if found is not None and found[0] == generation:
                return found[1]
            value = compute()
            self._values[key] = (generation, value)
            return value
