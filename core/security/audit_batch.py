"""Group commit for the audit trail: many threads append, one transaction commits them all.

Why: every audited request (a search, a read) appends one entry, and each append used to be
its own durable commit (an fsync of the catalog) plus a rewrite of the head file; twenty
auditors searching at once queued behind each other's fsyncs and the chain's row lock, and
their latency grew with the queue (p95 0.5–1.8 s on 284–1,284 documents).

How: a caller puts its entry in the queue. If no commit is running, it becomes the *leader*:
it takes everything queued, and commits it as one chained transaction (``commit`` below);
meanwhile new callers queue up and wait. When the commit is done every entry in it is marked
done and its caller returns; the next waiting caller leads the next group. Nothing returns
before the commit that holds its entry, so "audited" still means "durably on the chain before
the answer is sent". The leader pattern needs no thread of its own and stays engine-neutral:
the commit is ordinary SQLAlchemy work.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.errors import StorageError


@dataclass(eq=False)  # identity: two equal entries are still two entries
class Pending:
    """One entry waiting for its group's commit (``detail`` already canonical JSON)."""

    actor: str
    action: str
    target: str | None
    detail: str
    result: Any = field(default=None, repr=False)
    error: BaseException | None = field(default=None, repr=False)

    @property
    def settled(self) -> bool:
        return self.result is not None or self.error is not None


class GroupCommit:
    """``submit`` blocks until the entry is committed; concurrent submits share a commit."""

    def __init__(self, commit: Callable[[list[Pending]], list[Any]], max_group: int = 512) -> None:
        self._commit = commit
        self._max_group = max_group
        self._queue: list[Pending] = []
        self._leading = False
        self._changed = threading.Condition(threading.Lock())

    def submit(self, entry: Pending) -> Any:
        with self._changed:
            self._queue.append(entry)
        return self._settle(entry)

    def submit_all(self, entries: list[Pending]) -> list[Any]:
        """Several entries queued together (in this order, none between them from others while they
        fit one group), each returned once committed: a bulk action's entries cost one commit, not
        one each.
        """
        with self._changed:
            self._queue.extend(entries)
        return [self._settle(entry) for entry in entries]

    def _settle(self, entry: Pending) -> Any:
        """Wait for the commit that holds ``entry``, leading one when no commit is running."""
        while True:
            with self._changed:
                while not entry.settled and self._leading:
                    self._changed.wait()
                if entry.settled:
                    return _outcome(entry)
                self._leading = True
                group, self._queue = self._queue[: self._max_group], self._queue[self._max_group:]
            try:
                results = self._commit(group)
                for pending, result in zip(group, results, strict=True):
                    pending.result = result
            except BaseException as error:
                for pending in group:
                    pending.error = error
                if entry in group:
                    raise  # the leader sees its own failure as it happened
            finally:
                with self._changed:
                    self._leading = False
                    self._changed.notify_all()


def _outcome(entry: Pending) -> Any:
    if entry.error is not None:
        if isinstance(entry.error, StorageError):
            raise entry.error
        raise StorageError(f"the audit entry was not written ({type(entry.error).__name__}: {entry.error})") \
            from entry.error
    return entry.result
