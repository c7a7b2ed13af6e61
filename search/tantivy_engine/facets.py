"""Counting a tantivy search's matches and facets, split across the machine's cores.

A search page shows the exact number of matches and the facet counts (project, class, year,
type), so every match has to be visited. For a phrase found in most of the archive that visit
is the expensive part of the search: tantivy checks the phrase's positions in each document,
one document after another on one thread. Here the documents are split into ranges of write
order (``seq``, a fast field) of about equal size, one tantivy aggregation runs per range —
on pool threads, and on the searching thread once its page is made (tantivy releases the GIL)
— and the counts are added up: each match is still visited once, on every core. Only a phrase
search is split this way; other counts are short, and one aggregation beside the page is best.

The range boundaries depend only on the index snapshot, so they are found once per searcher
(``SeqPartitions``) and reused by every search on it.
"""

from __future__ import annotations

import functools
import itertools
import os
import queue
import threading
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import tantivy
from tantivy import Occur, Query

from schemas.meta import PROJECT
from schemas.search import FACET_FIELDS
from search.tantivy_engine.schema import SEQ, YEAR

FACET_BUCKETS = 1000  # distinct values counted per facet and range (projects, classes, years, types)
PARTITION_MIN_DOCS = 20_000  # below this one aggregation is quicker than starting several
HISTOGRAM_BUCKETS_PER_PIECE = 16  # how finely the write order is sampled to find the boundaries
_TOTAL_FACET = PROJECT  # the facet whose buckets (with the missing one) count every match

Facets = dict[str, dict[str, int]]


@functools.cache
def counting_pool() -> ThreadPoolExecutor:
    """The threads that count beside the page being collected (one process wide: stores come
    and go, and the cores do not multiply with them).
    """
    return ThreadPoolExecutor(max_workers=2 * core_count(), thread_name_prefix="tantivy-count")


def core_count() -> int:
    return max(1, min(8, os.cpu_count() or 1))


class SeqPartitions:
    """Boundaries of write order that cut one index snapshot into ranges of about equal size.

    They come from a histogram of ``seq`` (two aggregations over the fast field, ≈5 ms at
    300,000 documents), are kept for the searcher they were found on, and found again after a
    commit.
    """

    def __init__(self, pieces: int | None = None) -> None:
        # One range per core and one more: the searching thread makes the page first and
        # joins late, so the thread that finishes first takes the extra range (measured at
        # 300,000 documents on 2 cores: 3 ranges beat 2, 4, 6 and 8).
        self.pieces = pieces or core_count() + 1
        self._lock = threading.Lock()
        self._searcher: tantivy.Searcher | None = None
        self._bounds: list[int] = []

    def bounds(self, searcher: tantivy.Searcher) -> list[int]:
        """The ``seq`` values where each range after the first begins ([] = count in one piece)."""
        with self._lock:
            if self._searcher is not searcher:
                self._bounds = self._find(searcher)
                self._searcher = searcher
            return self._bounds

    def _find(self, searcher: tantivy.Searcher) -> list[int]:
        total = searcher.num_docs
        if self.pieces < 2 or total < PARTITION_MIN_DOCS:
            return []
        every = Query.all_query()
        ends = searcher.aggregate(every, {"low": {"min": {"field": SEQ}}, "high": {"max": {"field": SEQ}}})
        low, high = ends["low"]["value"], ends["high"]["value"]
        if low is None or high is None or high <= low:
            return []
        width = (high - low) / (HISTOGRAM_BUCKETS_PER_PIECE * self.pieces)
        histogram = searcher.aggregate(every, {"h": {"histogram": {"field": SEQ, "interval": width, "offset": low}}})
        bounds: list[int] = []
        seen = 0
        for bucket in histogram["h"]["buckets"]:
            if seen >= total * (len(bounds) + 1) / self.pieces and len(bounds) < self.pieces - 1:
                bounds.append(int(bucket["key"]))
            seen += int(bucket["doc_count"])
        return sorted(set(bounds))


def _range_queries(schema: tantivy.Schema, bounds: list[int]) -> list[Query | None]:
    """One query per range of write order (None: the whole index)."""
    if not bounds:
        return [None]
    edges: list[int | None] = [None, *bounds, None]
    return [
        Query.range_query(schema, SEQ, tantivy.FieldType.Integer, low, high, include_upper=high is None)
        for low, high in itertools.pairwise(edges)
    ]


def _aggregate(searcher: tantivy.Searcher, selected: Query, facets: bool) -> dict[str, Any]:
    names = FACET_FIELDS if facets else (_TOTAL_FACET,)
    request: dict[str, Any] = {name: {"terms": {"field": name, "size": FACET_BUCKETS}} for name in names}
    request[_TOTAL_FACET]["terms"]["missing"] = ""  # the empty key is left out of the facet below
    return searcher.aggregate(selected, request)


class Counting:
    """The matches of one search (and its facets), counted range by range.

    The ranges wait in a queue; pool threads take them as soon as the count starts, and the
    searching thread takes what is left once its page is made (``result``). So a core is never
    idle while counting remains, and no more threads run than there are cores (a third thread
    on two cores only slows the other two).
    """

    def __init__(
        self, searcher: tantivy.Searcher, schema: tantivy.Schema, selected: Query, bounds: list[int], facets: bool
    ) -> None:
        self._searcher = searcher
        self._facets = facets
        self._waiting: queue.SimpleQueue[Query] = queue.SimpleQueue()
        for in_range in _range_queries(schema, bounds):
            self._waiting.put(selected if in_range is None else Query.boolean_query(
                [(Occur.Must, selected), (Occur.Must, in_range)]
            ))
        self._answers: list[dict[str, Any]] = []
        helpers = min(core_count() - 1, len(bounds)) if bounds else 1
        self._helpers: list[Future[None]] = [counting_pool().submit(self._count_waiting) for _ in range(helpers)]

    def _count_waiting(self) -> None:
        while True:
            try:
                piece = self._waiting.get_nowait()
            except queue.Empty:
                return
            self._answers.append(_aggregate(self._searcher, piece, self._facets))  # list.append is atomic

    def result(self) -> tuple[int, Facets]:
        """(matches, facet → value → matches, most frequent first), once every range is counted."""
        self._count_waiting()
        for helper in self._helpers:
            # A helper still queued behind other searches' counts has nothing left to do: drop
            # it rather than wait for a pool thread to come free.
            if not helper.cancel():
                helper.result()
        return merge_counts(self._answers, self._facets)


def merge_counts(answers: list[dict[str, Any]], facets: bool = True) -> tuple[int, Facets]:
    """Add up the aggregations of disjoint ranges.

    A document has at most one project, and the project facet puts documents without one in a
    bucket of their own (``missing``), so its buckets plus the documents beyond the bucket limit
    (``sum_other_doc_count``) are the matches of a range: no separate count. A value outside a
    range's first ``FACET_BUCKETS`` is missing from that range's buckets, so with more distinct
    values than that, the tail of a facet may be undercounted (its totals stay exact).
    """
    total = 0
    counted: dict[str, Counter[str]] = {name: Counter() for name in FACET_FIELDS}
    for answer in answers:
        every = answer.get(_TOTAL_FACET, {})
        total += sum(int(bucket["doc_count"]) for bucket in every.get("buckets", []))
        total += int(every.get("sum_other_doc_count") or 0)
        if not facets:
            continue
        for name in FACET_FIELDS:
            for bucket in answer.get(name, {}).get("buckets", []):
                key = bucket["key"]
                if isinstance(key, float) and key.is_integer():
                    key = int(key)
                if key in (None, "") or (name == YEAR and not 1000 <= int(key) <= 9999):
                    continue
                counted[name][str(key)] += int(bucket["doc_count"])
    if not facets:
        return total, {}
    return total, {
        name: dict(sorted(values.items(), key=lambda pair: (-pair[1], pair[0]))) for name, values in counted.items()
    }
