"""One term's postings in one Whoosh segment as numpy arrays, and a bounded cache of them.

Whoosh stores postings in pickled, compressed blocks of up to 128; decoding them costs about 2 µs
a posting, so a common bigram at 100,000 documents (30,000+ postings) takes tens of milliseconds
to read before any matching starts. Segments never change, so decoded postings stay valid until
a merge removes their segment; ``PostingsCache`` keeps the recently used ones within a byte budget.
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from pickle import loads
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import SegmentReader, TermNotFound

_INT_SIZE = 4  # the position count Whoosh packs in front of each posting's pickled deltas


class Postings:
    """One term's postings in one segment: ids, term frequencies and (for phrases) positions.

    Positions are decoded lazily: only for the postings a phrase needs, or for all of them once a
    phrase needs a large share (then they are kept, so the next phrase with this token is pure
    numpy).
    """

    def __init__(self, ids: np.ndarray, weights: np.ndarray, values: list[bytes]) -> None:
        self.ids = ids
        self.weights = weights
        self.values = values  # raw Whoosh position values, one per posting (empty for word fields)
        self._starts: np.ndarray | None = None  # all positions decoded: CSR row starts …
        self._flat: np.ndarray | None = None  # … and positions
        self.nbytes = ids.nbytes + weights.nbytes + sum(len(v) + 40 for v in values)
        self.cached = False  # held by a PostingsCache, which counts its bytes

    def positions(self, picks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(row, position) for every position of the picked postings; row i is ``picks[i]``."""
        if self._starts is None and len(picks) * 4 < len(self.ids):
            return _decode_positions(self.values, picks)
        if self._starts is None:
            rows, positions = _decode_positions(self.values, np.arange(len(self.ids)))
            self._flat = positions.astype(np.int32)
            self._starts = np.searchsorted(rows, np.arange(len(self.ids) + 1))
            self.nbytes += self._flat.nbytes + self._starts.nbytes
        assert self._flat is not None
        begins, ends = self._starts[picks], self._starts[picks + 1]
        counts = ends - begins
        rows = np.repeat(np.arange(len(picks)), counts)
        inside = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        return rows, self._flat[np.repeat(begins, counts) + inside].astype(np.int64)


_NO_POSTINGS = Postings(np.empty(0, np.int64), np.empty(0), [])


def read_postings(reader: SegmentReader, field: str, token: str) -> Postings:
    """Every posting of ``token`` in one segment, deleted documents included (masked later).

    Blocks are read with the codec's own reader, but ids are un-delta'd by numpy rather than a
    Python generator per id.
    """
    try:
        matcher = reader.postings(field, token)
    except TermNotFound:
        return _NO_POSTINGS
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    id_blocks: list[np.ndarray] = []
    weight_blocks: list[Any] = []
    values: list[bytes] = []
    positional = matcher.supports("positions")
    if isinstance(matcher, W3LeafMatcher) and not matcher._byteids:
        while not matcher._atend:  # a block at a time
            matcher._read_data()
            id_blocks.append(np.cumsum(np.asarray(matcher._data[0], np.int64)))
            matcher._read_weights()
            weight_blocks.append(matcher._weights)
            if positional:
                matcher._read_values()
                values.extend(matcher._values)
            matcher._next_block()
    else:  # few postings kept inline in the term index
        one_ids, one_weights = [], []
        while matcher.is_active():
            one_ids.append(matcher.id())
            one_weights.append(matcher.weight())
            if positional:
                values.append(matcher.value())
            matcher.next()
        id_blocks.append(np.asarray(one_ids, np.int64))
        weight_blocks.append(one_weights)
    ids = np.concatenate(id_blocks) if id_blocks else np.empty(0, np.int64)
    weights = np.fromiter(itertools.chain.from_iterable(weight_blocks), np.float64, len(ids))
    return Postings(ids, weights, values)


def _decode_positions(values: list[bytes], picks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``whoosh.formats.Positions.decode_positions`` for the picked postings, as flat arrays."""
    deltas = []
    for i in picks.tolist():
        raw = values[i]
        if not raw.endswith(b"."):
            raw += b"."
        deltas.append(loads(raw[_INT_SIZE:]))
    counts = np.fromiter((len(d) for d in deltas), np.int64, len(deltas))
    flat = np.fromiter(itertools.chain.from_iterable(deltas), np.int64, int(counts.sum()))
    rows = np.repeat(np.arange(len(deltas)), counts)
    running = np.cumsum(flat)
    starts = np.cumsum(counts) - counts
    before = np.where(starts > 0, running[np.maximum(starts - 1, 0)], 0)
    return rows, running - np.repeat(before, counts)


class PostingsCache:
    """Decoded postings by (segment, field, token), least recently used first out, within a byte budget.

    Decoding Whoosh's pickled blocks costs about 2 µs a posting, and the terms that cost most are
    the common ones every auditor types; segments never change, so a decoded list stays valid
    until its segment is merged away.
    """

    def __init__(self, budget_bytes: int) -> None:
        self.budget = budget_bytes
        self._entries: OrderedDict[tuple[str, str, str], Postings] = OrderedDict()
        self._bytes = 0
        self._segments: set[str] | None = None  # the segments of the last search
        self._lock = threading.Lock()  # API requests search from several threads

    def get(self, reader: SegmentReader, field: str, token: str) -> Postings:
        key = (reader.segment().segment_id(), field, token)
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                return found
        found = read_postings(reader, field, token)  # outside the lock: other threads go on
        if self.budget > 0:
            with self._lock:
                if key not in self._entries and found is not _NO_POSTINGS:
                    self._entries[key] = found
                    found.cached = True
                    self._bytes += found.nbytes
                    self._shrink()
        return found

    def keep_segments(self, segment_ids: set[str]) -> None:
        """Drop the postings of segments merged away or deleted since the last search."""
        with self._lock:
            if segment_ids == self._segments:
                return
            self._segments = segment_ids
            for key in [key for key in self._entries if key[0] not in segment_ids]:
                self._forget(key)

    def settle(self, postings: Postings, before: int) -> None:
        """Account for positions decoded into a cached entry after it was stored."""
        if postings.nbytes == before:
            return
        with self._lock:
            if postings.cached:
                self._bytes += postings.nbytes - before
                self._shrink()

    def _shrink(self) -> None:
        while self._bytes > self.budget and self._entries:
            self._forget(next(iter(self._entries)))

    def _forget(self, key: tuple[str, str, str]) -> None:
        dropped = self._entries.pop(key)
        dropped.cached = False
        self._bytes -= dropped.nbytes
