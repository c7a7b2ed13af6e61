"""What recent searches found, kept for as long as the index snapshot they searched.

People ask the same things again and again without the matches changing: an auditor turns to
the next page of 混凝土, twenty colleagues run the same few words in a morning, the web UI asks
again after a document was opened and closed. On one snapshot of the index the answers are
exact, so two things are kept per searcher and thrown away, all at once, when a commit (here or
in another process) brings a new one — an answer is never older than the snapshot it is shown on:

- ``CountCache``: a search's total and facets. Counting visits every match (the page needs only
  the best few); the key is what decides which documents match (the query text and every
  filter), never the page. A count made without facets cannot answer a request for them.
- ``PageCache``: which documents make a page, in order, with their scores (as Solr's query
  result cache keeps them). The stored documents and their highlights are still read per
  request: only the ranking is skipped.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Generic, TypeVar

from schemas.search import SearchQuery

Facets = dict[str, dict[str, int]]
Counted = tuple[int, Facets | None]
Key = tuple[tuple[str, Any], ...]
Value = TypeVar("Value")

KEPT_SEARCHES = 256  # distinct searches remembered per snapshot (a few KB each)
_PAGE_FIELDS = frozenset({"limit", "offset", "sort", "facets"})


def count_key(query: SearchQuery) -> Key:
    """What decides a search's matches: its text and filters, not how its page is cut or ordered."""
    return tuple((name, getattr(query, name)) for name in sorted(type(query).model_fields)
                 if name not in _PAGE_FIELDS)


class _PerSnapshot(Generic[Value]):
    """Up to ``size`` values for the current snapshot, least recently used dropped first."""

    def __init__(self, size: int = KEPT_SEARCHES) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._snapshot: object | None = None
        self._kept: OrderedDict[Key, Value] = OrderedDict()

    def _get(self, snapshot: object, key: Key) -> Value | None:
        with self._lock:
            if snapshot is not self._snapshot:
                return None
            value = self._kept.get(key)
            if value is not None:
                self._kept.move_to_end(key)
            return value

    def _put(self, snapshot: object, key: Key, value: Value) -> None:
        with self._lock:
            if snapshot is not self._snapshot:
                self._snapshot = snapshot  # a newer snapshot drops every value of older ones
                self._kept.clear()
            self._kept[key] = value
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)


class CountCache(_PerSnapshot[Counted]):
    """Totals and facets of recent searches on the current snapshot."""

    def get(self, snapshot: object, query: SearchQuery) -> tuple[int, Facets] | None:
        """(total, facets) counted earlier on ``snapshot``, or None; the facets are the caller's own copy."""
        kept = self._get(snapshot, count_key(query))
        if kept is None or (query.facets and kept[1] is None):
            return None
        total, facets = kept
        if not query.facets:
            return total, {}
        return total, {name: dict(values) for name, values in (facets or {}).items()}

    def put(self, snapshot: object, query: SearchQuery, total: int, facets: Facets) -> None:
        """Remember a count made on ``snapshot`` (one with facets is not replaced by one without)."""
        key = count_key(query)
        if not query.facets:
            previous = self._get(snapshot, key)
            if previous is not None and previous[1] is not None:
                return
        self._put(snapshot, key, (total, {name: dict(values) for name, values in facets.items()}
                                  if query.facets else None))


class PageCache(_PerSnapshot[tuple[Any, ...]]):
    """The hits (score or date key, document address) of recent pages on the current snapshot."""

    @staticmethod
    def _key(query: SearchQuery, order: str) -> Key:
        return (*count_key(query), ("order", order), ("limit", query.limit), ("offset", query.offset))

    def get(self, snapshot: object, query: SearchQuery, order: str) -> list[Any] | None:
        found = self._get(snapshot, self._key(query, order))
        return list(found) if found is not None else None

    def put(self, snapshot: object, query: SearchQuery, order: str, found: list[Any]) -> None:
        self._put(snapshot, self._key(query, order), tuple(found))
