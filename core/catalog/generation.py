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

import logging
import threading
from collections import OrderedDict
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
    "oversight_corrections", "disclosure_versions",  # flags and the dashboard's overdue disclosures
})
logger = logging.getLogger(__name__)

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
    others wait for the first). With ``stale_ok`` one background thread computes the current
    value; the caller waits for it at most ``wait_seconds`` and, if it is not ready by then, gets
    the value of an older generation (for a page whose view takes seconds to compute on a large
    project: completeness). So a small project's page is never behind, and a large one's never
    hangs. At most ``max_keys`` keys are kept, the least recently used going first.
    """

    def __init__(self, max_keys: int = 256) -> None:
        self._values: OrderedDict[Hashable, tuple[int, Any]] = OrderedDict()
        self._locks: dict[Hashable, threading.Lock] = {}
        self._refreshing: dict[Hashable, threading.Event] = {}
        self._guard = threading.Lock()
        self._max_keys = max_keys

    def get(self, key: Hashable, generation: int, compute: Callable[[], T], *, stale_ok: bool = False,
            wait_seconds: float = 1.0) -> T:
        found = self._found(key)
        if found is not None and found[0] >= generation:
            return found[1]
        if found is not None and stale_ok:
            self._refresh_in_background(key, generation, compute).wait(wait_seconds)
            newer = self._found(key)
            return (newer or found)[1]
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            found = self._found(key)
            if found is not None and found[0] >= generation:
                return found[1]
            value = compute()
            self._store(key, generation, value)
            return value

    def _found(self, key: Hashable) -> tuple[int, Any] | None:
        with self._guard:
            found = self._values.get(key)
            if found is not None:
                self._values.move_to_end(key)
            return found

    def _store(self, key: Hashable, generation: int, value: Any) -> None:
        with self._guard:
            current = self._values.get(key)
            if current is None or current[0] <= generation:
                self._values[key] = (generation, value)
                self._values.move_to_end(key)
            while len(self._values) > self._max_keys:
                old, _ = self._values.popitem(last=False)
                self._locks.pop(old, None)

    def _refresh_in_background(self, key: Hashable, generation: int, compute: Callable[[], Any]) -> threading.Event:
        """Start computing ``key`` at ``generation`` unless a refresh is running; its done-event."""
        with self._guard:
            running = self._refreshing.get(key)
            if running is not None:
                return running
            done = self._refreshing[key] = threading.Event()

        def refresh() -> None:
            try:
                self._store(key, generation, compute())
            except Exception:  # the next view computes it in the foreground and reports the error
                logger.warning("recomputing a cached view failed", exc_info=True)
            finally:
                with self._guard:
                    self._refreshing.pop(key, None)
                done.set()

        threading.Thread(target=refresh, name="view-refresh", daemon=True).start()
        return done
