"""The totals and facets of recent searches, kept for as long as the index snapshot they counted.

Counting is the part of a search that visits every match (the page needs only the best few),
and it is what people ask for again and again without the matches changing: an auditor turns to
the next page of 混凝土, twenty colleagues run the same few words in a morning, the web UI asks
again when a filter is dropped. Those counts are exact for one snapshot of the index, so they are
kept per searcher and thrown away, all at once, when a commit (here or in another process) brings
a new one: a page is never shown with a count older than itself.

The key is what decides which documents match (the query text and every filter), never the page
(limit, offset, order). A count made without facets cannot answer a request for facets; one
made with them answers both.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from schemas.search import SearchQuery

Facets = dict[str, dict[str, int]]
Counted = tuple[int, Facets | None]

KEPT_SEARCHES = 256  # distinct searches remembered per snapshot (a few KB each: facet values and counts)
_PAGE_FIELDS = frozenset({"limit", "offset", "sort", "facets"})


def count_key(query: SearchQuery) -> tuple[tuple[str, Any], ...]:
    """What decides a search's matches: its text and filters, not how its page is cut or ordered."""
    return tuple((name, getattr(query, name)) for name in sorted(type(query).model_fields)
                 if name not in _PAGE_FIELDS)


class CountCache:
    """Totals and facets of up to ``size`` searches on the current snapshot (least recently used go first)."""

    def __init__(self, size: int = KEPT_SEARCHES) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._snapshot: object | None = None
        self._kept: OrderedDict[tuple[tuple[str, Any], ...], Counted] = OrderedDict()

    def get(self, snapshot: object, query: SearchQuery) -> tuple[int, Facets] | None:
        """(total, facets) counted earlier on ``snapshot``, or None; the facets are the caller's own copy."""
        key = count_key(query)
        with self._lock:
            if snapshot is not self._snapshot:
                return None
            kept = self._kept.get(key)
            if kept is None:
                return None
            total, facets = kept
            if query.facets and facets is None:
                return None
            self._kept.move_to_end(key)
        if not query.facets:
            return total, {}
        return total, {name: dict(values) for name, values in (facets or {}).items()}

    def put(self, snapshot: object, query: SearchQuery, total: int, facets: Facets) -> None:
        """Remember a count made on ``snapshot``; a newer snapshot drops every count of older ones."""
        key = count_key(query)
        kept: Counted = (total, {name: dict(values) for name, values in facets.items()} if query.facets else None)
        with self._lock:
            if snapshot is not self._snapshot:
                self._snapshot = snapshot
                self._kept.clear()
            previous = self._kept.get(key)
            if previous is not None and previous[1] is not None and kept[1] is None:
                return  # keep the count that also has facets
            self._kept[key] = kept
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
